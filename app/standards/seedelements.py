"""The element tree of one seed file: keys, required levels, level descriptors and alignments.

Read in pre-order (parents before children) and checked while read; references inside the file are checked
once the whole tree is known. Every problem goes into the caller's error list, so one run reports them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.standards.identity import parse_uuid
from app.standards.seedspecs import AlignmentSpec, ElementSpec, LineIndex, SeedError


@dataclass
class ElementTree:
    name: str
    framework_code: str
    scale_levels: dict[str, set[int]]
    default_scale: str | None
    lines: LineIndex
    errors: list[SeedError]
    elements: list[ElementSpec] = field(default_factory=list)
    alignments: list[AlignmentSpec] = field(default_factory=list)
    by_key: dict[str, ElementSpec] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    uuids: dict[str, str] = field(default_factory=dict)

    def _error(self, path: str, message: str, line_path: str | None = None) -> None:
        self.errors.append(SeedError(self.name, path, message, self.lines.line(line_path or path)))

    def walk(self, items: list[dict[str, Any]], parent: ElementSpec | None, base: str) -> None:
        per_type: dict[str, int] = {}
        for pos, item in enumerate(items):
            path = f"{base}/{pos}"
            etype = item["type"]
            per_type[etype] = per_type.get(etype, 0) + 1
            code, duplicate_code = self._code(item, path)
            key = code or item.get("key")
            if not key:
                prefix = f"{parent.key}/" if parent else ""
                key = f"{prefix}{etype}-{per_type[etype]}"
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
                required_level=self._required_level(item, path),
                uuid=self._uuid(item, path),
            )
            self._add(spec, duplicate_code)
            self._add_alignments(item, key, path)
            children = self._level_descriptors(item, key, path) + list(item.get("children") or [])
            self.walk(children, spec, f"{path}/children")

    def _code(self, item: dict[str, Any], path: str) -> tuple[str | None, bool]:
        """The element's code, stripped, and whether another element of the file already uses it."""
        code = item.get("code")
        if code is None:
            return None, False
        code = code.strip()
        if code in self.codes:
            self._error(path + "/code", f"duplicate code {code!r} (first used at {self.codes[code]})", path)
            return code, True
        self.codes[code] = path
        return code, False

    def _uuid(self, item: dict[str, Any], path: str) -> str | None:
        """The source's identifier of the element, canonical (lower case), once per file."""
        parsed = parse_uuid(item.get("uuid"))
        if parsed is None:
            return None
        value = str(parsed)
        if value in self.uuids:
            self._error(path + "/uuid", f"duplicate uuid {value!r} (first used at {self.uuids[value]})", path)
        self.uuids.setdefault(value, path)
        return value

    def _required_level(self, item: dict[str, Any], path: str) -> tuple[str, int, str | None] | None:
        rl = item.get("required_level")
        if not rl:
            return None
        scale_code = rl.get("scale") or self.default_scale
        if scale_code not in self.scale_levels:
            self._error(path + "/required_level/scale", f"unknown scale {scale_code!r}", path + "/required_level")
            return None
        if rl["level"] not in self.scale_levels[scale_code]:
            self._error(
                path + "/required_level/level",
                f"level {rl['level']} is out of range for scale {scale_code!r} "
                f"(allowed: {sorted(self.scale_levels[scale_code])})",
            )
            return None
        return (scale_code, rl["level"], rl.get("note"))

    def _add(self, spec: ElementSpec, reported: bool) -> None:
        if spec.key in self.by_key:
            if reported:  # the duplicate code was already reported; its key is the same code
                return
            first = self.by_key[spec.key].json_path
            self._error(spec.json_path, f"duplicate element key {spec.key!r} (first used at {first})")
            return
        self.by_key[spec.key] = spec
        self.elements.append(spec)

    def _add_alignments(self, item: dict[str, Any], key: str, path: str) -> None:
        for a_i, al in enumerate(item.get("alignments") or []):
            fw_code, _, el_key = al["to"].rpartition(":")
            self.alignments.append(
                AlignmentSpec(
                    source_key=key,
                    target=(fw_code or self.framework_code, el_key),
                    relation=al["relation"],
                    note=al.get("note"),
                    json_path=f"{path}/alignments/{a_i}",
                )
            )

    def _level_descriptors(self, item: dict[str, Any], key: str, path: str) -> list[dict[str, Any]]:
        """An element's ``levels`` (level → text) become child elements, one per level of its scale."""
        levels = item.get("levels") or {}
        if not levels:
            return []
        scale_code = (item.get("required_level") or {}).get("scale") or self.default_scale
        allowed = self.scale_levels.get(scale_code or "", set())
        for lv_text in levels:
            lv = int(lv_text)
            if lv not in allowed:
                self._error(
                    f"{path}/levels/{lv_text}",
                    f"level {lv} is out of range for scale {scale_code!r} (allowed: {sorted(allowed)})",
                )
        return [
            {
                "type": "level_descriptor",
                "key": f"{key}/level-{int(lv)}",
                "title": text,
                "attributes": {"level": int(lv), "scale": scale_code},
            }
            for lv, text in sorted(levels.items(), key=lambda kv: int(kv[0]))
        ]

    def check_references(self) -> None:
        """References inside the file (comprises, knowledge and skills, alignments) name its elements."""
        for spec in self.elements:
            attrs = spec.attributes
            for i, ref in enumerate(attrs.get("comprises") or []):
                if ref not in self.by_key:
                    p = f"{spec.json_path}/attributes/comprises/{i}"
                    self._error(p, f"dangling reference {ref!r}: no element with that key")
            for i, ref in enumerate(attrs.get("knowledge_and_skills") or []):
                p = f"{spec.json_path}/attributes/knowledge_and_skills/{i}"
                code = ref.get("code") if isinstance(ref, dict) else None
                if not code:
                    self._error(p, "each knowledge_and_skills entry needs a code")
                elif code not in self.by_key:
                    self._error(p, f"dangling reference {code!r}: no element with that key")
        for al in self.alignments:
            if al.target[0] == self.framework_code and al.target[1] not in self.by_key:
                self._error(
                    al.json_path + "/to",
                    f"dangling reference {al.target[1]!r}: no element with that key",
                    al.json_path,
                )
