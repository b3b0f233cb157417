import zipfile
from io import BytesIO

import pytest
from PIL import Image, features

from app.files.content import MB, FileType, UploadRefused, check_size, detect, safe_filename

ALLOWED = "(allowed: PDF, images, office documents, plain text, video)"


def image_bytes(fmt: str, size: tuple[int, int] = (40, 30), mode: str = "RGB") -> bytes:
    out = BytesIO()
    Image.new(mode, size, "teal").save(out, fmt)
    return out.getvalue()


def zip_bytes(entries: dict[str, bytes], stored_first: bool = False) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, (name, content) in enumerate(entries.items()):
            compress = zipfile.ZIP_STORED if stored_first and number == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=compress)
    return out.getvalue()


def ooxml(part: str, content_type: str = "wordprocessingml.document.main+xml") -> bytes:
    types = f'<Types><Override PartName="/{part}" ContentType="application/vnd.{content_type}"/></Types>'
    return zip_bytes({"[Content_Types].xml": types.encode(), "_rels/.rels": b"<Relationships/>", part: b"<x/>"})


def odf(mimetype: str) -> bytes:
    return zip_bytes({"mimetype": mimetype.encode(), "content.xml": b"<office:document-content/>"}, stored_first=True)


def ole2(stream: str) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1016 + stream.encode("utf-16-le") + b"\x00\x00" * 20


def iso_media(brand: bytes, compatible: bytes = b"") -> bytes:
    box = b"ftyp" + brand + b"\x00\x00\x02\x00" + compatible
    return (len(box) + 4).to_bytes(4, "big") + box + b"\x00\x00\x00\x08free" + b"\x00" * 64


# --- allowed kinds -------------------------------------------------------------------------------------------


def test_pdf_is_detected_from_its_content() -> None:
    assert detect(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n", "x") == FileType(
        "application/pdf", "pdf", "pdf"
    )


@pytest.mark.parametrize(
    ("fmt", "mime", "extension"),
    [("PNG", "image/png", "png"), ("JPEG", "image/jpeg", "jpg"), ("GIF", "image/gif", "gif")],
)
def test_images_are_detected_and_decoded(fmt: str, mime: str, extension: str) -> None:
    assert detect(image_bytes(fmt), "photo") == FileType(mime, extension, "image")


@pytest.mark.skipif(not features.check("webp"), reason="Pillow built without WebP")
def test_webp_image_is_detected() -> None:
    assert detect(image_bytes("WEBP"), "photo.webp") == FileType("image/webp", "webp", "image")


def test_transparent_png_is_an_image() -> None:
    assert detect(image_bytes("PNG", mode="RGBA"), "logo.png").kind == "image"


@pytest.mark.parametrize(
    ("part", "content_type", "extension"),
    [
        ("word/document.xml", "openxmlformats-officedocument.wordprocessingml.document.main+xml", "docx"),
        ("xl/workbook.xml", "openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "xlsx"),
        ("ppt/presentation.xml", "openxmlformats-officedocument.presentationml.presentation.main+xml", "pptx"),
    ],
)
def test_office_open_xml_documents_are_detected(part: str, content_type: str, extension: str) -> None:
    found = detect(ooxml(part, content_type), "whatever.bin")
    assert (found.kind, found.extension) == ("office", extension)
    assert found.mime.startswith("application/vnd.openxmlformats-officedocument.")


@pytest.mark.parametrize(("kind", "extension"), [("text", "odt"), ("spreadsheet", "ods"), ("presentation", "odp")])
def test_opendocument_files_are_detected(kind: str, extension: str) -> None:
    found = detect(odf(f"application/vnd.oasis.opendocument.{kind}"), "x.zip")
    assert found == FileType(f"application/vnd.oasis.opendocument.{kind}", extension, "office")


@pytest.mark.parametrize(
    ("stream", "extension"), [("WordDocument", "doc"), ("Workbook", "xls"), ("PowerPoint Document", "ppt")]
)
def test_legacy_office_files_are_detected(stream: str, extension: str) -> None:
    found = detect(ole2(stream), "oud")
    assert (found.kind, found.extension) == ("office", extension)


def test_utf8_text_is_plain_text_with_a_txt_extension_by_default() -> None:
    assert detect("Reflectie op mijn stage: één week later…\n".encode(), "reflectie.html") == FileType(
        "text/plain", "txt", "text"
    )


@pytest.mark.parametrize("extension", ["md", "csv", "txt"])
def test_text_keeps_a_known_text_extension(extension: str) -> None:
    assert detect(b"# Notes\n", f"notes.{extension.upper()}").extension == extension


def test_text_with_a_utf8_bom_is_allowed() -> None:
    assert detect(b"\xef\xbb\xbfnaam;cijfer\nAnna;8\n", "cijfers.csv") == FileType("text/plain", "csv", "text")


@pytest.mark.parametrize(
    ("data", "mime", "extension"),
    [
        (iso_media(b"isom", b"isomiso2avc1mp41"), "video/mp4", "mp4"),
        (iso_media(b"mp42"), "video/mp4", "mp4"),
        (iso_media(b"XAVC", b"XAVCmp42iso2"), "video/mp4", "mp4"),
        (iso_media(b"M4V ", b"M4V mp42isom"), "video/x-m4v", "m4v"),
        (iso_media(b"qt  ", b"qt  "), "video/quicktime", "mov"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm\x42\x87\x81\x02" + b"\x00" * 32,
         "video/webm", "webm"),
        (b"RIFF\x24\x00\x00\x00AVI LIST\x00\x00\x00\x00hdrlavih" + b"\x00" * 32, "video/x-msvideo", "avi"),
        (b"OggS\x00\x02" + b"\x00" * 22 + b"\x01\x2a\x80theora\x03\x02\x01" + b"\x00" * 32, "video/ogg", "ogv"),
    ],
)  # fmt: skip
def test_videos_are_detected_from_their_headers(data: bytes, mime: str, extension: str) -> None:
    assert detect(data, "clip") == FileType(mime, extension, "video")


# --- refusals ------------------------------------------------------------------------------------------------


def refusal(data: bytes, filename: str) -> str:
    with pytest.raises(UploadRefused) as caught:
        detect(data, filename)
    return str(caught.value)


def test_renamed_windows_executable_is_refused_by_content() -> None:
    message = refusal(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120 + b"PE\x00\x00", "report.pdf")
    assert message == f"report.pdf is not an allowed file: its content is a Windows executable {ALLOWED}"


@pytest.mark.parametrize(
    ("data", "label"),
    [
        (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64, "an ELF executable"),
        (b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 64, "a Mach-O executable"),
        (b"#!/bin/sh\nrm -rf ~\n", "a shell script"),
        (zip_bytes({"readme.txt": b"hello"}), "a zip archive"),
        (ooxml("word/document.xml", "ms-word.document.macroEnabled.main+xml"), "a macro-enabled Office document"),
        (b"PK\x03\x04 not really a zip", "a damaged zip archive"),
    ],
)
def test_recognised_dangerous_content_is_named(data: bytes, label: str) -> None:
    assert refusal(data, "opdracht.docx") == f"opdracht.docx is not an allowed file: its content is {label} {ALLOWED}"


def test_html_is_refused_even_when_named_as_text() -> None:
    message = refusal(b"\n  <!DOCTYPE html><html><script>alert(1)</script></html>", "notes.txt")
    assert message.startswith("notes.txt is not an allowed file: its content is HTML")


@pytest.mark.parametrize(
    "data",
    [b"<div onclick='x()'>hi</div>", b"<p>hi", b"<!-- c --><b>x</b>", b"\xef\xbb\xbf<HTML>", b"<script>x()</script>"],
)
def test_content_a_browser_would_sniff_as_html_is_refused(data: bytes) -> None:
    assert "its content is HTML" in refusal(data, "notes.txt")


@pytest.mark.parametrize(
    "data",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
    ],
)
def test_svg_is_refused_even_when_named_png(data: bytes) -> None:
    message = refusal(data, "picture.png")
    assert message == f"picture.png is not an allowed file: its content is an SVG image {ALLOWED}"


def test_xml_and_xhtml_are_refused() -> None:
    assert "its content is XML markup" in refusal(b"<?xml version='1.0'?><data/>", "data.xml")
    assert "its content is XHTML" in refusal(b"<?xml version='1.0'?><html xmlns='x'/>", "page.txt")


def test_text_that_merely_mentions_tags_is_allowed() -> None:
    assert detect(b"Use <b> for bold and <svg> for vectors.\n", "tips.md").kind == "text"
    assert detect(b"<ander>idee</ander>\n", "notes.txt").kind == "text"


def test_plain_zip_named_docx_is_refused() -> None:
    message = refusal(zip_bytes({"word.txt": b"not word"}), "doc.docx")
    assert message == f"doc.docx is not an allowed file: its content is a zip archive {ALLOWED}"


def test_zip_with_office_folders_but_no_content_types_is_a_plain_zip() -> None:
    assert "a zip archive" in refusal(zip_bytes({"word/document.xml": b"<x/>"}), "doc.docx")


def test_other_opendocument_kinds_are_named() -> None:
    assert "an OpenDocument file of another kind" in refusal(odf("application/vnd.oasis.opendocument.graphics"), "a")


def test_compound_file_that_is_not_office_is_refused() -> None:
    assert "not a Word, Excel or PowerPoint document" in refusal(ole2("SummaryInformation"), "setup.msi")


@pytest.mark.parametrize(("fmt", "label"), [("PNG", "PNG"), ("JPEG", "JPEG"), ("GIF", "GIF")])
def test_truncated_image_is_refused(fmt: str, label: str) -> None:
    data = image_bytes(fmt, size=(300, 200))
    message = refusal(data[: len(data) // 2], "foto.jpg")
    assert message == f"foto.jpg is not an allowed file: it looks like a {label} image but it is damaged or incomplete"


def test_truncated_image_is_refused_even_after_weasyprint_relaxed_pillow(monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint  # noqa: F401 - importing it sets ImageFile.LOAD_TRUNCATED_IMAGES = True, globally
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    data = image_bytes("GIF", size=(300, 200))
    assert "damaged or incomplete" in refusal(data[: len(data) // 2], "foto.gif")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # WeasyPrint's own setting is left as it was


def test_image_with_garbage_after_the_magic_is_refused() -> None:
    assert "damaged or incomplete" in refusal(b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, "x.png")


def test_pixel_flood_is_refused_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    data = image_bytes("PNG", size=(40, 30))
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    assert "it has too many pixels" in refusal(data, "flood.png")


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_pixel_flood_in_pillows_warning_band_is_refused_too(monkeypatch: pytest.MonkeyPatch) -> None:
    data = image_bytes("PNG", size=(12, 12))
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)  # 144 pixels: Pillow only warns below 200
    assert "it has too many pixels" in refusal(data, "flood.png")


def test_unsupported_image_format_is_named() -> None:
    assert "image in HEIC format; images must be PNG, JPEG, GIF or WebP" in refusal(
        iso_media(b"heic", b"mif1heic"), "IMG_0001.HEIC"
    )


def test_unsupported_video_format_is_named() -> None:
    mkv = b"\x1a\x45\xdf\xa3\xa3\x42\x86\x81\x01\x42\x82\x88matroska" + b"\x00" * 32
    assert "video in MKV format" in refusal(mkv, "clip.mkv")


def test_empty_file_is_refused() -> None:
    assert refusal(b"", "leeg.txt") == "leeg.txt is empty"


def test_text_in_another_encoding_is_refused_with_advice() -> None:
    assert "not UTF-8" in refusal("Café met collega’s".encode("cp1252"), "notes.txt")
    assert "UTF-16" in refusal("notes".encode("utf-16"), "notes.txt")


def test_unknown_binary_is_refused() -> None:
    message = refusal(b"\x00\x01\x02\x03" * 50, "data.bin")
    assert message == f"data.bin is not an allowed file: its content is of a type we do not recognise {ALLOWED}"


def test_refusal_names_the_file_without_its_path() -> None:
    assert refusal(b"\x7fELF", "C:\\Users\\anna\\tool.pdf").startswith("tool.pdf is not an allowed file")


def test_upload_refused_is_a_value_error_carrying_the_name() -> None:
    with pytest.raises(ValueError, match="is empty") as caught:
        detect(b"", "a.txt")
    assert caught.value.filename == "a.txt"


# --- size ----------------------------------------------------------------------------------------------------


def test_file_over_the_limit_is_refused_with_both_figures() -> None:
    with pytest.raises(UploadRefused) as caught:
        check_size(int(31.2 * MB), 25 * MB, "verslag.pdf")
    assert str(caught.value) == "verslag.pdf is 31.2 MB; the limit is 25 MB"


def test_size_just_over_the_limit_never_shows_as_equal() -> None:
    with pytest.raises(UploadRefused, match=r"is 25\.1 MB; the limit is 25 MB"):
        check_size(25 * MB + 1, 25 * MB, "video.mp4")


def test_fractional_limit_is_shown_with_one_decimal() -> None:
    with pytest.raises(UploadRefused, match=r"the limit is 2\.5 MB"):
        check_size(3 * MB, int(2.5 * MB), "a.pdf")


def test_file_at_the_limit_is_accepted() -> None:
    check_size(25 * MB, 25 * MB, "verslag.pdf")
    check_size(0, 25 * MB, "verslag.pdf")


# --- names ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\x.pdf", "x.pdf"),
        ("Verslag stage é.pdf", "Verslag stage é.pdf"),
        ("Verslag stage e\u0301.pdf", "Verslag stage é.pdf"),
        ("", "bestand"),
        ("   ", "bestand"),
        ("..", "bestand"),
        ("../", "bestand"),
        (".htaccess", "htaccess"),
        ("rapport\u202efdp.exe", "rapportfdp.exe"),
        ("a\r\nb\x00c.txt", "abc.txt"),
        ("what?<script>.txt", "what__script_.txt"),
        ("  twee   spaties .docx", "twee spaties.docx"),
        ("Közösség 碁 verslag.odt", "Közösség 碁 verslag.odt"),
    ],
)
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


def test_safe_filename_limits_length_and_keeps_the_extension() -> None:
    name = safe_filename("a" * 300 + ".pdf")
    assert len(name) == 150
    assert name.endswith("aaa.pdf")


def test_safe_filename_limits_a_name_without_extension() -> None:
    assert safe_filename("b" * 300) == "b" * 150
