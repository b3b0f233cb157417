"""From the bytes of an uploaded file to a validated framework spec and the import report.

Size, encoding, JSON depth and YAML aliases are checked before any converter runs, so a hostile file is
refused cheaply with a reason. Pure: no Flask, no database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml

from app.domain import N_
from app.json_limits import JSONLimitExceeded, loads_limited
from app.standards.importers.case import LANGUAGE, convert_case
from app.standards.importers.case_bekwaam import TRANSLATIONS
from app.standards.importers.moodle import convert_moodle
from app.standards.importers.report import MAX_IMPORT_BYTES, MAX_JSON_DEPTH, ImportReport
from app.standards.seedfile import FrameworkSpec, SeedValidationError, parse_data, parse_text

FORMATS = ("case", "moodle", "yaml")


@dataclass
class Conversion:
    name: str
    format: str | None
    report: ImportReport = field(default_factory=ImportReport)
    spec: FrameworkSpec | None = None
    # Translations a Bekwaam CASE package carries beside its source texts (case_bekwaam.Translations).
    translations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.spec is not None and not self.report.refusals


def detect_format(name: str, text: str) -> str | None:
    lowered = name.lower()
    head = text.lstrip("\ufeff \t\r\n")[:2000]
    if lowered.endswith(".json") or head.startswith("{"):
        return "case"
    if lowered.endswith((".yaml", ".yml")) or "bekwaam-standard/" in head:
        return "yaml"
    first_line = head.splitlines()[0].lower() if head else ""
    if lowered.endswith(".csv") or "id number" in first_line or "idnumber" in first_line:
        return "moodle"
    return None


def convert(raw: bytes, name: str, fmt: str | None = None, language: str | None = None) -> Conversion:
    """Read, detect, convert and validate one file; every problem ends up in the report. ``language`` is the
    language of the texts when the file names none (a Moodle file never does); None: undetermined (und)."""
    result = Conversion(name=name, format=fmt)
    report = result.report
    if language is not None and not LANGUAGE.match(language):
        report.refuse("", N_("%(language)s is not a language code (such as nl, en or nl-BE)"), language=language[:20])
        return result
    if len(raw) > MAX_IMPORT_BYTES:
        report.refuse("", N_("the file is larger than %(maximum)d MB"), maximum=MAX_IMPORT_BYTES // (1024 * 1024))
        return result
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.refuse("", N_("the file is not UTF-8 text"))
        return result
    result.format = fmt or detect_format(name, text)
    if result.format not in FORMATS:
        report.refuse("", N_("the format is not recognised: give case, moodle or yaml"))
        return result
    seed = _seed(result.format, text, report, language)
    if isinstance(seed, dict):
        result.translations = seed.pop(TRANSLATIONS, [])
    if seed is not None:
        result.spec = _validate(seed, name, report)
    return result


def _seed(fmt: str, text: str, report: ImportReport, language: str | None) -> str | dict[str, Any] | None:
    """Seed YAML text as it is, or the seed structure converted from CASE or Moodle; None after a refusal."""
    if fmt == "yaml":
        return text if _yaml_without_aliases(text, report) else None
    data: dict[str, Any] | None
    if fmt == "case":
        try:
            doc = loads_limited(text, max_bytes=MAX_IMPORT_BYTES, max_depth=MAX_JSON_DEPTH)
        except JSONLimitExceeded:
            report.refuse("", N_("the JSON is nested deeper than %(maximum)d levels"), maximum=MAX_JSON_DEPTH)
            return None
        except json.JSONDecodeError as exc:  # the parser's own words are English: say where, in the UI's language
            report.refuse("", N_("not valid JSON: line %(line)d, column %(column)d"), line=exc.lineno, column=exc.colno)
            return None
        except ValueError:
            report.refuse("", N_("not valid JSON"))
            return None
        data = convert_case(doc, report, language)
    else:
        data = convert_moodle(text, report, language)
    return data


def _yaml_without_aliases(text: str, report: ImportReport) -> bool:
    """Aliases are refused: a few lines of them can expand to billions of nodes."""
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                report.refuse("", N_("YAML aliases (*name) are not accepted in an import"))
                return False
    except yaml.YAMLError:
        pass  # the validator names the line
    return True


def _validate(seed: str | dict[str, Any], name: str, report: ImportReport) -> FrameworkSpec | None:
    try:
        return parse_text(seed, name) if isinstance(seed, str) else parse_data(seed, name)
    except SeedValidationError as exc:
        for err in exc.errors[:200]:
            report.refuse(err.path, N_("the result does not validate as a standard: %(problem)s"), problem=err.message)
        return None
    except RecursionError:
        report.refuse("", N_("the file is nested too deeply"))
        return None
