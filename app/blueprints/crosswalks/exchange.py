"""Export a crosswalk (SSSOM TSV, CASE CFAssociations) and import one from SSSOM TSV."""

from __future__ import annotations

import json

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.authz import can_author_crosswalks, crosswalk_or_404, public
from app.blueprints.crosswalks import bp
from app.blueprints.crosswalks.forms import ImportForm
from app.blueprints.crosswalks.routes import owner_choices, owner_id
from app.crosswalks.exchange import case_associations, import_mapping_set, mapping_set
from app.crosswalks.sssom import export_sssom, parse_sssom
from app.domain import N_, DomainError
from app.errors import not_found, show_refusal
from app.extensions import db
from app.web import current_actor

MAX_IMPORT_BYTES = 4 * 1024 * 1024


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


@bp.route("/import", methods=["GET", "POST"])
def import_page() -> str | Response:
    if not can_author_crosswalks(current_user):
        abort(403)
    form = ImportForm()
    form.owner.choices = owner_choices(current_user)
    if form.validate_on_submit():
        raw = form.file.data.read(MAX_IMPORT_BYTES + 1)
        try:
            if len(raw) > MAX_IMPORT_BYTES:
                raise DomainError(N_("The file is larger than %(n)s MB."), field="file", n=MAX_IMPORT_BYTES // 2**20)
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            show_refusal(DomainError(N_("The file is not UTF-8 text."), field="file"), form)
            return render_template("crosswalks/import.html", form=form), 400  # type: ignore[return-value]
        except DomainError as exc:
            show_refusal(exc, form)
            return render_template("crosswalks/import.html", form=form), 400  # type: ignore[return-value]
        try:
            crosswalk = import_mapping_set(
                db.session, current_actor(), parse_sssom(text), form.name.data or "", owner_id(form.owner.data)
            )
        except DomainError as exc:
            show_refusal(exc, form)
            return render_template("crosswalks/import.html", form=form), 400  # type: ignore[return-value]
        flash(_("Imported as a draft: %(n)s links.", n=len(crosswalk.links)), "success")
        return redirect(url_for("crosswalks.show", crosswalk_id=crosswalk.id))
    return render_template("crosswalks/import.html", form=form)
