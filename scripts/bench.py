"""`make bench`: build realistic data at scale and print how fast the main paths are.

Runs on a fresh SQLite file under a temporary directory (or on BENCH_DATABASE_URL, e.g. a scratch
PostgreSQL database), never on your own data. Figures are printed, not asserted: compare them between
changes. Four parts, all run unless BENCH_PARTS names a subset (e.g. ``BENCH_PARTS=assessment``):

- standards: loading the seed files, the framework pages; the CASE provider and the exports; the import
  and export of a 5,000-item CASE package built for the bench (see scripts/bench_exports.py).
- portfolio: BENCH_STUDENTS students (default 120) with BENCH_ITEMS evidence items each (default 30),
  built through the service functions; their pages and the PDF export.
- assessment: a school of BENCH_SCHOOL_STUDENTS students (default 2000) in BENCH_COHORTS cohorts
  (default 10; half mbo Commercie P3, half e-CF Online Community Manager), every student with a complete
  final record. One student per programme goes through the service functions (create, judge, submit,
  settle, sign); the rest is bulk-inserted. Then the cohort matrix, the learner's progress page and the
  assessor's queue, with their query counts.
- certificates: programme certificates (PDF, signed OpenBadgeCredential, database rows) issued one at a time
  to BENCH_SINGLE complete P3 students (default 20; the assessment part's, or a small school of its own when
  that part does not run), with where the time goes; a cohort of BENCH_BATCH students (default 300, all
  passing, bulk-inserted) certified by the bulk job, then again (nothing twice); verifying a credential and
  building the revocation status list.
- matching: ranking 10,000 consenting candidates against a 20-requirement job profile, and verifying and
  mapping an uploaded credential (see scripts/bench_matching.py).
- curriculum: a programme of BENCH_UNITS units (default 200) and BENCH_INSTRUMENTS exam instruments (default
  40) densely mapped onto the mbo dossier Commercie (432 elements): the coverage page and API with their query
  counts against a programme a tenth the size, the exam plan PDF and XLSX, the map's XLSX export and import
  preview (see scripts/bench_curriculum.py).
- uploads: the peak memory of one upload of the worst images the pixel budget accepts, each in a fresh
  worker process (see scripts/bench_uploads.py).

Parts that record figures keep them in bench-results.json (BENCH_RESULTS), beside the other parts' figures.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event, func, insert, select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.accounts import services as accounts  # noqa: E402
from app.accounts.models import Cohort, CohortStudent, Membership, Organisation, OrgKind, Role, User  # noqa: E402
from app.accounts.passwords import hash_password  # noqa: E402
from app.assessment import services as assess  # noqa: E402
from app.assessment.models import (  # noqa: E402
    Assessment,
    AssessmentAssessor,
    AssessmentKind,
    AssessmentStatus,
    Judgement,
)
from app.assessment.record import cohort_records  # noqa: E402
from app.audit import Actor  # noqa: E402
from app.certificates import pdf as certificate_pdf  # noqa: E402
from app.certificates import rules  # noqa: E402
from app.certificates import services as certs  # noqa: E402
from app.certificates.models import BatchStatus, Certificate, CertificateBatch  # noqa: E402
from app.credentials import proof  # noqa: E402
from app.extensions import db  # noqa: E402
from app.files.storage import storage_for  # noqa: E402
from app.portfolio import pdf  # noqa: E402
from app.portfolio import services as portfolio  # noqa: E402
from app.portfolio.models import Claim, EvidenceItem  # noqa: E402
from app.portfolio.programme import Programme, load_programme  # noqa: E402
from app.standards.loader import load_paths, seed_paths  # noqa: E402
from app.standards.models import Framework  # noqa: E402
from scripts.bench_crosswalks import bench_crosswalks  # noqa: E402
from scripts.bench_exports import bench_big_case, bench_exports  # noqa: E402
from scripts.bench_uploads import CASES, bench_uploads  # noqa: E402
from scripts.bench_versions import bench_version_diff  # noqa: E402
from tests.factories import png_bytes  # noqa: E402

STUDENTS = int(os.environ.get("BENCH_STUDENTS", "120"))
ITEMS = int(os.environ.get("BENCH_ITEMS", "30"))
SCHOOL_STUDENTS = int(os.environ.get("BENCH_SCHOOL_STUDENTS", "2000"))
COHORTS = int(os.environ.get("BENCH_COHORTS", "10"))
SINGLE = int(os.environ.get("BENCH_SINGLE", "20"))
BATCH = int(os.environ.get("BENCH_BATCH", "300"))
ALL_PARTS = ("standards", "portfolio", "assessment", "certificates", "uploads", "crosswalks", "matching", "curriculum")
PARTS = {p.strip() for p in (os.environ.get("BENCH_PARTS") or ",".join(ALL_PARTS)).split(",") if p.strip()}
PASSWORD = "bench-password-not-secret-2026"  # noqa: S105 - scratch accounts on a scratch database
RESULTS = Path(os.environ.get("BENCH_RESULTS") or ROOT / "bench-results.json")


def timed(fn: Callable[[], object], repeat: int = 5) -> tuple[float, object]:
    """Median wall time in milliseconds over ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


class Queries:
    def __init__(self, app: Flask):
        self.n = 0
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", self._count)

    def _count(self, *args: object) -> None:
        self.n += 1


def row(label: str, value: str) -> None:
    print(f"  {label:<58} {value:>14}")


def page(client: FlaskClient, queries: Queries, email: str | None, path: str) -> tuple[float, int, str]:
    """Sign in as ``email`` (or stay anonymous), warm up, then: median ms, SQL queries per request, the HTML."""
    client.post("/sign-out")
    if email:
        client.post("/sign-in", data={"email": email, "password": PASSWORD})
    client.get(path)
    before = queries.n
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    per_request = queries.n - before
    ms, _ = timed(lambda: client.get(path))
    return ms, per_request, response.get_data(as_text=True)


def show_pages(client: FlaskClient, queries: Queries, pages: list[tuple[str, str | None, str]]) -> None:
    for label, email, path in pages:
        ms, per_request, _ = page(client, queries, email, path)
        row(label, f"{ms:,.1f} ms · {per_request} q")


def main() -> None:
    unknown = PARTS - set(ALL_PARTS)
    if unknown:
        sys.exit(f"BENCH_PARTS: unknown part(s) {', '.join(sorted(unknown))}; choose from {', '.join(ALL_PARTS)}")
    workdir = Path(tempfile.mkdtemp(prefix="bekwaam-bench-"))
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite'}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_DIR": str(workdir),  # the issuers' signing keys go here
            "FILE_STORAGE_DIR": str(workdir / "files"),
            "PUBLIC_BASE_URL": "https://bekwaam.example",  # certificates carry absolute URLs, made with no request
            "SECRET_KEY": "bench",
            "CHEAP_PASSWORD_HASHING": True,
            "JOBS_MODE": "eager",
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
        }
    )
    queries = Queries(app)
    sizes = []
    if "portfolio" in PARTS:
        sizes.append(f"{STUDENTS} students × {ITEMS} items")
    if "assessment" in PARTS:
        sizes.append(f"{SCHOOL_STUDENTS} students in {COHORTS} cohorts")
    if "certificates" in PARTS:
        sizes.append(f"{SINGLE} + {BATCH} certificates")
    if "uploads" in PARTS:
        sizes.append(f"{len(CASES)} uploads")
    print(f"Bekwaam bench · {url.split('://')[0]} · {' · '.join(sizes) or 'standards only'} · {workdir}")

    with app.app_context():
        upgrade()
        paths = seed_paths(app.config["STANDARDS_SEED_DIR"])
        start = time.perf_counter()
        load_paths(db.session, paths)  # every part needs the standards
        db.session.commit()
        first_load = (time.perf_counter() - start) * 1000
        if "standards" in PARTS:
            reload_ms, _ = timed(lambda: (load_paths(db.session, paths), db.session.commit()), repeat=3)
            print("\nStandards")
            row("load all six seed files into an empty database", f"{first_load:,.0f} ms")
            row("reload unchanged (idempotent, nothing written)", f"{reload_ms:,.0f} ms")

    client = app.test_client()
    if "standards" in PARTS:
        print("\nStandards pages (median of 5, warm)")
        show_pages(
            client,
            queries,
            [
                ("standards: framework page mbo-commercie (432 elements)", None, "/standards/mbo-commercie"),
                ("standards: search 'klant'", None, "/standards/search?q=klant"),
                ("api: /api/v1/frameworks/mbo-commercie (full tree JSON)", None, "/api/v1/frameworks/mbo-commercie"),
            ],
        )
        save_results("exports", bench_exports(app, client))
        save_results("case_package_5000", bench_big_case(app))
        save_results("version_diff_5000", bench_version_diff())
    if "portfolio" in PARTS:
        bench_portfolio(app, client, queries)
    school = bench_assessment(app, client, queries) if "assessment" in PARTS else None
    if "certificates" in PARTS:
        bench_certificates(app, school)
    if "uploads" in PARTS:
        save_results("uploads", bench_uploads(app, workdir))
    if "crosswalks" in PARTS:
        save_results("crosswalks", bench_crosswalks(app, client, queries, page, row, PASSWORD))
    if "matching" in PARTS:
        from scripts.bench_matching import a_credential, bench_matching

        save_results("matching", bench_matching(app, a_credential))
    if "curriculum" in PARTS:
        from scripts.bench_curriculum import bench_curriculum

        save_results("curriculum", bench_curriculum(app, client, queries, page, row, PASSWORD))
    print()


def save_results(part: str, figures: dict[str, Any]) -> None:
    """Keep a part's figures in bench-results.json, with when they were measured; other parts' stay."""
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[part] = {"measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **figures}
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"  (figures written to {RESULTS.name})")


# --- portfolio -------------------------------------------------------------------------------------


def bench_portfolio(app: Flask, client: FlaskClient, queries: Queries) -> None:
    with app.app_context():
        print("\nBuilding portfolios …")
        start = time.perf_counter()
        ids = build(app)
        db.session.commit()
        build_s = time.perf_counter() - start
        items = db.session.scalar(select(func.count()).select_from(EvidenceItem))
        claims = db.session.scalar(select(func.count()).select_from(Claim))
        row(f"{items:,} evidence items, {claims:,} claims created in", f"{build_s:,.1f} s")

    print("\nPortfolio pages (median of 5, warm)")
    show_pages(
        client,
        queries,
        [
            ("portfolio: student's programme view (P3, 30 items)", ids["student"], ids["student_path"]),
            ("portfolio: student's home", ids["student"], "/portfolio/"),
            ("portfolio: item page", ids["student"], f"/portfolio/items/{ids['item']}"),
            ("portfolio: assessor's home (cohort of all students)", ids["assessor"], "/portfolio/"),
            ("portfolio: assessor reads a student's programme", ids["assessor"], ids["student_path"]),
        ],
    )

    with app.app_context():
        student = db.session.get(User, ids["student_id"])
        cohort = db.session.get(Cohort, ids["cohort"])
        storage = storage_for(app)
        print("\nPDF export")
        gather_ms, doc = timed(lambda: pdf.gather(db.session, student, cohort), repeat=3)
        row(f"gather a {len(doc.items)}-item portfolio ({len(doc.sections)} elements)", f"{gather_ms:,.0f} ms")
        render_ms, data = timed(lambda: pdf.write_pdf(doc, storage, "bench"), repeat=3)
        row(f"render it with WeasyPrint ({len(data) / 1024:,.0f} kB)", f"{render_ms:,.0f} ms")


# --- assessment at scale ---------------------------------------------------------------------------

P3 = ("mbo-commercie", "P3")
ECF = ("ecf-profile-online-community-manager", None)
CHUNK = 5000  # rows per INSERT batch
YEAR_START = dt.datetime(2025, 9, 1, 9, 0, tzinfo=dt.UTC)
EXAMINERS = ("examiner1@college.bench.example", "examiner2@college.bench.example")
FIRST = ("Aisha", "Bram", "Chloë", "Daan", "Emma", "Fatima", "Gijs", "Hanna", "Ilias", "Jesse", "Kim", "Lotte",
         "Mohamed", "Noor", "Olivier", "Priya", "Quinten", "Roos", "Sem", "Tess", "Umar", "Vera", "Wout", "Yara",
         "Zoë")  # fmt: skip
LAST = ("Bakker", "de Boer", "Claes", "Dijkstra", "El Amrani", "Groen", "Hendriks", "Jansen", "de Jong", "Kaya",
        "Koster", "Mulder", "Peters", "Smit", "Visser", "de Vries", "Willems", "Yilmaz")  # fmt: skip


@dataclass
class Exam:
    """One final assessment each student sits: a core task (mbo: two assessors) or the whole profile (e-CF)."""

    scope: str
    title: str
    keys: list[str]  # plain values: the ORM objects behind the nodes expire at every commit
    element_ids: list[int]


@dataclass
class Plan:
    """A cohort and what its students are judged on, with the ids the bulk rows need."""

    name: str
    cohort_id: int
    programme: Programme
    exams: list[Exam]
    assessor_ids: list[int]  # the two examiners every cohort shares, then the cohort's own assessor
    required: int
    targets: dict[int, int]  # element id → the scale value it must reach
    levels: dict[int, dict[int, int]]  # element id → scale value → ScaleLevel id
    criteria: dict[int, list[str]]  # element id → the criterion keys it is judged on
    student_ids: list[int] = field(default_factory=list)
    resits: list[tuple[int, int]] = field(default_factory=list)  # (student id, exam index) with a fail in it


class Bulk:
    """Core INSERTs (executemany) of plain dicts in chunks of CHUNK rows, counted. Core, not ORM bulk: faster,
    and the ORM would reset the version counters to 1."""

    def __init__(self, session: Session):
        self.session = session
        self.rows = 0

    def add(self, model: type, rows: list[dict[str, Any]]) -> None:
        for i in range(0, len(rows), CHUNK):
            self.session.execute(insert(model.__table__), rows[i : i + CHUNK])
        self.rows += len(rows)

    def ids(self, model: Any, rows: list[dict[str, Any]]) -> list[int]:
        """Insert and return the new primary keys, in the order of ``rows``."""
        out: list[int] = []
        table = model.__table__
        stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        for i in range(0, len(rows), CHUNK):
            out += self.session.execute(stmt, rows[i : i + CHUNK]).scalars().all()
        self.rows += len(rows)
        return out


def exams_of(programme: Programme) -> list[Exam]:
    if programme.framework.kind == "mbo_qualification_dossier":
        exams = []
        for root in programme.roots:
            inside = {id(d) for d in root.descendants()}
            nodes = [n for n in programme.claimable if id(n) in inside]
            if nodes:
                title = f"Examen {root.element.label}"[:200]
                exams.append(Exam(root.key, title, [n.key for n in nodes], [n.element.id for n in nodes]))
        return exams
    nodes = programme.claimable
    title = f"Exam: {programme.framework.title} ({len(nodes)})"[:200]
    return [Exam(assess.ALL, title, [n.key for n in nodes], [n.element.id for n in nodes])]


def pick_level(rng: random.Random, levels: dict[int, int], target: int, weak: float) -> int:
    """An agreed level on the element's scale: at or above the target, or below it with chance ``weak``."""
    lowest, highest = min(levels), max(levels)
    if target > lowest and rng.random() < weak:
        return max(lowest, target - (2 if rng.random() < 0.2 else 1))
    return min(highest, target + rng.choices((0, 1, 2), weights=(60, 32, 8))[0])


def ability(rng: random.Random) -> float:
    """A student's chance of failing an element: most pass nearly everything, some struggle (~15% overall)."""
    return rng.choices((0.05, 0.3, 0.55), weights=(70, 20, 10))[0]


def other_level(rng: random.Random, levels: dict[int, int], value: int) -> int:
    """A neighbouring level on the same scale: what a second assessor who saw it differently gave."""
    alt = value + rng.choice((-1, 1))
    return alt if alt in levels else 2 * value - alt


def criteria_values(rng: random.Random, keys: list[str], levels: dict[int, int], value: int) -> dict[str, int]:
    out = {}
    for key in keys:
        v = value if rng.random() < 0.8 else value + rng.choice((-1, 1))
        out[key] = v if v in levels else value
    return out


def new_cohort(
    s: Session, system: Actor, school: Any, framework: Framework, profile: str | None, name: str, shared: list[User]
) -> Plan:
    cohort = accounts.create_cohort(
        s, system, school, name=name, year="2025-2026", framework_id=framework.id, profile_key=profile
    )
    slug = name.lower().replace(" ", "-")
    own = accounts.create_user(
        s, system, email=f"assessor-{slug}@college.bench.example", name=f"Praktijkbeoordelaar {name}", password=PASSWORD
    )
    for person in [*shared, own]:
        accounts.add_to_cohort(s, system, cohort, person, Role.ASSESSOR)
    programme = load_programme(s, cohort)
    return Plan(
        name=name,
        cohort_id=cohort.id,
        programme=programme,
        exams=exams_of(programme),
        assessor_ids=[shared[0].id, shared[1].id, own.id],
        required=assess.assessors_required(framework.kind, AssessmentKind.SUMMATIVE),
        targets={n.element.id: n.required.value for n in programme.claimable},
        levels={n.element.id: {lv.value: lv.id for lv in programme.scale_levels(n)} for n in programme.claimable},
        criteria={n.element.id: [c.key for c in assess.criteria_of(n)] for n in programme.claimable},
    )


def assess_through_services(s: Session, system: Actor, plan: Plan, number: int, rng: random.Random) -> int:
    """One student's complete record the way the app builds it: create, judge, submit, settle, sign.
    Returns the number of judgements written."""
    student = accounts.create_user(
        s,
        system,
        email=f"student{number}@college.bench.example",
        name=("Anna", "Bilal")[number % 2] + " Achterberg",
        password=PASSWORD,
    )
    cohort = s.get(Cohort, plan.cohort_id)
    accounts.add_to_cohort(s, system, cohort, student, Role.STUDENT)
    plan.student_ids.append(student.id)
    assessors = [s.get(User, i) for i in (plan.assessor_ids[0], plan.assessor_ids[2])[: max(plan.required, 1)]]
    written = 0
    for k, exam in enumerate(plan.exams):
        held_on = (YEAR_START + dt.timedelta(days=60 * k)).date()
        assessment = assess.create_assessment(
            s,
            Actor(user=assessors[0]),
            student,
            cohort,
            assess.NewAssessment(
                kind=AssessmentKind.SUMMATIVE,
                scope_keys=[exam.scope],
                assessor_ids=[u.id for u in assessors],
                held_on=held_on,
                context="Proeve van bekwaamheid bij Webwinkel Noord",
                title=exam.title,
            ),
        )
        agreed = {e: pick_level(rng, plan.levels[e], plan.targets[e], 0.15) for e in exam.element_ids}
        for i, assessor in enumerate(assessors):
            me = Actor(user=assessor)
            for j, (key, element_id) in enumerate(zip(exam.keys, exam.element_ids, strict=True)):
                value = agreed[element_id]
                if i == 1 and j == 0:  # the second assessor saw the first element differently
                    value = other_level(rng, plan.levels[element_id], value)
                criteria = {c: value for c in plan.criteria[element_id]}
                judgement = assess.JudgementInput(key, value, criteria, rationale="Zie observatieformulier.")
                assess.save_judgement(s, me, assessment, judgement, plan.programme)
                written += 1
            assess.submit(s, me, assessment)
        for element_id in assess.differences(assessment):
            value = agreed[element_id]
            criteria = {c: value for c in plan.criteria[element_id]}
            settled = assess.JudgementInput(exam.keys[exam.element_ids.index(element_id)], value, criteria)
            assess.settle(s, Actor(user=assessors[0]), assessment, settled, note="Na overleg vastgesteld.")
        final = [assess.sign(s, Actor(user=u), assessment, PASSWORD) for u in assessors]
        assert final[-1] and assessment.status == AssessmentStatus.FINAL, assessment.status
        written += len(exam.keys)  # the agreed judgements
    s.commit()
    return written


def bulk_students(
    bulk: Bulk,
    plan: Plan,
    school_id: int,
    count: int,
    first_number: int,
    password_hash: str,
    rng: random.Random,
    weak: float | None = None,
) -> None:
    """``count`` students with a complete final record, in a handful of INSERTs. ``weak``: every student's
    chance of failing an element (0: all pass); by default it varies by student."""
    users = [
        {
            "email": f"student{first_number + n}@college.bench.example",
            "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "language": "nl",
            "active": True,
            "is_platform_admin": False,
            "password_hash": password_hash,
            "session_token": accounts.new_session_token(),
            "created_at": YEAR_START - dt.timedelta(days=14),
        }
        for n in range(count)
    ]
    ids = bulk.ids(User, users)
    plan.student_ids += ids
    bulk.add(Membership, [{"user_id": i, "organisation_id": school_id, "role": Role.STUDENT.value} for i in ids])
    bulk.add(CohortStudent, [{"cohort_id": plan.cohort_id, "user_id": i} for i in ids])

    a, b, own = plan.assessor_ids
    pairs = [(a, own), (b, own), (a, b)]
    assessments, meta = [], []
    for n, student_id in enumerate(ids):
        chance = ability(rng) if weak is None else weak
        for k, exam in enumerate(plan.exams):
            two = plan.required >= 2 or rng.random() < 0.3  # e-CF needs one assessor; some have two
            who = pairs[(n + k) % 3] if two else (plan.assessor_ids[(n + k) % 3],)
            held_on = YEAR_START + dt.timedelta(days=60 * k + rng.randint(0, 20))
            finalised_at = held_on + dt.timedelta(days=rng.randint(2, 10), hours=rng.randint(0, 8))
            assessments.append(
                {
                    "candidate_id": student_id,
                    "cohort_id": plan.cohort_id,
                    "kind": AssessmentKind.SUMMATIVE.value,
                    "title": exam.title,
                    "scope_keys": exam.keys,
                    "held_on": held_on.date(),
                    "context": "Proeve van bekwaamheid",
                    "required_assessors": plan.required,
                    "status": AssessmentStatus.FINAL.value,
                    "correction_reason": "",
                    "created_by_id": who[0],
                    "created_at": held_on - dt.timedelta(days=7),
                    "finalised_at": finalised_at,
                    "lock_version": 3,
                }
            )
            meta.append((student_id, k, chance, who, held_on, finalised_at))
    assessment_ids = bulk.ids(Assessment, assessments)

    entries, judgements = [], []
    for assessment_id, (student_id, k, chance, who, held_on, finalised_at) in zip(assessment_ids, meta, strict=True):
        submitted_at = held_on + dt.timedelta(hours=4)
        for position, assessor_id in enumerate(who):
            entries.append(
                {
                    "assessment_id": assessment_id,
                    "assessor_id": assessor_id,
                    "position": position,
                    "submitted_at": submitted_at + dt.timedelta(minutes=20 * position),
                    "signed_at": finalised_at - dt.timedelta(minutes=30 * (len(who) - 1 - position)),
                }
            )
        failed = False
        for element_id in plan.exams[k].element_ids:
            levels, keys, target = plan.levels[element_id], plan.criteria[element_id], plan.targets[element_id]
            value = pick_level(rng, levels, target, chance)
            failed |= value < target
            own_values = [value] * len(who)
            if len(who) > 1 and rng.random() < 0.2:  # the assessors differed and settled on ``value``
                own_values[rng.randrange(len(who))] = other_level(rng, levels, value)
            criteria = criteria_values(rng, keys, levels, value)
            for assessor_id, own_value in zip(who, own_values, strict=True):
                judgements.append(
                    {
                        "assessment_id": assessment_id,
                        "assessor_id": assessor_id,
                        "element_id": element_id,
                        "level_id": levels[own_value],
                        "criteria": criteria if own_value == value else criteria_values(rng, keys, levels, own_value),
                        "rationale": "Zie observatieformulier." if own_value != value or rng.random() < 0.3 else "",
                        "claim_ids": [],
                        "version": 1,
                        "updated_at": submitted_at,
                        "updated_by_id": assessor_id,
                    }
                )
            agreed = len(set(own_values)) == 1
            judgements.append(
                {
                    "assessment_id": assessment_id,
                    "assessor_id": None,
                    "element_id": element_id,
                    "level_id": levels[value],
                    "criteria": criteria,
                    "rationale": "" if agreed else "Na overleg vastgesteld.",
                    "claim_ids": [],
                    "version": 1 if agreed else 2,
                    "updated_at": submitted_at if agreed else finalised_at - dt.timedelta(hours=1),
                    "updated_by_id": None if agreed else who[0],
                }
            )
        if failed:
            plan.resits.append((student_id, k))
    bulk.add(AssessmentAssessor, entries)
    bulk.add(Judgement, judgements)


def open_resits(bulk: Bulk, plan: Plan, limit: int = 30) -> int:
    """Resits of failed exams, still being judged by the first examiner and the cohort's own assessor; half
    with the examiner's first drafts. They fill the examiner's queue."""
    examiner, own = plan.assessor_ids[0], plan.assessor_ids[2]
    resits = plan.resits[:limit]
    now = dt.datetime.now(dt.UTC)
    rows = [
        {
            "candidate_id": student_id,
            "cohort_id": plan.cohort_id,
            "kind": AssessmentKind.SUMMATIVE.value,
            "title": f"Herkansing: {plan.exams[k].title}"[:200],
            "scope_keys": plan.exams[k].keys,
            "held_on": (now + dt.timedelta(days=7 + n % 20)).date(),
            "context": "Herkansing",
            "required_assessors": plan.required,
            "status": AssessmentStatus.OPEN.value,
            "correction_reason": "",
            "created_by_id": examiner,
            "created_at": now - dt.timedelta(days=3),
            "lock_version": 1,
        }
        for n, (student_id, k) in enumerate(resits)
    ]
    ids = bulk.ids(Assessment, rows)
    entries, drafts = [], []
    for n, (assessment_id, (_, k)) in enumerate(zip(ids, resits, strict=True)):
        for position, assessor_id in enumerate((examiner, own)):
            entries.append({"assessment_id": assessment_id, "assessor_id": assessor_id, "position": position})
        if n % 2 == 0:
            for element_id in plan.exams[k].element_ids[:2]:
                drafts.append(
                    {
                        "assessment_id": assessment_id,
                        "assessor_id": examiner,
                        "element_id": element_id,
                        "level_id": plan.levels[element_id][plan.targets[element_id]],
                        "criteria": {},
                        "rationale": "",
                        "claim_ids": [],
                        "version": 1,
                        "updated_at": now,
                        "updated_by_id": examiner,
                    }
                )
    bulk.add(AssessmentAssessor, entries)
    bulk.add(Judgement, drafts)
    return len(rows)


def submitted_claims(s: Session, plan: Plan, students: int = 25) -> int:
    """New evidence waiting for the assessors' feedback, through the portfolio services (few: no bulk needed)."""
    keys = [key for exam in plan.exams for key in exam.keys]
    cohort = s.get(Cohort, plan.cohort_id)
    submitted = 0
    for i, student_id in enumerate(plan.student_ids[1 : students + 1]):
        student = s.get(User, student_id)
        me = Actor(user=student)
        item = portfolio.create_item(
            s,
            me,
            student,
            portfolio.ItemData(
                title="Verslag herkansing",
                description="Nieuwe opdracht voor de herkansing: klantcontact in de webwinkel.",
                situation="Stage bij een webwinkel.",
                action="Klantvragen afgehandeld en het proces beschreven.",
                reflection="Ik vraag eerder om feedback.",
            ),
        )
        for k in {i % len(keys), (i * 5 + 3) % len(keys)}:
            portfolio.add_claim(s, me, item, cohort, keys[k], 2, "Zie verslag.")
        submitted += portfolio.request_feedback(s, me, item)
    s.commit()
    return submitted


@dataclass
class School:
    plans: list[Plan]
    small: Plan
    open_assessments: int
    claims: int
    service_judgements: int
    service_ms: float
    bulk_rows: int
    bulk_s: float
    org_id: int
    students: int  # students numbered so far (their e-mail addresses)


def new_school(s: Session, system: Actor) -> tuple[Organisation, list[User], dict[str, Framework]]:
    """The college, the two examiners every cohort shares, and the frameworks by code."""
    frameworks = {f.code: f for f in s.scalars(select(Framework))}
    school = accounts.create_organisation(s, system, name="Bench college", kind=OrgKind.SCHOOL)
    shared = [
        accounts.create_user(s, system, email=email, name=f"Examinator {n + 1}", password=PASSWORD)
        for n, email in enumerate(EXAMINERS)
    ]
    return school, shared, frameworks


def build_school(app: Flask) -> School:
    s = db.session
    system = Actor.system("bench")
    rng = random.Random(2026)  # noqa: S311 - reproducible made-up data, not secrets
    school, shared, frameworks = new_school(s, system)
    plans = []
    for c in range(COHORTS):
        (code, profile), label = (P3, "P3") if c % 2 == 0 else (ECF, "OCM")
        plans.append(new_cohort(s, system, school, frameworks[code], profile, f"{label} {c + 1:02d}", shared))
    small = new_cohort(s, system, school, frameworks[P3[0]], P3[1], "P3 small", shared)
    s.commit()
    sizes = [SCHOOL_STUDENTS // COHORTS + (1 if c < SCHOOL_STUDENTS % COHORTS else 0) for c in range(COHORTS)]

    # The path the app takes, for the first student of the first cohort of each programme.
    start = time.perf_counter()
    service_judgements, number = 0, 0
    for plan in plans[:2]:
        service_judgements += assess_through_services(s, system, plan, number, rng)
        number += 1
    service_ms = (time.perf_counter() - start) * 1000

    # Everyone else in bulk, with one password hash for all.
    password_hash = hash_password(PASSWORD)
    bulk = Bulk(s)
    start = time.perf_counter()
    for plan, size in [*zip(plans, sizes, strict=True), (small, 5)]:
        count = size - len(plan.student_ids)
        bulk_students(bulk, plan, school.id, count, number, password_hash, rng)
        number += count
        s.commit()
        print(f"    {plan.name}: {len(plan.student_ids)} students", flush=True)
    open_assessments = open_resits(bulk, plans[0])
    s.commit()
    bulk_s = time.perf_counter() - start
    claims = submitted_claims(s, plans[0])
    return School(
        plans, small, open_assessments, claims, service_judgements, service_ms, bulk.rows, bulk_s, school.id, number
    )


def bench_assessment(app: Flask, client: FlaskClient, queries: Queries) -> School:
    with app.app_context():
        print("\nAssessment at scale: building the school …")
        school = build_school(app)
        s = db.session
        judgements = s.scalar(select(func.count()).select_from(Judgement))
        finals = s.scalar(select(func.count()).select_from(Assessment).where(Assessment.status == "final"))
        p3 = school.plans[0]  # cohorts alternate: P3, e-CF, P3, …
        ecf = school.plans[1] if len(school.plans) > 1 else None
        complete = sum(r.complete for r in cohort_records(s, s.get(Cohort, p3.cohort_id))[1])
        print("\nAssessment at scale")
        service_rate = school.service_judgements / school.service_ms * 1000
        row(
            f"service path: {school.service_judgements} judgements (one P3 + one e-CF student)",
            f"{school.service_ms:,.0f} ms",
        )
        row("  … judgements per second through the services", f"{service_rate:,.0f} /s")
        row(f"bulk build: {school.bulk_rows:,} rows (made up, inserted, committed)", f"{school.bulk_s:,.1f} s")
        row("  … rows per second", f"{school.bulk_rows / school.bulk_s:,.0f} /s")
        row("judgements in the database (assessors' and agreed)", f"{judgements:,}")
        row(
            "final assessments · open resits · claims awaiting feedback",
            f"{finals:,} · {school.open_assessments} · {school.claims}",
        )
        row(f"{p3.name}: students with every element achieved", f"{complete} of {len(p3.student_ids)}")

    examiner = EXAMINERS[0]
    with app.app_context():
        p3_student = db.session.get(User, p3.student_ids[0]).email
        ecf_student = db.session.get(User, ecf.student_ids[0]).email if ecf else None

    def matrix(plan: Plan) -> tuple[float, int, str]:
        return page(client, queries, examiner, f"/assess/cohorts/{plan.cohort_id}")

    print("\nAssessment pages (median of 5, warm)")
    n_p3 = len(p3.targets)
    ms_big, q_big, html = matrix(p3)
    row(f"assess: cohort matrix {p3.name} ({len(p3.student_ids)} students × {n_p3})", f"{ms_big:,.1f} ms · {q_big} q")
    below = html.count('class="oc oc-not_yet" title=')
    if ecf:
        n_ecf = len(ecf.targets)
        ms, q, _ = matrix(ecf)
        row(f"assess: cohort matrix {ecf.name} ({len(ecf.student_ids)} students × {n_ecf})", f"{ms:,.1f} ms · {q} q")
    pages = [
        (f"assess: learner progress, P3 ({len(p3.exams)} exams, {n_p3} elements)", p3_student,
         f"/progress/students/{p3.student_ids[0]}/programmes/{p3.cohort_id}"),
    ]  # fmt: skip
    if ecf:
        pages.append(
            (f"assess: learner progress, e-CF ({n_ecf} competences, chart)", ecf_student,
             f"/progress/students/{ecf.student_ids[0]}/programmes/{ecf.cohort_id}")
        )  # fmt: skip
    pages.append(
        (f"assess: examiner's queue ({school.open_assessments} open, {school.claims} claims)", examiner, "/assess/")
    )
    show_pages(client, queries, pages)

    print("\nQuery count does not grow with the class (cohort matrix, P3)")
    ms_small, q_small, _ = matrix(school.small)
    big = len(p3.student_ids)
    row(f"{big} students vs 5 students: SQL queries per request", f"{q_big} q · {q_small} q")
    row(f"{big} students vs 5 students: median time", f"{ms_big:,.0f} ms · {ms_small:,.0f} ms")
    verdict = "flat: the same queries whatever the class size" if q_big == q_small else "GROWS with the class size"
    row(f"  … {verdict}", "✓" if q_big == q_small else "✗")
    row(f"cells below target shown in the {p3.name} matrix", f"{below:,} of {big * n_p3:,}")
    return school


# --- certificates ----------------------------------------------------------------------------------


@dataclass
class Phases:
    """Where one certificate's time goes: the service's steps, wrapped in timers while it issues. What the
    timers do not cover is storage and the database (numbering, status index, key, rows, audit, commit)."""

    record: float = 0.0  # the learner record and the rules (learner_record + rules.decide)
    sign: float = 0.0  # proof.sign: JSON-LD expansion, RDF canonicalisation, Ed25519
    pdf: float = 0.0  # render_certificate: the HTML template, WeasyPrint layout and PDF
    total: float = 0.0
    pdf_bytes: int = 0

    @property
    def rest(self) -> float:
        return self.total - self.record - self.sign - self.pdf

    @contextlib.contextmanager
    def watching(self) -> Any:
        targets = [
            (certs, "learner_record", "record"),
            (rules, "decide", "record"),
            (proof, "sign", "sign"),
            (certificate_pdf, "render_certificate", "pdf"),  # imported by issue() at call time
        ]
        originals = [getattr(module, name) for module, name, _ in targets]

        def wrap(fn: Callable[..., Any], bucket: str) -> Callable[..., Any]:
            def run(*args: Any, **kwargs: Any) -> Any:
                start = time.perf_counter()
                try:
                    result = fn(*args, **kwargs)
                finally:
                    setattr(self, bucket, getattr(self, bucket) + (time.perf_counter() - start) * 1000)
                if bucket == "pdf":
                    self.pdf_bytes = len(result)
                return result

            return run

        for (module, name, bucket), fn in zip(targets, originals, strict=True):
            setattr(module, name, wrap(fn, bucket))
        try:
            yield self
        finally:
            for (module, name, _), fn in zip(targets, originals, strict=True):
                setattr(module, name, fn)


def issue_timed(s: Session, actor: Actor, cohort_id: int, student_id: int) -> tuple[Phases, Certificate]:
    """Issue one programme certificate and commit it, timed step by step."""
    student, cohort = s.get(User, student_id), s.get(Cohort, cohort_id)
    phases = Phases()
    with phases.watching():
        start = time.perf_counter()
        cert = certs.issue(s, actor, student, cohort, rules.PROGRAMME)
        s.commit()
        phases.total = (time.perf_counter() - start) * 1000
    return phases, cert


def complete_p3(s: Session, plans: list[Plan], limit: int) -> list[tuple[int, int]]:
    """(cohort id, student id) of up to ``limit`` P3 students of the assessment part with a complete record."""
    out: list[tuple[int, int]] = []
    for plan in plans:
        if len(out) >= limit:
            break
        if plan.name.startswith("P3"):
            _, records = cohort_records(s, s.get(Cohort, plan.cohort_id))
            out += [(plan.cohort_id, r.student.id) for r in records if r.complete]
    return out[:limit]


def batch_outcomes(s: Session, batch_id: int) -> tuple[str, int, dict[str, int]]:
    batch = s.get(CertificateBatch, batch_id)
    counts = {"issued": 0, "skipped": 0, "refused": 0, "failed": 0}
    for outcome in batch.outcomes:
        counts[outcome["result"]] = counts.get(outcome["result"], 0) + 1
    return batch.status, batch.issued, counts


def bench_certificates(app: Flask, school: School | None) -> None:
    with app.app_context():
        s = db.session
        system = Actor.system("bench")
        rng = random.Random(2027)  # noqa: S311 - reproducible made-up data, not secrets
        if school is None:
            print(f"\nCertificates: building a small school ({SINGLE + 1} + {BATCH} students, all passing) …")
            org, shared, frameworks = new_school(s, system)
            number, candidates = 0, []
        else:
            print(f"\nCertificates: adding a cohort of {BATCH} students, all passing …")
            org = s.get(Organisation, school.org_id)
            shared = [s.scalar(select(User).where(User.email == email)) for email in EXAMINERS]
            frameworks = {f.code: f for f in s.scalars(select(Framework))}
            number = school.students + 1000  # clear of the assessment part's addresses
            candidates = complete_p3(s, school.plans, SINGLE + 1)  # one warm-up, then SINGLE timed
        password_hash = hash_password(PASSWORD)
        bulk, built = Bulk(s), []
        start = time.perf_counter()
        if len(candidates) < SINGLE + 1:
            single = new_cohort(s, system, org, frameworks[P3[0]], P3[1], "P3 single", shared)
            missing = SINGLE + 1 - len(candidates)
            bulk_students(bulk, single, org.id, missing, number, password_hash, rng, weak=0.0)
            number += missing
            candidates += [(single.cohort_id, i) for i in single.student_ids]
            built.append(single.name)
        plan = new_cohort(s, system, org, frameworks[P3[0]], P3[1], "P3 certify", shared)
        bulk_students(bulk, plan, org.id, BATCH, number, password_hash, rng, weak=0.0)
        built.append(plan.name)
        s.commit()
        build_s = time.perf_counter() - start
        cohort_ids = sorted({c for c, _ in candidates})
        source = ", ".join(s.get(Cohort, c).name for c in cohort_ids)
        _, records = cohort_records(s, s.get(Cohort, plan.cohort_id))
        complete = sum(r.complete for r in records)
        elements = len(plan.targets)

        print("\nCertificates (programme certificate: PDF + signed OpenBadgeCredential + rows)")
        row(f"bulk build: {bulk.rows:,} rows ({' and '.join(built)})", f"{build_s:,.1f} s")
        row(f"{plan.name}: students with every element achieved", f"{complete} of {len(plan.student_ids)}")

        actor = Actor(user=shared[0], user_agent="bench")
        first, _ = issue_timed(s, actor, *candidates[0])
        row("first certificate of the school (new signing key, warm-up)", f"{first.total:,.0f} ms")
        start = time.perf_counter()
        runs = [issue_timed(s, actor, *c) for c in candidates[1:]]
        single_s = time.perf_counter() - start
        phases = [p for p, _ in runs]
        cert = runs[0][1]
        median = statistics.median(p.total for p in phases)
        row(f"issue one at a time: {len(runs)} P3 students of {source}", f"{single_s:,.1f} s")
        row(f"  … per certificate ({elements} elements), median", f"{median:,.0f} ms")
        row("  … certificates per second (1 / median)", f"{1000 / median:,.1f} /s")
        row("  … certificates per second (over the whole run)", f"{len(runs) / single_s:,.1f} /s")
        print("  where one certificate's time goes (median of each step)")
        for label, value in (
            ("learner record + rules", statistics.median(p.record for p in phases)),
            ("credential signing (proof.sign, eddsa-rdfc-2022)", statistics.median(p.sign for p in phases)),
            ("PDF rendering (WeasyPrint)", statistics.median(p.pdf for p in phases)),
            ("storage + DB (number, key, rows, audit, commit)", statistics.median(p.rest for p in phases)),
        ):
            row(f"  … {label}", f"{value:,.0f} ms · {value / median:.0%}")
        credential_kb = len(json.dumps(cert.credential)) / 1024
        pdf_kb = statistics.median(p.pdf_bytes for p in phases) / 1024
        row("  … signed credential · PDF", f"{credential_kb:,.0f} kB · {pdf_kb:,.0f} kB")

        cohort = s.get(Cohort, plan.cohort_id)
        start = time.perf_counter()
        batch = certs.start_batch(s, actor, cohort, rules.PROGRAMME)  # JOBS_MODE eager: run_batch runs here
        batch_s = time.perf_counter() - start
        status, issued, counts = batch_outcomes(s, batch.id)
        assert status == BatchStatus.DONE and issued == BATCH, (status, issued, counts)
        start = time.perf_counter()
        again = certs.start_batch(s, actor, s.get(Cohort, plan.cohort_id), rules.PROGRAMME)
        again_s = time.perf_counter() - start
        _, issued_again, counts_again = batch_outcomes(s, again.id)
        stored = s.scalar(select(func.count()).select_from(Certificate).where(Certificate.cohort_id == plan.cohort_id))
        assert issued_again == 0 and counts_again["skipped"] == BATCH and stored == BATCH, (counts_again, stored)
        other = counts["refused"] + counts["failed"]
        row(f"bulk job: certify {plan.name} ({BATCH} students)", f"{batch_s:,.1f} s")
        row("  … certificates per second", f"{issued / batch_s:,.1f} /s")
        row("  … issued · skipped · refused or failed", f"{issued} · {counts['skipped']} · {other}")
        row("run it again: issued · skipped (nothing twice)", f"{issued_again} · {counts_again['skipped']}")
        row("  … in", f"{again_s:,.1f} s")
        row(f"certificates of {plan.name} in the database", f"{stored}")

        total = s.scalar(select(func.count()).select_from(Certificate).where(Certificate.organisation_id == org.id))
        document = json.loads(json.dumps(cert.credential))  # as a verifier uploads it
        verify_ms, result = timed(lambda: certs.verify_document(s, document))
        assert result.valid, (result.reason, result.problems)
        status_ms, status_list = timed(lambda: certs.status_list_credential(s, org))
        status_kb = len(json.dumps(status_list)) / 1024
        row("verify one credential (proof, issuer key, as issued), median", f"{verify_ms:,.0f} ms")
        row(f"status list credential ({total} issued, signed, {status_kb:,.0f} kB)", f"{status_ms:,.0f} ms")


def build(app: Flask) -> dict[str, object]:
    s = db.session
    system = Actor.system("bench")
    frameworks = {f.code: f for f in s.scalars(select(Framework))}
    school = accounts.create_organisation(s, system, name="Bench school", kind=OrgKind.SCHOOL)
    cohort = accounts.create_cohort(
        s, system, school, name="P3 bench", year="2026", framework_id=frameworks["mbo-commercie"].id, profile_key="P3"
    )
    assessor = accounts.create_user(s, system, email="assessor@bench.example", name="Assessor", password=PASSWORD)
    accounts.add_to_cohort(s, system, cohort, assessor, Role.ASSESSOR)
    keys = [n.element.key for n in load_programme(s, cohort).claimable]
    storage = storage_for(app)
    images = [png_bytes((1200, 800), (20 * i % 255, 80, 160)) for i in range(5)]
    first_student = first_item = None
    for n in range(STUDENTS):
        student = accounts.create_user(s, system, email=f"s{n}@bench.example", name=f"Student {n}", password=PASSWORD)
        accounts.add_to_cohort(s, system, cohort, student, Role.STUDENT)
        me = Actor(user=student)
        for i in range(ITEMS):
            item = portfolio.create_item(
                s,
                me,
                student,
                portfolio.ItemData(
                    title=f"Opdracht {i + 1}: webshop-analyse",
                    description="Analyse van de klantreis en de conversie van een webshop. " * 4,
                    situation="Stage bij een webwinkel.",
                    action="Data verzameld, geanalyseerd en besproken met de begeleider.",
                    reflection="Volgende keer plan ik de interviews eerder.",
                ),
            )
            for k in (i % len(keys), (i * 7 + 3) % len(keys)):
                with contextlib.suppress(portfolio.PortfolioError):  # the same element twice
                    portfolio.add_claim(s, me, item, cohort, keys[k], 2, "Zie bijlage.")
            if n == 0 and i < 10:
                portfolio.add_attachment(s, storage, me, item, f"scherm{i}.png", images[i % 5], 25 * 1024 * 1024)
            if i % 3 == 0:
                portfolio.add_comment(s, Actor(user=assessor), item, "Goed; noem je bronnen.")
            first_item = first_item or item
        first_student = first_student or student
        if n % 20 == 19:
            s.commit()
            print(f"    {n + 1} students", flush=True)
    return {
        "student": first_student.email,
        "student_id": first_student.id,
        "student_path": f"/portfolio/students/{first_student.id}/programmes/{cohort.id}",
        "assessor": assessor.email,
        "cohort": cohort.id,
        "item": first_item.id,
    }


if __name__ == "__main__":
    main()
