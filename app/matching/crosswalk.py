"""Where ``via_crosswalk`` comes from: a seam for the crosswalks of issue 14.

``CrosswalkSource.links(session, element_ids)`` answers, for each requirement element, the other elements
whose verified results may stand for it, each with a reference and a label for the explanation. The
default reads the standards' own alignments of relation ``exact`` or ``close`` (e.g. the e-CF role profile's
competences and the e-CF 2.0 catalogue), in one query. When reviewed crosswalks exist, register a source that
reads them with ``use_crosswalk_source``; the match rule (app.matching.match) does not change."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.matching.match import Link
from app.standards.models import Alignment

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


_source: CrosswalkSource = AlignmentCrosswalk()


def crosswalk_source() -> CrosswalkSource:
    return _source


def use_crosswalk_source(source: CrosswalkSource) -> None:
    global _source
    _source = source
