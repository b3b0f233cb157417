"""The coverage flags and the exam plan check, as pure rules over plain data."""

from __future__ import annotations

from app.curriculum.coverage import (
    ASSESSED_BEFORE_INTRODUCED,
    ASSESSED_NEVER_PRACTISED,
    NOT_ASSESSED,
    OVER_ASSESSED,
    ElementIn,
    LinkIn,
    SourceIn,
    compute_coverage,
)
from app.curriculum.examplan import (
    BELOW_TARGET,
    CORE_TASK_NOT_EXAMINED,
    NOT_EXAMINED,
    GroupIn,
    check_exam_plan,
)

WP1 = ElementIn(1, "K1-W1", "K1-W1", "Work process one", "K1")
WP2 = ElementIn(2, "K1-W2", "K1-W2", "Work process two", "K1")
WP3 = ElementIn(3, "K2-W1", "K2-W1", "Work process three", "K2")
PERIOD1 = SourceIn(10, "unit", "Period 1", 0, mappable=False)
MODULE_A = SourceIn(11, "unit", "Module A", 0)
MODULE_B = SourceIn(12, "unit", "Module B", 1)
EMPTY = SourceIn(13, "unit", "Module without links", 1)
EXAM_EARLY = SourceIn(20, "instrument", "Early exam", 0, summative=True)
EXAM_LATE = SourceIn(21, "instrument", "Late exam", 1, summative=True)
FORMATIVE = SourceIn(22, "instrument", "Practice test", 1, summative=False)
SOURCES = [PERIOD1, MODULE_A, MODULE_B, EMPTY, EXAM_EARLY, EXAM_LATE, FORMATIVE]


def _coverage(links: list[LinkIn], threshold: int = 2, elements=(WP1, WP2, WP3)):
    return compute_coverage(list(elements), SOURCES, links, threshold)


def _flags(result, element_id: int) -> list[str]:
    return next(c.flags for c in result.elements if c.element.id == element_id)


def test_an_element_nothing_assesses_is_a_gap() -> None:
    result = _coverage([LinkIn("unit", 11, 1, "introduced"), LinkIn("unit", 12, 1, "practised")])
    assert _flags(result, 1) == [NOT_ASSESSED]
    assert _flags(result, 2) == [NOT_ASSESSED]


def test_assessed_but_never_practised_is_flagged() -> None:
    result = _coverage([LinkIn("unit", 11, 1, "introduced"), LinkIn("instrument", 21, 1, "assessed")])
    assert _flags(result, 1) == [ASSESSED_NEVER_PRACTISED]


def test_practised_then_assessed_is_clean_and_counted() -> None:
    result = _coverage(
        [
            LinkIn("unit", 11, 1, "introduced"),
            LinkIn("unit", 12, 1, "practised"),
            LinkIn("instrument", 21, 1, "assessed"),
        ]
    )
    cov = result.elements[0]
    assert (cov.introduced, cov.practised, cov.assessed, cov.summative, cov.flags) == (1, 1, 1, 1, [])


def test_assessed_in_an_earlier_period_than_introduced_is_flagged() -> None:
    result = _coverage([LinkIn("unit", 12, 1, "practised"), LinkIn("instrument", 20, 1, "assessed")])
    assert _flags(result, 1) == [ASSESSED_BEFORE_INTRODUCED]


def test_over_assessed_uses_the_schools_threshold_and_counts_only_summative_instruments() -> None:
    links = [
        LinkIn("unit", 11, 1, "practised"),
        LinkIn("instrument", 20, 1, "assessed"),
        LinkIn("instrument", 21, 1, "assessed"),
        LinkIn("instrument", 22, 1, "assessed"),  # formative: not counted
        LinkIn("unit", 12, 1, "assessed"),  # a unit's own assessment: not a summative exam
    ]
    assert OVER_ASSESSED not in _flags(_coverage(links, threshold=2), 1)
    assert OVER_ASSESSED in _flags(_coverage(links, threshold=1), 1)
    assert _coverage(links).elements[0].summative == 2


def test_a_module_without_links_is_an_orphan_but_a_period_is_not() -> None:
    result = _coverage([LinkIn("unit", 11, 1, "practised"), LinkIn("unit", 12, 2, "practised")])
    orphans = {s.id for s in result.orphans}
    assert EMPTY.id in orphans and PERIOD1.id not in orphans and MODULE_A.id not in orphans
    assert EXAM_EARLY.id in orphans  # an instrument that examines nothing


def test_links_to_elements_outside_the_programme_are_ignored_but_keep_the_unit_from_being_an_orphan() -> None:
    result = _coverage([LinkIn("unit", 13, 999, "practised")])
    assert EMPTY.id not in {s.id for s in result.orphans}
    assert all(c.introduced + c.practised + c.assessed == 0 for c in result.elements)


def test_mbo_plan_lists_core_task_and_work_process_violations() -> None:
    result = _coverage([LinkIn("instrument", 21, 1, "assessed"), LinkIn("instrument", 22, 2, "assessed")])
    groups = [GroupIn("K1", "K1", "Core task one"), GroupIn("K2", "K2", "Core task two")]
    check = check_exam_plan("mbo_qualification_dossier", result.elements, groups)
    assert not check.complete
    rules = [(v.rule, v.key) for v in check.violations]
    assert rules == [
        (CORE_TASK_NOT_EXAMINED, "K1"),
        (CORE_TASK_NOT_EXAMINED, "K2"),
        (NOT_EXAMINED, "K1-W2"),  # only a formative instrument
        (NOT_EXAMINED, "K2-W1"),
    ]
    assert check.violations[0].missing == 1
    assert (check.examined, check.total) == (1, 3)


def test_mbo_plan_is_complete_when_every_work_process_has_a_summative_instrument() -> None:
    links = [LinkIn("instrument", 21, e, "assessed") for e in (1, 2, 3)]
    check = check_exam_plan("mbo_qualification_dossier", _coverage(links).elements, [GroupIn("K1", "K1", "x")])
    assert check.complete and check.violations == []


def test_ecf_plan_needs_an_instrument_at_the_target_level() -> None:
    c1 = ElementIn(1, "A.1", "A.1", "Competence", "A", required_level=3)
    c2 = ElementIn(2, "B.1", "B.1", "Other", "B", required_level=2)
    links = [LinkIn("instrument", 21, 1, "assessed", target_level=2), LinkIn("instrument", 21, 2, "assessed", 3)]
    check = check_exam_plan("ecf_role_profile", _coverage(links, elements=(c1, c2)).elements)
    assert [(v.rule, v.key, v.target_level) for v in check.violations] == [(BELOW_TARGET, "A.1", 3)]


def test_bk_plan_needs_every_competence() -> None:
    c1, c2 = ElementIn(1, "C1", "C1", "One", "cl"), ElementIn(2, "C2", "C2", "Two", "cl")
    check = check_exam_plan(
        "professional_qualification", _coverage([LinkIn("instrument", 20, 1, "assessed")], elements=(c1, c2)).elements
    )
    assert check.rule == "bk" and [v.key for v in check.violations] == ["C2"]


def test_a_plan_with_nothing_to_examine_is_not_complete() -> None:
    assert not check_exam_plan("competent_job_sheet", []).complete
