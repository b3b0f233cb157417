"""`make bench`, part "standards": the diff of two 5,000-item versions of a standard (issue 12 part 5).

Version B keeps most of A, retitles 5 %, moves 2 %, removes 3 % and adds 3 % (some of them near-copies of
removed titles, so the text matching has work); the diff is pure, so it is timed without a database.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.versioning.diff import Change, Item, diff  # noqa: E402
from app.versioning.proposal import propose  # noqa: E402

ITEMS = 5_000
TARGET_S = 2.0
WORDS = [
    "plant",
    "organiseert",
    "bewaakt",
    "controleert",
    "analyseert",
    "adviseert",
    "communiceert",
    "beheert",
    "ontwerpt",
    "test",
]


def versions(n: int = ITEMS, seed: int = 12) -> tuple[list[Item], list[Item]]:
    rnd = random.Random(seed)  # noqa: S311 - reproducible test data, not a secret
    old: list[Item] = []
    for i in range(n):
        parent = None if i % 50 == 0 else f"e{i - i % 50}"
        title = " ".join(rnd.choice(WORDS) for _ in range(6)) + f" onderdeel {i}"
        old.append(Item(f"e{i}", "group" if parent is None else "competence", title, code=f"C{i}", parent_key=parent))
    new: list[Item] = []
    for i, item in enumerate(old):
        roll = rnd.random()
        if roll < 0.03 and item.parent_key:
            continue  # removed
        if roll < 0.08:
            item = Item(item.key, item.type, item.title + " en rapporteert", item.code, parent_key=item.parent_key)
        elif roll < 0.10 and item.parent_key:
            item = Item(item.key, item.type, item.title, item.code, parent_key=f"e{(i // 50 + 1) % (n // 50) * 50}")
        new.append(item)
    for j in range(int(n * 0.03)):
        source = old[rnd.randrange(n)]
        new.append(Item(f"n{j}", "competence", source.title + " (nieuw)", None, parent_key="e0"))
    return old, new


def bench_version_diff() -> dict[str, Any]:
    old, new = versions()
    times = []
    for _ in range(3):
        started = time.perf_counter()
        result = diff(old, new)
        proposals = propose(result)
        times.append(time.perf_counter() - started)
    counts = {c.value: n for c, n in result.counts().items()}
    median = statistics.median(times)
    verdict = "ok" if median <= TARGET_S else "OVER TARGET"
    print(f"\nDiff of two {ITEMS:,}-item versions and the mapping proposal: {median * 1000:,.0f} ms ({verdict})")
    print(f"  {', '.join(f'{n:,} {c}' for c, n in counts.items())}; {len(proposals):,} proposals")
    return {
        "items": ITEMS,
        "median_s": round(median, 3),
        "target_s": TARGET_S,
        "counts": counts,
        "unchanged_share": round(counts[Change.UNCHANGED.value] / len(new), 3),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
    }


if __name__ == "__main__":
    bench_version_diff()
