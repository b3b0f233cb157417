"""``flask users create`` for real accounts and ``flask demo`` for the demonstration data."""

from __future__ import annotations

from collections.abc import Callable

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.accounts import services
from app.accounts.models import Cohort, LinkPurpose, Organisation, OrgKind, Role, User
from app.audit import Actor
from app.extensions import db
from app.standards.models import Framework
from app.uow import transactional
from app.urls import public_url

users_cli = AppGroup("users", help="Manage accounts.")

DEMO_PASSWORD = "bekwaam-demo-2026"  # noqa: S105 - published demo credential, refused in production


def _org(name: str, kind: str, actor: Actor) -> Organisation:
    org = db.session.scalar(select(Organisation).where(Organisation.name == name))
    return org or services.create_organisation(db.session, actor, name=name, kind=kind)


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--language", type=click.Choice(services.LANGUAGES), default="nl", show_default=True)
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice([r.value for r in Role]),
    help="Role in --org; repeat for several.",
)
@click.option("--org", "org_name", help="Organisation name (created when it does not exist).")
@click.option("--org-kind", type=click.Choice([k.value for k in OrgKind]), default="school", show_default=True)
@click.option("--platform-admin", is_flag=True, help="Administrator of the whole platform.")
@click.option(
    "--password", "ask_password", is_flag=True, help="Set a password now instead of printing an invitation link."
)
@transactional
def create_user_command(
    email: str,
    name: str,
    language: str,
    roles: tuple[str, ...],
    org_name: str | None,
    org_kind: str,
    platform_admin: bool,
    ask_password: bool,
) -> None:
    """Create an account, optionally with roles in an organisation."""
    if roles and not org_name:
        raise click.UsageError("--role needs --org")
    actor = Actor.system("flask users create")
    password = click.prompt("Password", hide_input=True, confirmation_prompt=True) if ask_password else None
    try:
        user = services.create_user(
            db.session,
            actor,
            email=email,
            name=name,
            language=language,
            password=password,
            platform_admin=platform_admin,
        )
        if org_name:
            org = _org(org_name, org_kind, actor)
            for role in roles:
                services.grant_role(db.session, actor, user, org, Role(role))
        token = None if password else services.create_link(db.session, actor, user, LinkPurpose.INVITATION)
    except services.PasswordRejected as exc:
        raise click.ClickException(f"password refused: {', '.join(exc.problems)}") from None
    except services.AccountError as exc:
        raise click.ClickException(f"{exc.field or 'input'}: {exc.message}") from None
    click.echo(f"created {user.email}")
    if token:
        with current_app.test_request_context():
            click.echo(f"invitation link (valid 7 days): {public_url('auth.accept_invitation', token=token)}")


@click.command("demo")
@transactional
def demo_command() -> None:
    """Create the demonstration organisations, cohorts and accounts (never in production)."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("demo data is refused in production")
    if db.session.scalar(select(User).where(User.email == "admin@bekwaam.example")):
        click.echo("demo data is already present")
        return
    frameworks = {f.code: f for f in db.session.scalars(select(Framework))}
    missing = {"mbo-commercie", "bk-0331-4", "ecf-profile-online-community-manager"} - set(frameworks)
    if missing:
        raise click.ClickException(f"load the standards first (missing: {', '.join(sorted(missing))})")
    created = create_demo(frameworks)
    from app.matching.demo import create_demo_matching

    created += create_demo_matching(DEMO_PASSWORD)
    click.echo(f"demo data created: {created} accounts, password '{DEMO_PASSWORD}' (see README.md)")


def _demo_person(actor: Actor, creators: dict[str, Organisation]) -> Callable[..., User]:
    """A factory of demo accounts, each created by the organisation of its address's domain."""

    def person(email: str, name: str, language: str = "nl", admin: bool = False) -> User:
        return services.create_user(
            db.session,
            actor,
            email=email,
            name=name,
            language=language,
            password=DEMO_PASSWORD,
            platform_admin=admin,
            created_by_organisation=None if admin else creators.get(email.split("@", 1)[1]),
        )

    return person


def _demo_cohort(actor: Actor, school: Organisation, name: str, framework: Framework, profile: str | None) -> Cohort:
    return services.create_cohort(
        db.session, actor, school, name=name, year="2026-2027", framework_id=framework.id, profile_key=profile
    )


def create_demo(frameworks: dict[str, Framework]) -> int:
    actor = Actor.system("flask demo")
    s = db.session

    school = services.create_organisation(s, actor, name="ROC Horizon (demo)", kind=OrgKind.SCHOOL)
    employer = services.create_organisation(s, actor, name="Webwinkel Noord BV (demo)", kind=OrgKind.EMPLOYER)
    other = services.create_organisation(s, actor, name="Atheneum Zuid (demo)", kind=OrgKind.SCHOOL)
    # Each account was created by the organisation that brought the person in (its account-wide powers
    # last while the account belongs to it alone): the school's people by the school, and so on.
    person = _demo_person(
        actor,
        {
            "horizon.example": school,
            "student.horizon.example": school,
            "webwinkel-noord.example": employer,
            "atheneum-zuid.example": other,
        },
    )
    person("admin@bekwaam.example", "Platformbeheer", "en", admin=True)

    services.grant_role(s, actor, person("beheer@horizon.example", "Fatima El Amrani"), school, Role.ORG_ADMIN)
    services.grant_role(s, actor, person("opleiding@horizon.example", "Pieter de Vries"), school, Role.CURRICULUM_LEAD)
    committee = person("examencommissie@horizon.example", "Marieke Smits")
    services.grant_role(s, actor, committee, school, Role.EXAM_COMMITTEE)
    teacher = person("docent@horizon.example", "Anouk Jansen")
    workplace = person("praktijk@webwinkel-noord.example", "Ruben Bakker")
    services.grant_role(s, actor, workplace, employer, Role.ASSESSOR)
    services.grant_role(s, actor, person("hr@webwinkel-noord.example", "Sofie Peeters", "en"), employer, Role.HR)
    services.grant_role(s, actor, person("beheer@atheneum-zuid.example", "Karel Wouters"), other, Role.ORG_ADMIN)

    p3 = _demo_cohort(actor, school, "E-commerce specialist 4A", frameworks["mbo-commercie"], "P3")
    bk = _demo_cohort(actor, school, "Digitale gebruikersondersteuning 4B", frameworks["bk-0331-4"], None)
    for cohort in (p3, bk):
        services.add_to_cohort(s, actor, cohort, teacher, Role.ASSESSOR)
    services.add_to_cohort(s, actor, p3, workplace, Role.ASSESSOR)
    students = [
        ("sanne@student.horizon.example", "Sanne Visser", p3),
        ("daan@student.horizon.example", "Daan Mulder", p3),
        ("lotte@student.horizon.example", "Lotte de Boer", p3),
        ("youssef@student.horizon.example", "Youssef Benali", bk),
        ("emma@student.horizon.example", "Emma Claes", bk),
    ]
    people = {}
    for email, name, cohort in students:
        people[email] = person(email, name)
        services.add_to_cohort(s, actor, cohort, people[email], Role.STUDENT)
    ecf_model = frameworks["ecf-profile-online-community-manager"]
    ecf = _demo_cohort(actor, school, "Online community management (keuzedeel)", ecf_model, None)
    services.add_to_cohort(s, actor, ecf, teacher, Role.ASSESSOR)
    services.add_to_cohort(s, actor, ecf, workplace, Role.ASSESSOR)
    services.add_to_cohort(s, actor, ecf, people["sanne@student.horizon.example"], Role.STUDENT)
    _demo_private_standard(actor, employer, workplace)
    s.flush()
    from app.portfolio.demo import create_demo_evidence

    create_demo_evidence(actor, people["daan@student.horizon.example"], p3, teacher)
    from app.assessment.demo import create_demo_results

    create_demo_results(people["daan@student.horizon.example"], p3, [teacher, workplace], DEMO_PASSWORD)
    from app.assessment.demo import create_demo_levels

    sanne_ecf = {"C.1": 2, "C.3": 2, "D.6": 3, "E.4": 3, "E.5": 3}  # carried to her P3 progress by crosswalks
    create_demo_levels(people["sanne@student.horizon.example"], ecf, [teacher, workplace], DEMO_PASSWORD, sanne_ecf)
    from app.curriculum.demo import create_demo_curricula

    create_demo_curricula(actor, school, p3, bk)
    return s.scalar(select(db.func.count()).select_from(User)) or 0


def _demo_private_standard(actor: Actor, employer: Organisation, assessor: User) -> None:
    """The employer's own competence model, private to it, with a cohort of new colleagues that follows it."""
    from app.standards.demo import create_demo_standard

    framework = create_demo_standard(actor, employer)
    starters = _demo_cohort(actor, employer, "Nieuwe medewerkers klantcontact", framework, None)
    services.add_to_cohort(db.session, actor, starters, assessor, Role.ASSESSOR)


def demo_cohort(name: str) -> Cohort | None:
    return db.session.scalar(select(Cohort).where(Cohort.name == name))
