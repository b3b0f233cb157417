"""Suggested links: the target elements whose text reads most like each source element (titles,
descriptions, behaviour lines, knowledge items, level descriptors), ranked by BM25 over stemmed words, with
the shared terms that produced each score. Links that exist or were rejected are not suggested again."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.crosswalks.models import Crosswalk, CrosswalkLink, CrosswalkRejection
from app.standards.queries import Node, Tree, load_tree
from app.textmatch import Document, Index, Term

LINKABLE_TYPES = ("competence", "work_process", "activity")
PER_SOURCE = 3
MIN_SHARED = 2
WEIGHTS = {"title": 3.0, "description": 1.0, "lines": 1.0, "knowledge": 0.5, "levels": 0.5}


@dataclass(frozen=True)
class Suggestion:
    subject: Node
    object: Node
    score: float
    relative: float
    terms: tuple[Term, ...]

    @property
    def shared(self) -> list[str]:
        return [t.word for t in self.terms]


def linkable(tree: Tree) -> list[Node]:
    """The elements a crosswalk links: those the standard sets a level for (work processes, activities,
    competences) or, in a catalogue without required levels, its competences, work processes and activities."""
    nodes = [n for n in tree if n.element.retired_at is None]
    with_level = [n for n in nodes if n.required is not None]
    return with_level or [n for n in nodes if n.element.type in LINKABLE_TYPES]


def _fields(node: Node) -> dict[str, str]:
    lines, knowledge, levels = [], [], []
    for child in node.children:
        kind = child.element.type
        text = f"{child.element.title} {child.element.description or ''}"
        if kind in ("behaviour", "activity", "skill", "descriptor"):
            lines.append(text)
        elif kind in ("knowledge", "knowledge_group", "knowledge_skill"):
            knowledge.append(text)
        elif kind == "level_descriptor":
            levels.append(text)
    for item in node.element.attributes.get("knowledge_and_skills") or []:
        if isinstance(item, dict):
            knowledge.append(str(item.get("text", "")))
    return {
        "title": node.element.title,
        "description": node.element.description or "",
        "lines": " ".join(lines),
        "knowledge": " ".join(knowledge),
        "levels": " ".join(levels),
    }


def document(node: Node, language: str) -> Document:
    return Document(node.element.id, language, _fields(node), WEIGHTS)


def suggest(session: Session, crosswalk: Crosswalk, limit: int = 30) -> list[Suggestion]:
    source = load_tree(session, crosswalk.source_framework)
    target = load_tree(session, crosswalk.target_framework)
    targets = {n.element.id: n for n in linkable(target)}
    index = Index(document(n, target.framework.language) for n in targets.values())
    taken = {
        (s, o)
        for s, o in session.execute(
            select(CrosswalkLink.subject_id, CrosswalkLink.object_id).where(CrosswalkLink.crosswalk_id == crosswalk.id)
        )
    }
    taken |= {
        (s, o)
        for s, o in session.execute(
            select(CrosswalkRejection.subject_id, CrosswalkRejection.object_id).where(
                CrosswalkRejection.crosswalk_id == crosswalk.id
            )
        )
    }
    out = []
    for node in linkable(source):
        query = " ".join(_fields(node).values())
        exclude = [o for s, o in taken if s == node.element.id]
        for match in index.rank(
            query, source.framework.language, limit=PER_SOURCE, min_terms=MIN_SHARED, exclude=exclude
        ):
            out.append(Suggestion(node, targets[match.id], match.score, match.relative, match.terms))  # type: ignore[index]
    out.sort(key=lambda s: (-s.score, s.subject.element.sort_order, s.object.element.sort_order))
    return out[:limit]
