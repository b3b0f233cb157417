"""Ed25519 keys and did:key identifiers."""

from __future__ import annotations

import base58
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from app.credentials import keys

# Key pair of the W3C vc-di-eddsa test vectors (Multikey, secret = 0x8026 || seed).
SPEC_SECRET_MULTIBASE = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
SPEC_PUBLIC_MULTIBASE = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"


def spec_key() -> Ed25519PrivateKey:
    decoded = base58.b58decode(SPEC_SECRET_MULTIBASE[1:])
    assert decoded[:2] == b"\x80\x26"
    return Ed25519PrivateKey.from_private_bytes(decoded[2:])


def test_did_key_of_the_spec_test_vector() -> None:
    public_key = spec_key().public_key()
    assert keys.public_key_multibase(public_key) == SPEC_PUBLIC_MULTIBASE
    assert keys.did_key(public_key) == f"did:key:{SPEC_PUBLIC_MULTIBASE}"
    assert keys.verification_method(public_key) == f"did:key:{SPEC_PUBLIC_MULTIBASE}#{SPEC_PUBLIC_MULTIBASE}"


def test_did_key_round_trips_to_the_public_key() -> None:
    key = keys.generate_key()
    vm = keys.verification_method(key.public_key())
    assert vm.startswith("did:key:z6Mk")
    for reference in (vm, keys.did_key(key.public_key())):
        assert keys.public_key_from_did(reference).public_bytes_raw() == key.public_key().public_bytes_raw()


@pytest.mark.parametrize(
    "reference",
    [
        "did:web:bekwaam.example#key-1",
        "https://bekwaam.example/keys/1",
        # an X25519 key (multicodec 0xec01) is not a signing key
        "did:key:z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc",
        # fragment naming another key
        f"did:key:{SPEC_PUBLIC_MULTIBASE}#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ",  # truncated
        "did:key:mO2RpZH",  # base64 multibase
        "did:key:z0OIl",  # not base58
    ],
)
def test_other_methods_codecs_and_malformed_keys_are_rejected(reference: str) -> None:
    with pytest.raises(ValueError):
        keys.public_key_from_did(reference)


def test_x25519_did_key_is_rejected_as_a_codec() -> None:
    raw = X25519PrivateKey.generate().public_key().public_bytes_raw()
    multibase = "z" + base58.b58encode(b"\xec\x01" + raw).decode()
    with pytest.raises(ValueError, match="Ed25519"):
        keys.public_key_from_did(f"did:key:{multibase}")


def test_private_pem_round_trips() -> None:
    key = keys.generate_key()
    loaded = keys.load_private_pem(keys.private_pem(key))
    assert loaded.private_bytes_raw() == key.private_bytes_raw()


def test_encrypted_private_pem_round_trips() -> None:
    key = keys.generate_key()
    pem = keys.private_pem(key, password=b"correct horse")
    assert b"ENCRYPTED" in pem
    assert keys.load_private_pem(pem, password=b"correct horse").private_bytes_raw() == key.private_bytes_raw()


def test_a_pem_of_another_key_type_is_refused() -> None:
    pem = X25519PrivateKey.generate().private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    with pytest.raises(ValueError, match="Ed25519"):
        keys.load_private_pem(pem)
