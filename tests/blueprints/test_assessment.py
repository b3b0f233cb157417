"""Assessments over HTTP: two assessors judge independently, settle and sign; conflicts; the matrix,
the queue and the progress page with bounded queries."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import Cohort, OrgKind, Role, User
from app.assessment import services as a
from app.assessment.models import Assessment, AssessmentStatus
from app.audit import Actor
from app.extensions import db
from app.standards.models import Framework
from tests.blueprints.test_accounts import sign_in
from tests.conftest import csrf_token
from tests.factories import PASSWORD


@pytest.fixture
def school(app) -> dict[str, int]:
    with app.app_context():
        actor = Actor.system("tests")
        s = db.session
        fw = {f.code: f for f in s.scalars(select(Framework))}
        org = accounts.create_organisation(s, actor, name="Horizon", kind=OrgKind.SCHOOL)
        people = {
            k: accounts.create_user(s, actor, email=f"{k}@test.example", name=k.title(), password=PASSWORD)
            for k in ["sanne", "daan", "anouk", "ruben"]
        }
        p3 = accounts.create_cohort(
            s, actor, org, name="4A", year="2026", framework_id=fw["mbo-commercie"].id, profile_key="P3"
        )
        ecf = accounts.create_cohort(
            s,
            actor,
            org,
            name="OCM",
            year="2026",
            framework_id=fw["ecf-profile-online-community-manager"].id,
            profile_key=None,
        )
        for cohort in (p3, ecf):
            for student in ("sanne", "daan"):
                accounts.add_to_cohort(s, actor, cohort, people[student], Role.STUDENT)
            for assessor in ("anouk", "ruben"):
                accounts.add_to_cohort(s, actor, cohort, people[assessor], Role.ASSESSOR)
        s.commit()
        ids = {k: u.id for k, u in people.items()} | {"p3": p3.id, "ecf": ecf.id}
        db.session.remove()
    return ids


def post(client, url: str, data: dict | None = None, page: str = "/assess/", **kw):
    return client.post(url, data={"csrf_token": csrf_token(client, page), **(data or {})}, **kw)


def as_user(client, who: str) -> None:
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    sign_in(client, f"{who}@test.example")


def start(client, school, scope: list[str], cohort: str = "p3", students=("sanne",)) -> int:
    response = post(
        client,
        f"/assess/cohorts/{school[cohort]}/start",
        {
            "students": [str(school[s]) for s in students],
            "scope": scope,
            "kind": "summative",
            "assessors": [str(school["anouk"]), str(school["ruben"])],
            "held_on": "2026-11-20",
        },
        page=f"/assess/cohorts/{school[cohort]}",
    )
    assert response.status_code == 302
    return int(re.search(r"/assess/(\d+)", response.headers["Location"]).group(1))


def version_of(html: str, key: str) -> str:
    form = html[html.index(f'id="el-{key}"') :]
    return re.search(r'name="version" value="([^"]*)"', form).group(1)


def test_two_assessors_judge_independently_settle_and_sign(client, school, app) -> None:
    sign_in(client, "anouk@test.example")
    x = start(client, school, ["B1-K1-W1", "B1-K1-W2"])
    page = f"/assess/{x}"
    html = client.get(page).get_data(as_text=True)
    assert "gaat proactief op zoek naar relevante informatie;" in html  # criteria beside the form
    post(
        client,
        f"{page}/judge/B1-K1-W1",
        {"level": "2", "rationale": "Anouk: voldoende", "version": "", "c:B1-K1-W1/behaviour-1": "2"},
        page=page,
    )
    post(client, f"{page}/judge/B1-K1-W2", {"level": "2", "version": ""}, page=page)
    post(client, f"{page}/submit", page=page)

    as_user(client, "ruben")
    html = client.get(page).get_data(as_text=True)
    assert "Anouk: voldoende" not in html  # hidden until both submitted
    post(client, f"{page}/judge/B1-K1-W1", {"level": "3", "rationale": "Ruben: goed", "version": ""}, page=page)
    post(client, f"{page}/judge/B1-K1-W2", {"level": "2", "version": ""}, page=page)
    done = post(client, f"{page}/submit", page=page, follow_redirects=True).get_data(as_text=True)
    assert "Every assessor has submitted" in done
    assert "Anouk: voldoende" in done and "Ruben: goed" in done
    assert "1 difference" in done

    settle_version = version_of(done, "B1-K1-W1")
    post(client, f"{page}/settle/B1-K1-W1", {"level": "3", "note": "Samen: goed", "version": settle_version}, page=page)
    wrong = post(client, f"{page}/sign", {"password": "nope"}, page=page, follow_redirects=True)
    assert "that is not your password" in wrong.get_data(as_text=True)
    post(client, f"{page}/sign", {"password": PASSWORD}, page=page)
    as_user(client, "anouk")
    final = post(client, f"{page}/sign", {"password": PASSWORD}, page=page, follow_redirects=True)
    assert "The assessment is final" in final.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Assessment, x).status == AssessmentStatus.FINAL

    as_user(client, "sanne")
    progress = client.get(f"/progress/students/{school['sanne']}/programmes/{school['p3']}").get_data(as_text=True)
    assert "2</strong>/ 17" in progress
    assert client.get(page).status_code == 200  # the candidate reads the final result
    assert client.post(f"{page}/sign", data={"csrf_token": csrf_token(client, page)}).status_code == 403


def test_a_stale_form_gets_a_conflict_message_and_overwrites_nothing(client, school, app) -> None:
    sign_in(client, "anouk@test.example")
    x = start(client, school, ["B1-K1-W1"])
    page = f"/assess/{x}"
    post(client, f"{page}/judge/B1-K1-W1", {"level": "2", "rationale": "eerste", "version": ""}, page=page)
    opened = version_of(client.get(page).get_data(as_text=True), "B1-K1-W1")
    post(client, f"{page}/judge/B1-K1-W1", {"level": "3", "rationale": "tabblad A", "version": opened}, page=page)
    stale = post(
        client,
        f"{page}/judge/B1-K1-W1",
        {"level": "1", "rationale": "tabblad B", "version": opened},
        page=page,
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "was changed elsewhere" in stale
    assert "tabblad A" in stale and "tabblad B" not in stale


def test_bad_start_input_names_the_problem_and_creates_nothing(client, school, app) -> None:
    sign_in(client, "anouk@test.example")
    response = post(
        client,
        f"/assess/cohorts/{school['p3']}/start",
        {
            "students": [str(school["sanne"]), str(school["daan"])],
            "scope": ["B1-K1"],
            "kind": "summative",
            "assessors": [str(school["anouk"])],
        },
        page=f"/assess/cohorts/{school['p3']}",
        follow_redirects=True,
    )
    assert "needs 2 assessors; 1 chosen" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Assessment.id)) is None


def test_starting_for_many_students_at_once(client, school, app) -> None:
    sign_in(client, "anouk@test.example")
    response = post(
        client,
        f"/assess/cohorts/{school['p3']}/start",
        {
            "students": [str(school["sanne"]), str(school["daan"])],
            "scope": ["P3-K1"],
            "kind": "summative",
            "assessors": [str(school["anouk"]), str(school["ruben"])],
        },
        page=f"/assess/cohorts/{school['p3']}",
        follow_redirects=True,
    )
    assert "2 assessments started." in response.get_data(as_text=True)
    with app.app_context():
        scopes = db.session.scalars(select(Assessment.scope_keys)).all()
        assert scopes == [[f"P3-K1-W{i}" for i in range(1, 6)]] * 2


def test_ecf_progress_shows_the_gap_and_an_svg_chart(client, school, app) -> None:
    with app.app_context():
        sanne, cohort = db.session.get(User, school["sanne"]), db.session.get(Cohort, school["ecf"])
        anouk = db.session.get(User, school["anouk"])
        x = a.create_assessment(
            db.session,
            Actor(user=anouk),
            sanne,
            cohort,
            a.NewAssessment(kind="formative", scope_keys=["B.3"], assessor_ids=[anouk.id]),
        )
        a.save_judgement(db.session, Actor(user=anouk), x, a.JudgementInput("B.3", 2, {}))
        a.submit(db.session, Actor(user=anouk), x)
        a.sign(db.session, Actor(user=anouk), x, PASSWORD)
        db.session.commit()
    sign_in(client, "sanne@test.example")
    html = client.get(f"/progress/students/{school['sanne']}/programmes/{school['ecf']}").get_data(as_text=True)
    assert "<svg" in html and "B.3 Tesztelés: achieved e-2, target e-3" in html
    assert "achieved e-2, required e-3" in html and "1 level short" in html


def _final_results(app, school, n_students: int, prefix: str) -> None:
    with app.app_context():
        actor = Actor.system("tests")
        cohort = db.session.get(Cohort, school["p3"])
        anouk, ruben = db.session.get(User, school["anouk"]), db.session.get(User, school["ruben"])
        for i in range(n_students):
            student = accounts.create_user(
                db.session, actor, email=f"{prefix}{i}@test.example", name=f"{prefix.title()} {i}", password=PASSWORD
            )
            accounts.add_to_cohort(db.session, actor, cohort, student, Role.STUDENT)
            x = a.create_assessment(
                db.session,
                Actor(user=anouk),
                student,
                cohort,
                a.NewAssessment(kind="summative", scope_keys=["B1-K1-W1"], assessor_ids=[anouk.id, ruben.id]),
            )
            for who in (anouk, ruben):
                a.save_judgement(db.session, Actor(user=who), x, a.JudgementInput("B1-K1-W1", 2, {}))
                a.submit(db.session, Actor(user=who), x)
            for who in (anouk, ruben):
                a.sign(db.session, Actor(user=who), x, PASSWORD)
        db.session.commit()


def test_matrix_queue_and_progress_queries_do_not_grow_with_students(client, school, app, count_queries) -> None:
    _final_results(app, school, 2, "few")
    sign_in(client, "anouk@test.example")
    pages = [
        f"/assess/cohorts/{school['p3']}",
        "/assess/",
        f"/progress/students/{school['sanne']}/programmes/{school['p3']}",
    ]
    before = {}
    for url in pages:
        client.get(url)
        count_queries.reset()
        client.get(url)
        before[url] = count_queries.count
    _final_results(app, school, 15, "extra")
    for url in pages:
        count_queries.reset()
        assert client.get(url).status_code == 200
        assert count_queries.count == before[url], url
    assert "Extra 14" in client.get(pages[0]).get_data(as_text=True)


def test_a_concurrent_change_is_reported_not_a_server_error(client, school, app, monkeypatch) -> None:
    from sqlalchemy.orm.exc import StaleDataError

    sign_in(client, "anouk@test.example")
    x = start(client, school, ["B1-K1-W1"])

    def racing(*args, **kwargs):
        raise StaleDataError("UPDATE statement on table 'assessments' expected to update 1 row(s); 0 were matched.")

    monkeypatch.setattr(a, "sign", racing)
    monkeypatch.setattr(a, "submit", racing)
    response = post(client, f"/assess/{x}/submit", page=f"/assess/{x}", follow_redirects=True)
    assert response.status_code == 200
    assert "Someone else changed this assessment at the same moment" in response.get_data(as_text=True)


def test_an_assessor_taken_off_the_cohort_is_taken_off_its_open_assessments(client, school, app) -> None:
    """Issue 10, finding 8: cohort membership is the authority for judging and for exports."""
    from flask import current_app

    from app.files.storage import storage_for
    from app.portfolio.models import ExportStatus, Notification, PortfolioExport

    sign_in(client, "anouk@test.example")
    x = start(client, school, ["B1-K1-W1"])
    page = f"/assess/{x}"
    post(client, f"{page}/judge/B1-K1-W1", {"level": "2", "rationale": "Anouk's draft", "version": ""}, page=page)
    post(client, f"{page}/submit", page=page)
    with app.app_context():
        s = db.session
        export = PortfolioExport(
            owner_id=school["sanne"],
            requested_by_id=school["anouk"],
            cohort_id=school["p3"],
            status=ExportStatus.DONE,
            progress=1,
            total=1,
            file_key=storage_for(current_app).save(b"%PDF-1.7 export"),
            size=15,
        )
        s.add(export)
        s.commit()
        export_id = export.id
    assert client.get(f"/portfolio/exports/{export_id}/download").status_code == 200
    with app.app_context():
        s = db.session
        removed = accounts.remove_from_cohort(
            s, Actor.system("tests"), s.get(Cohort, school["p3"]), s.get(User, school["anouk"]), Role.ASSESSOR
        )
        s.commit()
        assert removed
        assessment = s.get(Assessment, x)
        assert [e.assessor_id for e in assessment.assessors] == [school["ruben"]]
        assert all(j.assessor_id != school["anouk"] for j in assessment.judgements)  # the draft went with her
        told = set(s.scalars(select(Notification.user_id).where(Notification.assessment_id == x)))
        assert school["ruben"] in told
    # She can no longer read, judge, submit or sign it, nor download the export she made.
    assert client.get(page).status_code == 404
    assert client.post(f"{page}/judge/B1-K1-W1", data={"csrf_token": csrf_token(client, "/")}).status_code == 404
    assert client.post(f"{page}/sign", data={"csrf_token": csrf_token(client, "/")}).status_code == 404
    assert client.get(f"/portfolio/exports/{export_id}/download").status_code == 404
    # The remaining assessor sees that the exam lacks its second assessor, and is told.
    as_user(client, "ruben")
    html = client.get(page).get_data(as_text=True)
    assert "This assessment needs 1 more assessor before it can become final." in html
    assert "took an assessor off" in client.get("/notifications").get_data(as_text=True)
    # A new assessor of the cohort is added from the page; the notice goes.
    with app.app_context():
        s = db.session
        mila = accounts.create_user(s, Actor.system("tests"), email="mila@test.example", name="Mila", password=PASSWORD)
        accounts.add_to_cohort(s, Actor.system("tests"), s.get(Cohort, school["p3"]), mila, Role.ASSESSOR)
        s.commit()
        mila_id = mila.id
    resp = post(client, f"{page}/assessors", {"assessor_id": str(mila_id)}, page=page, follow_redirects=True)
    assert "This assessment needs" not in resp.get_data(as_text=True)
    as_user(client, "mila")
    assert client.get(page).status_code == 200
