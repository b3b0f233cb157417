"""`make bench`: build realistic data at scale and print how fast the main paths are.

Runs on a fresh SQLite file under a temporary directory (or on BENCH_DATABASE_URL, e.g. a scratch
PostgreSQL database), never on your own data. Figures are printed, not asserted: compare them between
changes. Scale with BENCH_STUDENTS (default 120) and BENCH_ITEMS (items per student, default 30).
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import event, func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.accounts import services as accounts  # noqa: E402
from app.accounts.models import Cohort, OrgKind, Role, User  # noqa: E402
from app.audit import Actor  # noqa: E402
from app.extensions import db  # noqa: E402
from app.files.storage import storage_for  # noqa: E402
from app.portfolio import pdf  # noqa: E402
from app.portfolio import services as portfolio  # noqa: E402
from app.portfolio.models import Claim, EvidenceItem  # noqa: E402
from app.portfolio.programme import load_programme  # noqa: E402
from app.standards.loader import load_paths, seed_paths  # noqa: E402
from app.standards.models import Framework  # noqa: E402
from tests.factories import png_bytes  # noqa: E402

STUDENTS = int(os.environ.get("BENCH_STUDENTS", "120"))
ITEMS = int(os.environ.get("BENCH_ITEMS", "30"))
PASSWORD = "bench-password-not-secret-2026"  # noqa: S105 - scratch accounts on a scratch database


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


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bekwaam-bench-"))
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite'}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_DIR": str(workdir),
            "SECRET_KEY": "bench",
            "CHEAP_PASSWORD_HASHING": True,
            "JOBS_MODE": "eager",
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
        }
    )
    queries = Queries(app)
    print(f"Bekwaam bench · {url.split('://')[0]} · {STUDENTS} students × {ITEMS} items · {workdir}")

    with app.app_context():
        upgrade()
        paths = seed_paths(app.config["STANDARDS_SEED_DIR"])
        start = time.perf_counter()
        load_paths(db.session, paths)
        db.session.commit()
        first_load = (time.perf_counter() - start) * 1000
        reload_ms, _ = timed(lambda: (load_paths(db.session, paths), db.session.commit()), repeat=3)
        print("\nStandards")
        row("load all six seed files into an empty database", f"{first_load:,.0f} ms")
        row("reload unchanged (idempotent, nothing written)", f"{reload_ms:,.0f} ms")

        print("\nBuilding portfolios …")
        start = time.perf_counter()
        ids = build(app)
        db.session.commit()
        build_s = time.perf_counter() - start
        items = db.session.scalar(select(func.count()).select_from(EvidenceItem))
        claims = db.session.scalar(select(func.count()).select_from(Claim))
        row(f"{items:,} evidence items, {claims:,} claims created in", f"{build_s:,.1f} s")

    client = app.test_client()
    print("\nPages (median of 5, warm)")
    pages = [
        ("standards: framework page mbo-commercie (432 elements)", None, "/standards/mbo-commercie"),
        ("standards: search 'klant'", None, "/standards/search?q=klant"),
        ("api: /api/v1/frameworks/mbo-commercie (full tree JSON)", None, "/api/v1/frameworks/mbo-commercie"),
        ("portfolio: student's programme view (P3, 30 items)", "student", ids["student_path"]),
        ("portfolio: student's home", "student", "/portfolio/"),
        ("portfolio: item page", "student", f"/portfolio/items/{ids['item']}"),
        ("portfolio: assessor's home (cohort of all students)", "assessor", "/portfolio/"),
        ("portfolio: assessor reads a student's programme", "assessor", ids["student_path"]),
    ]  # fmt: skip
    for label, who, path in pages:
        client.post("/sign-out")
        if who:
            client.post("/sign-in", data={"email": ids[who], "password": PASSWORD})
        client.get(path)
        before = queries.n
        assert client.get(path).status_code == 200, path
        per_request = queries.n - before
        ms, _ = timed(lambda path=path: client.get(path))
        row(f"{label}", f"{ms:,.1f} ms · {per_request} q")

    with app.app_context():
        student = db.session.get(User, ids["student_id"])
        cohort = db.session.get(Cohort, ids["cohort"])
        storage = storage_for(app)
        print("\nPDF export")
        gather_ms, doc = timed(lambda: pdf.gather(db.session, student, cohort), repeat=3)
        row(f"gather a {len(doc.items)}-item portfolio ({len(doc.sections)} elements)", f"{gather_ms:,.0f} ms")
        render_ms, data = timed(lambda: pdf.write_pdf(doc, storage, "bench"), repeat=3)
        row(f"render it with WeasyPrint ({len(data) / 1024:,.0f} kB)", f"{render_ms:,.0f} ms")
    print()


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
