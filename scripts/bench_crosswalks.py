"""Bench part "crosswalks": a learner's progress page with evidence carried through the seeded crosswalks
from results on three other standards (e-CF profile, BK-0331-4, Competent), then again with 300 more
published links: the query count must not change, and the page should stay under 100 ms.

Wall time on a shared machine swings with its load (print ``uptime`` beside the figures); the CPU time the
process spent on the page is printed too, which the load barely moves."""

from __future__ import annotations

import random
import time
from typing import Any

from flask import Flask, current_app
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import OrgKind, Role
from app.assessment.demo import create_demo_levels
from app.audit import Actor
from app.crosswalks import crosswalks, links
from app.crosswalks.evidence import carried_evidence
from app.crosswalks.models import CrosswalkStatus
from app.crosswalks.seeds import load_seeds, seed_paths
from app.crosswalks.suggestions import linkable
from app.extensions import db
from app.portfolio.programme import load_programme
from app.standards.models import Framework
from app.standards.queries import load_tree

TARGET_MS = 100
EXTRA_LINKS = 300
CPU_REPEAT = 9


def _cpu_ms(client: FlaskClient, path: str) -> float:
    """Median CPU time of this process per request (the page was warmed up and signed in by ``page``)."""
    times = []
    for _ in range(CPU_REPEAT):
        start = time.process_time()
        client.get(path)
        times.append((time.process_time() - start) * 1000)
    return sorted(times)[CPU_REPEAT // 2]


def _setup(password: str) -> tuple[str, int, int]:
    s, system = db.session, Actor.system("bench")
    load_seeds(s, system, seed_paths(current_app.config["CROSSWALK_SEED_DIR"]))
    fw = {f.code: f for f in s.scalars(select(Framework))}
    org = accounts.create_organisation(s, system, name="Crosswalk bench school", kind=OrgKind.SCHOOL)
    student = accounts.create_user(s, system, email="cw-student@bench.example", name="Student", password=password)
    assessors = [
        accounts.create_user(s, system, email=f"cw-assessor{i}@bench.example", name=f"A{i}", password=password)
        for i in (1, 2)
    ]
    cohorts = {}
    for code, profile in (
        ("mbo-commercie", "P3"),
        ("ecf-profile-online-community-manager", None),
        ("bk-0331-4", None),
        ("competent-E110101", None),
    ):
        cohorts[code] = accounts.create_cohort(
            s, system, org, name=code, year="2026", framework_id=fw[code].id, profile_key=profile
        )
        accounts.add_to_cohort(s, system, cohorts[code], student, Role.STUDENT)
        for a in assessors:
            accounts.add_to_cohort(s, system, cohorts[code], a, Role.ASSESSOR)
    s.flush()
    results = {
        "ecf-profile-online-community-manager": {"C.1": 2, "C.3": 2, "D.6": 3, "E.4": 2, "E.5": 2},
        "bk-0331-4": {"competentie-7": 3, "competentie-14": 3},
        "competent-E110101": {"basis-1": 3, "specifiek-8": 3, "specifiek-9": 2},
    }
    for code, levels in results.items():
        create_demo_levels(student, cohorts[code], assessors, password, levels)
    s.commit()
    return student.email, student.id, cohorts["mbo-commercie"].id


def _more_links() -> None:
    s, system = db.session, Actor.system("bench")
    rng = random.Random(14)  # noqa: S311 - a repeatable bench, not a secret
    trees = {
        code: load_tree(s, s.scalar(select(Framework).where(Framework.code == code)))
        for code in ("mbo-commercie", "ecf-profile-online-community-manager")
    }
    left = [n.key for n in linkable(trees["mbo-commercie"])]
    right = [n.key for n in linkable(trees["ecf-profile-online-community-manager"])]
    extra = crosswalks.create_crosswalk(
        s, system, crosswalks.NewCrosswalk("Bench links", "mbo-commercie", "ecf-profile-online-community-manager", None)
    )
    pairs = rng.sample([(a, b) for a in left for b in right], EXTRA_LINKS)
    for a, b in pairs:
        links.add_link(
            s, system, extra, links.LinkInput(a, b, rng.choice(["exact", "close", "related", "broader"]), note="bench")
        )
    extra.status = CrosswalkStatus.PUBLISHED
    s.commit()


def bench_crosswalks(
    app: Flask, client: FlaskClient, queries: Any, page: Any, row: Any, password: str
) -> dict[str, Any]:
    with app.app_context():
        email, student_id, cohort_id = _setup(password)
    path = f"/progress/students/{student_id}/programmes/{cohort_id}"
    print("\nCrosswalks: progress page with evidence from three other standards")
    ms, per_request, html = page(client, queries, email, path)
    assert "via crosswalk" in html
    row("progress page, seeded crosswalks", f"{ms:,.1f} ms · {per_request} q")
    cpu = _cpu_ms(client, path)
    row("  CPU time of the process per request", f"{cpu:,.1f} ms")
    with app.app_context():
        _more_links()
        from app.accounts.models import Cohort, User

        student, cohort = db.session.get(User, student_id), db.session.get(Cohort, cohort_id)
        programme = load_programme(db.session, cohort)
        start = time.perf_counter()
        carried = carried_evidence(db.session, student, programme)
        service_ms = (time.perf_counter() - start) * 1000
    ms_more, per_request_more, _ = page(client, queries, email, path)
    row(f"progress page, +{EXTRA_LINKS} published links", f"{ms_more:,.1f} ms · {per_request_more} q")
    cpu_more = _cpu_ms(client, path)
    row("  CPU time of the process per request", f"{cpu_more:,.1f} ms")
    row("carried_evidence() alone, with the extra links", f"{service_ms:,.1f} ms · {len(carried)} elements")
    status = "ok" if per_request == per_request_more and ms_more < TARGET_MS else "CHECK"
    row(f"queries independent of links, under {TARGET_MS} ms", status)
    return {
        "progress_ms": round(ms, 1),
        "progress_queries": per_request,
        "progress_ms_more_links": round(ms_more, 1),
        "progress_queries_more_links": per_request_more,
        "progress_cpu_ms": round(cpu, 1),
        "progress_cpu_ms_more_links": round(cpu_more, 1),
        "extra_links": EXTRA_LINKS,
        "target_ms": TARGET_MS,
        "status": status,
    }
