"""The map as XLSX: the export round-trips; an import previews each change and each problem with its sheet
and row, writes only on confirmation by digest, all or nothing; a changed plan asks for a new preview;
hostile files are refused with a reason, never a server error."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from flask.testing import EnvironBuilder
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.curriculum.mapfile import MAX_MAP_ROWS
from app.curriculum.models import CurriculumLink
from app.extensions import db
from tests.blueprints import test_curriculum as base
from tests.blueprints.test_accounts import sign_in
from tests.conftest import csrf_token

school = base.school


def _export(client, cur: int) -> Workbook:
    response = client.get(f"/curricula/{cur}/map.xlsx")
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment")
    return load_workbook(io.BytesIO(response.data))


def _bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, cur: int, data: bytes, name: str = "map.xlsx") -> str:
    page = f"/curricula/{cur}/map/import"
    token = csrf_token(client, page)
    # A large body is encoded into a temporary file the test client never closes: build the request here.
    builder = EnvironBuilder(
        client.application, page, method="POST", data={"csrf_token": token, "file": (io.BytesIO(data), name)}
    )
    try:
        built = builder.get_request()
    finally:
        builder.close()
    try:
        response = client.open(built)
        assert response.status_code == 200
        return response.get_data(as_text=True)
    finally:
        built.environ["wsgi.input"].close()


def _digest(page: str) -> str | None:
    match = re.search(r'name="digest" type="hidden" value="([0-9a-f]{64})"', page) or re.search(
        r'type="hidden" name="digest" value="([0-9a-f]{64})"', page
    )
    return match.group(1) if match else None


def _confirm(client, cur: int, digest: str):
    page = f"/curricula/{cur}/map/import"
    return client.post(page, data={"csrf_token": csrf_token(client, page), "digest": digest})


def _links(app, cur: int) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).where(CurriculumLink.curriculum_id == cur))


def _book(rows: list[list[object]], sheet: str = "map") -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(["code", "element", "intensity", "target level"])
    for row in rows:
        ws.append(row)
    return _bytes(book)


def test_the_export_holds_every_link_and_imports_back_unchanged(app, client, school) -> None:
    sign_in(client, "lead@test.example")
    book = _export(client, school["cur"])
    assert book.sheetnames == ["map"]
    rows = [[c.value for c in r] for r in book["map"].iter_rows()]
    assert rows[0] == ["code", "element", "intensity", "target level", "part", "element title"]
    assert rows[1][:3] == ["M01", "B1-K1-W1", "I"] and rows[1][4] == "Oriëntatie op commercie"
    assert ["E7", "P3-K2-W4", "A"] in [r[:3] for r in rows]
    assert len(rows) - 1 == _links(app, school["cur"])
    page = _upload(client, school["cur"], _bytes(book))
    assert "The file holds the map as it is: nothing to change." in page and _digest(page) is None


def test_an_import_previews_each_change_and_writes_all_on_confirmation(app, client, school) -> None:
    sign_in(client, "lead@test.example")
    before = _links(app, school["cur"])
    book = _export(client, school["cur"])
    ws = book["map"]
    rows = list(ws.iter_rows())
    e1 = next(r for r in rows if r[0].value == "E1" and r[1].value == "B1-K2-W3")
    ws.delete_rows(e1[0].row)  # B1-K2-W3 is no longer over-assessed
    rows[1][2].value = "P"  # M01 practises B1-K1-W1 instead of introducing it
    ws.append(["E6", "P3-K1-W5", "A", 3])  # the gap is examined
    page = _upload(client, school["cur"], _bytes(book))
    assert page.count("<td>added</td>") == 1 and page.count("<td>changed</td>") == 1
    assert page.count("<td>removed</td>") == 1 and "3 changes." in page
    digest = _digest(page)
    assert digest is not None and _links(app, school["cur"]) == before  # nothing written yet

    response = _confirm(client, school["cur"], digest)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/curricula/{school['cur']}/map")
    with app.app_context():
        links = db.session.scalars(select(CurriculumLink).where(CurriculumLink.curriculum_id == school["cur"])).all()
        assert len(links) == before
        assert [(k.intensity, k.target_level) for k in links if k.instrument_id and k.target_level] == [("assessed", 3)]
    assert _confirm(client, school["cur"], digest).status_code == 200  # the preview is used up
    secret = base._token(app, school["lead"])
    data = base._coverage(client, secret, school["cur"])
    assert data["exam_plan"]["complete"] is True
    assert not [e for e in data["elements"] if "over_assessed" in e["flags"]]


def test_every_problem_is_listed_with_its_row_and_nothing_is_written(app, client, school) -> None:
    sign_in(client, "lead@test.example")
    before = _links(app, school["cur"])
    rows = [
        ["M01", "B1-K1-W1", "I"],
        ["X99", "B1-K1-W1", "I"],
        ["M01", "B9-K9-W9", "I"],
        ["M02", "B1-K1-W1", "Q"],
        ["E1", "B1-K1-W1", "P"],
        ["M03", "B1-K1-W1", "P", 9],
        ["M01", "B1-K1-W1", "P"],
        ["Periode 1", "B1-K1-W1", "I"],
    ]
    page = _upload(client, school["cur"], _book(rows))
    for row, text in [
        (3, "no unit or exam instrument has the code 'X99'"),
        (4, "the element 'B9-K9-W9' is not part of this programme"),
        (5, "the intensity 'Q' is not I, P or A"),
        (6, "an exam instrument always assesses: write A"),
        (7, "the target level '9' is not a level from 1 to 8"),
        (8, "row 2 already maps this part onto this element"),
        (9, "'Periode 1' is a year or period: map modules and activities"),
    ]:
        assert re.search(rf'<td>map</td><td class="num">{row}</td><td>{re.escape(text)}</td>', page), text
    assert "nothing is imported" in page and _digest(page) is None
    assert _links(app, school["cur"]) == before


def test_a_plan_changed_after_the_preview_asks_for_a_new_preview(app, client, school) -> None:
    sign_in(client, "lead@test.example")
    book = _export(client, school["cur"])
    book["map"].append(["E6", "P3-K1-W5", "A"])
    digest = _digest(_upload(client, school["cur"], _bytes(book)))
    other = _book([["M01", "B1-K1-W1", "P"]])
    assert _confirm(client, school["cur"], _digest(_upload(client, school["cur"], other))).status_code == 302
    response = _confirm(client, school["cur"], digest)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "changed since the preview" in page
    assert _digest(page) not in (None, digest)


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _doctype_book() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(_book([["M01", "B1-K1-W1", "I"]])))
    entries = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    entries[sheet] = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + entries[sheet]
    return _zip(entries)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"code;element;intensity\nM01;B1-K1-W1;I\n", "this is not an XLSX file (Excel workbook)"),
        (b"PK\x03\x04" + b"\0" * 100, "this is not an XLSX file (Excel workbook)"),
        (b"PK\x03\x04" + b"x" * (2 * 1024 * 1024 + 10), "the file is larger than 2 MB"),
        (_zip({"big.xml": b"a" * (41 * 1024 * 1024)}), "the workbook unpacks to too much data"),
        (_zip({f"p{i}.xml": b"" for i in range(201)}), "the workbook has too many parts"),
        (_zip({"x.xml": b"<x/>"}), "this is not an XLSX file (Excel workbook)"),
        (_book([["M01", "B1-K1-W1", "I"]], sheet="Blad1"), "the workbook has no sheet named"),
        (_book([["M01", "B1-K1-W1", "I"]] * (MAX_MAP_ROWS + 1)), f"the sheet has more than {MAX_MAP_ROWS} rows"),
        (_doctype_book(), "the workbook holds XML with a document type"),
    ],
    ids=["csv", "broken-zip", "too-big", "zip-bomb", "many-parts", "not-a-workbook", "no-map-sheet", "rows", "dtd"],
)
def test_hostile_or_wrong_files_are_refused_with_a_reason(app, client, school, data, reason) -> None:
    sign_in(client, "lead@test.example")
    before = _links(app, school["cur"])
    page = _upload(client, school["cur"], data)
    assert reason in page and _digest(page) is None
    assert _links(app, school["cur"]) == before


def test_a_sheet_without_the_header_row_is_refused(client, school) -> None:
    sign_in(client, "lead@test.example")
    book = Workbook()
    book.active.title = "map"
    book.active.append(["M01", "B1-K1-W1", "I"])
    assert "must be the header" in _upload(client, school["cur"], _bytes(book))


def test_an_adopted_plan_is_not_changed_by_an_import(app, client, school) -> None:
    sign_in(client, "lead@test.example")
    data = _book([["PP", "competentie-1", "A"]])
    base_bk = school["cur_bk"]
    client.post("/sign-out", data={"csrf_token": csrf_token(client)})
    sign_in(client, "committee@test.example")
    token = csrf_token(client, f"/curricula/{base_bk}")
    client.post(f"/curricula/{base_bk}/adopt", data={"csrf_token": token, "adopt-password": base.PASSWORD})
    client.post("/sign-out", data={"csrf_token": csrf_token(client)})
    sign_in(client, "lead@test.example")
    before = _links(app, base_bk)
    page = _upload(client, base_bk, data)
    assert "this plan is adopted and cannot be changed" in page
    assert _links(app, base_bk) == before
