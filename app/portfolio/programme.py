"""A programme is what a cohort follows: a framework, or one profile of it (mbo P3 = B1-K1, B1-K2, P3-K1,
P3-K2). Its claimable elements are those the standard sets a required level for: mbo work processes,
Competent activities, BK and e-CF competences."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from app.accounts.models import Cohort
from app.standards.models import ScaleLevel
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


def load_programme(session: Session, cohort: Cohort) -> Programme:
    tree = load_tree(session, cohort.framework)
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
