"""The public addresses a CASE document carries: pages for frameworks and elements, the provider for
everything else (PUBLIC_BASE_URL, never the request's host, as ``app.urls.public_url`` builds them)."""

from __future__ import annotations

from flask import current_app

from app.standards.exporters import Links

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
    """One URL adapter bound to the public address for the whole document: a package builds thousands of
    links, and ``public_url`` sets up a request context for each."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    adapter = current_app.test_request_context(base_url=base).url_adapter
    assert adapter is not None

    def build(endpoint: str, **values: str) -> str:
        return adapter.build(endpoint, values, force_external=True)

    return Links(
        framework=lambda code: build("standards.framework_page", code=code),
        element=lambda code, key: build("standards.element_page", code=code, key=key),
        case=lambda kind, ident: build(ENDPOINTS[kind], identifier=ident),
        framework_version=lambda code, version: build("standards.framework_version_page", code=code, version=version),
        element_version=lambda code, version, key: build(
            "standards.element_version_page", code=code, version=version, key=key
        ),
    )
