"""A server-rendered SVG bar chart of achieved against target e-CF proficiency levels per competence.

Pure and deterministic: readable without JavaScript, no script, no external resources and, because the
Content-Security-Policy allows only `style-src 'self'`, no <style> element or style attributes: all
styling is done with SVG presentation attributes. Every piece of text is escaped.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from markupsafe import Markup, escape

GREEN, AMBER, GREY, DARK, GRID = "#1e7b3c", "#c77700", "#9a9a9a", "#222222", "#dddddd"
WIDTH, LEFT, RIGHT, TOP, ROW, BAR = 720, 110, 24, 34, 30, 18


@dataclass(frozen=True)
class Bar:
    code: str
    title: str
    target: int | None
    achieved: int | None


@dataclass(frozen=True)
class _Axis:
    """Where a level sits on the plot, and its label."""

    max_level: int
    labels: dict[int, str]

    @property
    def plot_w(self) -> int:
        return WIDTH - LEFT - RIGHT

    def name(self, level: int | None, fallback: str) -> str:
        return fallback if level is None else self.labels.get(level, str(level))

    def x(self, level: int) -> float:
        return round(LEFT + self.plot_w * min(max(level, 0), self.max_level) / self.max_level, 1)


def _row(axis: _Axis, i: int, bar: Bar, summary: str, not_assessed_label: str) -> list[str]:
    """One competence: its code, the achieved bar (or a dashed empty one) and the target marker."""
    y = TOP + i * ROW + (ROW - BAR) / 2
    mid = y + BAR / 2
    out = [f'<g class="levels-chart-row"><title>{escape(summary)}</title>']
    out.append(f'<text x="{LEFT - 8}" y="{mid + 4}" text-anchor="end" font-weight="bold">{escape(bar.code)}</text>')
    if bar.achieved is None:
        out.append(
            f'<rect x="{LEFT}" y="{y}" width="{axis.plot_w}" height="{BAR}" fill="none" stroke="{GREY}" '
            f'stroke-dasharray="4 3"/>'
            f'<text x="{LEFT + 8}" y="{mid + 4}" fill="#555555" font-size="12">{escape(not_assessed_label)}</text>'
        )
    else:
        fill = GREEN if bar.target is None or bar.achieved >= bar.target else AMBER
        out.append(
            f'<rect x="{LEFT}" y="{y}" width="{round(axis.x(bar.achieved) - LEFT, 1)}" height="{BAR}" fill="{fill}"/>'
        )
    if bar.target is not None:
        tx = axis.x(bar.target)
        out.append(
            f'<line class="levels-chart-target" x1="{tx}" y1="{y - 3}" x2="{tx}" y2="{y + BAR + 3}" '
            f'stroke="{DARK}" stroke-width="2"/>'
            f'<polygon points="{tx},{mid - 5} {tx + 5},{mid} {tx},{mid + 5} {tx - 5},{mid}" fill="{DARK}"/>'
        )
    out.append("</g>")
    return out


def levels_chart(
    bars: list[Bar],
    *,
    max_level: int = 5,
    level_labels: dict[int, str] | None = None,
    title: str,
    not_assessed_label: str = "not assessed",
    achieved_label: str = "achieved",
    target_label: str = "target",
    no_target_label: str = "no target",
    empty_label: str = "No competences to show.",
) -> Markup:
    """Return the chart as an <svg> element; one row per bar, in the given order."""
    axis = _Axis(max(1, max_level), level_labels or {})

    def summary(bar: Bar) -> str:
        achieved = not_assessed_label if bar.achieved is None else f"{achieved_label} {axis.name(bar.achieved, '')}"
        target = no_target_label if bar.target is None else f"{target_label} {axis.name(bar.target, '')}"
        return f"{bar.code} {bar.title}: {achieved}, {target}"

    uid = "levels-chart-" + hashlib.sha256(title.encode()).hexdigest()[:10]
    height = TOP + ROW * max(len(bars), 1) + 10
    bottom = height - 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{uid}-title {uid}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" font-family="system-ui, sans-serif" font-size="13" '
        f'fill="{DARK}">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape("; ".join(map(summary, bars)) or empty_label)}</desc>',
    ]
    for level in range(1, axis.max_level + 1):  # gridlines and axis labels
        x = axis.x(level)
        out.append(f'<line x1="{x}" y1="{TOP - 6}" x2="{x}" y2="{bottom}" stroke="{GRID}"/>')
        out.append(
            f'<text x="{x}" y="{TOP - 12}" text-anchor="middle" font-size="12">{escape(axis.name(level, ""))}</text>'
        )
    out.append(f'<line x1="{LEFT}" y1="{TOP - 6}" x2="{LEFT}" y2="{bottom}" stroke="{GREY}"/>')
    if not bars:
        out.append(f'<text x="{LEFT + 8}" y="{TOP + ROW / 2 + 4}" fill="{GREY}">{escape(empty_label)}</text>')
    for i, bar in enumerate(bars):
        out.extend(_row(axis, i, bar, summary(bar), not_assessed_label))
    out.append("</svg>")
    return Markup("\n".join(out))  # noqa: S704 - every interpolated text is escaped above
