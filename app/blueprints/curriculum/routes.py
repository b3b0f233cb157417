"""Curricula: the list, a new one, its page with units and instruments, its settings and cohorts."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.accounts.models import Cohort, Membership, Organisation
from app.accounts.queries import programme_choices
from app.authz import (
    Action,
    can_adopt_curriculum,
    can_edit_curricula_of,
    can_edit_curriculum,
    curricula_visible_to,
    curriculum_or_404,
)
from app.authz.curricula import EDITORS
from app.blueprints.curriculum import bp
from app.blueprints.curriculum.common import me, org_names, plan_for_request
from app.blueprints.curriculum.forms import (
    AdoptForm,
    CopyForm,
    CurriculumForm,
    FollowForm,
    InstrumentForm,
    ThresholdForm,
    UnitForm,
)
from app.curriculum import plans
from app.curriculum.models import CohortCurriculum, Curriculum, UnitKind
from app.curriculum.queries import curricula_of, further_choices, link_counts, plan_coverage
from app.domain import DomainError
from app.errors import show_refusal
from app.extensions import db
from app.standards.models import Framework
from app.web import current_actor


def _editable_orgs() -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .join(Membership, Membership.organisation_id == Organisation.id)
            .where(Membership.user_id == me().id, Membership.role.in_([r.value for r in EDITORS]))
            .distinct()
            .order_by(Organisation.name)
        )
    )


@bp.get("/")
def index() -> str:
    curricula = db.session.scalars(
        curricula_visible_to(me()).order_by(Curriculum.cohort_year.desc(), Curriculum.title, Curriculum.version.desc())
    ).all()
    counts = link_counts(db.session, [c.id for c in curricula])
    frameworks = {i: t for i, t in db.session.execute(select(Framework.id, Framework.title))}
    return render_template(
        "curriculum/index.html",
        curricula=curricula,
        counts=counts,
        frameworks=frameworks,
        orgs=org_names({c.organisation_id for c in curricula}),
        can_create=bool(_editable_orgs()),
    )


@bp.route("/new", methods=["GET", "POST"])
def new() -> str | Response:
    orgs = _editable_orgs()
    form = CurriculumForm()
    form.organisation.choices = [(o.id, o.name) for o in orgs]
    # The school chosen in the form decides which private standards are offered (one school: that one).
    owner = next((o for o in orgs if o.id == form.organisation.data), orgs[0] if orgs else None)
    form.programme.choices = programme_choices(owner) if owner else []
    form.further.choices = further_choices(db.session, owner.id if owner else None)
    if form.validate_on_submit():
        org = next((o for o in orgs if o.id == form.organisation.data), None)
        if org is None or not can_edit_curricula_of(me(), org.id):
            form.organisation.errors = [_("Choose a school from the list.")]
        else:
            code, _sep, profile = form.programme.data.partition("::")
            data = plans.NewCurriculum(
                form.title.data,
                form.cohort_year.data,
                code,
                profile or None,
                tuple(form.further.data or ()),
                form.over_assessed_threshold.data,
            )
            try:
                curriculum = plans.create_curriculum(db.session, current_actor(), org, data)
            except DomainError as exc:
                exc.field = {"framework_code": "programme", "profile_key": "programme"}.get(exc.field or "", exc.field)
                show_refusal(exc, form)
            else:
                flash(_("The curriculum %(title)s is created.", title=curriculum.title), "success")
                return redirect(url_for("curriculum.show", curriculum_id=curriculum.id))
    return render_template("curriculum/new.html", form=form, orgs=orgs)


def _unit_form(curriculum: Curriculum) -> UnitForm:
    form = UnitForm(prefix="unit")
    form.parent_id.choices = [(0, _("(top level)"))] + [
        (u.id, u.label) for u in curriculum.units if u.kind != UnitKind.ACTIVITY
    ]
    return form


def _instrument_form(curriculum: Curriculum) -> InstrumentForm:
    form = InstrumentForm(prefix="instrument")
    form.period_id.choices = [(0, _("(not planned yet)"))] + [
        (u.id, u.label) for u in curriculum.units if u.kind in (UnitKind.PERIOD, UnitKind.YEAR)
    ]
    return form


@bp.get("/<int:curriculum_id>")
def show(curriculum_id: int) -> str:
    curriculum = curriculum_or_404(me(), curriculum_id)
    plan, further = plan_for_request(curriculum)
    result, check = plan_coverage(plan)
    cohorts = db.session.scalars(
        select(Cohort).where(
            Cohort.organisation_id == curriculum.organisation_id, Cohort.framework_id == curriculum.framework_id
        )
    ).all()
    following = set(
        db.session.scalars(select(CohortCurriculum.cohort_id).where(CohortCurriculum.curriculum_id == curriculum.id))
    )
    follow_form = FollowForm(prefix="follow")
    follow_form.cohort_id.choices = [(c.id, f"{c.name} ({c.year})") for c in cohorts if c.id not in following]
    versions = db.session.scalars(
        curricula_of(curriculum.organisation_id).where(Curriculum.title == curriculum.title)
    ).all()
    return render_template(
        "curriculum/show.html",
        curriculum=curriculum,
        plan=plan,
        further=further,
        result=result,
        check=check,
        followers=[c for c in cohorts if c.id in following],
        follow_form=follow_form,
        unit_form=_unit_form(curriculum),
        instrument_form=_instrument_form(curriculum),
        threshold_form=ThresholdForm(prefix="settings", over_assessed_threshold=curriculum.over_assessed_threshold),
        adopt_form=AdoptForm(prefix="adopt"),
        copy_form=CopyForm(prefix="copy"),
        versions=[v for v in versions if v.id != curriculum.id],
        can_edit=can_edit_curriculum(me(), curriculum),
        can_adopt=can_adopt_curriculum(me(), curriculum),
    )


@bp.post("/<int:curriculum_id>/settings")
def settings(curriculum_id: int) -> Response:
    curriculum = curriculum_or_404(me(), curriculum_id, Action.MANAGE)
    form = ThresholdForm(prefix="settings")
    if not form.validate():
        flash(_("The threshold is a whole number from 1 to 20."), "error")
    else:
        plans.update_threshold(db.session, current_actor(), curriculum, form.over_assessed_threshold.data)
        flash(_("Saved."), "success")
    return redirect(url_for("curriculum.show", curriculum_id=curriculum.id))


@bp.post("/<int:curriculum_id>/cohorts")
def follow(curriculum_id: int) -> Response:
    curriculum = curriculum_or_404(me(), curriculum_id, Action.MANAGE)
    form = FollowForm(prefix="follow")
    cohort = db.session.get(Cohort, form.cohort_id.data) if form.cohort_id.data else None
    if cohort is None or cohort.organisation_id != curriculum.organisation_id:
        flash(_("Choose a cohort from the list."), "error")
    else:
        plans.follow(db.session, current_actor(), curriculum, cohort)
        flash(_("%(cohort)s now follows this curriculum.", cohort=cohort.name), "success")
    return redirect(url_for("curriculum.show", curriculum_id=curriculum.id))
