"""A small world for access tests: two schools, an employer, every role, cohorts and a token."""

from __future__ import annotations

from dataclasses import dataclass, field
from unittest.mock import patch

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


PRIVATE_STANDARD = "school-eigen-model"


def build_private_standard(organisation: Organisation, actor: Actor | None = None) -> Framework:
    """tests/fixtures/standards/private-standard.yaml (aligned to the SBB model) imported as a standard private
    to ``organisation``."""
    from pathlib import Path

    from app.standards.importers import service

    path = Path(__file__).parent / "fixtures" / "standards" / "private-standard.yaml"
    result = service.preview(db.session, path.read_bytes(), path.name, "yaml", owner_id=organisation.id)
    assert result.can_apply, result.conversion.report.refusals
    service.apply(db.session, actor or Actor.system("tests"), result)
    framework = db.session.scalars(select(Framework).where(Framework.code == PRIVATE_STANDARD)).one()
    return framework


def build_world() -> World:
    actor = Actor.system("tests")
    s = db.session
    framework = ensure_framework()
    school = services.create_organisation(s, actor, name="Test School", kind=OrgKind.SCHOOL)
    other_school = services.create_organisation(s, actor, name="Other School", kind=OrgKind.SCHOOL)
    employer = services.create_organisation(s, actor, name="Test Employer", kind=OrgKind.EMPLOYER)

    # Who created each account (and so keeps account-wide powers over it while it belongs to them alone).
    creators = {
        "student": school,
        "other_student": school,
        "assessor": school,
        "assessor_elsewhere": school,
        "curriculum_lead": school,
        "org_admin": school,
        "hr": employer,
        "foreign_admin": other_school,
        "foreign_student": other_school,
    }

    def person(key: str, *, admin: bool = False) -> User:
        return services.create_user(
            s,
            actor,
            email=f"{key}@test.example",
            name=key.replace("_", " ").title(),
            password=PASSWORD,
            platform_admin=admin,
            created_by_organisation=creators.get(key),
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


def png_bytes(size: tuple[int, int] = (40, 30), colour: tuple[int, int, int] = (11, 92, 173)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class PortfolioWorld:
    item: object
    private_item: object
    foreign_item: object
    attachment: object
    foreign_attachment: object
    claim: object
    link: object
    share: object
    share_token: str
    export: object


def first_claimable_key(cohort: Cohort) -> str:
    from app.portfolio.programme import load_programme

    programme = load_programme(db.session, cohort)
    assert programme.claimable, f"{cohort.framework.code} has no elements with a required level"
    return programme.claimable[0].element.key


def build_portfolio(world: World) -> PortfolioWorld:
    """Evidence of the world's student (claimed in the cohort, and one private item) and of the other
    school's student, with a file, a link, a share link and a finished export."""
    from flask import current_app

    from app.files.storage import storage_for
    from app.portfolio import services as portfolio
    from app.portfolio.models import ExportStatus, PortfolioExport

    s = db.session
    student, foreign = world.users["student"], world.users["foreign_student"]
    me, them = Actor(user=student), Actor(user=foreign)
    storage = storage_for(current_app)
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    item = portfolio.create_item(s, me, student, portfolio.ItemData(title="Webshop analysis", reflection="I learned."))
    attachment = portfolio.add_attachment(s, storage, me, item, "screen.png", png_bytes(), limit)
    link = portfolio.add_link(s, me, item, "https://example.org/report", "Report")
    claim = portfolio.add_claim(s, me, item, world.cohort, first_claimable_key(world.cohort), None, "Section 2")
    portfolio.request_feedback(s, me, item)
    private_item = portfolio.create_item(s, me, student, portfolio.ItemData(title="Private draft"))
    foreign_item = portfolio.create_item(s, them, foreign, portfolio.ItemData(title="Other school's work"))
    foreign_attachment = portfolio.add_attachment(s, storage, them, foreign_item, "other.png", png_bytes(), limit)
    portfolio.add_claim(s, them, foreign_item, world.other_cohort, first_claimable_key(world.other_cohort), None, "")
    share = portfolio.create_share(s, me, student, label="Employer", days=30, cohort=world.cohort)
    export = PortfolioExport(
        owner_id=student.id,
        requested_by_id=student.id,
        cohort_id=world.cohort.id,
        status=ExportStatus.DONE,
        progress=3,
        total=3,
        file_key=storage.save(b"%PDF-1.7 test export"),
        size=20,
    )
    s.add(export)
    s.commit()
    return PortfolioWorld(
        item, private_item, foreign_item, attachment, foreign_attachment, claim, link, share.share, share.token, export
    )


def build_assessment(world: World) -> tuple[object, str]:
    """An open assessment of the world's student, judged by the cohort's assessor; and a key it judges."""
    from app.assessment import services as assessment_services

    key = first_claimable_key(world.cohort)
    assessment = assessment_services.create_assessment(
        db.session,
        Actor(user=world.users["assessor"]),
        world.users["student"],
        world.cohort,
        assessment_services.NewAssessment(
            kind="formative", scope_keys=[key], assessor_ids=[world.users["assessor"].id]
        ),
    )
    db.session.commit()
    return assessment, key


def build_certificate(world: World) -> tuple[object, object]:
    """The world's student passes one element (a final judgement at the required level) and the school's
    administrator certifies it; a bulk run over the cohort follows."""
    from app.assessment import services as assessment_services
    from app.certificates import services as certificate_services
    from app.portfolio.programme import load_programme

    programme = load_programme(db.session, world.cohort)
    node = programme.claimable[0]
    assessor = Actor(user=world.users["assessor"])
    x = assessment_services.create_assessment(
        db.session,
        assessor,
        world.users["student"],
        world.cohort,
        assessment_services.NewAssessment(
            kind="formative", scope_keys=[node.key], assessor_ids=[world.users["assessor"].id]
        ),
    )
    assessment_services.save_judgement(
        db.session, assessor, x, assessment_services.JudgementInput(node.key, node.required.value, {})
    )
    assessment_services.submit(db.session, assessor, x)
    assessment_services.sign(db.session, assessor, x, PASSWORD)
    admin = Actor(user=world.users["org_admin"])
    # Access tests need the rows, not the artwork: a stand-in PDF spares a WeasyPrint render per case.
    with patch("app.certificates.pdf.render_certificate", return_value=b"%PDF-1.7 stand-in"):
        cert = certificate_services.issue(db.session, admin, world.users["student"], world.cohort, node.key)
        batch = certificate_services.start_batch(db.session, admin, world.cohort, node.key)
    db.session.commit()
    return cert, batch


def build_second_version(code: str, version: str = "2099") -> tuple[Framework, Framework]:
    """Another version of a loaded standard (its own YAML export under a new version, one element
    retitled), loaded beside it through the importer; and the version it was made from."""
    import yaml

    from app.standards.exporters import plain_links
    from app.standards.exporters.formats import render
    from app.standards.importers import service as importer
    from app.standards.queries import EVERYONE, get_framework, load_tree

    old = get_framework(db.session, code, audience=EVERYONE)
    assert old is not None
    data = yaml.safe_load(render(load_tree(db.session, old), "yaml", plain_links()).text)
    data["framework"]["version"] = version
    data["framework"].pop("uuid", None)
    data["elements"][0]["title"] = data["elements"][0]["title"] + " (revised)"
    raw = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()
    result = importer.preview(db.session, raw, f"{code}-{version}.yaml", "yaml")
    assert result.can_apply, [str(p) for p in result.conversion.report.refusals]
    importer.apply(db.session, Actor.system("tests"), result)
    new = get_framework(db.session, code, version, audience=EVERYONE)
    assert new is not None
    return old, new


@dataclass
class Crosswalks:
    published: object
    draft: object
    foreign_draft: object
    link: object


def build_crosswalks(world: World) -> Crosswalks:
    """A published platform-wide crosswalk with one link, a draft of the school with one link, and a draft of
    the other school, between the first two loaded standards."""
    from app.crosswalks import crosswalks, links
    from app.crosswalks.models import CrosswalkStatus
    from app.standards.models import Element

    actor = Actor(user=world.users["platform_admin"])
    s = db.session
    first, second = s.scalars(select(Framework).order_by(Framework.id).limit(2)).all()

    def key(framework: Framework) -> str:
        return s.scalar(
            select(Element.key)
            .where(Element.framework_id == framework.id, Element.type != "level_descriptor")
            .order_by(Element.sort_order)
        )

    def make(org: Organisation | None, name: str) -> object:
        cw = crosswalks.create_crosswalk(
            s, actor, crosswalks.NewCrosswalk(name, first.code, second.code, org.id if org else None)
        )
        link = links.add_link(s, actor, cw, links.LinkInput(key(first), key(second), "exact", note="same"))
        return cw, link

    published, _ = make(None, "Published")
    published.status = CrosswalkStatus.PUBLISHED  # type: ignore[attr-defined]
    draft, link = make(world.school, "School draft")
    foreign, _ = make(world.other_school, "Other draft")
    s.commit()
    return Crosswalks(published, draft, foreign, link)


@dataclass
class CurriculumWorld:
    curriculum: object
    unit: object
    period: object
    instrument: object
    other: object
    element_key: str


def build_curriculum(world: World) -> CurriculumWorld:
    """A draft curriculum of the school on the cohort's standard (one period, one module, one exam, mapped),
    followed by the cohort; and one of the other school."""
    from app.curriculum import plans, units
    from app.curriculum.mapping import Cell, set_cells
    from app.curriculum.queries import load_plan

    actor = Actor.system("tests")
    s = db.session
    code = world.cohort.framework.code
    curriculum = plans.create_curriculum(s, actor, world.school, plans.NewCurriculum("Programme", "2026", code))
    period = units.add_unit(s, actor, curriculum, units.UnitInput("period", "Period 1"))
    unit = units.add_unit(s, actor, curriculum, units.UnitInput("module", "Module A", "M1", period.id, 40))
    instrument = units.add_instrument(
        s, actor, curriculum, units.InstrumentInput("Exam A", "practical", "E1", period.id, assessors_required=1)
    )
    plan = load_plan(s, curriculum)
    element = plan.elements[0]
    set_cells(
        s,
        actor,
        plan,
        [
            Cell("unit", unit.id, element.element.id, "practised"),
            Cell("instrument", instrument.id, element.element.id, "assessed"),
        ],
    )
    plans.follow(s, actor, curriculum, world.cohort)
    other = plans.create_curriculum(s, actor, world.other_school, plans.NewCurriculum("Elsewhere", "2026", code))
    s.commit()
    return CurriculumWorld(curriculum, unit, period, instrument, other, element.key)
