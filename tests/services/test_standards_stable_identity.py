"""Stable identity of standards: uuids that survive reloads, and elements retired instead of deleted."""

from __future__ import annotations

import importlib.util
import uuid
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import OrgKind, Role
from app.assessment.scope import scope_choices, scope_nodes
from app.audit import Actor
from app.domain import DomainError
from app.extensions import db
from app.portfolio import services as portfolio
from app.portfolio.programme import claimable_element, load_programme
from app.standards import serialize
from app.standards.identity import element_uuid, framework_uuid, scale_uuid
from app.standards.loader import load_paths
from app.standards.models import Element, Framework, RatingScale
from app.standards.queries import EVERYONE, load_tree, search
from app.standards.seedfile import SeedValidationError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "standards"
MINI = [FIXTURES / "mini-catalogue.yaml", FIXTURES / "mini-profile.yaml"]
MIGRATION = (
    Path(__file__).resolve().parents[2]
    / "migrations"
    / "versions"
    / "20261201_standards_stable_identity_d1a2b3c4e5f6.py"
)
FW_UUID = "0b8f1d4e-2a6c-4c1e-9f3a-5d7e8a9b0c1d"
EL_UUID = "7E6D5C4B-3A29-4817-8615-F4E3D2C1B0A9"


def element(framework: str, key: str) -> Element:
    return db.session.execute(
        select(Element).join(Element.framework).where(Framework.code == framework, Element.key == key)
    ).scalar_one()


def identities() -> dict[tuple[str, str, str], str]:
    """Every stored uuid of the mini standards, by what it identifies."""
    out: dict[tuple[str, str, str], str] = {}
    for fw in db.session.scalars(select(Framework).where(Framework.code.like("mini-%"))):
        out[("framework", fw.code, "")] = fw.uuid
        for el in db.session.scalars(select(Element).where(Element.framework_id == fw.id)):
            out[("element", fw.code, el.key)] = el.uuid
        for sc in db.session.scalars(select(RatingScale).where(RatingScale.framework_id == fw.id)):
            out[("scale", fw.code, sc.code)] = sc.uuid
    return out


def derived() -> dict[tuple[str, str, str], str]:
    makers = {"framework": lambda c, _k: framework_uuid(c), "element": element_uuid, "scale": scale_uuid}
    return {ident: str(makers[ident[0]](ident[1], ident[2])) for ident in identities()}


def without_a1(tmp_path: Path) -> Path:
    """mini-profile as a new version of its source would have it: competence A.1 (and its note) gone."""
    text = MINI[1].read_text(encoding="utf-8")
    head, rest = text.split("  - code: A.1\n", 1)
    section = rest[rest.index("  - key: kennis\n") : rest.index("notes:\n")]
    path = tmp_path / "mini-profile.yaml"
    path.write_text(head + section, encoding="utf-8")
    return path


def test_uuids_are_the_derived_ones_and_survive_reloads(app) -> None:
    load_paths(db.session, MINI)
    first = identities()
    assert first == derived()
    assert len(set(first.values())) == len(first)
    load_paths(db.session, MINI)
    db.session.expire_all()
    assert identities() == first


def test_a_uuid_from_the_source_is_kept(app, tmp_path: Path) -> None:
    text = MINI[0].read_text(encoding="utf-8")
    text = text.replace("  code: mini-catalogue\n", f"  code: mini-catalogue\n  uuid: {FW_UUID}\n")
    text = text.replace("{code: A.1, type: competence", f"{{uuid: {EL_UUID}, code: A.1, type: competence")
    path = tmp_path / "mini-catalogue.yaml"
    path.write_text(text, encoding="utf-8")
    load_paths(db.session, [path])
    load_paths(db.session, [path])
    assert db.session.scalar(select(Framework.uuid).where(Framework.code == "mini-catalogue")) == FW_UUID
    assert element("mini-catalogue", "A.1").uuid == EL_UUID.lower()
    assert element("mini-catalogue", "A.2").uuid == str(element_uuid("mini-catalogue", "A.2"))


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        ("{code: A.1, type: competence", "{uuid: not-a-uuid, code: A.1, type: competence", "does not match"),
        ("{code: A.1, type:", f"{{uuid: {EL_UUID}, code: A.1, type:", "duplicate uuid"),
    ],
)
def test_a_bad_or_repeated_source_uuid_is_refused(app, tmp_path: Path, replace: str, by: str, message: str) -> None:
    text = MINI[0].read_text(encoding="utf-8").replace(replace, by)
    text = text.replace("{code: A.2, type:", f"{{uuid: {EL_UUID}, code: A.2, type:")
    path = tmp_path / "mini-catalogue.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SeedValidationError) as info:
        load_paths(db.session, [path])
    assert message in str(info.value)


@pytest.fixture
def claimed(app) -> dict[str, object]:
    """The mini standards loaded, a cohort on mini-profile and a student's claim on its competence A.1."""
    load_paths(db.session, MINI)
    s, actor = db.session, Actor.system("tests")
    fw = s.scalar(select(Framework).where(Framework.code == "mini-profile"))
    school = accounts.create_organisation(s, actor, name="Retiring School", kind=OrgKind.SCHOOL)
    student = accounts.create_user(s, actor, email="ret@test.example", name="Ret")
    cohort = accounts.create_cohort(s, actor, school, name="R1", year="2026", framework_id=fw.id, profile_key=None)
    accounts.add_to_cohort(s, actor, cohort, student, Role.STUDENT)
    item = portfolio.create_item(s, Actor(user=student), student, portfolio.ItemData(title="Strategy paper"))
    claim = portfolio.add_claim(s, Actor(user=student), item, cohort, "A.1", 3, "")
    return {"cohort": cohort, "student": student, "item": item, "claim": claim}


def test_a_removed_element_is_retired_kept_for_records_and_hidden_from_new_work(claimed, tmp_path: Path) -> None:
    a1 = element("mini-profile", "A.1")
    a1_id, a1_uuid = a1.id, a1.uuid
    reports = load_paths(db.session, [MINI[0], without_a1(tmp_path)])
    assert reports[1].retired == 5  # A.1, its two behaviour lines and its two level descriptors
    db.session.expire_all()
    a1 = element("mini-profile", "A.1")
    assert (a1.id, a1.uuid) == (a1_id, a1_uuid)
    assert a1.retired_at is not None
    claim = claimed["claim"]
    db.session.refresh(claim)
    assert claim.element_id == a1_id and claim.element.title == "Stemt strategie af"  # the claim still works
    programme = load_programme(db.session, claimed["cohort"])
    assert [n.key for n in programme.claimable] == ["A.1"]  # still shown where records point at it
    assert programme.offered == []
    assert claimable_element(db.session, claimed["cohort"], "A.1") is None
    with pytest.raises(DomainError):
        portfolio.add_claim(
            db.session, Actor(user=claimed["student"]), claimed["item"], claimed["cohort"], "A.1", 2, ""
        )
    assert [key for key, _ in scope_choices(programme)] == ["*"]
    with pytest.raises(DomainError):
        scope_nodes(programme, ["A.1"])
    assert search(db.session, "strategie", framework_code="mini-profile", audience=EVERYONE).total == 0
    tree = load_tree(db.session, a1.framework)
    assert tree.by_key["A.1"].element.retired_at is not None
    data = serialize.element_dict(tree.by_key["A.1"])
    assert data["uuid"] == a1_uuid and "retired_at" in data


def test_bringing_a_retired_element_back_restores_it(claimed, tmp_path: Path) -> None:
    a1_id = element("mini-profile", "A.1").id
    load_paths(db.session, [MINI[0], without_a1(tmp_path)])
    reports = load_paths(db.session, MINI)
    assert reports[1].restored == 5
    assert "5 restored" in reports[1].summary()
    db.session.expire_all()
    a1 = element("mini-profile", "A.1")
    assert (a1.id, a1.retired_at) == (a1_id, None)
    programme = load_programme(db.session, claimed["cohort"])
    assert [n.key for n in programme.offered] == ["A.1"]
    assert search(db.session, "strategie", framework_code="mini-profile", audience=EVERYONE).total == 1


def _migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("stable_identity_migration", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_backfills_the_ids_a_fresh_load_gives(app) -> None:
    load_paths(db.session, MINI)
    fresh = identities()
    for model in (Framework, Element, RatingScale):
        for row in db.session.scalars(select(model)):
            row.uuid = str(uuid.uuid4())  # a different uuid per row, so the unique constraints hold
    db.session.flush()
    assert identities() != fresh
    _migration()._backfill(db.session.connection())
    db.session.expire_all()
    assert identities() == fresh


def test_json_api_carries_uuid_and_public_uri(client, app) -> None:
    with app.app_context():
        load_paths(db.session, MINI)
        db.session.commit()
    data = client.get("/api/v1/frameworks/mini-profile").get_json()
    assert data["uuid"] == str(framework_uuid("mini-profile"))
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    assert data["uri"] == f"{base}/standards/mini-profile"
    a1 = data["elements"][0]
    assert (a1["uuid"], a1["uri"]) == (str(element_uuid("mini-profile", "A.1")), f"{base}/standards/mini-profile/e/A.1")
    html = client.get("/standards/mini-profile/e/A.1").get_data(as_text=True)
    assert f"{base}/standards/mini-profile/e/A.1" in html and a1["uuid"] in html
    assert uuid.UUID(a1["uuid"])
