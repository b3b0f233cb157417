"""Demonstration curricula for ROC Horizon: the E-commerce specialist programme for cohort 2026 on mbo P3,
with one deliberate gap (P3-K1-W5 is examined nowhere) and one over-assessed work process (B1-K2-W3 has
three summative exams, the threshold is two), so the first look shows what the pages are for; and a small
BK-0331-4 programme for cohort 4B."""

from __future__ import annotations

from app.accounts.models import Cohort, Organisation
from app.audit import Actor
from app.curriculum import plans, units
from app.curriculum.mapping import Cell, set_cells
from app.curriculum.models import Curriculum
from app.curriculum.queries import load_plan
from app.extensions import db

# period, code, title, hours, {element key: I/P/A}
P3_MODULES = [
    (0, "M01", "Oriëntatie op commercie", 80, {"B1-K1-W1": "I", "B1-K1-W2": "I", "B1-K2-W1": "I"}),
    (0, "M02", "Marketing en communicatie", 80, {"B1-K2-W2": "I", "B1-K2-W3": "I", "B1-K1-W4": "I"}),
    (0, "M03", "Online kanalen", 60, {"P3-K1-W1": "I", "P3-K2-W2": "I"}),
    (1, "M04", "Marktonderzoek", 80, {"B1-K1-W1": "P", "B1-K1-W2": "P", "B1-K1-W3": "I"}),
    (1, "M05", "Content maken", 80, {"P3-K2-W2": "P", "P3-K2-W3": "I"}),
    (1, "M06", "Webcare", 60, {"B1-K2-W3": "P", "B1-K2-W1": "P", "P3-K2-W4": "I"}),
    (2, "M07", "Data en analytics", 80, {"P3-K1-W2": "P", "P3-K1-W3": "I"}),
    (2, "M08", "Conversie optimaliseren", 80, {"P3-K1-W3": "P", "P3-K1-W4": "P", "P3-K1-W1": "P"}),
    (2, "M09", "Projectmatig werken", 60, {"P3-K2-W1": "P", "B1-K1-W5": "I"}),
    (3, "M10", "Commercieel advies", 80, {"B1-K1-W4": "P", "B1-K1-W5": "P", "B1-K1-W3": "P", "B1-K2-W2": "P"}),
    (3, "M11", "Beroepspraktijkvorming", 400, {"P3-K2-W3": "P", "P3-K2-W4": "P", "P3-K2-W1": "P", "P3-K2-W2": "P"}),
    (3, "M12", "Netwerken en loopbaan", 40, {"P3-K1-W5": "I"}),
]
# period, code, title, kind, assessors, summative, elements
P3_EXAMS = [
    (1, "E1", "Kennistoets marketing en webcare", "knowledge_test", 1, True, ["B1-K2-W2", "B1-K2-W3"]),
    (1, "E2", "Praktijkexamen webcare", "practical", 2, True, ["B1-K2-W1", "B1-K2-W3"]),
    (2, "E3", "Oefenexamen data en conversie", "interview", 1, False, ["P3-K1-W2", "P3-K1-W3"]),
    (3, "E4", "Proeve van bekwaamheid B1-K1", "proeve", 2, True, [f"B1-K1-W{i}" for i in range(1, 6)]),
    (3, "E5", "Proeve van bekwaamheid B1-K2", "proeve", 2, True, ["B1-K2-W1", "B1-K2-W2", "B1-K2-W3"]),
    (3, "E6", "Proeve van bekwaamheid P3-K1", "proeve", 2, True, [f"P3-K1-W{i}" for i in range(1, 5)]),
    (3, "E7", "Proeve van bekwaamheid P3-K2", "proeve", 2, True, [f"P3-K2-W{i}" for i in range(1, 5)]),
]
CODES = {"I": "introduced", "P": "practised", "A": "assessed"}
CESUUR = "Elk werkproces minimaal voldoende; bij twee beoordelaars een gezamenlijk eindoordeel."


def _periods(actor: Actor, curriculum: Curriculum, years: list[tuple[str, list[str]]]) -> list[int]:
    out = []
    for year, periods in years:
        parent = units.add_unit(db.session, actor, curriculum, units.UnitInput("year", year))
        for title in periods:
            out.append(
                units.add_unit(db.session, actor, curriculum, units.UnitInput("period", title, parent_id=parent.id)).id
            )
    return out


def _p3(actor: Actor, school: Organisation, cohort: Cohort) -> Curriculum:
    data = plans.NewCurriculum("E-commerce specialist", "2026", "mbo-commercie", "P3", ("ecf-2.0",), 2)
    curriculum = plans.create_curriculum(db.session, actor, school, data)
    periods = _periods(
        actor, curriculum, [("Leerjaar 1", ["Periode 1", "Periode 2"]), ("Leerjaar 2", ["Periode 3", "Periode 4"])]
    )
    cells: list[tuple[str, int, str, str]] = []
    for period, code, title, hours, links in P3_MODULES:
        unit = units.add_unit(
            db.session, actor, curriculum, units.UnitInput("module", title, code, periods[period], hours, hours // 28)
        )
        cells += [("unit", unit.id, key, CODES[value]) for key, value in links.items()]
    for period, code, title, kind, assessors, summative, keys in P3_EXAMS:
        instrument = units.add_instrument(
            db.session,
            actor,
            curriculum,
            units.InstrumentInput(
                title, kind, code, periods[period], "onvoldoende/voldoende/goed", CESUUR, assessors, summative
            ),
        )
        cells += [("instrument", instrument.id, key, "assessed") for key in keys]
    _map(actor, curriculum, cells)
    plans.follow(db.session, actor, curriculum, cohort)
    return curriculum


def _bk(actor: Actor, school: Organisation, cohort: Cohort) -> Curriculum:
    data = plans.NewCurriculum("Digitale gebruikersondersteuning", "2026", "bk-0331-4", None, (), 2)
    curriculum = plans.create_curriculum(db.session, actor, school, data)
    periods = _periods(actor, curriculum, [("Schooljaar 2026-2027", ["Semester 1", "Semester 2"])])
    first = units.add_unit(
        db.session, actor, curriculum, units.UnitInput("module", "Klantgericht ondersteunen", "OE1", periods[0], 240)
    )
    second = units.add_unit(
        db.session, actor, curriculum, units.UnitInput("module", "Systemen en gegevens", "OE2", periods[1], 240)
    )
    exam = units.add_instrument(
        db.session,
        actor,
        curriculum,
        units.InstrumentInput("Praktijkproef helpdesk", "practical", "PP", periods[1], "", CESUUR, 2),
    )
    cells = [("unit", first.id, f"competentie-{i}", "practised") for i in range(1, 10)]
    cells += [("unit", second.id, f"competentie-{i}", "practised") for i in range(10, 18)]
    cells += [("instrument", exam.id, f"competentie-{i}", "assessed") for i in range(1, 18)]
    _map(actor, curriculum, cells)
    plans.follow(db.session, actor, curriculum, cohort)
    return curriculum


def _map(actor: Actor, curriculum: Curriculum, cells: list[tuple[str, int, str, str]]) -> None:
    db.session.expire(curriculum)
    plan = load_plan(db.session, curriculum)
    set_cells(
        db.session,
        actor,
        plan,
        [Cell(kind, sid, plan.element_by_key[key].element.id, value) for kind, sid, key, value in cells],
    )


def create_demo_curricula(actor: Actor, school: Organisation, p3: Cohort, bk: Cohort) -> None:
    _p3(actor, school, p3)
    _bk(actor, school, bk)
