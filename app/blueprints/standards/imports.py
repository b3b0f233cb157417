"""Importing a standard: upload → preview with every problem → confirm; all or nothing.

Platform administrators import platform-wide standards or standards private to any organisation; an
organisation's administrators import standards private to their organisation (app.authz.standards).
Nothing is written until the person confirms. The uploaded bytes wait on the server under their digest
between the preview and the confirmation (a browser would rewrite their line endings in a form field), so
what is confirmed is exactly what was previewed; the owner is checked again on confirming.
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.accounts.models import Organisation
from app.authz import can_import_for, import_owners, standards_importer_required
from app.blueprints.standards import bp
from app.blueprints.standards.import_forms import (
    PLATFORM_OWNER,
    StandardConfirmForm,
    StandardUploadForm,
    language_code,
    owner_id,
)
from app.extensions import db
from app.standards.importers import pending, service
from app.standards.importers.report import MAX_IMPORT_BYTES
from app.web import current_actor


def _folder() -> Path:
    return pending.folder(current_app.instance_path)


def _owner_choices() -> dict[str, str]:
    choices = {PLATFORM_OWNER: _("Everyone: a platform-wide standard")} if current_user.is_platform_admin else {}
    for org in import_owners(current_user):
        choices[str(org.id)] = _("Only the members of %(organisation)s", organisation=org.name)
    return choices


@bp.route("/import", methods=["GET", "POST"])
@standards_importer_required
def import_page() -> str | Response:
    if request.method == "POST" and "digest" in request.form:
        confirm = StandardConfirmForm()
        if not confirm.validate_on_submit():
            abort(400)
        if not can_import_for(current_user, owner_id(confirm.owner.data)):
            abort(403)
        return _apply(confirm)
    upload = StandardUploadForm()
    upload.owner.choices = _owner_choices()
    if request.method == "GET" and request.args.get("organisation") in upload.owner.choices:
        upload.owner.data = request.args["organisation"]
    elif not upload.owner.data:  # not chosen: platform-wide for platform admins, else their (first) organisation
        upload.owner.data = next(iter(upload.owner.choices), None)
    if upload.validate_on_submit():
        raw = upload.file.data.read(MAX_IMPORT_BYTES + 1)
        name = (upload.file.data.filename or "upload")[-200:]
        owner = owner_id(upload.owner.data)
        language = language_code(upload.language.data)
        result = service.preview(db.session, raw, name, upload.format.data or None, owner_id=owner, language=language)
        pending.sweep(_folder())
        if result.can_apply:
            pending.path(_folder(), result.digest).write_bytes(raw)
        return _preview(result, language)
    return render_template("standards/import.html", form=upload, limit=MAX_IMPORT_BYTES // (1024 * 1024))


def _preview(result: service.Preview, language: str | None) -> str:
    conversion = result.conversion
    owner = PLATFORM_OWNER if result.owner_id is None else str(result.owner_id)
    form = StandardConfirmForm(
        data={
            "digest": result.digest,
            "format": conversion.format or "",
            "name": conversion.name,
            "owner": owner,
            "language": language or "",
        }
    )
    organisation = db.session.get(Organisation, result.owner_id) if result.owner_id is not None else None
    return render_template(
        "standards/import_preview.html", result=result, form=form, spec=conversion.spec, organisation=organisation
    )


def _apply(confirm: StandardConfirmForm) -> str | Response:
    upload = pending.path(_folder(), confirm.digest.data)
    language = language_code(confirm.language.data)
    if not upload.is_file():
        flash(_("This preview has expired or was imported already. Upload the file again."), "error")
        return redirect(url_for("standards.import_page"))
    result = service.preview(
        db.session,
        upload.read_bytes(),
        confirm.name.data or "upload",
        confirm.format.data or None,
        owner_id=owner_id(confirm.owner.data),
        language=language,
    )
    if result.digest != confirm.digest.data or not result.can_apply:
        flash(
            _("The file or the standards changed since the preview. Check the new preview and confirm again."), "error"
        )
        return _preview(result, language)
    report = service.apply(db.session, current_actor(), result)
    upload.unlink(missing_ok=True)
    flash(_("%(code)s is imported: %(count)d elements.", code=report.framework, count=result.element_count), "success")
    return redirect(url_for("standards.framework_page", code=report.framework))
