"""Read-only JSON API over crosswalks: the published ones and the token holder's organisations' drafts."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_babel import gettext as _

from app.accounts.models import ApiScope
from app.authz import api_token, can_view_crosswalk, crosswalks_visible_to
from app.blueprints.api import bp
from app.crosswalks.models import Crosswalk
from app.crosswalks.queries import list_crosswalks, load_links
from app.errors import json_error
from app.extensions import db


def _summary(crosswalk: Crosswalk, link_count: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": crosswalk.id,
        "name": crosswalk.name,
        "source": crosswalk.source_framework.code,
        "target": crosswalk.target_framework.code,
        "status": crosswalk.status,
        "owner": crosswalk.organisation.name if crosswalk.organisation else None,
        "platform_wide": crosswalk.organisation_id is None,
        "editorial": crosswalk.editorial,
        "source_ref": crosswalk.source_ref,
        "description": crosswalk.description,
        "updated_at": crosswalk.updated_at.isoformat(),
        "published_at": crosswalk.published_at.isoformat() if crosswalk.published_at else None,
    }
    if link_count is not None:
        data["link_count"] = link_count
    return data


@bp.get("/crosswalks")
@api_token(ApiScope.CROSSWALKS_READ)
def crosswalks() -> dict[str, Any]:
    rows = list_crosswalks(db.session, crosswalks_visible_to(g.api_user))
    return {"crosswalks": [_summary(r.crosswalk, r.link_count) for r in rows]}


@bp.get("/crosswalks/<int:crosswalk_id>")
@api_token(ApiScope.CROSSWALKS_READ)
def crosswalk(crosswalk_id: int) -> Any:
    found = db.session.get(Crosswalk, crosswalk_id)
    if found is None or not can_view_crosswalk(g.api_user, found):
        return json_error(404, _("unknown crosswalk: %(id)s", id=crosswalk_id))
    source, target = found.source_framework.code, found.target_framework.code
    links = [
        {
            "subject": {"framework": source, "key": link.subject.key},
            "relation": link.relation,
            "object": {"framework": target, "key": link.object.key},
            "condition": {
                "min_level": (
                    {"scale": link.min_level.scale.code, "level": link.min_level.value, "code": link.min_level.code}
                    if link.min_level
                    else None
                ),
                "text": link.condition_text or None,
            }
            if (link.min_level_id or link.condition_text)
            else None,
            "confidence": link.confidence,
            "note": link.note,
            "suggested": link.suggested,
        }
        for link in load_links(db.session, found)
    ]
    return {**_summary(found), "links": links}
