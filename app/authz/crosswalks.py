"""Crosswalks: who reads and who authors them.

- Published crosswalks are readable by everyone, signed in or not.
- A draft is readable by the members of the organisation that owns it; a platform-wide draft by platform
  administrators (the platform's editors). Nobody else learns it exists (404).
- Platform administrators author platform-wide crosswalks; an organisation's curriculum leads, HR people
  and administrators author that organisation's. Others may read a published crosswalk but not change it
  (403).
"""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import ColumnElement, Select, false, or_, select

from app.accounts.models import Membership, Organisation, Role
from app.authz.routes import Action
from app.crosswalks.models import Crosswalk, CrosswalkStatus
from app.extensions import db

AUTHORING_ROLES = frozenset({Role.CURRICULUM_LEAD, Role.HR, Role.ORG_ADMIN})


def _member_org_ids(user: Any) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return {m.organisation_id for m in user.memberships}


def authoring_organisations(user: Any) -> list[Organisation]:
    """The organisations ``user`` may author crosswalks for, by name."""
    if not getattr(user, "is_authenticated", False):
        return []
    orgs = {m.organisation_id: m.organisation for m in user.memberships if Role(m.role) in AUTHORING_ROLES}
    return sorted(orgs.values(), key=lambda o: o.name)


def can_author_crosswalks(user: Any) -> bool:
    """May create a crosswalk at all (platform-wide or for an organisation)."""
    return bool(getattr(user, "is_authenticated", False) and (user.is_platform_admin or authoring_organisations(user)))


def can_author_for(user: Any, organisation_id: int | None) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if organisation_id is None:
        return bool(user.is_platform_admin)
    return any(o.id == organisation_id for o in authoring_organisations(user))


def can_view_crosswalk(user: Any, crosswalk: Crosswalk) -> bool:
    if crosswalk.status == CrosswalkStatus.PUBLISHED:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if crosswalk.organisation_id is None:
        return bool(user.is_platform_admin)
    return crosswalk.organisation_id in _member_org_ids(user)


def can_edit_crosswalk(user: Any, crosswalk: Crosswalk) -> bool:
    return can_author_for(user, crosswalk.organisation_id)


def crosswalk_or_404(user: Any, crosswalk_id: int, action: Action = Action.VIEW) -> Crosswalk:
    crosswalk = db.session.get(Crosswalk, crosswalk_id)
    if crosswalk is None or not can_view_crosswalk(user, crosswalk):
        abort(404)
    if action == Action.MANAGE and not can_edit_crosswalk(user, crosswalk):
        abort(403)
    return crosswalk


def crosswalks_visible_to(user: Any) -> Select[Any]:
    """Published crosswalks, and the drafts of the user's organisations (and platform drafts for admins)."""
    drafts: ColumnElement[bool] = false()
    if getattr(user, "is_authenticated", False):
        own = select(Membership.organisation_id).where(Membership.user_id == user.id)
        drafts = Crosswalk.organisation_id.in_(own)
        if user.is_platform_admin:
            drafts = or_(drafts, Crosswalk.organisation_id.is_(None))
    return select(Crosswalk).where(or_(Crosswalk.status == CrosswalkStatus.PUBLISHED, drafts))
