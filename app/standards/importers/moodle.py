"""A Moodle competency framework CSV (tool_lpimportcsv) as a seed structure.

Both formats Moodle has written: the 14-column one (with cross-references and exported ids; the taxonomy a
comma-separated list) under the header spellings of its versions, and the older 12-column one (the taxonomy a
JSON object). The framework row's scale values and configuration become a rating scale with its proficient
values, taxonomies become element types, cross-references become related alignments. Pure: no Flask, no database.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from app.domain import N_
from app.standards.importers.moodle_tree import build_tree
from app.standards.importers.report import MAX_ITEMS, ImportReport, check_text, slug

HEADERS = {
    "parentidnumber": "parent",
    "idnumber": "idnumber",
    "shortname": "shortname",
    "description": "description",
    "descriptionformat": "descriptionformat",
    "scalevalues": "scalevalues",
    "scaleconfiguration": "scaleconfig",
    "ruletype": "ruletype",
    "ruleoutcome": "ruleoutcome",
    "ruleconfig": "ruleconfig",
    "crossreferencedcompetencyidnumbers": "related",
    "relatedidnumbers": "related",
    "crossreferences": "related",
    "relatedcompetencies": "related",
    "exportedid": "exportid",
    "exportid": "exportid",
    "isframework": "isframework",
    "taxonomy": "taxonomy",
}
REQUIRED = ("parent", "idnumber", "shortname", "isframework")


def _normalise(header: str) -> str:
    return re.sub(r"[^a-z]", "", header.lower().replace("(optional)", ""))


def convert_moodle(text: str, report: ImportReport, language: str | None = None) -> dict[str, Any] | None:
    """The seed structure of a Moodle CSV, or None when the report holds a refusal; ``language`` (chosen on
    upload) is the language of its texts, which Moodle files never name."""
    rows = _rows(text, report)
    if rows is None:
        return None
    frameworks = [r for r in rows if r["isframework"].strip() == "1"]
    if len(frameworks) != 1:
        report.refuse(
            "", N_("%(count)d framework rows (Is framework = 1): exactly one is needed"), count=len(frameworks)
        )
        return None
    fw_row = frameworks[0]
    competencies = [r for r in rows if r is not fw_row]
    framework = _framework(fw_row, report, language)
    scales = _scales(fw_row, report)
    taxonomy = _taxonomy(fw_row, report)
    elements = build_tree(competencies, framework["code"], taxonomy, report)
    if report.refusals or framework is None:
        return None
    data: dict[str, Any] = {"format": "bekwaam-standard/1", "framework": framework, "elements": elements}
    if scales:
        data["scales"] = scales
    return data


def _rows(text: str, report: ImportReport) -> list[dict[str, Any]] | None:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader, None)
        if header is None:
            report.refuse("line 1", N_("the file is empty"))
            return None
        columns = [HEADERS.get(_normalise(h)) for h in header]
        for h, name in zip(header, columns, strict=True):
            if name is None:
                report.adapt(f"line 1, column {h[:80]}", N_("a column Moodle does not write: ignored"))
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            report.refuse(
                "line 1", N_("not a Moodle competency CSV: columns missing (%(columns)s)"), columns=", ".join(missing)
            )
            return None
        rows: list[dict[str, Any]] = []
        for values in reader:
            if len(rows) >= MAX_ITEMS:
                report.refuse("", N_("more than %(maximum)d rows"), maximum=MAX_ITEMS)
                return None
            if not any(v.strip() for v in values):
                continue
            row: dict[str, Any] = {name: "" for name in HEADERS.values()}
            row.update({name: value for name, value in zip(columns, values, strict=False) if name})
            row["line"] = reader.line_num
            rows.append(row)
    except csv.Error as exc:
        report.refuse(f"line {reader.line_num}", N_("malformed CSV: %(problem)s"), problem=str(exc)[:200])
        return None
    return rows


def _framework(row: dict[str, Any], report: ImportReport, language: str | None) -> dict[str, Any]:
    where = f"line {row['line']}"
    idnumber = check_text(report, where + ", column ID number", row["idnumber"]) or ""
    title = check_text(report, where + ", column Short name", row["shortname"]) or idnumber or "Moodle framework"
    code = slug(idnumber or title).lower() or "moodle-framework"
    attributes: dict[str, Any] = {"import_format": "moodle", "moodle_idnumber": idnumber}
    if row["exportid"]:
        attributes["moodle_export_id"] = row["exportid"][:200]
    if language:
        chosen = N_("Moodle files name no language: marked as %(language)s, chosen on upload")
        report.adapt(where, chosen, language=language)
    else:
        report.adapt(
            where,
            N_(
                "Moodle files name no language: marked as undetermined (und); "
                "choose the language of its texts on upload"
            ),
        )
    return {
        "code": code,
        "title": title,
        "kind": "imported_framework",
        "language": language or "und",
        "description": check_text(report, where + ", column Description", row["description"]),
        "attributes": attributes,
    }


def _scales(row: dict[str, Any], report: ImportReport) -> list[dict[str, Any]]:
    where = f"line {row['line']}, column Scale values"
    values = [v.strip() for v in row["scalevalues"].split(",") if v.strip()]
    if not values:
        return []
    if len(values) < 2 or len(values) > 100:
        report.adapt(where, N_("a scale needs 2 to 100 values: not imported"))
        return []
    proficient = _proficient(row, len(values), report)
    levels = [
        {"value": i, "label": label[:2000], "passing": i in proficient} for i, label in enumerate(values, start=1)
    ]
    return [
        {
            "code": "moodle-scale",
            "title": f"{row['shortname'].strip()[:200] or 'Moodle'} scale",
            "origin": "source",
            "levels": levels,
        }
    ]


def _proficient(row: dict[str, Any], count: int, report: ImportReport) -> set[int]:
    where = f"line {row['line']}, column Scale configuration"
    try:
        config = json.loads(row["scaleconfig"] or "[]")
    except ValueError:
        report.adapt(where, N_("not JSON: no value is marked proficient"))
        return set()
    proficient = set()
    for entry in config if isinstance(config, list) else []:
        if isinstance(entry, dict) and str(entry.get("proficient", "0")) == "1":
            try:
                value = int(entry.get("id", 0))
            except (TypeError, ValueError):
                value = 0
            if 1 <= value <= count:
                proficient.add(value)
    if not proficient:
        report.adapt(where, N_("no scale value is marked proficient"))
    return proficient


def _taxonomy(row: dict[str, Any], report: ImportReport) -> list[str]:
    """The taxonomy of each depth (1 first): a JSON object in the 12-column format, a list in the 14-column one."""
    raw = row["taxonomy"].strip()
    if not raw:
        return []
    if raw.startswith("{"):
        try:
            parsed = json.loads(raw)
            return [str(parsed[k]) for k in sorted(parsed, key=lambda k: int(k))]
        except (ValueError, TypeError, AttributeError):
            report.adapt(f"line {row['line']}, column Taxonomy", N_("not readable: element types follow the tree"))
            return []
    return [t.strip() for t in raw.split(",")]
