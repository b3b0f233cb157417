"""Assessment rules without HTTP: two assessors, hidden drafts, settling, signing, final is final,
corrections, lost updates, and the learner record's roll-ups for each kind of framework."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import OrgKind, Role
from app.assessment import services as a
from app.assessment.models import AssessmentStatus
from app.assessment.record import ACHIEVED, NOT_ASSESSED, NOT_YET, learner_record
from app.audit import Actor
from app.extensions import db
from app.portfolio import services as portfolio
from app.standards.models import Framework
from tests.factories import PASSWORD


@pytest.fixture
def school() -> dict[str, object]:
    actor = Actor.system("tests")
    s = db.session
    fw = {f.code: f for f in s.scalars(select(Framework))}
    org = accounts.create_organisation(s, actor, name="Horizon", kind=OrgKind.SCHOOL)

    def person(key: str):
        return accounts.create_user(s, actor, email=f"{key}@test.example", name=key.title(), password=PASSWORD)

    people = {k: person(k) for k in ["sanne", "anouk", "ruben", "karel"]}
    cohorts = {}
    for code, profile in [
        ("mbo-commercie", "P3"),
        ("ecf-profile-online-community-manager", None),
        ("bk-0331-4", None),
        ("competent-E110101", None),
    ]:
        cohort = accounts.create_cohort(
            s, actor, org, name=code, year="2026", framework_id=fw[code].id, profile_key=profile
        )
        accounts.add_to_cohort(s, actor, cohort, people["sanne"], Role.STUDENT)
        accounts.add_to_cohort(s, actor, cohort, people["anouk"], Role.ASSESSOR)
        accounts.add_to_cohort(s, actor, cohort, people["ruben"], Role.ASSESSOR)
        cohorts[code] = cohort
    s.flush()
    return {**people, **cohorts}


def as_(w, who: str) -> Actor:
    return Actor(user=w[who])


def exam(
    w, cohort: str = "mbo-commercie", scope=("B1-K1-W1", "B1-K1-W2"), kind="summative", assessors=("anouk", "ruben")
):
    return a.create_assessment(
        db.session,
        as_(w, "anouk"),
        w["sanne"],
        w[cohort],
        a.NewAssessment(kind=kind, scope_keys=list(scope), assessor_ids=[w[x].id for x in assessors]),
    )


def judge(w, assessment, who: str, key: str, level: int, **kw) -> object:
    return a.save_judgement(
        db.session, as_(w, who), assessment, a.JudgementInput(key, level, kw.pop("criteria", {}), **kw)
    )


def finish(w, assessment, levels: dict[str, int]) -> None:
    """Both assessors judge alike, submit and sign: the assessment is final."""
    for who in ("anouk", "ruben"):
        for key, level in levels.items():
            judge(w, assessment, who, key, level)
        a.submit(db.session, as_(w, who), assessment)
    for who in ("anouk", "ruben"):
        a.sign(db.session, as_(w, who), assessment, PASSWORD)


# --- who assesses --------------------------------------------------------------------------------


def test_an_mbo_exam_needs_two_assessors_and_formative_feedback_one(school) -> None:
    with pytest.raises(a.AssessmentError, match="needs 2 assessors; 1 chosen"):
        exam(school, assessors=("anouk",))
    assert exam(school).required_assessors == 2
    assert exam(school, kind="formative", assessors=("anouk",)).required_assessors == 1
    assert exam(school, cohort="bk-0331-4", scope=("competentie-1",), assessors=("anouk",)).required_assessors == 1


def test_the_rule_is_configurable_per_framework_kind(school, app, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "ASSESSORS_REQUIRED", {"professional_qualification": 2})
    with pytest.raises(a.AssessmentError, match="needs 2 assessors"):
        exam(school, cohort="bk-0331-4", scope=("competentie-1",), assessors=("anouk",))


def test_a_candidate_never_assesses_themselves_and_assessors_come_from_the_cohort(school) -> None:
    with pytest.raises(a.AssessmentError, match="cannot assess themselves"):
        exam(school, assessors=("anouk", "sanne"))
    with pytest.raises(a.AssessmentError, match="assessor of the cohort"):
        exam(school, assessors=("anouk", "karel"))


def test_scope_expands_a_core_task_and_refuses_what_is_not_judged(school) -> None:
    core_task = exam(school, scope=("P3-K2",))
    assert core_task.scope_keys == ["P3-K2-W1", "P3-K2-W2", "P3-K2-W3", "P3-K2-W4"]
    assert core_task.title == "Exam: P3-K2 Voert digitale operationele activiteiten uit"
    assert len(exam(school, scope=("*",)).scope_keys) == 17
    with pytest.raises(a.AssessmentError, match="not part of"):
        exam(school, scope=("P1-K1-W1x",))
    with pytest.raises(a.AssessmentError, match="nothing to judge"):
        exam(school, scope=("B1-K1-W1/behaviour-1",))


def test_the_default_title_is_composed_on_display_in_the_viewers_language(school, app, monkeypatch) -> None:
    core_task = exam(school, scope=("P3-K2",))
    assert core_task.typed_title == ""  # nothing in English is stored
    assert core_task.subject == "P3-K2 Voert digitale operationele activiteiten uit"
    import flask_babel

    monkeypatch.setattr(flask_babel, "gettext", lambda msgid, **params: "Examen: {subject}".format(**params))
    with app.test_request_context():
        assert core_task.title == "Examen: P3-K2 Voert digitale operationele activiteiten uit"
    typed = a.create_assessment(
        db.session,
        as_(school, "anouk"),
        school["sanne"],
        school["mbo-commercie"],
        a.NewAssessment(kind="summative", scope_keys=["P3-K2"], assessor_ids=[school["anouk"].id, school["ruben"].id],
                        title="  Proeve K2  "),
    )  # fmt: skip
    with app.test_request_context():
        assert typed.title == "Proeve K2"  # what the person typed, in any language


# --- judging, hidden drafts, settling, signing ---------------------------------------------------


def test_drafts_stay_hidden_until_both_submitted(school) -> None:
    x = exam(school)
    judge(school, x, "anouk", "B1-K1-W1", 2, rationale="Anouks notitie")
    judge(school, x, "ruben", "B1-K1-W1", 3, rationale="Rubens notitie")
    assert [j.rationale for j in a.visible_judgements(x, school["anouk"])] == ["Anouks notitie"]
    assert [j.rationale for j in a.visible_judgements(x, school["ruben"])] == ["Rubens notitie"]
    assert a.visible_judgements(x, school["sanne"]) == []
    judge(school, x, "anouk", "B1-K1-W2", 2)
    with pytest.raises(a.AssessmentError, match="overall judgement first for: B1-K1-W2"):
        a.submit(db.session, as_(school, "ruben"), x)
    a.submit(db.session, as_(school, "anouk"), x)
    assert x.status == AssessmentStatus.OPEN
    assert len(a.visible_judgements(x, school["anouk"])) == 2  # still only her own
    judge(school, x, "ruben", "B1-K1-W2", 2)
    a.submit(db.session, as_(school, "ruben"), x)
    assert x.status == AssessmentStatus.SETTLING
    assert len([j for j in a.visible_judgements(x, school["anouk"]) if j.assessor_id]) == 4
    assert a.visible_judgements(x, school["sanne"]) == []  # the candidate waits for the final result
    with pytest.raises(a.AssessmentError, match="judging is over"):
        judge(school, x, "anouk", "B1-K1-W1", 3)


def test_differences_are_settled_then_both_sign_with_their_password(school) -> None:
    x = exam(school)
    for who, first in (("anouk", 2), ("ruben", 3)):
        judge(school, x, who, "B1-K1-W1", first)
        judge(school, x, who, "B1-K1-W2", 2)
        a.submit(db.session, as_(school, who), x)
    assert len(a.differences(x)) == 1
    settled = {j.element.key: j for j in x.judgements if j.assessor_id is None}
    assert settled["B1-K1-W1"].level_id is None  # they differ: to be settled
    assert settled["B1-K1-W2"].level.label == "voldoende"  # they agree
    with pytest.raises(a.AssessmentError, match="1 elements still need an agreed judgement"):
        a.sign(db.session, as_(school, "anouk"), x, PASSWORD)
    a.settle(db.session, as_(school, "ruben"), x, a.JudgementInput("B1-K1-W1", 3, {}), note="Na overleg: goed.")
    with pytest.raises(a.AssessmentError, match="not your password"):
        a.sign(db.session, as_(school, "anouk"), x, "wrong password")
    assert a.sign(db.session, as_(school, "anouk"), x, PASSWORD) is False
    # A change after a signature withdraws it: both sign what they agree on.
    a.settle(db.session, as_(school, "anouk"), x, a.JudgementInput("B1-K1-W2", 3, {}), note="toch goed")
    assert all(entry.signed_at is None for entry in x.assessors)
    a.sign(db.session, as_(school, "anouk"), x, PASSWORD)
    assert a.sign(db.session, as_(school, "ruben"), x, PASSWORD) is True
    assert x.status == AssessmentStatus.FINAL and x.finalised_at is not None
    actions = [e.action for e in a.history(db.session, x)]
    assert actions[0] == "assessment.create" and actions[-1] == "assessment.final"
    assert actions.count("assessment.settle") == 2 and actions.count("assessment.sign") == 3
    settle_event = next(e for e in a.history(db.session, x) if e.action == "assessment.settle")
    assert settle_event.details["before"]["level"] is None and settle_event.details["after"]["level"] == "goed"


def test_final_is_immutable_and_a_correction_is_a_new_linked_version(school) -> None:
    x = exam(school)
    finish(school, x, {"B1-K1-W1": 1, "B1-K1-W2": 2})
    for attempt in (
        lambda: judge(school, x, "anouk", "B1-K1-W1", 3),
        lambda: a.settle(db.session, as_(school, "anouk"), x, a.JudgementInput("B1-K1-W1", 3, {})),
        lambda: a.sign(db.session, as_(school, "anouk"), x, PASSWORD),
        lambda: a.submit(db.session, as_(school, "anouk"), x),
    ):
        with pytest.raises(a.AssessmentError):
            attempt()
    record = learner_record(db.session, school["sanne"], school["mbo-commercie"])
    by_key = {o.node.key: o for o in record.outcomes}
    assert by_key["B1-K1-W1"].status == NOT_YET
    with pytest.raises(a.AssessmentError, match="say why"):
        a.correct(db.session, as_(school, "anouk"), x, " ")
    fix = a.correct(db.session, as_(school, "anouk"), x, "Rekenfout in de beoordeling van W1")
    assert (fix.supersedes_id, fix.status, fix.scope_keys) == (x.id, AssessmentStatus.OPEN, x.scope_keys)
    with pytest.raises(a.AssessmentError, match="already has a correction"):
        a.correct(db.session, as_(school, "ruben"), x, "nog eens")
    # The old result counts until the correction is final; then both stay in the history.
    assert learner_record(db.session, school["sanne"], school["mbo-commercie"]).outcomes[0].status == NOT_YET
    for who in ("anouk", "ruben"):
        judge(school, fix, who, "B1-K1-W1", 2, expected_version=None)
        a.submit(db.session, as_(school, who), fix)
    for who in ("anouk", "ruben"):
        a.sign(db.session, as_(school, who), fix, PASSWORD)
    assert x.superseded_at is not None
    w1 = {o.node.key: o for o in learner_record(db.session, school["sanne"], school["mbo-commercie"]).outcomes}[
        "B1-K1-W1"
    ]
    assert w1.status == ACHIEVED
    assert [(lv.label, superseded) for _, lv, _, superseded in w1.history] == [
        ("onvoldoende", True),
        ("voldoende", False),
    ]


def test_a_stale_save_is_refused_as_a_conflict_not_a_silent_overwrite(school) -> None:
    x = exam(school)
    first = judge(school, x, "anouk", "B1-K1-W1", 2, rationale="versie 1")
    opened_at = first.version
    judge(school, x, "anouk", "B1-K1-W1", 3, rationale="in een ander tabblad", expected_version=opened_at)
    with pytest.raises(a.Conflict, match="changed elsewhere"):
        judge(school, x, "anouk", "B1-K1-W1", 1, rationale="oude pagina", expected_version=opened_at)
    assert first.rationale == "in een ander tabblad"


def test_criteria_must_be_the_elements_own_lines_on_its_scale(school) -> None:
    x = exam(school)
    ok = judge(school, x, "anouk", "B1-K1-W1", 2, criteria={"B1-K1-W1/behaviour-1": 3, "B1-K1-W1/behaviour-6": 1})
    assert ok.criteria == {"B1-K1-W1/behaviour-1": 3, "B1-K1-W1/behaviour-6": 1}
    with pytest.raises(a.AssessmentError, match="not a criterion"):
        judge(school, x, "anouk", "B1-K1-W1", 2, criteria={"B1-K1-W2/behaviour-1": 2})
    with pytest.raises(a.AssessmentError, match="9 is not a level"):
        judge(school, x, "anouk", "B1-K1-W1", 2, criteria={"B1-K1-W1/behaviour-1": 9})
    with pytest.raises(a.AssessmentError, match="only the assessors"):
        judge(school, x, "karel", "B1-K1-W1", 2)


def test_a_judgement_cites_the_candidates_claims_and_final_freezes_that_evidence(school) -> None:
    me = as_(school, "sanne")
    item = portfolio.create_item(db.session, me, school["sanne"], portfolio.ItemData(title="Marktanalyse"))
    claim = portfolio.add_claim(db.session, me, item, school["mbo-commercie"], "B1-K1-W1", 2, "")
    x = exam(school)
    for who in ("anouk", "ruben"):
        judge(school, x, who, "B1-K1-W1", 2, claim_ids=[claim.id])
        judge(school, x, who, "B1-K1-W2", 2)
        a.submit(db.session, as_(school, who), x)
    with pytest.raises(a.AssessmentError, match="own evidence"):
        a.settle(db.session, as_(school, "anouk"), x, a.JudgementInput("B1-K1-W1", 2, {}, claim_ids=[claim.id + 999]))
    for who in ("anouk", "ruben"):
        a.sign(db.session, as_(school, who), x, PASSWORD)
    assert item.frozen_at is not None and claim.judged_version == 1


# --- the learner record --------------------------------------------------------------------------


def test_mbo_core_task_passes_when_every_work_process_is_at_least_voldoende(school) -> None:
    x = exam(school, scope=("B1-K2",))
    finish(school, x, {"B1-K2-W1": 2, "B1-K2-W2": 3, "B1-K2-W3": 1})
    record = learner_record(db.session, school["sanne"], school["mbo-commercie"])
    groups = {g.node.key: g for g in record.groups}
    assert (groups["B1-K2"].status, groups["B1-K2"].achieved) == (NOT_YET, 2)
    assert groups["B1-K1"].status == NOT_ASSESSED
    y = exam(school, scope=("B1-K2-W3",))
    finish(school, y, {"B1-K2-W3": 2})
    record = learner_record(db.session, school["sanne"], school["mbo-commercie"])
    assert {g.node.key: g for g in record.groups}["B1-K2"].status == ACHIEVED
    assert not record.complete and len(record.missing) == 14


def test_ecf_gap_between_target_and_achieved_level_is_explicit(school) -> None:
    x = exam(
        school,
        cohort="ecf-profile-online-community-manager",
        scope=("B.3", "C.1"),
        kind="formative",
        assessors=("anouk",),
    )
    for key, level in {"B.3": 2, "C.1": 5}.items():
        judge(school, x, "anouk", key, level)
    a.submit(db.session, as_(school, "anouk"), x)
    a.sign(db.session, as_(school, "anouk"), x, PASSWORD)
    record = learner_record(db.session, school["sanne"], school["ecf-profile-online-community-manager"])
    by_key = {o.node.key: o for o in record.outcomes}
    b3 = by_key["B.3"]
    assert (b3.target.code, b3.level.code, b3.gap, b3.status) == ("e-3", "e-2", 1, NOT_YET)
    assert (by_key["C.1"].gap, by_key["C.1"].status) == (0, ACHIEVED)
    assert len(record.outcomes) == 18


@pytest.mark.parametrize(
    ("cohort", "key", "passing", "below"),
    [("bk-0331-4", "competentie-1", 3, 2), ("competent-E110101", "basis-1", 3, 2)],
)
def test_flemish_mastery_needs_beheerst(school, cohort, key, passing, below) -> None:
    x = exam(school, cohort=cohort, scope=(key,), assessors=("anouk",))
    judge(
        school, x, "anouk", key, below, criteria={f"{key}/{'activity' if cohort == 'bk-0331-4' else 'behaviour'}-1": 3}
    )
    a.submit(db.session, as_(school, "anouk"), x)
    a.sign(db.session, as_(school, "anouk"), x, PASSWORD)
    outcome = {o.node.key: o for o in learner_record(db.session, school["sanne"], school[cohort]).outcomes}[key]
    assert (outcome.level.label, outcome.status) == ("gedeeltelijk beheerst", NOT_YET)
    y = exam(school, cohort=cohort, scope=(key,), assessors=("anouk",))
    judge(school, y, "anouk", key, passing)
    a.submit(db.session, as_(school, "anouk"), y)
    a.sign(db.session, as_(school, "anouk"), y, PASSWORD)
    outcome = {o.node.key: o for o in learner_record(db.session, school["sanne"], school[cohort]).outcomes}[key]
    assert (outcome.level.label, outcome.status) == ("beheerst", ACHIEVED)


def test_two_finalisations_at_once_yield_one_result(school, app) -> None:
    """Both sessions read the assessment at lock version N; the first to write wins, the second is refused."""
    from sqlalchemy.orm import Session
    from sqlalchemy.orm.exc import StaleDataError

    from app.assessment.models import Assessment

    x = exam(school, kind="formative", assessors=("anouk",), scope=("B1-K1-W1",))
    db.session.commit()
    connection = db.session.connection()
    first, second = Session(bind=connection), Session(bind=connection)
    mine, theirs = first.get(Assessment, x.id), second.get(Assessment, x.id)
    mine.context = "first"
    first.flush()
    theirs.context = "second"
    with pytest.raises(StaleDataError):
        second.flush()
    second.rollback()
    first.close()
    second.close()
