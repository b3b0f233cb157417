"""Standards out of Bekwaam: CASE 1.1 packages, Moodle competency CSV and Bekwaam YAML.

Pure functions over a loaded tree (``queries.load_tree``): no Flask, no database. The links a document
carries (public pages, CASE API addresses) come in as a ``Links`` object, so the same code serves the
download buttons, the CLI, the API and the CASE provider.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from app.standards.identity import element_uuid, framework_uuid
from app.standards.models import Element, Framework


@dataclass(frozen=True)
class Links:
    """Absolute URLs: a framework's page, an element's page, and a CASE API object (kind, identifier)."""

    framework: Callable[[str], str]
    element: Callable[[str, str], str]
    case: Callable[[str, str], str]


def plain_links(base: str = "https://bekwaam.example") -> Links:
    """Links under a fixed base, for code and tests without an application."""
    base = base.rstrip("/")
    return Links(
        framework=lambda code: f"{base}/standards/{code}",
        element=lambda code, key: f"{base}/standards/{code}/e/{key}",
        case=lambda kind, ident: f"{base}/ims/case/v1p1/{kind}/{ident}",
    )


def framework_id(fw: Framework) -> uuid.UUID:
    """The framework's stored UUID (kept from its source, or derived when it had none)."""
    return uuid.UUID(fw.uuid) if fw.uuid else framework_uuid(fw.code)


def element_id(fw_code: str, el: Element) -> uuid.UUID:
    return uuid.UUID(el.uuid) if el.uuid else element_uuid(fw_code, el.key)


def timestamp(moment: dt.datetime) -> str:
    """RFC 3339 in UTC, whole seconds: the form every CASE date-time field takes."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
