"""Export a crosswalk (SSSOM TSV, CASE CFAssociations) and import one from SSSOM TSV: upload → preview with
every problem and its line → confirm. Nothing is written before the confirmation; the uploaded bytes wait on
the server under their digest in between (a form field would rewrite their line endings), so what is
confirmed is exactly what was previewed, and the owner is checked again on confirming."""

from __future__ import annotations

import json
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.authz import can_author_crosswalks, crosswalk_or_404, public
from app.blueprints.crosswalks import bp
from app.blueprints.crosswalks.forms import ImportConfirmForm, ImportForm
from app.blueprints.crosswalks.routes import owner_choices, owner_id
from app.crosswalks.exchange import case_associations, mapping_set
from app.crosswalks.imports import MAX_IMPORT_BYTES, ImportPreview, apply_import, preview_import
from app.crosswalks.sssom import export_sssom
from app.errors import not_found
from app.extensions import db
from app.web import current_actor


def _base() -> str:
    return str(current_app.config["PUBLIC_BASE_URL"]).rstrip("/")


@bp.get("/<int:crosswalk_id>/export/<fmt>")
@public
def export(crosswalk_id: int, fmt: str) -> Response:
    crosswalk = crosswalk_or_404(current_user, crosswalk_id)
    if fmt == "sssom":
        body, mimetype, name = (
            export_sssom(mapping_set(db.session, crosswalk, _base())),
            "text/tab-separated-values",
            "sssom.tsv",
        )
    elif fmt == "case":
        data = case_associations(db.session, crosswalk, _base())
        body, mimetype, name = json.dumps(data, ensure_ascii=False, indent=2), "application/json", "case.json"
    else:
        raise not_found(_("unknown export format: %(format)s", format=fmt))
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="crosswalk-{crosswalk.id}.{name}"'
    return response


def _pending(digest: str) -> Path:
    folder = Path(current_app.instance_path) / "crosswalk-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{digest}.tsv"  # the digest is 64 hex digits (checked by the form or computed here)


@bp.route("/import", methods=["GET", "POST"])
def import_page() -> str | Response | tuple[str, int]:
    """Upload → preview (every problem, with its line; nothing written) → confirm by digest."""
    if not can_author_crosswalks(current_user):
        abort(403)
    if request.method == "POST" and "digest" in request.form:
        return _confirm()
    form = ImportForm()
    form.owner.choices = owner_choices(current_user)
    if not form.validate_on_submit():
        return render_template("crosswalks/import.html", form=form), 400 if form.is_submitted() else 200
    raw = form.file.data.read(MAX_IMPORT_BYTES + 1)
    preview = preview_import(db.session, raw, form.name.data or "", owner_id(form.owner.data))
    if preview.can_apply:
        _pending(preview.digest).write_bytes(raw)
    return _preview(preview)


def _preview(preview: ImportPreview) -> tuple[str, int]:
    confirm = ImportConfirmForm(
        data={"digest": preview.digest, "name": preview.name, "owner": str(preview.owner_id or "")}
    )
    return render_template("crosswalks/import_preview.html", preview=preview, form=confirm), (
        200 if preview.can_apply else 400
    )


def _confirm() -> Response | tuple[str, int]:
    confirm = ImportConfirmForm()
    if not confirm.validate_on_submit():
        abort(400)
    owner = owner_id(confirm.owner.data)  # checked again: 403 if the person may no longer author for it
    pending = _pending(confirm.digest.data or "")
    if not pending.is_file():
        flash(_("This preview has expired or was imported already. Upload the file again."), "error")
        return redirect(url_for("crosswalks.import_page"))
    preview = preview_import(db.session, pending.read_bytes(), confirm.name.data or "", owner)
    if preview.digest != confirm.digest.data or not preview.can_apply:
        flash(
            _("The file or the standards changed since the preview. Check the new preview and confirm again."), "error"
        )
        return _preview(preview)
    crosswalk = apply_import(db.session, current_actor(), preview)
    pending.unlink(missing_ok=True)
    flash(_("Imported as a draft: %(n)s links.", n=len(crosswalk.links)), "success")
    return redirect(url_for("crosswalks.show", crosswalk_id=crosswalk.id))
