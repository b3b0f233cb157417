"""Why an upload is refused when its content is recognised as something we never take (executables,
scripts, markup a browser would render as a page) or is not recognised at all.

Every reason is a whole sentence with the file named ``%(name)s``, marked with ``N_`` so that a translator
sees it whole; ``UploadRefused`` carries it and it is translated where it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import filetype

from app.domain import N_


@dataclass(frozen=True)
class Reason:
    """Why recognised content is refused: a msgid of the whole sentence (the file named ``%(name)s``)."""

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)


_MACHO_MAGICS = (
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)
# The WHATWG MIME-sniffing patterns that make a browser treat bytes as HTML.
_HTML_STARTS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<script",
    b"<iframe",
    b"<h1",
    b"<div",
    b"<font",
    b"<table",
    b"<a",
    b"<style",
    b"<title",
    b"<b",
    b"<body",
    b"<br",
    b"<p",
)
_TAG_END = (b" ", b">", b"\t", b"\n", b"\r", b"\f", b"/")


def refused_content(data: bytes) -> Reason | None:
    """Content we recognise and never take, checked before the text rule so scripts and markup stay out."""
    if data.startswith(b"MZ") and b"\x00" in data[:64]:
        return Reason(
            N_(
                "%(name)s is not an allowed file: its content is a Windows executable "
                "(allowed: PDF, images, office documents, plain text, video)"
            )
        )
    if data.startswith(b"\x7fELF"):
        return Reason(
            N_(
                "%(name)s is not an allowed file: its content is an ELF executable "
                "(allowed: PDF, images, office documents, plain text, video)"
            )
        )
    if data.startswith(_MACHO_MAGICS):
        return Reason(
            N_(
                "%(name)s is not an allowed file: its content is a Mach-O executable "
                "(allowed: PDF, images, office documents, plain text, video)"
            )
        )
    if data.startswith(b"#!"):
        return Reason(
            N_(
                "%(name)s is not an allowed file: its content is a shell script "
                "(allowed: PDF, images, office documents, plain text, video)"
            )
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Reason(
            N_(
                "%(name)s is not an allowed file: its content is text in UTF-16; save it as UTF-8 text "
                "and upload it again"
            )
        )
    return _markup(data)


def _markup(data: bytes) -> Reason | None:
    """HTML, an SVG image, XHTML or XML markup: bytes a browser could render as a page."""
    head = data[:4096].removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n\f").lower()
    if head.startswith(b"<?xml") or head.startswith(b"<!doctype svg"):
        if b"<svg" in head:
            return _SVG
        if b"<html" in head:
            return Reason(
                N_(
                    "%(name)s is not an allowed file: its content is XHTML "
                    "(allowed: PDF, images, office documents, plain text, video)"
                )
            )
        return Reason(
            N_(
                "%(name)s is not an allowed file: its content is XML markup "
                "(allowed: PDF, images, office documents, plain text, video)"
            )
        )
    if head.startswith(b"<svg"):
        return _SVG
    if head.startswith(b"<!--") or any(
        head.startswith(start) and head[len(start) : len(start) + 1] in _TAG_END for start in _HTML_STARTS
    ):
        return Reason(
            N_(
                "%(name)s is not an allowed file: its content is HTML "
                "(allowed: PDF, images, office documents, plain text, video)"
            )
        )
    return None


_SVG = Reason(
    N_(
        "%(name)s is not an allowed file: its content is an SVG image "
        "(allowed: PDF, images, office documents, plain text, video)"
    )
)


def unknown(data: bytes) -> Reason:
    kind = filetype.guess(data[:8192])
    if kind is None:
        if b"\x00" not in data[:8192]:
            return Reason(
                N_(
                    "%(name)s is not an allowed file: its content looks like text that is not UTF-8; "
                    "save it as UTF-8 text and upload it again"
                )
            )
        return Reason(
            N_(
                "%(name)s is not an allowed file: its content is of a type we do not recognise "
                "(allowed: PDF, images, office documents, plain text, video)"
            )
        )
    found = {"format": kind.extension.upper(), "mime": kind.mime}
    if kind.mime.startswith("image/"):
        return Reason(
            N_(
                "%(name)s is not an allowed file: its content is an image in %(format)s format; "
                "images must be PNG, JPEG, GIF or WebP"
            ),
            found,
        )
    if kind.mime.startswith("video/"):
        return Reason(
            N_(
                "%(name)s is not an allowed file: its content is a video in %(format)s format; "
                "videos must be MP4, M4V, MOV, WebM, Ogg or AVI"
            ),
            found,
        )
    if kind.mime.startswith("audio/"):
        return Reason(
            N_(
                "%(name)s is not an allowed file: its content is audio in %(format)s format "
                "(allowed: PDF, images, office documents, plain text, video)"
            ),
            found,
        )
    return Reason(
        N_(
            "%(name)s is not an allowed file: its content is a file in %(format)s format (%(mime)s) "
            "(allowed: PDF, images, office documents, plain text, video)"
        ),
        found,
    )
