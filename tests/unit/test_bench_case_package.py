"""The CASE package `make bench` builds converts cleanly: what the bench measures is a real import."""

from __future__ import annotations

import json
from collections import Counter

from app.standards.importers.detect import convert
from scripts.bench_exports import big_package


def test_bench_package_converts_to_a_four_level_tree_with_alignments_and_a_rubric() -> None:
    package = big_package(400)
    assert len(package["CFItems"]) == 400
    conversion = convert(json.dumps(package).encode(), "bench.json")
    assert conversion.ok and conversion.spec is not None, conversion.report.refusals
    spec = conversion.spec
    assert len(spec.elements) == 400
    assert max(e.depth for e in spec.elements) == 3
    kinds = Counter(a["associationType"] for a in package["CFAssociations"])
    assert {"isChildOf", "precedes", "exactMatchOf", "isRelatedTo", "isPeerOf"} <= set(kinds)
    assert spec.scales, "the rubric becomes a rating scale"
