"""Suggested links: the target elements whose text reads most like each source element (titles,
descriptions, behaviour lines, knowledge items, level descriptors), ranked by BM25 over stemmed words, with
the shared terms that produced each score. Links that exist or were rejected are not suggested again.

The ranking of one pair of standards is kept in-process (a small LRU) under a hash of the texts it was built
from, so the authoring page ranks once per pair and content, not on every load; editing either standard's
text changes the hash. Each source keeps its ``DEPTH`` best matches, from which links and rejections are
taken out on each request: a source with more than ``DEPTH - PER_SOURCE`` of them gets fewer suggestions."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.crosswalks.models import Crosswalk, CrosswalkLink, CrosswalkRejection
from app.standards.queries import Node, Tree, load_tree
from app.textmatch import Document, Index, Match, Term

LINKABLE_TYPES = ("competence", "work_process", "activity")
PER_SOURCE = 3
MIN_SHARED = 2
WEIGHTS = {"title": 3.0, "description": 1.0, "lines": 1.0, "knowledge": 0.5, "levels": 0.5}
DEPTH = PER_SOURCE + 12
CACHE_SIZE = 16

_cache: OrderedDict[tuple[int, int, str], dict[int, list[Match]]] = OrderedDict()
_lock = threading.Lock()


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


def _digest(*sides: tuple[str, list[tuple[int, dict[str, str]]]]) -> str:
    payload = json.dumps(sides, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def ranked(source: Tree, target: Tree) -> dict[int, list[Match]]:
    """Per linkable source element, its ``DEPTH`` best target elements (at least ``MIN_SHARED`` shared
    terms), from the in-process cache when neither standard's text changed."""
    source_fields = [(n.element.id, _fields(n)) for n in linkable(source)]
    target_nodes = linkable(target)
    target_fields = [(n.element.id, _fields(n)) for n in target_nodes]
    languages = source.framework.language, target.framework.language
    key = (
        source.framework.id,
        target.framework.id,
        _digest((languages[0], source_fields), (languages[1], target_fields)),
    )
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    index = Index(Document(i, languages[1], fields, WEIGHTS) for i, fields in target_fields)
    out = {
        i: index.rank(" ".join(fields.values()), languages[0], limit=DEPTH, min_terms=MIN_SHARED)
        for i, fields in source_fields
    }
    with _lock:
        _cache[key] = out
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return out


def _taken(session: Session, crosswalk: Crosswalk) -> set[tuple[int, int]]:
    """The pairs not to suggest: linked already, or rejected."""
    linked = select(CrosswalkLink.subject_id, CrosswalkLink.object_id).where(CrosswalkLink.crosswalk_id == crosswalk.id)
    rejected = select(CrosswalkRejection.subject_id, CrosswalkRejection.object_id).where(
        CrosswalkRejection.crosswalk_id == crosswalk.id
    )
    return {(s, o) for s, o in session.execute(linked.union_all(rejected))}


def suggest(
    session: Session, crosswalk: Crosswalk, limit: int = 30, trees: tuple[Tree, Tree] | None = None
) -> list[Suggestion]:
    """The best suggestions over all source elements; ``trees`` (source, target) when the caller has them."""
    source, target = trees or (
        load_tree(session, crosswalk.source_framework),
        load_tree(session, crosswalk.target_framework),
    )
    sources = {n.element.id: n for n in linkable(source)}
    targets = {n.element.id: n for n in linkable(target)}
    taken = _taken(session, crosswalk)
    out = []
    for source_id, matches in ranked(source, target).items():
        kept = [m for m in matches if (source_id, m.id) not in taken][:PER_SOURCE]
        for match in kept:
            subject, obj = sources[source_id], targets[match.id]  # type: ignore[index]
            out.append(Suggestion(subject, obj, match.score, match.relative, match.terms))
    out.sort(key=lambda s: (-s.score, s.subject.element.sort_order, s.object.element.sort_order))
    return out[:limit]
