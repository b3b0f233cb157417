"""The pixel budget: how many pixels an uploaded image may have, checked before anything is decoded.

Decoding costs memory by pixels, not by file size: a 280 kB PNG of 89 million pixels (Pillow's own limit)
took about 690 MB to check and thumbnail. ``Image.open`` reads only the header, so the size is known
before a single pixel is decoded; ``exceeds_pixel_limit`` is asked right after opening, before
``verify()``, ``load()`` or ``thumbnail()``.

The budget, chosen by measuring (``make bench``, part "uploads"): checking and thumbnailing a PNG, JPEG
or GIF costs at most about 4 bytes a pixel (the decoded image; thumbnails.py makes no full-size copy), so
50 million pixels peak near 200 MB above the worker's own memory, and one image is decoded at a time per
process (content.strict_decoding holds a lock). 50 MP takes a phone's photos (12 or 24 MP by default,
48 or 50 MP in high-resolution modes; the 200 MP mode of a few phones is refused), an A4 page scanned at
600 dpi (35 MP) and any screenshot. WebP costs four times as much a pixel (Pillow decodes it only
through libwebp's animation decoder: two full canvases and a copy handed over), so a WebP image may have
12.5 million pixels (a 12 MP photo), which peaks at about the same.
"""

from __future__ import annotations

from typing import Any

from PIL import Image

from app.domain import N_

MAX_IMAGE_PIXELS = 50_000_000
MAX_WEBP_PIXELS = 12_500_000

# A guard for every decoder in the process, WeasyPrint's renders of stored images included: Pillow warns
# above this and refuses at open above twice this. Our own checks below refuse from the limit on.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS


def pixel_limit(image_format: str | None = None) -> int:
    """The budget for a format (Pillow's name, e.g. "WEBP"); Pillow's limit when someone set it lower,
    never higher (None there means 'no limit', which we do not take)."""
    ours = MAX_WEBP_PIXELS if image_format == "WEBP" else MAX_IMAGE_PIXELS
    pillow = Image.MAX_IMAGE_PIXELS
    return min(ours, pillow) if pillow else ours


def exceeds_pixel_limit(image: Image.Image) -> bool:
    """Ask right after Image.open (the header only), before anything decodes."""
    return image.width * image.height > pixel_limit(image.format)


def too_many_pixels(image: Image.Image | None = None) -> tuple[str, dict[str, Any]]:
    """Why an image is refused: a msgid naming the file (``%(name)s``) and its format (``%(format)s``),
    with its params; without the image when Pillow's own guard refused it at open."""
    if image is None:
        return (
            N_("%(name)s is not an allowed file: it looks like a %(format)s image but it has too many pixels "
               "(at most %(limit)s are accepted)"),
            {"limit": f"{pixel_limit():,}"},
        )  # fmt: skip
    size = {
        "width": image.width,
        "height": image.height,
        "pixels": f"{image.width * image.height:,}",
        "limit": f"{pixel_limit(image.format):,}",
    }
    if image.format == "WEBP":
        return (
            N_("%(name)s is not an allowed file: it looks like a %(format)s image but it has too many pixels "
               "(%(width)s × %(height)s = %(pixels)s; at most %(limit)s are accepted in a WebP image): "
               "save it smaller and upload it again"),
            size,
        )  # fmt: skip
    return (
        N_("%(name)s is not an allowed file: it looks like a %(format)s image but it has too many pixels "
           "(%(width)s × %(height)s = %(pixels)s; at most %(limit)s are accepted): save it smaller and upload it "
           "again"),
        size,
    )  # fmt: skip
