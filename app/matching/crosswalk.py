"""Where ``via_crosswalk`` comes from: published crosswalks (issue 14) and the standards' own alignments.

``CrosswalkSource.links(session, element_ids)`` answers, for each requirement element, the other elements
whose verified results may stand for it, each with a reference and a label for the explanation:
- the standards' own alignments of relation ``exact`` or ``close`` (e.g. the e-CF role profile's competences
  and the e-CF 2.0 catalogue), read in both directions;
- the links of published crosswalks that carry a level by app.crosswalks.carrying's rules: exact and close,
  not contested by another crosswalk, no condition in words, chains up to ``carrying.MAX_DEPTH`` links; a
  minimum-level condition becomes the link's ``min_level``. Broader, narrower and related links never make a
  requirement "via crosswalk".
Three queries whatever the number of links or candidates (alignments, links touching the requirements,
links touching their neighbours). ``settle`` then drops the routes whose condition is on another scale than
the result's element: such a condition cannot be checked, so the link only supports (no credit here)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Protocol

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.crosswalks import carrying
from app.crosswalks.models import Crosswalk, CrosswalkLink, CrosswalkStatus
from app.matching.match import Link
from app.matching.scales import ElementScale
from app.standards.models import Alignment, ScaleLevel

EQUIVALENT = ("exact", "close")


class CrosswalkSource(Protocol):
    def links(self, session: Session, element_ids: Iterable[int]) -> dict[int, list[Link]]: ...


class AlignmentCrosswalk:
    """Declared alignments, read in both directions."""

    def links(self, session: Session, element_ids: Iterable[int]) -> dict[int, list[Link]]:
        ids = sorted(set(element_ids))
        out: dict[int, list[Link]] = defaultdict(list)
        if not ids:
            return out
        rows = session.execute(
            select(Alignment.id, Alignment.source_id, Alignment.target_id, Alignment.relation).where(
                Alignment.relation.in_(EQUIVALENT), or_(Alignment.source_id.in_(ids), Alignment.target_id.in_(ids))
            )
        ).all()
        wanted = set(ids)
        for alignment_id, source_id, target_id, relation in rows:
            for mine, other in ((source_id, target_id), (target_id, source_id)):
                if mine in wanted and other != mine:
                    out[mine].append(Link(other, ref=f"alignment:{alignment_id}", label=relation))
        return out


def _published_links(session: Session, element_ids: set[int]) -> list[carrying.Link]:
    """Every link of a published crosswalk touching the elements, whatever its relation (a related link of
    another crosswalk contests an exact one)."""
    rows = session.execute(
        select(
            CrosswalkLink.id,
            CrosswalkLink.crosswalk_id,
            CrosswalkLink.subject_id,
            CrosswalkLink.object_id,
            CrosswalkLink.relation,
            CrosswalkLink.condition_text,
            ScaleLevel.value,
            ScaleLevel.scale_id,
        )
        .join(Crosswalk, Crosswalk.id == CrosswalkLink.crosswalk_id)
        .outerjoin(ScaleLevel, ScaleLevel.id == CrosswalkLink.min_level_id)
        .where(
            Crosswalk.status == CrosswalkStatus.PUBLISHED,
            or_(CrosswalkLink.subject_id.in_(element_ids), CrosswalkLink.object_id.in_(element_ids)),
        )
    ).all()
    return [
        carrying.Link(
            row.id,
            row.crosswalk_id,
            row.subject_id,
            row.object_id,
            carrying.Relation(row.relation),
            carrying.Condition(row.value, row.scale_id, row.condition_text or ""),
        )
        for row in rows
    ]


class PublishedCrosswalks(AlignmentCrosswalk):
    """The standards' own alignments, then the level-carrying routes through published crosswalks."""

    def links(self, session: Session, element_ids: Iterable[int]) -> dict[int, list[Link]]:
        ids = set(element_ids)
        out = super().links(session, ids)
        if not ids:
            return out
        near = _published_links(session, ids)
        neighbours = {e for lk in near if lk.relation in carrying.CARRYING for e in (lk.subject_id, lk.object_id)}
        far = _published_links(session, neighbours - ids)  # also when empty: the same queries every time
        seen = {lk.id for lk in near}
        for target, routes in carrying.routes(near + [lk for lk in far if lk.id not in seen], ids).items():
            for route in routes:
                path = tuple(step.links[0].id for step in route.path)
                out[target].append(
                    Link(
                        route.source_id,
                        ref="crosswalk-link:" + ",".join(map(str, path)),
                        label=str(route.relation),
                        min_level=route.min_level,
                        links=path,
                        scale_id=route.scale_id,
                    )
                )
        return out


def settle(links: Mapping[int, list[Link]], scales: Mapping[int, ElementScale]) -> dict[int, list[Link]]:
    """Without the routes whose minimum level is on another scale than the result's element."""
    out: dict[int, list[Link]] = {}
    for target, items in links.items():
        kept = [lk for lk in items if lk.scale_id is None or _scale_of(scales.get(lk.element_id)) == lk.scale_id]
        if kept:
            out[target] = kept
    return out


def _scale_of(scale: ElementScale | None) -> int | None:
    return scale.levels[0].scale_id if scale is not None and scale.levels else None


_source: CrosswalkSource = PublishedCrosswalks()


def crosswalk_source() -> CrosswalkSource:
    return _source


def use_crosswalk_source(source: CrosswalkSource) -> None:
    global _source
    _source = source
