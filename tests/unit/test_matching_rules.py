"""The match rule (app.matching.match): statuses, fit, coverage, ranking and filters, without a database."""

from __future__ import annotations

import pytest

from app.matching.match import Evidence, Kind, Link, Need, Status, figures, judge_line, keep, match, rank

E3 = Need(1, "essential", level=3, level_code="e-3")
OPT = Need(2, "optional", level=2)


def ev(element_id: int, kind: Kind = Kind.JUDGEMENT, level: int | None = 3, passing: bool = True) -> Evidence:
    return Evidence(element_id, kind, level, passing=passing, ref=f"{kind}:{element_id}")


def test_judgement_at_or_above_the_level_is_verified() -> None:
    assert judge_line(E3, {1: [ev(1, level=3)]}).status == Status.VERIFIED
    assert judge_line(E3, {1: [ev(1, level=4)]}).status == Status.VERIFIED


def test_one_level_lower_is_verified_lower_with_its_gap() -> None:
    line = judge_line(E3, {1: [ev(1, level=2, passing=False)]})
    assert (line.status, line.gap, line.achieved, line.credit) == (Status.VERIFIED_LOWER, 1, 2, 0.5)
    assert judge_line(E3, {1: [ev(1, level=1)]}).credit == 0.0


def test_the_best_of_several_results_counts_and_a_certificate_verifies_too() -> None:
    line = judge_line(E3, {1: [ev(1, level=2), ev(1, Kind.CERTIFICATE, level=3)]})
    assert line.status == Status.VERIFIED and line.evidence is not None and line.evidence.kind == Kind.CERTIFICATE


def test_without_a_required_level_the_element_s_own_standard_decides() -> None:
    need = Need(1)
    assert judge_line(need, {1: [ev(1, level=2, passing=True)]}).status == Status.VERIFIED
    assert judge_line(need, {1: [ev(1, level=1, passing=False)]}).status == Status.VERIFIED_LOWER


def test_a_passing_result_on_a_crosswalked_element_counts_via_the_crosswalk_with_its_link() -> None:
    link = Link(9, ref="alignment:4", label="exact")
    line = judge_line(E3, {9: [ev(9, level=2, passing=True)]}, {1: [link]})
    assert (line.status, line.via, line.credit) == (Status.VIA_CROSSWALK, link, 0.5)
    assert judge_line(E3, {9: [ev(9, passing=False)]}, {1: [link]}).status == Status.MISSING


def test_a_claim_is_only_claimed_and_an_unknown_element_missing() -> None:
    assert judge_line(E3, {1: [ev(1, Kind.CLAIM, level=3)]}).status == Status.CLAIMED
    assert judge_line(E3, {}).status == Status.MISSING
    assert judge_line(E3, {1: [ev(1, Kind.CLAIM, level=None)]}).status == Status.CLAIMED


def test_fit_weighs_essentials_twice_and_coverage_counts_anything_known() -> None:
    m = match("a", "A", [E3, OPT], {1: [ev(1, level=3)], 2: [ev(2, Kind.CLAIM, level=2)]})
    assert m.fit == pytest.approx(2 / 3)
    assert m.coverage == 1.0
    m = match("b", "B", [E3, OPT], {2: [ev(2, level=2)]})
    assert m.fit == pytest.approx(1 / 3)
    assert m.coverage == 0.5


def test_a_person_without_verified_evidence_gets_no_fit_not_a_low_one() -> None:
    assert match("a", "A", [E3, OPT], {}).fit is None
    claims_only = match("a", "A", [E3, OPT], {1: [ev(1, Kind.CLAIM)]})
    assert claims_only.fit is None and claims_only.coverage == 0.5
    assert figures([]) == (None, None)


def test_ranking_puts_people_without_a_fit_last_then_coverage_then_name() -> None:
    needs = [E3, OPT]
    strong = match("s", "Zoë", needs, {1: [ev(1)], 2: [ev(2, level=2)]})
    weak = match("w", "Anna", needs, {2: [ev(2, level=2)]})
    unknown = match("u", "Bram", needs, {})
    claimed = match("c", "Cor", needs, {1: [ev(1, Kind.CLAIM)]})
    assert [m.candidate for m in rank([unknown, weak, claimed, strong])] == ["s", "w", "c", "u"]


def test_filters_keep_all_essentials_verified_and_one_level_gaps() -> None:
    needs = [E3, OPT]
    full = match("f", "F", needs, {1: [ev(1)], 2: [ev(2, level=2)]})
    near = match("n", "N", needs, {1: [ev(1, level=2)], 2: [ev(2, level=2)]})
    essentials = match("e", "E", needs, {1: [ev(1)]})
    far = match("x", "X", needs, {1: [ev(1, level=1)], 2: [ev(2, level=2)]})
    every = [full, near, essentials, far]
    assert [m.candidate for m in keep(every, essentials_verified=True)] == ["f", "e"]
    assert [m.candidate for m in keep(every, one_level_gaps=True)] == ["f", "n"]
    assert near.gaps[0].gap == 1 and full.gaps == []


def test_a_crosswalk_condition_asks_its_minimum_level_instead_of_the_result_s_own_standard() -> None:
    from app.matching.match import Evidence, Kind, Link, Need, Status, judge_line

    need = Need(1, "essential", None)
    conditioned = {1: [Link(2, "crosswalk-link:7", "close", min_level=3, links=(7,))]}
    passing_low = {2: [Evidence(2, Kind.JUDGEMENT, 2, "e-2", True, "assessment:1")]}
    high_not_passing = {2: [Evidence(2, Kind.JUDGEMENT, 3, "e-3", False, "assessment:1")]}
    claim = {2: [Evidence(2, Kind.CLAIM, 5, "e-5", False, "claim:1")]}
    assert judge_line(need, passing_low, conditioned).status == Status.MISSING
    line = judge_line(need, high_not_passing, conditioned)
    assert line.status == Status.VIA_CROSSWALK and line.via is not None and line.via.links == (7,)
    assert judge_line(need, claim, conditioned).status == Status.MISSING
