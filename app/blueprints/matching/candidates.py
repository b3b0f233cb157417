"""HR pages: the ranked candidates of a job profile, one candidate explained, two or three compared.
Every page that shows a person's record records the viewing (the learner sees it), so these GETs write."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from app.authz import job_profile_or_404
from app.blueprints.matching import bp
from app.extensions import db
from app.matching import queries
from app.matching.consents import ViewWhat, record_views
from app.matching.match import Match, Status
from app.matching.models import JobProfile
from app.matching.ranking import Ranking, rank_profile
from app.matching.standings import standings
from app.uow import writes_on_get
from app.web import current_actor

MAX_COMPARED = 3
PAGE_SIZE = 50


def candidate_ranking(profile: JobProfile, key: str) -> Ranking:
    """The ranking of one visible candidate ("u12": a person, "a3": a credential-only application), else 404."""
    kind, number = key[:1], key[1:]
    if kind not in ("u", "a") or not number.isdigit():
        abort(404)
    ranking = rank_profile(
        db.session,
        profile,
        user_id=int(number) if kind == "u" else None,
        application_id=int(number) if kind == "a" else None,
    )
    if not ranking.matches:
        abort(404)
    return ranking


def log_views(ranking: Ranking, matches: list[Match], what: str) -> None:
    consent_ids = [c for c in (ranking.candidate(m).consent_id for m in matches) if c is not None]
    record_views(
        db.session,
        current_actor(),
        consent_ids,
        what,
        organisation_id=ranking.profile.organisation_id,
        job_profile_id=ranking.profile.id,
        summary=f"{ranking.profile.title}: {', '.join(m.name for m in matches[:20])}",
    )


@bp.get("/job-profiles/<int:profile_id>/candidates")
@writes_on_get
def candidates(profile_id: int) -> str:
    """Everyone ranked on the compact figures; the page's rows shown (and recorded as viewed)."""
    profile = job_profile_or_404(current_user, profile_id)
    ranked = standings(db.session, profile)
    essentials, near = request.args.get("essentials") == "1", request.args.get("near") == "1"
    rows = ranked.keep(essentials_verified=essentials, one_level_gaps=near)
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(max(1, request.args.get("page", 1, type=int) or 1), pages)
    offset = (page - 1) * PAGE_SIZE
    shown = ranked.scores(rows[offset : offset + PAGE_SIZE])
    consent_ids = [c for c in (ranked.consents.get(s.candidate) for s in shown) if c is not None]
    names = ", ".join(s.name for s in shown[:20])
    record_views(db.session, current_actor(), consent_ids, ViewWhat.LIST, organisation_id=profile.organisation_id,
                 job_profile_id=profile.id, summary=f"{profile.title}: {names}")  # fmt: skip
    return render_template(
        "matching/candidates.html", profile=profile, shown=shown, essentials=essentials, near=near, Status=Status,
        total=len(rows), page=page, pages=pages, offset=offset,
    )  # fmt: skip


@bp.get("/job-profiles/<int:profile_id>/candidates/<key>")
@writes_on_get
def candidate(profile_id: int, key: str) -> str:
    profile = job_profile_or_404(current_user, profile_id)
    ranking = candidate_ranking(profile, key)
    log_views(ranking, ranking.matches, ViewWhat.CANDIDATE)
    return render_template(
        "matching/candidate.html", profile=profile, ranking=ranking, m=ranking.matches[0],
        c=ranking.candidate(ranking.matches[0]), sources=queries.explain(db.session, ranking), Status=Status,
        links=queries.crosswalk_links(db.session, ranking),
    )  # fmt: skip


@bp.get("/job-profiles/<int:profile_id>/compare")
@writes_on_get
def compare(profile_id: int) -> str:
    profile = job_profile_or_404(current_user, profile_id)
    wanted = list(dict.fromkeys(request.args.getlist("c")))[:MAX_COMPARED]
    ranking = rank_profile(db.session, profile, keys=wanted)
    by_key = {str(m.candidate): m for m in ranking.matches}
    chosen = [by_key[k] for k in wanted if k in by_key]
    log_views(ranking, chosen, ViewWhat.COMPARE)
    return render_template("matching/compare.html", profile=profile, ranking=ranking, chosen=chosen, Status=Status)
