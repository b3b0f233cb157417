"""The Dutch interface has no English in it: the main pages and forms (bad input included), as each role.

A page's text is checked against the catalogue: every message id whose Dutch translation differs from it
(short ones, and those that are Dutch words as well, left out) is English UI text that should have been
translated. Besides, text with two or more words that only English has is flagged, which catches messages
that never reached the catalogue (assembled in English inside a service). What is not the interface is
left out: standards content (elements carrying ``lang="..."``: the standards are in their own language),
scripts and styles, and the user data of the world the pages show.

The world is the authorization matrix's, built once for this module; each page runs in a savepoint.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from sqlalchemy import Connection

from app.extensions import db
from tests.blueprints.test_authz_matrix import _ids

CATALOGUE = Path(__file__).resolve().parents[2] / "translations" / "nl" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
# Words no Dutch sentence uses: two of them in one piece of text make it English.
_ENGLISH_WORDS = """
    a an the this that these those your you it its must and or with cannot can will already needs which there
    been should would please not no was were has have could from into than their they our to for be are by at any
    only when what who how yet
"""
ENGLISH_ONLY = frozenset(_ENGLISH_WORDS.split())
# The world's own data (tests/factories.py, the matrix's _ids): names and titles people typed.
USER_DATA = [
    "Webshop analysis",
    "I learned.",
    "Private draft",
    "Other school's work",
    "Section 2",
    "Test School",
    "Other School",
    "Test Employer",
    "Class A",
    "Class Z",
    "student token",
    "org_admin token",
    # People's names (tests/factories.py: the key, title-cased), those that are not one Dutch word as well.
    "Other Student",
    "Assessor Elsewhere",
    "Curriculum Lead",
    "Org Admin",
    "Foreign Admin",
    "Foreign Student",
    "Platform Admin",
    "No Roles",
    "Invitee",
]

# English still shown because its source is being converted right now (issue 11: service errors and
# stored titles become translated message ids). The lead empties this at the end; an entry that no longer
# shows fails the test, so the list cannot go stale.
PENDING: dict[str, set[str]] = {}  # English still on a Dutch page, by page: none left


@dataclass(frozen=True)
class Page:
    persona: str
    method: str
    path: str
    data: dict[str, object] | None = None
    files: dict[str, tuple[bytes, str]] | None = None  # field → (content, file name), uploaded with the form

    @property
    def id(self) -> str:
        upload = f" {', '.join(name for _, name in self.files.values())}" if self.files else ""
        return f"{self.persona} {self.method} {self.path}{upload}"


def _get(persona: str, *paths: str) -> list[Page]:
    return [Page(persona, "GET", path) for path in paths]


PAGES: list[Page] = [
    *_get("anonymous", "/", "/sign-in", "/password/forgot", "/standards/", "/standards/{framework}", "/verify"),
    *_get("anonymous", "/standards/search?q=a", "/verify/{cert_public}", "/s/{share_token}", "/no-such-page"),
    *_get("anonymous", "/invitation/{invitation}", "/password/reset/{reset}"),
    *_get("student", "/", "/account/", "/account/tokens", "/invitations/", "/notifications", "/orgs/"),
    *_get("student", "/portfolio/", "/portfolio/items/new", "/portfolio/items/{item}", "/portfolio/shares"),
    *_get("student", "/portfolio/items/{item}/edit", "/portfolio/items/{item}/versions/1"),
    *_get("student", "/portfolio/students/{student}/programmes/{cohort}", "/portfolio/exports/{export}"),
    *_get("student", "/progress/students/{student}/programmes/{cohort}", "/assess/{assessment}"),
    *_get("student", "/certificates/"),
    *_get("assessor", "/", "/assess/", "/assess/cohorts/{cohort}", "/assess/{assessment}", "/orgs/{org}"),
    *_get("assessor", "/orgs/{org}/cohorts/{cohort}", "/portfolio/items/{item}"),
    *_get("curriculum_lead", "/orgs/{org}", "/orgs/{org}/cohorts/{cohort}"),
    *_get("org_admin", "/orgs/{org}", "/orgs/{org}/members", "/orgs/{org}/members/invite", "/orgs/{org}/audit"),
    *_get("org_admin", "/orgs/{org}/members/{student}", "/orgs/{org}/cohorts/new", "/orgs/{org}/cohorts/{cohort}"),
    *_get("org_admin", "/orgs/{org}/cohorts/{cohort}/import", "/certificates/cohorts/{cohort}"),
    *_get("org_admin", "/certificates/batches/{batch}"),
    *_get("hr", "/", "/orgs/"),
    *_get("platform_admin", "/orgs/", "/orgs/new"),
    # Forms with bad input: the page they end on (errors on the fields, or a flash after a redirect).
    Page("anonymous", "POST", "/sign-in", {"email": "nobody@test.example", "password": "wrong"}),
    Page("anonymous", "POST", "/sign-in", {"email": "not an address", "password": ""}),
    Page("anonymous", "POST", "/password/forgot", {"email": "not an address"}),
    Page("anonymous", "POST", "/verify", {}),
    Page("student", "POST", "/account/", {"name": ""}),
    Page("student", "POST", "/account/password", {"current_password": "wrong", "new_password": "short"}),
    Page("student", "POST", "/account/tokens", {"name": ""}),
    Page("student", "POST", "/portfolio/items/new", {"title": ""}),
    Page("student", "POST", "/portfolio/items/{item}/edit", {"title": ""}),
    Page("student", "POST", "/portfolio/items/{item}/links", {"url": "javascript:alert(1)"}),
    Page("student", "POST", "/portfolio/items/{item}/claims", {"key": "no-such-element"}),
    Page("student", "POST", "/portfolio/items/{item}/files", {}),
    Page("student", "POST", "/portfolio/shares", {"label": "", "days": "0"}),
    Page("assessor", "POST", "/assess/cohorts/{cohort}/start", {}),
    Page("assessor", "POST", "/assess/{assessment}/judge/{assess_key}", {"level": "99", "version": ""}),
    Page("assessor", "POST", "/assess/{assessment}/submit", {}),
    Page("assessor", "POST", "/assess/{assessment}/sign", {"password": "wrong"}),
    Page("assessor", "POST", "/assess/{assessment}/assessors", {"assessor_id": "0"}),
    Page("org_admin", "POST", "/orgs/{org}/cohorts/new", {"name": "", "year": "next year"}),
    Page("org_admin", "POST", "/orgs/{org}/members/invite", {"email": "not an address"}),
    Page("org_admin", "POST", "/orgs/{org}/cohorts/{cohort}/assessors", {"email": "nobody@test.example"}),
    Page("org_admin", "POST", "/orgs/{org}/cohorts/{cohort}/import", {}),
    # A CSV preview with a reason on every row: a bad address, a control character, an unknown language.
    Page(
        "org_admin",
        "POST",
        "/orgs/{org}/cohorts/{cohort}/import",
        {"role": "student"},
        files={
            "file": (
                b"email,name,language,role\ngeen-adres,A,nl,student\nb@test.example,B\x07,xx,student\n"
                b"student@test.example,Student,nl,teacher\n",
                "people.csv",
            )
        },
    ),
    Page(
        "org_admin",
        "POST",
        "/orgs/{org}/cohorts/{cohort}/import",
        {"role": "student"},
        {"file": (b"foo\n", "x.csv")},
    ),
    # Upload refusals: a type that is not accepted, and an empty file.
    Page("student", "POST", "/portfolio/items/{item}/files", files={"file": (b"MZ\x90\x00binary", "tool.exe")}),
    Page("student", "POST", "/portfolio/items/{item}/files", files={"file": (b"", "empty.pdf")}),
    Page("org_admin", "POST", "/certificates/cohorts/{cohort}/issue", {}),
    Page("org_admin", "POST", "/certificates/{certificate}/revoke", {"reason": ""}),
    Page("platform_admin", "POST", "/orgs/new", {"name": ""}),
]


@cache
def _english_pattern() -> re.Pattern[str]:
    """Every piece of English UI text the catalogue knows, as one pattern (longest first)."""
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    dutch_texts: list[str] = []
    english: set[str] = set()
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        dutch_texts.extend(s for s in strings if s)
        for msgid in ids:
            if msgid in strings:
                continue  # the same in both languages
            english.update(_fragments(msgid))
    dutch = "\n".join(dutch_texts).lower()
    # An English phrase that a Dutch translation also uses (a name, a term of art) proves nothing.
    candidates = sorted((e for e in english if e.lower() not in dutch), key=len, reverse=True)
    return re.compile("|".join(rf"(?<!\w){re.escape(c)}(?!\w)" for c in candidates))


def _fragments(msgid: str) -> list[str]:
    """The literal pieces of a message id long enough to be telling: two words and eight characters."""
    pieces = (" ".join(p.split()).strip(" .,:;!?()'\"-") for p in PLACEHOLDER.split(re.sub(r"<[^>]+>", " ", msgid)))
    return [p for p in pieces if len(p) >= 8 and len(p.split()) >= 2]


class _Text(HTMLParser):
    """The interface text of a page: text and the readable attributes, without standards content
    (any element with a ``lang`` below the root), scripts, styles and code (links, identifiers)."""

    VOID = frozenset(
        ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr")
    )
    ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0  # > 0 inside a skipped subtree
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        # <code> holds machine text (links with random tokens, identifiers): letters there are no language.
        skip = tag in ("script", "style", "code") or ("lang" in named and tag != "html")
        if tag in self.VOID:
            if not self._skip_depth and not skip:
                self._attributes(tag, named)
            return
        self._stack.append(tag)
        if self._skip_depth or skip:
            self._skip_depth += 1
        else:
            self._attributes(tag, named)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._skip_depth and "lang" not in dict(attrs):
            self._attributes(tag, dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID or tag not in self._stack:
            return
        while self._stack:
            open_tag = self._stack.pop()
            if self._skip_depth:
                self._skip_depth -= 1
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._skip_depth and data.strip():
            self.parts.append(" ".join(data.split()))

    def _attributes(self, tag: str, named: dict[str, str | None]) -> None:
        for name in self.ATTRIBUTES:
            if named.get(name):
                self.parts.append(str(named[name]))
        if tag in ("input", "button") and named.get("type") in ("submit", "button") and named.get("value"):
            self.parts.append(str(named["value"]))


def interface_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    parser.close()
    parts = parser.parts
    for data in USER_DATA:
        parts = [" ".join(part.replace(data, " ").split()) for part in parts]
    return [part for part in parts if part]


def english_on(parts: list[str]) -> set[str]:
    found = {m.group(0) for part in parts for m in _english_pattern().finditer(part)}
    for part in parts:
        words = {w.lower() for w in re.findall(r"[A-Za-z]+", part)}
        if len(words & ENGLISH_ONLY) >= 2:
            found.add(part)
    return found


def test_catalogue_yields_english_phrases() -> None:
    pattern = _english_pattern()
    assert pattern.search("Sign in") or pattern.search("Sign out"), "the catalogue gave no English phrases"
    assert english_on(["This file is too large for your portfolio."]), "English sentences go unnoticed"
    assert not english_on(["Dit bestand is te groot voor je portfolio."])
    text = interface_text(
        '<p>Kies <span lang="en">the element of this framework</span></p><script>x = "the"</script>'
        "<code>https://x.example/invitation/AN8nBpp_oR78the</code>"
    )
    assert text == ["Kies"]


@pytest.fixture(scope="module")
def world(app: Flask, module_transaction: Connection) -> dict[str, object]:
    return _ids(app)


@pytest.mark.parametrize("page", PAGES, ids=[p.id for p in PAGES])
def test_page_is_dutch(app: Flask, world: dict[str, object], page: Page, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", False)
    path = page.path.format(**{k: v for k, v in world.items() if not isinstance(v, dict)})
    client = app.test_client()
    with client.session_transaction() as session:
        session["lang"] = "nl"
        if page.persona != "anonymous":
            tokens = world["session_tokens"]
            assert isinstance(tokens, dict)
            session["_user_id"] = tokens[page.persona]
            session["_fresh"] = True
    data = dict(page.data or {})
    for field, (content, name) in (page.files or {}).items():
        data[field] = (io.BytesIO(content), name)
    response = client.open(path, method=page.method, data=data, follow_redirects=True)
    with app.app_context():
        db.session.remove()
    assert response.status_code < 500, f"{page.id}: server error {response.status_code}"
    assert response.mimetype == "text/html", f"{page.id}: not a page ({response.mimetype})"
    html = response.get_data(as_text=True)
    assert '<html lang="nl"' in html, f"{page.id}: not shown in Dutch"
    found = english_on(interface_text(html))
    pending = PENDING.get(page.id, set())
    assert found - pending == set(), f"English on {page.id}: {sorted(found - pending)}"
    assert pending - found == set(), f"{page.id} no longer shows {sorted(pending - found)}: remove it from PENDING"
