"""``flask users create`` and ``flask demo``."""

from sqlalchemy import func, select

from app.accounts.models import Membership, Organisation, User
from app.extensions import db


def test_users_create_with_role_prints_an_invitation_link(runner) -> None:
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Lead@School.example",
            "--name",
            "Lea Lead",
            "--role",
            "curriculum_lead",
            "--role",
            "assessor",
            "--org",
            "Nieuwe School",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "created lead@school.example" in result.output
    assert "/invitation/" in result.output
    user = db.session.scalar(select(User).where(User.email == "lead@school.example"))
    org = db.session.scalar(select(Organisation).where(Organisation.name == "Nieuwe School"))
    assert user.roles_in(org.id) == {"curriculum_lead", "assessor"}


def test_users_create_refuses_bad_input_and_writes_nothing(runner) -> None:
    before = db.session.scalar(select(func.count()).select_from(User))
    result = runner.invoke(args=["users", "create", "--email", "not-an-email", "--name", "X"])
    assert result.exit_code != 0
    assert "email:" in result.output
    result = runner.invoke(args=["users", "create", "--email", "a@b.example", "--name", "X", "--role", "hr"])
    assert result.exit_code != 0 and "--role needs --org" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == before


def test_users_create_refuses_a_weak_password(runner) -> None:
    result = runner.invoke(
        args=["users", "create", "--email", "a@b.example", "--name", "X", "--password"],
        input="password1234\npassword1234\n",
    )
    assert result.exit_code != 0
    assert "too_common" in result.output


def test_demo_creates_the_demo_world_once_and_never_in_production(runner, app, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    refused = runner.invoke(args=["demo"])
    assert refused.exit_code != 0 and "refused in production" in refused.output
    monkeypatch.setitem(app.config, "ENV_NAME", "development")
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "password 'bekwaam-demo-2026'" in result.output
    school = db.session.scalar(select(Organisation).where(Organisation.name == "ROC Horizon (demo)"))
    assert [c.name for c in school.cohorts] == [
        "Digitale gebruikersondersteuning 4B",
        "E-commerce specialist 4A",
        "Online community management (keuzedeel)",
    ]
    p3 = next(c for c in school.cohorts if c.profile_key == "P3")
    assert p3.framework.code == "mbo-commercie"
    assert {a.email for a in p3.assessors} == {"docent@horizon.example", "praktijk@webwinkel-noord.example"}
    # The workplace assessor belongs to the employer and assesses for the school.
    workplace = db.session.scalar(select(User).where(User.email == "praktijk@webwinkel-noord.example"))
    orgs = set(db.session.scalars(select(Membership.organisation_id).where(Membership.user_id == workplace.id)))
    assert len(orgs) == 2
    # Daan's portfolio has evidence an assessor commented on; Sanne starts empty, in two programmes.
    from app.portfolio.models import EvidenceItem

    daan = db.session.scalar(select(User).where(User.email == "daan@student.horizon.example"))
    items = db.session.scalars(select(EvidenceItem).where(EvidenceItem.owner_id == daan.id)).all()
    assert sorted(i.title for i in items) == ["Marktonderzoek webshop fietsaccessoires", "Social-mediacampagne najaar"]
    again = runner.invoke(args=["demo"])
    assert "already present" in again.output
