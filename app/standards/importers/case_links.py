"""CASE associations: ``isChildOf`` builds the tree, every other type becomes an alignment or an external reference.

Pure: no Flask, no database. The item and element maps are the ones case.py builds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.domain import N_
from app.standards.importers.report import ImportReport

if TYPE_CHECKING:
    from app.standards.importers.case import Item

# CASE association type → Bekwaam alignment relation; the CASE type is kept in the alignment's note.
RELATIONS = {
    "exactMatchOf": "exact",
    "isRelatedTo": "related",
    "isPeerOf": "related",
    "isPartOf": "broader",
    "hasPart": "narrower",
    "precedes": "related",
    "exemplar": "related",
    "replacedBy": "related",
    "hasSkillLevel": "related",
    "isTranslationOf": "close",
}
MAX_EXTERNAL = 5_000


def _end(assoc: dict[str, Any], name: str) -> dict[str, Any]:
    node = assoc.get(name)
    return node if isinstance(node, dict) else {}


def _ident(node: dict[str, Any]) -> str | None:
    value = node.get("identifier")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _sequence(assoc: dict[str, Any]) -> float:
    value = assoc.get("sequenceNumber")
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else float("inf")


def child_links(associations: list[Any], items: dict[str, Item], doc_id: str, report: ImportReport) -> list[str]:
    """Set each item's children in order and return the roots; a cycle is refused, naming its items."""
    parent = _parents(associations, items, doc_id, report)
    _refuse_cycles(parent, items, report)
    if report.refusals:
        return []
    roots: list[tuple[float, int, str]] = []
    children: dict[str, list[tuple[float, int, str]]] = {}
    for identifier, item in items.items():
        link = parent.get(identifier)
        if link is None:
            report.adapt(f"CFItems[{item.index}]", N_("no isChildOf: the item is placed at the top"))
            roots.append((float("inf"), item.index, identifier))
        elif link[0] is None:
            roots.append((link[1], link[2], identifier))
        else:
            children.setdefault(link[0], []).append((link[1], link[2], identifier))
    for identifier, kids in children.items():
        items[identifier].children = [c for _s, _i, c in sorted(kids)]
    return [r for _s, _i, r in sorted(roots)]


def _parents(
    associations: list[Any], items: dict[str, Item], doc_id: str, report: ImportReport
) -> dict[str, tuple[str | None, float, int]]:
    """Each item's parent (None: the document), its sequence number and the association's index."""
    parent: dict[str, tuple[str | None, float, int]] = {}
    for i, assoc in enumerate(associations):
        if not isinstance(assoc, dict) or assoc.get("associationType") != "isChildOf":
            continue
        where = f"CFAssociations[{i}]"
        child, dest = _ident(_end(assoc, "originNodeURI")), _ident(_end(assoc, "destinationNodeURI"))
        if child not in items:
            report.adapt(where + ".originNodeURI", N_("isChildOf from an item outside the package: ignored"))
            continue
        if dest != doc_id and dest not in items:
            report.adapt(where + ".destinationNodeURI", N_("parent outside the package: the item is placed at the top"))
            dest = None
        if child in parent:
            report.adapt(where, N_("a second parent for %(item)s: only the first is kept"), item=_name(items[child]))
            continue
        parent[child] = (None if dest == doc_id else dest, _sequence(assoc), i)
    return parent


def _name(item: Item) -> str:
    return item.code or item.identifier


def _refuse_cycles(
    parent: dict[str, tuple[str | None, float, int]], items: dict[str, Item], report: ImportReport
) -> None:
    state: dict[str, int] = {}  # 1: on the current path, 2: reaches the top
    for start in parent:
        path: list[str] = []
        node: str | None = start
        while node is not None and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = parent[node][0] if node in parent else None
        if node is not None and state.get(node) == 1:
            cycle = path[path.index(node) :]
            names = " → ".join(_name(items[c]) for c in [*cycle, node])
            report.refuse(
                f"CFAssociations[{parent[node][2]}]", N_("isChildOf goes round in a cycle: %(items)s"), items=names
            )
        for visited in path:
            state[visited] = 2
    return None


def alignments_and_external(
    associations: list[Any],
    items: dict[str, Item],
    elements: dict[str, dict[str, Any]],
    framework: dict[str, Any],
    report: ImportReport,
) -> None:
    """Alignments where both ends are in the package (one per pair and relation); the others as external references."""
    seen: dict[tuple[str, str, str], dict[str, Any]] = {}
    external: list[dict[str, Any]] = []
    for i, assoc in enumerate(associations):
        if not isinstance(assoc, dict) or assoc.get("associationType") == "isChildOf":
            continue
        where = f"CFAssociations[{i}]"
        kind = assoc.get("associationType")
        if not isinstance(kind, str) or not kind.strip():
            report.adapt(where + ".associationType", N_("an association without a type: ignored"))
            continue
        kind = kind.strip()[:100]
        origin, dest = _end(assoc, "originNodeURI"), _end(assoc, "destinationNodeURI")
        o_id, d_id = _ident(origin), _ident(dest)
        if o_id in items and d_id in items:
            _align(seen, elements, framework["code"], items, (o_id, kind, d_id), where, report)
            continue
        if len(external) < MAX_EXTERNAL:
            external.append(
                {
                    "origin": o_id,
                    "type": kind,
                    "destination": d_id,
                    "destination_uri": str(dest.get("uri") or "")[:500] or None,
                    "destination_title": str(dest.get("title") or "")[:500] or None,
                }
            )
        report.adapt(where, N_("%(type)s points outside the package: kept as an external reference"), type=kind)
    if external:
        framework["attributes"]["case_external_associations"] = external


def _align(
    seen: dict[tuple[str, str, str], dict[str, Any]],
    elements: dict[str, dict[str, Any]],
    fw_code: str,
    items: dict[str, Item],
    link: tuple[str, str, str],
    where: str,
    report: ImportReport,
) -> None:
    o_id, kind, d_id = link
    relation = RELATIONS.get(kind)
    if relation is None:
        relation = "related"
        report.adapt(where + ".associationType", N_("association type %(type)s kept as a related alignment"), type=kind)
    target = items[d_id]
    note = f"CASE {kind}"
    existing = seen.get((o_id, relation, d_id))
    if existing is not None:
        existing["note"] += f"; {note}"
        return
    alignment = {"to": f"{fw_code}:{target.code or target.key}", "relation": relation, "note": note}
    seen[(o_id, relation, d_id)] = alignment
    elements[o_id].setdefault("alignments", []).append(alignment)
