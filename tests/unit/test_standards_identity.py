"""Derived identifiers are stable: the same input gives the same UUID, different inputs different ones."""

from __future__ import annotations

import uuid

from app.standards import identity


def test_derived_identifiers_are_stable_and_distinct() -> None:
    assert identity.element_uuid("mbo-commercie", "P3") == identity.element_uuid("mbo-commercie", "P3")
    assert identity.element_uuid("mbo-commercie", "P3") != identity.element_uuid("mbo-commercie", "P4")
    assert identity.framework_uuid("bk-0331-4") != identity.element_uuid("bk-0331-4", "bk-0331-4")
    assert identity.element_uuid("a", "b").version == 5
    # A fixed value: changing the namespace or the recipe would change every published identifier.
    assert str(identity.framework_uuid("mbo-commercie")) == str(
        uuid.uuid5(identity.NAMESPACE, "framework:mbo-commercie")
    )


def test_source_identifiers_are_read_when_they_are_uuids() -> None:
    raw = "c2a8b4c6-5ef8-11e7-a1b0-0242ac120002"
    assert identity.parse_uuid(raw) == uuid.UUID(raw)
    assert identity.parse_uuid(f"  {raw.upper()} ") == uuid.UUID(raw)
    assert identity.parse_uuid("not-a-uuid") is None
    assert identity.parse_uuid(42) is None
