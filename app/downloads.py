"""Sending generated files (PDFs, exports, stored attachments) with a Content-Disposition that is safe
whatever the name: no control characters (Werkzeug refuses CR/LF in a header with a 500), an ASCII
``filename`` for old clients and the exact name as RFC 5987 ``filename*`` (RFC 6266)."""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any
from urllib.parse import quote

from flask import send_file
from werkzeug.wrappers import Response

from app.text import strip_control_characters

MAX_NAME = 150  # characters; room for the extension, well under any file system's limit
_ASCII_UNSAFE = re.compile(r"[^A-Za-z0-9 !#$&+.^_`|~()\[\]{}@,;=-]+")  # no quotes, backslashes or slashes
_TOKEN = re.compile(r"[A-Za-z0-9!#$&+.^_`|~-]+")  # RFC 9110 token: needs no quotes


def clean_filename(name: str, fallback: str = "download") -> str:
    """The name as the person sees it, without control characters, path separators or surrounding dots
    and spaces (runs of white space become one space). ``fallback`` when nothing is left."""
    text = strip_control_characters(unicodedata.normalize("NFC", name or ""), " ")
    text = re.sub(r"[/\\]", "-", text)
    text = re.sub(r"\s+", " ", text).strip(" .-")
    if len(text) > MAX_NAME:
        stem, dot, ext = text.rpartition(".")
        text = (stem[: MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else text[:MAX_NAME]
    return text or fallback


def ascii_filename(name: str, fallback: str = "download") -> str:
    """An ASCII-only rendering for the plain ``filename`` parameter: é → e, 碁 → dropped (then ``fallback``)."""

    def ascii_part(text: str) -> str:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        return re.sub(r"-{2,}", "-", _ASCII_UNSAFE.sub("-", text)).strip(" .-")

    stem, dot, ext = clean_filename(name, fallback).rpartition(".")
    if not dot or not ext.isalnum() or len(ext) > 10:
        stem, ext = f"{stem}{dot}{ext}", ""
    stem, ext = ascii_part(stem) or fallback, ascii_part(ext)
    return f"{stem}.{ext}" if ext else stem


def content_disposition(name: str, *, inline: bool = False, fallback: str = "download") -> str:
    """``attachment; filename="…"; filename*=UTF-8''…`` for any ``name``."""
    exact = clean_filename(name, fallback)
    plain = ascii_filename(name, fallback)
    value = f"{'inline' if inline else 'attachment'}; filename=" + (plain if _TOKEN.fullmatch(plain) else f'"{plain}"')
    if exact != plain:
        value += f"; filename*=UTF-8''{quote(exact, safe='')}"
    return value


def send_download(
    data: bytes, name: str, mimetype: str, *, inline: bool = False, fallback: str = "download", **kwargs: Any
) -> Response:
    """``send_file`` for bytes, with the safe Content-Disposition above; ``kwargs`` go to ``send_file``."""
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=not inline,
                         download_name=ascii_filename(name, fallback), **kwargs)  # fmt: skip
    response.headers["Content-Disposition"] = content_disposition(name, inline=inline, fallback=fallback)
    return response
