"""Plain-dict views of the standards for the JSON API."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from app.standards.models import Framework, RatingScale
from app.standards.queries import Node, SearchHit, Tree
from app.standards.translations.models import ElementTranslation


def framework_uri(code: str) -> str:
    """The framework's public URI: its page, under PUBLIC_BASE_URL."""
    from app.urls import public_url

    return public_url("standards.framework_page", code=code)


def element_uri(framework_base: str, key: str) -> str:
    """An element's public URI, its page (as the route builds it), from its framework's URI."""
    return f"{framework_base}/e/{quote(key, safe='/')}"


def framework_summary(fw: Framework, element_count: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "uuid": fw.uuid,
        "uri": framework_uri(fw.code),
        "code": fw.code,
        "title": fw.title,
        "kind": fw.kind,
        "language": fw.language,
        "level": fw.level,
        "level_scale": fw.level_scale,
        "eqf_level": fw.eqf_level,
        "version": fw.version,
        "validated_on": fw.validated_on.isoformat() if fw.validated_on else None,
        "publisher": fw.publisher,
        "source": fw.source_ref,
    }
    if element_count is not None:
        data["element_count"] = element_count
    return data


def scale_dict(scale: RatingScale) -> dict[str, Any]:
    return {
        "code": scale.code,
        "title": scale.title,
        "origin": scale.origin,
        "levels": [
            {
                "value": lv.value,
                "code": lv.code,
                "label": lv.label,
                "eqf_level": lv.eqf_level,
                "passing": lv.passing,
            }
            for lv in scale.levels
        ],
    }


def element_dict(node: Node, *, with_children: bool = True, base: str | None = None) -> dict[str, Any]:
    el = node.element
    base = base or framework_uri(el.framework.code)
    data: dict[str, Any] = {
        "uuid": el.uuid,
        "uri": element_uri(base, el.key),
        "key": el.key,
        "code": el.code,
        "type": el.type,
        "title": el.title,
        "description": el.description,
        "attributes": el.attributes,
    }
    if el.retired_at is not None:
        data["retired_at"] = el.retired_at.isoformat()
    levels = node.level_descriptors()
    if levels:
        data["levels"] = levels
    if node.required is not None:
        data["required_level"] = {
            "scale": node.required.scale.code,
            "level": node.required.value,
            "code": node.required.code,
            "label": node.required.label,
            "note": node.required_note,
        }
    if node.alignments:
        data["alignments"] = [
            {
                "direction": "incoming" if a.incoming else "outgoing",
                "relation": a.relation,
                "framework": a.framework_code,
                "key": a.element_key,
                "code": a.element_code,
                "title": a.element_title,
                "note": a.note,
            }
            for a in node.alignments
        ]
    if node.notes:
        data["notes"] = [{"kind": n.kind, "text": n.text} for n in node.notes]
    translations = [translation_dict(t, el.key) for t in node.translations] + [
        translation_dict(t, child.element.key)
        for child in node.children
        if child.element.type == "level_descriptor"
        for t in child.translations
    ]
    if translations:  # beside the source text: title and description above stay the source's
        data["translations"] = translations
    if with_children:
        data["children"] = [
            element_dict(child, base=base) for child in node.children if child.element.type != "level_descriptor"
        ]
    return data


def translation_dict(tr: ElementTranslation, key: str | None) -> dict[str, Any]:
    return {
        "key": key,  # the element whose text it translates (a level descriptor's for its level); None: the framework
        "field": tr.field,
        "language": tr.language,
        "text": tr.text,
        "translator": tr.translator,
        "status": tr.status,
        "source": tr.source,
    }


def framework_detail(tree: Tree) -> dict[str, Any]:
    fw = tree.framework
    data = framework_summary(fw, element_count=len(tree.by_key))
    data.update(
        {
            "description": fw.description,
            "attributes": fw.attributes,
            "scales": [scale_dict(s) for s in fw.scales],
            "notes": [{"kind": n.kind, "text": n.text} for n in tree.framework_notes],
            "translations": [translation_dict(t, None) for t in tree.framework_translations],
            "elements": [element_dict(root, base=data["uri"]) for root in tree.roots],
        }
    )
    return data


def search_hit(hit: SearchHit) -> dict[str, Any]:
    return {
        "framework": hit.framework_code,
        "framework_title": hit.framework_title,
        "language": hit.framework_language,
        "key": hit.key,
        "code": hit.code,
        "type": hit.type,
        "title": hit.title,
        "description": hit.description,
    }
