"""From gap to development with the curriculum maps: each gap lists the units and exam instruments of adopted
curricula mapped onto its element; a draft curriculum lists nothing."""

from __future__ import annotations

from app.curriculum.models import Curriculum, CurriculumLink, CurriculumUnit, ExamInstrument
from app.extensions import db
from app.matching.development import build_plan
from app.matching.ranking import rank_profile
from tests.matching_world import build_match_world


def test_a_gap_lists_the_units_and_exam_instruments_of_adopted_curricula() -> None:
    w = build_match_world()
    s = db.session
    element_id = w.profile.requirements[0].element_id
    adopted = Curriculum(organisation_id=w.school.id, framework_id=w.cohort.framework_id, title="BK 2026",
                         cohort_year="2026", status="adopted")  # fmt: skip
    draft = Curriculum(organisation_id=w.school.id, framework_id=w.cohort.framework_id, title="BK concept",
                       cohort_year="2027", status="draft")  # fmt: skip
    s.add_all([adopted, draft])
    s.flush()
    for curriculum in (adopted, draft):
        unit = CurriculumUnit(curriculum_id=curriculum.id, kind="module", code="OE1", title="Klantcontact")
        exam = ExamInstrument(curriculum_id=curriculum.id, code="PVB1", title="Proeve servicedesk", kind="proeve")
        s.add_all([unit, exam])
        s.flush()
        s.add_all([
            CurriculumLink(curriculum_id=curriculum.id, unit_id=unit.id, element_id=element_id, intensity="practised"),
            CurriculumLink(curriculum_id=curriculum.id, instrument_id=exam.id, element_id=element_id,
                           intensity="assessed"),
        ])  # fmt: skip
    s.flush()
    ranking = rank_profile(s, w.profile, user_id=w.people["bob"].id)  # Bob: nothing known, every requirement a gap
    plan = build_plan(s, ranking, ranking.matches[0])
    line = next(p for p in plan.lines if p.line.need.element_id == element_id)
    assert line.units == ["OE1 Klantcontact (BK 2026, Match School)", "PVB1 Proeve servicedesk (BK 2026, Match School)"]


def test_a_school_the_candidate_does_not_attend_never_shows_its_curriculum_to_an_employer() -> None:
    from app.accounts import services as accounts
    from app.accounts.models import OrgKind
    from app.audit import Actor

    w = build_match_world()
    s = db.session
    element_id = w.profile.requirements[0].element_id
    elsewhere = accounts.create_organisation(s, Actor.system("tests"), name="Elsewhere College", kind=OrgKind.SCHOOL)
    foreign = Curriculum(organisation_id=elsewhere.id, framework_id=w.cohort.framework_id, title="Their plan",
                         cohort_year="2026", status="adopted")  # fmt: skip
    s.add(foreign)
    s.flush()
    unit = CurriculumUnit(curriculum_id=foreign.id, kind="module", code="X1", title="Secret module")
    s.add(unit)
    s.flush()
    s.add(CurriculumLink(curriculum_id=foreign.id, unit_id=unit.id, element_id=element_id, intensity="practised"))
    s.flush()
    ranking = rank_profile(s, w.profile, user_id=w.people["bob"].id)
    plan = build_plan(s, ranking, ranking.matches[0])
    assert all("Secret module" not in entry for p in plan.lines for entry in p.units)
