"""Read and validate standards seed files (see seeds/standards/FORMAT.md).

Nothing here touches the database: a file is parsed, checked against the JSON Schema and the
semantic rules (unique keys, resolvable references, levels on the scale), and turned into plain
dataclasses (seedspecs.py; the element tree is read by seedelements.py). The loader writes only when
every file given to it passed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any, cast

import jsonschema
import yaml

from app.standards.identity import parse_uuid
from app.standards.seedelements import ElementTree
from app.standards.seedspecs import (
    AlignmentSpec,
    ElementSpec,
    FrameworkSpec,
    LevelSpec,
    LineIndex,
    NoteSpec,
    ScaleSpec,
    SeedError,
    SeedValidationError,
)

__all__ = [
    "AlignmentSpec",
    "ElementSpec",
    "FrameworkSpec",
    "LevelSpec",
    "NoteSpec",
    "ScaleSpec",
    "SeedError",
    "SeedValidationError",
    "check_cross_references",
    "parse_data",
    "parse_file",
    "parse_files",
    "parse_text",
]

SCHEMA_PATH = Path(__file__).with_name("seed_schema.json")


@cache
def _schema_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


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
    return parse_data(data, name, LineIndex(node))


def parse_data(data: Any, name: str, lines: LineIndex | None = None) -> FrameworkSpec:
    """Validate an already parsed seed structure (the importers build one from CASE and Moodle files)."""
    lines = lines or LineIndex(None)
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
        allowed = ", ".join(map(str, cast("list[Any]", err.validator_value)))
        return f"{err.instance!r} is not one of: {allowed}"
    if err.validator == "additionalProperties":
        return err.message.replace("Additional properties are not allowed", "unknown field(s)")
    return err.message


def _build(data: dict[str, Any], name: str, lines: LineIndex, errors: list[SeedError]) -> FrameworkSpec:
    fw = data["framework"]
    scales = [_scale(s) for s in data.get("scales") or []]
    tree = ElementTree(
        name=name,
        framework_code=fw["code"],
        scale_levels=_scale_levels(scales, name, lines, errors),
        default_scale=scales[0].code if scales else None,
        lines=lines,
        errors=errors,
    )
    tree.walk(data["elements"], None, "/elements")
    tree.check_references()
    return FrameworkSpec(
        code=fw["code"],
        title=fw["title"].strip(),
        kind=fw["kind"],
        language=fw["language"],
        version=fw.get("version"),
        validated_on=dt.date.fromisoformat(fw["validated_on"]) if fw.get("validated_on") else None,
        level=fw.get("level"),
        level_scale=fw.get("level_scale"),
        eqf_level=fw.get("eqf_level"),
        publisher=fw.get("publisher"),
        source=fw.get("source"),
        description=fw.get("description"),
        attributes=dict(fw.get("attributes") or {}),
        scales=scales,
        elements=tree.elements,
        alignments=tree.alignments,
        notes=_notes(data, tree.by_key, name, lines, errors),
        file=name,
        element_lines={e.key: lines.line(e.json_path) for e in tree.elements},
        uuid=_framework_uuid(fw, tree, name, lines, errors),
    )


def _framework_uuid(
    fw: dict[str, Any], tree: ElementTree, name: str, lines: LineIndex, errors: list[SeedError]
) -> str | None:
    """The source's identifier of the framework, canonical; no element of the file may share it."""
    parsed = parse_uuid(fw.get("uuid"))
    if parsed is None:
        return None
    value = str(parsed)
    if value in tree.uuids:
        path = "/framework/uuid"
        errors.append(SeedError(name, path, f"uuid {value!r} is also used at {tree.uuids[value]}", lines.line(path)))
    return value


def _scale(s: dict[str, Any]) -> ScaleSpec:
    return ScaleSpec(
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


def _scale_levels(scales: list[ScaleSpec], name: str, lines: LineIndex, errors: list[SeedError]) -> dict[str, set[int]]:
    """The level values of each scale, once its code is unique and its values increase."""
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
    return scale_levels


def _notes(
    data: dict[str, Any], by_key: dict[str, ElementSpec], name: str, lines: LineIndex, errors: list[SeedError]
) -> list[NoteSpec]:
    notes = []
    for i, note in enumerate(data.get("notes") or []):
        el = note.get("element")
        if el and el not in by_key:
            p = f"/notes/{i}/element"
            errors.append(SeedError(name, p, f"dangling reference {el!r}: no element with that key", lines.line(p)))
        notes.append(NoteSpec(element_key=el, kind=note["kind"], text=note["text"]))
    return notes


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
