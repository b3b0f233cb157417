"""Open Badges 3.0 ``OpenBadgeCredential`` documents (VC Data Model 2.0 form).

Plain dicts built from keyword arguments, using only terms that the pinned VC v2 and
OB 3.0.3 contexts define (``proof.undefined_terms`` is the check). The issuer's ``id``
must be the did:key DID of the signing key: verifiers require the issuer to be the
controller of the proof's verification method.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from app.credentials.contexts import OB_V3P0, VC_V2
from app.credentials.proof import xsd_datetime

CREDENTIAL_CONTEXT = [VC_V2, OB_V3P0]

ALIGNMENT_TARGET_TYPES = frozenset(
    {
        "ceasn:Competency",
        "ceterms:Credential",
        "CFItem",
        "CFRubric",
        "CFRubricCriterion",
        "CFRubricCriterionLevel",
        "CTDL",
    }
)
RESULT_TYPES = frozenset(
    {
        "GradePointAverage",
        "LetterGrade",
        "Percent",
        "PerformanceLevel",
        "PredictedScore",
        "RawScore",
        "Result",
        "RubricCriterion",
        "RubricCriterionLevel",
        "RubricScore",
        "ScaledScore",
        "Status",
    }
)
RESULT_STATUSES = frozenset({"Completed", "Enrolled", "Failed", "InProgress", "OnHold", "Provisional", "Withdrew"})


def _check_vocabulary(value: str, allowed: frozenset[str], what: str) -> None:
    # OB 3.0 enumerations may be extended with an "ext:" prefixed value.
    if value not in allowed and not value.startswith("ext:"):
        raise ValueError(f"{what} {value!r} is not an OB 3.0 value (or an 'ext:' extension)")


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value is not None and value != []}


def issuer_profile(*, issuer_id: str, name: str, url: str | None = None, email: str | None = None) -> dict[str, Any]:
    return _compact({"id": issuer_id, "type": ["Profile"], "name": name, "url": url, "email": email})


def image(image_id: str, caption: str | None = None) -> dict[str, Any]:
    """An OB 3.0 Image: the image's URL (or data: URI) and an optional caption."""
    return _compact({"id": image_id, "type": "Image", "caption": caption})


def identity_hash(identity: str, salt: str) -> str:
    """OB 3.0 IdentityHash: ``sha256$`` + hex SHA-256 of the identity followed by the salt (both UTF-8);
    the spec's example: ``identity_hash("a@example.com", "Kosher")``."""
    return "sha256$" + hashlib.sha256((identity + salt).encode("utf-8")).hexdigest()


def hashed_email(email: str, salt: str) -> dict[str, Any]:
    """The recipient as an OB 3.0 IdentityObject: the email address salted and hashed, so the credential
    names the recipient without publishing their address, and whoever knows it can check it matches."""
    return {
        "type": "IdentityObject",
        "identityHash": identity_hash(email.strip().lower(), salt),
        "identityType": "emailAddress",
        "hashed": True,
        "salt": salt,
    }


def recipient_matches(identifier: dict[str, Any], email: str) -> bool:
    """Whether a hashed ``emailAddress`` IdentityObject names ``email`` (case and spaces ignored)."""
    if identifier.get("identityType") != "emailAddress" or identifier.get("hashed") is not True:
        return False
    expected = identity_hash(email.strip().lower(), str(identifier.get("salt") or ""))
    return str(identifier.get("identityHash", "")).lower() == expected


def alignment(
    *,
    target_name: str,
    target_url: str,
    target_code: str | None = None,
    target_framework: str | None = None,
    target_type: str | None = None,
    target_description: str | None = None,
) -> dict[str, Any]:
    """An alignment to a competency in an external framework (OB 3.0 Alignment)."""
    if target_type is not None:
        _check_vocabulary(target_type, ALIGNMENT_TARGET_TYPES, "targetType")
    return _compact(
        {
            "type": ["Alignment"],
            "targetName": target_name,
            "targetUrl": target_url,
            "targetDescription": target_description,
            "targetCode": target_code,
            "targetFramework": target_framework,
            "targetType": target_type,
        }
    )


def rubric_criterion_level(
    *,
    level_id: str,
    name: str,
    description: str | None = None,
    level: str | None = None,
    points: str | None = None,
) -> dict[str, Any]:
    return _compact(
        {
            "id": level_id,
            "type": ["RubricCriterionLevel"],
            "name": name,
            "description": description,
            "level": level,
            "points": points,
        }
    )


def result_description(
    *,
    description_id: str,
    name: str,
    result_type: str,
    levels: Sequence[dict[str, Any]] = (),
    required_level: str | None = None,
    allowed_values: Sequence[str] = (),
    required_value: str | None = None,
) -> dict[str, Any]:
    """How a result of the achievement is expressed (a rubric with levels, a status…)."""
    _check_vocabulary(result_type, RESULT_TYPES, "resultType")
    return _compact(
        {
            "id": description_id,
            "type": ["ResultDescription"],
            "name": name,
            "resultType": result_type,
            "rubricCriterionLevel": list(levels),
            "requiredLevel": required_level,
            "allowedValue": list(allowed_values),
            "requiredValue": required_value,
        }
    )


def achievement(
    *,
    achievement_id: str,
    name: str,
    description: str,
    criteria_narrative: str,
    alignments: Sequence[dict[str, Any]] = (),
    result_descriptions: Sequence[dict[str, Any]] = (),
    achievement_type: str | None = None,
    human_code: str | None = None,
    criteria_id: str | None = None,
    image: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return _compact(
        {
            "id": achievement_id,
            "type": ["Achievement"],
            "achievementType": achievement_type,
            "name": name,
            "description": description,
            "image": image,
            "humanCode": human_code,
            "criteria": _compact({"id": criteria_id, "narrative": criteria_narrative}),
            "alignment": list(alignments),
            "resultDescription": list(result_descriptions),
        }
    )


def result(
    *,
    result_description_id: str,
    achieved_level: str | None = None,
    value: str | None = None,
    status: str | None = None,
) -> dict[str, Any]:
    """A learner's result against one ResultDescription of the achievement."""
    if status is not None:
        _check_vocabulary(status, RESULT_STATUSES, "result status")
    return _compact(
        {
            "type": ["Result"],
            "resultDescription": result_description_id,
            "achievedLevel": achieved_level,
            "value": value,
            "status": status,
        }
    )


def open_badge_credential(
    *,
    credential_id: str,
    issuer: dict[str, Any],
    subject_id: str | None,
    subject_name: str,
    achievement: dict[str, Any],
    valid_from: datetime,
    status: dict[str, Any] | None,
    results: Sequence[dict[str, Any]] = (),
    name: str | None = None,
    valid_until: datetime | None = None,
    awarded_date: datetime | None = None,
    identifiers: Sequence[dict[str, Any]] = (),
    image: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An unsigned OpenBadgeCredential; sign it with ``proof.sign``.

    OB 3.0 requires the subject's ``id`` or at least one ``identifier`` (``hashed_email``);
    ``status`` is a ``status.status_entry`` so the credential can be revoked.
    """
    subject = _compact(
        {
            "id": subject_id,
            "type": ["AchievementSubject"],
            "identifier": list(identifiers),
            "name": subject_name,
            "achievement": achievement,
            "result": list(results),
        }
    )
    return _compact(
        {
            "@context": list(CREDENTIAL_CONTEXT),
            "id": credential_id,
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": issuer,
            "validFrom": xsd_datetime(valid_from),
            "validUntil": xsd_datetime(valid_until) if valid_until else None,
            "awardedDate": xsd_datetime(awarded_date) if awarded_date else None,
            "name": name or achievement["name"],
            "image": image,
            "credentialSubject": subject,
            "credentialStatus": status,
        }
    )
