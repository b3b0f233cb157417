"""Mapping: the grid of units and instruments × elements (one select per cell, plain HTML, bulk fill of a
row or a column) and the per-unit picker with search. Both send cells to ``curriculum.mapping.set_cells``."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.authz import Action, can_edit_curriculum, curriculum_or_404
from app.blueprints.curriculum import bp
from app.blueprints.curriculum.common import me, plan_for_request
from app.curriculum.mapping import Cell, set_cells
from app.curriculum.queries import Plan
from app.domain import N_, DomainError
from app.errors import show_refusal
from app.extensions import db
from app.standards.queries import Node
from app.standards.text import fold
from app.web import current_actor

CODES = {"I": "introduced", "P": "practised", "A": "assessed", "": None, "-": None}
SHORT = {"introduced": "I", "practised": "P", "assessed": "A"}
GRID_MAX_COLUMNS = 40


def _int(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


def _shown_elements(plan: Plan, group: str | None) -> list[Node]:
    if group:
        return [n for n in plan.elements if n.parent is not None and n.parent.key == group]
    if len(plan.elements) > GRID_MAX_COLUMNS and plan.groups:
        first = plan.groups[0].key
        return [n for n in plan.elements if n.parent is not None and n.parent.key == first]
    return plan.elements


def _parse_cell(name: str, value: str) -> tuple[str, int, int, str | None] | None:
    """``cell:u:<unit>:<element>`` or ``cell:i:<instrument>:<element>`` with I, P, A or nothing."""
    parts = name.split(":")
    if len(parts) != 4 or parts[1] not in ("u", "i") or value not in CODES:
        return None
    source, element = _int(parts[2]), _int(parts[3])
    if source is None or element is None:
        return None
    return ("unit" if parts[1] == "u" else "instrument", source, element, CODES[value])


def grid_cells(form: Any, plan: Plan, shown: list[Node]) -> list[Cell]:
    """The cells the grid sent, with the bulk fills of rows and columns applied over them."""
    cells: dict[tuple[str, int, int], str | None] = {}
    for name in form:
        if name.startswith("cell:"):
            parsed = _parse_cell(name, form.get(name, ""))
            if parsed is None:
                raise DomainError(N_("The grid could not be read; reload the page and try again."))
            cells[parsed[:3]] = parsed[3]
    shown_ids = [n.element.id for n in shown]
    for row in plan.mappable_units:
        fill = form.get(f"row:u:{row.unit.id}", "")
        if fill in ("I", "P", "A", "-"):
            cells.update({("unit", row.unit.id, e): CODES[fill] for e in shown_ids})
    for instrument in plan.instruments:
        if form.get(f"row:i:{instrument.id}", "") in ("A", "-"):
            cells.update({("instrument", instrument.id, e): CODES[form[f"row:i:{instrument.id}"]] for e in shown_ids})
    for element_id in shown_ids:
        fill = form.get(f"col:{element_id}", "")
        if fill in ("I", "P", "A", "-"):
            cells.update({("unit", row.unit.id, element_id): CODES[fill] for row in plan.mappable_units})
    return [Cell(kind, sid, eid, intensity) for (kind, sid, eid), intensity in cells.items()]


@bp.route("/<int:curriculum_id>/map", methods=["GET", "POST"])
def grid(curriculum_id: int) -> str | Response:
    curriculum = curriculum_or_404(me(), curriculum_id)
    plan, further = plan_for_request(curriculum)
    group = request.values.get("group") or None
    shown = _shown_elements(plan, group)
    if request.method == "POST":
        if not can_edit_curriculum(me(), curriculum):
            abort(403)
        try:
            counts = set_cells(db.session, current_actor(), plan, grid_cells(request.form, plan, shown))
        except DomainError as exc:
            show_refusal(exc)
        else:
            flash(_("Saved: %(added)s added, %(changed)s changed, %(removed)s removed.", **counts), "success")
            args: dict[str, Any] = {"framework": request.form.get("framework") or None, "group": group}
            return redirect(url_for("curriculum.grid", curriculum_id=curriculum.id, **args))
    return render_template(
        "curriculum/grid.html",
        curriculum=curriculum,
        plan=plan,
        further=further,
        shown=shown,
        group=group or (shown[0].parent.key if shown and shown[0].parent and len(shown) < len(plan.elements) else None),
        links=plan.link_map(),
        short=SHORT,
        can_edit=can_edit_curriculum(me(), curriculum) and not curriculum.adopted,
    )


def _source(plan: Plan, kind: str, source_id: int) -> tuple[str, str]:
    if kind == "unit" and source_id in plan.unit_by_id:
        return "unit", plan.unit_by_id[source_id].unit.label
    instrument = next((i for i in plan.instruments if i.id == source_id), None)
    if kind == "instrument" and instrument is not None:
        return "instrument", instrument.label
    abort(404)


def _matches(node: Node, query: str) -> bool:
    words = fold(query).split()
    text = fold(f"{node.element.code or ''} {node.element.title} {node.parent.element.title if node.parent else ''}")
    return all(w in text for w in words)


@bp.route("/<int:curriculum_id>/pick/<kind>/<int:source_id>", methods=["GET", "POST"])
def picker(curriculum_id: int, kind: str, source_id: int) -> str | Response:
    """One unit or instrument: search the standard and set what it introduces, practises or assesses."""
    curriculum = curriculum_or_404(me(), curriculum_id, Action.MANAGE)
    plan, further = plan_for_request(curriculum)
    kind, label = _source(plan, kind, source_id)
    query = (request.values.get("q") or "").strip()[:200]
    found = [n for n in plan.elements if _matches(n, query)] if query else plan.elements
    if request.method == "POST":
        cells = []
        for node in found:
            value = request.form.get(f"e:{node.element.id}", "")
            if value not in CODES:
                abort(400)
            cells.append(Cell(kind, source_id, node.element.id, CODES[value]))
        try:
            counts = set_cells(db.session, current_actor(), plan, cells)
        except DomainError as exc:
            show_refusal(exc)
        else:
            flash(_("Saved: %(added)s added, %(changed)s changed, %(removed)s removed.", **counts), "success")
            args: dict[str, Any] = {"framework": request.form.get("framework") or None, "q": query or None}
            return redirect(
                url_for("curriculum.picker", curriculum_id=curriculum.id, kind=kind, source_id=source_id, **args)
            )
    links = plan.link_map()
    current = {n.element.id: links.get((kind, source_id, n.element.id)) for n in found}
    return render_template(
        "curriculum/picker.html",
        curriculum=curriculum,
        plan=plan,
        further=further,
        kind=kind,
        source_id=source_id,
        label=label,
        query=query,
        found=found,
        current=current,
        short=SHORT,
    )
