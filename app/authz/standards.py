"""Standards: who sees a standard private to an organisation, who imports standards for whom, and who
manages a standard's versions and mappings.

The rule itself is ``app.standards.queries.Audience`` (one predicate and the same WHERE clause): a
platform-wide standard is seen by everyone; a private one by the members of its organisation (any role)
and by platform administrators. Everyone else is told it does not exist (404), so its code does not leak.
Platform administrators import and manage platform-wide standards and standards for any organisation; an
organisation's administrators import and manage standards private to that organisation, and only there.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from app.accounts.models import Membership, Organisation, Role, User
from app.authz.routes import F
from app.extensions import db, login_manager
from app.standards.models import Framework
from app.standards.queries import EVERYONE, PUBLIC, Audience
from app.versioning.models import VersionMapping


def audience_of(user: User | None) -> Audience:
    """What ``user`` may see of the standards (anonymous: platform-wide ones only)."""
    if user is None or not user.is_authenticated:
        return PUBLIC
    if user.is_platform_admin:
        return EVERYONE
    return Audience(frozenset(m.organisation_id for m in user.memberships))


def can_see_framework(user: User | None, framework: Framework) -> bool:
    return audience_of(user).sees(framework)


def import_owners(user: User) -> list[Organisation]:
    """The organisations for which ``user`` may import a private standard (every one for platform admins)."""
    if not user.is_authenticated:
        return []
    query = select(Organisation).order_by(Organisation.name)
    if not user.is_platform_admin:
        admin_of = select(Membership.organisation_id).where(
            Membership.user_id == user.id, Membership.role == Role.ORG_ADMIN.value
        )
        query = query.where(Organisation.id.in_(admin_of))
    return list(db.session.scalars(query))


def can_import_standards(user: User) -> bool:
    return bool(
        user.is_authenticated and (user.is_platform_admin or any(m.role == Role.ORG_ADMIN for m in user.memberships))
    )


def can_import_for(user: User, organisation_id: int | None) -> bool:
    """May ``user`` import (create or update) a standard owned by ``organisation_id`` (None: platform-wide)?"""
    if not user.is_authenticated:
        return False
    if user.is_platform_admin:
        return True
    return organisation_id is not None and Role.ORG_ADMIN in user.roles_in(organisation_id)


def can_manage_framework(user: User, framework: Framework) -> bool:
    return can_import_for(user, framework.organisation_id)


def standards_importer_required(view: F) -> F:
    """Route level: platform administrators and organisation administrators (each for their own standards)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not can_import_standards(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def can_manage_standard(user: User, framework: Framework) -> bool:
    """May ``user`` propose, review and confirm version mappings of ``framework``?"""
    return bool(user.is_authenticated) and can_manage_framework(user, framework)


def mapping_or_404(user: User, mapping_id: int) -> VersionMapping:
    """A version mapping that ``user`` may review and confirm (unseen standards: as if absent)."""
    mapping = db.session.get(VersionMapping, mapping_id)
    if mapping is None or not can_see_framework(user, mapping.from_framework):
        abort(404)
    if not can_manage_standard(user, mapping.from_framework):
        abort(403)
    return mapping
