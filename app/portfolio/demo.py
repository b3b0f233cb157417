"""Demonstration evidence, so that assessors and curriculum leads see a portfolio with some life in it."""

from __future__ import annotations

import datetime as dt

from app.accounts.models import Cohort, User
from app.audit import Actor
from app.extensions import db
from app.portfolio import services
from app.portfolio.models import EvidenceContext


def create_demo_evidence(actor: Actor, student: User, cohort: Cohort, assessor: User) -> None:
    s = db.session
    actor = Actor(user=student, user_agent=actor.user_agent)  # the student's own work, done by the student
    research = services.create_item(
        s,
        actor,
        student,
        services.ItemData(
            title="Marktonderzoek webshop fietsaccessoires",
            description="Concurrentieanalyse van vijf webshops en een klantenenquête onder 48 bezoekers.",
            context=EvidenceContext.INTERNSHIP,
            context_detail="Webwinkel Noord BV",
            started_on=dt.date(2026, 9, 7),
            ended_on=dt.date(2026, 10, 2),
            situation="Webwinkel Noord wilde weten waarom de verkoop van fietstassen terugliep.",
            task="Ik moest de marktpositie in kaart brengen en de klantreis onderzoeken.",
            action="Ik vergeleek vijf concurrenten op prijs, assortiment en bezorging en hield een online enquête.",
            result="Een rapport met drie aanbevelingen; twee zijn doorgevoerd.",
            reflection="Volgende keer test ik de vragenlijst eerst bij twee klanten.",
        ),
    )
    services.add_link(s, actor, research, "https://example.org/rapport-marktonderzoek", "Rapport (gedeelde map)")
    services.add_claim(
        s, actor, research, cohort, "B1-K1-W1", 2, "Hoofdstuk 2 van het rapport: de concurrentieanalyse."
    )
    services.add_claim(s, actor, research, cohort, "B1-K1-W2", 3, "De enquête en de klantreis in hoofdstuk 3.")
    services.request_feedback(s, actor, research)
    services.add_comment(
        s,
        Actor(user=assessor, user_agent="flask demo"),
        research,
        "Sterke analyse. Onderbouw de aanbevelingen nog met cijfers uit de enquête.",
    )
    campaign = services.create_item(
        s,
        actor,
        student,
        services.ItemData(
            title="Social-mediacampagne najaar",
            description="Planning en uitvoering van een Instagram-campagne van vier weken.",
            context=EvidenceContext.SCHOOL_PROJECT,
            started_on=dt.date(2026, 10, 12),
        ),
    )
    services.add_claim(s, actor, campaign, cohort, "P3-K2-W1", None, "")
    s.flush()
