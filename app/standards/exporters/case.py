"""A loaded standard as a 1EdTech CASE 1.1 CFPackage that validates against the official schema.

Every element is a CFItem (its type a CFItemType, its place an ``isChildOf`` association, the top level
a child of the document); alignments this framework declares become CFAssociations (``exact`` is
``exactMatchOf``, ``related`` is ``isRelatedTo``, and ``broader``, ``narrower`` and ``close``, which CASE
lacks, are ``isRelatedTo`` with the original relation in the extension and the notes); each rating scale is
a CFRubric whose criteria are the scale itself and every element that describes the scale's levels.
Translations travel in the Bekwaam extension beside the source text the CASE fields keep.
Output is in tree order, so two exports differ only in their timestamps.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from app.standards.exporters import Links, element_id, framework_id, timestamp
from app.standards.identity import NAMESPACE, association_uuid, element_uuid, scale_uuid
from app.standards.models import Framework, RatingScale, SourceNote
from app.standards.queries import AlignmentView, Node, Tree
from app.standards.translations.models import ElementTranslation

CASE_RELATIONS = {
    "exact": "exactMatchOf",
    "related": "isRelatedTo",
    "close": "isRelatedTo",
    "broader": "isRelatedTo",
    "narrower": "isRelatedTo",
}

TYPE_DESCRIPTIONS = {
    "part": "A grouping of an mbo qualification dossier (basisdeel, profieldeel).",
    "profile": "A profile of a qualification, or a section of a role profile.",
    "core_task": "A core task (kerntaak).",
    "work_process": "A work process (werkproces) of a core task.",
    "behaviour": "A behaviour line: an assessment criterion.",
    "knowledge_group": "A heading that groups knowledge and skill lines.",
    "knowledge": "A knowledge line.",
    "skill": "A skill line.",
    "activity": "An activity.",
    "area": "An e-CF area.",
    "competence": "A competence.",
    "cluster": "A cluster of competences.",
    "knowledge_skill": "A knowledge or skill item of a profile's catalogue.",
    "level_descriptor": "What a level of the rating scale means for its parent element.",
    "descriptor_group": "A group of descriptor elements.",
    "descriptor": "A descriptor line.",
    "section": "A titled block of source text.",
    "text": "A paragraph of source text.",
}


def item_type_uuid(element_type: str) -> uuid.UUID:
    """One CFItemType per Bekwaam element type, the same in every package."""
    return uuid.uuid5(NAMESPACE, f"itemtype:{element_type}")


def criterion_uuid(scale: uuid.UUID, element: uuid.UUID | None) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"criterion:{scale}:{element or 'scale'}")


def type_title(element_type: str) -> str:
    return element_type.replace("_", " ").capitalize()


def translations(rows: list[ElementTranslation]) -> list[dict[str, Any]]:
    """An element's (or the framework's) translations for the Bekwaam extension: beside the source text,
    which the CASE fields keep; in a fixed order, so two exports compare."""
    out = []
    for tr in sorted(rows, key=lambda t: (t.language, t.field)):
        entry = {"field": tr.field, "language": tr.language, "text": tr.text, "translator": tr.translator}
        entry["status"] = tr.status
        if tr.source:
            entry["source"] = tr.source
        out.append(entry)
    return out


class _Builder:
    def __init__(self, tree: Tree, links: Links, changed: str):
        self.tree = tree
        self.fw: Framework = tree.framework
        self.links = links
        self.changed = changed
        self.doc_id = str(framework_id(self.fw))
        self.ids = {node.key: str(element_id(self.fw.code, node.element)) for node in tree}

    def link(self, kind: str, ident: str, title: str) -> dict[str, str]:
        return {"title": title, "identifier": ident, "uri": self.links.case(kind, ident)}

    def document(self) -> dict[str, Any]:
        fw = self.fw
        doc: dict[str, Any] = {
            "identifier": self.doc_id,
            "uri": self.links.framework(fw.code),
            "frameworkType": fw.kind,
            "caseVersion": "1.1",
            "creator": fw.publisher or "Bekwaam",
            "title": fw.title,
            "lastChangeDateTime": self.changed,
            "language": fw.language,
        }
        optional = {
            "publisher": fw.publisher,
            "description": fw.description,
            "version": fw.version,
            "statusStartDate": fw.validated_on.isoformat() if fw.validated_on else None,
            "officialSourceURL": fw.source_ref if (fw.source_ref or "").startswith("http") else None,
            "notes": "\n\n".join(f"[{n.kind}] {n.text}" for n in self.tree.framework_notes) or None,
        }
        doc.update({k: v for k, v in optional.items() if v})
        doc["extensions"] = {
            "bekwaam": {
                "code": fw.code,
                "kind": fw.kind,
                "level": fw.level,
                "levelScale": fw.level_scale,
                "eqfLevel": fw.eqf_level,
                "source": fw.source_ref,
                "attributes": fw.attributes or {},
            }
        }
        if self.tree.framework_translations:
            doc["extensions"]["bekwaam"]["translations"] = translations(self.tree.framework_translations)
        return doc

    def item(self, node: Node) -> dict[str, Any]:
        el = node.element
        ext: dict[str, Any] = {"key": el.key, "type": el.type}
        if el.description:
            ext["description"] = el.description
        if el.attributes:
            ext["attributes"] = el.attributes
        if node.translations:
            ext["translations"] = translations(node.translations)
        if node.required is not None:
            ext["requiredLevel"] = {
                "scale": node.required.scale.code,
                "level": node.required.value,
                "note": node.required_note,
            }
        item: dict[str, Any] = {
            "identifier": self.ids[el.key],
            "fullStatement": el.title,
            "CFItemType": type_title(el.type),
            "CFItemTypeURI": self.link("CFItemTypes", str(item_type_uuid(el.type)), type_title(el.type)),
            "uri": self.links.element(self.fw.code, el.key),
            "listEnumeration": str(el.position + 1),
            "language": self.fw.language,
            "lastChangeDateTime": self.changed,
            "extensions": {"bekwaam": ext},
        }
        if el.code:
            item["humanCodingScheme"] = el.code
        if el.retired_at is not None:  # kept for what refers to it, no longer in the source
            item["statusEndDate"] = el.retired_at.date().isoformat()
            ext["retired"] = True
        if node.notes:
            item["notes"] = "\n\n".join(f"[{n.kind}] {n.text}" for n in node.notes)
        return item

    def node_link(self, key: str, title: str) -> dict[str, str]:
        return {"title": title, "identifier": self.ids[key], "uri": self.links.element(self.fw.code, key)}

    def child_of(self, node: Node) -> dict[str, Any]:
        parent = node.parent
        if parent is None:
            destination = {"title": self.fw.title, "identifier": self.doc_id, "uri": self.links.framework(self.fw.code)}
        else:
            destination = self.node_link(parent.key, parent.element.title)
        return self.association(node, "isChildOf", destination, node.element.position + 1)

    def association(
        self, node: Node, case_type: str, destination: dict[str, str], sequence: int | None = None
    ) -> dict[str, Any]:
        ident = str(association_uuid(self.ids[node.key], case_type, destination["identifier"]))
        assoc: dict[str, Any] = {
            "identifier": ident,
            "associationType": case_type,
            "uri": self.links.case("CFAssociations", ident),
            "originNodeURI": self.node_link(node.key, node.element.title),
            "destinationNodeURI": {**destination, "targetType": "CASE"},
            "lastChangeDateTime": self.changed,
        }
        if sequence is not None:
            assoc["sequenceNumber"] = sequence
        return assoc

    def alignment(self, node: Node, a: AlignmentView) -> dict[str, Any]:
        if a.framework_code == self.fw.code and a.element_key in self.ids:
            target = self.ids[a.element_key]
        else:  # the target's own uuid: kept from its source (an imported CASE package) or derived
            target = a.element_uuid or str(element_uuid(a.framework_code, a.element_key))
        destination = {
            "title": a.element_title,
            "identifier": target,
            "uri": self.links.element(a.framework_code, a.element_key),
        }
        case_type = CASE_RELATIONS[a.relation]
        assoc = self.association(node, case_type, destination)
        # Two relations may map onto one CASE type: the identifier keeps Bekwaam's own relation apart.
        assoc["identifier"] = str(association_uuid(self.ids[node.key], a.relation, target))
        assoc["uri"] = self.links.case("CFAssociations", assoc["identifier"])
        notes = [f"Bekwaam relation: {a.relation}"] if a.relation != "exact" and a.relation != "related" else []
        if a.note:
            notes.append(a.note)
        if notes:
            assoc["notes"] = "\n".join(notes)
        assoc["extensions"] = {"bekwaam": {"relation": a.relation, "framework": a.framework_code, "key": a.element_key}}
        return assoc

    def item_types(self) -> list[dict[str, Any]]:
        types = sorted({node.element.type for node in self.tree})
        return [
            {
                "identifier": str(item_type_uuid(t)),
                "uri": self.links.case("CFItemTypes", str(item_type_uuid(t))),
                "title": type_title(t),
                "description": TYPE_DESCRIPTIONS.get(t, type_title(t)),
                "hierarchyCode": t,
                "typeCode": t,
                "lastChangeDateTime": self.changed,
            }
            for t in types
        ]

    def rubric(self, scale: RatingScale) -> dict[str, Any]:
        rubric_id = scale.uuid or str(scale_uuid(self.fw.code, scale.code))
        criteria = [self.criterion(scale, rubric_id, None, {}, 1)]
        for node in self.tree:
            described = {
                c.element.attributes.get("level"): c.element.title
                for c in node.children
                if c.element.type == "level_descriptor" and c.element.attributes.get("scale") == scale.code
            }
            if described:
                criteria.append(self.criterion(scale, rubric_id, node, described, len(criteria) + 1))
        rubric: dict[str, Any] = {
            "identifier": rubric_id,
            "uri": self.links.case("CFRubrics", rubric_id),
            "title": scale.title,
            "lastChangeDateTime": self.changed,
            "CFRubricCriteria": criteria,
            "extensions": {"bekwaam": {"code": scale.code, "origin": scale.origin}},
        }
        if scale.description:
            rubric["description"] = scale.description
        return rubric

    def criterion(
        self, scale: RatingScale, rubric_id: str, node: Node | None, described: dict[Any, str], position: int
    ) -> dict[str, Any]:
        ident = str(criterion_uuid(uuid.UUID(rubric_id), uuid.UUID(self.ids[node.key]) if node else None))
        criterion: dict[str, Any] = {
            "identifier": ident,
            "uri": self.links.case("CFRubrics", rubric_id) + f"#criterion-{ident}",
            "category": node.element.label if node else scale.title,
            "position": position,
            "rubricId": rubric_id,
            "lastChangeDateTime": self.changed,
            "CFRubricCriterionLevels": [],
        }
        if node is not None:
            criterion["CFItemURI"] = self.node_link(node.key, node.element.title)
        for i, lv in enumerate(scale.levels):
            level_id = str(uuid.uuid5(NAMESPACE, f"criterion-level:{ident}:{lv.value}"))
            level: dict[str, Any] = {
                "identifier": level_id,
                "uri": criterion["uri"] + f"-level-{lv.value}",
                "quality": lv.label,
                "score": lv.value,
                "position": i + 1,
                "rubricCriterionId": ident,
                "lastChangeDateTime": self.changed,
            }
            text = described.get(lv.value) if node else lv.description
            if text:
                level["description"] = text
            criterion["CFRubricCriterionLevels"].append(level)
        return criterion


def case_document(fw: Framework, notes: list[SourceNote], links: Links) -> dict[str, Any]:
    """The CFDocument alone (the provider's list), without loading the framework's tree."""
    return _Builder(Tree(fw, [], {}, notes), links, timestamp(fw.loaded_at)).document()


def export_case(tree: Tree, links: Links, changed: dt.datetime | None = None) -> dict[str, Any]:
    """The CFPackage; ``changed`` (default: when the standard was loaded) stamps every object."""
    b = _Builder(tree, links, timestamp(changed or tree.framework.loaded_at))
    nodes = list(tree)
    associations = [b.child_of(n) for n in nodes]
    associations += [b.alignment(n, a) for n in nodes for a in n.alignments if not a.incoming]
    package: dict[str, Any] = {
        "CFDocument": b.document(),
        "CFItems": [b.item(n) for n in nodes],
        "CFAssociations": associations,
        "CFDefinitions": {"CFItemTypes": b.item_types()},
    }
    rubrics = [b.rubric(s) for s in tree.framework.scales]
    if rubrics:
        package["CFRubrics"] = rubrics
    return package
