"""Read-only JSON API over the standards."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import ApiScope, Organisation
from app.accounts.queries import member_roles
from app.authz import (
    api_token,
    audience_of,
    can_view_members,
    can_view_organisation,
    organisations_visible_to,
    public,
)
from app.blueprints.api import bp
from app.errors import json_error, not_found
from app.extensions import db
from app.standards import serialize
from app.standards.models import Framework
from app.standards.queries import Audience, get_framework, list_frameworks, load_tree, search


class _InvalidToken(Exception):
    pass


def _audience() -> Audience:
    """Whose standards the caller sees: a personal token's owner (with the organisation:read scope) or the
    signed-in person; anyone else sees the platform-wide standards only."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return audience_of(current_user)
    from app.accounts.services import authenticate_api_token

    token = authenticate_api_token(db.session, header.removeprefix("Bearer ").strip())
    if token is None:
        raise _InvalidToken
    return audience_of(token.user if ApiScope.ORGANISATION_READ in token.scopes else None)


@bp.errorhandler(_InvalidToken)
def _invalid_token(_exc: _InvalidToken) -> tuple[Response, int]:
    return json_error(401, _("invalid or revoked API token"))


def _framework(code: str) -> Framework:
    fw = get_framework(db.session, code, audience=_audience())
    if fw is None:
        raise not_found(_("unknown framework code: %(code)s", code=code))
    return fw


@bp.get("/frameworks")
@public
def frameworks() -> dict[str, Any]:
    rows = list_frameworks(db.session, audience=_audience())
    return {"frameworks": [serialize.framework_summary(r.framework, r.element_count) for r in rows]}


@bp.get("/frameworks/<code>")
@public
def framework(code: str) -> dict[str, Any]:
    fw = _framework(code)
    return serialize.framework_detail(load_tree(db.session, fw))


@bp.get("/frameworks/<code>/elements/<path:key>")
@public
def element(code: str, key: str) -> dict[str, Any]:
    fw = _framework(code)
    node = load_tree(db.session, fw).by_key.get(key)
    if node is None:
        raise not_found(_("framework %(code)s has no element %(key)s", code=code, key=key))
    data = serialize.element_dict(node)
    data["framework"] = fw.code
    data["parent"] = node.parent.key if node.parent else None
    return data


@bp.get("/frameworks/<code>/export/<fmt>")
@public
def framework_export(code: str, fmt: str) -> Response:
    """The standard as a CASE 1.1 package (JSON), a Moodle competency CSV or Bekwaam YAML, as a download; the
    current version, or the one ``?version=`` names (``-`` for none)."""
    from app.blueprints.case.links import public_links
    from app.standards.exporters.formats import FORMATS, render
    from app.standards.exporters.lookup import links_for
    from app.standards.versions import version_from_url

    version = request.args.get("version")
    if version is None:
        fw = _framework(code)
    else:
        found = get_framework(db.session, code, version_from_url(version[:80]), audience=_audience())
        if found is None:
            raise not_found(_("unknown framework code: %(code)s", code=code))
        fw = found
    if fmt not in FORMATS:
        raise not_found(_("unknown export format: %(format)s", format=fmt))
    exported = render(load_tree(db.session, fw), fmt, links_for(db.session, fw, public_links()))
    response = Response(exported.text, mimetype=exported.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


@bp.get("/search")
@public
def search_api() -> dict[str, Any]:
    query = request.args.get("q", "").strip()[:200]
    if not query:
        from werkzeug.exceptions import BadRequest

        exc = BadRequest()
        exc.bekwaam_message = _("missing query parameter q")  # type: ignore[attr-defined]
        raise exc
    framework_code = request.args.get("framework") or None
    try:
        limit = min(max(int(request.args.get("limit", current_app.config["SEARCH_RESULT_LIMIT"])), 1), 200)
    except ValueError:
        limit = current_app.config["SEARCH_RESULT_LIMIT"]
    result = search(db.session, query, limit, framework_code, audience=_audience())
    return {"query": query, "total": result.total, "results": [serialize.search_hit(h) for h in result.hits]}


@bp.get("/me")
@api_token(ApiScope.PROFILE_READ)
def me() -> dict[str, Any]:
    user = g.api_user
    return {
        "email": user.email,
        "name": user.name,
        "language": user.language,
        "platform_admin": user.is_platform_admin,
        "memberships": sorted(
            (
                {"organisation": m.organisation.name, "organisation_id": m.organisation_id, "role": m.role}
                for m in user.memberships
            ),
            key=lambda m: (m["organisation"], m["role"]),
        ),
    }


@bp.get("/organisations")
@api_token(ApiScope.ORGANISATION_READ)
def organisations() -> dict[str, Any]:
    user = g.api_user
    orgs = db.session.scalars(organisations_visible_to(user)).all()
    return {"organisations": [{"id": o.id, "name": o.name, "kind": o.kind} for o in orgs]}


@bp.get("/organisations/<int:org_id>/members")
@api_token(ApiScope.ORGANISATION_READ)
def organisation_members(org_id: int) -> Any:
    user = g.api_user
    org = db.session.get(Organisation, org_id)
    if org is None or not can_view_organisation(user, org):
        return json_error(404, _("unknown organisation: %(id)s", id=org_id))
    if not can_view_members(user, org):
        return json_error(403, _("only administrators of this organisation can list its members"))
    return {"organisation": org.name, "members": member_roles(org)}
