"""Read-only JSON API over the standards."""

from __future__ import annotations

from typing import Any

from flask import current_app, request

from app.blueprints.api import bp
from app.errors import not_found
from app.extensions import db
from app.standards import serialize
from app.standards.queries import get_framework, list_frameworks, load_tree, search


@bp.get("/frameworks")
def frameworks() -> dict[str, Any]:
    return {
        "frameworks": [serialize.framework_summary(r.framework, r.element_count) for r in list_frameworks(db.session)]
    }


@bp.get("/frameworks/<code>")
def framework(code: str) -> dict[str, Any]:
    fw = get_framework(db.session, code)
    if fw is None:
        raise not_found(f"unknown framework code: {code}")
    return serialize.framework_detail(load_tree(db.session, fw))


@bp.get("/frameworks/<code>/elements/<path:key>")
def element(code: str, key: str) -> dict[str, Any]:
    fw = get_framework(db.session, code)
    if fw is None:
        raise not_found(f"unknown framework code: {code}")
    node = load_tree(db.session, fw).by_key.get(key)
    if node is None:
        raise not_found(f"framework {code} has no element {key}")
    data = serialize.element_dict(node)
    data["framework"] = fw.code
    data["parent"] = node.parent.key if node.parent else None
    return data


@bp.get("/search")
def search_api() -> dict[str, Any]:
    query = request.args.get("q", "").strip()[:200]
    if not query:
        from werkzeug.exceptions import BadRequest

        exc = BadRequest()
        exc.bekwaam_message = "missing query parameter q"  # type: ignore[attr-defined]
        raise exc
    framework_code = request.args.get("framework") or None
    try:
        limit = min(max(int(request.args.get("limit", current_app.config["SEARCH_RESULT_LIMIT"])), 1), 200)
    except ValueError:
        limit = current_app.config["SEARCH_RESULT_LIMIT"]
    result = search(db.session, query, limit, framework_code)
    return {"query": query, "total": result.total, "results": [serialize.search_hit(h) for h in result.hits]}
