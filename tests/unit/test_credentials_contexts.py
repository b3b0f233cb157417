"""Pinned JSON-LD contexts: only these files, never the network."""

from __future__ import annotations

import hashlib
import re

import pytest
from pyld import jsonld

from app.credentials.contexts import CONTEXT_DIR, CONTEXTS, VC_V2, UnknownContextError, document_loader


def test_the_loader_refuses_any_other_url() -> None:
    with pytest.raises(UnknownContextError, match=re.escape("http://example.org/other")):
        document_loader("http://example.org/other")


def test_pyld_reports_the_refused_url_instead_of_fetching_it() -> None:
    document = {"@context": "http://example.org/other", "http://schema.org/name": "x"}
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand(document, {"documentLoader": document_loader})


def test_the_loader_returns_pyld_remote_documents() -> None:
    remote = document_loader(VC_V2)
    assert remote["contextUrl"] is None
    assert remote["documentUrl"] == VC_V2
    assert remote["document"]["@context"]["@protected"] is True


def test_callers_cannot_alter_the_pinned_context() -> None:
    document_loader(VC_V2)["document"]["@context"]["name"] = "https://evil.example/name"
    assert document_loader(VC_V2)["document"]["@context"]["name"] == "https://schema.org/name"


def test_every_pinned_file_is_recorded_in_the_readme_with_its_sha256() -> None:
    readme = (CONTEXT_DIR / "README.md").read_text(encoding="utf-8")
    for url, name in CONTEXTS.items():
        digest = hashlib.sha256((CONTEXT_DIR / name).read_bytes()).hexdigest()
        assert url in readme
        assert re.search(rf"{re.escape(name)}.*{digest}", readme, re.DOTALL), name
