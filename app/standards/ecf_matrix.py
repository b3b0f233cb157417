"""The summary matrix of an e-CF role profile, read as printed, against each competence's own code list.

The matrix (2.1 Profil összefoglalása) marks, per e-CF competence, the knowledge and skill codes (T01–T05,
B01–B12, M01–M05) with an X; the detailed profile (2.2) lists, per competence it describes, its own codes in
dimension 4. Where the two disagree the source contradicts itself: these pure functions say exactly where,
so the notes in the seed can be checked against the data (no Flask, no database).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

FIRST_CODE_COLUMN = 4  # Terület, No., Kompetencia, Fontosság, then the codes


@dataclass(frozen=True)
class MatrixRow:
    area: str
    competence: str
    title: str
    importance: str
    marks: tuple[str, ...]  # the codes whose column holds an X, in column order


@dataclass(frozen=True)
class Contradiction:
    """One competence where the matrix and the detailed profile disagree."""

    competence: str
    kind: str  # not_described (marked, no detailed profile) | not_marked (described, no X) | codes
    marked: tuple[str, ...] = ()
    listed: tuple[str, ...] = ()

    @property
    def marked_only(self) -> tuple[str, ...]:
        return tuple(c for c in self.marked if c not in self.listed)

    @property
    def listed_only(self) -> tuple[str, ...]:
        return tuple(c for c in self.listed if c not in self.marked)


def read_matrix(matrix: Mapping[str, Any]) -> list[MatrixRow]:
    """The rows of a transcribed matrix ({columns, rows}), each cell under the header of its position."""
    columns = list(matrix["columns"])
    rows = []
    for cells in matrix["rows"]:
        if len(cells) != len(columns):
            raise ValueError(f"row {cells[1:2]} has {len(cells)} cells for {len(columns)} columns")
        marks = tuple(columns[i] for i in range(FIRST_CODE_COLUMN, len(columns)) if cells[i].strip().upper() == "X")
        rows.append(MatrixRow(cells[0], cells[1], cells[2], cells[3], marks))
    return rows


def contradictions(rows: Sequence[MatrixRow], code_lists: Mapping[str, Sequence[str]]) -> list[Contradiction]:
    """Every disagreement, in matrix order. ``code_lists`` maps each competence the detailed profile
    describes to the codes of its dimension 4 (possibly none)."""
    out: list[Contradiction] = []
    for row in rows:
        listed = tuple(dict.fromkeys(code_lists.get(row.competence, ())))
        if row.competence not in code_lists:
            if row.marks:
                out.append(Contradiction(row.competence, "not_described", row.marks))
            continue
        if not row.marks:
            out.append(Contradiction(row.competence, "not_marked", (), listed))
        if set(row.marks) != set(listed):
            out.append(Contradiction(row.competence, "codes", row.marks, listed))
    return out


def _codes(codes: Sequence[str]) -> str:
    return ", ".join(codes) if codes else "no code"


def describe(c: Contradiction) -> str:
    """The note on one competence whose X marks and code list differ (kind ``codes``)."""
    parts = []
    if c.marked_only:
        parts.append(f"marked only in the matrix: {_codes(c.marked_only)}")
    if c.listed_only:
        parts.append(f"listed only in dimension 4: {_codes(c.listed_only)}")
    return (
        f"The summary matrix marks {_codes(c.marked)} with an X; dimension 4 of the detailed profile lists "
        f"{_codes(c.listed)} ({'; '.join(parts)})."
    )


def summary_note(found: Sequence[Contradiction]) -> str:
    """The framework's note on which competences the matrix and the detailed profile disagree about."""
    not_described = [c.competence for c in found if c.kind == "not_described"]
    not_marked = [c for c in found if c.kind == "not_marked"]
    empty_lists = [c.competence for c in found if c.kind == "codes" and c.marked and not c.listed]
    text = (
        "Competences marked in the summary matrix but not described in the detailed profile (no level "
        f"descriptors, so not elements of this profile): {_codes(not_described)}. "
        "Described in the detailed profile but without any X mark in the summary matrix: "
        + ", ".join(
            f"{c.competence} (dimension 4 lists {_codes(c.listed)})"
            if c.listed
            else f"{c.competence} (dimension 4 is empty too)"
            for c in not_marked
        )
        + "."
    )
    if empty_lists:
        mirror = [c for c in found if c.kind == "codes" and c.marked and not c.listed]
        text += (
            " The mirror case: "
            + "; ".join(
                f"{c.competence} is marked in the summary matrix (under {_codes(c.marked)}) but its code list in "
                "dimension 4 is empty"
                for c in mirror
            )
            + "."
        )
    return text
