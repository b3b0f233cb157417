"""The match rule: per requirement one honest status, and two figures that are never blended.

Pure: plain dataclasses in, plain dataclasses out; no Flask, no database (services gather the data).

Statuses, best first, for one candidate and one requirement:
- ``verified``: a final judgement, a certificate or a verified credential on the required element at or
  above the required level (with no required level: one that met the element's own standard);
- ``via_crosswalk``: no direct evidence, but a verified result on an element a published crosswalk (or the
  standards' own alignments) declares exact or close, that met its own standard or the link's condition (the
  link and whose judgement are kept); broader, narrower and related links never count here;
- ``verified_lower``: judged directly, below the required level (e-2 of e-3: a gap of one level);
- ``claimed``: only a portfolio claim or a self-assessment, not judged by anyone;
- ``missing``: nothing known.

Figures:
- **fit** = Σ weight × credit / Σ weight over all requirements, with weight 2 for an essential and 1 for an
  optional requirement, and credit 1 for verified, ½ via a crosswalk (an equivalence someone drew between two
  standards, not a judgement on this element), ½ for verified one level lower, 0 for two or more levels
  lower, claimed or missing. A person without any verified evidence on the requirements gets **no fit at
  all** (``None``), never a low one: nothing is manufactured from missing data.
- **coverage** = the share of requirements about which anything is known (any status but ``missing``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple


class Status(enum.StrEnum):
    VERIFIED = "verified"
    VIA_CROSSWALK = "via_crosswalk"
    VERIFIED_LOWER = "verified_lower"
    CLAIMED = "claimed"
    MISSING = "missing"


class Kind(enum.StrEnum):
    JUDGEMENT = "judgement"
    CERTIFICATE = "certificate"
    CREDENTIAL = "credential"
    CLAIM = "claim"


VERIFIED_KINDS = frozenset({Kind.JUDGEMENT, Kind.CERTIFICATE, Kind.CREDENTIAL})
WEIGHTS = {"essential": 2, "optional": 1}
CROSSWALK_CREDIT = 0.5
ONE_LEVEL_LOWER_CREDIT = 0.5
KNOWN_VERIFIED = frozenset({Status.VERIFIED, Status.VIA_CROSSWALK, Status.VERIFIED_LOWER})


class Need(NamedTuple):
    """A requirement: an element at a level value of the element's scale (None: its own standard).

    Need, Evidence, Link and Line are named tuples: immutable like frozen dataclasses, and cheap enough to
    make a few hundred thousand of them when 10,000 candidates are ranked."""

    element_id: int
    weight: str = "essential"
    level: int | None = None
    level_code: str | None = None
    requirement_id: int = 0


class Evidence(NamedTuple):
    """Something known about a person on one element. ``passing``: it met the element's own required
    level (used for crosswalks, whose scales differ). ``ref`` names the source for the explanation."""

    element_id: int
    kind: Kind
    level: int | None = None
    level_code: str | None = None
    passing: bool = False
    ref: str = ""


class Link(NamedTuple):
    """A crosswalk: evidence on ``element_id`` may stand for the requirement's element, when it met its own
    standard or, with ``min_level``, when it reaches that level (a crosswalk link's condition). ``links``:
    the crosswalk links of the path, from the evidence's element to the requirement's."""

    element_id: int
    ref: str = ""
    label: str = ""
    min_level: int | None = None
    links: tuple[int, ...] = ()
    scale_id: int | None = None  # the scale ``min_level`` is on


class Line(NamedTuple):
    need: Need
    status: Status
    evidence: Evidence | None = None
    via: Link | None = None

    @property
    def achieved(self) -> int | None:
        return self.evidence.level if self.evidence is not None else None

    @property
    def gap(self) -> int:
        """Levels short of the requirement (0 unless verified lower)."""
        if self.status != Status.VERIFIED_LOWER or self.need.level is None or self.achieved is None:
            return 0
        return max(0, self.need.level - self.achieved)

    @property
    def credit(self) -> float:
        if self.status == Status.VERIFIED:
            return 1.0
        if self.status == Status.VIA_CROSSWALK:
            return CROSSWALK_CREDIT
        if self.status == Status.VERIFIED_LOWER and self.gap <= 1:
            return ONE_LEVEL_LOWER_CREDIT
        return 0.0

    @property
    def essential(self) -> bool:
        return self.need.weight == "essential"


@dataclass(frozen=True)
class Match:
    candidate: object
    name: str
    lines: tuple[Line, ...]
    fit: float | None
    coverage: float | None
    tags: tuple[str, ...] = field(default=())

    @property
    def essentials_verified(self) -> bool:
        return all(line.status == Status.VERIFIED for line in self.lines if line.essential)

    @property
    def only_one_level_gaps(self) -> bool:
        """Everything verified, except requirements judged exactly one level lower."""
        return all(
            line.status == Status.VERIFIED or (line.status == Status.VERIFIED_LOWER and line.gap == 1)
            for line in self.lines
        )

    @property
    def gaps(self) -> list[Line]:
        return [line for line in self.lines if line.status != Status.VERIFIED]

    def count(self, status: Status) -> int:
        return sum(1 for line in self.lines if line.status == status)


# Module constants: reading an enum member off its class is ten times slower than a global (Python 3.11),
# and the rule runs a few hundred thousand times per ranking.
_CLAIM, _MISSING, _CLAIMED = Kind.CLAIM, Status.MISSING, Status.CLAIMED
_ORDER = {"judgement": 0, "certificate": 1, "credential": 2, "claim": 3}


def _best(items: Iterable[Evidence]) -> Evidence | None:
    """The highest level; on a tie a judgement before a certificate before a credential."""
    best = None
    for e in items:
        if best is None or _better(e, best):
            best = e
    return best


def _better(e: Evidence, than: Evidence) -> bool:
    mine, theirs = (e.level if e.level is not None else -1), (than.level if than.level is not None else -1)
    if mine != theirs:
        return mine > theirs
    return _ORDER[str(e.kind)] < _ORDER[str(than.kind)]  # str keys: an Enum's own __hash__ is slow


@lru_cache(maxsize=4096)
def _missing(need: Need) -> Line:
    return Line(need, Status.MISSING)


def _carries(link: Link, evidence: Evidence) -> bool:
    if evidence.kind is _CLAIM:
        return False
    if link.min_level is None:
        return evidence.passing
    return evidence.level is not None and evidence.level >= link.min_level


def _meets(need: Need, evidence: Evidence) -> bool:
    if need.level is None:
        return evidence.passing
    return evidence.level is not None and evidence.level >= need.level


def judge_line(
    need: Need, evidence: Mapping[int, Sequence[Evidence]], crosswalk: Mapping[int, Sequence[Link]] | None = None
) -> Line:
    direct = evidence.get(need.element_id, ())
    links = crosswalk.get(need.element_id, ()) if crosswalk else ()
    if not direct and not links:
        return _missing(need)
    if len(direct) == 1:  # the usual case: one standing result
        only = direct[0]
        best = only if only.kind is not _CLAIM and only.level is not None else None
    else:
        best = _best(e for e in direct if e.kind is not _CLAIM and e.level is not None)
    if best is not None and _meets(need, best):
        return Line(need, Status.VERIFIED, best)
    for link in links:
        other = evidence.get(link.element_id)
        carried = _best(e for e in other if _carries(link, e)) if other else None
        if carried is not None:
            return Line(need, Status.VIA_CROSSWALK, carried, link)
    if not direct:
        return _missing(need)
    if best is not None:
        return Line(need, Status.VERIFIED_LOWER, best)
    claim = _best(e for e in direct if e.kind is _CLAIM)
    if claim is not None:
        return Line(need, Status.CLAIMED, claim)
    return Line(need, Status.MISSING)


def figures(lines: Sequence[Line]) -> tuple[float | None, float | None]:
    """(fit, coverage); fit is None when nothing verified is known, both None without requirements."""
    if not lines:
        return None, None
    known = total = 0
    earned = 0.0
    verified_known = False
    for line in lines:
        weight = WEIGHTS.get(line.need.weight, 1)
        total += weight
        if line.status is _MISSING:
            continue
        known += 1
        if line.status is not _CLAIMED:
            verified_known = True
            earned += weight * line.credit
    coverage = known / len(lines)
    return (earned / total if verified_known else None), coverage


def match(
    candidate: object,
    name: str,
    needs: Sequence[Need],
    evidence: Mapping[int, Sequence[Evidence]],
    crosswalk: Mapping[int, Sequence[Link]] | None = None,
    tags: tuple[str, ...] = (),
) -> Match:
    get = evidence.get
    lines = tuple(
        judge_line(need, evidence, crosswalk)
        if get(need.element_id) or (crosswalk and need.element_id in crosswalk)
        else _missing(need)
        for need in needs
    )
    fit, coverage = figures(lines)
    return Match(candidate, name, lines, fit, coverage, tags)


def rank(matches: Iterable[Match]) -> list[Match]:
    """Best fit first; people without a fit after everyone with one; then coverage, then name."""
    return sorted(
        matches,
        key=lambda m: (m.fit is None, -(m.fit or 0.0), -(m.coverage or 0.0), m.name.casefold(), str(m.candidate)),
    )


def keep(matches: Iterable[Match], *, essentials_verified: bool = False, one_level_gaps: bool = False) -> list[Match]:
    """The ranked list's filters: every essential requirement verified; gaps of at most one level."""
    out = []
    for m in matches:
        if essentials_verified and not m.essentials_verified:
            continue
        if one_level_gaps and not m.only_one_level_gaps:
            continue
        out.append(m)
    return out
