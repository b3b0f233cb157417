"""Portfolio rules without HTTP: claims, uploads, versions, feedback, sharing, coverage."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import current_app
from sqlalchemy import func, select

from app.accounts import services as accounts
from app.accounts.models import Cohort, OrgKind, Role, User
from app.audit import Actor
from app.extensions import db
from app.files.storage import storage_for
from app.portfolio import services
from app.portfolio.models import ClaimStatus, EvidenceVersion, Notification, ShareAccess
from app.portfolio.programme import coverage, load_programme
from app.standards.models import Framework
from tests.factories import png_bytes


@pytest.fixture
def p3() -> dict[str, object]:
    """A school with an mbo P3 cohort and an e-CF cohort, a student in both, an assessor."""
    actor = Actor.system("tests")
    s = db.session
    frameworks = {f.code: f for f in s.scalars(select(Framework))}
    school = accounts.create_organisation(s, actor, name="Horizon", kind=OrgKind.SCHOOL)
    student = accounts.create_user(s, actor, email="sanne@test.example", name="Sanne")
    other = accounts.create_user(s, actor, email="daan@test.example", name="Daan")
    assessor = accounts.create_user(s, actor, email="anouk@test.example", name="Anouk")
    lead = accounts.create_user(s, actor, email="pieter@test.example", name="Pieter")
    accounts.grant_role(s, actor, lead, school, Role.CURRICULUM_LEAD)
    cohort = accounts.create_cohort(
        s, actor, school, name="4A", year="2026", framework_id=frameworks["mbo-commercie"].id, profile_key="P3"
    )
    ecf = accounts.create_cohort(
        s,
        actor,
        school,
        name="OCM",
        year="2026",
        framework_id=frameworks["ecf-profile-online-community-manager"].id,
        profile_key=None,
    )
    for c in (cohort, ecf):
        accounts.add_to_cohort(s, actor, c, student, Role.STUDENT)
        accounts.add_to_cohort(s, actor, c, assessor, Role.ASSESSOR)
    accounts.add_to_cohort(s, actor, cohort, other, Role.STUDENT)
    s.flush()
    return {"student": student, "other": other, "assessor": assessor, "lead": lead, "cohort": cohort, "ecf": ecf}


def me(world: dict[str, object], who: str = "student") -> Actor:
    return Actor(user=world[who])  # type: ignore[arg-type]


def new_item(world, title: str = "Marktonderzoek", **fields) -> object:
    return services.create_item(db.session, me(world), world["student"], services.ItemData(title=title, **fields))


LIMIT = 25 * 1024 * 1024


# --- programmes and claims -----------------------------------------------------------------------


def test_p3_programme_is_its_four_core_tasks_with_17_claimable_work_processes(p3) -> None:
    programme = load_programme(db.session, p3["cohort"])
    assert [n.element.code for n in programme.roots] == ["B1-K1", "B1-K2", "P3-K1", "P3-K2"]
    assert len(programme.claimable) == 17
    assert {n.element.type for n in programme.claimable} == {"work_process"}
    ecf = load_programme(db.session, p3["ecf"])
    assert len(ecf.claimable) == 18


def test_one_item_proves_elements_of_two_programmes_with_self_assessments(p3) -> None:
    item = new_item(p3)
    a = services.add_claim(db.session, me(p3), item, p3["cohort"], "B1-K1-W1", 3, "Hoofdstuk 2")
    b = services.add_claim(db.session, me(p3), item, p3["cohort"], "P3-K1-W1", None, "")
    c = services.add_claim(db.session, me(p3), item, p3["ecf"], "B.3", 2, "Testplan")
    assert (a.self_level.label, b.self_level, c.self_level.code) == ("goed", None, "e-2")
    assert {cl.status for cl in item.claims} == {ClaimStatus.DRAFT}


@pytest.mark.parametrize(
    ("cohort", "key", "level", "message"),
    [
        ("cohort", "P1-K1-W1", None, "not an element you can prove"),  # another profile's work process
        ("cohort", "B1-K1", None, "not an element you can prove"),  # a core task, not a work process
        ("cohort", "B1-K1-W1/behaviour-1", None, "not an element you can prove"),
        ("cohort", "B1-K1-W1", 7, "7 is not a level"),
        ("ecf", "B.3", 0, "0 is not a level"),
        ("ecf", "A.1", None, "not an element you can prove"),  # in the catalogue, not in this profile
    ],
)
def test_claims_must_name_a_claimable_element_and_a_level_of_its_scale(p3, cohort, key, level, message) -> None:
    item = new_item(p3)
    with pytest.raises(services.PortfolioError, match=message):
        services.add_claim(db.session, me(p3), item, p3[cohort], key, level, "")


def test_a_student_may_claim_above_the_profiles_highest_level(p3) -> None:
    item = new_item(p3)
    claim = services.add_claim(db.session, me(p3), item, p3["ecf"], "B.3", 5, "")
    assert claim.self_level.code == "e-5"


def test_a_level_from_another_scale_is_refused(p3) -> None:
    item = new_item(p3)
    ecf_scale = load_programme(db.session, p3["ecf"]).claimable[0].required.scale_id
    with pytest.raises(services.PortfolioError, match="another scale"):
        services.add_claim(db.session, me(p3), item, p3["cohort"], "B1-K1-W1", 2, "", scale_id=ecf_scale)


def test_claims_only_in_programmes_the_owner_follows_and_only_once(p3) -> None:
    actor = Actor.system("tests")
    foreign = accounts.create_cohort(
        db.session,
        actor,
        p3["cohort"].organisation,
        name="5B",
        year="2026",
        framework_id=p3["cohort"].framework_id,
        profile_key="P3",
    )
    item = new_item(p3)
    with pytest.raises(services.PortfolioError, match="do not follow"):
        services.add_claim(db.session, me(p3), item, foreign, "B1-K1-W1", None, "")
    services.add_claim(db.session, me(p3), item, p3["cohort"], "B1-K1-W1", None, "")
    with pytest.raises(services.PortfolioError, match="already proves"):
        services.add_claim(db.session, me(p3), item, p3["cohort"], "B1-K1-W1", 2, "")


def test_item_input_is_checked() -> None:
    with pytest.raises(services.PortfolioError, match="title is required"):
        services.ItemData(title="  ").check()
    with pytest.raises(services.PortfolioError, match="end date lies before"):
        services.ItemData(title="x", started_on=dt.date(2026, 5, 2), ended_on=dt.date(2026, 5, 1)).check()
    with pytest.raises(services.PortfolioError, match="unknown context"):
        services.ItemData(title="x", context="holiday").check()
    with pytest.raises(services.PortfolioError, match="https://"):
        services.check_url("javascript:alert(1)")


# --- coverage, feedback, notifications -----------------------------------------------------------


def test_coverage_counts_elements_with_evidence_and_how_far_they_came(p3) -> None:
    item = new_item(p3)
    services.add_claim(db.session, me(p3), item, p3["cohort"], "B1-K1-W1", None, "")
    services.add_claim(db.session, me(p3), item, p3["cohort"], "B1-K1-W2", None, "")
    programme = load_programme(db.session, p3["cohort"])

    def by_element():
        out: dict[int, list] = {}
        for claim in item.claims:
            out.setdefault(claim.element_id, []).append(claim)
        return out

    before = coverage(programme, by_element())
    assert (before.total, before.with_evidence, before.missing, before.submitted) == (17, 2, 15, 0)
    assert services.request_feedback(db.session, me(p3), item) == 2
    services.mark_reviewed(db.session, me(p3, "assessor"), item.claims[0])
    after = coverage(programme, by_element())
    assert (after.submitted, after.reviewed, after.percent) == (1, 1, 12)


def test_feedback_request_tells_the_cohort_staff_and_comments_tell_the_others(p3) -> None:
    item = new_item(p3)
    with pytest.raises(services.PortfolioError, match="at least one"):
        services.request_feedback(db.session, me(p3), item)
    services.add_claim(db.session, me(p3), item, p3["cohort"], "B1-K1-W1", None, "")
    services.request_feedback(db.session, me(p3), item)

    def inbox(who: str) -> list[str]:
        return list(
            db.session.scalars(
                select(Notification.kind).where(Notification.user_id == p3[who].id).order_by(Notification.id)
            )
        )

    assert inbox("assessor") == ["feedback_requested"]
    assert inbox("lead") == ["feedback_requested"]
    assert inbox("other") == []
    services.add_comment(db.session, me(p3, "assessor"), item, "Onderbouw je conclusie.")
    assert inbox("student") == ["comment"]
    services.add_comment(db.session, me(p3), item, "Gedaan, zie hoofdstuk 4.")
    assert inbox("assessor") == ["feedback_requested", "comment"]
    assert services.unread_count(db.session, p3["student"]) == 1
    services.mark_all_read(db.session, p3["student"])
    assert services.unread_count(db.session, p3["student"]) == 0
    with pytest.raises(services.PortfolioError, match="write something"):
        services.add_comment(db.session, me(p3), item, "   ")


def test_a_draft_claim_cannot_be_reviewed_and_a_reviewed_one_cannot_be_removed(p3) -> None:
    item = new_item(p3)
    claim = services.add_claim(db.session, me(p3), item, p3["cohort"], "B1-K1-W1", None, "")
    with pytest.raises(services.PortfolioError, match="not submitted"):
        services.mark_reviewed(db.session, me(p3, "assessor"), claim)
    services.request_feedback(db.session, me(p3), item)
    services.mark_reviewed(db.session, me(p3, "assessor"), claim)
    with pytest.raises(services.PortfolioError, match="stays"):
        services.remove_claim(db.session, me(p3), claim)


# --- files ---------------------------------------------------------------------------------------


def test_upload_is_stored_by_content_with_a_thumbnail(p3) -> None:
    item = new_item(p3)
    storage = storage_for(current_app)
    attachment = services.add_attachment(db.session, storage, me(p3), item, "../../scherm.png", png_bytes(), LIMIT)
    assert attachment.filename == "scherm.png"
    assert (attachment.kind, attachment.content_type) == ("image", "image/png")
    assert storage.read(attachment.sha256) == png_bytes()
    assert attachment.thumbnail_key and storage.exists(attachment.thumbnail_key)


def test_a_renamed_executable_is_refused_by_its_content(p3) -> None:
    item = new_item(p3)
    exe = b"MZ\x90\x00" + b"\x00" * 60 + b"This program cannot be run in DOS mode." + b"\x00" * 200
    with pytest.raises(
        services.PortfolioError, match=r"verslag\.pdf is not an allowed file: its content is a Windows executable"
    ):
        services.add_attachment(db.session, storage_for(current_app), me(p3), item, "verslag.pdf", exe, LIMIT)
    assert item.current_attachments == []


def test_an_oversized_file_is_refused_with_the_limit(p3) -> None:
    item = new_item(p3)
    data = b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024)
    with pytest.raises(services.PortfolioError, match=r"film.pdf is 2.1 MB; the limit is 1 MB"):
        services.add_attachment(db.session, storage_for(current_app), me(p3), item, "film.pdf", data, 1024 * 1024)


def test_the_extension_follows_the_content(p3) -> None:
    item = new_item(p3)
    attachment = services.add_attachment(
        db.session, storage_for(current_app), me(p3), item, "foto.pdf", png_bytes(), LIMIT
    )
    assert attachment.filename == "foto.png"


# --- versions ------------------------------------------------------------------------------------


def test_a_judged_item_is_frozen_and_edits_make_a_new_version_keeping_the_old(p3) -> None:
    item = new_item(p3, reflection="Eerste versie.")
    storage = storage_for(current_app)
    old_file = services.add_attachment(db.session, storage, me(p3), item, "v1.png", png_bytes(), LIMIT)
    claim = services.add_claim(db.session, me(p3), item, p3["cohort"], "B1-K1-W1", 2, "")
    services.update_item(db.session, me(p3), item, services.ItemData(title="Marktonderzoek", reflection="Bijgewerkt."))
    assert item.version == 1  # not judged yet: edits change the item in place

    services.freeze_item(db.session, claim)
    assert (claim.judged_version, item.frozen_at is not None) == (1, True)
    services.update_item(db.session, me(p3), item, services.ItemData(title="Marktonderzoek v2", reflection="Later."))
    services.remove_attachment(db.session, me(p3), old_file)
    assert item.version == 2
    assert item.current_attachments == []
    old = services.version_of(db.session, item, 1)
    assert (old["title"], old["reflection"]) == ("Marktonderzoek", "Bijgewerkt.")
    assert [a["filename"] for a in old["attachments"]] == ["v1.png"]
    assert storage.exists(old["attachments"][0]["sha256"])  # the judged file stays readable
    assert services.version_of(db.session, item, 2)["title"] == "Marktonderzoek v2"
    assert db.session.scalar(select(func.count()).select_from(EvidenceVersion)) == 1
    with pytest.raises(services.PortfolioError, match="final assessment"):
        services.delete_item(db.session, me(p3), item)
    with pytest.raises(services.PortfolioError, match="judged"):
        services.update_claim(db.session, me(p3), claim, 3, "")


def test_a_second_edit_after_freezing_does_not_make_another_version(p3) -> None:
    item = new_item(p3)
    claim = services.add_claim(db.session, me(p3), item, p3["cohort"], "B1-K1-W1", 2, "")
    services.freeze_item(db.session, claim)
    services.update_item(db.session, me(p3), item, services.ItemData(title="A"))
    services.update_item(db.session, me(p3), item, services.ItemData(title="B"))
    assert item.version == 2
    assert [v.number for v in services.versions_of(db.session, item)] == [1]


# --- sharing -------------------------------------------------------------------------------------


def test_share_link_opens_until_it_expires_or_is_revoked(p3) -> None:
    item = new_item(p3)
    services.add_claim(db.session, me(p3), item, p3["cohort"], "B1-K1-W1", 2, "")
    private = new_item(p3, title="Niet gedeeld")
    new = services.create_share(db.session, me(p3), p3["student"], label="Webwinkel", days=7, cohort=p3["cohort"])
    share = services.find_share(db.session, new.token)
    assert share is not None
    assert services.shared_item_ids(db.session, share) == {item.id}
    assert private.id not in services.shared_item_ids(db.session, share)
    assert services.find_share(db.session, new.token, now=share.expires_at + dt.timedelta(seconds=1)) is None
    assert services.find_share(db.session, new.token + "x") is None
    services.revoke_share(db.session, me(p3), share)
    assert services.find_share(db.session, new.token) is None


def test_share_of_a_selection_shows_only_those_items(p3) -> None:
    a, b = new_item(p3, title="A"), new_item(p3, title="B")
    new = services.create_share(db.session, me(p3), p3["student"], label="HR", days=1, item_ids=[b.id])
    assert services.shared_item_ids(db.session, new.share) == {b.id}
    assert a.id not in services.shared_item_ids(db.session, new.share)


def test_share_input_is_checked(p3) -> None:
    theirs = services.create_item(db.session, me(p3, "other"), p3["other"], services.ItemData(title="Van Daan"))
    with pytest.raises(services.PortfolioError, match="only your own"):
        services.create_share(db.session, me(p3), p3["student"], label="x", days=1, item_ids=[theirs.id])
    with pytest.raises(services.PortfolioError, match="between 1 and 365"):
        services.create_share(db.session, me(p3), p3["student"], label="x", days=400, cohort=p3["cohort"])
    with pytest.raises(services.PortfolioError, match="choose a programme"):
        services.create_share(db.session, me(p3), p3["student"], label="x", days=3)
    with pytest.raises(services.PortfolioError, match="who the link is for"):
        services.create_share(db.session, me(p3), p3["student"], label=" ", days=3, cohort=p3["cohort"])


def test_share_access_is_logged_with_a_truncated_address(p3) -> None:
    new = services.create_share(db.session, me(p3), p3["student"], label="HR", days=1, cohort=p3["cohort"])
    services.record_share_access(db.session, new.share, "203.0.113.57", "Firefox", "portfolio")
    services.record_share_access(db.session, new.share, "2001:db8:1234:5678::1", "Safari", "file 3")
    rows = db.session.scalars(select(ShareAccess).order_by(ShareAccess.id)).all()
    assert [(r.address, r.what) for r in rows] == [("203.0.113.0", "portfolio"), ("2001:db8:1234::", "file 3")]


def test_programmes_of_lists_the_cohorts_a_student_follows(p3) -> None:
    names = [c.name for c in services.programmes_of(db.session, p3["student"])]
    assert sorted(names) == ["4A", "OCM"]
    assert [u.name for u in services.staff_of_cohort(db.session, p3["cohort"])] == ["Anouk", "Pieter"]
    assert isinstance(p3["cohort"], Cohort) and isinstance(p3["student"], User)
