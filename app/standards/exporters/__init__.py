"""Standards out of Bekwaam: CASE 1.1 packages, Moodle competency CSV and Bekwaam YAML.

Pure functions over a loaded tree (``queries.load_tree``): no Flask, no database. The links a document
carries (public pages, CASE API addresses) come in as a ``Links`` object, so the same code serves the
download buttons, the CLI, the API and the CASE provider.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace

from app.standards.identity import element_uuid, framework_uuid
from app.standards.models import Element, Framework
from app.standards.versions import version_in_url


@dataclass(frozen=True)
class Links:
    """Absolute URLs: a framework's page, an element's page, and a CASE API object (kind, identifier).

    A code's pages are those of its current version; ``framework_version`` and ``element_version`` address
    one version (as in an address: ``-`` for none), for ``pinned``."""

    framework: Callable[[str], str]
    element: Callable[[str, str], str]
    case: Callable[[str, str], str]
    framework_version: Callable[[str, str], str]
    element_version: Callable[[str, str, str], str]

    def pinned(self, code: str, version: str | None) -> Links:
        """These links with the pages of ``code`` those of one version: an older version's document points
        at itself, not at the current version that the code's own address shows."""
        in_url = version_in_url(version)
        return replace(
            self,
            framework=lambda c: self.framework_version(c, in_url) if c == code else self.framework(c),
            element=lambda c, k: self.element_version(c, in_url, k) if c == code else self.element(c, k),
        )


def plain_links(base: str = "https://bekwaam.example") -> Links:
    """Links under a fixed base, for code and tests without an application."""
    base = base.rstrip("/")
    return Links(
        framework=lambda code: f"{base}/standards/{code}",
        element=lambda code, key: f"{base}/standards/{code}/e/{key}",
        case=lambda kind, ident: f"{base}/ims/case/v1p1/{kind}/{ident}",
        framework_version=lambda code, version: f"{base}/standards/{code}/versions/{version}",
        element_version=lambda code, version, key: f"{base}/standards/{code}/versions/{version}/e/{key}",
    )


def framework_id(fw: Framework) -> uuid.UUID:
    """The framework's stored UUID (kept from its source, or derived when it had none)."""
    return uuid.UUID(fw.uuid) if fw.uuid else framework_uuid(fw.code)


def element_id(fw_code: str, el: Element) -> uuid.UUID:
    return uuid.UUID(el.uuid) if el.uuid else element_uuid(fw_code, el.key)


def timestamp(moment: dt.datetime) -> str:
    """RFC 3339 in UTC, whole seconds: the form every CASE date-time field takes."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
