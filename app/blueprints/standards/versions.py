"""Versions of a standard: what changed between two (public), and the mapping a platform admin reviews and
confirms so cohorts can move from one to the other."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.accounts.models import User
from app.authz import can_manage_standard, mapping_or_404, public
from app.blueprints.standards import bp
from app.blueprints.standards.routes import _framework_or_404
from app.blueprints.standards.version_forms import ConfirmMappingForm, MappingRowForm, ProposeMappingForm
from app.extensions import db
from app.standards.models import Framework
from app.standards.versions import version_in_url, versions_of
from app.versioning import mapping as mapping_service
from app.versioning.diff import Change
from app.versioning.models import MappingRow
from app.versioning.proposal import Relation
from app.versioning.queries import diff_versions, mapping_between, mapping_rows
from app.web import current_actor

DIFF_PAGE_SIZE = 500


def _me() -> User:
    return current_user._get_current_object()


def _pair(code: str) -> tuple[Framework, Framework]:
    """The two versions named by ?from= and ?to= (default: the one before the current, and the current)."""
    versions = versions_of(db.session, code)
    if not versions:
        _framework_or_404(code)
    if len(versions) < 2 and not (request.args.get("from") and request.args.get("to")):
        abort(404)
    old = _framework_or_404(code, request.args.get("from") or version_in_url(versions[1].version))
    new = _framework_or_404(code, request.args.get("to") or version_in_url(versions[0].version))
    return old, new


@bp.get("/<code>/diff")
@public
def diff_page(code: str) -> str:
    old, new = _pair(code)
    result = diff_versions(db.session, old, new)
    show = request.args.get("show", "")
    wanted = [c for c in Change if c.value == show] or [c for c in Change if c != Change.UNCHANGED]
    entries = result.of(*wanted)
    mapping = mapping_between(db.session, old, new)
    return render_template(
        "standards/diff.html",
        old=old,
        new=new,
        counts=result.counts(),
        entries=entries[:DIFF_PAGE_SIZE],
        hidden=max(len(entries) - DIFF_PAGE_SIZE, 0),
        show=show,
        mapping=mapping,
        can_manage=can_manage_standard(_me(), new),
        form=ProposeMappingForm(
            data={"from_version": version_in_url(old.version), "to_version": version_in_url(new.version)}
        ),
    )


@bp.post("/<code>/mapping")
def propose_mapping(code: str) -> Response:
    form = ProposeMappingForm()
    if not form.validate_on_submit():
        abort(400)
    old = _framework_or_404(code, form.from_version.data)
    new = _framework_or_404(code, form.to_version.data)
    if not can_manage_standard(_me(), new):
        abort(403)
    mapping = mapping_service.propose_mapping(db.session, current_actor(), old, new)
    return redirect(url_for("standards.mapping_page", mapping_id=mapping.id))


@bp.get("/mappings/<int:mapping_id>")
def mapping_page(mapping_id: int) -> str:
    mapping = mapping_or_404(_me(), mapping_id)
    rows = mapping_rows(db.session, mapping)
    show = request.args.get("show", "review")
    shown = _filter_rows(rows, show)
    counts = {r: sum(1 for x in rows if x.relation == r) for r in Relation}
    return render_template(
        "standards/mapping.html",
        mapping=mapping,
        old=mapping.from_framework,
        new=mapping.to_framework,
        rows=shown[:DIFF_PAGE_SIZE],
        hidden=max(len(shown) - DIFF_PAGE_SIZE, 0),
        total=len(rows),
        counts=counts,
        show=show,
        row_form=MappingRowForm,
        confirm_form=ConfirmMappingForm(),
    )


def _filter_rows(rows: list[MappingRow], show: str) -> list[MappingRow]:
    if show == "all":
        return rows
    if show in {r.value for r in Relation}:
        return [r for r in rows if r.relation == show]
    # By default what needs a person's eye: everything but unchanged exact matches, and rows changed by hand.
    return [r for r in rows if r.relation != Relation.EXACT or r.changed_by_reviewer]


@bp.post("/mappings/<int:mapping_id>/rows/<int:row_id>")
def change_mapping_row(mapping_id: int, row_id: int) -> Response:
    mapping = mapping_or_404(_me(), mapping_id)
    row = db.session.get(MappingRow, row_id)
    if row is None or row.mapping_id != mapping.id:
        abort(404)
    form = MappingRowForm()
    if not form.validate_on_submit():
        abort(400)
    mapping_service.change_row(db.session, current_actor(), row, form.relation.data, form.successor.data)
    flash(_("The row of %(key)s is changed.", key=row.old_element.key), "success")
    return redirect(url_for("standards.mapping_page", mapping_id=mapping.id, show=request.args.get("show", "review")))


@bp.post("/mappings/<int:mapping_id>/confirm")
def confirm_mapping(mapping_id: int) -> Response:
    mapping = mapping_or_404(_me(), mapping_id)
    if not ConfirmMappingForm().validate_on_submit():
        abort(400)
    mapping_service.confirm_mapping(db.session, current_actor(), mapping)
    flash(
        _(
            "The mapping is confirmed: cohorts can now move to version %(version)s.",
            version=mapping.to_framework.version or "–",
        ),
        "success",
    )
    return redirect(url_for("standards.mapping_page", mapping_id=mapping.id))
