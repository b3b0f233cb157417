"""A small world for access tests: two schools, an employer, every role, cohorts and a token."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from app.accounts import services
from app.accounts.models import ApiToken, Cohort, Organisation, OrgKind, Role, User
from app.audit import Actor
from app.extensions import db
from app.standards.models import Framework

PASSWORD = "correct horse battery staple"


@dataclass
class World:
    school: Organisation
    other_school: Organisation
    employer: Organisation
    users: dict[str, User]
    cohort: Cohort
    other_cohort: Cohort
    tokens: dict[str, ApiToken] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)

    def ids(self) -> dict[str, int]:
        return {
            "org": self.school.id,
            "other_org": self.other_school.id,
            "cohort": self.cohort.id,
            "other_cohort": self.other_cohort.id,
        }


def ensure_framework() -> Framework:
    framework = db.session.scalar(select(Framework).order_by(Framework.id))
    if framework is None:
        from pathlib import Path

        from app.standards.loader import load_paths

        fixtures = Path(__file__).parent / "fixtures" / "standards"
        load_paths(db.session, [fixtures / "mini-catalogue.yaml", fixtures / "mini-profile.yaml"])
        framework = db.session.scalar(select(Framework).order_by(Framework.id))
    assert framework is not None
    return framework


def build_world() -> World:
    actor = Actor.system("tests")
    s = db.session
    framework = ensure_framework()
    school = services.create_organisation(s, actor, name="Test School", kind=OrgKind.SCHOOL)
    other_school = services.create_organisation(s, actor, name="Other School", kind=OrgKind.SCHOOL)
    employer = services.create_organisation(s, actor, name="Test Employer", kind=OrgKind.EMPLOYER)

    def person(key: str, *, admin: bool = False) -> User:
        return services.create_user(
            s,
            actor,
            email=f"{key}@test.example",
            name=key.replace("_", " ").title(),
            password=PASSWORD,
            platform_admin=admin,
        )

    users = {
        k: person(k)
        for k in [
            "student",
            "other_student",
            "assessor",
            "assessor_elsewhere",
            "curriculum_lead",
            "hr",
            "org_admin",
            "foreign_admin",
            "foreign_student",
            "no_roles",
        ]
    }
    users["platform_admin"] = person("platform_admin", admin=True)
    cohort = services.create_cohort(
        s, actor, school, name="Class A", year="2026-2027", framework_id=framework.id, profile_key=None
    )
    other_cohort = services.create_cohort(
        s, actor, other_school, name="Class Z", year="2026-2027", framework_id=framework.id, profile_key=None
    )
    services.add_to_cohort(s, actor, cohort, users["student"], Role.STUDENT)
    services.add_to_cohort(s, actor, cohort, users["other_student"], Role.STUDENT)
    services.add_to_cohort(s, actor, cohort, users["assessor"], Role.ASSESSOR)
    # An assessor of the school who is not assigned to this cohort.
    services.grant_role(s, actor, users["assessor_elsewhere"], school, Role.ASSESSOR)
    services.grant_role(s, actor, users["curriculum_lead"], school, Role.CURRICULUM_LEAD)
    services.grant_role(s, actor, users["hr"], employer, Role.HR)
    services.grant_role(s, actor, users["org_admin"], school, Role.ORG_ADMIN)
    services.grant_role(s, actor, users["foreign_admin"], other_school, Role.ORG_ADMIN)
    services.add_to_cohort(s, actor, other_cohort, users["foreign_student"], Role.STUDENT)
    world = World(school, other_school, employer, users, cohort, other_cohort)
    for key in ("student", "org_admin"):
        new = services.create_api_token(s, actor, users[key], f"{key} token", ["profile:read", "organisation:read"])
        world.tokens[key] = new.token
        world.secrets[key] = new.secret
    s.commit()
    return world
