"""From a vacancy text (issue 15 part 1): HR pastes Dutch or English text, the app proposes requirements
ranked by text similarity (app.textmatch, the engine of the crosswalk suggestions: BM25 over stemmed words,
offline) over the elements of the current versions of the standards the employer sees, each with the words
that matched; HR accepts the ones that fit (each becomes an essential requirement at the element's own
required level) and leaves out the rest.

The elements proposed are those a job profile is built from: the ones a standard sets a level for, or in a
catalogue without required levels its competences, work processes and activities. Their text: title,
description, and where they exist behaviour lines, knowledge items and level descriptors, and their
translations into the vacancy's language where the translation layer has them. Five queries
whatever the number of standards."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from app.audit import Actor
from app.domain import N_
from app.matching import job_profiles as verbs
from app.matching.errors import MatchingError
from app.matching.models import JobProfile
from app.standards.models import Element, Framework, RequiredLevel, ScaleLevel
from app.standards.queries import Audience
from app.standards.translations.models import ElementTranslation
from app.standards.versions import current_ids
from app.textmatch import Document, Index, Term, analyse, guess_language, language_of

MAX_CHARS = 20_000
MAX_PROPOSALS = 15
MAX_ACCEPTED = 50
MIN_SHARED = 2  # one shared word is chance, two start to mean something
MIN_RELATIVE = 0.15
LINKABLE_TYPES = ("competence", "work_process", "activity")
LINE_TYPES = ("behaviour", "activity", "skill", "descriptor")
KNOWLEDGE_TYPES = ("knowledge", "knowledge_group", "knowledge_skill")
WEIGHTS = {"title": 3.0, "description": 1.0, "lines": 1.0, "knowledge": 0.5, "levels": 0.5}


@dataclass(frozen=True)
class Candidate:
    """An element that can become a requirement, with its text."""

    element_id: int
    framework_code: str
    framework_language: str
    key: str
    code: str | None
    title: str
    type: str
    level_value: int | None
    level_name: str | None
    fields: dict[str, str]


@dataclass(frozen=True)
class Proposal:
    element: Candidate
    score: float
    relative: float
    terms: tuple[Term, ...]

    @property
    def ref(self) -> str:
        return f"{self.element.framework_code}|{self.element.key}"

    @property
    def shared(self) -> list[str]:
        return list(dict.fromkeys(t.word for t in self.terms))


@dataclass(frozen=True)
class Proposals:
    language: str
    items: list[Proposal]


def _elements(session: Session, audience: Audience) -> list[Any]:
    current = list(current_ids(session).values())
    return list(
        session.execute(
            select(
                Element.id,
                Element.parent_id,
                Element.framework_id,
                Element.key,
                Element.code,
                Element.type,
                Element.title,
                Element.description,
                Element.attributes,
                Framework.code.label("fw_code"),
                Framework.language,
            )
            .join(Framework, Framework.id == Element.framework_id)
            .where(and_(Framework.id.in_(current), audience.filter()), Element.retired_at.is_(None))
            .order_by(Framework.code, Element.sort_order)
        ).all()
    )


def _required(session: Session, element_ids: list[int]) -> dict[int, tuple[int, str]]:
    rows = session.execute(
        select(RequiredLevel.element_id, ScaleLevel.value, ScaleLevel.code, ScaleLevel.label)
        .join(ScaleLevel, ScaleLevel.id == RequiredLevel.scale_level_id)
        .where(RequiredLevel.element_id.in_(element_ids))
    ).all()
    return {row[0]: (row[1], row[2] or row[3]) for row in rows}


def _child_text(rows: list[Any]) -> dict[int, dict[str, list[str]]]:
    out: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if row.parent_id is None:
            continue
        text = f"{row.title} {row.description or ''}"
        if row.type in LINE_TYPES:
            out[row.parent_id]["lines"].append(text)
        elif row.type in KNOWLEDGE_TYPES:
            out[row.parent_id]["knowledge"].append(text)
        elif row.type == "level_descriptor":
            out[row.parent_id]["levels"].append(text)
    return out


def candidates(session: Session, audience: Audience) -> list[Candidate]:
    """The elements a job profile can ask for, in the current versions of the standards ``audience`` sees."""
    rows = _elements(session, audience)
    required = _required(session, [r.id for r in rows])
    with_level = {r.framework_id for r in rows if r.id in required}
    children = _child_text(rows)
    return [
        _candidate(r, required.get(r.id), children.get(r.id, {}))
        for r in rows
        if ((r.id in required) if r.framework_id in with_level else (r.type in LINKABLE_TYPES))
    ]


def _candidate(r: Any, level: tuple[int, str] | None, extra: dict[str, list[str]]) -> Candidate:
    knowledge = list(extra.get("knowledge", []))
    for item in (r.attributes or {}).get("knowledge_and_skills") or []:
        if isinstance(item, dict):
            knowledge.append(str(item.get("text", "")))
    fields = {
        "title": r.title,
        "description": r.description or "",
        "lines": " ".join(extra.get("lines", [])),
        "knowledge": " ".join(knowledge),
        "levels": " ".join(extra.get("levels", [])),
    }
    value, name = level if level else (None, None)
    return Candidate(r.id, r.fw_code, r.language, r.key, r.code, r.title, r.type, value, name, fields)


def _translated(session: Session, found: list[Candidate], language: str) -> list[Document]:
    """The candidates' translations into the vacancy's language (the translation layer: e.g. the English of
    the Hungarian e-CF role profile), as extra documents of the same elements: one query."""
    wanted = {c.element_id for c in found if language_of(c.framework_language) != language}
    if not wanted:
        return []
    texts: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for element_id, field, text in session.execute(
        select(ElementTranslation.element_id, ElementTranslation.field, ElementTranslation.text).where(
            ElementTranslation.element_id.in_(sorted(wanted)), ElementTranslation.language.startswith(language)
        )
    ):
        name = field if field in ("title", "description") else "knowledge" if "knowledge" in field else "lines"
        texts[int(element_id or 0)][name].append(text)
    return [Document(i, language, {k: " ".join(v) for k, v in fields.items()}, WEIGHTS) for i, fields in texts.items()]


def propose(session: Session, profile: JobProfile, text: str) -> Proposals:
    """Requirements a vacancy text asks for, best first, leaving out the profile's requirements."""
    if len(text) > MAX_CHARS:
        raise MatchingError(N_("a vacancy text has at most %(n)s characters"), field="text", n=MAX_CHARS)
    language = guess_language(text)
    if not analyse(text, language):
        raise MatchingError(N_("the text has no words to match on: paste the vacancy text"), field="text")
    found = candidates(session, Audience.of_owner(profile.organisation_id))
    by_id = {c.element_id: c for c in found}
    index = Index(Document(c.element_id, c.framework_language, c.fields, WEIGHTS) for c in found)
    for doc in _translated(session, found, language):
        index.add(doc)
    taken = [r.element_id for r in profile.requirements]
    matches = index.rank(text, language, limit=2 * MAX_PROPOSALS, min_terms=MIN_SHARED, exclude=taken)
    items: dict[int, Proposal] = {}
    for m in matches:  # an element and its translation: the better reading
        element_id = int(str(m.id))
        items.setdefault(element_id, Proposal(by_id[element_id], m.score, m.relative, m.terms))
    kept = [p for p in items.values() if p.relative >= MIN_RELATIVE]
    return Proposals(language, kept[:MAX_PROPOSALS])


def accept(session: Session, actor: Actor, profile: JobProfile, refs: list[str]) -> int:
    """The chosen proposals as essential requirements at each element's own required level; all or none
    (an element the employer cannot see, or a retired one, refuses the lot). Returns how many were added."""
    wanted = list(dict.fromkeys(r for r in refs if r))
    if not wanted:
        raise MatchingError(N_("choose at least one proposed requirement"), field="element")
    if len(wanted) > MAX_ACCEPTED:
        raise MatchingError(N_("choose at most %(n)s requirements at once"), field="element", n=MAX_ACCEPTED)
    audience = Audience.of_owner(profile.organisation_id)
    elements = []
    for ref in wanted:
        code, _sep, key = ref.partition("|")
        element = verbs.element_by_ref(session, code, key, audience)
        if element is None:
            raise MatchingError(N_("choose an element from the proposals"), field="element")
        elements.append(element)
    taken = {r.element_id for r in profile.requirements}
    new = [e for e in elements if e.id not in taken]
    required = _required(session, [e.id for e in new])
    for element in new:
        level = required.get(element.id)
        verbs.add_requirement(session, actor, profile, element, level[0] if level else None, "essential")
    return len(new)
