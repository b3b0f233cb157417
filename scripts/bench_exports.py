"""`make bench`, part "standards": the CASE provider and the exports (issue 12).

The CASE package endpoint of the mbo dossier (target: under 100 ms, warm) with its query count, and the
export of every built-in standard in each format (CASE 1.1 JSON, Moodle CSV, Bekwaam YAML).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.blueprints.case.links import public_links  # noqa: E402
from app.extensions import db  # noqa: E402
from app.standards.exporters.formats import FORMATS, render  # noqa: E402
from app.standards.models import Framework  # noqa: E402
from app.standards.queries import load_tree  # noqa: E402

PACKAGE_TARGET_MS = 100


def _median_ms(fn: Any, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _row(label: str, value: str) -> None:
    print(f"  {label:<58} {value:>14}")


def bench_exports(app: Flask, client: FlaskClient) -> dict[str, Any]:
    print("\nCASE provider and exports (median of 5, warm)")
    with app.app_context():
        frameworks = list(db.session.scalars(select(Framework).order_by(Framework.code)))
        mbo = next(f for f in frameworks if f.code == "mbo-commercie")
        path = f"/ims/case/v1p1/CFPackages/{mbo.uuid}"
        engine = db.engine
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append("")

    assert client.get(path).status_code == 200
    event.listen(engine, "before_cursor_execute", count)
    response = client.get(path)
    event.remove(engine, "before_cursor_execute", count)
    package_ms = _median_ms(lambda: client.get(path))
    size_kb = len(response.get_data()) / 1024
    verdict = "ok" if package_ms < PACKAGE_TARGET_MS else f"over {PACKAGE_TARGET_MS} ms"
    _row(f"CASE CFPackages mbo-commercie ({size_kb:,.0f} kB, {len(statements)} q)", f"{package_ms:,.1f} ms {verdict}")
    figures: dict[str, Any] = {
        "case_package_mbo_ms": round(package_ms, 1),
        "case_package_mbo_queries": len(statements),
        "case_package_mbo_kb": round(size_kb),
        "case_package_target_ms": PACKAGE_TARGET_MS,
        "export_ms": {},
    }
    with app.app_context():
        links = public_links()
        for fw in db.session.scalars(select(Framework).order_by(Framework.code)):
            tree = load_tree(db.session, fw)
            for fmt in FORMATS:
                ms = _median_ms(lambda tree=tree, fmt=fmt: render(tree, fmt, links), repeat=3)
                figures["export_ms"][f"{fw.code}.{fmt}"] = round(ms, 1)
                _row(f"export {fw.code} as {fmt} ({len(tree.by_key)} elements)", f"{ms:,.1f} ms")
        db.session.remove()
    return figures
