"""Bitstring Status List v1.0 encoding."""

from __future__ import annotations

import base64
import gzip
from datetime import UTC, datetime

import pytest

from app.credentials import status
from app.credentials.proof import undefined_terms

LIST_URL = "https://bekwaam.example/credentials/status/1"


def test_encode_decode_round_trip() -> None:
    revoked = {0, 5, 94567, 131071}
    bits = status.decode_bitstring(status.encode_bitstring(revoked))
    assert len(bits) == 131072 // 8
    assert {index for index in range(131072) if status.is_set(bits, index)} == revoked


def test_index_zero_is_the_most_significant_bit_of_the_first_byte() -> None:
    bits = status.decode_bitstring(status.encode_bitstring({0, 7, 8}, length=16))
    assert bits == bytes([0b1000_0001, 0b1000_0000])
    assert status.is_set(bits, 0)
    assert status.is_set(bits, 7)
    assert status.is_set(bits, 8)
    assert not status.is_set(bits, 1)


def test_encoding_is_multibase_base64url_without_padding_of_gzip() -> None:
    encoded = status.encode_bitstring({1}, length=64)
    assert encoded.startswith("u")
    assert "=" not in encoded
    assert "+" not in encoded
    assert "/" not in encoded
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert raw == bytes([0b0100_0000]) + bytes(7)


def test_an_empty_default_list_is_small_and_reproducible() -> None:
    encoded = status.encode_bitstring(set())
    assert encoded == status.encode_bitstring(set())
    assert len(encoded) < 200
    assert not any(status.decode_bitstring(encoded))


def test_decode_accepts_a_value_without_the_multibase_prefix() -> None:
    encoded = status.encode_bitstring({3}, length=8)
    assert status.decode_bitstring(encoded[1:]) == status.decode_bitstring(encoded)


@pytest.mark.parametrize("index", [-1, 131072])
def test_indexes_outside_the_list_are_refused(index: int) -> None:
    with pytest.raises(ValueError):
        status.encode_bitstring({index})
    with pytest.raises(ValueError):
        status.is_set(bytes(16384), index)


def test_garbage_is_not_a_status_list() -> None:
    with pytest.raises(ValueError):
        status.decode_bitstring("unot-gzip")


def test_status_entry_points_into_the_list() -> None:
    assert status.status_entry(LIST_URL, 94567) == {
        "id": f"{LIST_URL}#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": LIST_URL,
    }


def test_status_list_credential_shape_and_terms() -> None:
    encoded = status.encode_bitstring({2})
    document = status.status_list_credential(LIST_URL, "did:key:z6Mkexample", encoded, datetime(2025, 1, 1, tzinfo=UTC))
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert document["validFrom"] == "2025-01-01T00:00:00Z"
    assert document["credentialSubject"] == {
        "id": f"{LIST_URL}#list",
        "type": "BitstringStatusList",
        "statusPurpose": "revocation",
        "encodedList": encoded,
    }
    assert undefined_terms(document) == []
