"""A CASE package Bekwaam exported: its ``extensions.bekwaam`` objects restore what CASE has no field for.

Bekwaam's CASE export carries, beside the CASE fields, the framework's code, kind and levels, each element's
key, type, description, attributes, required level and translations, each alignment's own relation and each
rubric's scale code (exporters/case.py). Read back, the same tree loads again, so export, import and export give
the same package apart from its timestamps. Anything a file claims there is validated like a seed file afterwards.
Pure: no Flask, no database.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from app.domain import N_
from app.standards.importers.report import MAX_TEXT, ImportReport, check_text
from app.standards.translations.layerfile import source_text
from app.standards.translations.models import TRANSLATION_STATUSES

if TYPE_CHECKING:
    from app.standards.importers.case import Item

NOTE = re.compile(r"^\[(inconsistency|transcription|source)\] ", re.MULTILINE)
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")
# Where the restored translations wait beside the seed structure: they are no part of a seed file.
TRANSLATIONS = "_translations"
ELEMENT_FIELDS = ("type", "title", "description", "attributes", "alignments", "required_level", "code", "key")


def extension(obj: Any) -> dict[str, Any] | None:
    ext = obj.get("extensions") if isinstance(obj, dict) else None
    value = ext.get("bekwaam") if isinstance(ext, dict) else None
    return value if isinstance(value, dict) else None


def restore(
    doc: dict[str, Any],
    data: dict[str, Any],
    items: dict[str, Item],
    elements: dict[str, dict[str, Any]],
    report: ImportReport,
) -> None:
    """Overlay the Bekwaam extensions on the generic conversion (a no-op for a package without them)."""
    fw_ext = extension(doc["CFDocument"])
    if fw_ext is None or not isinstance(fw_ext.get("code"), str):
        return
    cf = doc["CFDocument"]
    framework = data["framework"]
    code = fw_ext["code"]
    framework.update(
        code=code,
        kind=fw_ext.get("kind"),
        level=fw_ext.get("level"),
        level_scale=fw_ext.get("levelScale"),
        eqf_level=fw_ext.get("eqfLevel"),
        source=fw_ext.get("source"),
        validated_on=cf.get("statusStartDate"),
        attributes=fw_ext.get("attributes") or {},
    )
    notes = _notes(None, cf.get("notes"))
    texts = Translations(framework["language"], report)
    texts.add("CFDocument", None, framework, fw_ext.get("translations"))
    typed: set[str] = set()
    for identifier, item in items.items():
        ext = extension(item.data)
        element = elements.get(identifier)
        if ext is None or element is None:
            continue
        typed.add(f"CFItems[{item.index}].CFItemType")
        _element(element, item, ext, report)
        notes += _notes(ext.get("key"), item.data.get("notes"))
        if isinstance(ext.get("key"), str):
            texts.add(f"CFItems[{item.index}]", ext["key"], element, ext.get("translations"))
    if texts.entries:
        data[TRANSLATIONS] = texts.entries
    typed |= _alignments(doc.get("CFAssociations"), elements, code)
    scales = _scales(doc.get("CFRubrics"))
    if scales:
        data["scales"] = scales
    else:
        data.pop("scales", None)
    if notes:
        data["notes"] = notes
    # Element types and alignments are Bekwaam's own: what the generic reading adapted does not apply to them.
    report.problems[:] = [p for p in report.problems if p.refusal or not {p.where, p.where.split(".")[0]} & typed]


def _element(element: dict[str, Any], item: Item, ext: dict[str, Any], report: ImportReport) -> None:
    children = element.get("children")
    uuid = element.get("uuid")
    element.clear()
    if uuid:
        element["uuid"] = uuid
    code = item.data.get("humanCodingScheme")
    if isinstance(code, str) and code == ext.get("key"):
        element["code"] = code
    else:
        element["key"] = ext.get("key")
        if isinstance(code, str):
            element["code"] = code
    element["type"] = ext.get("type")
    element["title"] = item.title  # checked and stripped like any item's
    description = check_text(report, f"CFItems[{item.index}].extensions.bekwaam.description", ext.get("description"))
    if description:
        element["description"] = description
    if ext.get("attributes"):
        element["attributes"] = ext["attributes"]
    required = ext.get("requiredLevel")
    if isinstance(required, dict):
        element["required_level"] = {k: required.get(k) for k in ("scale", "level", "note")}
    if children:
        element["children"] = children


def _notes(element_key: Any, text: Any) -> list[dict[str, Any]]:
    """``[kind] text`` paragraphs (as the exporter joins them) back into source notes."""
    if not isinstance(text, str) or not NOTE.match(text):
        return []
    starts = [m.start() for m in NOTE.finditer(text)]
    out = []
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        chunk = text[start:end]
        match = NOTE.match(chunk)
        assert match is not None
        entry: dict[str, Any] = {"element": element_key} if element_key else {}
        entry.update(kind=match.group(1), text=chunk[match.end() :].removesuffix("\n\n"))
        out.append(entry)
    return out


def _alignments(raw: Any, elements: dict[str, dict[str, Any]], code: str) -> set[str]:
    """The alignments the extensions name (to this or another Bekwaam standard); the places they came from."""
    for element in elements.values():
        element.pop("alignments", None)
    restored: set[str] = set()
    for i, assoc in enumerate(raw if isinstance(raw, list) else []):
        ext = extension(assoc)
        origin = assoc.get("originNodeURI") if isinstance(assoc, dict) else None
        o_id = origin.get("identifier") if isinstance(origin, dict) else None
        if ext is None or o_id not in elements or not isinstance(ext.get("key"), str):
            continue
        target = ext["key"] if ext.get("framework") == code else f"{ext.get('framework')}:{ext['key']}"
        alignment: dict[str, Any] = {"to": target, "relation": ext.get("relation")}
        note = "\n".join(
            line for line in str(assoc.get("notes") or "").split("\n") if not line.startswith("Bekwaam relation: ")
        )
        if note:
            alignment["note"] = note
        elements[o_id].setdefault("alignments", []).append(alignment)
        restored.add(f"CFAssociations[{i}]")
    return restored


def _scales(raw: Any) -> list[dict[str, Any]]:
    """Each rubric Bekwaam made is one scale: its first criterion (the scale itself) holds the levels."""
    scales = []
    for rubric in raw if isinstance(raw, list) else []:
        ext = extension(rubric)
        criteria = rubric.get("CFRubricCriteria") if isinstance(rubric, dict) else None
        if ext is None or not isinstance(criteria, list) or not criteria or not isinstance(criteria[0], dict):
            continue
        levels = []
        raw_levels = criteria[0].get("CFRubricCriterionLevels")
        for lv in raw_levels if isinstance(raw_levels, list) else []:
            if not isinstance(lv, dict):
                continue
            level: dict[str, Any] = {"value": lv.get("score"), "label": lv.get("quality")}
            if lv.get("description"):
                level["description"] = lv["description"]
            levels.append(level)
        scale: dict[str, Any] = {"code": ext.get("code"), "title": rubric.get("title"), "levels": levels}
        if ext.get("origin"):
            scale["origin"] = ext["origin"]
        if rubric.get("description"):
            scale["description"] = rubric["description"]
        scales.append(scale)
    return scales


class Translations:
    """The translations the extensions carry, each checked against the source text it translates (which the
    same package holds); one that does not fit is left out, and the preview says why."""

    def __init__(self, language: str, report: ImportReport):
        self.language, self.report = language, report
        self.entries: list[dict[str, Any]] = []
        self.seen: set[tuple[Any, str, str]] = set()

    def add(self, where: str, key: Any, owner: dict[str, Any], raw: Any) -> None:
        for i, entry in enumerate(raw if isinstance(raw, list) else []):
            problem = self._problem(key, owner, entry)
            if problem is not None:
                message, params = problem
                self.report.adapt(f"{where}.extensions.bekwaam.translations[{i}]", message, **params)
                continue
            self.seen.add((key, entry["field"], entry["language"]))
            kept = {name: entry.get(name) for name in ("field", "language", "text", "translator", "status", "source")}
            self.entries.append({"key": key, **kept})

    def _problem(self, key: Any, owner: dict[str, Any], entry: Any) -> tuple[str, dict[str, Any]] | None:
        if not isinstance(entry, dict) or not _texts(entry, ("field", "language", "text", "translator")):
            return N_("translation not imported: it needs field, language, text and translator, as text"), {}
        language, field_name = entry["language"], entry["field"]
        if not LANGUAGE.match(language) or language == self.language:
            return N_("translation not imported: %(language)s is not another language than the source's"), {
                "language": language[:20]
            }
        source = entry.get("source") or ""
        if entry.get("status") not in TRANSLATION_STATUSES or not isinstance(source, str):
            return N_("translation not imported: unknown status, or a source that is not text"), {}
        if len(entry["text"]) > MAX_TEXT or max(len(entry["translator"]), len(field_name)) > 200 or len(source) > 500:
            return N_("translation not imported: text, translator, field or source too long"), {}
        title, description = owner.get("title") or "", owner.get("description")
        if source_text(title, description, owner.get("attributes") or {}, field_name) is None:
            return N_("translation not imported: there is no source text at %(field)s"), {"field": field_name}
        if (key, field_name, language) in self.seen:
            return N_("translation not imported: the same text is translated into %(language)s twice"), {
                "language": language
            }
        return None


def _texts(entry: dict[str, Any], names: tuple[str, ...]) -> bool:
    return all(isinstance(entry.get(n), str) and entry[n].strip() for n in names)
