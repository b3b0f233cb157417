"""Importing a standard (platform admins): upload → preview with every problem → confirm; all or nothing.

Nothing is written until the person confirms. The uploaded bytes wait on the server under their digest
between the preview and the confirmation (a browser would rewrite their line endings in a form field), so
what is confirmed is exactly what was previewed.
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.authz import platform_admin_required
from app.blueprints.standards import bp
from app.blueprints.standards.import_forms import StandardConfirmForm, StandardUploadForm
from app.extensions import db
from app.standards.importers import service
from app.standards.importers.report import MAX_IMPORT_BYTES
from app.web import current_actor


def _pending(digest: str) -> Path:
    folder = Path(current_app.instance_path) / "standard-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{digest}.upload"  # the digest is 64 hex digits (checked by the form or computed here)


@bp.route("/import", methods=["GET", "POST"])
@platform_admin_required
def import_page() -> str | Response:
    if request.method == "POST" and "digest" in request.form:
        confirm = StandardConfirmForm()
        if not confirm.validate_on_submit():
            abort(400)
        return _apply(confirm)
    upload = StandardUploadForm()
    if upload.validate_on_submit():
        raw = upload.file.data.read(MAX_IMPORT_BYTES + 1)
        name = (upload.file.data.filename or "upload")[-200:]
        result = service.preview(db.session, raw, name, upload.format.data or None)
        if result.can_apply:
            _pending(result.digest).write_bytes(raw)
        return _preview(result)
    return render_template("standards/import.html", form=upload, limit=MAX_IMPORT_BYTES // (1024 * 1024))


def _preview(result: service.Preview) -> str:
    conversion = result.conversion
    form = StandardConfirmForm(
        data={"digest": result.digest, "format": conversion.format or "", "name": conversion.name}
    )
    return render_template("standards/import_preview.html", result=result, form=form, spec=conversion.spec)


def _apply(confirm: StandardConfirmForm) -> str | Response:
    pending = _pending(confirm.digest.data)
    if not pending.is_file():
        flash(_("This preview has expired or was imported already. Upload the file again."), "error")
        return redirect(url_for("standards.import_page"))
    result = service.preview(
        db.session, pending.read_bytes(), confirm.name.data or "upload", confirm.format.data or None
    )
    if result.digest != confirm.digest.data or not result.can_apply:
        flash(
            _("The file or the standards changed since the preview. Check the new preview and confirm again."), "error"
        )
        return _preview(result)
    report = service.apply(db.session, current_actor(), result)
    pending.unlink(missing_ok=True)
    flash(_("%(code)s is imported: %(count)d elements.", code=report.framework, count=result.element_count), "success")
    return redirect(url_for("standards.framework_page", code=report.framework))
