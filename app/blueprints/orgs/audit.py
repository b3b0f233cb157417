"""An organisation's audit log, filtered and paged."""

from __future__ import annotations

from flask import render_template, request

from app.accounts.queries import AuditFilter, audit_page
from app.addresses import network_label
from app.authz import Action, organisation_or_404
from app.blueprints.orgs import bp
from app.blueprints.orgs.common import me
from app.blueprints.orgs.forms import AuditFilterForm


@bp.get("/<int:org_id>/audit")
def audit(org_id: int) -> str:
    org = organisation_or_404(me(), org_id, Action.MANAGE)
    form = AuditFilterForm(request.args)
    wanted = AuditFilter()
    if form.validate():
        wanted = AuditFilter(form.action.data, form.actor.data, form.date_from.data, form.date_to.data)
    result = audit_page(org, wanted, request.args.get("page", 1, type=int) or 1)
    pager_args = {name: request.args[name] for name in form.data if request.args.get(name)}  # the filters only
    return render_template(
        "orgs/audit.html", org=org, form=form, events=result.events, page=result.page, pages=result.pages,
        total=result.total, pager_args=pager_args, network=network_label,
    )  # fmt: skip
