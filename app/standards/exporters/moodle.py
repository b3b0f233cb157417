"""A loaded standard as a Moodle competency framework CSV in the 14-column format that
tool_lpimportcsv writes and reads (Moodle 3.1 and later).

The first row after the header is the framework (its scale: the framework's first rating scale, or
"Not yet competent, Competent"); then one row per element in tree order, parented by ID number (the
element key). Level descriptors, which Moodle has no place for, are written into their parent's
description; alignments inside the framework become cross-referenced competencies. Retired elements
are left out.
"""

from __future__ import annotations

import csv
import io
import json
from html import escape

from app.standards.models import RatingScale
from app.standards.queries import Node, Tree

HEADER = [
    "Parent ID number",
    "ID number",
    "Short name",
    "Description",
    "Description format",
    "Scale values",
    "Scale configuration",
    "Rule type (optional)",
    "Rule outcome (optional)",
    "Rule config (optional)",
    "Cross-referenced competency ID numbers",
    "Exported ID (optional)",
    "Is framework",
    "Taxonomy",
]

FORMAT_HTML = "1"
SHORTNAME_MAX = 100  # Moodle's competency.shortname is a 100-character field

# Moodle's taxonomy constants (competency_framework::TAXONOMY_*) for each element type.
TAXONOMY = {
    "part": "domain",
    "profile": "domain",
    "area": "domain",
    "cluster": "domain",
    "section": "domain",
    "knowledge_group": "domain",
    "descriptor_group": "domain",
    "core_task": "competency",
    "work_process": "competency",
    "competence": "competency",
    "activity": "practice",
    "behaviour": "indicator",
    "descriptor": "indicator",
    "knowledge": "concept",
    "knowledge_skill": "skill",
    "skill": "skill",
    "text": "value",
}


def _scale(scale: RatingScale | None) -> tuple[str, str]:
    """Moodle's compact scale items and its configuration: the first passing level is the default."""
    if scale is None or not scale.levels:
        labels, passing = ["Not yet competent", "Competent"], [False, True]
    else:
        labels = [lv.label.replace(",", ";") for lv in scale.levels]
        passing = [bool(lv.passing) for lv in scale.levels]
        if not any(passing):
            passing[-1] = True
    default = passing.index(True)
    config: list[dict[str, object]] = [{"scaleid": "1"}]
    config += [{"id": i + 1, "scaledefault": int(i == default), "proficient": int(p)} for i, p in enumerate(passing)]
    return ",".join(labels), json.dumps(config, separators=(",", ":"))


def _description(node: Node) -> str:
    el = node.element
    parts = []
    if len(node.element.label) > SHORTNAME_MAX or el.description:
        parts.append(f"<p>{escape(el.title)}</p>")
    if el.description:
        parts.append(f"<p>{escape(el.description)}</p>")
    levels = [c for c in node.children if c.element.type == "level_descriptor"]
    if levels:
        items = "".join(
            f"<li>{escape(str(c.element.attributes.get('level', '')))}: {escape(c.element.title)}</li>" for c in levels
        )
        parts.append(f"<ul>{items}</ul>")
    return "".join(parts)


def _shortname(node: Node) -> str:
    label = node.element.label
    return label if len(label) <= SHORTNAME_MAX else label[: SHORTNAME_MAX - 1].rstrip() + "…"


def _taxonomies(nodes: list[Node]) -> str:
    by_depth: dict[int, str] = {}
    for node in nodes:
        by_depth.setdefault(node.element.depth, TAXONOMY.get(node.element.type, "competency"))
    return ",".join(by_depth[d] for d in sorted(by_depth))


def _retired(node: Node) -> bool:
    """Retired, or under a retired element: Moodle has no place for either."""
    return node.element.retired_at is not None or any(a.element.retired_at is not None for a in node.ancestors())


def export_moodle(tree: Tree) -> str:
    fw = tree.framework
    nodes = [n for n in tree if n.element.type != "level_descriptor" and not _retired(n)]
    keys = {n.key for n in nodes}
    scale_values, scale_config = _scale(fw.scales[0] if fw.scales else None)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    description = f"<p>{escape(fw.description)}</p>" if fw.description else ""
    writer.writerow(
        [
            *["", fw.code, fw.title[:SHORTNAME_MAX], description, FORMAT_HTML, scale_values, scale_config],
            *["", "", "", "", "", "1", _taxonomies(nodes)],
        ]
    )
    for number, node in enumerate(nodes, start=1):
        related = sorted(
            {a.element_key.replace(",", "%2C") for a in node.alignments if a.framework_code == fw.code}
            & {k.replace(",", "%2C") for k in keys}
        )
        parent = node.parent.key if node.parent is not None else ""
        writer.writerow(
            [
                *[parent, node.key, _shortname(node), _description(node), FORMAT_HTML, "", "", "", "0", "null"],
                *[",".join(related), str(number), "", ""],
            ]
        )
    return out.getvalue()
