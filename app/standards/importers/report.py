"""What an import found: adaptations made to fit a file into Bekwaam, and refusals, each with where.

A message is an English message id with ``%(name)s`` placeholders, translated where it is shown (the web
preview) and interpolated in English on the command line. Pure: no Flask, no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.domain import N_

# Limits that keep a hostile file cheap to refuse.
MAX_IMPORT_BYTES = 16 * 1024 * 1024  # our own CASE export of a 5,000-item standard is about 8 MB
MAX_JSON_DEPTH = 32
MAX_TREE_DEPTH = 20
MAX_TEXT = 20_000
MAX_ITEMS = 20_000


@dataclass(frozen=True)
class Problem:
    """``where`` is a JSON path (``CFItems[12].CFItemType``) or a CSV place (``line 4, column Taxonomy``)."""

    where: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)
    refusal: bool = False

    def english(self) -> str:
        return self.message % self.params if self.params else self.message

    def __str__(self) -> str:
        return f"{self.where}: {self.english()}" if self.where else self.english()


@dataclass
class ProblemGroup:
    """One message (with its parameters) and every place it was reported: one row of the preview."""

    message: str
    params: dict[str, Any]
    places: list[str]

    def shown(self, limit: int = 3) -> list[str]:
        return self.places[:limit]

    def hidden(self, limit: int = 3) -> int:
        return max(len(self.places) - limit, 0)


@dataclass
class ImportReport:
    problems: list[Problem] = field(default_factory=list)

    def adapt(self, where: str, message: str, **params: Any) -> None:
        self.problems.append(Problem(where, message, params))

    def refuse(self, where: str, message: str, **params: Any) -> None:
        self.problems.append(Problem(where, message, params, refusal=True))

    @property
    def refusals(self) -> list[Problem]:
        return [p for p in self.problems if p.refusal]

    @property
    def adaptations(self) -> list[Problem]:
        return [p for p in self.problems if not p.refusal]

    def grouped_adaptations(self) -> list[ProblemGroup]:
        """Adaptations that repeat a message for many places as one group each, in order of first appearance."""
        groups: dict[tuple[str, str], ProblemGroup] = {}
        for p in self.adaptations:
            key = (p.message, repr(sorted(p.params.items())))
            group = groups.get(key)
            if group is None:
                groups[key] = group = ProblemGroup(p.message, p.params, [])
            if p.where:
                group.places.append(p.where)
        return list(groups.values())


def check_text(report: ImportReport, where: str, value: object) -> str | None:
    """A text value stripped, None when empty; a refusal for one that is not text or is too long."""
    if value is None:
        return None
    if not isinstance(value, str):
        report.adapt(where, N_("a %(kind)s where text was expected: converted to text"), kind=type(value).__name__)
        value = str(value)
    if len(value) > MAX_TEXT:
        report.refuse(
            where, N_("text of %(length)d characters (at most %(maximum)d)"), length=len(value), maximum=MAX_TEXT
        )
        return None
    return value.strip() or None


def slug(text: str, limit: int = 60) -> str:
    """A framework or scale code from a title: ASCII letters, digits and hyphens."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    out: list[str] = []
    for ch in ascii_text:
        if ch.isalnum():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")[:limit].strip("-")
