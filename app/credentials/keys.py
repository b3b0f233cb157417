"""Ed25519 signing keys and their did:key identifiers.

A did:key carries the public key itself (multicodec ed25519-pub + raw key, base58btc),
so any verifier can resolve it offline and an old credential keeps verifying after
the issuer rotates to a new key.
"""

from __future__ import annotations

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ED25519_PUB_MULTICODEC = b"\xed\x01"
DID_KEY_PREFIX = "did:key:"


def generate_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    """Multikey ``publicKeyMultibase``: 'z' + base58btc(0xed01 || raw key)."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58.b58encode(ED25519_PUB_MULTICODEC + raw).decode("ascii")


def did_key(public_key: Ed25519PublicKey) -> str:
    return DID_KEY_PREFIX + public_key_multibase(public_key)


def verification_method(public_key: Ed25519PublicKey) -> str:
    """did:key verification method id: ``did:key:z6Mk…#z6Mk…``."""
    multibase = public_key_multibase(public_key)
    return f"{DID_KEY_PREFIX}{multibase}#{multibase}"


def public_key_from_multibase(multibase: str) -> Ed25519PublicKey:
    if not multibase.startswith("z"):
        raise ValueError("only base58btc ('z') multibase keys are supported")
    try:
        data = base58.b58decode(multibase[1:])
    except ValueError as exc:
        raise ValueError("key is not valid base58btc") from exc
    if not data.startswith(ED25519_PUB_MULTICODEC) or len(data) != len(ED25519_PUB_MULTICODEC) + 32:
        raise ValueError("key is not an Ed25519 public key (multicodec 0xed01, 32 bytes)")
    return Ed25519PublicKey.from_public_bytes(data[len(ED25519_PUB_MULTICODEC) :])


def public_key_from_did(vm: str) -> Ed25519PublicKey:
    """Decode a did:key DID or verification method id to its Ed25519 public key.

    Other DID methods, other key types and a fragment that names a different key
    are rejected: for did:key the fragment must repeat the method-specific id.
    """
    did, _, fragment = vm.partition("#")
    if not did.startswith(DID_KEY_PREFIX):
        raise ValueError(f"not a did:key: {vm!r}")
    multibase = did[len(DID_KEY_PREFIX) :]
    if ":" in multibase or "/" in multibase or "?" in multibase:
        raise ValueError(f"unsupported did:key form: {vm!r}")
    if fragment and fragment != multibase:
        raise ValueError("did:key fragment does not match the key")
    return public_key_from_multibase(multibase)


def private_pem(key: Ed25519PrivateKey, password: bytes | None = None) -> bytes:
    """PKCS#8 PEM, encrypted when a password is given."""
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    )
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def load_private_pem(data: bytes, password: bytes | None = None) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(data, password=password)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("PEM does not hold an Ed25519 private key")
    return key
