"""A crosswalk as SSSOM TSV (Simple Standard for Sharing Ontological Mappings): a YAML metadata block in
'#' lines, then one mapping per row. Pure functions, no Flask, no database.

Identifiers are CURIEs whose prefix is the standard's code, expanded in the ``curie_map`` to the public
element pages (``<base>/standards/<code>/e/<key>``). Bekwaam's relations read "subject is <relation>
object"; SKOS's ``broadMatch`` reads "object is broader than subject", so Bekwaam ``broader`` is
``skos:narrowMatch`` and ``narrower`` is ``skos:broadMatch``. Conditions travel in two declared extension
slots (``bkw_min_level``: ``<standard>:<scale>:<value>``; ``bkw_condition``: words)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import yaml

from app.domain import N_, DomainError
from app.standards.importers.report import Problem

PREDICATES = {
    "exact": "skos:exactMatch",
    "close": "skos:closeMatch",
    "broader": "skos:narrowMatch",
    "narrower": "skos:broadMatch",
    "related": "skos:relatedMatch",
}
RELATIONS = {v: k for k, v in PREDICATES.items()}
MANUAL = "semapv:ManualMappingCuration"
LEXICAL = "semapv:LexicalMatching"
EXT_NS = "https://w3id.org/bekwaam/crosswalk#"
COLUMNS = [
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "confidence",
    "author_id",
    "author_label",
    "comment",
    "bkw_min_level",
    "bkw_condition",
]
MAX_ROWS = 20_000


@dataclass(frozen=True)
class Mapping:
    subject_framework: str
    subject_key: str
    subject_label: str
    relation: str
    object_framework: str
    object_key: str
    object_label: str
    suggested: bool = False
    confidence: float = 0.8
    author_id: str = ""
    author_label: str = ""
    note: str = ""
    min_level: str = ""  # "<standard>:<scale>:<value>"
    condition: str = ""


@dataclass(frozen=True)
class MappingSet:
    id: str
    title: str
    source: str  # framework code
    target: str
    base: str
    mappings: list[Mapping]
    description: str = ""
    date: str = ""


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def export_sssom(mapping_set: MappingSet) -> str:
    base = mapping_set.base.rstrip("/")
    meta: dict[str, Any] = {
        "curie_map": {
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "semapv": "https://w3id.org/semapv/vocab/",
            "bkw": EXT_NS,
            mapping_set.source: f"{base}/standards/{mapping_set.source}/e/",
            mapping_set.target: f"{base}/standards/{mapping_set.target}/e/",
        },
        "mapping_set_id": mapping_set.id,
        "mapping_set_title": mapping_set.title,
        "mapping_set_description": mapping_set.description or None,
        "license": "https://w3id.org/sssom/license/unspecified",
        "subject_source": f"{base}/standards/{mapping_set.source}",
        "object_source": f"{base}/standards/{mapping_set.target}",
        "mapping_date": mapping_set.date or None,
        "extension_definitions": [
            {"slot_name": "bkw_min_level", "property": "bkw:conditionMinLevel", "type_hint": "xsd:string"},
            {"slot_name": "bkw_condition", "property": "bkw:condition", "type_hint": "xsd:string"},
        ],
    }
    meta = {k: v for k, v in meta.items() if v is not None}
    header = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
    out = io.StringIO()
    out.write("".join(f"# {line}\n" for line in header.splitlines()))
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for m in mapping_set.mappings:
        writer.writerow(
            [
                f"{m.subject_framework}:{m.subject_key}",
                _one_line(m.subject_label),
                PREDICATES[m.relation],
                f"{m.object_framework}:{m.object_key}",
                _one_line(m.object_label),
                LEXICAL if m.suggested else MANUAL,
                f"{m.confidence:.2f}",
                m.author_id,
                _one_line(m.author_label),
                _one_line(m.note),
                m.min_level,
                _one_line(m.condition),
            ]
        )
    return out.getvalue()


class _RowError(Exception):
    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message, self.params = message, params


def _split(text: str) -> tuple[dict[str, Any], list[tuple[int, str]]]:
    """The metadata block, and the table's lines with their line numbers in the file (blank lines skipped)."""
    meta_lines: list[str] = []
    body: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#") and not body:
            meta_lines.append(line[1:].removeprefix(" "))
        elif line.strip():
            body.append((number, line))
    try:
        meta = yaml.safe_load("\n".join(meta_lines)) or {}
    except yaml.YAMLError as exc:
        raise DomainError(N_("The metadata block of this SSSOM file is not valid YAML.")) from exc
    if not isinstance(meta, dict):
        raise DomainError(N_("The metadata block of this SSSOM file is not valid YAML."))
    return meta, body


def _curie(value: str) -> tuple[str, str]:
    prefix, sep, local = value.partition(":")
    if not sep or not prefix or not local:
        raise _RowError(N_("%(value)s is not a CURIE (prefix:identifier)."), value=value)
    return prefix, local


def _confidence(raw: str) -> float:
    try:
        value = float(raw) if raw.strip() else 0.8
    except ValueError as exc:
        raise _RowError(N_("The confidence must be a number from 0 to 1.")) from exc
    if not 0 <= value <= 1:
        raise _RowError(N_("The confidence must be a number from 0 to 1."))
    return value


def _mapping(record: dict[str, str]) -> Mapping:
    subject_fw, subject_key = _curie(record.get("subject_id", ""))
    object_fw, object_key = _curie(record.get("object_id", ""))
    relation = RELATIONS.get(record.get("predicate_id", ""))
    if relation is None:
        raise _RowError(N_("Unknown predicate %(value)s."), value=record.get("predicate_id"))
    return Mapping(
        subject_fw,
        subject_key,
        record.get("subject_label", ""),
        relation,
        object_fw,
        object_key,
        record.get("object_label", ""),
        record.get("mapping_justification") == LEXICAL,
        _confidence(record.get("confidence", "")),
        record.get("author_id", ""),
        record.get("author_label", ""),
        record.get("comment", ""),
        record.get("bkw_min_level", ""),
        record.get("bkw_condition", ""),
    )


@dataclass(frozen=True)
class Read:
    """What reading a file found: the mapping set (None when the file as a whole is unreadable), each
    mapping's line in the file, and every problem (``where`` "line 7", or "" for the file as a whole)."""

    mapping_set: MappingSet | None
    lines: list[int]
    problems: list[Problem]


def read_sssom(text: str) -> Read:
    """Every mapping of an SSSOM TSV file, and every problem with the line it is on; nothing is refused at
    the first problem, so a person sees them all at once."""
    try:
        meta, body = _split(text)
    except DomainError as exc:
        return Read(None, [], [Problem("", exc.msgid, exc.params, refusal=True)])
    numbers = [n for n, _ in body]
    reader = csv.DictReader(io.StringIO("\n".join(line for _, line in body)), delimiter="\t")
    missing = {"subject_id", "predicate_id", "object_id", "mapping_justification"} - set(reader.fieldnames or [])
    if missing:
        message = N_("This SSSOM file lacks the columns %(columns)s.")
        return Read(None, [], [Problem("", message, {"columns": ", ".join(sorted(missing))}, refusal=True)])
    if len(body) - 1 > MAX_ROWS:
        return Read(
            None, [], [Problem("", N_("An SSSOM file may hold at most %(n)s mappings."), {"n": MAX_ROWS}, True)]
        )
    mappings, lines, problems = [], [], []
    for index, record in enumerate(reader, start=1):
        line = numbers[min(reader.line_num - 1, len(numbers) - 1)] if numbers else index
        try:
            mappings.append(_mapping({k: v or "" for k, v in record.items() if k}))
            lines.append(line)
        except _RowError as exc:
            problems.append(Problem(f"line {line}", exc.message, exc.params, refusal=True))
    sources = {m.subject_framework for m in mappings}
    targets = {m.object_framework for m in mappings}
    if len(sources) > 1 or len(targets) > 1 or not mappings:
        problems.append(
            Problem("", N_("A crosswalk links one standard to one other: this file maps more (or none)."), {}, True)
        )
    mapping_set = MappingSet(
        str(meta.get("mapping_set_id", "")),
        str(meta.get("mapping_set_title", "")),
        min(sources, default=""),
        min(targets, default=""),
        "",
        mappings,
        str(meta.get("mapping_set_description") or ""),
        str(meta.get("mapping_date") or ""),
    )
    return Read(mapping_set, lines, problems)


def parse_sssom(text: str) -> MappingSet:
    """The mapping set of an SSSOM TSV file; a DomainError names the first problem (and its line)."""
    read = read_sssom(text)
    if read.problems:
        first = read.problems[0]
        if first.where:
            raise DomainError(N_("%(where)s: %(problem)s"), where=first.where, problem=first.english())
        raise DomainError(first.message, **first.params)
    assert read.mapping_set is not None  # no problems: a mapping set
    return read.mapping_set
