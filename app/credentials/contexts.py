"""Pinned JSON-LD contexts and the only document loader the credentials code uses.

A verifier that fetched contexts over the network could be fed a different context
than the one the issuer signed against, and would break whenever a host is down. So
every context is a file in ``contexts/`` (sources and hashes in its README) and any
other URL is refused.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

CONTEXT_DIR = Path(__file__).with_name("contexts")

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3P0 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DID_V1 = "https://www.w3.org/ns/did/v1"

#: context URL -> file name in ``contexts/``
CONTEXTS: dict[str, str] = {
    VC_V2: "credentials-v2.jsonld",
    OB_V3P0: "ob-v3p0-context-3.0.3.json",
    MULTIKEY_V1: "multikey-v1.jsonld",
    DID_V1: "did-v1.jsonld",
}


class UnknownContextError(ValueError):
    """A document referenced a URL that is not one of the pinned contexts."""


@cache
def _load(name: str) -> dict[str, Any]:
    return json.loads((CONTEXT_DIR / name).read_text(encoding="utf-8"))


def context_document(url: str) -> dict[str, Any]:
    """Return a copy of the pinned context for ``url``; raise for any other URL."""
    name = CONTEXTS.get(url)
    if name is None:
        raise UnknownContextError(f"JSON-LD context not pinned, refusing to load: {url}")
    return copy.deepcopy(_load(name))


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """PyLD document loader that serves only the pinned contexts.

    Pass it per call (``options={"documentLoader": document_loader}``); never set it
    globally with ``jsonld.set_document_loader``.
    """
    return {"contextUrl": None, "documentUrl": url, "document": context_document(url)}
