"""Demonstration results: Daan has passed every work process of P3, so a certificate can be issued."""

from __future__ import annotations

from app.accounts.models import Cohort, User
from app.assessment import services
from app.audit import Actor
from app.extensions import db
from app.portfolio.programme import load_programme


def create_demo_results(student: User, cohort: Cohort, assessors: list[User], password: str) -> None:
    s = db.session
    programme = load_programme(s, cohort)
    for core_task in programme.roots:
        keys = [n.key for n in programme.claimable if core_task in n.ancestors()]
        assessment = services.create_assessment(
            s,
            Actor(user=assessors[0], user_agent="flask demo"),
            student,
            cohort,
            services.NewAssessment(
                kind="summative",
                scope_keys=keys,
                assessor_ids=[a.id for a in assessors],
                context="Proeve van bekwaamheid (demo)",
            ),
        )
        for n, assessor in enumerate(assessors):
            actor = Actor(user=assessor, user_agent="flask demo")
            for i, key in enumerate(keys):
                level = 3 if (i + n) % 3 == 0 else 2
                services.save_judgement(
                    s, actor, assessment, services.JudgementInput(key, level, {}, rationale="Gedrag zichtbaar.")
                )
            services.submit(s, actor, assessment)
        differ = services.differences(assessment)
        for key in (k for k in keys if programme.tree.by_key[k].element.id in differ):
            services.settle(
                s,
                Actor(user=assessors[0], user_agent="flask demo"),
                assessment,
                services.JudgementInput(key, 2, {}),
                note="Samen vastgesteld.",
            )
        for assessor in assessors:
            services.sign(s, Actor(user=assessor, user_agent="flask demo"), assessment, password)
    s.flush()


def create_demo_levels(student: User, cohort: Cohort, assessors: list[User], password: str, levels: dict) -> None:
    """One final assessment of ``student`` on the given elements at the given levels, agreed by all assessors
    (Sanne's e-CF results, which the seeded crosswalks carry to her mbo P3 progress)."""
    s = db.session
    keys = list(levels)
    assessment = services.create_assessment(
        s,
        Actor(user=assessors[0], user_agent="flask demo"),
        student,
        cohort,
        services.NewAssessment(
            kind="summative",
            scope_keys=keys,
            assessor_ids=[a.id for a in assessors],
            context="Keuzedeel online community management (demo)",
        ),
    )
    for assessor in assessors:
        actor = Actor(user=assessor, user_agent="flask demo")
        for key in keys:
            services.save_judgement(
                s,
                actor,
                assessment,
                services.JudgementInput(key, levels[key], {}, rationale="Aangetoond in de praktijk."),
            )
        services.submit(s, actor, assessment)
    for assessor in assessors:
        services.sign(s, Actor(user=assessor, user_agent="flask demo"), assessment, password)
    s.flush()
