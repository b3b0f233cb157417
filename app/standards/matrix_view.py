"""The e-CF summary matrix of a loaded profile, as its page shows it: each cell with whether the competence's
own code list agrees (the reading and the comparison are the pure functions of ecf_matrix)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.standards.ecf_matrix import FIRST_CODE_COLUMN, Contradiction, MatrixRow, contradictions, read_matrix
from app.standards.queries import Tree


@dataclass
class MatrixCell:
    text: str
    state: str  # "" | agrees (X and listed) | marked_only (X, not listed) | listed_only (listed, no X)


@dataclass
class MatrixRowView:
    index: int
    row: MatrixRow
    cells: list[MatrixCell]
    element_key: str | None  # the competence's element, when the detailed profile describes it


@dataclass
class MatrixView:
    columns: list[str]
    groups: list[dict[str, Any]]
    rows: list[MatrixRowView]
    contradictions: list[Contradiction]


def code_lists(tree: Tree) -> dict[str, list[str]]:
    """Each competence the profile describes, with the codes of its dimension 4."""
    return {
        node.element.code: [k["code"] for k in node.element.attributes.get("knowledge_and_skills") or []]
        for node in tree
        if node.element.type == "competence" and node.element.code and node.element.retired_at is None
    }


def summary_matrix(tree: Tree) -> MatrixView | None:
    matrix = (tree.framework.attributes or {}).get("summary_matrix")
    if not isinstance(matrix, dict) or "columns" not in matrix or "rows" not in matrix:
        return None
    try:
        rows = read_matrix(matrix)
    except (ValueError, TypeError, IndexError, AttributeError):
        return None  # a matrix not in the shape we read is shown as further source text only
    lists = code_lists(tree)
    columns = list(matrix["columns"])
    views = []
    for i, (row, cells) in enumerate(zip(rows, matrix["rows"], strict=True)):
        listed = set(lists.get(row.competence, ()))
        described = row.competence in lists
        view_cells = []
        for col, text in enumerate(cells):
            state = ""
            if col >= FIRST_CODE_COLUMN and described:
                code, marked = columns[col], columns[col] in row.marks
                state = {(True, True): "agrees", (True, False): "marked_only", (False, True): "listed_only"}.get(
                    (marked, code in listed), ""
                )
            view_cells.append(MatrixCell(text, state))
        views.append(MatrixRowView(i, row, view_cells, row.competence if described else None))
    return MatrixView(columns, list(matrix.get("column_groups") or []), views, contradictions(rows, lists))
