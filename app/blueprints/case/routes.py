"""The read-only CASE 1.1 provider (1EdTech CASE Service, REST binding), so that OpenSALT, CaSS or any
CASE consumer can read Bekwaam's standards directly. Public and GET only; an unknown or malformed
identifier answers with the spec's imsx_StatusInfo body. A standard private to an organisation is served
only to its signed-in members (and platform administrators); to anyone else it is unknown, like an id
that does not exist."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask_babel import gettext as _
from flask_login import current_user

from app.authz import audience_of, public
from app.blueprints.case import bp
from app.blueprints.case.links import public_links
from app.extensions import db
from app.standards.exporters import lookup, timestamp
from app.standards.exporters.case import case_document, export_case
from app.standards.identity import parse_uuid
from app.standards.models import Framework
from app.standards.queries import Audience, Tree, load_tree
from app.standards.versions import current_ids


class CaseError(Exception):
    def __init__(self, status: int, minor: str, description: str):
        self.status, self.minor, self.description = status, minor, description


@bp.errorhandler(CaseError)
def _status_info(exc: CaseError) -> tuple[Response, int]:
    return jsonify(
        {
            "imsx_codeMajor": "failure",
            "imsx_severity": "error",
            "imsx_description": exc.description,
            "imsx_codeMinor": {
                "imsx_codeMinorField": [{"imsx_codeMinorFieldName": "sourcedId", "imsx_codeMinorFieldValue": exc.minor}]
            },
        }
    ), exc.status


def _identifier(value: str) -> str:
    parsed = parse_uuid(value)
    if parsed is None:
        raise CaseError(400, "invalid_uuid", _("%(id)s is not a UUID.", id=value))
    return str(parsed)


def _audience() -> Audience:
    return audience_of(current_user)


def _unknown(ident: str) -> CaseError:
    return CaseError(404, "unknownobject", _("Nothing with the identifier %(id)s is published here.", id=ident))


def _package(framework: Framework | None, ident: str) -> tuple[dict[str, Any], Tree]:
    if framework is None:
        raise _unknown(ident)
    tree = load_tree(db.session, framework)
    return export_case(tree, lookup.links_for(db.session, framework, public_links())), tree


def _find(objects: list[dict[str, Any]], ident: str) -> dict[str, Any]:
    found = next((o for o in objects if o["identifier"] == ident), None)
    if found is None:  # known to the database, yet not published (a retired element)
        raise _unknown(ident)
    return found


def _document_link(doc: dict[str, Any]) -> dict[str, str]:
    return {"title": doc["title"], "identifier": doc["identifier"], "uri": doc["uri"]}


@bp.get("/CFDocuments")
@public
def documents() -> dict[str, Any]:
    links = public_links()
    current = current_ids(db.session)
    return {
        "CFDocuments": [
            case_document(fw, [], lookup.links_for(db.session, fw, links, current))
            for fw in lookup.frameworks(db.session, _audience())
        ]
    }


@bp.get("/CFDocuments/<identifier>")
@public
def document(identifier: str) -> dict[str, Any]:
    ident = _identifier(identifier)
    package, _tree = _package(lookup.framework_by_uuid(db.session, ident, _audience()), ident)
    return package["CFDocument"]


@bp.get("/CFPackages/<identifier>")
@public
def package(identifier: str) -> dict[str, Any]:
    ident = _identifier(identifier)
    return _package(lookup.framework_by_uuid(db.session, ident, _audience()), ident)[0]


@bp.get("/CFItems/<identifier>")
@public
def item(identifier: str) -> dict[str, Any]:
    ident = _identifier(identifier)
    pkg, _tree = _package(lookup.element_framework(db.session, ident, _audience()), ident)
    found = _find(pkg["CFItems"], ident)
    return {**found, "CFDocumentURI": _document_link(pkg["CFDocument"])}


@bp.get("/CFItemAssociations/<identifier>")
@public
def item_associations(identifier: str) -> dict[str, Any]:
    ident = _identifier(identifier)
    pkg, _tree = _package(lookup.element_framework(db.session, ident, _audience()), ident)
    found = _find(pkg["CFItems"], ident)
    doc = _document_link(pkg["CFDocument"])
    associations = [
        {**a, "CFDocumentURI": doc}
        for a in pkg["CFAssociations"]
        if ident in (a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"])
    ]
    item_link = {"title": found["fullStatement"], "identifier": ident, "uri": found["uri"]}
    return {"CFItem": item_link, "CFAssociations": associations}


@bp.get("/CFAssociations/<identifier>")
@public
def association(identifier: str) -> dict[str, Any]:
    ident = _identifier(identifier)
    pkg, _tree = _package(lookup.association_framework(db.session, ident, _audience()), ident)
    found = _find(pkg["CFAssociations"], ident)
    return {**found, "CFDocumentURI": _document_link(pkg["CFDocument"])}


@bp.get("/CFItemTypes/<identifier>")
@public
def item_type(identifier: str) -> dict[str, Any]:
    from app.standards.exporters.case import TYPE_DESCRIPTIONS, item_type_uuid, type_title
    from app.standards.exporters.lookup import item_type as find_type

    ident = _identifier(identifier)
    found = find_type(db.session, ident, _audience())
    if found is None:
        raise _unknown(ident)
    etype, changed = found
    return {
        "identifier": str(item_type_uuid(etype)),
        "uri": public_links().case("CFItemTypes", ident),
        "title": type_title(etype),
        "description": TYPE_DESCRIPTIONS.get(etype, type_title(etype)),
        "hierarchyCode": etype,
        "typeCode": etype,
        "lastChangeDateTime": timestamp(changed),
    }


@bp.get("/CFRubrics/<identifier>")
@public
def rubric(identifier: str) -> dict[str, Any]:
    ident = _identifier(identifier)
    pkg, _tree = _package(lookup.scale_framework(db.session, ident, _audience()), ident)
    return _find(pkg.get("CFRubrics", []), ident)
