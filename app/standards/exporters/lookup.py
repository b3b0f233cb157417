"""Find what the CASE provider is asked for, by identifier: the database side of the exporters.

Frameworks, elements and rating scales carry their UUID; associations and item types have derived
identifiers, so they are found by building the packages that hold them (remembered per loaded version).
Every lookup is for an ``Audience``: a standard it may not see is not found, like an unknown identifier.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, selectinload

from app.db import utcnow
from app.standards.exporters import Links
from app.standards.exporters.case import TYPE_DESCRIPTIONS, item_type_uuid
from app.standards.models import Element, Framework, RatingScale
from app.standards.queries import Audience
from app.standards.versions import current_ids


def _visible(session: Session, audience: Audience, *where: ColumnElement[bool]) -> Framework | None:
    return session.scalar(
        select(Framework)
        .where(*where, audience.filter())
        .options(selectinload(Framework.scales).selectinload(RatingScale.levels))
    )


def links_for(session: Session, fw: Framework, links: Links, current: dict[str, int] | None = None) -> Links:
    """The links of ``fw``'s document: its own version's pages when it is an older version of its code (the
    code's address shows the current one). ``current`` (``versions.current_ids``) spares the query in a list."""
    current = current if current is not None else current_ids(session, [fw.code])
    return links if current.get(fw.code) == fw.id else links.pinned(fw.code, fw.version)


def framework_by_uuid(session: Session, ident: str, audience: Audience) -> Framework | None:
    return _visible(session, audience, Framework.uuid == ident)


def frameworks(session: Session, audience: Audience) -> list[Framework]:
    return list(session.scalars(select(Framework).where(audience.filter()).order_by(Framework.code)))


def element_framework(session: Session, ident: str, audience: Audience) -> Framework | None:
    """The framework of the element with this UUID."""
    fw_id = session.scalar(select(Element.framework_id).where(Element.uuid == ident))
    return None if fw_id is None else _visible(session, audience, Framework.id == fw_id)


def scale_framework(session: Session, ident: str, audience: Audience) -> Framework | None:
    fw_id = session.scalar(select(RatingScale.framework_id).where(RatingScale.uuid == ident))
    return None if fw_id is None else _visible(session, audience, Framework.id == fw_id)


def item_type(session: Session, ident: str, audience: Audience) -> tuple[str, dt.datetime] | None:
    """The element type whose CFItemType has this identifier, and when a framework using it last changed."""
    used = select(Element.type).join(Element.framework).where(audience.filter()).distinct()
    known = set(TYPE_DESCRIPTIONS) | set(session.scalars(used))
    etype = next((t for t in sorted(known) if str(item_type_uuid(t)) == ident), None)
    if etype is None:
        return None
    changed = session.scalar(select(func.max(Framework.loaded_at)).where(audience.filter()))
    return etype, changed or utcnow()


# Association identifiers of each framework, per loaded version (uuid, content hash): built once.
_ASSOCIATIONS: dict[tuple[str, str], frozenset[str]] = {}


def association_framework(session: Session, ident: str, audience: Audience) -> Framework | None:
    """The framework whose package holds the association with this identifier."""
    from app.standards.exporters import plain_links
    from app.standards.exporters.case import export_case
    from app.standards.queries import load_tree

    for fw in frameworks(session, audience):
        key = (fw.uuid, fw.content_hash)
        if key not in _ASSOCIATIONS:
            package = export_case(load_tree(session, fw), plain_links())
            _ASSOCIATIONS[key] = frozenset(a["identifier"] for a in package["CFAssociations"])
        if ident in _ASSOCIATIONS[key]:
            return fw
    return None
