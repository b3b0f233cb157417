from io import BytesIO

import pytest
from PIL import ExifTags, Image

from app.files.thumbnails import make_thumbnail


def encoded(image: Image.Image, fmt: str, **params: object) -> bytes:
    out = BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def opened(data: bytes) -> Image.Image:
    image = Image.open(BytesIO(data))
    image.load()
    return image


def test_thumbnail_fits_within_max_size_and_keeps_the_aspect_ratio() -> None:
    thumbnail = opened(make_thumbnail(encoded(Image.new("RGB", (2000, 1000), "navy"), "JPEG")))
    assert thumbnail.format == "JPEG"
    assert thumbnail.size == (480, 240)


def test_small_image_is_not_enlarged() -> None:
    thumbnail = opened(make_thumbnail(encoded(Image.new("RGB", (100, 60), "red"), "PNG"), max_size=480))
    assert thumbnail.size == (100, 60)


def test_max_size_is_respected() -> None:
    thumbnail = opened(make_thumbnail(encoded(Image.new("RGB", (300, 900)), "PNG"), max_size=120))
    assert thumbnail.size == (40, 120)


def test_exif_orientation_is_applied() -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # the camera was held upright: rotate 90° for display
    data = encoded(Image.new("RGB", (200, 100), "green"), "JPEG", exif=exif.tobytes())
    assert opened(make_thumbnail(data)).size == (100, 200)


def test_exif_metadata_such_as_gps_is_stripped() -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Artist] = "Anna de Vries"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] = "N"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] = (52.0, 5.0, 30.0)
    data = encoded(Image.new("RGB", (800, 600), "white"), "JPEG", exif=exif.tobytes(), comment=b"secret note")
    assert b"PhoneMaker" in data

    thumbnail = make_thumbnail(data)
    assert b"Exif" not in thumbnail
    assert b"PhoneMaker" not in thumbnail
    assert b"Anna de Vries" not in thumbnail
    assert b"secret note" not in thumbnail
    assert not opened(thumbnail).getexif()


def test_transparent_areas_become_white() -> None:
    image = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    thumbnail = opened(make_thumbnail(encoded(image, "PNG")))
    assert thumbnail.mode == "RGB"
    assert all(channel > 245 for channel in thumbnail.getpixel((25, 25)))


@pytest.mark.parametrize("mode", ["P", "L", "LA", "CMYK", "1"])
def test_other_colour_modes_become_rgb_jpeg(mode: str) -> None:
    fmt = "JPEG" if mode == "CMYK" else "PNG"
    thumbnail = opened(make_thumbnail(encoded(Image.new(mode, (64, 64)), fmt)))
    assert (thumbnail.format, thumbnail.mode) == ("JPEG", "RGB")


def test_animated_gif_gives_a_still_thumbnail() -> None:
    frames = [Image.new("RGB", (60, 60), colour) for colour in ("red", "blue")]
    out = BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    assert opened(make_thumbnail(out.getvalue())).format == "JPEG"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n",
        b"plain text",
        b"",
        b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        b"\x89PNG\r\n\x1a\n" + b"broken" * 10,
    ],
)
def test_non_images_give_none(data: bytes) -> None:
    assert make_thumbnail(data) is None


def test_image_formats_we_do_not_take_give_none() -> None:
    assert make_thumbnail(encoded(Image.new("RGB", (20, 20)), "BMP")) is None
    assert make_thumbnail(encoded(Image.new("RGB", (20, 20)), "TIFF")) is None


def test_truncated_image_gives_none() -> None:
    data = encoded(Image.effect_noise((300, 300), 50).convert("RGB"), "PNG")
    assert make_thumbnail(data[: len(data) // 2]) is None


def test_decompression_bomb_gives_none(monkeypatch: pytest.MonkeyPatch) -> None:
    data = encoded(Image.new("RGB", (40, 30)), "PNG")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)  # 1200 pixels: Pillow raises DecompressionBombError
    assert make_thumbnail(data) is None


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_pixel_count_in_pillows_warning_band_gives_none(monkeypatch: pytest.MonkeyPatch) -> None:
    data = encoded(Image.new("RGB", (12, 12)), "PNG")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)  # 144 pixels: Pillow would only warn
    assert make_thumbnail(data) is None
