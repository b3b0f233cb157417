"""The pixel budget (issue 10, finding 5): images over it are refused from their header, before decoding."""

from __future__ import annotations

import struct
import zlib
from io import BytesIO

import pytest
from PIL import ExifTags, Image, ImageChops, ImageFile

from app.files import pixels
from app.files.content import UploadRefused, detect
from app.files.thumbnails import _shrink, make_thumbnail

FULL_DECODERS = ("PNG", "JPEG", "GIF")


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims width × height pixels and holds almost none: decoding it would fail as damaged."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )


def encoded(image: Image.Image, fmt: str, **params: object) -> bytes:
    out = BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def refusal(data: bytes, name: str) -> str:
    with pytest.raises(UploadRefused) as caught:
        detect(data, name)
    return str(caught.value)


@pytest.fixture
def no_decoding(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Fails the test's expectations if any pixel is decoded: load() and verify() record themselves."""
    calls: list[str] = []

    def refuse(name: str):
        def spy(self, *args, **kwargs):
            calls.append(name)
            raise AssertionError(f"{name}() ran: the image was decoded")

        return spy

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse("load"))
    monkeypatch.setattr(ImageFile.ImageFile, "verify", refuse("verify"))
    return calls


def test_the_budget_is_well_under_pillows_default_and_guards_pillow_itself() -> None:
    assert pixels.MAX_IMAGE_PIXELS == 50_000_000 < 89_478_485  # Pillow's default, the limit the finding used
    assert pixels.MAX_WEBP_PIXELS == 12_500_000
    assert Image.MAX_IMAGE_PIXELS == pixels.MAX_IMAGE_PIXELS  # module-level guard for every decoder


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # Pillow only warns up to twice
def test_an_image_one_pixel_over_the_budget_is_refused_from_its_header(no_decoding: list[str]) -> None:
    message = refusal(png_header(10_001, 5_000), "flood.png")
    assert "flood.png is not an allowed file: it looks like a PNG image but it has too many pixels" in message
    assert "(10001 × 5000 = 50,005,000; at most 50,000,000 are accepted): save it smaller" in message
    assert no_decoding == []


def test_a_flood_in_pillows_warning_band_is_refused_as_a_flood_too() -> None:
    # The test suite turns warnings into errors; in production Pillow warns and our own check refuses.
    assert "it has too many pixels" in refusal(png_header(10_001, 5_000), "flood.png")


def test_a_flood_beyond_twice_the_budget_is_refused_by_pillows_guard_at_open(no_decoding: list[str]) -> None:
    message = refusal(png_header(20_000, 20_000), "flood.png")  # 400 MP in a file of a few bytes
    assert "it has too many pixels (at most 50,000,000 are accepted)" in message
    assert no_decoding == []


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_no_thumbnail_is_made_of_an_image_over_the_budget(no_decoding: list[str]) -> None:
    assert make_thumbnail(png_header(10_001, 5_000)) is None
    assert make_thumbnail(png_header(20_000, 20_000)) is None
    assert no_decoding == []


def test_an_image_of_exactly_the_budget_is_accepted_and_gets_a_thumbnail() -> None:
    data = encoded(Image.new("1", (10_000, 5_000)), "PNG")  # 1 bit a pixel: cheap to build and to check
    assert detect(data, "scan.png").mime == "image/png"
    thumbnail = Image.open(BytesIO(make_thumbnail(data)))
    assert thumbnail.size == (480, 240)


@pytest.mark.parametrize("fmt", FULL_DECODERS)
def test_the_budget_counts_pixels_whatever_the_format(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pixels, "MAX_IMAGE_PIXELS", 1_000)
    monkeypatch.setattr(pixels, "MAX_WEBP_PIXELS", 250)
    assert detect(encoded(Image.new("RGB", (40, 25)), fmt), f"ok.{fmt.lower()}").kind == "image"
    assert "(41 × 25 = 1,025; at most 1,000 are accepted)" in refusal(encoded(Image.new("RGB", (41, 25)), fmt), "x")


def test_webp_has_a_smaller_budget_because_its_decoder_needs_four_times_the_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pixels, "MAX_IMAGE_PIXELS", 1_000)
    monkeypatch.setattr(pixels, "MAX_WEBP_PIXELS", 250)
    assert detect(encoded(Image.new("RGB", (25, 10)), "WEBP"), "ok.webp").mime == "image/webp"
    message = refusal(encoded(Image.new("RGB", (26, 10)), "WEBP"), "big.webp")
    assert "(26 × 10 = 260; at most 250 are accepted in a WebP image)" in message
    assert make_thumbnail(encoded(Image.new("RGB", (26, 10)), "WEBP")) is None


def test_pillows_limit_counts_when_someone_sets_it_lower_never_when_higher(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    assert pixels.pixel_limit("PNG") == 100
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)  # "no limit" is not taken
    assert pixels.pixel_limit("PNG") == pixels.MAX_IMAGE_PIXELS
    assert pixels.pixel_limit("WEBP") == pixels.MAX_WEBP_PIXELS


# --- thumbnails of large transparent images: no full-size copy --------------------------------------


def noisy_rgba(size: tuple[int, int]) -> Image.Image:
    grey = Image.effect_noise(size, 80).convert("L")
    alpha = grey.point(lambda v: 0 if v < 110 else v)  # fully transparent patches, as in a cut-out
    return Image.merge("RGBA", [grey, grey.transpose(Image.Transpose.FLIP_LEFT_RIGHT), grey, alpha])


@pytest.mark.parametrize(("size", "max_size"), [((2503, 1999), 100), ((9000, 41), 480), ((30, 5000), 20)])
def test_a_transparent_image_is_reduced_tile_by_tile_exactly_as_in_one_piece(size, max_size) -> None:
    image = noisy_rgba(size)
    factor = int(max(size) / max_size / 2)
    assert ImageChops.difference(_shrink(image, max_size), image.reduce(factor)).getbbox() is None


def test_a_large_transparent_png_keeps_its_orientation_and_white_background() -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # rotate 90° for display
    image = Image.new("RGBA", (2400, 1200), (0, 0, 0, 0))
    image.paste((200, 30, 30, 255), (0, 0, 1200, 1200))  # the left half is opaque red
    thumbnail = Image.open(BytesIO(make_thumbnail(encoded(image, "PNG", exif=exif.tobytes()))))
    assert thumbnail.size == (240, 480)
    assert thumbnail.getpixel((120, 40))[0] > 180  # red on top after turning: the left half
    assert all(channel > 245 for channel in thumbnail.getpixel((120, 440)))  # transparent became white
