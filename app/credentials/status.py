"""W3C Bitstring Status List v1.0: revocation without contacting the issuer per credential.

The list is a bitstring (index 0 = most significant bit of the first byte), GZIP
compressed and encoded as multibase base64url without padding ('u' prefix). The
minimum length of 131,072 bits (16 KiB) gives group privacy: one list hides which of
many credentials a verifier is checking.
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from app.credentials.contexts import VC_V2
from app.credentials.proof import xsd_datetime

MIN_LENGTH = 131_072
STATUS_PURPOSE = "revocation"


def encode_bitstring(revoked_indexes: Iterable[int], length: int = MIN_LENGTH) -> str:
    if length <= 0 or length % 8:
        raise ValueError("length must be a positive multiple of 8")
    bits = bytearray(length // 8)
    for index in revoked_indexes:
        if not 0 <= index < length:
            raise ValueError(f"status index {index} outside the list (0..{length - 1})")
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0 keeps the encoding reproducible for the same set of revocations.
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode_bitstring(value: str) -> bytes:
    """Decode an ``encodedList``; accepts the multibase 'u' prefix or bare base64url."""
    data = value[1:] if value.startswith("u") else value
    try:
        compressed = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
        return gzip.decompress(compressed)
    except (ValueError, OSError, EOFError) as exc:
        raise ValueError("encodedList is not GZIP-compressed base64url") from exc


def is_set(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise ValueError(f"status index {index} outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_entry(list_url: str, index: int) -> dict[str, Any]:
    """The ``credentialStatus`` of a credential at ``index`` in the list at ``list_url``."""
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": STATUS_PURPOSE,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def status_list_credential(
    list_url: str, issuer: str | dict[str, Any], encoded: str, valid_from: datetime
) -> dict[str, Any]:
    """An unsigned BitstringStatusListCredential; sign it with ``proof.sign``."""
    return {
        "@context": [VC_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": xsd_datetime(valid_from),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": STATUS_PURPOSE,
            "encodedList": encoded,
        },
    }
