"""The map as XLSX: export it, and import it with a preview (upload → each change and each problem with its
sheet and row → confirm by digest → all or nothing). The uploaded bytes wait on the server under their
digest between the preview and the confirmation, so what is confirmed is exactly what was previewed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.authz import Action, curriculum_or_404
from app.blueprints.curriculum import bp
from app.blueprints.curriculum.common import me, plan_for_request
from app.blueprints.curriculum.documents import XLSX
from app.blueprints.curriculum.forms import MapConfirmForm, MapUploadForm
from app.curriculum import mapimport
from app.curriculum.mapfile import MAX_MAP_BYTES, MAX_MAP_ROWS, map_xlsx
from app.curriculum.models import Curriculum
from app.curriculum.queries import Plan
from app.domain import DomainError
from app.downloads import send_download
from app.errors import show_refusal
from app.extensions import db
from app.web import current_actor


def _pending(curriculum: Curriculum, digest: str) -> Path:
    folder = Path(current_app.instance_path) / "curriculum-map-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{curriculum.id}-{digest}.xlsx"  # the digest is 64 hex digits (the form checks it)


@bp.get("/<int:curriculum_id>/map.xlsx")
def map_export(curriculum_id: int) -> Response:
    curriculum = curriculum_or_404(me(), curriculum_id)
    plan, _further = plan_for_request(curriculum)
    name = f"{curriculum.title} {curriculum.cohort_year} v{curriculum.version} {plan.framework.code} map.xlsx"
    return send_download(map_xlsx(plan), name, XLSX, fallback="map")


def _page(plan: Plan, further: list, upload: MapUploadForm, result: Any = None, stale: bool = False) -> str:
    confirm = MapConfirmForm(formdata=None, data={"digest": result.digest}) if result is not None else None
    return render_template(
        "curriculum/map_import.html",
        curriculum=plan.curriculum,
        plan=plan,
        further=further,
        form=upload,
        confirm=confirm,
        result=result,
        limit=MAX_MAP_BYTES // 2**20,
        max_rows=MAX_MAP_ROWS,
        stale=stale,
    )


@bp.route("/<int:curriculum_id>/map/import", methods=["GET", "POST"])
def map_import(curriculum_id: int) -> str | Response:
    curriculum = curriculum_or_404(me(), curriculum_id, Action.MANAGE)
    plan, further = plan_for_request(curriculum)
    upload = MapUploadForm()
    if request.method == "POST" and "digest" in request.form:
        return _confirm(plan, further, upload)
    if upload.validate_on_submit():
        raw = upload.file.data.read(MAX_MAP_BYTES + 1)
        try:
            result = mapimport.preview(plan, raw)
        except DomainError as exc:
            show_refusal(exc, upload)
            return _page(plan, further, upload)
        if result.can_apply:
            _pending(curriculum, result.digest).write_bytes(raw)
        return _page(plan, further, upload, result)
    return _page(plan, further, upload)


def _confirm(plan: Plan, further: list, upload: MapUploadForm) -> str | Response:
    curriculum = plan.curriculum
    confirm = MapConfirmForm()
    pending = _pending(curriculum, confirm.digest.data) if confirm.validate_on_submit() else None
    if pending is None or not pending.is_file():
        flash(_("This preview has expired or was imported already. Upload the file again."), "error")
        return _page(plan, further, upload)
    raw = pending.read_bytes()
    try:
        result = mapimport.preview(plan, raw)
    except DomainError as exc:
        show_refusal(exc)
        return _page(plan, further, upload)
    if result.digest != confirm.digest.data or not result.can_apply:
        if result.can_apply:
            _pending(curriculum, result.digest).write_bytes(raw)
        pending.unlink(missing_ok=True)
        return _page(plan, further, upload, result, stale=True)
    counts = mapimport.apply(db.session, current_actor(), plan, result)
    pending.unlink(missing_ok=True)
    flash(_("Saved: %(added)s added, %(changed)s changed, %(removed)s removed.", **counts), "success")
    args: dict[str, Any] = {"framework": request.args.get("framework") or None}
    return redirect(url_for("curriculum.grid", curriculum_id=curriculum.id, **args))
