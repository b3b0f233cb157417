"""`make bench`, part "standards": the CASE provider and the exports (issue 12).

The CASE package endpoint of the mbo dossier (target: under 100 ms, warm) with its query count, the
export of every built-in standard in each format (CASE 1.1 JSON, Moodle CSV, Bekwaam YAML), and the import
and export of a 5,000-item CASE 1.1 package built here (targets: under 5 s each), with the machine's load.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.audit import Actor  # noqa: E402
from app.blueprints.case.links import public_links  # noqa: E402
from app.extensions import db  # noqa: E402
from app.standards.exporters.case import export_case  # noqa: E402
from app.standards.exporters.formats import FORMATS, render  # noqa: E402
from app.standards.importers import service as importer  # noqa: E402
from app.standards.importers.detect import convert  # noqa: E402
from app.standards.models import Framework  # noqa: E402
from app.standards.queries import EVERYONE, get_framework, load_tree  # noqa: E402

PACKAGE_TARGET_MS = 100
BIG_ITEMS = 5_000
BIG_TARGET_S = 5.0


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


# --- a 5,000-item CASE package -------------------------------------------------------------------

_NS = uuid.UUID("6f1d2c3b-5a49-4e8f-9b7a-0c1d2e3f4a5b")
_BASE = "https://case.example/uri"  # the form OpenSALT gives its objects
_STAMP = "2026-11-30T12:00:00+00:00"
_LEVELS = [("Not yet", 0), ("Developing", 1), ("Competent", 2), ("Excellent", 3)]


def _ident(*parts: object) -> str:
    return str(uuid.uuid5(_NS, ":".join(map(str, parts))))


class _PackageBuilder:
    """A realistic CASE 1.1 package: a document, domains > strands > competencies > indicators (four levels),
    every association type the importer keeps (some pointing outside the package) and a rubric whose criteria
    are the competencies."""

    def __init__(self, items: int, seed: int = 12):
        self.rng = random.Random(seed)  # noqa: S311 - a reproducible bench, not a secret
        self.limit = items
        self.doc = _ident("doc")
        self.items: list[dict[str, Any]] = []
        self.associations: list[dict[str, Any]] = []
        self.competencies: list[dict[str, Any]] = []

    def ref(self, item: dict[str, Any]) -> dict[str, str]:
        return {"identifier": item["identifier"], "uri": item["uri"], "title": item["humanCodingScheme"]}

    def associate(self, kind: str, origin: dict[str, str], destination: dict[str, str], seq: int | None = None) -> None:
        ident = _ident("assoc", len(self.associations))
        assoc: dict[str, Any] = {
            "identifier": ident,
            "uri": f"{_BASE}/{ident}",
            "associationType": kind,
            "originNodeURI": origin,
            "destinationNodeURI": destination,
            "lastChangeDateTime": _STAMP,
        }
        if seq is not None:
            assoc["sequenceNumber"] = seq
        self.associations.append(assoc)

    def add(self, item_type: str, code: str, statement: str, parent: dict[str, str], seq: int) -> dict[str, Any] | None:
        if len(self.items) >= self.limit:
            return None
        ident = _ident("item", code)
        item = {
            "identifier": ident,
            "uri": f"{_BASE}/{ident}",
            "humanCodingScheme": code,
            "fullStatement": statement,
            "CFItemType": item_type,
            "language": "en",
            "lastChangeDateTime": _STAMP,
        }
        if item_type == "Competency":
            item["notes"] = f"Assessed in the workplace; evidence as agreed for {code}."
        self.items.append(item)
        self.associate("isChildOf", self.ref(item), parent, seq)
        return item

    def build(self) -> dict[str, Any]:
        top = {"identifier": self.doc, "uri": f"{_BASE}/{self.doc}", "title": "Bench framework"}
        d = 0
        while len(self.items) < self.limit:
            d += 1
            domain = self.add("Domain", f"D{d}", f"Domain {d}: a field of professional practice", top, d)
            for s in range(1, 11):
                strand = domain and self.add("Strand", f"D{d}.S{s}", f"Strand {s} of domain {d}", self.ref(domain), s)
                for c in range(1, 10):
                    self.competency(strand, f"D{d}.S{s}.C{c}", c)
        self.cross_associations()
        return {
            "CFDocument": {
                "identifier": self.doc,
                "uri": top["uri"],
                "creator": "Bekwaam bench",
                "title": "Bench framework (5,000 items)",
                "lastChangeDateTime": _STAMP,
                "officialSourceURL": "https://case.example/bench",
                "publisher": "Bekwaam",
                "description": "Built by make bench: four levels, associations of every kind and a rubric.",
                "language": "en",
                "version": "1.0",
                "adoptionStatus": "Draft",
            },
            "CFItems": self.items,
            "CFAssociations": self.associations,
            "CFDefinitions": {"CFItemTypes": [], "CFConcepts": [], "CFSubjects": [], "CFLicenses": []},
            "CFRubrics": [self.rubric()],
        }

    def competency(self, strand: dict[str, Any] | None, code: str, seq: int) -> None:
        statement = f"Carries out task {code} to the standard of a starting professional"
        competency = strand and self.add("Competency", code, statement, self.ref(strand), seq)
        if not competency:
            return
        self.competencies.append(competency)
        for i in range(1, self.rng.randint(8, 14)):
            self.add(
                "Indicator",
                f"{code}.{i}",
                f"Shows indicator {i} of {code} in a real situation",
                self.ref(competency),
                i,
            )

    def cross_associations(self) -> None:
        comps = self.competencies
        for n, comp in enumerate(comps):
            origin = self.ref(comp)
            if n + 1 < len(comps):
                self.associate("precedes", origin, self.ref(comps[n + 1]))
            if n % 3 == 0:  # a match in another publisher's framework, outside the package
                ext = _ident("external", n)
                outside = {"identifier": ext, "uri": f"https://other.example/CFItems/{ext}", "title": f"Other {n}"}
                self.associate("exactMatchOf", origin, outside)
            if n % 4 == 1:
                self.associate("isRelatedTo", origin, self.ref(self.rng.choice(comps)))
            if n % 7 == 2:
                self.associate("isPeerOf", origin, self.ref(self.rng.choice(comps)))

    def rubric(self) -> dict[str, Any]:
        rubric_id = _ident("rubric")
        criteria = []
        for n, comp in enumerate(self.competencies):
            crit_id = _ident("criterion", n)
            levels = [
                {
                    "identifier": _ident("level", n, score),
                    "quality": quality,
                    "score": score,
                    "description": f"{quality}: {comp['humanCodingScheme']} at this level.",
                    "position": score + 1,
                }
                for quality, score in _LEVELS
            ]
            criteria.append(
                {
                    "identifier": crit_id,
                    "category": "Task",
                    "description": comp["fullStatement"],
                    "CFItemURI": self.ref(comp),
                    "position": n + 1,
                    "rubricId": rubric_id,
                    "CFRubricCriterionLevels": levels,
                }
            )
        return {
            "identifier": rubric_id,
            "uri": f"{_BASE}/{rubric_id}",
            "title": "Workplace proficiency",
            "description": "How the assessor judges a competency at work.",
            "lastChangeDateTime": _STAMP,
            "CFRubricCriteria": criteria,
        }


def big_package(items: int = BIG_ITEMS) -> dict[str, Any]:
    return _PackageBuilder(items).build()


def _verdict(seconds: float) -> str:
    return f"{seconds:,.2f} s " + ("ok" if seconds < BIG_TARGET_S else f"over {BIG_TARGET_S:g} s")


def bench_big_case(app: Flask) -> dict[str, Any]:
    """Import a 5,000-item CASE package into the scratch database as `flask standards import` does, then export it."""
    load_before = os.getloadavg()
    package = big_package()
    raw = json.dumps(package, ensure_ascii=False, separators=(",", ":")).encode()  # as an API serves it
    print(
        f"\nCASE 1.1 package of {len(package['CFItems']):,} items ({len(raw) / 1024:,.0f} kB, "
        f"{len(package['CFAssociations']):,} associations, {len(package['CFRubrics'][0]['CFRubricCriteria'])} "
        f"rubric criteria) · load {' '.join(f'{x:.2f}' for x in load_before)}"
    )
    code, imported = _import_big(app, raw)
    exported = _export_big(app, code)
    load_after = os.getloadavg()
    print(f"  machine load after: {' '.join(f'{x:.2f}' for x in load_after)} ({os.cpu_count()} cores)")
    return {
        "items": len(package["CFItems"]),
        "associations": len(package["CFAssociations"]),
        "package_kb": round(len(raw) / 1024),
        **imported,
        **exported,
        "target_s": BIG_TARGET_S,
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in load_after],
        "cpu_count": os.cpu_count(),
    }


def _import_big(app: Flask, raw: bytes) -> tuple[str, dict[str, float]]:
    """Convert + validate alone, then what `flask standards import` does: preview, then apply and commit."""
    name = "bench-case-5000.json"
    with app.app_context():
        start = time.perf_counter()
        conversion = convert(raw, name)
        convert_s = time.perf_counter() - start
        assert conversion.ok, conversion.report
        start = time.perf_counter()
        result = importer.preview(db.session, raw, name)
        preview_s = time.perf_counter() - start
        assert result.can_apply and result.conversion.spec is not None, result.conversion.report
        code = result.conversion.spec.code
        start = time.perf_counter()
        importer.apply(db.session, Actor.system("make bench"), result)
        db.session.commit()
        apply_s = time.perf_counter() - start
        start = time.perf_counter()
        again = importer.apply(db.session, Actor.system("make bench"), importer.preview(db.session, raw, name))
        db.session.commit()
        reimport_s = time.perf_counter() - start
        db.session.remove()
    assert not again.changed, again.summary()
    _row("import: convert + validate (detect.convert)", f"{convert_s:,.2f} s")
    _row("import: preview (convert, validate, cross-checks)", f"{preview_s:,.2f} s")
    _row("import: load and commit (service.apply)", f"{apply_s:,.2f} s")
    _row(f"import total: preview + load (target {BIG_TARGET_S:g} s)", _verdict(preview_s + apply_s))
    _row("import the same package again (nothing written)", f"{reimport_s:,.2f} s")
    return code, {
        "import_convert_s": round(convert_s, 2),
        "import_preview_s": round(preview_s, 2),
        "import_apply_s": round(apply_s, 2),
        "import_s": round(preview_s + apply_s, 2),
        "reimport_unchanged_s": round(reimport_s, 2),
    }


def _export_big(app: Flask, code: str) -> dict[str, float]:
    """Load the tree, build the CFPackage, serialise it: the median of three of each phase."""
    phases: dict[str, list[float]] = {"tree": [], "build": [], "json": []}
    for _ in range(3):
        with app.app_context():
            start = time.perf_counter()
            fw = get_framework(db.session, code, audience=EVERYONE)
            assert fw is not None
            tree = load_tree(db.session, fw)
            loaded = time.perf_counter()
            package = export_case(tree, public_links())
            built = time.perf_counter()
            body = json.dumps(package, ensure_ascii=False)
            phases["tree"].append(loaded - start)
            phases["build"].append(built - loaded)
            phases["json"].append(time.perf_counter() - built)
            db.session.remove()
    assert len(package["CFItems"]) == BIG_ITEMS
    tree_s, build_s, json_s = (statistics.median(v) for v in phases.values())
    export_s = tree_s + build_s + json_s
    _row("export: load the tree (queries.load_tree)", f"{tree_s:,.2f} s")
    _row("export: build the CFPackage (exporters.case)", f"{build_s:,.2f} s")
    _row(f"export: serialise ({len(body) / 1024:,.0f} kB JSON)", f"{json_s:,.2f} s")
    _row(f"export total, median of 3 (target {BIG_TARGET_S:g} s)", _verdict(export_s))
    return {
        "export_tree_s": round(tree_s, 2),
        "export_build_s": round(build_s, 2),
        "export_json_s": round(json_s, 2),
        "export_s": round(export_s, 2),
        "export_kb": round(len(body) / 1024),
    }
