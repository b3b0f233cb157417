"""Units and exam instruments of a curriculum: add, change, remove."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.authz import Action, curriculum_or_404
from app.blueprints.curriculum import bp
from app.blueprints.curriculum.common import me
from app.blueprints.curriculum.forms import InstrumentForm, UnitForm
from app.blueprints.curriculum.routes import _instrument_form, _unit_form
from app.curriculum import units
from app.curriculum.models import Curriculum, CurriculumUnit, ExamInstrument
from app.domain import DomainError
from app.errors import show_refusal
from app.extensions import db
from app.web import current_actor


def _unit_input(form: UnitForm, kind: str | None = None) -> units.UnitInput:
    return units.UnitInput(
        kind=kind or form.kind.data,
        title=form.title.data or "",
        code=form.code.data or "",
        parent_id=form.parent_id.data or None,
        hours=form.hours.data,
        credits=form.credits.data,
    )


def _instrument_input(form: InstrumentForm) -> units.InstrumentInput:
    return units.InstrumentInput(
        title=form.title.data or "",
        kind=form.kind.data,
        code=form.code.data or "",
        period_id=form.period_id.data or None,
        scale=form.scale.data or "",
        pass_rule=form.pass_rule.data or "",
        assessors_required=form.assessors_required.data or 0,
        summative=bool(form.summative.data),
    )


def _first_error(form: UnitForm | InstrumentForm) -> str:
    for name, errors in form.errors.items():
        if errors:
            return f"{getattr(form, name).label.text}: {errors[0]}"
    return _("The form could not be read.")


def _unit_of(curriculum: Curriculum, unit_id: int) -> CurriculumUnit:
    unit = db.session.get(CurriculumUnit, unit_id)
    if unit is None or unit.curriculum_id != curriculum.id:
        abort(404)
    return unit


def _instrument_of(curriculum: Curriculum, instrument_id: int) -> ExamInstrument:
    instrument = db.session.get(ExamInstrument, instrument_id)
    if instrument is None or instrument.curriculum_id != curriculum.id:
        abort(404)
    return instrument


def _back(curriculum: Curriculum, anchor: str) -> Response:
    return redirect(url_for("curriculum.show", curriculum_id=curriculum.id, _anchor=anchor))


@bp.post("/<int:curriculum_id>/units")
def add_unit(curriculum_id: int) -> Response:
    curriculum = curriculum_or_404(me(), curriculum_id, Action.MANAGE)
    form = _unit_form(curriculum)
    if not form.validate():
        flash(_first_error(form), "error")
    else:
        unit = units.add_unit(db.session, current_actor(), curriculum, _unit_input(form))
        flash(_("%(unit)s is added.", unit=unit.label), "success")
    return _back(curriculum, "units")


@bp.route("/<int:curriculum_id>/units/<int:unit_id>", methods=["GET", "POST"])
def edit_unit(curriculum_id: int, unit_id: int) -> str | Response:
    curriculum = curriculum_or_404(me(), curriculum_id, Action.MANAGE)
    unit = _unit_of(curriculum, unit_id)
    form = _unit_form(curriculum)
    form.parent_id.choices = [c for c in form.parent_id.choices if c[0] != unit.id]
    if form.validate_on_submit():
        try:
            units.update_unit(db.session, current_actor(), curriculum, unit, _unit_input(form, unit.kind))
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            flash(_("Saved."), "success")
            return _back(curriculum, "units")
    elif not form.is_submitted():
        form.process(obj=unit, parent_id=unit.parent_id or 0)
    return render_template("curriculum/part_form.html", curriculum=curriculum, form=form, part=unit, kind="unit")


@bp.post("/<int:curriculum_id>/units/<int:unit_id>/delete")
def delete_unit(curriculum_id: int, unit_id: int) -> Response:
    curriculum = curriculum_or_404(me(), curriculum_id, Action.MANAGE)
    unit = _unit_of(curriculum, unit_id)
    units.delete_unit(db.session, current_actor(), curriculum, unit)
    flash(_("%(unit)s is removed.", unit=unit.label), "success")
    return _back(curriculum, "units")


@bp.post("/<int:curriculum_id>/instruments")
def add_instrument(curriculum_id: int) -> Response:
    curriculum = curriculum_or_404(me(), curriculum_id, Action.MANAGE)
    form = _instrument_form(curriculum)
    if not form.validate():
        flash(_first_error(form), "error")
    else:
        instrument = units.add_instrument(db.session, current_actor(), curriculum, _instrument_input(form))
        flash(_("%(unit)s is added.", unit=instrument.label), "success")
    return _back(curriculum, "instruments")


@bp.route("/<int:curriculum_id>/instruments/<int:instrument_id>", methods=["GET", "POST"])
def edit_instrument(curriculum_id: int, instrument_id: int) -> str | Response:
    curriculum = curriculum_or_404(me(), curriculum_id, Action.MANAGE)
    instrument = _instrument_of(curriculum, instrument_id)
    form = _instrument_form(curriculum)
    if form.validate_on_submit():
        try:
            units.update_instrument(db.session, current_actor(), curriculum, instrument, _instrument_input(form))
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            flash(_("Saved."), "success")
            return _back(curriculum, "instruments")
    elif not form.is_submitted():
        form.process(obj=instrument, period_id=instrument.period_id or 0)
    return render_template(
        "curriculum/part_form.html", curriculum=curriculum, form=form, part=instrument, kind="instrument"
    )


@bp.post("/<int:curriculum_id>/instruments/<int:instrument_id>/delete")
def delete_instrument(curriculum_id: int, instrument_id: int) -> Response:
    curriculum = curriculum_or_404(me(), curriculum_id, Action.MANAGE)
    instrument = _instrument_of(curriculum, instrument_id)
    units.delete_instrument(db.session, current_actor(), curriculum, instrument)
    flash(_("%(unit)s is removed.", unit=instrument.label), "success")
    return _back(curriculum, "instruments")
