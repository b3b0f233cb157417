"""Crosswalks in and out: SSSOM TSV (app.crosswalks.sssom) and CASE CFAssociations between the two
documents' items. Exact is ``exactMatchOf`` and related ``isRelatedTo``; close, broader and narrower, which
CASE lacks, are extension types (``ext:isCloseMatchOf``, ``ext:isBroaderThan``, ``ext:isNarrowerThan``)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import Actor, record
from app.crosswalks import crosswalks, links
from app.crosswalks.models import Crosswalk, CrosswalkLink
from app.crosswalks.queries import load_links
from app.crosswalks.sssom import Mapping, MappingSet
from app.domain import N_, DomainError
from app.standards.exporters import timestamp
from app.standards.identity import NAMESPACE
from app.standards.models import Element, Framework, RatingScale, ScaleLevel

CASE_TYPES = {
    "exact": "exactMatchOf",
    "related": "isRelatedTo",
    "close": "ext:isCloseMatchOf",
    "broader": "ext:isBroaderThan",
    "narrower": "ext:isNarrowerThan",
}


def _min_level(link: CrosswalkLink, frameworks: dict[int, str]) -> str:
    level = link.min_level
    if level is None:
        return ""
    return f"{frameworks[level.scale.framework_id]}:{level.scale.code}:{level.value}"


def mapping_set(session: Session, crosswalk: Crosswalk, base: str) -> MappingSet:
    rows = load_links(session, crosswalk)
    source, target = crosswalk.source_framework, crosswalk.target_framework
    frameworks = {source.id: source.code, target.id: target.code}
    mappings = [
        Mapping(
            source.code,
            link.subject.key,
            link.subject.label,
            link.relation,
            target.code,
            link.object.key,
            link.object.label,
            link.suggested,
            link.confidence,
            f"{base.rstrip('/')}/crosswalks/{crosswalk.id}#author-{link.author_id}" if link.author_id else "",
            link.author.name if link.author else "",
            link.note,
            _min_level(link, frameworks),
            link.condition_text,
        )
        for link in rows
    ]
    return MappingSet(
        f"{base.rstrip('/')}/crosswalks/{crosswalk.id}",
        crosswalk.name,
        source.code,
        target.code,
        base,
        mappings,
        crosswalk.description,
        crosswalk.updated_at.date().isoformat(),
    )


def _level_id(session: Session, spec: str, row: int) -> int | None:
    if not spec:
        return None
    code, scale, value = [*spec.split(":"), "", "", ""][:3]
    level_id = session.scalar(
        select(ScaleLevel.id)
        .join(RatingScale, RatingScale.id == ScaleLevel.scale_id)
        .join(Framework, Framework.id == RatingScale.framework_id)
        .where(
            Framework.code == code,
            RatingScale.code == scale,
            ScaleLevel.value == (int(value) if value.isdigit() else -1),
        )
    )
    if level_id is None:
        raise DomainError(N_("Row %(row)s: unknown minimum level %(value)s."), row=row, value=spec)
    return level_id


def import_mapping_set(
    session: Session, actor: Actor, mapping_set: MappingSet, name: str, organisation_id: int | None
) -> Crosswalk:
    """A new draft crosswalk with the file's mappings: all of them or, at the first problem, none."""
    crosswalk = crosswalks.create_crosswalk(
        session,
        actor,
        crosswalks.NewCrosswalk(
            name=name or mapping_set.title,
            source_code=mapping_set.source,
            target_code=mapping_set.target,
            organisation_id=organisation_id,
            description=mapping_set.description,
            source_ref=mapping_set.id or None,
        ),
    )
    for row, m in enumerate(mapping_set.mappings, start=2):
        links.add_link(
            session,
            actor,
            crosswalk,
            links.LinkInput(
                subject_key=m.subject_key,
                object_key=m.object_key,
                relation=m.relation,
                note=m.note,
                confidence=m.confidence,
                min_level_id=_level_id(session, m.min_level, row),
                condition_text=m.condition,
                suggested=m.suggested,
            ),
        )
    record(
        session,
        actor,
        "crosswalk.import",
        organisation_id=organisation_id,
        target_type="crosswalk",
        target_id=crosswalk.id,
        summary=f"{len(mapping_set.mappings)} mappings from SSSOM",
    )
    return crosswalk


def _node(element: Element, framework: Framework, base: str) -> dict[str, str]:
    return {
        "title": element.title,
        "identifier": element.uuid,
        "uri": f"{base}/standards/{framework.code}/e/{element.key}",
    }


def case_associations(session: Session, crosswalk: Crosswalk, base: str) -> dict[str, Any]:
    """The crosswalk as CASE 1.1 CFAssociations from the source document's items to the target's."""
    base = base.rstrip("/")
    source, target = crosswalk.source_framework, crosswalk.target_framework
    out = []
    for link in load_links(session, crosswalk):
        ident = str(uuid.uuid5(NAMESPACE, f"crosswalk-link:{link.subject.uuid}:{link.relation}:{link.object.uuid}"))
        assoc: dict[str, Any] = {
            "identifier": ident,
            "uri": f"{base}/crosswalks/{crosswalk.id}#link-{ident}",
            "associationType": CASE_TYPES[link.relation],
            "CFDocumentURI": {
                "title": source.title,
                "identifier": source.uuid,
                "uri": f"{base}/standards/{source.code}",
            },
            "originNodeURI": _node(link.subject, source, base),
            "destinationNodeURI": {**_node(link.object, target, base), "targetType": "CASE"},
            "lastChangeDateTime": timestamp(link.created_at),
            "extensions": {
                "bekwaam": {
                    "relation": link.relation,
                    "confidence": link.confidence,
                    "suggested": link.suggested,
                    "condition": {
                        "min_level": _min_level(link, {source.id: source.code, target.id: target.code}) or None,
                        "text": link.condition_text or None,
                    },
                }
            },
        }
        if link.note:
            assoc["notes"] = link.note
        out.append(assoc)
    return {
        "crosswalk": {"name": crosswalk.name, "source": source.code, "target": target.code},
        "CFAssociations": out,
    }
