"""Seeded crosswalks (seeds/crosswalks/*.yaml): editorial proposals of the Bekwaam team, platform-wide,
published and labelled as such. Loading a file again replaces the links of the crosswalk it names (by its
code), so the file stays the one place they are reviewed.

```yaml
format: bekwaam-crosswalk/1
code: mbo-p3--ecf-ocm              # stable identity
name: mbo P3 E-commerce specialist ↔ e-CF Online Community Manager
source: mbo-commercie              # framework codes
target: ecf-profile-online-community-manager
source_ref: ...                    # what the links were read from
description: ...
links:
  - subject: P3-K1-W1              # key in the source standard
    relation: close                # subject is <relation> object
    object: C.3                    # key in the target standard
    confidence: 0.6
    min_level: {framework: ..., scale: ecf-proficiency, level: 2}   # optional
    condition: ""                  # optional words
    note: why, checkable against both texts
```
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.audit import Actor
from app.crosswalks import crosswalks, links
from app.crosswalks.models import Crosswalk, CrosswalkLink, CrosswalkStatus
from app.db import utcnow
from app.domain import DomainError
from app.standards.models import Framework, RatingScale, ScaleLevel

FORMAT = "bekwaam-crosswalk/1"


def seed_paths(folder: str | Path) -> list[Path]:
    return sorted(Path(folder).glob("*.yaml"))


def _level_id(session: Session, spec: dict[str, Any] | None) -> int | None:
    if not spec:
        return None
    level_id = session.scalar(
        select(ScaleLevel.id)
        .join(RatingScale, RatingScale.id == ScaleLevel.scale_id)
        .join(Framework, Framework.id == RatingScale.framework_id)
        .where(
            Framework.code == spec["framework"], RatingScale.code == spec["scale"], ScaleLevel.value == spec["level"]
        )
    )
    if level_id is None:
        raise DomainError("unknown minimum level %(spec)s", spec=str(spec))
    return level_id


def _crosswalk(session: Session, actor: Actor, data: dict[str, Any]) -> Crosswalk:
    found = session.scalar(select(Crosswalk).where(Crosswalk.code == data["code"]))
    if found is None:
        return crosswalks.create_crosswalk(
            session,
            actor,
            crosswalks.NewCrosswalk(
                name=data["name"],
                source_code=data["source"],
                target_code=data["target"],
                organisation_id=None,
                description=data.get("description") or "",
                source_ref=data.get("source_ref"),
                editorial=True,
                code=data["code"],
            ),
        )
    found.name, found.description = data["name"], data.get("description") or ""
    found.source_ref = data.get("source_ref")
    found.editorial = True
    session.execute(delete(CrosswalkLink).where(CrosswalkLink.crosswalk_id == found.id))
    session.expire(found, ["links"])
    return found


def load_file(session: Session, actor: Actor, path: Path) -> Crosswalk:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DomainError("%(path)s is not a %(format)s file", path=str(path), format=FORMAT)
    crosswalk = _crosswalk(session, actor, data)
    for item in data.get("links") or []:
        links.add_link(
            session,
            actor,
            crosswalk,
            links.LinkInput(
                subject_key=str(item["subject"]),
                object_key=str(item["object"]),
                relation=item["relation"],
                note=" ".join(str(item.get("note", "")).split()),
                confidence=float(item.get("confidence", 0.5)),
                min_level_id=_level_id(session, item.get("min_level")),
                condition_text=str(item.get("condition") or ""),
            ),
        )
    crosswalk.status = CrosswalkStatus.PUBLISHED
    crosswalk.published_at = crosswalk.published_at or utcnow()
    session.flush()
    return crosswalk


def load_seeds(session: Session, actor: Actor, paths: list[Path]) -> list[Crosswalk]:
    return [load_file(session, actor, path) for path in paths]
