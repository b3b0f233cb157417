"""A programme is what a cohort follows: a framework, or one profile of it (mbo P3 = B1-K1, B1-K2, P3-K1,
P3-K2). Its claimable elements are those the standard sets a required level for: mbo work processes,
Competent activities, BK and e-CF competences."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Cohort
from app.standards.models import Element, Framework, RequiredLevel, ScaleLevel
from app.standards.queries import Node, Tree, load_tree


@dataclass
class Programme:
    cohort: Cohort
    tree: Tree
    roots: list[Node]
    claimable: list[Node] = field(default_factory=list)

    @property
    def framework(self):
        return self.tree.framework

    @property
    def offered(self) -> list[Node]:
        """The claimable elements offered for new work: retired ones only show where records point at them."""
        return [n for n in self.claimable if n.element.retired_at is None]

    def node_by_id(self, element_id: int) -> Node | None:
        return self._by_id.get(element_id)

    def __post_init__(self) -> None:
        self._by_id = {n.element.id: n for n in self.claimable}

    def scale_levels(self, node: Node) -> list[ScaleLevel]:
        """The levels a claim on ``node`` is rated on: the scale of its required level."""
        if node.required is None:
            return []
        return list(node.required.scale.levels)


def programme_roots(tree: Tree, profile_key: str | None) -> list[Node]:
    if profile_key and profile_key in tree.by_key:
        profile = tree.by_key[profile_key]
        comprises = profile.element.attributes.get("comprises") or []
        roots = [tree.by_key[key] for key in comprises if key in tree.by_key]
        return roots or [profile]
    return list(tree.roots)


def _walk(nodes: Iterable[Node]) -> Iterable[Node]:
    for node in nodes:
        yield node
        yield from node.descendants()


def load_programme(session: Session, cohort: Cohort, framework: Framework | None = None) -> Programme:
    """The cohort's programme in its version of the standard, or in ``framework`` (the version an assessment
    was held on before the cohort moved to another)."""
    tree = load_tree(session, framework or cohort.framework)
    roots = programme_roots(tree, cohort.profile_key)
    claimable = [n for n in _walk(roots) if n.required is not None]
    return Programme(cohort, tree, roots, claimable)


@dataclass
class Coverage:
    total: int
    with_evidence: int
    submitted: int
    reviewed: int

    @property
    def missing(self) -> int:
        return self.total - self.with_evidence

    @property
    def percent(self) -> int:
        return round(100 * self.with_evidence / self.total) if self.total else 0


def coverage(programme: Programme, claims_by_element: dict[int, list]) -> Coverage:
    """How many claimable elements have evidence, and how far their claims have come."""
    from app.portfolio.models import ClaimStatus

    with_evidence = submitted = reviewed = 0
    for node in programme.claimable:
        claims = claims_by_element.get(node.element.id, [])
        if not claims:
            continue
        with_evidence += 1
        statuses = {c.status for c in claims}
        if ClaimStatus.REVIEWED in statuses:
            reviewed += 1
        elif ClaimStatus.SUBMITTED in statuses:
            submitted += 1
    return Coverage(len(programme.claimable), with_evidence, submitted, reviewed)


def claimable_element(session: Session, cohort: Cohort, key: str) -> tuple[Element, ScaleLevel] | None:
    """The element ``key`` with its required level if a student of ``cohort`` can claim it, else None.

    A few small queries instead of the whole tree: claims are added one at a time."""
    element = session.scalar(select(Element).where(Element.framework_id == cohort.framework_id, Element.key == key))
    if element is None or element.retired_at is not None:
        return None
    required = session.scalar(
        select(ScaleLevel)
        .join(RequiredLevel, RequiredLevel.scale_level_id == ScaleLevel.id)
        .where(RequiredLevel.element_id == element.id)
    )
    if required is None:
        return None
    if cohort.profile_key:
        profile = session.scalar(
            select(Element).where(Element.framework_id == cohort.framework_id, Element.key == cohort.profile_key)
        )
        roots = set((profile.attributes.get("comprises") or []) if profile else []) or {cohort.profile_key}
        node: Element | None = element
        while node is not None and node.key not in roots:
            node = session.get(Element, node.parent_id) if node.parent_id else None
        if node is None:
            return None
    return element, required
