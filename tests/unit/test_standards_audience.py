"""The one rule of who sees which standard (app.standards.queries.Audience), without a database."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from app.standards.queries import EVERYONE, PUBLIC, Audience


def _fw(owner: int | None) -> Any:
    return SimpleNamespace(code="x", organisation_id=owner)  # a Framework's owner is all the rule reads


def test_platform_wide_standards_are_seen_by_everyone() -> None:
    for audience in (PUBLIC, EVERYONE, Audience(frozenset({1})), Audience.of_owner(None)):
        assert audience.sees(_fw(None))


def test_a_private_standard_is_seen_by_its_organisation_and_platform_admins_only() -> None:
    assert Audience(frozenset({1, 2})).sees(_fw(2))
    assert EVERYONE.sees(_fw(2))
    assert not PUBLIC.sees(_fw(2))
    assert not Audience(frozenset({1})).sees(_fw(2))


def test_what_a_standard_may_refer_to_follows_its_owner() -> None:
    """A platform-wide standard refers to platform-wide ones only; a private one also to its own organisation's."""
    assert not Audience.of_owner(None).sees(_fw(3))
    assert Audience.of_owner(3).sees(_fw(3))
    assert not Audience.of_owner(3).sees(_fw(4))


def test_the_sql_filter_says_the_same() -> None:
    assert str(PUBLIC.filter()) == "frameworks.organisation_id IS NULL"
    assert "IN" in str(Audience(frozenset({1})).filter())
    assert str(EVERYONE.filter()) == "true"
