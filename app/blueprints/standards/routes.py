"""The public standards browser: platform-wide standards for everyone, an organisation's private ones for its
members (``app.authz.standards``); a private standard is "not there" (404) for anyone else."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.authz import audience_of, can_import_standards, can_manage_framework, public
from app.blueprints.standards import bp
from app.errors import not_found
from app.extensions import db
from app.standards.matrix_view import summary_matrix
from app.standards.models import Framework
from app.standards.queries import Audience, Tree, get_framework, list_frameworks, load_tree, search
from app.standards.serialize import element_uri, framework_uri
from app.standards.versions import version_from_url, versions_of


def _audience() -> Audience:
    return audience_of(current_user)


def _framework_or_404(code: str, version: str | None = None) -> Framework:
    """The current version of the code, or (``version`` from an address) that version, if the person may see it."""
    if version is None:
        framework = get_framework(db.session, code, audience=_audience())
    else:
        framework = get_framework(db.session, code, version_from_url(version), audience=_audience())
    if framework is None:
        raise not_found(_("There is no standard with the code %(code)s.", code=code))
    return framework


@bp.get("/")
@public
def index() -> str:
    return render_template(
        "standards/index.html",
        frameworks=list_frameworks(db.session, audience=_audience()),
        can_import=can_import_standards(current_user),
    )


@bp.get("/search")
@public
def search_page() -> str:
    query = request.args.get("q", "").strip()[:200]
    framework = request.args.get("framework", "").strip() or None
    limit = current_app.config["SEARCH_RESULT_LIMIT"]
    result = search(db.session, query, limit, framework, audience=_audience()) if query else None
    return render_template(
        "standards/search.html",
        query=query,
        result=result,
        framework=framework,
        frameworks=list_frameworks(db.session, audience=_audience()),
    )


@bp.get("/<code>")
@public
def framework_page(code: str) -> str:
    return _framework(code, None)


@bp.get("/<code>/versions/<version>")
@public
def framework_version_page(code: str, version: str) -> str:
    return _framework(code, version)


def _framework(code: str, version: str | None) -> str:
    tree: Tree = load_tree(db.session, _framework_or_404(code, version))
    return render_template(
        "standards/framework.html",
        tree=tree,
        fw=tree.framework,
        versions=versions_of(db.session, code),
        pinned=version is not None,
        matrix=summary_matrix(tree),
        can_manage=can_manage_framework(current_user, tree.framework),
    )


@bp.get("/<code>/e/<path:key>")
@public
def element_page(code: str, key: str) -> str:
    return _element(code, None, key)


@bp.get("/<code>/versions/<version>/e/<path:key>")
@public
def element_version_page(code: str, version: str, key: str) -> str:
    return _element(code, version, key)


def _element(code: str, version: str | None, key: str) -> str:
    framework = _framework_or_404(code, version)
    tree = load_tree(db.session, framework)
    node = tree.by_key.get(key)
    if node is None:
        raise not_found(_("%(code)s has no element %(key)s.", code=code, key=key))
    uri = element_uri(framework_uri(code), key)
    return render_template(
        "standards/element.html", tree=tree, fw=framework, node=node, uri=uri, pinned=version is not None
    )
