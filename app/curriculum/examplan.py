"""The exam plan check: does the plan examine what the standard requires? A pure rule per kind of standard.

- mbo qualification dossier: every work process, and every core task of the profile (the basisdeel
  included), is examined by at least one summative instrument;
- Flemish professional qualification (BK): every competence;
- e-CF role profile: every profiled competence, by a summative instrument aimed at its target level or higher;
- any other standard: every element that has a required level."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.curriculum.coverage import ElementCoverage

NOT_EXAMINED = "not_examined"  # no summative instrument examines the element
CORE_TASK_NOT_EXAMINED = "core_task_not_examined"  # a core task has a work process no summative instrument examines
BELOW_TARGET = "below_target"  # examined, but at no instrument's level at or above the profile's target


@dataclass(frozen=True)
class GroupIn:
    key: str
    code: str | None
    title: str


@dataclass(frozen=True)
class Violation:
    rule: str
    key: str
    code: str | None
    title: str
    target_level: int | None = None
    missing: int = 0  # for a core task: how many of its work processes are not examined

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "element": self.key,
            "code": self.code,
            "target_level": self.target_level,
            "missing": self.missing,
        }


@dataclass
class ExamPlanCheck:
    rule: str  # which standard's rule applied: "mbo", "bk", "ecf" or "required"
    violations: list[Violation]
    examined: int
    total: int

    @property
    def complete(self) -> bool:
        return not self.violations and self.total > 0


def _summative_levels(cov: ElementCoverage) -> list[int | None]:
    return [m.target_level for m in cov.mentions if m.source.kind == "instrument" and m.source.summative]


def rule_for(framework_kind: str) -> str:
    return {
        "mbo_qualification_dossier": "mbo",
        "professional_qualification": "bk",
        "ecf_role_profile": "ecf",
    }.get(framework_kind, "required")


def _element_violation(rule: str, cov: ElementCoverage) -> Violation | None:
    el = cov.element
    levels = _summative_levels(cov)
    if not levels:
        return Violation(NOT_EXAMINED, el.key, el.code, el.title, el.required_level)
    target = el.required_level
    if rule == "ecf" and target is not None and not any(lv is not None and lv >= target for lv in levels):
        return Violation(BELOW_TARGET, el.key, el.code, el.title, target)
    return None


def check_exam_plan(
    framework_kind: str, coverage: Sequence[ElementCoverage], groups: Sequence[GroupIn] = ()
) -> ExamPlanCheck:
    """Every violation of the standard's rule, core tasks first (mbo), then elements in programme order."""
    rule = rule_for(framework_kind)
    element_violations = [v for v in (_element_violation(rule, cov) for cov in coverage) if v is not None]
    violations: list[Violation] = []
    if rule == "mbo":
        missing_by_group: dict[str, int] = {}
        failing = {v.key for v in element_violations}
        for cov in coverage:
            if cov.element.group_key is not None and cov.element.key in failing:
                missing_by_group[cov.element.group_key] = missing_by_group.get(cov.element.group_key, 0) + 1
        for group in groups:
            if missing_by_group.get(group.key):
                missing = missing_by_group[group.key]
                violations.append(Violation(CORE_TASK_NOT_EXAMINED, group.key, group.code, group.title, None, missing))
    violations.extend(element_violations)
    return ExamPlanCheck(rule, violations, len(coverage) - len(element_violations), len(coverage))
