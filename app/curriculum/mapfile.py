"""The map as an XLSX file, in one documented layout (see README, "Curricula"): a sheet named ``map`` with a
header row and one row per link —

    A code          the unit's or exam instrument's code (its title when it has no code)
    B element       the element's code or key (B1-K1-W1, competentie-3, e-CF key)
    C intensity     I (introduced), P (practised) or A (assessed); exam instruments always A
    D target level  optional, 1 to 8 (the e-CF level aimed at, say)
    E, F            the part's and the element's titles, written for people and ignored on import

Reading refuses hostile files before openpyxl sees them: too big, not a zip, a zip that unpacks too large
or has too many parts, XML with a document type (entity expansion), a sheet with too many rows."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook, load_workbook

from app.assessment.exports import _text_cell
from app.curriculum.errors import CurriculumError
from app.curriculum.queries import Plan
from app.domain import N_

SHEET = "map"
HEADER = ["code", "element", "intensity", "target level", "part", "element title"]
SHORT = {"introduced": "I", "practised": "P", "assessed": "A"}
MAX_MAP_BYTES = 2 * 1024 * 1024
MAX_MAP_ROWS = 20_000
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_ZIP_ENTRIES = 200
MISSING_HEADER = N_("the first row of sheet '%(sheet)s' must be the header: code, element, intensity, target level")
MAX_RATIO = 200  # unpacked / packed, per part: spreadsheets compress about 10 to 30 times


@dataclass(frozen=True)
class SheetRow:
    row: int  # the row number in the sheet, as the spreadsheet shows it
    code: str
    element: str
    intensity: str
    target_level: str


def part_code(label_code: str, title: str) -> str:
    return label_code or title


def map_xlsx(plan: Plan) -> bytes:
    """Every link of the plan on its standard, parts in programme order (units, then instruments)."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = SHEET
    for c, text in enumerate(HEADER, start=1):
        _text_cell(ws, 1, c, text, bold=True)
    parts: list[tuple[str, int, str, str]] = [
        ("unit", r.unit.id, part_code(r.unit.code, r.unit.title), r.unit.title) for r in plan.mappable_units
    ] + [("instrument", i.id, part_code(i.code, i.title), i.title) for i in plan.instruments]
    links = plan.link_map()
    r = 2
    for kind, source_id, code, title in parts:
        for node in plan.elements:
            link = links.get((kind, source_id, node.element.id))
            if link is None:
                continue
            values = [code, node.element.code or node.key, SHORT[link.intensity], "", title, node.element.title]
            for c, text in enumerate(values, start=1):
                _text_cell(ws, r, c, text)
            if link.target_level is not None:
                ws.cell(row=r, column=4, value=link.target_level)
            r += 1
    ws.freeze_panes = "A2"
    for letter, width in zip("ABCDEF", (14, 16, 10, 12, 40, 70), strict=True):
        ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _check_zip(data: bytes) -> None:
    if len(data) > MAX_MAP_BYTES:
        raise CurriculumError(N_("the file is larger than %(limit)s MB"), field="file", limit=MAX_MAP_BYTES // 2**20)
    if not data.startswith(b"PK\x03\x04"):
        raise CurriculumError(N_("this is not an XLSX file (Excel workbook)"), field="file")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise CurriculumError(N_("the workbook has too many parts"), field="file")
            if sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES or any(
                e.file_size > MAX_RATIO * max(e.compress_size, 1) + 4096 for e in entries
            ):
                raise CurriculumError(N_("the workbook unpacks to too much data"), field="file")
            for entry in entries:
                if entry.filename.endswith((".xml", ".rels")):
                    head = archive.read(entry)
                    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                        raise CurriculumError(N_("the workbook holds XML with a document type"), field="file")
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise CurriculumError(N_("this is not an XLSX file (Excel workbook)"), field="file") from exc


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())[:200]


def read_map(data: bytes) -> list[SheetRow]:
    """The rows of the ``map`` sheet (blank rows left out); refuses a hostile or malformed file."""
    _check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise CurriculumError(N_("this is not an XLSX file (Excel workbook)"), field="file") from exc
    try:
        if SHEET not in workbook.sheetnames:
            raise CurriculumError(N_("the workbook has no sheet named '%(sheet)s'"), field="file", sheet=SHEET)
        rows: list[SheetRow] = []
        for number, values in enumerate(workbook[SHEET].iter_rows(max_col=4, values_only=True), start=1):
            if number > MAX_MAP_ROWS + 1:
                raise CurriculumError(N_("the sheet has more than %(limit)s rows"), field="file", limit=MAX_MAP_ROWS)
            cells = [_text(v) for v in (*values, None, None, None, None)[:4]]
            if number == 1:
                if [c.casefold() for c in cells[:3]] != HEADER[:3]:
                    raise CurriculumError(MISSING_HEADER, field="file", sheet=SHEET)
                continue
            if not any(cells):
                continue
            rows.append(SheetRow(number, *cells))
        return rows
    finally:
        workbook.close()
