"""What changed between two versions of a plan: a pure diff over plain rows (units, instruments, links),
matched by their labels and element keys, since copies have new ids."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Row:
    key: str  # what identifies the row across versions
    value: str  # what is compared


@dataclass
class Diff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, str, str]] = field(default_factory=list)  # key, before, after

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def diff(before: Iterable[Row], after: Iterable[Row]) -> Diff:
    old = {r.key: r.value for r in before}
    new = {r.key: r.value for r in after}
    out = Diff()
    out.added = [k for k in new if k not in old]
    out.removed = [k for k in old if k not in new]
    out.changed = [(k, old[k], new[k]) for k in new if k in old and old[k] != new[k]]
    return out
