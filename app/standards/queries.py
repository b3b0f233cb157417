"""Read the standards: lists, whole trees and search, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, func, or_, select, true
from sqlalchemy.orm import Session, aliased, selectinload

from app.standards.models import (
    Alignment,
    Element,
    Framework,
    RatingScale,
    RequiredLevel,
    ScaleLevel,
    SourceNote,
)
from app.standards.text import escape_like, fold
from app.standards.translations.models import ElementTranslation
from app.standards.versions import current_ids, newest, same_version, version_key

CURRENT = object()  # get_framework's default: the current version of the code


@dataclass(frozen=True)
class Audience:
    """Whose eyes a standard is read for: the one rule of who sees which standard.

    Platform-wide standards (``organisation_id`` NULL) are seen by everyone; a standard private to an
    organisation only by that organisation's members and by platform administrators (``everything``).
    ``app.authz.standards.audience_of`` makes one for a user; every list and lookup of standards takes one.
    """

    organisation_ids: frozenset[int] = frozenset()
    everything: bool = False

    def sees(self, framework: Framework) -> bool:
        owner = framework.organisation_id
        return owner is None or self.everything or owner in self.organisation_ids

    def filter(self) -> ColumnElement[bool]:
        """The same rule as ``sees``, as a WHERE clause on Framework."""
        if self.everything:
            return true()
        if not self.organisation_ids:
            return Framework.organisation_id.is_(None)
        return or_(Framework.organisation_id.is_(None), Framework.organisation_id.in_(sorted(self.organisation_ids)))

    @classmethod
    def of_owner(cls, organisation_id: int | None) -> Audience:
        """What a standard owned by ``organisation_id`` (None: platform-wide) may refer to and build on."""
        return cls(frozenset() if organisation_id is None else frozenset({organisation_id}))


PUBLIC = Audience()  # anonymous visitors and public consumers: platform-wide standards only
EVERYONE = Audience(everything=True)  # platform administrators and the command line


@dataclass
class FrameworkSummary:
    framework: Framework
    element_count: int
    current: bool = True  # the version a bare code means (see standards.versions)


@dataclass
class AlignmentView:
    relation: str
    note: str | None
    framework_code: str
    framework_title: str
    element_key: str
    element_code: str | None
    element_title: str
    incoming: bool
    element_uuid: str | None = None  # the other element's stored uuid (kept from its source, or derived)


@dataclass
class Node:
    element: Element
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None
    alignments: list[AlignmentView] = field(default_factory=list)
    required: ScaleLevel | None = None
    required_note: str | None = None
    notes: list[SourceNote] = field(default_factory=list)
    translations: list[ElementTranslation] = field(default_factory=list)  # beside the source text, never instead

    @property
    def key(self) -> str:
        return self.element.key

    def ancestors(self) -> list[Node]:
        chain = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def descendants(self) -> list[Node]:
        out: list[Node] = []
        stack = list(reversed(self.children))
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.children))
        return out

    def translated(self, field_name: str) -> list[ElementTranslation]:
        """The translations of one of the element's texts (title, description, attributes.<path>)."""
        return [t for t in self.translations if t.field == field_name]

    def children_of_type(self, *types: str) -> list[Node]:
        return [c for c in self.children if c.element.type in types]

    def level_descriptors(self) -> list[dict[str, object]]:
        return [
            {"level": c.element.attributes.get("level"), "text": c.element.title}
            for c in self.children
            if c.element.type == "level_descriptor"
        ]


@dataclass
class Tree:
    framework: Framework
    roots: list[Node]
    by_key: dict[str, Node]
    framework_notes: list[SourceNote]
    framework_translations: list[ElementTranslation] = field(default_factory=list)

    def framework_translated(self, field_name: str) -> list[ElementTranslation]:
        return [t for t in self.framework_translations if t.field == field_name]

    def __iter__(self):
        for root in self.roots:
            yield root
            yield from root.descendants()

    def count(self, element_type: str) -> int:
        return sum(1 for node in self.by_key.values() if node.element.type == element_type)


def _summaries(session: Session, where: ColumnElement[bool]) -> list[FrameworkSummary]:
    counts = select(Element.framework_id, func.count(Element.id).label("n")).group_by(Element.framework_id).subquery()
    rows: list[tuple[Framework, int]] = [
        (row[0], int(row[1]))
        for row in session.execute(
            select(Framework, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.framework_id == Framework.id)
            .where(where)
            .order_by(Framework.kind, Framework.code)
        )
    ]
    current = {code: newest(fw for fw, _n in rows if fw.code == code) for code in {fw.code for fw, _n in rows}}
    summaries = [FrameworkSummary(fw, n, current[fw.code] is fw) for fw, n in rows]
    # The versions of one code together, newest (the current one) first.
    newest_first = sorted(summaries, key=lambda s: (version_key(s.framework.version), s.framework.id), reverse=True)
    return sorted(newest_first, key=lambda s: (s.framework.kind, s.framework.code))


def list_frameworks(session: Session, *, audience: Audience) -> list[FrameworkSummary]:
    return _summaries(session, audience.filter())


def private_frameworks(session: Session, organisation_id: int) -> list[FrameworkSummary]:
    """The standards private to one organisation (the caller has checked the person may see it)."""
    return _summaries(session, Framework.organisation_id == organisation_id)


def get_framework(
    session: Session, code: str, version: str | object | None = CURRENT, *, audience: Audience
) -> Framework | None:
    """The current version of a code, or the given version (``None`` is a framework without a version), if
    ``audience`` may see it (else None, as if there were none)."""
    query = (
        select(Framework)
        .where(Framework.code == code, audience.filter())
        .options(selectinload(Framework.scales).selectinload(RatingScale.levels))
    )
    if version is not CURRENT:
        return session.scalar(query.where(same_version(version)))  # type: ignore[arg-type]
    return newest(session.scalars(query).all())


def _attach_alignments(session: Session, framework: Framework, nodes: dict[int, Node]) -> None:
    """Alignments from and to the framework's elements, each shown on the element of this framework.

    Only links to standards that everyone who sees this one may see too (``Audience.of_owner``): a
    platform-wide standard never names an element of a private one that aligned itself to it."""
    shown = Audience.of_owner(framework.organisation_id)
    source_el, target_el = aliased(Element), aliased(Element)
    source_fw, target_fw = aliased(Framework), aliased(Framework)
    rows = session.execute(
        select(Alignment, source_el, source_fw, target_el, target_fw)
        .join(source_el, Alignment.source_id == source_el.id)
        .join(source_fw, source_el.framework_id == source_fw.id)
        .join(target_el, Alignment.target_id == target_el.id)
        .join(target_fw, target_el.framework_id == target_fw.id)
        .where(or_(source_el.framework_id == framework.id, target_el.framework_id == framework.id))
        .order_by(Alignment.position, Alignment.id)
    )
    for alignment, s_el, s_fw, t_el, t_fw in rows:
        if s_el.id in nodes and shown.sees(t_fw):
            nodes[s_el.id].alignments.append(
                AlignmentView(
                    alignment.relation,
                    alignment.note,
                    t_fw.code,
                    t_fw.title,
                    t_el.key,
                    t_el.code,
                    t_el.title,
                    False,
                    t_el.uuid,
                )
            )
        if t_el.id in nodes and shown.sees(s_fw):
            nodes[t_el.id].alignments.append(
                AlignmentView(
                    alignment.relation,
                    alignment.note,
                    s_fw.code,
                    s_fw.title,
                    s_el.key,
                    s_el.code,
                    s_el.title,
                    True,
                    s_el.uuid,
                )
            )


def load_tree(session: Session, framework: Framework) -> Tree:
    """The framework's whole tree with alignments, required levels, notes and translations: six queries in all."""
    elements = session.scalars(
        select(Element).where(Element.framework_id == framework.id).order_by(Element.sort_order)
    ).all()
    nodes = {e.id: Node(e) for e in elements}
    roots: list[Node] = []
    for element in elements:
        node = nodes[element.id]
        parent = nodes.get(element.parent_id) if element.parent_id else None
        if parent is None:
            roots.append(node)
        else:
            node.parent = parent
            parent.children.append(node)

    _attach_alignments(session, framework, nodes)
    required = session.execute(
        select(RequiredLevel, ScaleLevel)
        .join(RequiredLevel.scale_level)
        .join(RequiredLevel.element)
        .where(Element.framework_id == framework.id)
    )
    for req, level in required:
        node = nodes[req.element_id]
        node.required, node.required_note = level, req.note

    framework_notes = []
    for note in session.scalars(
        select(SourceNote).where(SourceNote.framework_id == framework.id).order_by(SourceNote.position)
    ):
        if note.element_id and note.element_id in nodes:
            nodes[note.element_id].notes.append(note)
        else:
            framework_notes.append(note)

    framework_translations = []
    for tr in session.scalars(
        select(ElementTranslation)
        .where(ElementTranslation.framework_id == framework.id)
        .order_by(ElementTranslation.language, ElementTranslation.id)
    ):
        if tr.element_id and tr.element_id in nodes:
            nodes[tr.element_id].translations.append(tr)
        elif tr.element_id is None:
            framework_translations.append(tr)

    by_key = {n.element.key: n for n in nodes.values()}
    return Tree(framework, roots, by_key, framework_notes, framework_translations)


@dataclass
class SearchHit:
    framework_code: str
    framework_title: str
    framework_language: str
    key: str
    code: str | None
    type: str
    title: str
    description: str | None


@dataclass
class SearchResult:
    query: str
    hits: list[SearchHit]
    total: int


def search(
    session: Session, query: str, limit: int = 50, framework_code: str | None = None, *, audience: Audience
) -> SearchResult:
    """All words of the query must occur (case and diacritics ignored) in code, title or description, in the
    standards ``audience`` may see."""
    terms = fold(query).split()[:8]
    if not terms:
        return SearchResult(query, [], 0)
    conditions: list[ColumnElement[bool]] = [
        Element.search_text.like(f"%{escape_like(t)}%", escape="\\") for t in terms
    ]
    conditions.append(Element.retired_at.is_(None))  # retired elements are not offered for new work
    conditions.append(Element.framework_id.in_(current_ids(session).values()))  # older versions: by their pages
    conditions.append(audience.filter())
    where = and_(*conditions)
    if framework_code:
        where = and_(where, Framework.code == framework_code)
    base = select(Element, Framework).join(Element.framework).where(where)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.execute(base.order_by(Framework.code, Element.sort_order).limit(limit))
    hits = [
        SearchHit(fw.code, fw.title, fw.language, el.key, el.code, el.type, el.title, el.description) for el, fw in rows
    ]
    return SearchResult(query, hits, total)
