"""A loaded standard as a Bekwaam seed file (seeds/standards/FORMAT.md) that validates and reloads to the
same tree: level descriptors fold back into ``levels``, explicit keys are kept, alignments are the ones this
framework declares (its elements' outgoing links). Retired elements are left out (a source no longer has
them); UUIDs are written only where they were kept from a source, since derived ones follow from the keys."""

from __future__ import annotations

from typing import Any

import yaml

from app.standards.identity import element_uuid, framework_uuid
from app.standards.models import Framework, RatingScale, SourceNote
from app.standards.queries import Node, Tree

FORMAT = "bekwaam-standard/1"


def _framework(fw: Framework) -> dict[str, Any]:
    kept = {"uuid": fw.uuid} if fw.uuid and fw.uuid != str(framework_uuid(fw.code)) else {}
    return {
        **kept,
        "code": fw.code,
        "title": fw.title,
        "kind": fw.kind,
        "language": fw.language,
        "version": fw.version,
        "validated_on": fw.validated_on.isoformat() if fw.validated_on else None,
        "level": fw.level,
        "level_scale": fw.level_scale,
        "eqf_level": fw.eqf_level,
        "publisher": fw.publisher,
        "source": fw.source_ref,
        "description": fw.description,
        "attributes": dict(fw.attributes or {}),
    }


def _scale(scale: RatingScale) -> dict[str, Any]:
    levels = []
    for lv in scale.levels:
        level: dict[str, Any] = {"value": lv.value, "code": lv.code, "label": lv.label}
        if lv.description is not None:
            level["description"] = lv.description
        if lv.eqf_level is not None:
            level["eqf_level"] = lv.eqf_level
        if lv.passing is not None:
            level["passing"] = lv.passing
        levels.append(level)
    return {
        "code": scale.code,
        "title": scale.title,
        "origin": scale.origin,
        "description": scale.description,
        "levels": levels,
    }


def _element(node: Node, fw_code: str) -> dict[str, Any]:
    el = node.element
    item: dict[str, Any] = {"code": el.code} if el.code else {"key": el.key}
    if el.uuid and el.uuid != str(element_uuid(fw_code, el.key)):
        item["uuid"] = el.uuid  # kept from its source (a CASE package): derived ones are left to the loader
    item.update({"type": el.type, "title": el.title})
    if el.description:
        item["description"] = el.description
    if el.attributes:
        item["attributes"] = dict(el.attributes)
    levels = {
        int(c.element.attributes["level"]): c.element.title
        for c in node.children
        if c.element.type == "level_descriptor"
        and c.element.key == f"{el.key}/level-{c.element.attributes.get('level')}"
    }
    if levels:
        item["levels"] = dict(sorted(levels.items()))
    if node.required is not None:
        required: dict[str, Any] = {"scale": node.required.scale.code, "level": node.required.value}
        if node.required_note:
            required["note"] = node.required_note
        item["required_level"] = required
    alignments = [_alignment(a, fw_code) for a in node.alignments if not a.incoming]
    if alignments:
        item["alignments"] = alignments
    folded = {f"{el.key}/level-{n}" for n in levels}
    children = [
        _element(c, fw_code) for c in node.children if c.element.key not in folded and c.element.retired_at is None
    ]
    if children:
        item["children"] = children
    return item


def _alignment(a: Any, fw_code: str) -> dict[str, Any]:
    target = a.element_key if a.framework_code == fw_code else f"{a.framework_code}:{a.element_key}"
    out: dict[str, Any] = {"to": target, "relation": a.relation}
    if a.note:
        out["note"] = a.note
    return out


def _notes(tree: Tree) -> list[dict[str, Any]]:
    notes: list[SourceNote] = list(tree.framework_notes)
    keys = {}
    for node in tree:
        notes.extend(node.notes)
        keys[node.element.id] = node.key
    out = []
    for note in sorted(notes, key=lambda n: (n.position, n.id)):
        entry: dict[str, Any] = {}
        if note.element_id in keys:
            entry["element"] = keys[note.element_id]
        entry.update({"kind": note.kind, "text": note.text})
        out.append(entry)
    return out


def export_data(tree: Tree) -> dict[str, Any]:
    fw = tree.framework
    data: dict[str, Any] = {"format": FORMAT, "framework": _framework(fw)}
    if fw.scales:
        data["scales"] = [_scale(s) for s in fw.scales]
    data["elements"] = [_element(root, fw.code) for root in tree.roots if root.element.retired_at is None]
    notes = _notes(tree)
    if notes:
        data["notes"] = notes
    return data


def export_yaml(tree: Tree) -> str:
    return yaml.safe_dump(export_data(tree), allow_unicode=True, sort_keys=False, width=120)
