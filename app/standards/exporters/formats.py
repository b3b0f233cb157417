"""One standard in one of the export formats: the text, its media type and a file name."""

from __future__ import annotations

import json
from dataclasses import dataclass

from app.standards.exporters import Links
from app.standards.exporters.case import export_case
from app.standards.exporters.moodle import export_moodle
from app.standards.exporters.yaml import export_yaml
from app.standards.queries import Tree

FORMATS = ("case", "moodle", "yaml")


@dataclass(frozen=True)
class Export:
    text: str
    mimetype: str
    filename: str


def render(tree: Tree, fmt: str, links: Links) -> Export:
    code = tree.framework.code
    if fmt == "case":
        text = json.dumps(export_case(tree, links), ensure_ascii=False, indent=2) + "\n"
        return Export(text, "application/json", f"{code}.case.json")
    if fmt == "moodle":
        return Export(export_moodle(tree), "text/csv", f"{code}.moodle.csv")
    if fmt == "yaml":
        return Export(export_yaml(tree), "application/yaml", f"{code}.yaml")
    raise ValueError(f"unknown export format {fmt!r} (one of: {', '.join(FORMATS)})")
