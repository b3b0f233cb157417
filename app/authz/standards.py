"""Standards: who manages a standard's versions and mappings.

Platform admins manage every standard. ``can_manage_standard`` is the one place to extend when standards
private to an organisation exist (their organisation's admins will manage them too).
"""

from __future__ import annotations

from flask import abort

from app.accounts.models import User
from app.extensions import db
from app.standards.models import Framework
from app.versioning.models import VersionMapping


def can_manage_standard(user: User, framework: Framework) -> bool:
    return bool(user.is_authenticated and user.is_platform_admin)


def mapping_or_404(user: User, mapping_id: int) -> VersionMapping:
    """A version mapping that ``user`` may review and confirm."""
    mapping = db.session.get(VersionMapping, mapping_id)
    if mapping is None:
        abort(404)
    if not can_manage_standard(user, mapping.from_framework):
        abort(403)
    return mapping
