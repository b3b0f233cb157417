"""Small JPEG previews of uploaded images, upright and without the original's metadata (EXIF GPS)."""

from __future__ import annotations

from io import BytesIO

from PIL import Image, ImageOps

from app.files.content import IMAGE_FORMATS, exceeds_pixel_limit, strict_decoding

BACKGROUND = (255, 255, 255)  # transparent areas become white, not black


def make_thumbnail(data: bytes, max_size: int = 480) -> bytes | None:
    """A JPEG no larger than max_size on either side, or None when the bytes are not a safely decodable image."""
    with strict_decoding():
        return _thumbnail(data, max_size)


def _thumbnail(data: bytes, max_size: int) -> bytes | None:
    try:
        with Image.open(BytesIO(data), formats=IMAGE_FORMATS) as image:
            if exceeds_pixel_limit(image):
                return None
            image.draft("RGB", (max_size, max_size))  # JPEG: decode at a reduced scale, much less memory
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((max_size, max_size))
            thumbnail = _flatten(upright)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None
    except Exception:  # Pillow raises many exception types on hostile or broken input
        return None
    thumbnail.info.clear()  # nothing of the original (EXIF, XMP, comments, ICC) travels into the thumbnail
    out = BytesIO()
    thumbnail.save(out, "JPEG", quality=80, optimize=True)
    return out.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on a white background, so transparency does not turn black."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, BACKGROUND)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")
