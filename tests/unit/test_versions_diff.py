"""The diff of two versions and the mapping proposed from it: pure functions."""

from __future__ import annotations

import time

from app.versioning.diff import Change, Item, MatchedBy, diff
from app.versioning.proposal import Relation, propose

OLD = [
    Item("k1", "core_task", "Bereidt het werk voor", code="B1-K1", ref=1),
    Item("w1", "work_process", "Plant de werkzaamheden", code="B1-K1-W1", parent_key="k1", ref=2),
    Item("w2", "work_process", "Bestelt materialen", code="B1-K1-W2", parent_key="k1", ref=3),
    Item(
        "w3", "work_process", "Overlegt met de leidinggevende over de planning", code="B1-K1-W3", parent_key="k1", ref=4
    ),
    Item("w4", "work_process", "Ruimt de werkplek op", code="B1-K1-W4", parent_key="k1", description="Oud", ref=5),
]
NEW = [
    Item("k1", "core_task", "Bereidt het werk voor", code="B1-K1", ref=11),
    Item("w1", "work_process", "Plant en organiseert de werkzaamheden", code="B1-K1-W1", parent_key="k1", ref=12),
    Item(
        "w3-new",
        "work_process",
        "Overlegt met de leidinggevende over planning",
        code="B1-K1-W5",
        parent_key="k1",
        ref=14,
    ),
    Item("w4", "work_process", "Ruimt de werkplek op", code="B1-K1-W4", parent_key="k1", description="Nieuw", ref=15),
    Item("w6", "work_process", "Werkt duurzaam", code="B1-K1-W6", parent_key="k1", ref=16),
]


def test_elements_are_matched_by_key_then_code_then_title() -> None:
    result = diff(OLD, NEW)
    by_new = {e.new.key: e for e in result.entries if e.new}
    assert by_new["k1"].change == Change.UNCHANGED and by_new["k1"].matched_by == MatchedBy.KEY
    assert by_new["w1"].change == Change.RETITLED and by_new["w1"].fields == ("title",)
    assert by_new["w3-new"].matched_by == MatchedBy.TEXT and by_new["w3-new"].old.key == "w3"
    assert by_new["w4"].change == Change.CHANGED and by_new["w4"].fields == ("description",)
    assert by_new["w6"].change == Change.ADDED
    assert [e.old.key for e in result.of(Change.REMOVED)] == ["w2"]
    assert result.counts() == {
        Change.ADDED: 1,
        Change.REMOVED: 1,
        Change.RETITLED: 2,
        Change.CHANGED: 1,
        Change.UNCHANGED: 1,
    }


def test_a_code_unique_on_both_sides_matches_a_renamed_key() -> None:
    old = [Item("a", "competence", "Analyse", code="A.1")]
    new = [Item("a-renamed", "competence", "Analyseren", code="A.1")]
    (entry,) = diff(old, new).entries
    assert entry.matched_by == MatchedBy.CODE and entry.change == Change.RETITLED


def test_a_moved_element_is_changed_in_its_place_in_the_tree() -> None:
    old = [Item("p", "area", "P"), Item("q", "area", "Q"), Item("x", "competence", "X", parent_key="p")]
    new = [Item("p", "area", "P"), Item("q", "area", "Q"), Item("x", "competence", "X", parent_key="q")]
    entry = next(e for e in diff(old, new).entries if e.new and e.new.key == "x")
    assert entry.change == Change.CHANGED and entry.fields == ("parent",)


def test_mapping_proposal_relates_every_old_element() -> None:
    proposals = {p.old_key: p for p in propose(diff(OLD, NEW))}
    assert set(proposals) == {i.key for i in OLD}
    assert proposals["k1"].relation == Relation.EXACT and proposals["k1"].new_ref == 11
    assert proposals["w1"].relation == Relation.REPLACED
    assert proposals["w3"].relation == Relation.REPLACED and proposals["w3"].new_key == "w3-new"
    assert proposals["w4"].relation == Relation.REPLACED  # its description says something else now
    assert proposals["w2"].relation == Relation.NONE and proposals["w2"].new_key is None


def test_diff_of_two_large_versions_stays_fast() -> None:
    old = [
        Item(f"e{i}", "competence", f"Competence number {i} about topic {i % 97}", code=f"C{i}") for i in range(5000)
    ]
    new = [
        Item(f"e{i}", "competence", f"Competence number {i} about topic {i % 97}", code=f"C{i}") for i in range(4800)
    ]
    new += [Item(f"n{i}", "competence", f"Competence number {i} on a changed topic", code=f"N{i}") for i in range(200)]
    started = time.perf_counter()
    result = diff(old, new)
    assert result.counts()[Change.UNCHANGED] == 4800
    assert time.perf_counter() - started < 30  # a guard against quadratic blow-ups, not a benchmark
