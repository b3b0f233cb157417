"""Coverage of a standard by a curriculum, and its flags: a pure rule over plain data (no Flask, no database).

Rules, each explained on the coverage page:
- ``not_assessed``: no unit or instrument assesses the element (a gap);
- ``assessed_never_practised``: assessed, but no unit practises it;
- ``assessed_before_introduced``: its first assessment falls in an earlier period than its first
  introduction or practice;
- ``over_assessed``: summatively assessed (by summative instruments) more often than the school's threshold;
- ``orphan_unit``: a module, activity or instrument that maps onto nothing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

NOT_ASSESSED = "not_assessed"
ASSESSED_NEVER_PRACTISED = "assessed_never_practised"
ASSESSED_BEFORE_INTRODUCED = "assessed_before_introduced"
OVER_ASSESSED = "over_assessed"
ORPHAN_UNIT = "orphan_unit"
ELEMENT_FLAGS = (NOT_ASSESSED, ASSESSED_NEVER_PRACTISED, ASSESSED_BEFORE_INTRODUCED, OVER_ASSESSED)

INTRODUCED, PRACTISED, ASSESSED = "introduced", "practised", "assessed"


@dataclass(frozen=True)
class ElementIn:
    id: int
    key: str
    code: str | None
    title: str
    group_key: str | None = None  # its core task, cluster or area
    required_level: int | None = None  # e-CF target level of the profile


@dataclass(frozen=True)
class SourceIn:
    """A unit (module, activity) or an exam instrument, in the order of the programme."""

    id: int
    kind: str  # "unit" or "instrument"
    label: str
    period: int | None  # the index of its period in the programme, None when it has none
    summative: bool = False
    mappable: bool = True  # years and periods themselves map onto nothing and are never orphans


@dataclass(frozen=True)
class LinkIn:
    source_kind: str  # "unit" or "instrument"
    source_id: int
    element_id: int
    intensity: str
    target_level: int | None = None


@dataclass
class Mention:
    source: SourceIn
    intensity: str
    target_level: int | None


@dataclass
class ElementCoverage:
    element: ElementIn
    introduced: int = 0
    practised: int = 0
    assessed: int = 0
    summative: int = 0
    flags: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)

    @property
    def gap(self) -> bool:
        return bool(self.flags)

    def by_period(self, period: int | None) -> set[str]:
        return {m.intensity for m in self.mentions if m.source.period == period}

    def by_source(self, kind: str, source_id: int) -> str | None:
        return next((m.intensity for m in self.mentions if m.source.kind == kind and m.source.id == source_id), None)


@dataclass
class CoverageResult:
    elements: list[ElementCoverage]
    orphans: list[SourceIn]
    threshold: int

    def flagged(self, flag: str) -> list[ElementCoverage]:
        return [e for e in self.elements if flag in e.flags]

    def counts(self) -> dict[str, int]:
        out = {flag: len(self.flagged(flag)) for flag in ELEMENT_FLAGS}
        out[ORPHAN_UNIT] = len(self.orphans)
        return out


def _first(mentions: Iterable[Mention], intensities: set[str]) -> int | None:
    periods = [m.source.period for m in mentions if m.intensity in intensities and m.source.period is not None]
    return min(periods) if periods else None


def _flags(cov: ElementCoverage, threshold: int) -> list[str]:
    flags = []
    if cov.assessed == 0:
        flags.append(NOT_ASSESSED)
    elif cov.practised == 0:
        flags.append(ASSESSED_NEVER_PRACTISED)
    first_assessed = _first(cov.mentions, {ASSESSED})
    first_learnt = _first(cov.mentions, {INTRODUCED, PRACTISED})
    if first_assessed is not None and first_learnt is not None and first_assessed < first_learnt:
        flags.append(ASSESSED_BEFORE_INTRODUCED)
    if cov.summative > threshold:
        flags.append(OVER_ASSESSED)
    return flags


def compute_coverage(
    elements: Sequence[ElementIn], sources: Sequence[SourceIn], links: Iterable[LinkIn], threshold: int
) -> CoverageResult:
    """Counts per element (how many units introduce, practise, assess it; how many summative instruments
    examine it), its flags, and the units and instruments that map onto nothing."""
    by_element = {e.id: ElementCoverage(e) for e in elements}
    by_source = {(s.kind, s.id): s for s in sources}
    linked: set[tuple[str, int]] = set()
    for link in links:
        source = by_source.get((link.source_kind, link.source_id))
        cov = by_element.get(link.element_id)
        if source is None:
            continue
        linked.add((source.kind, source.id))
        if cov is None:  # an element of another standard, or one no longer in the programme
            continue
        cov.mentions.append(Mention(source, link.intensity, link.target_level))
        if link.intensity == INTRODUCED:
            cov.introduced += 1
        elif link.intensity == PRACTISED:
            cov.practised += 1
        else:
            cov.assessed += 1
            if source.kind == "instrument" and source.summative:
                cov.summative += 1
    for cov in by_element.values():
        cov.flags = _flags(cov, threshold)
    orphans = [s for s in sources if s.mappable and (s.kind, s.id) not in linked]
    return CoverageResult(list(by_element.values()), orphans, threshold)
