"""CASE rubrics (CFRubrics → criteria → levels) as rating scales, where their levels make one.

A criterion's levels become a scale of their own unless another criterion of the same rubric has the same
levels (then they share it). The scale's values are the levels' scores when those are distinct whole numbers
from 0 to 100, else their order (1, 2, …). An element a criterion is about records the scale in its
attributes. Pure: no Flask, no database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.domain import N_
from app.standards.importers.report import ImportReport, check_text, slug

if TYPE_CHECKING:
    from app.standards.importers.case import Item

MAX_SCALES = 200


def rubric_scales(
    raw: Any, items: dict[str, Item], elements: dict[str, dict[str, Any]], report: ImportReport
) -> list[dict[str, Any]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        report.adapt("CFRubrics", N_("not a list: ignored"))
        return []
    scales: list[dict[str, Any]] = []
    codes: set[str] = set()
    for r, rubric in enumerate(raw):
        where = f"CFRubrics[{r}]"
        if not isinstance(rubric, dict):
            report.adapt(where, N_("not an object: ignored"))
            continue
        title = check_text(report, where + ".title", rubric.get("title")) or f"Rubric {r + 1}"
        by_signature: dict[tuple[tuple[int, str], ...], dict[str, Any]] = {}
        criteria = rubric.get("CFRubricCriteria") or []
        for c, criterion in enumerate(criteria if isinstance(criteria, list) else []):
            c_where = f"{where}.CFRubricCriteria[{c}]"
            levels = _levels(criterion, c_where, report)
            if levels is None:
                continue
            signature = tuple((lv["value"], lv["label"]) for lv in levels)
            scale = by_signature.get(signature)
            if scale is None:
                if len(scales) >= MAX_SCALES:
                    report.adapt(c_where, N_("more than %(maximum)d rating scales: ignored"), maximum=MAX_SCALES)
                    continue
                scale = _scale(title, criterion, levels, codes, rubric)
                by_signature[signature] = scale
                scales.append(scale)
            _mark_element(criterion, scale["code"], items, elements, c_where, report)
    return scales


def _scale(
    title: str, criterion: dict[str, Any], levels: list[dict[str, Any]], codes: set[str], rubric: dict[str, Any]
) -> dict[str, Any]:
    category = criterion.get("category") if isinstance(criterion.get("category"), str) else None
    base = slug(f"{title} {category or ''}".lower(), 70).lower() or "rubric"
    if not base[0].isalnum():
        base = "rubric-" + base
    code, n = base, 1
    while code in codes:
        n += 1
        code = f"{base}-{n}"
    codes.add(code)
    scale: dict[str, Any] = {
        "code": code,
        "title": f"{title}: {category}" if category else title,
        "origin": "source",
        "levels": levels,
    }
    description = rubric.get("description")
    if isinstance(description, str) and description.strip():
        scale["description"] = description.strip()[:20_000]
    return scale


def _levels(criterion: Any, where: str, report: ImportReport) -> list[dict[str, Any]] | None:
    raw = criterion.get("CFRubricCriterionLevels") if isinstance(criterion, dict) else None
    if not isinstance(raw, list) or len([lv for lv in raw if isinstance(lv, dict)]) < 2:
        report.adapt(where, N_("a criterion with fewer than two levels: not a rating scale"))
        return None
    raw = sorted((lv for lv in raw if isinstance(lv, dict)), key=_order)
    scores = [lv.get("score") for lv in raw]
    use_scores = all(
        isinstance(s, (int, float)) and not isinstance(s, bool) and float(s).is_integer() and 0 <= s <= 100
        for s in scores
    ) and len(set(scores)) == len(scores)
    if not use_scores:
        report.adapt(where, N_("level scores are not distinct whole numbers from 0 to 100: numbered 1, 2, … in order"))
    levels = []
    for i, lv in enumerate(sorted(raw, key=lambda x: x.get("score")) if use_scores else raw):
        label = check_text(report, f"{where}.CFRubricCriterionLevels[{i}].quality", lv.get("quality"))
        description = check_text(report, f"{where}.CFRubricCriterionLevels[{i}].description", lv.get("description"))
        level: dict[str, Any] = {
            "value": int(lv["score"]) if use_scores else i + 1,
            "label": label or description or f"Level {i + 1}",
        }
        if description and label:
            level["description"] = description
        levels.append(level)
    return levels


def _order(level: dict[str, Any]) -> float:
    position = level.get("position")
    return float(position) if isinstance(position, (int, float)) and not isinstance(position, bool) else float("inf")


def _mark_element(
    criterion: dict[str, Any],
    code: str,
    items: dict[str, Item],
    elements: dict[str, dict[str, Any]],
    where: str,
    report: ImportReport,
) -> None:
    uri = criterion.get("CFItemURI")
    identifier = uri.get("identifier") if isinstance(uri, dict) else criterion.get("CFItemURI_identifier")
    if not isinstance(identifier, str):
        return
    if identifier not in items:
        report.adapt(where + ".CFItemURI", N_("the criterion is about an item outside the package"))
        return
    scales = elements[identifier]["attributes"].setdefault("rubric_scales", [])
    if code not in scales:
        scales.append(code)
