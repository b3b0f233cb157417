"""Read and validate standards seed files (see seeds/standards/FORMAT.md).

Nothing here touches the database: a file is parsed, checked against the JSON Schema and the
semantic rules (unique keys, resolvable references, levels on the scale), and turned into plain
dataclasses. The loader writes only when every file given to it passed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

SCHEMA_PATH = Path(__file__).with_name("seed_schema.json")


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


@cache
def _schema_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


class _LineIndex:
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


class _SafeDateLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as ISO strings so the JSON Schema can check them."""


_SafeDateLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_file(path: Path, display_name: str | None = None) -> FrameworkSpec:
    """Parse and validate one seed file on its own (references to other frameworks unchecked)."""
    name = display_name or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SeedValidationError([SeedError(name, "", f"cannot read file: {exc}")]) from exc
    return parse_text(text, name)


def parse_text(text: str, name: str) -> FrameworkSpec:
    try:
        node = yaml.compose(text, Loader=_SafeDateLoader)
        data = yaml.load(text, Loader=_SafeDateLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise SeedValidationError([SeedError(name, "", f"malformed YAML: {problem}", line)]) from exc
    lines = _LineIndex(node)

    errors: list[SeedError] = []
    for err in sorted(_schema_validator().iter_errors(data), key=lambda e: list(e.absolute_path)):
        json_path = "/" + "/".join(str(p) for p in err.absolute_path)
        errors.append(SeedError(name, json_path, _schema_message(err), lines.line(json_path)))
    if errors:
        raise SeedValidationError(errors)

    spec = _build(data, name, lines, errors)
    if errors:
        raise SeedValidationError(errors)
    return spec


def _schema_message(err: jsonschema.ValidationError) -> str:
    if err.validator == "enum":
        allowed = ", ".join(map(str, err.validator_value))
        return f"{err.instance!r} is not one of: {allowed}"
    if err.validator == "additionalProperties":
        return err.message.replace("Additional properties are not allowed", "unknown field(s)")
    return err.message


def _build(data: dict[str, Any], name: str, lines: _LineIndex, errors: list[SeedError]) -> FrameworkSpec:
    fw = data["framework"]
    validated_on = dt.date.fromisoformat(fw["validated_on"]) if fw.get("validated_on") else None

    scales = [
        ScaleSpec(
            code=s["code"],
            title=s["title"],
            origin=s.get("origin", "platform"),
            description=s.get("description"),
            levels=[
                LevelSpec(
                    value=lv["value"],
                    label=lv["label"],
                    code=lv.get("code"),
                    description=lv.get("description"),
                    eqf_level=None if lv.get("eqf_level") is None else str(lv["eqf_level"]),
                    passing=lv.get("passing"),
                )
                for lv in s["levels"]
            ],
        )
        for s in data.get("scales") or []
    ]
    scale_levels: dict[str, set[int]] = {}
    for i, scale in enumerate(scales):
        path = f"/scales/{i}"
        if scale.code in scale_levels:
            errors.append(SeedError(name, path + "/code", f"duplicate scale code {scale.code!r}", lines.line(path)))
        values = [lv.value for lv in scale.levels]
        if values != sorted(set(values)):
            errors.append(
                SeedError(name, path + "/levels", "level values must be unique and increasing", lines.line(path))
            )
        scale_levels[scale.code] = set(values)
    default_scale = scales[0].code if scales else None

    elements: list[ElementSpec] = []
    alignments: list[AlignmentSpec] = []
    by_key: dict[str, ElementSpec] = {}
    codes: dict[str, str] = {}

    def add(spec: ElementSpec, reported: bool) -> None:
        if spec.key in by_key:
            if reported:  # the duplicate code was already reported; its key is the same code
                return
            first = by_key[spec.key].json_path
            errors.append(
                SeedError(
                    name,
                    spec.json_path,
                    f"duplicate element key {spec.key!r} (first used at {first})",
                    lines.line(spec.json_path),
                )
            )
            return
        by_key[spec.key] = spec
        elements.append(spec)

    def walk(items: list[dict[str, Any]], parent: ElementSpec | None, base: str) -> None:
        per_type: dict[str, int] = {}
        for pos, item in enumerate(items):
            path = f"{base}/{pos}"
            etype = item["type"]
            per_type[etype] = per_type.get(etype, 0) + 1
            code = item.get("code")
            duplicate_code = False
            if code is not None:
                code = code.strip()
                if code in codes:
                    duplicate_code = True
                    errors.append(
                        SeedError(
                            name,
                            path + "/code",
                            f"duplicate code {code!r} (first used at {codes[code]})",
                            lines.line(path),
                        )
                    )
                else:
                    codes[code] = path
            key = code or item.get("key")
            if not key:
                prefix = f"{parent.key}/" if parent else ""
                key = f"{prefix}{etype}-{per_type[etype]}"
            required = None
            if item.get("required_level"):
                rl = item["required_level"]
                scale_code = rl.get("scale") or default_scale
                if scale_code not in scale_levels:
                    errors.append(
                        SeedError(
                            name,
                            path + "/required_level/scale",
                            f"unknown scale {scale_code!r}",
                            lines.line(path + "/required_level"),
                        )
                    )
                elif rl["level"] not in scale_levels[scale_code]:
                    errors.append(
                        SeedError(
                            name,
                            path + "/required_level/level",
                            f"level {rl['level']} is out of range for scale {scale_code!r} "
                            f"(allowed: {sorted(scale_levels[scale_code])})",
                            lines.line(path + "/required_level/level"),
                        )
                    )
                else:
                    required = (scale_code, rl["level"], rl.get("note"))
            spec = ElementSpec(
                key=key,
                code=code,
                type=etype,
                title=item["title"].strip(),
                description=(item.get("description") or None),
                attributes=dict(item.get("attributes") or {}),
                parent_key=parent.key if parent else None,
                position=pos,
                depth=(parent.depth + 1) if parent else 0,
                json_path=path,
                required_level=required,
            )
            add(spec, duplicate_code)
            for a_i, al in enumerate(item.get("alignments") or []):
                a_path = f"{path}/alignments/{a_i}"
                target = al["to"]
                fw_code, _, el_key = target.rpartition(":")
                alignments.append(
                    AlignmentSpec(
                        source_key=key,
                        target=(fw_code or fw["code"], el_key),
                        relation=al["relation"],
                        note=al.get("note"),
                        json_path=a_path,
                    )
                )
            children = list(item.get("children") or [])
            levels = item.get("levels") or {}
            if levels:
                scale_code = (item.get("required_level") or {}).get("scale") or default_scale
                allowed = scale_levels.get(scale_code or "", set())
                for lv_text in levels:
                    lv = int(lv_text)
                    if lv not in allowed:
                        errors.append(
                            SeedError(
                                name,
                                f"{path}/levels/{lv_text}",
                                f"level {lv} is out of range for scale {scale_code!r} (allowed: {sorted(allowed)})",
                                lines.line(f"{path}/levels/{lv_text}"),
                            )
                        )
                level_children = [
                    {
                        "type": "level_descriptor",
                        "key": f"{key}/level-{int(lv)}",
                        "title": text,
                        "attributes": {"level": int(lv), "scale": scale_code},
                    }
                    for lv, text in sorted(levels.items(), key=lambda kv: int(kv[0]))
                ]
                children = level_children + children
            walk(children, spec, f"{path}/children")

    walk(data["elements"], None, "/elements")

    # References inside the file.
    for spec in elements:
        attrs = spec.attributes
        for i, ref in enumerate(attrs.get("comprises") or []):
            if ref not in by_key:
                p = f"{spec.json_path}/attributes/comprises/{i}"
                errors.append(
                    SeedError(name, p, f"dangling reference {ref!r}: no element with that key", lines.line(p))
                )
        for i, ref in enumerate(attrs.get("knowledge_and_skills") or []):
            p = f"{spec.json_path}/attributes/knowledge_and_skills/{i}"
            code = ref.get("code") if isinstance(ref, dict) else None
            if not code:
                errors.append(SeedError(name, p, "each knowledge_and_skills entry needs a code", lines.line(p)))
            elif code not in by_key:
                errors.append(
                    SeedError(name, p, f"dangling reference {code!r}: no element with that key", lines.line(p))
                )
    for al in alignments:
        if al.target[0] == fw["code"] and al.target[1] not in by_key:
            errors.append(
                SeedError(
                    name,
                    al.json_path + "/to",
                    f"dangling reference {al.target[1]!r}: no element with that key",
                    lines.line(al.json_path),
                )
            )
    notes = []
    for i, note in enumerate(data.get("notes") or []):
        el = note.get("element")
        if el and el not in by_key:
            p = f"/notes/{i}/element"
            errors.append(SeedError(name, p, f"dangling reference {el!r}: no element with that key", lines.line(p)))
        notes.append(NoteSpec(element_key=el, kind=note["kind"], text=note["text"]))

    return FrameworkSpec(
        code=fw["code"],
        title=fw["title"].strip(),
        kind=fw["kind"],
        language=fw["language"],
        version=fw.get("version"),
        validated_on=validated_on,
        level=fw.get("level"),
        level_scale=fw.get("level_scale"),
        eqf_level=fw.get("eqf_level"),
        publisher=fw.get("publisher"),
        source=fw.get("source"),
        description=fw.get("description"),
        attributes=dict(fw.get("attributes") or {}),
        scales=scales,
        elements=elements,
        alignments=alignments,
        notes=notes,
        file=name,
        element_lines={e.key: lines.line(e.json_path) for e in elements},
    )


def check_cross_references(specs: Iterable[FrameworkSpec], known: dict[str, set[str]]) -> list[SeedError]:
    """Alignments to other frameworks must resolve among the files given or what is loaded already.

    ``known`` maps framework codes already in the database to their element keys.
    """
    specs = list(specs)
    keys = dict(known)
    seen: dict[str, str] = {}
    errors: list[SeedError] = []
    for spec in specs:
        if spec.code in seen:
            errors.append(
                SeedError(
                    spec.file, "/framework/code", f"framework {spec.code!r} is also defined in {seen[spec.code]}", 2
                )
            )
        seen[spec.code] = spec.file
        keys[spec.code] = {e.key for e in spec.elements}
    for spec in specs:
        for al in spec.alignments:
            fw_code, el_key = al.target
            line = spec.element_lines.get(al.source_key)
            if fw_code not in keys:
                errors.append(
                    SeedError(
                        spec.file, al.json_path + "/to", f"dangling reference: unknown framework {fw_code!r}", line
                    )
                )
            elif el_key not in keys[fw_code]:
                errors.append(
                    SeedError(
                        spec.file,
                        al.json_path + "/to",
                        f"dangling reference: framework {fw_code!r} has no element {el_key!r}",
                        line,
                    )
                )
    return errors


def parse_files(paths: Sequence[Path], known: dict[str, set[str]] | None = None) -> list[FrameworkSpec]:
    """Parse all files; raise one SeedValidationError listing every problem in every file."""
    specs: list[FrameworkSpec] = []
    errors: list[SeedError] = []
    for path in paths:
        try:
            specs.append(parse_file(path))
        except SeedValidationError as exc:
            errors.extend(exc.errors)
    if not errors:
        errors.extend(check_cross_references(specs, known or {}))
    if errors:
        raise SeedValidationError(errors)
    return specs


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m app.standards.seedfile FILE...``: validate files without a database."""
    import sys

    args = list(argv if argv is not None else sys.argv[1:])
    try:
        specs = parse_files([Path(a) for a in args])
    except SeedValidationError as exc:
        for err in exc.errors:
            print(err, file=sys.stderr)
        return 1
    for spec in specs:
        counts: dict[str, int] = {}
        for e in spec.elements:
            counts[e.type] = counts.get(e.type, 0) + 1
        summary = ", ".join(f"{n} {t}" for t, n in sorted(counts.items()))
        print(
            f"{spec.file}: {spec.code} ok — {len(spec.elements)} elements ({summary}), "
            f"{len(spec.alignments)} alignments, {len(spec.notes)} notes"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
