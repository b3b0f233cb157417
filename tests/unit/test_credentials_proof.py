"""eddsa-rdfc-2022 Data Integrity proofs: sign, verify, and tampering of any value."""

from __future__ import annotations

import copy
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from app.credentials import keys, proof, status
from tests.unit.test_credentials_badges import LIST_URL, sample_credential

CREATED = datetime(2025, 7, 1, 9, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("credentials code must not touch the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def signed(key: Any = None) -> dict[str, Any]:
    key = key or keys.generate_key()
    return proof.sign(sample_credential(key), key, keys.verification_method(key.public_key()), CREATED)


def change_one_character(value: str) -> str:
    return value[:-1] + ("x" if value[-1] != "x" else "y")


def string_leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from string_leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from string_leaves(value, (*path, index))
    elif isinstance(node, str):
        yield path


def set_path(document: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    target: Any = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


def get_path(document: dict[str, Any], path: tuple[Any, ...]) -> Any:
    target: Any = document
    for step in path:
        target = target[step]
    return target


def test_a_signed_credential_verifies() -> None:
    key = keys.generate_key()
    credential = signed(key)
    result = proof.verify(credential)
    assert result.valid, result.reason
    assert result.verification_method == keys.verification_method(key.public_key())


def test_the_proof_has_the_eddsa_rdfc_2022_fields() -> None:
    key = keys.generate_key()
    proof_node = signed(key)["proof"]
    assert proof_node["type"] == "DataIntegrityProof"
    assert proof_node["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof_node["proofPurpose"] == "assertionMethod"
    assert proof_node["created"] == "2025-07-01T09:30:15Z"
    assert proof_node["verificationMethod"] == keys.verification_method(key.public_key())
    assert proof_node["proofValue"].startswith("z")
    assert "@context" not in proof_node


def test_signing_leaves_the_input_untouched() -> None:
    key = keys.generate_key()
    credential = sample_credential(key)
    before = copy.deepcopy(credential)
    proof.sign(credential, key, keys.verification_method(key.public_key()), CREATED)
    assert credential == before


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("credentialSubject", "name"), "Jan de Vriez"),
        (("credentialSubject", "achievement", "name"), "Kerntaak 2: Bereidt werkzaamheden voor"),
        (("credentialSubject", "achievement", "alignment", 0, "targetUrl"), "https://evil.example/b1-k1-w1"),
        (("proof", "created"), "2025-07-01T09:30:16Z"),
        (("validFrom",), "2020-06-30T12:00:00Z"),
        (("credentialStatus", "statusListIndex"), "1"),
    ],
)
def test_tampering_a_value_invalidates_the_proof(path: tuple[Any, ...], value: str) -> None:
    credential = signed()
    set_path(credential, path, value)
    result = proof.verify(credential)
    assert not result.valid
    assert result.reason


def test_changing_one_character_of_the_proof_value_invalidates_it() -> None:
    credential = signed()
    value = credential["proof"]["proofValue"]
    for position in (1, len(value) // 2, len(value) - 1):
        tampered = copy.deepcopy(credential)
        replacement = "2" if value[position] != "2" else "3"
        tampered["proof"]["proofValue"] = value[:position] + replacement + value[position + 1 :]
        assert not proof.verify(tampered).valid


def test_changing_one_character_of_any_value_invalidates_the_proof() -> None:
    credential = signed()
    paths = list(string_leaves(credential))
    assert len(paths) > 40
    for path in paths:
        tampered = copy.deepcopy(credential)
        set_path(tampered, path, change_one_character(get_path(credential, path)))
        result = proof.verify(tampered)
        assert not result.valid, path
        assert result.reason, path


def test_adding_a_property_invalidates_the_proof() -> None:
    credential = signed()
    credential["credentialSubject"]["achievement"]["humanCode"] = "KT-1"
    assert not proof.verify(credential).valid


def test_a_verification_method_of_another_key_is_rejected() -> None:
    credential = signed()
    other = keys.generate_key()
    credential["proof"]["verificationMethod"] = keys.verification_method(other.public_key())
    result = proof.verify(credential)
    assert not result.valid
    assert "controller" in result.reason


def test_another_key_claiming_the_issuer_is_rejected() -> None:
    """Swapping both issuer and verification method to an attacker's key breaks the signature."""
    credential = signed()
    other = keys.generate_key()
    credential["issuer"]["id"] = keys.did_key(other.public_key())
    credential["proof"]["verificationMethod"] = keys.verification_method(other.public_key())
    result = proof.verify(credential)
    assert not result.valid
    assert result.reason == "signature does not match the document"


def test_a_credential_signed_by_a_rotated_key_still_verifies() -> None:
    old_key = keys.generate_key()
    old_credential = signed(old_key)
    new_key = keys.load_private_pem(keys.private_pem(keys.generate_key()))
    new_credential = signed(new_key)
    assert proof.verify(old_credential).valid
    assert proof.verify(new_credential).valid
    assert old_credential["issuer"]["id"] != new_credential["issuer"]["id"]


def test_an_unknown_context_is_invalid_without_fetching_it() -> None:
    credential = signed()
    credential["@context"].append("https://example.org/other-context.json")
    result = proof.verify(credential)
    assert not result.valid
    assert "https://example.org/other-context.json" in result.reason
    assert "not pinned" in result.reason


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("type", "Ed25519Signature2020", "proof type"),
        ("cryptosuite", "eddsa-jcs-2022", "cryptosuite"),
        ("proofPurpose", "authentication", "proof purpose"),
        ("created", "1 July 2025", "dateTime"),
        ("proofValue", "uAAAA", "multibase"),
        ("verificationMethod", "did:web:roc.example#key-1", "verification method"),
    ],
)
def test_unsupported_proof_fields_are_reported(field: str, value: str, reason: str) -> None:
    credential = signed()
    credential["proof"][field] = value
    result = proof.verify(credential)
    assert not result.valid
    assert reason in result.reason


def test_a_document_without_a_proof_is_invalid() -> None:
    result = proof.verify(sample_credential())
    assert not result.valid
    assert result.reason == "document has no proof"


def test_a_proof_set_verifies_only_when_every_proof_does() -> None:
    """Open Badges 3.0 requires ``proof`` as an array; a single object (credentials issued before) still
    verifies, and a set with one broken or foreign proof does not."""
    key = keys.generate_key()
    method = keys.verification_method(key.public_key())
    as_set = proof.sign(sample_credential(key), key, method, CREATED, as_array=True)
    single = signed(key)
    assert as_set["proof"] == [single["proof"]]  # the same signature, embedded as a set of one
    assert proof.verify(as_set).valid
    tampered = copy.deepcopy(as_set)
    tampered["proof"].append(copy.deepcopy(as_set["proof"][0]))
    tampered["proof"][1]["created"] = "2025-07-01T09:30:16Z"
    assert not proof.verify(tampered).valid
    for empty in ([], ["not a proof"]):
        broken = copy.deepcopy(as_set)
        broken["proof"] = empty
        assert not proof.verify(broken).valid


def test_a_proof_context_must_prefix_the_document_context() -> None:
    credential = signed()
    credential["proof"]["@context"] = list(credential["@context"])
    assert proof.verify(credential).valid
    credential["proof"]["@context"] = ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    result = proof.verify(credential)
    assert not result.valid
    assert "@context" in result.reason


def test_sign_refuses_a_key_that_does_not_match_the_verification_method() -> None:
    key = keys.generate_key()
    other = keys.generate_key()
    with pytest.raises(proof.SigningError, match="does not match"):
        proof.sign(sample_credential(key), key, keys.verification_method(other.public_key()), CREATED)


def test_sign_refuses_undefined_terms_and_signed_documents() -> None:
    key = keys.generate_key()
    vm = keys.verification_method(key.public_key())
    credential = sample_credential(key)
    credential["credentialSubject"]["shoeSize"] = "44"
    with pytest.raises(proof.SigningError, match=r"shoeSize|dropped"):
        proof.sign(credential, key, vm, CREATED)
    with pytest.raises(proof.SigningError, match="already has a proof"):
        proof.sign(signed(key), key, vm, CREATED)


def test_sign_refuses_a_naive_created_time() -> None:
    key = keys.generate_key()
    with pytest.raises(ValueError, match="timezone"):
        proof.sign(sample_credential(key), key, keys.verification_method(key.public_key()), datetime(2025, 1, 1))


def test_a_status_list_credential_signs_and_verifies() -> None:
    key = keys.generate_key()
    issuer = keys.did_key(key.public_key())
    document = status.status_list_credential(
        LIST_URL, issuer, status.encode_bitstring({3, 94567}), datetime(2025, 7, 1, tzinfo=UTC)
    )
    credential = proof.sign(document, key, keys.verification_method(key.public_key()), CREATED)
    assert proof.verify(credential).valid
    credential["credentialSubject"]["encodedList"] = status.encode_bitstring({3})
    assert not proof.verify(credential).valid
