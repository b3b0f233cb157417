"""The match rule of app.matching.match on compact data, for ranking thousands of candidates at once.

Per candidate only what the statuses depend on: the best verified level per element (judgements,
certificates and verified credentials alike) and the elements with a claim. Per requirement one small status
code instead of a ``Line``; fit, coverage, counts and the list's filters follow from the codes. The detailed
lines (which judgement, which link) are built by ``match.match`` for the candidates a page shows. The two
must agree: tests/unit/test_matching_compact.py checks them against each other.

Pure: no Flask, no database."""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from typing import NamedTuple

from app.matching.match import CROSSWALK_CREDIT, ONE_LEVEL_LOWER_CREDIT, WEIGHTS, Link, Need, Status

VERIFIED, VIA, LOWER_ONE, LOWER_UNSIZED, LOWER_MORE, CLAIMED, MISSING = range(7)
STATUS = (
    Status.VERIFIED,
    Status.VIA_CROSSWALK,
    Status.VERIFIED_LOWER,
    Status.VERIFIED_LOWER,
    Status.VERIFIED_LOWER,
    Status.CLAIMED,
    Status.MISSING,
)
CREDIT = (1.0, CROSSWALK_CREDIT, ONE_LEVEL_LOWER_CREDIT, ONE_LEVEL_LOWER_CREDIT, 0.0, 0.0, 0.0)
ANY_LEVEL = -(10**9)  # an element without a required level: any judged level met its standard


class Rule(NamedTuple):
    """One requirement, compiled: the level that verifies it (``meets``), the required level (None: the
    element's own standard), and the linked elements with the level that carries through each link."""

    element_id: int
    weight: int
    essential: bool
    meets: int
    level: int | None
    links: tuple[tuple[int, int], ...]


def compile_rules(
    needs: Sequence[Need], links: Mapping[int, Sequence[Link]], passing: Mapping[int, int | None]
) -> list[Rule]:
    """``passing``: per element, the lowest level that meets its own standard (None: any level)."""

    def own(element_id: int) -> int:
        value = passing.get(element_id)
        return ANY_LEVEL if value is None else value

    rules = []
    for need in needs:
        carried = tuple(
            (lk.element_id, lk.min_level if lk.min_level is not None else own(lk.element_id))
            for lk in links.get(need.element_id, ())
        )
        meets = need.level if need.level is not None else own(need.element_id)
        rules.append(
            Rule(need.element_id, WEIGHTS.get(need.weight, 1), need.weight == "essential", meets, need.level, carried)
        )
    return rules


def codes(rules: Sequence[Rule], levels: Mapping[int, int], claimed: Container[int]) -> bytes:
    """One status code per requirement, as ``match.judge_line`` decides it (runs 200,000 times a ranking:
    plain tuples unpacked into locals, no attribute lookups)."""
    out = []
    get = levels.get
    for element_id, _weight, _essential, meets, level, links in rules:
        best = get(element_id)
        if best is not None and best >= meets:
            out.append(VERIFIED)
            continue
        for other_id, minimum in links:
            other = get(other_id)
            if other is not None and other >= minimum:
                out.append(VIA)
                break
        else:
            if best is not None:
                out.append(LOWER_UNSIZED if level is None else LOWER_ONE if level - best <= 1 else LOWER_MORE)
            else:
                out.append(CLAIMED if element_id in claimed else MISSING)
    return bytes(out)  # bytes: compact, and nothing for the cyclic garbage collector to walk


class Score(NamedTuple):
    """A candidate's place in the ranking: the figures and the status code per requirement."""

    candidate: str
    name: str
    fit: float | None
    coverage: float | None
    codes: bytes
    essentials: bytes  # 1 for an essential requirement (bytes, like codes: no object for the GC to follow)
    applied: bool = False

    def count(self, status: Status) -> int:
        return sum(1 for code in self.codes if STATUS[code] == status)

    @property
    def essentials_verified(self) -> bool:
        return all(code == VERIFIED for code, essential in zip(self.codes, self.essentials, strict=True) if essential)

    @property
    def only_one_level_gaps(self) -> bool:
        return all(code in (VERIFIED, LOWER_ONE) for code in self.codes)


class Scorer:
    """Scores candidates against one set of compiled requirements."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self.essentials = bytes(r.essential for r in rules)
        self.total = float(sum(r.weight for r in rules))
        self.credits = tuple(tuple(r.weight * credit for credit in CREDIT) for r in rules)

    def figures(self, levels: Mapping[int, int], claimed: Container[int]) -> tuple[bytes, float | None, float | None]:
        """(status codes, fit, coverage), with ``match.figures``' arithmetic."""
        found = codes(self.rules, levels, claimed)
        if not self.rules:
            return found, None, None
        known = len(found) - found.count(MISSING)
        verified_known = any(code < CLAIMED for code in found)
        earned = sum(credits[code] for credits, code in zip(self.credits, found, strict=True))
        return found, (earned / self.total if verified_known else None), known / len(self.rules)

    def score(self, key: str, name: str, levels: Mapping[int, int], claimed: Container[int], applied: bool) -> Score:
        found, fit, coverage = self.figures(levels, claimed)
        return Score(key, name, fit, coverage, found, self.essentials, applied)


class Table:
    """Every candidate's figures as columns: lists of plain values, a handful of objects for the garbage
    collector to follow instead of one per candidate. ``Score`` objects are made for the rows a page shows."""

    def __init__(self, scorer: Scorer) -> None:
        self.scorer = scorer
        self.keys: list[str] = []
        self.names: list[str] = []
        self.fits: list[float | None] = []
        self.coverages: list[float | None] = []
        self.codes: list[bytes] = []
        self.applied = bytearray()

    def __len__(self) -> int:
        return len(self.keys)

    def add(self, key: str, name: str, levels: Mapping[int, int], claimed: Container[int], applied: bool) -> None:
        found, fit, coverage = self.scorer.figures(levels, claimed)
        self.keys.append(key)
        self.names.append(name)
        self.fits.append(fit)
        self.coverages.append(coverage)
        self.codes.append(found)
        self.applied.append(applied)

    def ranked(self) -> list[int]:
        """Row numbers in the order of ``match.rank``: best fit first, no fit last, then coverage, name, key."""
        fits, coverages, names, keys = self.fits, self.coverages, self.names, self.keys
        return sorted(
            range(len(keys)),
            key=lambda i: (fits[i] is None, -(fits[i] or 0.0), -(coverages[i] or 0.0), names[i].casefold(), keys[i]),
        )

    def keep(
        self, rows: Sequence[int], *, essentials_verified: bool = False, one_level_gaps: bool = False
    ) -> list[int]:
        """``match.keep``'s filters on the codes."""
        essential = [i for i, flag in enumerate(self.scorer.essentials) if flag]
        out = []
        for i in rows:
            found = self.codes[i]
            if essentials_verified and any(found[e] != VERIFIED for e in essential):
                continue
            if one_level_gaps and any(code not in (VERIFIED, LOWER_ONE) for code in found):
                continue
            out.append(i)
        return out

    def score(self, i: int) -> Score:
        return Score(self.keys[i], self.names[i], self.fits[i], self.coverages[i], self.codes[i],
                     self.scorer.essentials, bool(self.applied[i]))  # fmt: skip
