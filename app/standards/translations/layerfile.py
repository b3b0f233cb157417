"""Read and validate a translation layer file (seeds/translations/<framework-code>.<language>.yaml).

A layer names its standard, its language, its translator and whether it is official, and gives translated
texts keyed by element key. Parsing checks the file on its own (JSON Schema); whether the keys and attribute
paths exist in the standard is checked against the loaded standard (loader.py). Nothing here touches the
database.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from app.standards.seedspecs import LineIndex, SeedError, SeedValidationError

FORMAT = "bekwaam-translation/1"
SCHEMA_PATH = Path(__file__).with_name("layer_schema.json")
_FORMAT_LINE = re.compile(r"^format:\s*['\"]?bekwaam-translation/1['\"]?\s*$", re.MULTILINE)


@dataclass(frozen=True)
class TextSpec:
    """One translated text: of an element (by key) or of the framework itself (key None)."""

    element_key: str | None
    field: str  # title | description | attributes.<dotted path>
    text: str
    json_path: str


@dataclass
class LayerSpec:
    framework_code: str
    language: str
    translator: str
    status: str
    source: str | None
    texts: list[TextSpec]
    file: str
    lines: LineIndex = field(repr=False, default_factory=lambda: LineIndex(None))

    def error(self, json_path: str, message: str) -> SeedError:
        return SeedError(self.file, json_path, message, self.lines.line(json_path))


def is_layer_file(path: Path) -> bool:
    """A translation layer says so on its format line (standards seed files say bekwaam-standard/1)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return bool(_FORMAT_LINE.search(text))


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def parse_layer_file(path: Path) -> LayerSpec:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise SeedValidationError([SeedError(name, "", f"cannot read file: {exc}")]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise SeedValidationError([SeedError(name, "", f"malformed YAML: {exc}", line)]) from exc
    return parse_layer_data(data, name, LineIndex(node))


def parse_layer_data(data: Any, name: str, lines: LineIndex | None = None) -> LayerSpec:
    lines = lines or LineIndex(None)
    errors = [
        SeedError(name, "/" + "/".join(str(p) for p in err.absolute_path), err.message, None)
        for err in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    ]
    if errors:
        raise SeedValidationError([SeedError(e.file, e.path, e.message, lines.line(e.path)) for e in errors])
    texts = list(_texts(None, data.get("framework_text") or {}, "/framework_text"))
    for key, entry in data["elements"].items():
        texts.extend(_texts(key, entry, f"/elements/{key}"))
    return LayerSpec(
        framework_code=data["framework"],
        language=data["language"],
        translator=data["translator"].strip(),
        status=data["status"],
        source=data.get("source"),
        texts=texts,
        file=name,
        lines=lines,
    )


def _texts(key: str | None, entry: dict[str, Any], path: str) -> list[TextSpec]:
    out = [
        TextSpec(key, name, entry[name].strip(), f"{path}/{name}") for name in ("title", "description") if name in entry
    ]
    for level, text in (entry.get("levels") or {}).items():
        # a level descriptor is an element of its own (<key>/level-<n>) whose text is its title
        out.append(TextSpec(f"{key}/level-{int(level)}", "title", text.strip(), f"{path}/levels/{level}"))
    out.extend(_attribute_texts(key, entry.get("attributes") or {}, ["attributes"], f"{path}/attributes"))
    return out


def _attribute_texts(key: str | None, value: Any, trail: list[str], path: str) -> list[TextSpec]:
    if isinstance(value, str):
        return [TextSpec(key, ".".join(trail), value.strip(), path)]
    items: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        items = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, list):
        items = [(str(i), v) for i, v in enumerate(value)]
    out: list[TextSpec] = []
    for name, item in items:
        out.extend(_attribute_texts(key, item, [*trail, name], f"{path}/{name}"))
    return out


def source_text(title: str, description: str | None, attributes: dict[str, Any], field_name: str) -> str | None:
    """The source text a field names, or None when the standard has no text there."""
    if field_name == "title":
        return title
    if field_name == "description":
        return description
    value: Any = {"attributes": attributes}
    for part in field_name.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value if isinstance(value, str) else None
