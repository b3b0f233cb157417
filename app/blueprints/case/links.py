"""The public addresses a CASE document carries: pages for frameworks and elements, the provider for
everything else (PUBLIC_BASE_URL, never the request's host)."""

from __future__ import annotations

from app.standards.exporters import Links
from app.urls import public_url

ENDPOINTS = {
    "CFDocuments": "case.document",
    "CFPackages": "case.package",
    "CFItems": "case.item",
    "CFAssociations": "case.association",
    "CFItemAssociations": "case.item_associations",
    "CFItemTypes": "case.item_type",
    "CFRubrics": "case.rubric",
}


def public_links() -> Links:
    return Links(
        framework=lambda code: public_url("standards.framework_page", code=code),
        element=lambda code, key: public_url("standards.element_page", code=code, key=key),
        case=lambda kind, ident: public_url(ENDPOINTS[kind], identifier=ident),
    )
