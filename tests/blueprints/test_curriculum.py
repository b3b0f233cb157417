"""Curricula over HTTP, on the demo programme: the heatmap and the API show the gap and the over-assessed
work process; the lead fixes them in the grid; the exam plan turns complete; the committee adopts it with
its password; an assessor starts an exam from an instrument and it shows in the plan's progress. Queries
stay bounded whatever the number of units; bad input never gives a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import OrgKind, Role
from app.audit import Actor
from app.curriculum import units
from app.curriculum.demo import create_demo_curricula
from app.curriculum.models import Curriculum, CurriculumUnit, ExamInstrument, InstrumentAssessment
from app.extensions import db
from app.standards.models import Element, Framework
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
            for k in ["lead", "committee", "anouk", "ruben", "sanne", "emma"]
        }
        accounts.grant_role(s, actor, people["lead"], org, Role.CURRICULUM_LEAD)
        accounts.grant_role(s, actor, people["committee"], org, Role.EXAM_COMMITTEE)
        p3 = accounts.create_cohort(
            s, actor, org, name="4A", year="2026", framework_id=fw["mbo-commercie"].id, profile_key="P3"
        )
        bk = accounts.create_cohort(
            s, actor, org, name="4B", year="2026", framework_id=fw["bk-0331-4"].id, profile_key=None
        )
        for key in ("anouk", "ruben"):
            accounts.add_to_cohort(s, actor, p3, people[key], Role.ASSESSOR)
        accounts.add_to_cohort(s, actor, p3, people["sanne"], Role.STUDENT)
        accounts.add_to_cohort(s, actor, bk, people["emma"], Role.STUDENT)
        create_demo_curricula(actor, org, p3, bk)
        s.commit()
        ids = {k: u.id for k, u in people.items()}
        curricula = {c.framework.code: c.id for c in s.scalars(select(Curriculum))}
        ids.update(p3=p3.id, bk=bk.id, cur=curricula["mbo-commercie"], cur_bk=curricula["bk-0331-4"])
        return ids


def _token(app, user_id: int) -> str:
    with app.app_context():
        from app.accounts.models import User

        new = accounts.create_api_token(
            db.session, Actor.system("tests"), db.session.get(User, user_id), "t", ["curriculum:read"]
        )
        db.session.commit()
        return new.secret


def _coverage(client, secret: str, curriculum_id: int) -> dict:
    response = client.get(f"/api/v1/curricula/{curriculum_id}/coverage", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    return response.get_json()


def _ids(app, cur: int) -> dict[str, int]:
    with app.app_context():
        s = db.session
        out = {
            f"u:{u.code}": u.id for u in s.scalars(select(CurriculumUnit).where(CurriculumUnit.curriculum_id == cur))
        }
        out |= {
            f"i:{i.code}": i.id for i in s.scalars(select(ExamInstrument).where(ExamInstrument.curriculum_id == cur))
        }
        fw = s.scalar(select(Framework).where(Framework.code == "mbo-commercie"))
        out |= {
            e.key: e.id
            for e in s.scalars(select(Element).where(Element.framework_id == fw.id, Element.type == "work_process"))
        }
        return out


def test_the_demo_heatmap_shows_the_gap_and_the_over_assessed_work_process(app, client, school) -> None:
    data = _coverage(client, _token(app, school["anouk"]), school["cur"])
    by_key = {e["element"]: e for e in data["elements"]}
    assert by_key["P3-K1-W5"]["flags"] == ["not_assessed"]
    assert "over_assessed" in by_key["B1-K2-W3"]["flags"] and by_key["B1-K2-W3"]["summative"] == 3
    assert set(by_key["B1-K1-W1"]) == {"element", "code", "introduced", "practised", "assessed", "summative", "flags"}
    assert data["exam_plan"]["complete"] is False
    assert [v["element"] for v in data["exam_plan"]["violations"]] == ["P3-K1", "P3-K1-W5"]
    sign_in(client, "lead@test.example")
    page = client.get(f"/curricula/{school['cur']}/coverage?only=gaps").get_data(as_text=True)
    assert "P3-K1-W5" in page and "B1-K2-W3" in page and "B1-K1-W1" not in page
    assert "Summative exam instruments examine the element more than 2 times" in page


def test_fix_adopt_start_and_progress(app, client, school) -> None:
    ids = _ids(app, school["cur"])
    sign_in(client, "lead@test.example")
    grid = f"/curricula/{school['cur']}/map"
    token = csrf_token(client, grid)
    w5, w3 = ids["P3-K1-W5"], ids["B1-K2-W3"]
    response = client.post(
        grid,
        data={
            "csrf_token": token,
            f"cell:u:{ids['u:M12']}:{w5}": "P",
            f"cell:i:{ids['i:E6']}:{w5}": "A",
            f"cell:i:{ids['i:E1']}:{w3}": "",
        },
    )
    assert response.status_code == 302
    secret = _token(app, school["lead"])
    data = _coverage(client, secret, school["cur"])
    assert data["exam_plan"] == {"rule": "mbo", "complete": True, "violations": []}
    assert not [e for e in data["elements"] if e["flags"]]

    client.post("/sign-out", data={"csrf_token": csrf_token(client)})
    sign_in(client, "committee@test.example")
    adopt = f"/curricula/{school['cur']}/adopt"
    client.post(
        adopt, data={"csrf_token": csrf_token(client, f"/curricula/{school['cur']}"), "adopt-password": "wrong"}
    )
    with app.app_context():
        assert db.session.get(Curriculum, school["cur"]).status == "draft"
    client.post(
        adopt, data={"csrf_token": csrf_token(client, f"/curricula/{school['cur']}"), "adopt-password": PASSWORD}
    )
    with app.app_context():
        adopted = db.session.get(Curriculum, school["cur"])
        assert adopted.status == "adopted" and adopted.adopted_by_id == school["committee"]

    client.post("/sign-out", data={"csrf_token": csrf_token(client)})
    sign_in(client, "lead@test.example")
    client.post(
        f"/curricula/{school['cur']}/units",
        data={"csrf_token": csrf_token(client), "unit-kind": "module", "unit-title": "Late"},
    )
    with app.app_context():
        assert db.session.scalar(select(CurriculumUnit).where(CurriculumUnit.title == "Late")) is None
    response = client.post(f"/curricula/{school['cur']}/versions", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302
    with app.app_context():
        versions = sorted(
            db.session.scalars(select(Curriculum.version).where(Curriculum.title == "E-commerce specialist"))
        )
        assert versions == [1, 2]

    client.post("/sign-out", data={"csrf_token": csrf_token(client)})
    sign_in(client, "anouk@test.example")
    start = f"/curricula/{school['cur']}/instruments/{ids['i:E6']}/start/{school['p3']}"
    assert "P3-K1-W5" in client.get(start).get_data(as_text=True)
    response = client.post(
        start,
        data={
            "csrf_token": csrf_token(client, start),
            "students": str(school["sanne"]),
            "assessors": [str(school["anouk"]), str(school["ruben"])],
        },
    )
    assert response.status_code == 302 and "/assess/" in response.headers["Location"]
    with app.app_context():
        link = db.session.scalar(select(InstrumentAssessment))
        assert link is not None and link.instrument_id == ids["i:E6"]
        from app.assessment.models import Assessment

        started = db.session.get(Assessment, link.assessment_id)
        assert started.required_assessors == 2 and "P3-K1-W5" in started.scope_keys
    plan_page = client.get(f"/curricula/{school['cur']}/exam-plan").get_data(as_text=True)
    assert "Progress per cohort" in plan_page

    client.post("/sign-out", data={"csrf_token": csrf_token(client)})
    sign_in(client, "sanne@test.example")
    mine = client.get(f"/curricula/mine/{school['p3']}")
    assert mine.status_code == 200 and "in progress" in mine.get_data(as_text=True)


def test_bk_demo_plan_is_complete_on_the_bk_rule(app, client, school) -> None:
    data = _coverage(client, _token(app, school["lead"]), school["cur_bk"])
    assert data["exam_plan"]["rule"] == "bk" and data["exam_plan"]["complete"] is True


def test_bulk_fill_of_a_row_maps_every_shown_element(app, client, school) -> None:
    ids = _ids(app, school["cur"])
    sign_in(client, "lead@test.example")
    grid = f"/curricula/{school['cur']}/map"
    client.post(grid, data={"csrf_token": csrf_token(client, grid), f"row:u:{ids['u:M01']}": "P"})
    data = _coverage(client, _token(app, school["lead"]), school["cur"])
    assert all(e["practised"] >= 1 for e in data["elements"])


@pytest.mark.parametrize(
    "data",
    [
        {"cell:u:abc:1": "P"},
        {"cell:u:1:2": "Z"},
        {"cell:u:999999:1": "A"},
        {"cell:i:1:1": "P"},
        {"row:u:1": "<script>"},
    ],
)
def test_bad_grid_input_is_refused_without_a_server_error(app, client, school, data) -> None:
    sign_in(client, "lead@test.example")
    grid = f"/curricula/{school['cur']}/map"
    response = client.post(grid, data={"csrf_token": csrf_token(client, grid), **data})
    assert response.status_code < 500


def test_bad_unit_and_instrument_forms_are_refused_with_a_reason(app, client, school) -> None:
    sign_in(client, "lead@test.example")
    show = f"/curricula/{school['cur']}"
    for path, data in [
        (f"{show}/units", {"unit-kind": "activity", "unit-title": "Loose"}),  # an activity needs a module
        (f"{show}/units", {"unit-kind": "module", "unit-title": "x", "unit-hours": "-4"}),
        (
            f"{show}/instruments",
            {"instrument-kind": "proeve", "instrument-title": "", "instrument-assessors_required": "9"},
        ),
        ("/curricula/new", {"title": "", "organisation": "abc"}),
    ]:
        response = client.post(path, data={"csrf_token": csrf_token(client, show), **data}, follow_redirects=True)
        assert response.status_code in (200, 400)
    with app.app_context():
        assert db.session.scalar(select(CurriculumUnit).where(CurriculumUnit.title.in_(["Loose", "x"]))) is None


def test_coverage_page_and_api_query_counts_do_not_grow_with_units(app, client, school, count_queries) -> None:
    sign_in(client, "lead@test.example")
    secret = _token(app, school["lead"])

    def measure() -> tuple[int, int]:
        count_queries.reset()
        assert client.get(f"/curricula/{school['cur']}/coverage").status_code == 200
        page = count_queries.count
        count_queries.reset()
        _coverage(client, secret, school["cur"])
        return page, count_queries.count

    measure()  # the token's first use records it once
    before = measure()
    with app.app_context():
        curriculum = db.session.get(Curriculum, school["cur"])
        for i in range(30):
            units.add_unit(db.session, Actor.system("tests"), curriculum, units.UnitInput("module", f"Extra {i}"))
        db.session.commit()
    assert measure() == before
