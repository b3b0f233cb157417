"""What a learner's results on one standard say about another, through crosswalk links: pure rules over
plain data, no Flask, no database.

The rules (issue 14):
- A link is read both ways: "A broader B" walked from B to A reads "B narrower A".
- ``exact`` and ``close`` links *carry the level*: the target element shows the result's level (on the
  result's own scale) and whether it met what the link's condition, or else the source element, asks.
- ``broader``, ``narrower`` and ``related`` links only *support*: the result is shown, no level is carried.
- A condition with a minimum level is checked against the result when the result is on the condition's
  scale; a level below it, a result on another scale, or a free-text condition ("only the behaviour lines
  about complaints", which no machine can check) make the link supporting, with the reason shown.
- Portfolio claims, and results without a level, are never more than supporting.
- Chains are followed through level-carrying links only, up to ``MAX_DEPTH`` links (A exact B exact C);
  a supporting link ends a chain. Each element is visited once per result, so cycles cannot loop.
- Links of several crosswalks between the same two elements are one step: the same relation twice is not
  counted twice; different relations (A exact B in one crosswalk, A related B in another) contradict each
  other, and the step is then only supporting and marked contested.
- Every element gets at most one entry per result (the strongest, then the shortest path), so no result is
  counted twice. Carried evidence is never final: it never changes a record's status or makes a certificate.
"""

from __future__ import annotations

import enum
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import ClassVar


class Relation(enum.StrEnum):
    EXACT = "exact"
    CLOSE = "close"
    BROADER = "broader"
    NARROWER = "narrower"
    RELATED = "related"


class Strength(enum.StrEnum):
    LEVEL = "level"  # the result's level carries (exact/close, condition met)
    SUPPORTING = "supporting"  # shown as supporting evidence only


class Reason(enum.StrEnum):
    """Why a carried result is only supporting."""

    RELATION = "relation"  # broader, narrower or related
    CONTESTED = "contested"  # crosswalks disagree about the relation
    CONDITION_NOT_MET = "condition_not_met"  # below the condition's minimum level
    CONDITION_OTHER_SCALE = "condition_other_scale"  # the result is on another scale than the condition
    CONDITION_TEXT = "condition_text"  # a condition in words, for an assessor to check
    CLAIM = "claim"  # a portfolio claim, not a judgement
    NO_LEVEL = "no_level"  # a result without a level


MAX_DEPTH = 2
RELATIONS = {r.value: r for r in Relation}  # a dict lookup: calling the enum costs more, once per link
CARRYING = frozenset({Relation.EXACT, Relation.CLOSE})
INVERSE = {
    Relation.EXACT: Relation.EXACT,
    Relation.CLOSE: Relation.CLOSE,
    Relation.BROADER: Relation.NARROWER,
    Relation.NARROWER: Relation.BROADER,
    Relation.RELATED: Relation.RELATED,
}


@dataclass(frozen=True)
class Condition:
    """When a link holds: a minimum level on a scale, and/or words for a person to check."""

    min_level: int | None = None
    scale_id: int | None = None
    text: str = ""

    def __bool__(self) -> bool:
        return self.min_level is not None or bool(self.text.strip())


@dataclass(frozen=True)
class Link:
    """ "``subject_id`` is <relation> ``object_id``", as one crosswalk states it."""

    id: int
    crosswalk_id: int
    subject_id: int
    object_id: int
    relation: Relation
    condition: Condition = Condition()


@dataclass(frozen=True)
class Evidence:
    """A result (a final, agreed judgement) or a portfolio claim on one element."""

    id: str
    element_id: int
    kind: str = "result"  # "result" | "claim"
    level: int | None = None
    scale_id: int | None = None
    meets_required: bool | None = None  # the level reaches the source element's own required level


@dataclass(frozen=True)
class Step:
    """One hop: ``from_id`` is <relation> ``to_id``, stated by ``links`` (one per crosswalk that says so)."""

    from_id: int
    to_id: int
    relation: Relation
    links: tuple[Link, ...]
    contested: bool = False


@dataclass(frozen=True)
class Carried:
    element_id: int
    evidence: Evidence
    path: tuple[Step, ...]
    strength: Strength
    reasons: tuple[Reason, ...] = ()
    meets: bool | None = None  # with a carried level: it meets the condition (or the source's own target)

    final: ClassVar[bool] = False  # carried evidence never counts as a final judgement

    @property
    def contested(self) -> bool:
        return any(step.contested for step in self.path)


@dataclass
class _Graph:
    steps: dict[int, list[Step]] = field(default_factory=dict)


def _graph(links: Iterable[Link]) -> _Graph:
    """Both directions of every link, one step per ordered pair of elements."""
    by_pair: dict[tuple[int, int], list[tuple[Relation, Link]]] = defaultdict(list)
    for link in links:
        if link.subject_id == link.object_id:
            continue
        relation = RELATIONS[link.relation]
        by_pair[(link.subject_id, link.object_id)].append((relation, link))
        by_pair[(link.object_id, link.subject_id)].append((INVERSE[relation], link))
    graph = _Graph()
    for (a, b), stated in sorted(by_pair.items()):
        relations = {r for r, _ in stated}
        contested = len(relations) > 1
        # Agreeing crosswalks: their relation. Disagreeing ones: the weakest reading, marked contested.
        relation = next(iter(relations)) if not contested else Relation.RELATED
        links_ = tuple(sorted((link for _, link in stated), key=lambda link: link.id))
        graph.steps.setdefault(a, []).append(Step(a, b, relation, links_, contested))
    return graph


def _judge_step(step: Step, evidence: Evidence) -> tuple[list[Reason], bool | None]:
    """Why this step is only supporting for ``evidence`` (empty: it carries the level), and whether the
    level meets the condition when the step carries."""
    reasons: list[Reason] = []
    if step.contested:
        reasons.append(Reason.CONTESTED)
    elif step.relation not in CARRYING:
        reasons.append(Reason.RELATION)
    meets = evidence.meets_required
    for link in step.links:
        condition = link.condition
        if condition.text.strip():
            reasons.append(Reason.CONDITION_TEXT)
        if condition.min_level is None:
            continue
        if evidence.level is None or evidence.scale_id != condition.scale_id:
            reasons.append(Reason.CONDITION_OTHER_SCALE)
        elif evidence.level < condition.min_level:
            reasons.append(Reason.CONDITION_NOT_MET)
        else:
            meets = True
    return list(dict.fromkeys(reasons)), meets


def _evidence_reasons(evidence: Evidence) -> list[Reason]:
    if evidence.kind != "result":
        return [Reason.CLAIM]
    if evidence.level is None:
        return [Reason.NO_LEVEL]
    return []


def _better(new: Carried, old: Carried | None) -> bool:
    if old is None:
        return True
    rank_new = (new.strength != Strength.LEVEL, len(new.path), [s.links[0].id for s in new.path])
    rank_old = (old.strength != Strength.LEVEL, len(old.path), [s.links[0].id for s in old.path])
    return rank_new < rank_old


def _walk(evidence: Evidence, graph: _Graph, targets: set[int], max_depth: int) -> dict[int, Carried]:
    """Breadth first from the result's element; only level-carrying steps are walked further."""
    best: dict[int, Carried] = {}
    base = _evidence_reasons(evidence)
    queue: deque[tuple[int, tuple[Step, ...], bool | None]] = deque([(evidence.element_id, (), None)])
    expanded = {evidence.element_id}
    while queue:
        element_id, path, meets = queue.popleft()
        if len(path) >= max_depth:
            continue
        for step in graph.steps.get(element_id, []):
            if step.to_id == evidence.element_id or any(s.from_id == step.to_id for s in path):
                continue  # back to where the chain came from: a cycle
            reasons, step_meets = _judge_step(step, evidence)
            reasons = base + reasons
            new_path = (*path, step)
            strength = Strength.SUPPORTING if reasons else Strength.LEVEL
            now_meets = (step_meets if meets is None else meets and step_meets) if not reasons else None
            if step.to_id in targets:
                carried = Carried(step.to_id, evidence, new_path, strength, tuple(reasons), now_meets)
                if _better(carried, best.get(step.to_id)):
                    best[step.to_id] = carried
            if strength == Strength.LEVEL and step.to_id not in expanded:
                expanded.add(step.to_id)
                queue.append((step.to_id, new_path, now_meets))
    return best


def carry(
    evidence: Iterable[Evidence],
    links: Iterable[Link],
    targets: Iterable[int],
    *,
    max_depth: int = MAX_DEPTH,
) -> dict[int, list[Carried]]:
    """Per target element, what the evidence says about it through the links: at most one entry per piece
    of evidence, level-carrying ones first. Evidence on a target element itself is not carried to it."""
    graph = _graph(links)
    wanted = set(targets)
    out: dict[int, list[Carried]] = defaultdict(list)
    for item in evidence:
        for element_id, carried in _walk(item, graph, wanted, max_depth).items():
            out[element_id].append(carried)
    for items in out.values():
        items.sort(key=lambda c: (c.strength != Strength.LEVEL, len(c.path), c.evidence.id))
    return dict(out)


@dataclass(frozen=True)
class Route:
    """A level-carrying path: a result on ``source_id`` stands for ``target_id`` when it is at least
    ``min_level`` on scale ``scale_id`` (the path's conditions; None: when it met its own standard). ``path``
    runs from the source to the target. Used by matching, which asks the same question for 10,000 people:
    worked out once per requirement, not once per result."""

    target_id: int
    source_id: int
    path: tuple[Step, ...]
    min_level: int | None = None
    scale_id: int | None = None

    @property
    def relation(self) -> Relation:
        return Relation.EXACT if all(s.relation == Relation.EXACT for s in self.path) else Relation.CLOSE


def _route_condition(path: tuple[Step, ...]) -> tuple[bool, int | None, int | None]:
    """(usable, min_level, scale_id): words make a path supporting; minimum levels on two scales cannot all be
    checked against one result, so such a path is supporting too."""
    level, scale = None, None
    for step in path:
        for link in step.links:
            condition = link.condition
            if condition.text.strip():
                return False, None, None
            if condition.min_level is None:
                continue
            if scale is not None and condition.scale_id != scale:
                return False, None, None
            scale = condition.scale_id
            level = condition.min_level if level is None else max(level, condition.min_level)
    return True, level, scale


def _reverse(step: Step) -> Step:
    return Step(step.to_id, step.from_id, INVERSE[step.relation], step.links, step.contested)


def routes(links: Iterable[Link], targets: Iterable[int], *, max_depth: int = MAX_DEPTH) -> dict[int, list[Route]]:
    """Per target, the elements whose results carry their level to it: exact and close steps only (not
    contested, no condition in words), at most ``max_depth`` links, the shortest path per source element,
    sources in order of path length. Cycles end where an element repeats."""
    graph = _graph(links)
    out: dict[int, list[Route]] = {}
    for target in dict.fromkeys(targets):
        found: dict[int, Route] = {}
        queue: deque[tuple[int, tuple[Step, ...]]] = deque([(target, ())])
        while queue:
            element_id, outward = queue.popleft()
            if len(outward) >= max_depth:
                continue
            for step in graph.steps.get(element_id, []):
                if step.contested or step.relation not in CARRYING or step.to_id == target:
                    continue
                if any(s.from_id == step.to_id for s in outward) or step.to_id in found:
                    continue
                new = (*outward, step)
                path = tuple(_reverse(s) for s in reversed(new))
                usable, level, scale = _route_condition(path)
                if usable:
                    found[step.to_id] = Route(target, step.to_id, path, level, scale)
                    queue.append((step.to_id, new))
        if found:
            out[target] = sorted(found.values(), key=lambda r: (len(r.path), [s.links[0].id for s in r.path]))
    return out
