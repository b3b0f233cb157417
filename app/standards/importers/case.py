"""A CASE 1.0 or 1.1 package (CFDocument, CFItems, CFAssociations, CFDefinitions, CFRubrics) as a seed structure.

Lenient in: what real publishers produce imports even where it breaks the 1.1 schema, and every adaptation is
in the report with its JSON path. Refused (in the report, nothing converted): duplicate identifiers, cycles
in ``isChildOf``, a tree deeper than the limit, texts over the limit. Pure: no Flask, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.domain import N_
from app.standards.identity import parse_uuid
from app.standards.importers.case_bekwaam import restore
from app.standards.importers.case_links import RELATIONS, alignments_and_external, child_links
from app.standards.importers.case_rubrics import rubric_scales
from app.standards.importers.report import MAX_ITEMS, MAX_TREE_DEPTH, ImportReport, check_text, slug

SAFE_KEY = re.compile(r"^[^:\s]+$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")

# CFItemType (lower case) → Bekwaam element type; anything else keeps its name in the attributes.
ITEM_TYPES = {
    "domain": "area",
    "area": "area",
    "strand": "section",
    "section": "section",
    "category": "section",
    "grouping": "section",
    "grade level": "section",
    "course": "part",
    "part": "part",
    "cluster": "cluster",
    "standard": "competence",
    "competency": "competence",
    "competence": "competence",
    "outcome": "competence",
    "learning outcome": "competence",
    "skill": "skill",
    "knowledge": "knowledge",
    "concept": "knowledge",
    "behaviour": "behaviour",
    "behavior": "behaviour",
    "activity": "activity",
    "task": "activity",
    "indicator": "descriptor",
    "component": "descriptor",
    "element": "descriptor",
    "benchmark": "descriptor",
    "level": "descriptor",
    "proficiency level": "descriptor",
    "profile": "profile",
}
__all__ = ["ITEM_TYPES", "RELATIONS", "convert_case"]


@dataclass
class Item:
    index: int
    identifier: str
    data: dict[str, Any]
    key: str
    code: str | None
    title: str
    children: list[str] = field(default_factory=list)


def convert_case(doc: Any, report: ImportReport, language: str | None = None) -> dict[str, Any] | None:
    """The seed structure of a CASE package, or None when the report holds a refusal; ``language`` (chosen on
    upload) is the language of a document that names none."""
    if not isinstance(doc, dict) or not isinstance(doc.get("CFDocument"), dict):
        report.refuse("CFDocument", N_("not a CASE package: there is no CFDocument object"))
        return None
    framework = _framework(doc["CFDocument"], report, language)
    items = _items(doc.get("CFItems"), report)
    if report.refusals or framework is None:
        return None
    associations = doc.get("CFAssociations") or []
    if not isinstance(associations, list):
        report.adapt("CFAssociations", N_("not a list: ignored"))
        associations = []
    roots = child_links(associations, items, framework["attributes"]["case_identifier"], report)
    if report.refusals:
        return None
    elements_by_id: dict[str, dict[str, Any]] = {}
    elements = _tree(roots, items, elements_by_id, report)
    if report.refusals:
        return None
    alignments_and_external(associations, items, elements_by_id, framework, report)
    scales = rubric_scales(doc.get("CFRubrics"), items, elements_by_id, report)
    data: dict[str, Any] = {"format": "bekwaam-standard/1", "framework": framework, "elements": elements}
    if scales:
        data["scales"] = scales
    restore(doc, data, items, elements_by_id, report)
    if report.refusals:
        return None
    return data


def _framework(cf: dict[str, Any], report: ImportReport, language: str | None) -> dict[str, Any] | None:
    identifier = check_text(report, "CFDocument.identifier", cf.get("identifier"))
    title = check_text(report, "CFDocument.title", cf.get("title"))
    if not identifier:
        report.refuse("CFDocument.identifier", N_("the document has no identifier"))
        return None
    if not title:
        report.adapt("CFDocument.title", N_("the document has no title: its identifier is used"))
        title = identifier
    code = slug(title).lower() or "case"
    if not code[0].isalnum():
        code = "case-" + code
    attributes: dict[str, Any] = {"import_format": "case", "case_identifier": identifier}
    for name, attr in (
        ("uri", "case_uri"),
        ("creator", "creator"),
        ("adoptionStatus", "adoption_status"),
        ("lastChangeDateTime", "last_change"),
        ("notes", "notes"),
    ):
        value = check_text(report, f"CFDocument.{name}", cf.get(name))
        if value:
            attributes[attr] = value
    for legacy in ("CFPackageURI",):
        if legacy in cf:
            report.adapt(f"CFDocument.{legacy}", N_("a CASE 1.0 field the 1.1 schema does not allow: ignored"))
    framework: dict[str, Any] = {
        "uuid": _uuid(identifier),
        "code": code,
        "title": title,
        "kind": "imported_framework",
        "language": _language(cf.get("language"), report, language),
        "version": _short(report, "CFDocument.version", cf.get("version"), 80),
        "publisher": _short(report, "CFDocument.publisher", cf.get("publisher"), 200),
        "source": _short(report, "CFDocument.officialSourceURL", cf.get("officialSourceURL"), 500),
        "description": check_text(report, "CFDocument.description", cf.get("description")),
        "attributes": attributes,
    }
    return framework


def _language(value: Any, report: ImportReport, chosen: str | None) -> str:
    if isinstance(value, str) and LANGUAGE.match(value.strip()):
        return value.strip()
    if isinstance(value, str) and LANGUAGE.match(value.strip().lower()[:2]):
        report.adapt(
            "CFDocument.language",
            N_("language %(value)s read as %(language)s"),
            value=value,
            language=value.strip().lower()[:2],
        )
        return value.strip().lower()[:2]
    if chosen:
        report.adapt(
            "CFDocument.language", N_("no language given: marked as %(language)s, chosen on upload"), language=chosen
        )
        return chosen
    report.adapt(
        "CFDocument.language",
        N_("no language given: marked as undetermined (und); choose the language of its texts on upload"),
    )
    return "und"


def _short(report: ImportReport, where: str, value: Any, limit: int) -> str | None:
    text = check_text(report, where, value)
    if text is not None and len(text) > limit:
        report.adapt(where, N_("longer than %(limit)d characters: cut"), limit=limit)
        return text[:limit]
    return text


def _items(raw: Any, report: ImportReport) -> dict[str, Item]:
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        report.refuse("CFItems", N_("CFItems is not a list"))
        return {}
    if len(raw) > MAX_ITEMS:
        report.refuse("CFItems", N_("%(count)d items (at most %(maximum)d)"), count=len(raw), maximum=MAX_ITEMS)
        return {}
    items: dict[str, Item] = {}
    codes: set[str] = set()
    for i, data in enumerate(raw):
        where = f"CFItems[{i}]"
        if not isinstance(data, dict):
            report.adapt(where, N_("not an object: ignored"))
            continue
        identifier = check_text(report, where + ".identifier", data.get("identifier"))
        if not identifier:
            report.refuse(where + ".identifier", N_("an item without an identifier"))
            continue
        if identifier in items:
            first = items[identifier].index
            report.refuse(
                where + ".identifier",
                N_("duplicate identifier %(identifier)s (first used at CFItems[%(first)d])"),
                identifier=identifier,
                first=first,
            )
            continue
        items[identifier] = _item(i, identifier, data, codes, report)
    return items


def _item(i: int, identifier: str, data: dict[str, Any], codes: set[str], report: ImportReport) -> Item:
    where = f"CFItems[{i}]"
    code = check_text(report, where + ".humanCodingScheme", data.get("humanCodingScheme"))
    if code is not None and (len(code) > 80 or not SAFE_KEY.match(code) or code in codes):
        if code in codes:
            message = N_("duplicate code %(code)s: kept as an attribute, the item is keyed by its identifier")
        else:
            message = N_("code %(code)s is too long or has a colon or a space: kept as an attribute")
        report.adapt(where + ".humanCodingScheme", message, code=code)
        code = None
    if code:
        codes.add(code)
    key = identifier if (len(identifier) <= 160 and SAFE_KEY.match(identifier)) else f"item-{i + 1}"
    title = check_text(report, where + ".fullStatement", data.get("fullStatement"))
    if not title:
        title = (
            check_text(report, where + ".abbreviatedStatement", data.get("abbreviatedStatement")) or code or identifier
        )
        report.adapt(where + ".fullStatement", N_("an item without a full statement: titled %(title)s"), title=title)
    return Item(index=i, identifier=identifier, data=data, key=key, code=code, title=title)


def _tree(
    roots: list[str], items: dict[str, Item], out: dict[str, dict[str, Any]], report: ImportReport
) -> list[dict[str, Any]]:
    """Nested element dicts from the roots down (iterative; the depth is limited before the validator sees it)."""
    result: list[dict[str, Any]] = []
    stack: list[tuple[str, list[dict[str, Any]], int]] = [(r, result, 0) for r in reversed(roots)]
    while stack:
        identifier, siblings, depth = stack.pop()
        item = items[identifier]
        if depth >= MAX_TREE_DEPTH:
            report.refuse(
                f"CFItems[{item.index}]", N_("the tree is deeper than %(maximum)d levels"), maximum=MAX_TREE_DEPTH
            )
            return []
        element = _element(item, report)
        out[identifier] = element
        siblings.append(element)
        if item.children:
            element["children"] = []
            stack.extend((c, element["children"], depth + 1) for c in reversed(item.children))
    return result


def _element(item: Item, report: ImportReport) -> dict[str, Any]:
    where = f"CFItems[{item.index}]"
    data = item.data
    raw_type = data.get("CFItemType")
    if not isinstance(raw_type, str) and isinstance(data.get("CFItemTypeURI"), dict):
        raw_type = data["CFItemTypeURI"].get("title")
    attributes: dict[str, Any] = {"case_identifier": item.identifier}
    if isinstance(raw_type, str) and raw_type.strip():
        attributes["case_item_type"] = raw_type.strip()[:200]
        etype = ITEM_TYPES.get(raw_type.strip().lower())
        if etype is None:
            etype = "section" if item.children else "competence"
            report.adapt(
                where + ".CFItemType",
                N_("item type %(type)s has no Bekwaam equivalent: imported as %(element_type)s"),
                type=raw_type.strip()[:200],
                element_type=etype,
            )
    else:
        etype = "section" if item.children else "competence"
        report.adapt(where + ".CFItemType", N_("no item type: imported as %(element_type)s"), element_type=etype)
    for name, attr in (
        ("humanCodingScheme", "human_coding_scheme"),
        ("abbreviatedStatement", "abbreviated_statement"),
        ("uri", "case_uri"),
        ("educationLevel", "education_level"),
        ("language", "language"),
        ("listEnumeration", "list_enumeration"),
    ):
        value = data.get(name)
        if value and isinstance(value, (str, list)) and (name != "humanCodingScheme" or item.code is None):
            attributes[attr] = value if isinstance(value, str) else [str(v)[:200] for v in value[:50]]
    if "CFDocumentURI" in data:
        report.adapt(where + ".CFDocumentURI", N_("a CASE 1.0 field the 1.1 schema does not allow: ignored"))
    element: dict[str, Any] = {"type": etype, "title": item.title, "attributes": attributes}
    if _uuid(item.identifier):
        element["uuid"] = _uuid(item.identifier)
    if item.code:
        element["code"] = item.code
    else:
        element["key"] = item.key
    notes = check_text(report, where + ".notes", data.get("notes"))
    if notes:
        element["description"] = notes
    return element


def _uuid(identifier: str) -> str | None:
    """The CASE identifier as the element's uuid when it is one (CASE allows other identifier strings)."""
    parsed = parse_uuid(identifier)
    return str(parsed) if parsed else None
