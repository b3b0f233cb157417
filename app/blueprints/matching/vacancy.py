"""HR pages: requirements proposed from a vacancy text, accepted or left out (app.matching.vacancy).
Proposing changes nothing (a POST only because a vacancy does not fit in a URL); accepting adds them."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from app.authz import job_profile_or_404
from app.blueprints.matching import bp
from app.blueprints.matching.forms import AcceptProposalsForm, JobProfileForm, VacancyForm
from app.blueprints.matching.profiles import render_profile
from app.domain import DomainError
from app.errors import show_refusal
from app.extensions import db
from app.matching import vacancy
from app.web import current_actor


@bp.post("/job-profiles/<int:profile_id>/vacancy")
def propose_from_vacancy(profile_id: int) -> str:
    profile = job_profile_or_404(current_user, profile_id)
    form = VacancyForm(prefix="v")
    proposals = None
    if form.validate_on_submit():
        try:
            proposals = vacancy.propose(db.session, profile, form.text.data or "")
        except DomainError as exc:
            show_refusal(exc, form)
    return render_profile(profile, JobProfileForm(obj=profile, formdata=None), form, proposals)


@bp.post("/job-profiles/<int:profile_id>/vacancy/accept")
def accept_proposals(profile_id: int) -> Response:
    profile = job_profile_or_404(current_user, profile_id)
    form = AcceptProposalsForm(prefix="p")
    try:
        if not form.validate_on_submit():
            raise vacancy.MatchingError(vacancy.N_("choose at least one proposed requirement"), field="element")
        added = vacancy.accept(db.session, current_actor(), profile, list(form.element.data or []))
    except DomainError as exc:
        show_refusal(exc)
    else:
        flash(ngettext("%(num)s requirement added.", "%(num)s requirements added.", added), "success")
    return redirect(url_for("matching.job_profile", profile_id=profile.id) + "#requirements")
