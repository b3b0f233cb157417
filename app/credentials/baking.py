"""Open Badges 3.0 "baking": the credential carried inside its badge image (OB 3.0 §5.3, PNG).

A baked PNG holds one ``iTXt`` chunk with the keyword ``openbadgecredential`` whose text is the signed
credential as JSON, uncompressed, before ``IEND``. Any PNG viewer shows the badge; a wallet or verifier
reads the credential back out (``unbake``) and verifies it as usual. Pure bytes in, bytes out.
"""

from __future__ import annotations

import struct
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEYWORD = b"openbadgecredential"


class BakingError(ValueError):
    """The bytes are not a PNG, or not one this module can bake or read."""


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """The (type, data) chunks of ``png``, CRCs checked."""
    if not png.startswith(PNG_SIGNATURE):
        raise BakingError("not a PNG image")
    chunks, pos = [], len(PNG_SIGNATURE)
    while pos < len(png):
        if pos + 12 > len(png):
            raise BakingError("truncated PNG chunk")
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, data = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if len(data) != length or pos + 12 + length > len(png):
            raise BakingError("truncated PNG chunk")
        (crc,) = struct.unpack(">I", png[pos + 8 + length : pos + 12 + length])
        if zlib.crc32(kind + data) != crc:
            raise BakingError("PNG chunk checksum does not match")
        chunks.append((kind, data))
        pos += 12 + length
        if kind == b"IEND":
            break
    if not chunks or chunks[-1][0] != b"IEND":
        raise BakingError("PNG has no end chunk")
    return chunks


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _is_credential(kind: bytes, data: bytes) -> bool:
    return kind == b"iTXt" and data.split(b"\0", 1)[0] == KEYWORD


def bake(png: bytes, credential_json: str) -> bytes:
    """``png`` with ``credential_json`` embedded (replacing a credential baked into it before)."""
    # iTXt: keyword, NUL, compression flag 0, method 0, language tag "" NUL, translated keyword "" NUL, text
    baked = _chunk(b"iTXt", KEYWORD + b"\0\0\0\0\0" + credential_json.encode("utf-8"))
    out = [PNG_SIGNATURE]
    for kind, data in _chunks(png):
        if _is_credential(kind, data):
            continue
        if kind == b"IEND":
            out.append(baked)
        out.append(_chunk(kind, data))
    return b"".join(out)


def unbake(png: bytes) -> str | None:
    """The credential JSON baked into ``png``, or None when it carries none."""
    for kind, data in _chunks(png):
        if not _is_credential(kind, data):
            continue
        parts = data.split(b"\0", 1)[1]
        compressed, _method, rest = parts[0], parts[1], parts[2:]
        _language, _translated, text = rest.split(b"\0", 2)
        try:
            return (zlib.decompress(text) if compressed else text).decode("utf-8")
        except (zlib.error, UnicodeDecodeError) as exc:
            raise BakingError("the baked credential is not readable text") from exc
    return None
