"""The badge image of an achievement (PNG): the organisation's emblem (its initials in a double ring, as on
the certificate PDF) with the standard's code beneath. It is the ``image`` of the credential and of its
achievement, served at a stable public URL, and the picture a baked credential travels in. Made here with
Pillow from the organisation's name and the code only: deterministic, no user file decoded."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from app.certificates.pdf import initials

SIZE = 400
NAVY, GOLD, LIGHT_GOLD, CREAM = "#1f3a5f", "#a8874f", "#c9ad78", "#f4ecd8"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = "DejaVuSerif-Bold.ttf" if bold else "DejaVuSerif.ttf"
    path = FONT_DIR / name
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def _fit(draw: ImageDraw.ImageDraw, text: str, start: int, width: int, bold: bool = False) -> ImageFont.ImageFont:
    """The largest font from ``start`` down whose rendering of ``text`` fits ``width`` pixels."""
    size = start
    font = _font(size, bold)
    while size > 12 and draw.textlength(text, font=font) > width:
        size -= 2
        font = _font(size, bold)
    return font  # type: ignore[return-value]


@lru_cache(maxsize=256)
def badge_png(organisation: str, code: str) -> bytes:
    """The badge as PNG bytes (400×400, transparent outside the seal)."""
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    c = SIZE // 2
    draw.ellipse((6, 6, SIZE - 6, SIZE - 6), outline=GOLD, width=9)
    draw.ellipse((30, 30, SIZE - 30, SIZE - 30), fill=NAVY)
    draw.ellipse((46, 46, SIZE - 46, SIZE - 46), outline=LIGHT_GOLD, width=3)
    letters = initials(organisation)
    draw.text((c, c - 18), letters, font=_fit(draw, letters, 110, 230, bold=True), fill=CREAM, anchor="mm")
    label = code[:24]
    draw.line((c - 70, c + 52, c + 70, c + 52), fill=LIGHT_GOLD, width=2)
    draw.text((c, c + 88), label, font=_fit(draw, label, 38, 220), fill=CREAM, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
