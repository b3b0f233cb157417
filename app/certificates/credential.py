"""The signed credential of a certificate: an OpenBadgeCredential (Open Badges 3.0 / VC 2.0) with the
achievement aligned to each element of the standard, one rubric per element, signed with the issuing
organisation's key, and the summary kept beside it for pages and PDFs."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy.orm import Session

from app.accounts.models import Organisation, User
from app.certificates import rules
from app.certificates.keys import active_key, badge_url, holder_url, issuer_profile, status_list_url
from app.certificates.models import Certificate
from app.credentials import badges, proof, status
from app.urls import public_url


def summary_of(learner: Any, decision: rules.Decision) -> dict[str, Any]:
    fw = learner.programme.framework
    profile_key = learner.programme.cohort.profile_key
    profile = learner.programme.tree.by_key.get(profile_key) if profile_key else None
    level = fw.level or (profile.element.attributes.get("niveau") if profile else None)  # mbo: the profile's
    return {
        "framework": {"code": fw.code, "title": fw.title, "language": fw.language, "kind": fw.kind,
                      "level": level, "level_scale": fw.level_scale, "eqf_level": fw.eqf_level},
        "profile": learner.programme.cohort.profile_key,
        "elements": [
            {
                "key": o.node.key,
                "code": o.node.element.code,
                "title": o.node.element.title,
                "level": o.level.label if o.level else None,
                "level_code": o.level.code if o.level else None,
                "target": o.target.label if o.target else None,
                "target_code": o.target.code if o.target else None,
                "judged_on": o.judged_at.date().isoformat() if o.judged_at else None,
            }
            for o in decision.outcomes
        ],
    }  # fmt: skip


ACHIEVEMENT_TYPES = {"programme": "Certificate", "group": "Certificate", "element": "Competency"}


def signed_credential(
    session: Session,
    cert: Certificate,
    candidate: User,
    org: Organisation,
    decision: rules.Decision,
    now: dt.datetime,
    signatory: User | None = None,
) -> dict[str, Any]:
    """The OpenBadgeCredential: the achievement aligned to each element of the standard (code, framework,
    the element's public page), one rubric per element with the achieved level as the result; the
    recipient named by their account's address and their salted, hashed email address (OB 3.0
    IdentityObject); the badge image; the issuer with the exam committee member who issued it
    (``official``, the signatory); the proof as a proof set (an array), as 1EdTech's schema requires."""
    fw = cert.summary["framework"]
    achievement_id = public_url("certificates.achievement", org_id=org.id, code=fw["code"], scope=cert.scope_key)
    alignments, descriptions, results = [], [], []
    for n, e in enumerate(cert.summary["elements"], start=1):
        code = e["code"] or e["key"]
        alignments.append(
            badges.alignment(
                target_name=e["title"],
                target_url=public_url("standards.element_page", code=fw["code"], key=e["key"]),
                target_code=code,
                target_framework=fw["title"],
            )
        )
        description_id = f"{achievement_id}#result-{n}"
        levels: list[dict[str, Any]] = []
        level_ids: dict[str, str] = {}
        for label, level_code in ((e["target"], e["target_code"]), (e["level"], e["level_code"])):
            if label and label not in level_ids:
                level_ids[label] = f"{description_id}-level-{len(level_ids) + 1}"
                levels.append(badges.rubric_criterion_level(level_id=level_ids[label], name=label, level=level_code))
        descriptions.append(
            badges.result_description(
                description_id=description_id,
                name=f"{code} {e['title']}",
                result_type="RubricCriterionLevel",
                levels=levels,
                required_level=level_ids.get(e["target"]),
            )
        )
        results.append(badges.result(result_description_id=description_id, achieved_level=level_ids.get(e["level"])))
    eqf = f" · EQF {fw['eqf_level']}" if fw["eqf_level"] else ""
    human_code = cert.scope_key if cert.scope_key != rules.PROGRAMME else (cert.summary.get("profile") or fw["code"])
    image = badges.image(badge_url(org.id, fw["code"], cert.scope_key), caption=f"{org.name} · {human_code}")
    achievement = badges.achievement(
        achievement_id=achievement_id,
        name=cert.title,
        description=f"{fw['title']}{eqf}",
        criteria_narrative="Final judgements by the programme's assessors reach the level the standard requires "
        "for every element listed in the alignments.",
        alignments=alignments,
        result_descriptions=descriptions,
        human_code=human_code,
        achievement_type=ACHIEVEMENT_TYPES.get(cert.scope),
        image=image,
    )
    key_row, private = active_key(session, org)
    issuer = issuer_profile(org, key_row.verification_method)
    if signatory is not None:
        issuer["official"] = signatory.name
    credential = badges.open_badge_credential(
        credential_id=cert.credential_id,
        issuer=issuer,
        subject_id=holder_url(candidate),
        identifiers=[badges.hashed_email(candidate.email, secrets.token_hex(16))],
        image=image,
        subject_name=cert.holder_name,
        achievement=achievement,
        valid_from=now,
        status=status.status_entry(status_list_url(org.id), cert.status_index),
        results=results,
        name=cert.title,
        awarded_date=now,
    )
    return proof.sign(credential, private, key_row.verification_method, created=now, as_array=True)


def uuid_from(public_id: str) -> str:
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"bekwaam:certificate:{public_id}"))
