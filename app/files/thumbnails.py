"""Small JPEG previews of uploaded images, upright and without the original's metadata (EXIF GPS)."""

from __future__ import annotations

from io import BytesIO

from PIL import Image, ImageOps

from app.files.content import IMAGE_FORMATS, strict_decoding
from app.files.pixels import exceeds_pixel_limit

BACKGROUND = (255, 255, 255)  # transparent areas become white, not black
TILE = 1024  # pixels on a side of the tiles a transparent image is reduced in


def make_thumbnail(data: bytes, max_size: int = 480) -> bytes | None:
    """A JPEG no larger than max_size on either side, or None when the bytes are not a safely decodable image."""
    with strict_decoding():
        return _thumbnail(data, max_size)


def _thumbnail(data: bytes, max_size: int) -> bytes | None:
    try:
        with Image.open(BytesIO(data), formats=IMAGE_FORMATS) as image:  # the header only: nothing decoded yet
            if exceeds_pixel_limit(image):
                return None
            image.draft("RGB", (max_size, max_size))  # JPEG: decode at a reduced scale, much less memory
            # Shrink first, then turn upright: exif_transpose copies the image it is given, and a copy of
            # the full-size pixels doubled the memory an upload costs.
            small = _shrink(image, max_size)
            small.thumbnail((max_size, max_size))
            thumbnail = _flatten(ImageOps.exif_transpose(small))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None
    except Exception:  # Pillow raises many exception types on hostile or broken input
        return None
    thumbnail.info.clear()  # nothing of the original (EXIF, XMP, comments, ICC) travels into the thumbnail
    out = BytesIO()
    thumbnail.save(out, "JPEG", quality=80, optimize=True)
    return out.getvalue()


def _shrink(image: Image.Image, max_size: int) -> Image.Image:
    """A transparent image reduced tile by tile to about twice the thumbnail's size (as thumbnail()'s
    reducing_gap would); any other image as it is. Pillow reduces RGBA and LA through a premultiplied
    copy of the whole image, which doubled the memory of a large transparent PNG; a tile's copy is small.
    Tiles start at multiples of the factor, so the result is exactly that of one reduce()."""
    factor = int(max(image.width, image.height) / max_size / 2)
    if image.mode not in ("RGBA", "LA") or factor < 2:
        return image
    image.load()
    step = factor * max(1, TILE // factor)
    small = Image.new(image.mode, (-(-image.width // factor), -(-image.height // factor)))
    for top in range(0, image.height, step):
        for left in range(0, image.width, step):
            tile = image.crop((left, top, min(left + step, image.width), min(top + step, image.height)))
            small.paste(tile.reduce(factor), (left // factor, top // factor))
    small.info = dict(image.info)  # the EXIF orientation, for exif_transpose
    return small


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on a white background, so transparency does not turn black."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, BACKGROUND)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")
