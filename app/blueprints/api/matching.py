"""JSON API over job profiles and their ranked candidates (token scope ``matching:read``, HR of the employer).
Only people with an active consent and credential-only applicants appear; every answer naming people is
recorded as a viewing, like the pages."""

from __future__ import annotations

from typing import Any

from flask import g, request
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import ApiScope
from app.audit import Actor
from app.authz import api_token, can_manage_job_profiles
from app.blueprints.api import bp
from app.errors import json_error
from app.extensions import db
from app.matching.consents import ViewWhat, record_views
from app.matching.match import Line, Match
from app.matching.models import JobProfile
from app.matching.queries import hr_organisations, profile_options
from app.matching.ranking import Ranking, rank_profile
from app.matching.standings import standings

PER_PAGE, MAX_PER_PAGE = 100, 500


def _profile_dict(profile: JobProfile, detail: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": profile.id,
        "title": profile.title,
        "status": profile.status,
        "organisation": profile.organisation.name,
        "requirement_count": len(profile.requirements),
    }
    if detail:
        data["description"] = profile.description
        data["requirements"] = [
            {
                "element": {"framework": r.element.framework.code, "key": r.element.key, "title": r.element.title},
                "required_level": (r.level.code or r.level.label) if r.level else None,
                "weight": r.weight,
            }
            for r in profile.requirements
        ]
    return data


def _line_dict(ranking: Ranking, line: Line) -> dict[str, Any]:
    framework, key, _label = ranking.found.labels[line.need.element_id]
    source: dict[str, Any] | None = None
    if line.evidence is not None:
        source = {"kind": line.evidence.kind.value, "ref": line.evidence.ref}
        if line.via is not None:
            via_fw, via_key, _via_label = ranking.found.labels.get(line.via.element_id, ("", "", ""))
            source["via"] = {"ref": line.via.ref, "relation": line.via.label, "framework": via_fw, "key": via_key,
                             "crosswalk_links": list(line.via.links)}  # fmt: skip
    return {
        "element": {"framework": framework, "key": key},
        "required_level": line.need.level_code,
        "weight": line.need.weight,
        "status": line.status.value,
        "achieved_level": line.evidence.level_code if line.evidence is not None else None,
        "source": source,
    }


def _candidate_dict(ranking: Ranking, m: Match) -> dict[str, Any]:
    return {
        "id": str(m.candidate),
        "name": m.name,
        "kind": "person" if ranking.candidate(m).user_id else "credential_application",
        "fit": round(m.fit, 4) if m.fit is not None else None,
        "coverage": round(m.coverage, 4) if m.coverage is not None else None,
        "requirements": [_line_dict(ranking, line) for line in m.lines],
    }


def _own_profile(profile_id: int) -> JobProfile | None:
    profile = db.session.scalar(select(JobProfile).where(JobProfile.id == profile_id).options(*profile_options()))
    return profile if profile is not None and can_manage_job_profiles(g.api_user, profile.organisation) else None


@bp.get("/job-profiles")
@api_token(ApiScope.MATCHING_READ)
def job_profiles() -> dict[str, Any]:
    org_ids = [o.id for o in hr_organisations(db.session, g.api_user)]
    profiles = db.session.scalars(
        select(JobProfile).where(JobProfile.organisation_id.in_(org_ids)).options(*profile_options())
        .order_by(JobProfile.title)
    )  # fmt: skip
    return {"job_profiles": [_profile_dict(p, detail=False) for p in profiles]}


@bp.get("/job-profiles/<int:profile_id>")
@api_token(ApiScope.MATCHING_READ)
def job_profile(profile_id: int) -> Any:
    profile = _own_profile(profile_id)
    if profile is None:
        return json_error(404, _("unknown job profile: %(id)s", id=profile_id))
    return _profile_dict(profile, detail=True)


@bp.get("/job-profiles/<int:profile_id>/matches")
@api_token(ApiScope.MATCHING_READ)
def job_profile_matches(profile_id: int) -> Any:
    profile = _own_profile(profile_id)
    if profile is None:
        return json_error(404, _("unknown job profile: %(id)s", id=profile_id))
    ranked = standings(db.session, profile)
    per_page = min(max(1, request.args.get("per_page", PER_PAGE, type=int) or PER_PAGE), MAX_PER_PAGE)
    page = max(1, request.args.get("page", 1, type=int) or 1)
    rows = ranked.order[(page - 1) * per_page : page * per_page]
    keys = [ranked.table.keys[i] for i in rows]
    ranking = rank_profile(db.session, profile, keys=keys)  # every line explained, for this page only
    by_key = {str(m.candidate): m for m in ranking.matches}
    matches = [by_key[k] for k in keys if k in by_key]
    consent_ids = [c for c in (ranking.candidate(m).consent_id for m in matches) if c is not None]
    record_views(db.session, Actor(user=g.api_user, user_agent="api"), consent_ids, ViewWhat.API,
                 organisation_id=profile.organisation_id, job_profile_id=profile.id,
                 summary=f"{profile.title}: {len(matches)} candidates (API)")  # fmt: skip
    return {
        "job_profile": profile.id,
        "total": len(ranked.order),
        "page": page,
        "per_page": per_page,
        "candidates": [_candidate_dict(ranking, m) for m in matches],
    }
