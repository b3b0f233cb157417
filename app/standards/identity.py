"""Stable identity of frameworks and elements: UUIDs that never change across reloads.

A source that carries its own identifiers (a CASE package's ``identifier``) keeps them; otherwise the UUID
is derived deterministically from what identifies the thing in Bekwaam (uuid5 of the framework code, and of
code and element key), so the same standard loaded anywhere gets the same identifiers. Pure functions: no
Flask, no database.
"""

from __future__ import annotations

import uuid

# The namespace of every derived Bekwaam identifier (itself uuid5 of the URL namespace and our name).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://bekwaam.example/ns/standards")


def derivation_code(code: str, version: str | None, first: bool) -> str:
    """What derived identifiers of one version of a standard are made from.

    The first version of a code in a database derives from the code alone (so every identifier made before
    versions could sit side by side stays as it was); any later version adds its version, so two versions
    never share an identifier unless their source gives the same one."""
    return code if first else f"{code}@{version or ''}"


def framework_uuid(code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"framework:{code}")


def element_uuid(framework_code: str, key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"element:{framework_code}:{key}")


def scale_uuid(framework_code: str, scale_key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"scale:{framework_code}:{scale_key}")


def association_uuid(source: uuid.UUID | str, relation: str, target: uuid.UUID | str) -> uuid.UUID:
    """One association between two identified things, the same each time it is derived."""
    return uuid.uuid5(NAMESPACE, f"association:{source}:{relation}:{target}")


def parse_uuid(value: object) -> uuid.UUID | None:
    """A source identifier as a UUID, or None when it is not one (CASE allows other identifier strings)."""
    if isinstance(value, uuid.UUID):
        return value
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value.strip())
    except ValueError:
        return None
