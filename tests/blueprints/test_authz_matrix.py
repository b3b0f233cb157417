"""The authorization matrix: every route, for anonymous visitors, every role, and people of another
organisation, on own and foreign objects.

A route that is registered but missing from MATRIX fails ``test_every_route_is_in_the_matrix``, so
no new route can skip this test. Expectations:
- "ok": allowed (any status below 400 that is not a redirect to sign-in, or a 400 for the empty form
  the matrix sends);
- "login": redirected to the sign-in page; 401/403/404: refused with that status.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import Connection

from app.accounts import services
from app.accounts.models import LinkPurpose
from app.audit import Actor
from app.extensions import db
from app.versioning.mapping import propose_mapping
from tests.factories import (
    build_assessment,
    build_certificate,
    build_crosswalks,
    build_curriculum,
    build_portfolio,
    build_private_standard,
    build_second_version,
    build_world,
)

PERSONAS = [
    "anonymous",
    "student",
    "assessor",
    "assessor_elsewhere",
    "curriculum_lead",
    "hr",
    "org_admin",
    "foreign_admin",
    "platform_admin",
]


def rule(default: object, **overrides: object) -> dict[str, object]:
    return {p: overrides.get(p, default) for p in PERSONAS}


PUBLIC = rule("ok")
SIGNED_IN = rule("ok", anonymous="login")
PLATFORM = rule(403, anonymous="login", platform_admin="ok")
# Own organisation: its members see it; the employer's HR person and the other school's admin do not.
ORG_VIEW = rule("ok", anonymous="login", hr=404, foreign_admin=404)
ORG_MANAGE = rule(403, anonymous="login", hr=404, foreign_admin=404, org_admin="ok", platform_admin="ok")
# The other school's objects: only its own admin and the platform admin.
FOREIGN_ORG = rule(404, anonymous="login", foreign_admin="ok", platform_admin="ok")
COHORT_VIEW = rule(
    403,
    anonymous="login",
    hr=404,
    foreign_admin=404,
    org_admin="ok",
    platform_admin="ok",
    curriculum_lead="ok",
    assessor="ok",
)
COHORT_MANAGE = ORG_MANAGE
# A foreign object addressed under our own organisation: managers get 404, others are stopped earlier.
FOREIGN_UNDER_OWN_MANAGE = rule(403, anonymous="login", hr=404, foreign_admin=404, org_admin=404, platform_admin=404)
FOREIGN_UNDER_OWN_VIEW = rule(404, anonymous="login")
TOKEN_API = rule("ok", anonymous=401)
# A standard private to the school: its members (any role) and platform admins; to everyone else it does
# not exist (404, also for anonymous visitors of these public routes), so its code does not leak.
PRIVATE_STANDARD = rule("ok", anonymous=404, hr=404, foreign_admin=404)
# Importing standards: platform admins, and organisation admins (for their own organisation's standards).
IMPORTER = rule(403, anonymous="login", org_admin="ok", foreign_admin="ok", platform_admin="ok")
MEMBERS_API = rule(403, anonymous=401, hr=404, foreign_admin=404, org_admin="ok", platform_admin="ok")
OWN_TOKEN = rule(404, anonymous="login", student="ok")
INVALID_LINK = rule(404)
ADDRESSEE = rule(404, anonymous="login", student="ok")
# Portfolios: the student, and the staff of the student's cohort (its assessor, the school's curriculum
# lead and administrator). Nobody else learns the evidence exists; platform admins have no reading right.
PORTFOLIO_VIEW = rule(404, anonymous="login", student="ok", assessor="ok", curriculum_lead="ok", org_admin="ok")
PORTFOLIO_OWN = rule(404, anonymous="login", student="ok", assessor=403, curriculum_lead=403, org_admin=403)
PORTFOLIO_REVIEW = rule(404, anonymous="login", student=403, assessor="ok", curriculum_lead="ok", org_admin="ok")
ONLY_OWNER = rule(404, anonymous="login", student="ok")
FOREIGN_PORTFOLIO = rule(404, anonymous="login", foreign_admin="ok")
FOREIGN_PORTFOLIO_OWN = rule(404, anonymous="login", foreign_admin=403)
# Assessments: the cohort's staff start and read them, the candidate reads their own, only the
# assessment's own assessors judge, settle and sign.
COHORT_STAFF = rule(404, anonymous="login", assessor="ok", curriculum_lead="ok", org_admin="ok")
FOREIGN_STAFF = rule(404, anonymous="login", foreign_admin="ok")
ASSESSMENT_VIEW = PORTFOLIO_VIEW
ISSUER = rule(404, anonymous="login", assessor=403, curriculum_lead=403, org_admin="ok")
ONLY_ISSUER = rule(404, anonymous="login", org_admin="ok")
CERTIFICATE_MANAGE = rule(404, anonymous="login", student=403, assessor=403, curriculum_lead=403, org_admin="ok")
# Crosswalks: published ones are public; a school's draft is read by the school's members and authored by
# its curriculum lead and administrator (and HR of an employer for the employer's own).
CW_AUTHOR = rule(
    403, anonymous="login", curriculum_lead="ok", hr="ok", org_admin="ok", foreign_admin="ok", platform_admin="ok"
)
CW_DRAFT_VIEW = rule(404, student="ok", assessor="ok", assessor_elsewhere="ok", curriculum_lead="ok", org_admin="ok")
CW_DRAFT_MANAGE = rule(
    404, anonymous="login", student=403, assessor=403, assessor_elsewhere=403, curriculum_lead="ok", org_admin="ok"
)
CW_PLATFORM_MANAGE = rule(403, anonymous="login", platform_admin="ok")
CW_API_DRAFT = rule(
    404, anonymous=401, student="ok", assessor="ok", assessor_elsewhere="ok", curriculum_lead="ok", org_admin="ok"
)
# Job profiles and candidates (issue 15): the employer's HR only; nobody learns that others' exist.
HR_ONLY = rule(404, anonymous="login", hr="ok")
NOBODY = rule(404, anonymous="login")
# Curricula: the school's readers (assessors, exam committee, curriculum leads, administrators) read; curriculum
# leads and administrators edit; the exam committee and administrators adopt. Nobody else learns of them.
CUR_VIEW = rule(404, anonymous="login", assessor="ok", assessor_elsewhere="ok", curriculum_lead="ok", org_admin="ok")
CUR_EDIT = rule(404, anonymous="login", assessor=403, assessor_elsewhere=403, curriculum_lead="ok", org_admin="ok")
CUR_ADOPT = rule(404, anonymous="login", assessor=403, assessor_elsewhere=403, curriculum_lead=403, org_admin="ok")
CUR_FOREIGN = rule(404, anonymous="login", foreign_admin="ok")
CUR_START = rule(404, anonymous="login", assessor="ok", curriculum_lead="ok", org_admin="ok")
CUR_API = rule(404, anonymous=401, assessor="ok", assessor_elsewhere="ok", curriculum_lead="ok", org_admin="ok")
ASSESSMENT_JUDGE = rule(404, anonymous="login", student=403, assessor="ok", curriculum_lead=403, org_admin=403)


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    expect: dict[str, object]
    data: dict[str, object] | None = None


MATRIX: dict[str, list[Case]] = {
    "main.index": [Case("GET", "/", PUBLIC)],
    "main.healthz": [Case("GET", "/healthz", PUBLIC)],
    "main.set_language": [Case("POST", "/language", PUBLIC, {"lang": "nl", "next": "/"})],
    "standards.index": [Case("GET", "/standards/", PUBLIC)],
    "standards.search_page": [Case("GET", "/standards/search?q=a", PUBLIC)],
    "standards.framework_page": [
        Case("GET", "/standards/{framework}", PUBLIC),
        Case("GET", "/standards/{private_framework}", PRIVATE_STANDARD),
    ],
    "standards.element_page": [
        Case("GET", "/standards/{framework}/e/{element}", PUBLIC),
        Case("GET", "/standards/{private_framework}/e/{private_element}", PRIVATE_STANDARD),
    ],
    "standards.import_page": [
        Case("GET", "/standards/import", IMPORTER),
        Case("POST", "/standards/import", IMPORTER),
        Case("GET", "/standards/import?organisation={org}", IMPORTER),
    ],
    "standards.framework_version_page": [Case("GET", "/standards/{framework}/versions/{fw_version}", PUBLIC)],
    "standards.element_version_page": [Case("GET", "/standards/{framework}/versions/{fw_version}/e/{element}", PUBLIC)],
    "standards.diff_page": [Case("GET", "/standards/{framework}/diff", PUBLIC)],
    "standards.propose_mapping": [
        Case("POST", "/standards/{framework}/mapping", PLATFORM, {"from_version": "{fw_version}", "to_version": "2099"})
    ],
    "standards.mapping_page": [Case("GET", "/standards/mappings/{mapping}", PLATFORM)],
    "standards.change_mapping_row": [
        Case("POST", "/standards/mappings/{mapping}/rows/{mapping_row}", PLATFORM, {"relation": "none"})
    ],
    "standards.confirm_mapping": [Case("POST", "/standards/mappings/{mapping}/confirm", PLATFORM)],
    "orgs.cohort_version": [
        Case("GET", "/orgs/{org}/cohorts/{cohort}/version", COHORT_MANAGE),
        Case("POST", "/orgs/{org}/cohorts/{cohort}/version", COHORT_MANAGE, {}),
        Case("GET", "/orgs/{other_org}/cohorts/{other_cohort}/version", FOREIGN_ORG),
    ],
    "api.frameworks": [Case("GET", "/api/v1/frameworks", PUBLIC)],
    "api.framework": [
        Case("GET", "/api/v1/frameworks/{framework}", PUBLIC),
        Case("GET", "/api/v1/frameworks/{private_framework}", PRIVATE_STANDARD),
    ],
    "api.element": [
        Case("GET", "/api/v1/frameworks/{framework}/elements/{element}", PUBLIC),
        Case("GET", "/api/v1/frameworks/{private_framework}/elements/{private_element}", PRIVATE_STANDARD),
    ],
    "api.search_api": [Case("GET", "/api/v1/search?q=a", PUBLIC)],
    "api.framework_export": [
        Case("GET", "/api/v1/frameworks/{framework}/export/case", PUBLIC),
        Case("GET", "/api/v1/frameworks/{private_framework}/export/case", PRIVATE_STANDARD),
        Case("GET", "/api/v1/frameworks/{private_framework}/export/moodle", PRIVATE_STANDARD),
        Case("GET", "/api/v1/frameworks/{private_framework}/export/yaml", PRIVATE_STANDARD),
    ],
    "case.documents": [Case("GET", "/ims/case/v1p1/CFDocuments", PUBLIC)],
    "case.document": [
        Case("GET", "/ims/case/v1p1/CFDocuments/{case_document}", PUBLIC),
        Case("GET", "/ims/case/v1p1/CFDocuments/{private_case_document}", PRIVATE_STANDARD),
    ],
    "case.package": [
        Case("GET", "/ims/case/v1p1/CFPackages/{case_document}", PUBLIC),
        Case("GET", "/ims/case/v1p1/CFPackages/{private_case_document}", PRIVATE_STANDARD),
    ],
    "case.item": [
        Case("GET", "/ims/case/v1p1/CFItems/{case_item}", PUBLIC),
        Case("GET", "/ims/case/v1p1/CFItems/{private_case_item}", PRIVATE_STANDARD),
    ],
    "case.item_associations": [
        Case("GET", "/ims/case/v1p1/CFItemAssociations/{case_item}", PUBLIC),
        Case("GET", "/ims/case/v1p1/CFItemAssociations/{private_case_item}", PRIVATE_STANDARD),
    ],
    "case.association": [
        Case("GET", "/ims/case/v1p1/CFAssociations/{case_association}", PUBLIC),
        Case("GET", "/ims/case/v1p1/CFAssociations/{private_case_association}", PRIVATE_STANDARD),
    ],
    "case.item_type": [Case("GET", "/ims/case/v1p1/CFItemTypes/{case_item_type}", PUBLIC)],
    "case.rubric": [
        Case("GET", "/ims/case/v1p1/CFRubrics/{case_rubric}", PUBLIC),
        Case("GET", "/ims/case/v1p1/CFRubrics/{private_case_rubric}", PRIVATE_STANDARD),
    ],
    "api.me": [Case("GET", "/api/v1/me", TOKEN_API)],
    "api.organisations": [Case("GET", "/api/v1/organisations", TOKEN_API)],
    "api.organisation_members": [
        Case("GET", "/api/v1/organisations/{org}/members", MEMBERS_API),
        Case(
            "GET",
            "/api/v1/organisations/{other_org}/members",
            rule(404, anonymous=401, foreign_admin="ok", platform_admin="ok"),
        ),
    ],
    "auth.login": [Case("GET", "/sign-in", PUBLIC), Case("POST", "/sign-in", PUBLIC, {})],
    "auth.logout": [Case("POST", "/sign-out", PUBLIC)],
    "auth.logout_everywhere": [Case("POST", "/sign-out-everywhere", SIGNED_IN)],
    "auth.accept_invitation": [
        Case("GET", "/invitation/{invitation}", PUBLIC),
        Case("GET", "/invitation/{student_invitation_token}", PUBLIC),  # shows; only the owner can answer
        Case("GET", "/invitation/not-a-real-token", INVALID_LINK),
    ],
    "auth.reset_password": [
        Case("GET", "/password/reset/{reset}", PUBLIC),
        Case("GET", "/password/reset/{invitation}", INVALID_LINK),  # an invitation is no reset link
    ],
    "auth.forgot_password": [Case("GET", "/password/forgot", PUBLIC)],
    "account.profile": [Case("GET", "/account/", SIGNED_IN), Case("POST", "/account/", SIGNED_IN, {})],
    "account.change_password": [Case("POST", "/account/password", SIGNED_IN, {})],
    "account.tokens": [Case("GET", "/account/tokens", SIGNED_IN), Case("POST", "/account/tokens", SIGNED_IN, {})],
    "account.revoke_token": [Case("POST", "/account/tokens/{student_token}/revoke", OWN_TOKEN)],
    "orgs.index": [Case("GET", "/orgs/", SIGNED_IN)],
    "orgs.create": [Case("GET", "/orgs/new", PLATFORM), Case("POST", "/orgs/new", PLATFORM, {})],
    "orgs.show": [Case("GET", "/orgs/{org}", ORG_VIEW), Case("GET", "/orgs/{other_org}", FOREIGN_ORG)],
    "orgs.members": [
        Case("GET", "/orgs/{org}/members", ORG_MANAGE),
        Case("GET", "/orgs/{other_org}/members", FOREIGN_ORG),
    ],
    "orgs.invite": [
        Case("GET", "/orgs/{org}/members/invite", ORG_MANAGE),
        Case("POST", "/orgs/{org}/members/invite", ORG_MANAGE, {}),
        Case("GET", "/orgs/{other_org}/members/invite", FOREIGN_ORG),
    ],
    "orgs.member": [
        Case("GET", "/orgs/{org}/members/{student}", ORG_MANAGE),
        Case("POST", "/orgs/{org}/members/{student}", ORG_MANAGE, {"roles": ["student", "assessor"]}),
        Case("GET", "/orgs/{org}/members/{foreign_student}", FOREIGN_UNDER_OWN_MANAGE),
        Case("GET", "/orgs/{other_org}/members/{foreign_student}", FOREIGN_ORG),
    ],
    "orgs.member_link": [
        Case("POST", "/orgs/{org}/members/{student}/link", ORG_MANAGE),
        Case("POST", "/orgs/{org}/members/{foreign_student}/link", FOREIGN_UNDER_OWN_MANAGE),
    ],
    "orgs.member_active": [
        Case("POST", "/orgs/{org}/members/{student}/active", ORG_MANAGE, {"active": "0"}),
        Case("POST", "/orgs/{org}/members/{foreign_student}/active", FOREIGN_UNDER_OWN_MANAGE, {"active": "0"}),
    ],
    "orgs.new_cohort": [
        Case("GET", "/orgs/{org}/cohorts/new", ORG_MANAGE),
        Case("POST", "/orgs/{org}/cohorts/new", ORG_MANAGE, {}),
        Case("GET", "/orgs/{other_org}/cohorts/new", FOREIGN_ORG),
    ],
    "orgs.cohort": [
        Case("GET", "/orgs/{org}/cohorts/{cohort}", COHORT_VIEW),
        Case("GET", "/orgs/{org}/cohorts/{other_cohort}", FOREIGN_UNDER_OWN_VIEW),
        Case("GET", "/orgs/{other_org}/cohorts/{other_cohort}", FOREIGN_ORG),
    ],
    "orgs.add_assessor": [
        Case("POST", "/orgs/{org}/cohorts/{cohort}/assessors", COHORT_MANAGE, {"email": "hr@test.example"}),
        Case(
            "POST",
            "/orgs/{org}/cohorts/{other_cohort}/assessors",
            FOREIGN_UNDER_OWN_MANAGE,
            {"email": "hr@test.example"},
        ),
    ],
    "orgs.remove_from_cohort": [
        Case("POST", "/orgs/{org}/cohorts/{cohort}/people/{student}/remove", COHORT_MANAGE, {"role": "student"}),
        Case(
            "POST",
            "/orgs/{org}/cohorts/{other_cohort}/people/{foreign_student}/remove",
            FOREIGN_UNDER_OWN_MANAGE,
            {"role": "student"},
        ),
    ],
    # Invitations to existing accounts (issue 10): only the addressee answers; only the inviting
    # organisation's managers withdraw, and only their own.
    "invitations.index": [Case("GET", "/invitations/", SIGNED_IN)],
    "invitations.accept": [Case("POST", "/invitations/{student_invitation}/accept", ADDRESSEE)],
    "invitations.decline": [Case("POST", "/invitations/{student_invitation}/decline", ADDRESSEE)],
    "orgs.withdraw_invitation": [
        Case("POST", "/orgs/{org}/invitations/{org_invitation}/withdraw", ORG_MANAGE),
        Case("POST", "/orgs/{org}/invitations/{student_invitation}/withdraw", FOREIGN_UNDER_OWN_MANAGE),
        Case("POST", "/orgs/{other_org}/invitations/{student_invitation}/withdraw", FOREIGN_ORG),
    ],
    "orgs.import_people": [
        Case("GET", "/orgs/{org}/cohorts/{cohort}/import", COHORT_MANAGE),
        Case("POST", "/orgs/{org}/cohorts/{cohort}/import", COHORT_MANAGE, {}),
        Case("GET", "/orgs/{other_org}/cohorts/{other_cohort}/import", FOREIGN_ORG),
    ],
    "portfolio.index": [Case("GET", "/portfolio/", SIGNED_IN)],
    "portfolio.programme": [
        Case("GET", "/portfolio/students/{student}/programmes/{cohort}", PORTFOLIO_VIEW),
        Case("GET", "/portfolio/students/{foreign_student}/programmes/{other_cohort}", FOREIGN_PORTFOLIO),
        Case("GET", "/portfolio/students/{student}/programmes/{other_cohort}", rule(404, anonymous="login")),
    ],
    "portfolio.new_item": [
        Case("GET", "/portfolio/items/new", SIGNED_IN),
        Case("POST", "/portfolio/items/new", SIGNED_IN, {}),
    ],
    "portfolio.item": [
        Case("GET", "/portfolio/items/{item}", PORTFOLIO_VIEW),
        Case("GET", "/portfolio/items/{private_item}", ONLY_OWNER),
        Case("GET", "/portfolio/items/{foreign_item}", FOREIGN_PORTFOLIO),
    ],
    "portfolio.edit_item": [
        Case("GET", "/portfolio/items/{item}/edit", PORTFOLIO_OWN),
        Case("POST", "/portfolio/items/{item}/edit", PORTFOLIO_OWN, {}),
        Case("GET", "/portfolio/items/{foreign_item}/edit", FOREIGN_PORTFOLIO_OWN),
    ],
    "portfolio.delete_item": [
        Case("POST", "/portfolio/items/{item}/delete", PORTFOLIO_OWN),
        Case("POST", "/portfolio/items/{private_item}/delete", ONLY_OWNER),
    ],
    "portfolio.item_version": [
        Case("GET", "/portfolio/items/{item}/versions/1", PORTFOLIO_VIEW),
        Case("GET", "/portfolio/items/{foreign_item}/versions/1", FOREIGN_PORTFOLIO),
    ],
    "portfolio.upload": [
        Case("POST", "/portfolio/items/{item}/files", PORTFOLIO_OWN),
        Case("POST", "/portfolio/items/{foreign_item}/files", FOREIGN_PORTFOLIO_OWN),
    ],
    "portfolio.remove_file": [
        Case("POST", "/portfolio/items/{item}/files/{attachment}/remove", PORTFOLIO_OWN),
        Case("POST", "/portfolio/items/{item}/files/{foreign_attachment}/remove", PORTFOLIO_OWN | {"student": 404}),
    ],
    "portfolio.download": [
        Case("GET", "/portfolio/files/{attachment}", PORTFOLIO_VIEW),
        Case("GET", "/portfolio/files/{attachment}?thumb=1", PORTFOLIO_VIEW),
        Case("GET", "/portfolio/files/{foreign_attachment}", FOREIGN_PORTFOLIO),
    ],
    "portfolio.version_file": [
        Case("GET", "/portfolio/items/{item}/versions/1/files/{attachment}", PORTFOLIO_VIEW),
        Case("GET", "/portfolio/items/{foreign_item}/versions/1/files/{foreign_attachment}", FOREIGN_PORTFOLIO),
        # Another item's file through one's own item: no one, not even its owner.
        Case("GET", "/portfolio/items/{item}/versions/1/files/{foreign_attachment}", rule(404, anonymous="login")),
    ],
    "portfolio.add_link": [Case("POST", "/portfolio/items/{item}/links", PORTFOLIO_OWN, {"url": "https://x.example"})],
    "portfolio.remove_link": [Case("POST", "/portfolio/items/{item}/links/{link}/remove", PORTFOLIO_OWN)],
    "portfolio.add_claim": [
        Case("POST", "/portfolio/items/{item}/claims", PORTFOLIO_OWN, {}),
        Case("POST", "/portfolio/items/{foreign_item}/claims", FOREIGN_PORTFOLIO_OWN, {}),
    ],
    "portfolio.remove_claim": [Case("POST", "/portfolio/claims/{claim}/remove", PORTFOLIO_OWN)],
    "portfolio.request_feedback": [Case("POST", "/portfolio/items/{item}/feedback", PORTFOLIO_OWN)],
    "portfolio.mark_reviewed": [Case("POST", "/portfolio/claims/{claim}/reviewed", PORTFOLIO_REVIEW)],
    "portfolio.add_comment": [
        Case("POST", "/portfolio/items/{item}/comments", PORTFOLIO_VIEW, {"body": "Well done"}),
        Case("POST", "/portfolio/items/{private_item}/comments", ONLY_OWNER, {"body": "Note"}),
        Case("POST", "/portfolio/items/{foreign_item}/comments", FOREIGN_PORTFOLIO, {"body": "Hi"}),
    ],
    "portfolio.notifications": [Case("GET", "/notifications", SIGNED_IN)],
    "portfolio.notifications_read": [Case("POST", "/notifications/read", SIGNED_IN)],
    "portfolio.shares": [
        Case("GET", "/portfolio/shares", SIGNED_IN),
        Case("POST", "/portfolio/shares", SIGNED_IN, {}),
    ],
    "portfolio.revoke_share": [Case("POST", "/portfolio/shares/{share}/revoke", ONLY_OWNER)],
    "portfolio.shared": [
        Case("GET", "/s/{share_token}", PUBLIC),
        Case("GET", "/s/not-a-real-token", INVALID_LINK),
    ],
    "portfolio.shared_file": [
        Case("GET", "/s/{share_token}/files/{attachment}", PUBLIC),
        Case("GET", "/s/{share_token}/files/{foreign_attachment}", INVALID_LINK),
        Case("GET", "/s/not-a-real-token/files/{attachment}", INVALID_LINK),
    ],
    "portfolio.export": [
        Case("POST", "/portfolio/students/{student}/programmes/{cohort}/export", PORTFOLIO_VIEW),
        Case("POST", "/portfolio/students/{foreign_student}/programmes/{other_cohort}/export", FOREIGN_PORTFOLIO),
    ],
    "portfolio.export_status": [Case("GET", "/portfolio/exports/{export}", ONLY_OWNER)],
    "portfolio.export_progress": [Case("GET", "/portfolio/exports/{export}/status", ONLY_OWNER)],
    "portfolio.export_download": [Case("GET", "/portfolio/exports/{export}/download", ONLY_OWNER)],
    "assess.queue": [Case("GET", "/assess/", SIGNED_IN)],
    "assess.matrix": [
        Case("GET", "/assess/cohorts/{cohort}", COHORT_STAFF),
        Case("GET", "/assess/cohorts/{other_cohort}", FOREIGN_STAFF),
    ],
    "assess.start": [
        Case("POST", "/assess/cohorts/{cohort}/start", COHORT_STAFF, {}),
        Case("POST", "/assess/cohorts/{other_cohort}/start", FOREIGN_STAFF, {}),
    ],
    "assess.results": [
        Case("GET", "/assess/cohorts/{cohort}/results.csv", COHORT_STAFF),
        Case("GET", "/assess/cohorts/{cohort}/results.xlsx", COHORT_STAFF),
        Case("GET", "/assess/cohorts/{other_cohort}/results.csv", FOREIGN_STAFF),
    ],
    "assess.show": [Case("GET", "/assess/{assessment}", ASSESSMENT_VIEW)],
    "assess.add_assessor": [
        Case(
            "POST",
            "/assess/{assessment}/assessors",
            rule(404, anonymous="login", student=403, assessor="ok", curriculum_lead="ok", org_admin="ok"),
            {"assessor_id": "0"},
        )
    ],
    "assess.form_pdf": [Case("GET", "/assess/{assessment}/form.pdf", ASSESSMENT_VIEW)],
    "assess.judge": [
        Case("POST", "/assess/{assessment}/judge/{assess_key}", ASSESSMENT_JUDGE, {"level": "1", "version": ""})
    ],
    "assess.submit": [Case("POST", "/assess/{assessment}/submit", ASSESSMENT_JUDGE)],
    "assess.settle": [Case("POST", "/assess/{assessment}/settle/{assess_key}", ASSESSMENT_JUDGE, {"level": "1"})],
    "assess.sign": [Case("POST", "/assess/{assessment}/sign", ASSESSMENT_JUDGE, {"password": "x"})],
    "assess.correct": [Case("POST", "/assess/{assessment}/correct", ASSESSMENT_JUDGE, {"reason": "r"})],
    "assess.progress": [
        Case("GET", "/progress/students/{student}/programmes/{cohort}", PORTFOLIO_VIEW),
        Case("GET", "/progress/students/{foreign_student}/programmes/{other_cohort}", FOREIGN_PORTFOLIO),
    ],
    "certificates.index": [Case("GET", "/certificates/", SIGNED_IN)],
    "certificates.cohort": [
        Case("GET", "/certificates/cohorts/{cohort}", ISSUER),
        Case("GET", "/certificates/cohorts/{other_cohort}", FOREIGN_STAFF),
    ],
    "certificates.issue": [
        Case("POST", "/certificates/cohorts/{cohort}/issue", ISSUER, {}),
        Case("POST", "/certificates/cohorts/{other_cohort}/issue", FOREIGN_STAFF, {}),
    ],
    "certificates.batch": [
        Case("POST", "/certificates/cohorts/{cohort}/batch", ISSUER, {}),
        Case("POST", "/certificates/cohorts/{other_cohort}/batch", FOREIGN_STAFF, {"confirm": "1"}),
    ],
    "certificates.preview": [
        Case("GET", "/certificates/cohorts/{cohort}/preview", ISSUER),
        Case("GET", "/certificates/cohorts/{other_cohort}/preview", FOREIGN_STAFF),
    ],
    "certificates.register": [
        Case("GET", "/certificates/register/{org}", ONLY_ISSUER),
        Case("GET", "/certificates/register/{other_org}?q=a", FOREIGN_STAFF),
    ],
    "certificates.register_export": [
        Case("GET", "/certificates/register/{org}/export.csv", ONLY_ISSUER),
        Case("GET", "/certificates/register/{org}/export.xlsx?status=revoked", ONLY_ISSUER),
        Case("GET", "/certificates/register/{other_org}/export.csv", FOREIGN_STAFF),
    ],
    "certificates.batch_status": [Case("GET", "/certificates/batches/{batch}", ONLY_ISSUER)],
    "certificates.batch_progress": [Case("GET", "/certificates/batches/{batch}/status", ONLY_ISSUER)],
    "certificates.pdf": [Case("GET", "/certificates/{certificate}/certificate.pdf", PORTFOLIO_VIEW)],
    "certificates.credential": [Case("GET", "/certificates/{certificate}/credential.json", PORTFOLIO_VIEW)],
    "certificates.revoke": [
        Case("POST", "/certificates/{certificate}/revoke", CERTIFICATE_MANAGE, {"reason": "r", "password": "x"})
    ],
    "certificates.verify": [
        Case("GET", "/verify/{cert_public}", PUBLIC),
        Case("GET", "/verify/not-a-certificate", INVALID_LINK),
    ],
    "certificates.verify_upload": [Case("GET", "/verify", PUBLIC), Case("POST", "/verify", PUBLIC, {})],
    "certificates.issuer": [Case("GET", "/issuers/{org}", PUBLIC), Case("GET", "/issuers/{other_org}", INVALID_LINK)],
    "certificates.status_list": [Case("GET", "/status/{org}/revocation", PUBLIC)],
    "certificates.achievement": [
        Case("GET", "/achievements/{org}/{framework}/{cert_scope}", PUBLIC),
        Case("GET", "/achievements/{org}/nope/x", INVALID_LINK),
    ],
    "certificates.badge_image": [
        Case("GET", "/badges/{org}/{framework}/{cert_scope}", PUBLIC),
        Case("GET", "/badges/{other_org}/{framework}/{cert_scope}", INVALID_LINK),
    ],
    "certificates.issuer_image": [
        Case("GET", "/issuers/{org}/image.png", PUBLIC),
        Case("GET", "/issuers/{other_org}/image.png", INVALID_LINK),
    ],
    "certificates.baked_badge": [Case("GET", "/certificates/{certificate}/badge.png", PORTFOLIO_VIEW)],
    "certificates.holder": [Case("GET", "/holders/{holder_ref}", ONLY_OWNER), Case("GET", "/holders/x", NOBODY)],
    "crosswalks.index": [Case("GET", "/crosswalks/", PUBLIC)],
    "crosswalks.new": [Case("GET", "/crosswalks/new", CW_AUTHOR), Case("POST", "/crosswalks/new", CW_AUTHOR, {})],
    "crosswalks.import_page": [
        Case("GET", "/crosswalks/import", CW_AUTHOR),
        Case("POST", "/crosswalks/import", CW_AUTHOR, {}),
    ],
    "crosswalks.show": [
        Case("GET", "/crosswalks/{cw_published}", PUBLIC),
        Case("GET", "/crosswalks/{cw_draft}", CW_DRAFT_VIEW),
        Case("GET", "/crosswalks/{cw_foreign}", rule(404, foreign_admin="ok")),
    ],
    "crosswalks.export": [
        Case("GET", "/crosswalks/{cw_published}/export/sssom", PUBLIC),
        Case("GET", "/crosswalks/{cw_published}/export/case", PUBLIC),
        Case("GET", "/crosswalks/{cw_draft}/export/sssom", CW_DRAFT_VIEW),
    ],
    "crosswalks.author": [
        Case("GET", "/crosswalks/{cw_draft}/author", CW_DRAFT_MANAGE),
        Case("GET", "/crosswalks/{cw_published}/author", CW_PLATFORM_MANAGE),
        Case("GET", "/crosswalks/{cw_foreign}/author", rule(404, anonymous="login", foreign_admin="ok")),
    ],
    "crosswalks.add_link": [Case("POST", "/crosswalks/{cw_draft}/links", CW_DRAFT_MANAGE, {})],
    "crosswalks.remove_link": [
        Case("POST", "/crosswalks/{cw_draft}/links/{cw_link}/remove", CW_DRAFT_MANAGE),
        Case("POST", "/crosswalks/{cw_published}/links/{cw_link}/remove", CW_PLATFORM_MANAGE | {"platform_admin": 404}),
    ],
    "crosswalks.accept": [Case("POST", "/crosswalks/{cw_draft}/suggestions/accept", CW_DRAFT_MANAGE, {})],
    "crosswalks.reject": [Case("POST", "/crosswalks/{cw_draft}/suggestions/reject", CW_DRAFT_MANAGE, {})],
    "crosswalks.publish": [
        Case("POST", "/crosswalks/{cw_draft}/publish", CW_DRAFT_MANAGE),
        Case("POST", "/crosswalks/{cw_foreign}/publish", rule(404, anonymous="login", foreign_admin="ok")),
    ],
    "crosswalks.edit": [
        Case("GET", "/crosswalks/{cw_draft}/edit", CW_DRAFT_MANAGE),
        Case("POST", "/crosswalks/{cw_draft}/edit", CW_DRAFT_MANAGE, {}),
        Case("POST", "/crosswalks/{cw_published}/edit", CW_PLATFORM_MANAGE, {"name": "Renamed"}),
        Case("GET", "/crosswalks/{cw_foreign}/edit", rule(404, anonymous="login", foreign_admin="ok")),
    ],
    "crosswalks.unpublish": [
        Case("POST", "/crosswalks/{cw_published}/unpublish", CW_PLATFORM_MANAGE),
        Case("POST", "/crosswalks/{cw_draft}/unpublish", CW_DRAFT_MANAGE),
        Case("POST", "/crosswalks/{cw_foreign}/unpublish", rule(404, anonymous="login", foreign_admin="ok")),
    ],
    "crosswalks.delete": [
        Case("POST", "/crosswalks/{cw_draft}/delete", CW_DRAFT_MANAGE),
        Case("POST", "/crosswalks/{cw_published}/delete", CW_PLATFORM_MANAGE),
        Case("POST", "/crosswalks/{cw_foreign}/delete", rule(404, anonymous="login", foreign_admin="ok")),
    ],
    "api.crosswalks": [Case("GET", "/api/v1/crosswalks", TOKEN_API)],
    "api.crosswalk": [
        Case("GET", "/api/v1/crosswalks/{cw_published}", TOKEN_API),
        Case("GET", "/api/v1/crosswalks/{cw_draft}", CW_API_DRAFT),
    ],
    "matching.employers": [Case("GET", "/employers/", SIGNED_IN)],
    "matching.job_profiles": [
        Case("GET", "/employers/{employer}/job-profiles", HR_ONLY),
        Case("POST", "/employers/{employer}/job-profiles", HR_ONLY, {}),
        Case("GET", "/employers/{org}/job-profiles", NOBODY),  # a school has no job profiles
    ],
    "matching.from_standard": [Case("POST", "/employers/{employer}/job-profiles/from-standard", HR_ONLY, {})],
    "matching.job_profile": [
        Case("GET", "/job-profiles/{job_profile}", HR_ONLY),
        Case("POST", "/job-profiles/{job_profile}", HR_ONLY, {}),
        Case("GET", "/job-profiles/{foreign_job_profile}", NOBODY),
    ],
    "matching.add_requirement": [Case("POST", "/job-profiles/{job_profile}/requirements", HR_ONLY, {})],
    "matching.propose_from_vacancy": [
        Case("POST", "/job-profiles/{job_profile}/vacancy", HR_ONLY, {"v-text": "Klachten behandelen"}),
        Case("POST", "/job-profiles/{foreign_job_profile}/vacancy", NOBODY, {"v-text": "Klachten behandelen"}),
    ],
    "matching.accept_proposals": [
        Case("POST", "/job-profiles/{job_profile}/vacancy/accept", HR_ONLY, {}),
        Case("POST", "/job-profiles/{foreign_job_profile}/vacancy/accept", NOBODY, {}),
    ],
    "matching.update_requirement": [
        Case("POST", "/job-profiles/{job_profile}/requirements/{requirement}", HR_ONLY, {"weight": "optional"}),
        Case("POST", "/job-profiles/{foreign_job_profile}/requirements/{requirement}", NOBODY, {"weight": "optional"}),
    ],
    "matching.remove_requirement": [
        Case("POST", "/job-profiles/{job_profile}/requirements/{requirement}/remove", HR_ONLY),
        Case(
            "POST", "/job-profiles/{draft_job_profile}/requirements/{requirement}/remove", rule(404, anonymous="login")
        ),
    ],
    "matching.delete_job_profile": [
        Case("POST", "/job-profiles/{job_profile}/delete", HR_ONLY),
        Case("POST", "/job-profiles/{foreign_job_profile}/delete", NOBODY),
    ],
    "matching.candidates": [
        Case("GET", "/job-profiles/{job_profile}/candidates", HR_ONLY),
        Case("GET", "/job-profiles/{foreign_job_profile}/candidates", NOBODY),
    ],
    "matching.candidate": [
        Case("GET", "/job-profiles/{job_profile}/candidates/u{student}", HR_ONLY),
        # No consent: nobody sees the person, not even the employer's HR.
        Case("GET", "/job-profiles/{job_profile}/candidates/u{other_student}", NOBODY),
        Case("GET", "/job-profiles/{job_profile}/candidates/x1", NOBODY),
    ],
    "matching.compare": [Case("GET", "/job-profiles/{job_profile}/compare?c=u{student}", HR_ONLY)],
    "matching.plan": [
        Case("GET", "/job-profiles/{job_profile}/candidates/u{student}/plan.xlsx", HR_ONLY),
        Case("GET", "/job-profiles/{job_profile}/candidates/u{other_student}/plan.pdf", NOBODY),
    ],
    "matching.my_consents": [Case("GET", "/me/consents", SIGNED_IN), Case("POST", "/me/consents", SIGNED_IN, {})],
    "matching.revoke_consent": [Case("POST", "/me/consents/{consent}/revoke", ONLY_OWNER)],
    "matching.my_fits": [Case("GET", "/me/job-profiles", SIGNED_IN)],
    "matching.apply": [
        Case("POST", "/me/job-profiles/{job_profile}/apply", SIGNED_IN),
        Case("POST", "/me/job-profiles/{draft_job_profile}/apply", NOBODY),
    ],
    "matching.withdraw_application": [Case("POST", "/me/applications/{application}/withdraw", ONLY_OWNER)],
    "matching.public_apply": [
        Case("GET", "/apply/{job_token}", PUBLIC),
        Case("POST", "/apply/{job_token}", PUBLIC, {}),
        Case("GET", "/apply/{draft_token}", INVALID_LINK),
        Case("GET", "/apply/not-a-token", INVALID_LINK),
    ],
    "api.job_profiles": [Case("GET", "/api/v1/job-profiles", TOKEN_API)],
    "api.job_profile": [
        Case("GET", "/api/v1/job-profiles/{job_profile}", rule(404, anonymous=401, hr="ok")),
        Case("GET", "/api/v1/job-profiles/{foreign_job_profile}", rule(404, anonymous=401)),
    ],
    "api.job_profile_matches": [
        Case("GET", "/api/v1/job-profiles/{job_profile}/matches", rule(404, anonymous=401, hr="ok")),
        Case("GET", "/api/v1/job-profiles/{foreign_job_profile}/matches", rule(404, anonymous=401)),
    ],
    "curriculum.index": [Case("GET", "/curricula/", SIGNED_IN)],
    "curriculum.new": [Case("GET", "/curricula/new", SIGNED_IN), Case("POST", "/curricula/new", SIGNED_IN, {})],
    "curriculum.show": [
        Case("GET", "/curricula/{curriculum}", CUR_VIEW),
        Case("GET", "/curricula/{other_curriculum}", CUR_FOREIGN),
    ],
    "curriculum.settings": [
        Case("POST", "/curricula/{curriculum}/settings", CUR_EDIT, {"settings-over_assessed_threshold": "3"})
    ],
    "curriculum.follow": [Case("POST", "/curricula/{curriculum}/cohorts", CUR_EDIT, {})],
    "curriculum.add_unit": [
        Case("POST", "/curricula/{curriculum}/units", CUR_EDIT, {"unit-kind": "module", "unit-title": "x"}),
        Case("POST", "/curricula/{other_curriculum}/units", rule(404, anonymous="login", foreign_admin="ok"), {}),
    ],
    "curriculum.edit_unit": [
        Case("GET", "/curricula/{curriculum}/units/{cur_unit}", CUR_EDIT),
        Case("POST", "/curricula/{curriculum}/units/{cur_unit}", CUR_EDIT, {}),
    ],
    "curriculum.delete_unit": [Case("POST", "/curricula/{curriculum}/units/{cur_unit}/delete", CUR_EDIT)],
    "curriculum.add_instrument": [Case("POST", "/curricula/{curriculum}/instruments", CUR_EDIT, {})],
    "curriculum.edit_instrument": [
        Case("GET", "/curricula/{curriculum}/instruments/{cur_instrument}", CUR_EDIT),
        Case("POST", "/curricula/{curriculum}/instruments/{cur_instrument}", CUR_EDIT, {}),
    ],
    "curriculum.delete_instrument": [
        Case("POST", "/curricula/{curriculum}/instruments/{cur_instrument}/delete", CUR_EDIT)
    ],
    "curriculum.grid": [
        Case("GET", "/curricula/{curriculum}/map", CUR_VIEW),
        Case("POST", "/curricula/{curriculum}/map", CUR_EDIT, {}),
        Case("GET", "/curricula/{other_curriculum}/map", CUR_FOREIGN),
    ],
    "curriculum.map_export": [
        Case("GET", "/curricula/{curriculum}/map.xlsx", CUR_VIEW),
        Case("GET", "/curricula/{other_curriculum}/map.xlsx", CUR_FOREIGN),
    ],
    "curriculum.map_import": [
        Case("GET", "/curricula/{curriculum}/map/import", CUR_EDIT),
        Case("POST", "/curricula/{curriculum}/map/import", CUR_EDIT, {}),
        Case("POST", "/curricula/{curriculum}/map/import", CUR_EDIT, {"digest": "0" * 64}),
        Case("GET", "/curricula/{other_curriculum}/map/import", rule(404, anonymous="login", foreign_admin="ok")),
    ],
    "curriculum.picker": [
        Case("GET", "/curricula/{curriculum}/pick/unit/{cur_unit}?q=a", CUR_EDIT),
        Case("POST", "/curricula/{curriculum}/pick/instrument/{cur_instrument}", CUR_EDIT, {}),
    ],
    "curriculum.coverage": [
        Case("GET", "/curricula/{curriculum}/coverage?only=gaps", CUR_VIEW),
        Case("GET", "/curricula/{other_curriculum}/coverage", CUR_FOREIGN),
    ],
    "curriculum.element": [Case("GET", "/curricula/{curriculum}/coverage/{cur_key}", CUR_VIEW)],
    "curriculum.exam_plan": [Case("GET", "/curricula/{curriculum}/exam-plan", CUR_VIEW)],
    "curriculum.exam_plan_download": [
        Case("GET", "/curricula/{curriculum}/exam-plan.pdf", CUR_VIEW),
        Case("GET", "/curricula/{curriculum}/exam-plan.xlsx?cohort={cohort}", CUR_VIEW),
        Case("GET", "/curricula/{other_curriculum}/exam-plan.xlsx", CUR_FOREIGN),
    ],
    "curriculum.my_plan": [
        Case("GET", "/curricula/mine/{cohort}", rule(404, anonymous="login", student="ok")),
        Case("GET", "/curricula/mine/{other_cohort}", rule(404, anonymous="login")),
    ],
    "curriculum.adopt": [Case("POST", "/curricula/{curriculum}/adopt", CUR_ADOPT, {"adopt-password": "x"})],
    "curriculum.new_version": [Case("POST", "/curricula/{curriculum}/versions", CUR_EDIT)],
    "curriculum.copy": [Case("POST", "/curricula/{curriculum}/copy", CUR_EDIT, {"copy-cohort_year": "2027"})],
    "curriculum.compare": [
        Case("GET", "/curricula/{curriculum}/compare/{curriculum}", CUR_VIEW),
        Case("GET", "/curricula/{curriculum}/compare/{other_curriculum}", rule(404, anonymous="login")),
    ],
    "curriculum.start_from_instrument_page": [
        Case("GET", "/curricula/{curriculum}/instruments/{cur_instrument}/start/{cohort}", CUR_START),
        Case("POST", "/curricula/{curriculum}/instruments/{cur_instrument}/start/{cohort}", CUR_START, {}),
    ],
    "api.curricula": [Case("GET", "/api/v1/curricula", TOKEN_API)],
    "api.curriculum": [
        Case("GET", "/api/v1/curricula/{curriculum}", CUR_API),
        Case("GET", "/api/v1/curricula/{other_curriculum}", rule(404, anonymous=401, foreign_admin="ok")),
    ],
    "api.curriculum_coverage": [Case("GET", "/api/v1/curricula/{curriculum}/coverage", CUR_API)],
    "orgs.audit": [
        Case("GET", "/orgs/{org}/audit", ORG_MANAGE),
        Case("GET", "/orgs/{other_org}/audit", FOREIGN_ORG),
    ],
}


def test_every_route_is_in_the_matrix(app: Flask) -> None:
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint != "static"}
    missing = sorted(endpoints - set(MATRIX))
    assert missing == [], f"routes without authorization cases: {missing}"
    stale = sorted(set(MATRIX) - endpoints)
    assert stale == [], f"matrix entries for routes that no longer exist: {stale}"
    for endpoint, cases in MATRIX.items():
        methods = {m for r in app.url_map.iter_rules(endpoint) for m in r.methods or ()}
        for case in cases:
            assert case.method in methods, f"{endpoint} has no {case.method}"


@pytest.fixture(scope="module")
def values(app: Flask, module_transaction: Connection) -> dict[str, object]:
    """The world every case is tried in, built once for the module (about 160 cases) and rolled back at
    its end; each case runs in a savepoint of it (tests/conftest.py), and each persona in a savepoint of
    that, so no case or persona sees another's changes."""
    return _ids(app)


def _ids(app: Flask) -> dict[str, object]:
    with app.app_context():
        world = build_world()
        actor = Actor.system("tests")
        invited = services.create_user(db.session, actor, email="invitee@test.example", name="Invitee")
        invitation = services.create_link(db.session, actor, invited, LinkPurpose.INVITATION)
        reset = services.create_link(db.session, actor, world.users["student"], LinkPurpose.PASSWORD_RESET)
        from app.accounts.invitations import ask_owner
        from app.accounts.models import Role

        student_invitation, student_invitation_token = ask_owner(
            db.session, actor, world.other_school, world.users["student"], "student@test.example", [Role.HR], None, None
        )
        org_invitation, _ = ask_owner(
            db.session,
            actor,
            world.school,
            world.users["foreign_student"],
            "foreign_student@test.example",
            [Role.STUDENT],
            None,
            None,
        )
        secrets = {}
        for persona in PERSONAS[1:]:
            new = services.create_api_token(
                db.session,
                actor,
                world.users[persona],
                "matrix",
                ["profile:read", "organisation:read", "crosswalks:read", "matching:read", "curriculum:read"],
            )
            secrets[persona] = new.secret
        from sqlalchemy import select

        from app.standards.models import Element, Framework
        from tests.blueprints.case_ids import case_identifiers

        element = db.session.execute(
            select(Framework.code, Element.key).join(Element.framework).order_by(Framework.id, Element.id).limit(1)
        ).one()
        private = build_private_standard(world.school)
        private_ids = case_identifiers(db.session, private.code, "EM-1")
        pw = build_portfolio(world)
        cw = build_crosswalks(world)
        cur = build_curriculum(world)
        assessment, assess_key = build_assessment(world)
        with app.test_request_context(base_url="https://bekwaam.example"):
            cert, batch = build_certificate(world)
            from app.certificates.keys import holder_ref

            student_holder_ref = holder_ref(world.users["student"])
        old_version, new_version = build_second_version(element[0])
        mapping = propose_mapping(db.session, actor, old_version, new_version)
        db.session.commit()
        from tests.matching_world import build_matrix_matching

        matching = build_matrix_matching(world)
        values: dict[str, object] = {
            **world.ids(),
            "student": world.users["student"].id,
            "foreign_student": world.users["foreign_student"].id,
            "student_token": world.tokens["student"].id,
            "invitation": invitation,
            "student_invitation": student_invitation.id,
            "student_invitation_token": student_invitation_token,
            "org_invitation": org_invitation.id,
            "reset": reset,
            "framework": element[0],
            "element": element[1],
            **case_identifiers(db.session, element[0], element[1]),
            "private_framework": private.code,
            "private_element": "EM-1",
            **{f"private_{name}": value for name, value in private_ids.items()},
            "session_tokens": {p: world.users[p].session_token for p in PERSONAS[1:]},
            "api_secrets": secrets,
            "item": pw.item.id,
            "private_item": pw.private_item.id,
            "foreign_item": pw.foreign_item.id,
            "attachment": pw.attachment.id,
            "foreign_attachment": pw.foreign_attachment.id,
            "claim": pw.claim.id,
            "link": pw.link.id,
            "share": pw.share.id,
            "share_token": pw.share_token,
            "export": pw.export.id,
            "assessment": assessment.id,
            "certificate": cert.id,
            "cert_public": cert.public_id,
            "cert_scope": cert.scope_key,
            "holder_ref": student_holder_ref,
            "batch": batch.id,
            "assess_key": assess_key,
            "fw_version": old_version.version or "-",
            "mapping": mapping.id,
            "mapping_row": mapping.rows[0].id,
            "cw_published": cw.published.id,  # type: ignore[attr-defined]
            "cw_draft": cw.draft.id,  # type: ignore[attr-defined]
            "cw_foreign": cw.foreign_draft.id,  # type: ignore[attr-defined]
            "cw_link": cw.link.id,  # type: ignore[attr-defined]
            **matching,
            "curriculum": cur.curriculum.id,
            "other_curriculum": cur.other.id,
            "cur_unit": cur.unit.id,
            "cur_instrument": cur.instrument.id,
            "cur_key": cur.element_key,
        }
        db.session.remove()
        return values


def _outcome(response) -> object:
    status = response.status_code
    location = response.headers.get("Location", "")
    if status == 302 and "/sign-in" in location:
        return "login"
    if status in (401, 403, 404):
        return status
    assert status < 500, f"server error {status}"
    return "ok"


def _cases() -> list[tuple[str, Case]]:
    return [(endpoint, case) for endpoint, cases in MATRIX.items() for case in cases]


@pytest.mark.parametrize(("endpoint", "case"), _cases(), ids=[f"{c.method} {c.path}" for _, c in _cases()])
def test_authorization_matrix(
    app: Flask, values: dict[str, object], endpoint: str, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    # CSRF is tested on its own; here every request carries a valid token's worth of trust.
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", False)
    plain = {k: v for k, v in values.items() if not isinstance(v, dict)}
    path = case.path.format(**plain)
    data = {k: v.format(**plain) if isinstance(v, str) else v for k, v in (case.data or {}).items()}
    with app.app_context():
        connection = db.engines[None]
    outcomes = {}
    for persona in PERSONAS:
        savepoint = connection.begin_nested()  # each persona sees the same world
        client = app.test_client()
        headers = {}
        if persona != "anonymous":
            with client.session_transaction() as session:
                session["_user_id"] = values["session_tokens"][persona]
                session["_fresh"] = True
            if path.startswith("/api/"):
                headers["Authorization"] = f"Bearer {values['api_secrets'][persona]}"
        response = client.open(path, method=case.method, data=data, headers=headers)
        outcomes[persona] = _outcome(response)
        with app.app_context():
            db.session.remove()
        savepoint.rollback()
    assert outcomes == case.expect
