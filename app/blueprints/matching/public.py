"""A job profile's public link: anyone may apply with Open Badges 3.0 credential files, no account needed.
Each file is verified; what verified is mapped onto the requirements, what did not is said, with why."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import select

from app.authz import public
from app.blueprints.matching import bp
from app.blueprints.matching.forms import CredentialApplicationForm
from app.domain import DomainError
from app.errors import not_found, show_refusal
from app.extensions import db, limiter
from app.matching import applications
from app.matching.models import Application, JobProfile, ProfileStatus
from app.web import current_actor

APPLY_LIMIT = "20 per hour"


def _open_profile(token: str) -> JobProfile:
    profile = db.session.scalar(
        select(JobProfile).where(JobProfile.public_token == token[:40], JobProfile.status == ProfileStatus.PUBLISHED)
    )
    if profile is None:
        raise not_found(_("This job profile is not open for applications, or the link is mistyped."))
    return profile


@bp.route("/apply/<token>", methods=["GET", "POST"])
@public
@limiter.limit(APPLY_LIMIT, methods=["POST"])
def public_apply(token: str) -> str | tuple[str, int]:
    profile = _open_profile(token)
    form = CredentialApplicationForm()
    done: Application | None = None
    if form.validate_on_submit():
        files = [
            applications.Upload(f.filename or "credential.json", f.read(applications.MAX_FILE_BYTES + 1))
            for f in (form.files.data or [])
            if getattr(f, "filename", None)
        ]
        try:
            done = applications.apply_with_credentials(
                db.session, current_actor(None), profile, name=form.name.data or "", email=form.email.data or "",
                files=files,
            )  # fmt: skip
        except DomainError as exc:
            show_refusal(exc, form)
    status = 400 if form.errors else 200
    return render_template("matching/apply.html", profile=profile, form=form, done=done), status
