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


def _split(text: str) -> tuple[dict[str, Any], str]:
    meta_lines: list[str] = []
    body_lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("#") and not body_lines:
            meta_lines.append(line[1:].removeprefix(" "))
        elif line.strip():
            body_lines.append(line)
    try:
        meta = yaml.safe_load("\n".join(meta_lines)) or {}
    except yaml.YAMLError as exc:
        raise DomainError(N_("The metadata block of this SSSOM file is not valid YAML.")) from exc
    if not isinstance(meta, dict):
        raise DomainError(N_("The metadata block of this SSSOM file is not valid YAML."))
    return meta, "\n".join(body_lines)


def _curie(value: str, row: int) -> tuple[str, str]:
    prefix, sep, local = value.partition(":")
    if not sep or not prefix or not local:
        raise DomainError(N_("Row %(row)s: %(value)s is not a CURIE (prefix:identifier)."), row=row, value=value)
    return prefix, local


def _confidence(raw: str, row: int) -> float:
    try:
        value = float(raw) if raw.strip() else 0.8
    except ValueError as exc:
        raise DomainError(N_("Row %(row)s: the confidence must be a number from 0 to 1."), row=row) from exc
    if not 0 <= value <= 1:
        raise DomainError(N_("Row %(row)s: the confidence must be a number from 0 to 1."), row=row)
    return value


def _mapping(record: dict[str, str], row: int) -> Mapping:
    subject_fw, subject_key = _curie(record.get("subject_id", ""), row)
    object_fw, object_key = _curie(record.get("object_id", ""), row)
    relation = RELATIONS.get(record.get("predicate_id", ""))
    if relation is None:
        raise DomainError(N_("Row %(row)s: unknown predicate %(value)s."), row=row, value=record.get("predicate_id"))
    return Mapping(
        subject_fw,
        subject_key,
        record.get("subject_label", ""),
        relation,
        object_fw,
        object_key,
        record.get("object_label", ""),
        record.get("mapping_justification") == LEXICAL,
        _confidence(record.get("confidence", ""), row),
        record.get("author_id", ""),
        record.get("author_label", ""),
        record.get("comment", ""),
        record.get("bkw_min_level", ""),
        record.get("bkw_condition", ""),
    )


def parse_sssom(text: str) -> MappingSet:
    """The mapping set of an SSSOM TSV file; a DomainError names the first problem."""
    meta, body = _split(text)
    reader = csv.DictReader(io.StringIO(body), delimiter="\t")
    missing = {"subject_id", "predicate_id", "object_id", "mapping_justification"} - set(reader.fieldnames or [])
    if missing:
        raise DomainError(N_("This SSSOM file lacks the columns %(columns)s."), columns=", ".join(sorted(missing)))
    mappings = []
    for n, record in enumerate(reader, start=2):
        if n > MAX_ROWS:
            raise DomainError(N_("An SSSOM file may hold at most %(n)s mappings."), n=MAX_ROWS)
        mappings.append(_mapping({k: v or "" for k, v in record.items() if k}, n))
    sources = {m.subject_framework for m in mappings}
    targets = {m.object_framework for m in mappings}
    if len(sources) != 1 or len(targets) != 1:
        raise DomainError(N_("A crosswalk links one standard to one other: this file maps more (or none)."))
    return MappingSet(
        str(meta.get("mapping_set_id", "")),
        str(meta.get("mapping_set_title", "")),
        sources.pop(),
        targets.pop(),
        "",
        mappings,
        str(meta.get("mapping_set_description") or ""),
        str(meta.get("mapping_date") or ""),
    )
