"""The side-by-side authoring page: two trees with search, a link form, suggestions to accept or reject."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.authz import Action, crosswalk_or_404
from app.blueprints.crosswalks import bp
from app.blueprints.crosswalks.forms import LinkForm, SuggestionsForm
from app.crosswalks import links as services
from app.crosswalks.models import Crosswalk, CrosswalkLink
from app.crosswalks.queries import condition_levels, load_links
from app.crosswalks.suggestions import linkable, suggest
from app.domain import DomainError
from app.errors import show_refusal
from app.extensions import db
from app.standards.queries import Tree, load_tree
from app.web import current_actor


def _level_choices(crosswalk: Crosswalk) -> list[tuple[str, str]]:
    return [
        (str(level.id), f"{code}: {level.code or level.value} {level.label}")
        for level, code in condition_levels(db.session, crosswalk)
    ]


def _with_ancestors(tree: Tree, ids: set[int]) -> set[int]:
    """The elements the tree shows: the linkable ones and the headings above them."""
    shown = set(ids)
    for node in tree:
        if node.element.id in ids:
            shown.update(a.element.id for a in node.ancestors())
    return shown


def _page(crosswalk: Crosswalk, form: LinkForm | None = None, status: int = 200) -> tuple[str, int]:
    source, target = (
        load_tree(db.session, crosswalk.source_framework),
        load_tree(db.session, crosswalk.target_framework),
    )
    return render_template(
        "crosswalks/author.html",
        crosswalk=crosswalk,
        source=source,
        target=target,
        source_ids=(source_ids := {n.element.id for n in linkable(source)}),
        target_ids=(target_ids := {n.element.id for n in linkable(target)}),
        source_show=_with_ancestors(source, source_ids),
        target_show=_with_ancestors(target, target_ids),
        links=load_links(db.session, crosswalk),
        form=form or LinkForm(levels=_level_choices(crosswalk)),
        suggestions=suggest(db.session, crosswalk, trees=(source, target)),
        suggestions_form=SuggestionsForm(),
    ), status


@bp.get("/<int:crosswalk_id>/author")
def author(crosswalk_id: int) -> tuple[str, int]:
    return _page(crosswalk_or_404(current_user, crosswalk_id, Action.MANAGE))


@bp.post("/<int:crosswalk_id>/links")
def add_link(crosswalk_id: int) -> Response | tuple[str, int]:
    crosswalk = crosswalk_or_404(current_user, crosswalk_id, Action.MANAGE)
    form = LinkForm(levels=_level_choices(crosswalk))
    if not form.validate_on_submit():
        return _page(crosswalk, form, 400)
    try:
        services.add_link(db.session, current_actor(), crosswalk, form.to_input())
    except DomainError as exc:
        show_refusal(exc, form)
        return _page(crosswalk, form, 400)
    flash(_("Link added."), "success")
    return redirect(url_for("crosswalks.author", crosswalk_id=crosswalk.id) + "#links")


@bp.post("/<int:crosswalk_id>/links/<int:link_id>/remove")
def remove_link(crosswalk_id: int, link_id: int) -> Response:
    crosswalk = crosswalk_or_404(current_user, crosswalk_id, Action.MANAGE)
    link = db.session.get(CrosswalkLink, link_id)
    if link is None or link.crosswalk_id != crosswalk.id:
        abort(404)
    services.remove_link(db.session, current_actor(), crosswalk, link)
    flash(_("Link removed."), "success")
    return redirect(url_for("crosswalks.author", crosswalk_id=crosswalk.id) + "#links")


def _suggestion_terms() -> dict[str, str]:
    """The shared terms the page showed with each pick (sent back with the form), for the link's note."""
    return {key.removeprefix("terms-"): value[:500] for key, value in request.form.items() if key.startswith("terms-")}


@bp.post("/<int:crosswalk_id>/suggestions/accept")
def accept(crosswalk_id: int) -> Response:
    crosswalk = crosswalk_or_404(current_user, crosswalk_id, Action.MANAGE)
    form = SuggestionsForm()
    if not form.validate_on_submit() or not form.pairs():
        flash(_("Choose at least one suggestion."), "error")
        return redirect(url_for("crosswalks.author", crosswalk_id=crosswalk.id) + "#suggestions")
    terms = _suggestion_terms()
    note = (form.note.data or "").strip()
    inputs = [
        services.LinkInput(
            subject_key=subject,
            object_key=obj,
            relation=form.relation.data or "related",
            note=note
            or _("Suggested by text similarity; shared terms: %(terms)s", terms=terms.get(f"{subject}|{obj}", "")),
            confidence=float(form.confidence.data if form.confidence.data is not None else 0.5),
            suggested=True,
        )
        for subject, obj in form.pairs()
    ]
    try:
        count = services.accept_suggestions(db.session, current_actor(), crosswalk, inputs)
    except DomainError as exc:
        show_refusal(exc)
    else:
        flash(_("%(n)s suggestions accepted.", n=count), "success")
    return redirect(url_for("crosswalks.author", crosswalk_id=crosswalk.id) + "#suggestions")


@bp.post("/<int:crosswalk_id>/suggestions/reject")
def reject(crosswalk_id: int) -> Response:
    crosswalk = crosswalk_or_404(current_user, crosswalk_id, Action.MANAGE)
    form = SuggestionsForm()
    if not form.validate_on_submit() or not form.pairs():
        flash(_("Choose at least one suggestion."), "error")
        return redirect(url_for("crosswalks.author", crosswalk_id=crosswalk.id) + "#suggestions")
    try:
        count = services.reject_suggestions(db.session, current_actor(), crosswalk, form.pairs())
    except DomainError as exc:
        show_refusal(exc)
    else:
        flash(_("%(n)s suggestions rejected; they will not be suggested again.", n=count), "success")
    return redirect(url_for("crosswalks.author", crosswalk_id=crosswalk.id) + "#suggestions")
