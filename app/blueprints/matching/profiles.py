"""HR pages: an employer's job profiles, made from a standard or by hand, and their requirements."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.authz import employer_or_404, job_profile_or_404, requirement_or_404
from app.blueprints.matching import bp
from app.blueprints.matching.common import level_choices, parse_level, source_choices
from app.blueprints.matching.forms import (
    AcceptProposalsForm,
    FromStandardForm,
    JobProfileForm,
    RequirementEditForm,
    RequirementForm,
    VacancyForm,
)
from app.domain import DomainError
from app.errors import show_refusal
from app.extensions import db
from app.matching import job_profiles as verbs
from app.matching import queries
from app.matching.models import JobProfile
from app.matching.scales import element_scales
from app.matching.vacancy import Proposals
from app.standards.queries import Audience, get_framework, search
from app.urls import public_url
from app.web import current_actor


@bp.get("/employers/")
def employers() -> str | Response:
    orgs = queries.hr_organisations(db.session, current_user)
    if len(orgs) == 1:
        return redirect(url_for("matching.job_profiles", org_id=orgs[0].id))
    return render_template("matching/employers.html", orgs=orgs)


@bp.route("/employers/<int:org_id>/job-profiles", methods=["GET", "POST"])
def job_profiles(org_id: int) -> str | Response:
    org = employer_or_404(current_user, org_id)
    form = JobProfileForm(prefix="new")
    standard = FromStandardForm(prefix="std")
    standard.source.choices = source_choices(Audience.of_owner(org.id))
    if form.validate_on_submit():
        try:
            data = verbs.ProfileData(form.title.data or "", form.description.data or "")
            profile = verbs.create_job_profile(db.session, current_actor(), org, data)
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            return redirect(url_for("matching.job_profile", profile_id=profile.id))
    rows = queries.job_profiles_of(db.session, org)
    return render_template("matching/job_profiles.html", org=org, rows=rows, form=form, standard=standard)


@bp.post("/employers/<int:org_id>/job-profiles/from-standard")
def from_standard(org_id: int) -> Response:
    org = employer_or_404(current_user, org_id)
    form = FromStandardForm(prefix="std")
    code, _sep, part = (form.source.data or "").partition(":")
    audience = Audience.of_owner(org.id)
    framework = get_framework(db.session, code, audience=audience) if form.validate_on_submit() else None
    if framework is None:
        flash(_("Choose a standard to start from."), "error")
        return redirect(url_for("matching.job_profiles", org_id=org.id))
    try:
        profile = verbs.from_standard(db.session, current_actor(), org, framework, part or None)
    except DomainError as exc:
        show_refusal(exc)
        return redirect(url_for("matching.job_profiles", org_id=org.id))
    flash(_("Job profile made from the standard: check the levels and weights."), "success")
    return redirect(url_for("matching.job_profile", profile_id=profile.id))


@bp.route("/job-profiles/<int:profile_id>", methods=["GET", "POST"])
def job_profile(profile_id: int) -> str | Response:
    profile = job_profile_or_404(current_user, profile_id)
    form = JobProfileForm(obj=profile)
    if request.method == "GET":
        form.published.data = profile.published
    if form.validate_on_submit():
        try:
            data = verbs.ProfileData(form.title.data or "", form.description.data or "")
            verbs.update_job_profile(db.session, current_actor(), profile, data, bool(form.published.data))
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("matching.job_profile", profile_id=profile.id))
    return render_profile(profile, form)


def render_profile(
    profile: JobProfile, form: JobProfileForm, vacancy: VacancyForm | None = None, proposals: Proposals | None = None
) -> str:
    """The job profile page: its form, the standards search, the vacancy text and its proposals, the
    requirements with their level and weight."""
    query = request.args.get("q", "").strip()[:200]
    hits = search(db.session, query, 25, audience=Audience.of_owner(profile.organisation_id)).hits if query else []
    scales = element_scales(db.session, [r.element_id for r in profile.requirements])
    edits = {}
    for r in profile.requirements:
        edit = RequirementEditForm(prefix=f"r{r.id}", level=str(r.level.value) if r.level else "", weight=r.weight)
        edit.level.choices = level_choices(scales[r.element_id])
        edits[r.id] = edit
    return render_template(
        "matching/job_profile.html", profile=profile, form=form, edits=edits, query=query, hits=hits,
        add=RequirementForm(), public_link=public_url("matching.public_apply", token=profile.public_token),
        vacancy=vacancy or VacancyForm(prefix="v"), proposals=proposals, accept=AcceptProposalsForm(prefix="p"),
    )  # fmt: skip


@bp.post("/job-profiles/<int:profile_id>/requirements")
def add_requirement(profile_id: int) -> Response:
    profile = job_profile_or_404(current_user, profile_id)
    form = RequirementForm()
    code, _sep, key = (form.element.data or "").partition("|")
    audience = Audience.of_owner(profile.organisation_id)
    element = verbs.element_by_ref(db.session, code, key, audience) if form.validate_on_submit() else None
    if element is None:
        flash(_("Choose an element from the search results."), "error")
    else:
        try:
            verbs.add_requirement(
                db.session, current_actor(), profile, element, parse_level(form.level.data), form.weight.data
            )
        except DomainError as exc:
            show_refusal(exc)
        else:
            flash(_("Requirement added."), "success")
    return redirect(url_for("matching.job_profile", profile_id=profile.id, q=request.form.get("q") or None))


@bp.post("/job-profiles/<int:profile_id>/requirements/<int:requirement_id>")
def update_requirement(profile_id: int, requirement_id: int) -> Response:
    profile = job_profile_or_404(current_user, profile_id)
    requirement = requirement_or_404(profile, requirement_id)
    form = RequirementEditForm(prefix=f"r{requirement.id}")
    try:
        if not form.validate_on_submit():
            raise verbs.MatchingError(verbs.N_("choose essential or optional"), field="weight")
        verbs.update_requirement(
            db.session, current_actor(), requirement, parse_level(form.level.data), form.weight.data
        )
    except DomainError as exc:
        show_refusal(exc)
    else:
        flash(_("Requirement saved."), "success")
    return redirect(url_for("matching.job_profile", profile_id=profile.id) + f"#req-{requirement.id}")


@bp.post("/job-profiles/<int:profile_id>/requirements/<int:requirement_id>/remove")
def remove_requirement(profile_id: int, requirement_id: int) -> Response:
    profile = job_profile_or_404(current_user, profile_id)
    verbs.remove_requirement(db.session, current_actor(), requirement_or_404(profile, requirement_id))
    flash(_("Requirement removed."), "success")
    return redirect(url_for("matching.job_profile", profile_id=profile.id))


@bp.post("/job-profiles/<int:profile_id>/delete")
def delete_job_profile(profile_id: int) -> Response:
    profile = job_profile_or_404(current_user, profile_id)
    org_id = profile.organisation_id
    verbs.delete_job_profile(db.session, current_actor(), profile)
    flash(_("Job profile deleted."), "success")
    return redirect(url_for("matching.job_profiles", org_id=org_id))
