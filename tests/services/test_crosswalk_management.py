"""Managing a crosswalk: edit, unpublish (back to a draft, no more carrying), delete a draft, each audited;
and the authoring page's suggestions ranked once per pair of standards and their text."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import AuditEvent
from app.audit import Actor
from app.crosswalks import crosswalks, links, suggestions
from app.crosswalks.models import Crosswalk, CrosswalkLink, CrosswalkStatus
from app.domain import DomainError
from app.extensions import db
from app.standards.models import Element, Framework
from app.standards.queries import load_tree

ACTOR = Actor.system("tests")


def _crosswalk(name: str = "Managed") -> Crosswalk:
    crosswalk = crosswalks.create_crosswalk(
        db.session, ACTOR, crosswalks.NewCrosswalk(name, "mbo-commercie", "competent-E110101", None)
    )
    links.add_link(db.session, ACTOR, crosswalk, links.LinkInput("P3-K1-W1", "basis-1", "exact", note="n"))
    return crosswalk


def _actions(crosswalk_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.target_type == "crosswalk", AuditEvent.target_id == crosswalk_id)
            .order_by(AuditEvent.id)
        )
    )


def test_edit_renames_and_records_only_what_changed() -> None:
    crosswalk = _crosswalk()
    crosswalks.update_crosswalk(db.session, ACTOR, crosswalk, "  Renamed   crosswalk ", "Why it exists", None)
    assert crosswalk.name == "Renamed crosswalk" and crosswalk.description == "Why it exists"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "crosswalk.update")).one()
    assert event.details["before"] == {"description": "", "name": "Managed"}
    crosswalks.update_crosswalk(db.session, ACTOR, crosswalk, "Renamed crosswalk", "Why it exists", "")
    assert _actions(crosswalk.id).count("crosswalk.update") == 1  # nothing changed: nothing recorded
    with pytest.raises(DomainError) as refused:
        crosswalks.update_crosswalk(db.session, ACTOR, crosswalk, "   ", "", None)
    assert refused.value.field == "name" and crosswalk.name == "Renamed crosswalk"


def test_unpublish_returns_to_draft_and_is_audited() -> None:
    crosswalk = _crosswalk()
    with pytest.raises(DomainError):
        crosswalks.unpublish_crosswalk(db.session, ACTOR, crosswalk)  # a draft already
    crosswalks.publish_crosswalk(db.session, ACTOR, crosswalk)
    crosswalks.unpublish_crosswalk(db.session, ACTOR, crosswalk)
    assert crosswalk.status == CrosswalkStatus.DRAFT and crosswalk.published_at is None
    assert _actions(crosswalk.id)[-2:] == ["crosswalk.publish", "crosswalk.unpublish"]


def test_only_a_draft_is_deleted_with_its_links_and_the_log_keeps_it() -> None:
    crosswalk = _crosswalk()
    crosswalks.publish_crosswalk(db.session, ACTOR, crosswalk)
    with pytest.raises(DomainError):
        crosswalks.delete_crosswalk(db.session, ACTOR, crosswalk)
    crosswalks.unpublish_crosswalk(db.session, ACTOR, crosswalk)
    crosswalk_id = crosswalk.id
    crosswalks.delete_crosswalk(db.session, ACTOR, crosswalk)
    assert db.session.get(Crosswalk, crosswalk_id) is None
    assert db.session.scalar(select(CrosswalkLink).where(CrosswalkLink.crosswalk_id == crosswalk_id)) is None
    assert _actions(crosswalk_id)[-1] == "crosswalk.delete"


def test_suggestions_are_ranked_once_per_pair_and_text(monkeypatch) -> None:
    suggestions._cache.clear()
    built = []
    real = suggestions.Index

    def counting(*args, **kwargs):
        built.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(suggestions, "Index", counting)
    first = _crosswalk("One")
    again = _crosswalk("Two")  # another crosswalk between the same standards
    found = suggestions.suggest(db.session, first)
    same = suggestions.suggest(db.session, again)
    assert [(s.subject.key, s.object.key, s.score) for s in same] == [
        (s.subject.key, s.object.key, s.score) for s in found
    ]  # the same ranking: the one link of each is taken out the same way
    assert len(built) == 1
    top = found[0]
    links.add_link(db.session, ACTOR, first, links.LinkInput(top.subject.key, top.object.key, "related"))
    assert (top.subject.key, top.object.key) not in {
        (s.subject.key, s.object.key) for s in suggestions.suggest(db.session, first)
    }
    assert len(built) == 1  # links are taken out of the cached ranking
    element = db.session.scalar(
        select(Element).join(Framework).where(Framework.code == "competent-E110101", Element.key == "basis-1")
    )
    element.title += " webshop klantcontact"
    db.session.flush()
    db.session.expire_all()
    suggestions.suggest(db.session, first)
    assert len(built) == 2  # the text changed: ranked again


def test_cached_ranking_matches_a_fresh_one() -> None:
    fw = {f.code: f for f in db.session.scalars(select(Framework))}
    source, target = load_tree(db.session, fw["mbo-commercie"]), load_tree(db.session, fw["competent-E110101"])
    suggestions._cache.clear()
    fresh = suggestions.ranked(source, target)
    assert suggestions.ranked(source, target) is fresh
    assert all(len(matches) <= suggestions.DEPTH for matches in fresh.values())
