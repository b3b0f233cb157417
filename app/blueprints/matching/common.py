"""Shared helpers of the matching pages."""

from __future__ import annotations

from sqlalchemy import and_, select

from app.extensions import db
from app.matching.scales import ElementScale
from app.standards.models import Element, Framework
from app.standards.queries import Audience
from app.standards.versions import current_ids


def source_choices(audience: Audience) -> list[tuple[str, str]]:
    """Standards to start a job profile from: the current version of each framework ``audience`` sees, and
    each profile of an mbo dossier."""
    wanted = and_(Framework.id.in_(list(current_ids(db.session).values())), audience.filter())
    frameworks = db.session.scalars(select(Framework).where(wanted).order_by(Framework.kind, Framework.code)).all()
    profiles = db.session.execute(
        select(Framework.code, Element.key, Element.title)
        .join(Element, Element.framework_id == Framework.id)
        .where(Element.type == "profile", Element.retired_at.is_(None), wanted)
        .order_by(Framework.code, Element.sort_order)
    ).all()
    choices = []
    for fw in frameworks:
        title = fw.attributes.get("title_en") or fw.title
        choices.append((fw.code, f"{title} ({fw.code})"))
        choices.extend((f"{code}:{key}", f"— {key} {t}") for code, key, t in profiles if code == fw.code)
    return choices


def level_choices(scale: ElementScale) -> list[tuple[str, str]]:
    return [("", "—")] + [(str(lv.value), f"{lv.code} {lv.label}" if lv.code else lv.label) for lv in scale.levels]


def parse_level(value: str | None) -> int | None:
    return int(value) if value and value.lstrip("-").isdigit() else None
