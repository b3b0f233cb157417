"""Baking (Open Badges 3.0 §5.3): the credential goes into the badge PNG as one iTXt chunk with the keyword
``openbadgecredential`` and comes out unchanged; any PNG reader (Pillow here) sees the same chunk."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from app.credentials import baking
from app.credentials.badges import hashed_email, identity_hash, recipient_matches


def png(colour: str = "navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, format="PNG")
    return out.getvalue()


def test_a_baked_credential_comes_out_unchanged_and_the_image_still_opens() -> None:
    credential = json.dumps({"id": "urn:uuid:1", "name": "Verkoper – niveau 4 · 碁 <&>"}, ensure_ascii=False)
    baked = baking.bake(png(), credential)
    assert baking.unbake(baked) == credential
    with Image.open(io.BytesIO(baked)) as image:
        image.load()
        assert image.size == (8, 8)
        assert image.text["openbadgecredential"] == credential  # an independent PNG reader agrees


def test_baking_again_replaces_the_credential_and_a_plain_png_carries_none() -> None:
    once = baking.bake(png(), '{"n": 1}')
    twice = baking.bake(once, '{"n": 2}')
    assert baking.unbake(twice) == '{"n": 2}'
    assert twice.count(baking.KEYWORD) == 1
    assert baking.unbake(png()) is None


@pytest.mark.parametrize("data", [b"GIF89a....", b"", baking.PNG_SIGNATURE + b"\0\0\0\x05IHDR12"])
def test_what_is_not_a_sound_png_is_refused(data: bytes) -> None:
    with pytest.raises(baking.BakingError):
        baking.unbake(data)


def test_a_changed_byte_is_caught_by_the_chunk_checksum() -> None:
    baked = bytearray(baking.bake(png(), '{"name": "Sanne"}'))
    position = bytes(baked).index(b"Sanne")
    baked[position] = ord("D")
    with pytest.raises(baking.BakingError, match="checksum"):
        baking.unbake(bytes(baked))


def test_the_identity_hash_is_the_one_the_spec_gives() -> None:
    """OB 3.0 IdentityHash example: 'a@example.com' salted with 'Kosher'."""
    assert identity_hash("a@example.com", "Kosher") == (
        "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399"
    )
    identifier = hashed_email("Sanne@School.example ", "c0ffee")
    assert identifier == {
        "type": "IdentityObject",
        "identityHash": identity_hash("sanne@school.example", "c0ffee"),
        "identityType": "emailAddress",
        "hashed": True,
        "salt": "c0ffee",
    }
    assert recipient_matches(identifier, "sanne@school.example")
    assert not recipient_matches(identifier, "daan@school.example")
