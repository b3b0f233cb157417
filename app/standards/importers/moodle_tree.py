"""The competencies of a Moodle CSV as a nested element tree: parents by ID number, types by taxonomy.

Pure: no Flask, no database.
"""

from __future__ import annotations

import re
from typing import Any

from app.domain import N_
from app.standards.importers.report import MAX_TREE_DEPTH, ImportReport, check_text

SAFE_KEY = re.compile(r"^[^:\s]+$")
# Moodle's taxonomies → Bekwaam element types.
TAXONOMIES = {
    "behaviour": "behaviour",
    "competency": "competence",
    "concept": "knowledge",
    "domain": "area",
    "indicator": "descriptor",
    "level": "descriptor",
    "outcome": "competence",
    "practice": "activity",
    "proficiency": "descriptor",
    "skill": "skill",
    "value": "descriptor",
}


def build_tree(
    rows: list[dict[str, Any]], fw_code: str, taxonomy: list[str], report: ImportReport
) -> list[dict[str, Any]]:
    by_id = _index(rows, report)
    if report.refusals:
        return []
    children: dict[str, list[dict[str, Any]]] = {}
    roots: list[dict[str, Any]] = []
    for row in rows:
        parent = row["parent"].strip()
        if parent and parent not in by_id:
            report.adapt(
                f"line {row['line']}, column Parent ID number",
                N_("parent %(parent)s is not in the file: placed at the top"),
                parent=parent[:100],
            )
            parent = ""
        (children.setdefault(parent, []) if parent else roots).append(row)
    _refuse_cycles(rows, by_id, report)
    if report.refusals:
        return []
    result: list[dict[str, Any]] = []
    elements: dict[str, dict[str, Any]] = {}
    stack = [(row, result, 1) for row in reversed(roots)]
    while stack:
        row, siblings, depth = stack.pop()
        if depth > MAX_TREE_DEPTH:
            report.refuse(
                f"line {row['line']}", N_("the tree is deeper than %(maximum)d levels"), maximum=MAX_TREE_DEPTH
            )
            return []
        element = _element(row, depth, taxonomy, bool(children.get(row["idnumber"].strip())), report)
        elements[row["idnumber"].strip()] = element
        siblings.append(element)
        kids = children.get(row["idnumber"].strip())
        if kids:
            element["children"] = []
            stack.extend((k, element["children"], depth + 1) for k in reversed(kids))
    _cross_references(rows, elements, fw_code, report)
    return result


def _index(rows: list[dict[str, Any]], report: ImportReport) -> dict[str, dict[str, Any]]:
    by_id: dict[str, dict[str, Any]] = {}
    for row in rows:
        idnumber = row["idnumber"].strip()
        if not idnumber:
            report.refuse(f"line {row['line']}, column ID number", N_("a competency without an ID number"))
        elif idnumber in by_id:
            report.refuse(
                f"line {row['line']}, column ID number",
                N_("duplicate ID number %(idnumber)s (first on line %(first)d)"),
                idnumber=idnumber[:100],
                first=by_id[idnumber]["line"],
            )
        else:
            by_id[idnumber] = row
    return by_id


def _refuse_cycles(rows: list[dict[str, Any]], by_id: dict[str, dict[str, Any]], report: ImportReport) -> None:
    state: dict[str, int] = {}
    for row in rows:
        path: list[str] = []
        node = row["idnumber"].strip()
        while node and state.get(node) is None:
            state[node] = 1
            path.append(node)
            parent = by_id[node]["parent"].strip()
            node = parent if parent in by_id else ""
        if node and state.get(node) == 1:
            cycle = [*path[path.index(node) :], node]
            report.refuse(
                f"line {by_id[node]['line']}",
                N_("the parents go round in a cycle: %(items)s"),
                items=" → ".join(c[:100] for c in cycle),
            )
        for visited in path:
            state[visited] = 2


def _element(
    row: dict[str, Any], depth: int, taxonomy: list[str], has_children: bool, report: ImportReport
) -> dict[str, Any]:
    where = f"line {row['line']}"
    idnumber = row["idnumber"].strip()
    title = check_text(report, where + ", column Short name", row["shortname"]) or idnumber
    attributes: dict[str, Any] = {"moodle_idnumber": idnumber[:200]}
    tax = taxonomy[depth - 1].strip() if depth <= len(taxonomy) else ""
    etype = TAXONOMIES.get(tax.lower())
    if tax:
        attributes["moodle_taxonomy"] = tax[:100]
    if etype is None:
        etype = "section" if has_children else "competence"
        if tax:
            report.adapt(
                where,
                N_("taxonomy %(taxonomy)s has no Bekwaam equivalent: imported as %(element_type)s"),
                taxonomy=tax[:100],
                element_type=etype,
            )
    for name in ("ruletype", "ruleoutcome", "ruleconfig", "exportid"):
        if row[name].strip() and row[name].strip() != "0":
            attributes[f"moodle_{name}"] = row[name].strip()[:2000]
    element: dict[str, Any] = {"type": etype, "title": title, "attributes": attributes}
    if len(idnumber) <= 80 and SAFE_KEY.match(idnumber):
        element["code"] = idnumber
    else:
        element["key"] = f"line-{row['line']}"
        report.adapt(
            where + ", column ID number",
            N_("ID number %(idnumber)s is too long or has a colon or a space: kept as an attribute"),
            idnumber=idnumber[:100],
        )
    description = check_text(report, where + ", column Description", row["description"])
    if description and description != title:
        element["description"] = description
    return element


def _cross_references(
    rows: list[dict[str, Any]], elements: dict[str, dict[str, Any]], fw_code: str, report: ImportReport
) -> None:
    for row in rows:
        source = elements.get(row["idnumber"].strip())
        if source is None:
            continue
        for ref in (r.strip() for r in row["related"].split(",") if r.strip()):
            target = elements.get(ref)
            if target is None:
                report.adapt(
                    f"line {row['line']}, column Cross-referenced competency ID numbers",
                    N_("cross-reference %(idnumber)s is not in the file: ignored"),
                    idnumber=ref[:100],
                )
                continue
            to = f"{fw_code}:{target.get('code') or target['key']}"
            alignments = source.setdefault("alignments", [])
            if all(a["to"] != to for a in alignments):
                alignments.append({"to": to, "relation": "related", "note": "Moodle cross-reference"})
