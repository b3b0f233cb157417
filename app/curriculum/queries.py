"""Read curricula: the list an organisation sees, and one plan whole (units, instruments, links and the
standard's tree) in a fixed number of queries, whatever the number of units."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from app.curriculum.coverage import CoverageResult, ElementIn, LinkIn, SourceIn, compute_coverage
from app.curriculum.examplan import ExamPlanCheck, GroupIn, check_exam_plan
from app.curriculum.models import (
    CohortCurriculum,
    Curriculum,
    CurriculumFramework,
    CurriculumLink,
    CurriculumUnit,
    ExamInstrument,
    UnitKind,
)
from app.portfolio.programme import programme_roots
from app.standards.models import Framework
from app.standards.queries import Audience, Node, Tree, load_tree
from app.standards.versions import current_ids

TIMED = (UnitKind.PERIOD, UnitKind.YEAR)


@dataclass
class UnitRow:
    unit: CurriculumUnit
    depth: int
    period: int | None  # index of its period (or year) in programme order
    period_label: str | None


@dataclass
class Plan:
    """One curriculum mapped onto one of its standards."""

    curriculum: Curriculum
    framework: Framework
    tree: Tree
    elements: list[Node]  # the mappable elements of the programme, in programme order
    groups: list[Node]  # their parents (core tasks, clusters, areas), in order
    units: list[UnitRow]
    instruments: list[ExamInstrument]
    links: list[CurriculumLink]
    periods: list[CurriculumUnit] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.unit_by_id = {row.unit.id: row for row in self.units}
        self.element_by_id = {n.element.id: n for n in self.elements}
        self.element_by_key = {n.key: n for n in self.elements}

    @property
    def mappable_units(self) -> list[UnitRow]:
        return [row for row in self.units if row.unit.kind not in TIMED]

    def period_of(self, instrument: ExamInstrument) -> int | None:
        row = self.unit_by_id.get(instrument.period_id) if instrument.period_id else None
        return row.period if row else None

    def link_map(self) -> dict[tuple[str, int, int], CurriculumLink]:
        """(source kind, source id, element id) → link, for the grid."""
        out = {}
        for link in self.links:
            if link.unit_id is not None:
                out[("unit", link.unit_id, link.element_id)] = link
            elif link.instrument_id is not None:
                out[("instrument", link.instrument_id, link.element_id)] = link
        return out


def curricula_of(organisation_id: int) -> Select[Curriculum]:
    return (
        select(Curriculum)
        .where(Curriculum.organisation_id == organisation_id)
        .options(selectinload(Curriculum.framework))
        .order_by(Curriculum.cohort_year.desc(), Curriculum.title, Curriculum.version.desc())
    )


def mappable_nodes(tree: Tree, profile_key: str | None) -> list[Node]:
    """What a programme maps onto: the elements the standard sets a required level for (mbo work processes,
    BK and e-CF competences, Competent activities), or its leaves when it sets none."""
    roots = programme_roots(tree, profile_key)
    walked = [n for root in roots for n in (root, *root.descendants()) if n.element.retired_at is None]
    required = [n for n in walked if n.required is not None]
    return required or [n for n in walked if not n.children]


def _ordered_units(units: list[CurriculumUnit]) -> tuple[list[UnitRow], list[CurriculumUnit]]:
    children: dict[int | None, list[CurriculumUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    for siblings in children.values():
        siblings.sort(key=lambda u: (u.position, u.id))
    rows: list[UnitRow] = []
    periods: list[CurriculumUnit] = []
    stack: list[tuple[CurriculumUnit, int, int | None, str | None]] = [
        (u, 0, None, None) for u in reversed(children.get(None, []))
    ]
    while stack:
        unit, depth, period, label = stack.pop()
        has_period_children = any(c.kind == UnitKind.PERIOD for c in children.get(unit.id, []))
        if unit.kind == UnitKind.PERIOD or (unit.kind == UnitKind.YEAR and not has_period_children):
            periods.append(unit)
            period, label = len(periods) - 1, unit.label
        rows.append(UnitRow(unit, depth, period, label))
        stack.extend((c, depth + 1, period, label) for c in reversed(children.get(unit.id, [])))
    return rows, periods


def load_plan(session: Session, curriculum: Curriculum, framework: Framework | None = None) -> Plan:
    """The curriculum on its main standard (or on ``framework``, one of its further standards)."""
    framework = framework or curriculum.framework
    profile_key = curriculum.profile_key
    if framework.id != curriculum.framework_id:
        further = next((f for f in curriculum.further if f.framework_id == framework.id), None)
        profile_key = further.profile_key if further else None
    tree = load_tree(session, framework)
    elements = mappable_nodes(tree, profile_key)
    groups = list({id(n.parent): n.parent for n in elements if n.parent is not None}.values())
    units = session.scalars(select(CurriculumUnit).where(CurriculumUnit.curriculum_id == curriculum.id)).all()
    rows, periods = _ordered_units(list(units))
    instruments = session.scalars(
        select(ExamInstrument)
        .where(ExamInstrument.curriculum_id == curriculum.id)
        .order_by(ExamInstrument.position, ExamInstrument.id)
    ).all()
    ids = {n.element.id for n in elements}
    links = [
        link
        for link in session.scalars(select(CurriculumLink).where(CurriculumLink.curriculum_id == curriculum.id))
        if link.element_id in ids
    ]
    return Plan(curriculum, framework, tree, elements, groups, rows, list(instruments), links, periods)


def _required_value(node: Node) -> int | None:
    return node.required.value if node.required is not None else None


def coverage_inputs(plan: Plan) -> tuple[list[ElementIn], list[SourceIn], list[LinkIn]]:
    elements = [
        ElementIn(
            n.element.id,
            n.key,
            n.element.code,
            n.element.title,
            n.parent.key if n.parent is not None else None,
            _required_value(n) if plan.framework.kind == "ecf_role_profile" else None,
        )
        for n in plan.elements
    ]
    sources = [
        SourceIn(r.unit.id, "unit", r.unit.label, r.period, mappable=r.unit.kind not in TIMED) for r in plan.units
    ] + [SourceIn(i.id, "instrument", i.label, plan.period_of(i), summative=i.summative) for i in plan.instruments]
    links = [
        LinkIn(
            "unit" if link.unit_id is not None else "instrument",
            link.unit_id if link.unit_id is not None else link.instrument_id or 0,
            link.element_id,
            link.intensity,
            link.target_level,
        )
        for link in plan.links
    ]
    return elements, sources, links


def plan_coverage(plan: Plan) -> tuple[CoverageResult, ExamPlanCheck]:
    elements, sources, links = coverage_inputs(plan)
    result = compute_coverage(elements, sources, links, plan.curriculum.over_assessed_threshold)
    groups = [GroupIn(g.key, g.element.code, g.element.title) for g in plan.groups]
    return result, check_exam_plan(plan.framework.kind, result.elements, groups)


def curriculum_of_cohort(session: Session, cohort_id: int) -> Curriculum | None:
    return session.scalar(
        select(Curriculum)
        .join(CohortCurriculum, CohortCurriculum.curriculum_id == Curriculum.id)
        .where(CohortCurriculum.cohort_id == cohort_id)
    )


def further_frameworks(session: Session, curriculum: Curriculum) -> list[Framework]:
    return list(
        session.scalars(
            select(Framework)
            .join(CurriculumFramework, CurriculumFramework.framework_id == Framework.id)
            .where(CurriculumFramework.curriculum_id == curriculum.id)
            .order_by(Framework.code)
        )
    )


def link_counts(session: Session, curriculum_ids: list[int]) -> dict[int, int]:
    rows = session.execute(
        select(CurriculumLink.curriculum_id, func.count())
        .where(CurriculumLink.curriculum_id.in_(curriculum_ids))
        .group_by(CurriculumLink.curriculum_id)
    )
    return {cid: n for cid, n in rows}


def further_choices(session: Session, organisation_id: int | None) -> list[tuple[str, str]]:
    """Further standards a school's programme may be mapped onto: the current version of each standard it sees."""
    audience = Audience.of_owner(organisation_id)
    current = list(current_ids(session).values())
    rows = session.execute(
        select(Framework.code, Framework.title)
        .where(Framework.id.in_(current), audience.filter())
        .order_by(Framework.title)
    )
    return [(code, title) for code, title in rows]
