"""What an uploaded file really is, judged by its bytes, never by its name.

A file's name is only used to show the student which file was refused and to keep a readable
download name; the type, and so how the file is stored and served, comes from the content.
"""

from __future__ import annotations

import math
import threading
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import filetype
from PIL import Image, ImageFile

from app.domain import N_, DomainError
from app.files.pixels import exceeds_pixel_limit, too_many_pixels
from app.files.refusals import Reason, refused_content, unknown

MB = 1024 * 1024
MAX_NAME_LENGTH = 150
FALLBACK_NAME = "bestand"

IMAGE_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")  # the only decoders Pillow may use on uploads


@dataclass(frozen=True)
class FileType:
    mime: str
    extension: str
    kind: str  # "pdf", "image", "office", "text" or "video"


class UploadRefused(DomainError):
    """An upload we will not store: a full-sentence msgid naming the file as ``%(name)s``, with its params;
    str(exc) is the English sentence, ``exc.message`` the one in the reader's language."""

    def __init__(self, message: str, filename: str = "", **params: Any) -> None:
        super().__init__(message, field="file", name=filename, **params)
        self.filename = filename


PDF = FileType("application/pdf", "pdf", "pdf")
TEXT_EXTENSIONS = ("txt", "md", "csv")

_IMAGES = {
    b"\x89PNG\r\n\x1a\n": FileType("image/png", "png", "image"),
    b"\xff\xd8\xff": FileType("image/jpeg", "jpg", "image"),
    b"GIF87a": FileType("image/gif", "gif", "image"),
    b"GIF89a": FileType("image/gif", "gif", "image"),
}
WEBP = FileType("image/webp", "webp", "image")

_OOXML = {
    "word/": FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "office"),
    "xl/": FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "office"),
    "ppt/": FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx", "office"),
}
_ODF = {
    "application/vnd.oasis.opendocument.text": FileType("application/vnd.oasis.opendocument.text", "odt", "office"),
    "application/vnd.oasis.opendocument.spreadsheet": FileType(
        "application/vnd.oasis.opendocument.spreadsheet", "ods", "office"
    ),
    "application/vnd.oasis.opendocument.presentation": FileType(
        "application/vnd.oasis.opendocument.presentation", "odp", "office"
    ),
}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Stream names in an OLE2 directory are UTF-16LE; these name the legacy Office formats.
_OLE2 = {
    "WordDocument": FileType("application/msword", "doc", "office"),
    "Workbook": FileType("application/vnd.ms-excel", "xls", "office"),
    "Book": FileType("application/vnd.ms-excel", "xls", "office"),
    "PowerPoint Document": FileType("application/vnd.ms-powerpoint", "ppt", "office"),
}

MP4 = FileType("video/mp4", "mp4", "video")
M4V = FileType("video/x-m4v", "m4v", "video")
MOV = FileType("video/quicktime", "mov", "video")
_MP4_BRANDS = {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash", b"mmp4"}
_M4V_BRANDS = {b"M4V ", b"M4VH", b"M4VP"}
_VIDEO = {
    "video/webm": FileType("video/webm", "webm", "video"),
    "video/x-msvideo": FileType("video/x-msvideo", "avi", "video"),
}
OGG_VIDEO = FileType("video/ogg", "ogv", "video")

_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# A check returns the FileType it recognises, a Reason to refuse what it recognises, or None. Each reason
# is a whole sentence, so that a translator sees it whole.
Check = Callable[[bytes], FileType | Reason | None]


def detect(data: bytes, filename: str) -> FileType:
    """The type of an upload from its content; raises UploadRefused naming the file and what is wrong."""
    name = safe_filename(filename)
    if not data:
        raise UploadRefused(N_("%(name)s is empty"), name)
    for check in _CHECKS:
        result = check(data)
        if isinstance(result, FileType):
            return result
        if result is not None:
            raise UploadRefused(result.msgid, name, **result.params)
    text = _text(data, filename)
    if text is not None:
        return text
    reason = unknown(data)
    raise UploadRefused(reason.msgid, name, **reason.params)


def check_size(size: int, limit: int, filename: str) -> None:
    """Refuse a file over the limit, in MB with one decimal, rounded up so '25.0 MB' is never too big."""
    if size > limit:
        name = safe_filename(filename)
        shown = math.ceil(size / MB * 10) / 10
        raise UploadRefused(
            N_("%(name)s is %(size)s MB; the limit is %(limit)s MB"), name, size=f"{shown:.1f}", limit=_mb(limit)
        )


def safe_filename(name: str) -> str:
    """A readable download name: no path, no control or bidi characters, no leading dots, at most 150 characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(_safe_char(char) for char in name)
    name = " ".join(name.split()).lstrip(". ").rstrip(". ")
    if not name:
        return FALLBACK_NAME
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension) > 10:
        stem, extension = name, ""
    limit = MAX_NAME_LENGTH - (len(extension) + 1 if extension else 0)
    stem = stem[:limit].rstrip(". ") or FALLBACK_NAME
    return f"{stem}.{extension}" if extension else stem


def _safe_char(char: str) -> str:
    if unicodedata.category(char).startswith("C"):  # control, format (bidi overrides), surrogates, unassigned
        return ""
    return "_" if char in '<>:"|?*' else char


def _mb(size: int) -> str:
    value = size / MB
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _pdf(data: bytes) -> FileType | None:
    return PDF if data.startswith(b"%PDF-") else None


def _image(data: bytes) -> FileType | Reason | None:
    found = next((kind for magic, kind in _IMAGES.items() if data.startswith(magic)), None)
    if found is None and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        found = WEBP
    if found is None:
        return None
    problem = _image_problem(data)
    if problem:
        return Reason(problem.msgid, {"format": found.mime.removeprefix("image/").upper(), **problem.params})
    return found


_STRICT = threading.Lock()


@contextmanager
def strict_decoding() -> Iterator[None]:
    """Pillow decodes truncated images only when told to, and WeasyPrint tells it to, globally, on import
    (``ImageFile.LOAD_TRUNCATED_IMAGES = True``). Checks of uploads must see truncation as damage."""
    with _STRICT:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def _image_problem(data: bytes) -> Reason | None:
    """Why Pillow cannot safely decode these bytes, or None; pixel floods are caught before decoding."""
    with strict_decoding():
        return _decode_problem(data)


def _decode_problem(data: bytes) -> Reason | None:
    try:
        with Image.open(BytesIO(data), formats=IMAGE_FORMATS) as image:  # the header only: nothing decoded yet
            if exceeds_pixel_limit(image):
                return Reason(*too_many_pixels(image))
            image.verify()
        with Image.open(BytesIO(data), formats=IMAGE_FORMATS) as image:
            image.draft("RGB", (1024, 1024))  # JPEG decodes at reduced scale: the whole stream is still read
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):  # Pillow's own guard, at open
        return Reason(*too_many_pixels())
    except Exception:  # Pillow raises many exception types on hostile or broken input
        return Reason(
            N_("%(name)s is not an allowed file: it looks like a %(format)s image but it is damaged or incomplete")
        )
    return None


def _zip(data: bytes) -> FileType | Reason | None:
    if not data.startswith(_ZIP_MAGICS):
        return None
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            return _office_zip(archive) or Reason(
                N_(
                    "%(name)s is not an allowed file: its content is a zip archive "
                    "(allowed: PDF, images, office documents, plain text, video)"
                )
            )
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        return Reason(
            N_(
                "%(name)s is not an allowed file: its content is a damaged zip archive "
                "(allowed: PDF, images, office documents, plain text, video)"
            )
        )


def _office_zip(archive: zipfile.ZipFile) -> FileType | Reason | None:
    entries = archive.infolist()
    if entries and entries[0].filename == "mimetype" and entries[0].file_size <= 200:
        mimetype = archive.read(entries[0]).decode("ascii", "replace").strip()
        if mimetype in _ODF:
            return _ODF[mimetype]
        if mimetype.startswith("application/vnd.oasis.opendocument."):
            return Reason(
                N_(
                    "%(name)s is not an allowed file: its content is an OpenDocument file of another kind "
                    "(%(mimetype)s) (allowed: PDF, images, office documents, plain text, video)"
                ),
                {"mimetype": mimetype},
            )
        return None
    names = archive.namelist()
    if "[Content_Types].xml" not in names:
        return None
    for prefix, kind in _OOXML.items():
        if any(name.startswith(prefix) for name in names):
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size <= MB and b"macroenabled" in archive.read(info).lower():
                return Reason(
                    N_(
                        "%(name)s is not an allowed file: its content is a macro-enabled Office document "
                        "(allowed: PDF, images, office documents, plain text, video)"
                    )
                )
            return kind
    return None


def _ole2(data: bytes) -> FileType | Reason | None:
    if not data.startswith(OLE2_MAGIC):
        return None
    for stream, kind in _OLE2.items():
        if stream.encode("utf-16-le") + b"\x00\x00" in data:
            return kind
    return Reason(
        N_(
            "%(name)s is not an allowed file: its content is a compound file that is not a Word, Excel or "
            "PowerPoint document (an installer, for example) (allowed: PDF, images, office documents, plain text, "
            "video)"
        )
    )


def _video(data: bytes) -> FileType | Reason | None:
    if data[4:8] == b"ftyp" and len(data) >= 12:
        return _iso_media(data)
    if data.startswith(b"OggS"):
        return OGG_VIDEO if b"\x80theora" in data[:4096] else None
    kind = filetype.video_match(data[:8192])
    return _VIDEO.get(kind.mime) if kind else None


def _iso_media(data: bytes) -> FileType | None:
    """MP4-family files by their ftyp box: the major brand, else a compatible brand (for camera-specific brands)."""
    brand = data[8:12]
    if brand in _M4V_BRANDS:
        return M4V
    if brand == b"qt  ":
        return MOV
    box_end = min(int.from_bytes(data[:4], "big"), len(data), 256)
    brands = {brand} | {data[i : i + 4] for i in range(16, box_end - 3, 4)}
    return MP4 if brands & _MP4_BRANDS else None


def _text(data: bytes, filename: str) -> FileType | None:
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    extension = filename.rpartition(".")[2].lower() if "." in filename else ""
    return FileType("text/plain", extension if extension in TEXT_EXTENSIONS else "txt", "text")


_CHECKS: tuple[Check, ...] = (_pdf, _image, _zip, _ole2, _video, refused_content)
