"""What a standards seed file becomes: plain dataclasses, and the errors that locate a problem in the file.

Nothing here reads files or touches the database (see seedfile.py for the reading, seedelements.py for the
element tree).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml


@dataclass(frozen=True)
class SeedError:
    """One problem in one file, located as precisely as the file allows."""

    file: str
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: at {self.path or '/'}: {self.message}"


class SeedValidationError(Exception):
    def __init__(self, errors: Sequence[SeedError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass
class LevelSpec:
    value: int
    label: str
    code: str | None = None
    description: str | None = None
    eqf_level: str | None = None
    passing: bool | None = None


@dataclass
class ScaleSpec:
    code: str
    title: str
    origin: str
    description: str | None
    levels: list[LevelSpec]


@dataclass
class AlignmentSpec:
    source_key: str
    target: tuple[str, str]  # (framework code, element key)
    relation: str
    note: str | None
    json_path: str


@dataclass
class ElementSpec:
    key: str
    code: str | None
    type: str
    title: str
    description: str | None
    attributes: dict[str, Any]
    parent_key: str | None
    position: int
    depth: int
    json_path: str
    required_level: tuple[str, int, str | None] | None = None
    uuid: str | None = None  # from the source when it has one; the loader derives it otherwise


@dataclass
class NoteSpec:
    element_key: str | None
    kind: str
    text: str


@dataclass
class FrameworkSpec:
    code: str
    title: str
    kind: str
    language: str
    version: str | None
    validated_on: dt.date | None
    level: str | None
    level_scale: str | None
    eqf_level: int | None
    publisher: str | None
    source: str | None
    description: str | None
    attributes: dict[str, Any]
    scales: list[ScaleSpec]
    elements: list[ElementSpec]  # pre-order: parents before children
    alignments: list[AlignmentSpec]
    notes: list[NoteSpec]
    file: str
    element_lines: dict[str, int | None] = field(default_factory=dict)
    uuid: str | None = None  # from the source when it has one; the loader derives it otherwise


class LineIndex:
    """Maps JSON-pointer-like paths to the line of the YAML node they came from."""

    def __init__(self, node: yaml.Node | None):
        self._lines: dict[str, int] = {}
        if node is not None:
            self._walk(node, "")

    def _walk(self, node: yaml.Node, path: str) -> None:
        self._lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                self._walk(value_node, f"{path}/{key_node.value}")
                self._lines.setdefault(f"{path}/{key_node.value}", key_node.start_mark.line + 1)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._walk(item, f"{path}/{i}")

    def line(self, path: str) -> int | None:
        while True:
            if path in self._lines:
                return self._lines[path]
            if not path:
                return None
            path = path.rsplit("/", 1)[0]
