"""What an assessment is about: the elements a scope covers, what each is judged on, how many assessors it
needs, and the scope's label (in the standard's own words, so nothing language-dependent is stored)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from flask import current_app, has_app_context

from app.assessment.errors import AssessmentError
from app.assessment.models import AssessmentKind
from app.domain import N_
from app.portfolio.programme import Programme
from app.standards.queries import Node

# How many assessors a final summative judgement needs, per kind of framework (configurable through
# ASSESSORS_REQUIRED in the app config). Formative feedback needs one.
DEFAULT_ASSESSORS_REQUIRED = {"mbo_qualification_dossier": 2}
ALL = "*"


def assessors_required(framework_kind: str, kind: str) -> int:
    if kind == AssessmentKind.FORMATIVE:
        return 1
    rules = dict(DEFAULT_ASSESSORS_REQUIRED)
    if has_app_context():
        rules.update(current_app.config.get("ASSESSORS_REQUIRED", {}))
    return int(rules.get(framework_kind, 1))


def criteria_of(node: Node) -> list[Node]:
    """What an element is judged on, line by line: its behaviour lines (mbo Gedrag, Competent), or its
    activities (a BK competence). e-CF competences have level descriptors instead."""
    behaviours = node.children_of_type("behaviour")
    return behaviours or node.children_of_type("activity")


def scope_nodes(programme: Programme, keys: Iterable[str]) -> list[Node]:
    """The claimable elements a scope covers, in programme order: ``*`` is everything; a group (core task,
    cluster, area) covers its claimable descendants."""
    wanted = set(keys)
    offered = programme.offered  # a retired element is not offered for new assessments
    if ALL in wanted:
        return offered
    covered: set[int] = set()
    for key in wanted:
        node = programme.tree.by_key.get(key)
        if node is None:
            fw = programme.framework.title
            raise AssessmentError(N_("'%(key)s' is not part of %(framework)s"), field="scope", key=key, framework=fw)
        inside = [node, *node.descendants()]
        claimable = [n for n in inside if n in offered]
        if not claimable:
            raise AssessmentError(N_("%(element)s has nothing to judge"), field="scope", element=node.element.label)
        covered.update(n.element.id for n in claimable)
    return [n for n in offered if n.element.id in covered]


def scope_choices(programme: Programme) -> list[tuple[str, str]]:
    """Whole programme, each group, each claimable element: what an assessment can be about."""
    out = [(ALL, f"{programme.framework.title}: {len(programme.offered)}")]
    claimable = set(id(n) for n in programme.offered)
    for root in programme.roots:
        for node in [root, *root.descendants()]:
            if id(node) in claimable:
                out.append((node.key, f"{node.element.code or ''} {node.element.title}".strip()))
            elif any(id(d) in claimable for d in node.descendants()):
                out.append((node.key, f"▸ {node.element.code or ''} {node.element.title}".strip()))
    return out


def scope_subject(nodes: Sequence[Node], programme: Programme) -> str:
    """What the scope is about, in the standard's words (codes and titles, no words of ours): the element,
    the one core task, cluster or area, a few codes, or the programme with a count."""
    if len(nodes) == 1:
        return nodes[0].element.label
    parent = nodes[0].parent
    if parent is not None and all(n.parent is parent for n in nodes):
        siblings = [c for c in parent.children if c in programme.claimable]
        if len(siblings) == len(nodes):  # exactly one core task, cluster or area
            return parent.element.label
    if len(nodes) <= 4:
        return ", ".join(n.element.code or n.key for n in nodes)
    whole = programme.cohort.profile_key or programme.framework.title
    return f"{whole} ({len(nodes)})"
