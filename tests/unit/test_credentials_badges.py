"""OpenBadgeCredential documents: OB 3.0 shape, and every term defined by the pinned contexts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pyld import jsonld

from app.credentials import badges, keys, status
from app.credentials.contexts import OB_V3P0, VC_V2, document_loader
from app.credentials.proof import undefined_terms
from app.credentials.rdfc import canonicalize

LIST_URL = "https://bekwaam.example/credentials/status/1"


def sample_achievement() -> dict[str, Any]:
    rubric = badges.result_description(
        description_id="https://bekwaam.example/achievements/kt-1#rubric",
        name="Beheersingsniveau",
        result_type="RubricCriterionLevel",
        levels=[
            badges.rubric_criterion_level(
                level_id="https://bekwaam.example/achievements/kt-1#level-1", name="Onvoldoende", points="1"
            ),
            badges.rubric_criterion_level(
                level_id="https://bekwaam.example/achievements/kt-1#level-3",
                name="Goed",
                description="Voert de taak zelfstandig uit.",
                level="3",
                points="3",
            ),
        ],
        required_level="https://bekwaam.example/achievements/kt-1#level-3",
    )
    outcome = badges.result_description(
        description_id="https://bekwaam.example/achievements/kt-1#status",
        name="Uitslag",
        result_type="Status",
    )
    return badges.achievement(
        achievement_id="https://bekwaam.example/achievements/kt-1",
        name="Kerntaak 1: Bereidt werkzaamheden voor",
        description="Bekwaam bevonden op kerntaak 1 van het kwalificatiedossier.",
        criteria_narrative="Alle werkprocessen zijn door twee beoordelaars op niveau 3 beoordeeld.",
        alignments=[
            badges.alignment(
                target_name="B1-K1-W1 Bereidt werkzaamheden voor",
                target_url="https://bekwaam.example/standards/b1-k1-w1",
                target_code="B1-K1-W1",
                target_framework="Kwalificatiedossier Medewerker ICT",
                target_type="CFItem",
            )
        ],
        result_descriptions=[rubric, outcome],
        achievement_type="Competency",
    )


def sample_credential(issuer_key: Any = None, *, subject_id: str | None = "did:example:learner-42") -> dict[str, Any]:
    """An unsigned OpenBadgeCredential issued by ``issuer_key``'s did:key."""
    issuer_key = issuer_key or keys.generate_key()
    return badges.open_badge_credential(
        credential_id="urn:uuid:5d0f4b3c-8b1e-4c59-9a59-1f0f4c6b2a10",
        issuer=badges.issuer_profile(
            issuer_id=keys.did_key(issuer_key.public_key()), name="ROC Voorbeeld", url="https://roc.example/"
        ),
        subject_id=subject_id,
        subject_name="Jan de Vries",
        achievement=sample_achievement(),
        valid_from=datetime(2025, 6, 30, 12, 0, tzinfo=UTC),
        status=status.status_entry(LIST_URL, 94567),
        results=[
            badges.result(
                result_description_id="https://bekwaam.example/achievements/kt-1#rubric",
                achieved_level="https://bekwaam.example/achievements/kt-1#level-3",
            ),
            badges.result(result_description_id="https://bekwaam.example/achievements/kt-1#status", status="Completed"),
        ],
    )


def test_credential_has_the_ob3_shape() -> None:
    credential = sample_credential()
    assert credential["@context"] == [VC_V2, OB_V3P0]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["validFrom"] == "2025-06-30T12:00:00Z"
    assert credential["name"] == "Kerntaak 1: Bereidt werkzaamheden voor"
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["achievement"]["type"] == ["Achievement"]
    assert subject["achievement"]["criteria"] == {
        "narrative": "Alle werkprocessen zijn door twee beoordelaars op niveau 3 beoordeeld."
    }
    assert subject["achievement"]["alignment"][0]["type"] == ["Alignment"]
    assert [r["type"] for r in subject["result"]] == [["Result"], ["Result"]]
    assert credential["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert credential["issuer"]["type"] == ["Profile"]


def test_subject_id_is_optional() -> None:
    credential = sample_credential(subject_id=None)
    assert "id" not in credential["credentialSubject"]
    assert undefined_terms(credential) == []


def test_every_term_of_the_credential_is_defined_by_the_pinned_contexts() -> None:
    assert undefined_terms(sample_credential()) == []


def test_every_json_key_expands_to_an_absolute_iri() -> None:
    """Independent of undefined_terms: walk the expanded form, no relative or vocab-less keys."""
    expanded = jsonld.expand(sample_credential(), {"documentLoader": document_loader})

    def keys_of(node: Any) -> set[str]:
        found: set[str] = set()
        if isinstance(node, list):
            for item in node:
                found |= keys_of(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                found.add(key)
                found |= keys_of(value)
        return found

    for key in keys_of(expanded):
        assert key.startswith("@") or key.startswith(("https://", "http://")), key


def test_canonical_form_keeps_every_value() -> None:
    credential = sample_credential()
    nquads = canonicalize(credential, document_loader)
    for text in [
        "Jan de Vries",
        "B1-K1-W1",
        "https://bekwaam.example/standards/b1-k1-w1",
        "Kwalificatiedossier Medewerker ICT",
        "CFItem",
        "RubricCriterionLevel",
        "Voert de taak zelfstandig uit.",
        "https://bekwaam.example/achievements/kt-1#level-3",
        "Completed",
        "94567",
        "2025-06-30T12:00:00Z",
        "https://roc.example/",
    ]:
        assert text in nquads, text
    assert "issuer-dependent" not in nquads


def test_an_undefined_term_is_reported() -> None:
    credential = sample_credential()
    credential["credentialSubject"]["favouriteColour"] = "blue"
    assert undefined_terms(credential) != []


def test_a_relative_iri_is_reported() -> None:
    credential = sample_credential()
    credential["credentialSubject"]["id"] = "learner-42"
    assert undefined_terms(credential) != []


@pytest.mark.parametrize(
    ("builder", "kwargs"),
    [
        (badges.alignment, {"target_name": "x", "target_url": "https://x.example", "target_type": "Skill"}),
        (badges.result_description, {"description_id": "urn:x", "name": "x", "result_type": "Grade"}),
        (badges.result, {"result_description_id": "urn:x", "status": "Passed"}),
    ],
)
def test_values_outside_the_ob3_vocabularies_are_refused(builder: Any, kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"OB 3\.0"):
        builder(**kwargs)


def test_ext_prefixed_values_extend_the_vocabularies() -> None:
    assert badges.alignment(target_name="x", target_url="https://x.example", target_type="ext:Skill")["targetType"]
