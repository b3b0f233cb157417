"""Write validated seed files into the database, in place.

Every file is validated (schema, keys, references) before anything is written. Elements are
matched by key, so an edited title updates the row that other data already points to; a second
load of the same files changes nothing. Functions here flush, the caller commits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import utcnow
from app.standards.identity import derivation_code, element_uuid, framework_uuid, scale_uuid
from app.standards.models import (
    Alignment,
    Element,
    Framework,
    RatingScale,
    RequiredLevel,
    ScaleLevel,
    SourceNote,
)
from app.standards.seedfile import ElementSpec, FrameworkSpec, parse_files
from app.standards.text import fold
from app.standards.versions import current_ids, is_first_of_code, newest, same_version


@dataclass
class LoadReport:
    framework: str
    file: str
    created: int = 0
    updated: int = 0
    retired: int = 0  # no longer in the source: kept for what points at them, hidden from new work
    restored: int = 0  # retired before, back in the source
    unchanged: int = 0
    other_changes: list[str] = field(default_factory=list)
    framework_created: bool = False
    framework_id: int | None = None
    version: str | None = None
    new_version_of: str | None = None  # created beside this (current) version of the same code

    @property
    def changed(self) -> bool:
        return bool(
            self.framework_created
            or self.created
            or self.updated
            or self.retired
            or self.restored
            or self.other_changes
        )

    def summary(self) -> str:
        if self.framework_created and self.new_version_of is not None:
            return (
                f"{self.framework} {self.version or ''}: new version beside {self.new_version_of or '-'}, "
                f"created with {self.created} elements"
            )
        if self.framework_created:
            return f"{self.framework}: created with {self.created} elements"
        if not self.changed:
            return f"{self.framework}: unchanged ({self.unchanged} elements)"
        parts = [f"{self.created} created", f"{self.updated} updated", f"{self.retired} retired"]
        if self.restored:
            parts.append(f"{self.restored} restored")
        extra = f"; {', '.join(self.other_changes)}" if self.other_changes else ""
        return f"{self.framework}: {', '.join(parts)}, {self.unchanged} unchanged{extra}"


def seed_paths(seed_dir: str | Path) -> list[Path]:
    return sorted(Path(seed_dir).glob("*.yaml"))


def loaded_keys(session: Session) -> dict[str, set[str]]:
    """The element keys of each loaded framework that new alignments may point at (retired ones not; of a
    code with several versions, those of the current one)."""
    keys: dict[str, set[str]] = {}
    rows = session.execute(
        select(Framework.code, Element.key)
        .join(Element.framework)
        .where(Element.retired_at.is_(None), Framework.id.in_(current_ids(session).values()))
    )
    for fw_code, key in rows:
        keys.setdefault(fw_code, set()).add(key)
    return keys


def load_paths(session: Session, paths: Sequence[Path]) -> list[LoadReport]:
    """Validate all files, then write them. Raises SeedValidationError before any write."""
    return load_specs(session, parse_files(paths, known=loaded_keys(session)))


def load_specs(session: Session, specs: Sequence[FrameworkSpec]) -> list[LoadReport]:
    """Write specs already validated (with their cross-references checked): the importers' way in."""
    reports = [_upsert_framework(session, spec) for spec in specs]
    session.flush()
    for spec, report in zip(specs, reports, strict=True):
        _sync_alignments(session, spec, report, {r.framework: r.framework_id for r in reports if r.framework_id})
    session.flush()
    return reports


def _spec_hash(spec: FrameworkSpec) -> str:
    data = asdict(spec)
    data.pop("file", None)
    data.pop("element_lines", None)
    for el in data["elements"]:
        el.pop("json_path", None)
    for al in data["alignments"]:
        al.pop("json_path", None)
    blob = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _assign(obj: Any, values: dict[str, Any]) -> bool:
    """Set attributes that differ; report whether anything changed (so unchanged rows stay untouched)."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _upsert_framework(session: Session, spec: FrameworkSpec) -> LoadReport:
    report = LoadReport(framework=spec.code, file=spec.file, version=spec.version)
    framework = _upsert_framework_row(session, spec, report)
    report.framework_id = framework.id
    derive = derivation_code(spec.code, spec.version, is_first_of_code(session, framework))
    by_key = _sync_elements(session, framework, spec, report, derive)
    scale_levels = _sync_scales(session, framework, spec, report, derive)
    _sync_required_levels(session, framework, spec, by_key, scale_levels, report)
    _sync_notes(session, framework, spec, by_key, report)
    return report


def _upsert_framework_row(session: Session, spec: FrameworkSpec, report: LoadReport) -> Framework:
    """The row of the spec's code and version: updated in place, or created (beside other versions)."""
    framework = session.scalar(select(Framework).where(Framework.code == spec.code, same_version(spec.version)))
    values = {
        "title": spec.title,
        "kind": spec.kind,
        "language": spec.language,
        "version": spec.version,
        "validated_on": spec.validated_on,
        "level": spec.level,
        "level_scale": spec.level_scale,
        "eqf_level": spec.eqf_level,
        "publisher": spec.publisher,
        "source_ref": spec.source,
        "description": spec.description,
        "attributes": spec.attributes,
    }
    if spec.uuid:  # a source's own identifier wins; a derived one never replaces what is stored
        values["uuid"] = spec.uuid
    content_hash = _spec_hash(spec)
    if framework is None:
        current = newest(session.scalars(select(Framework).where(Framework.code == spec.code)))
        if current is not None:
            report.new_version_of = current.version or ""
        values.setdefault("uuid", str(framework_uuid(derivation_code(spec.code, spec.version, current is None))))
        framework = Framework(code=spec.code, content_hash=content_hash, **values)
        session.add(framework)
        session.flush()
        report.framework_created = True
    else:
        if _assign(framework, values):
            report.other_changes.append("framework metadata")
        if framework.content_hash != content_hash:
            framework.content_hash = content_hash
            framework.loaded_at = utcnow()
    return framework


def _sync_elements(
    session: Session, framework: Framework, spec: FrameworkSpec, report: LoadReport, derive: str
) -> dict[str, Element]:
    """The framework's elements as the file has them (created, updated, parents set, the others retired).

    An element is never deleted here: claims, judgements and alignments may point at it. One the file no
    longer has is retired; one the file brings back is restored, in the same row with the same uuid."""
    existing = {e.key: e for e in session.scalars(select(Element).where(Element.framework_id == framework.id))}
    by_key: dict[str, Element] = {}
    for order, el in enumerate(spec.elements):
        values = _element_values(el, order)
        row = existing.pop(el.key, None)
        if row is None:
            values.setdefault("uuid", str(element_uuid(derive, el.key)))
            row = Element(framework_id=framework.id, key=el.key, **values)
            session.add(row)
            report.created += 1
        elif row.retired_at is not None:
            _assign(row, values)
            row.retired_at = None
            report.restored += 1
        elif _assign(row, values):
            report.updated += 1
        else:
            report.unchanged += 1
        by_key[el.key] = row
    session.flush()
    for el in spec.elements:
        row = by_key[el.key]
        parent_id = by_key[el.parent_key].id if el.parent_key else None
        if row.parent_id != parent_id:
            row.parent_id = parent_id
    now = utcnow()
    for gone in existing.values():
        if gone.retired_at is None:
            gone.retired_at = now
            report.retired += 1
    return by_key


def _element_values(el: ElementSpec, order: int) -> dict[str, Any]:
    values: dict[str, Any] = {
        "code": el.code,
        "type": el.type,
        "title": el.title,
        "description": el.description,
        "attributes": el.attributes,
        "position": el.position,
        "depth": el.depth,
        "sort_order": order,
        "search_text": fold(" ".join(filter(None, [el.code, el.title, el.description]))),
    }
    if el.uuid:  # a source's own identifier wins; a derived one never replaces what is stored
        values["uuid"] = el.uuid
    return values


def _sync_scales(
    session: Session, framework: Framework, spec: FrameworkSpec, report: LoadReport, derive: str
) -> dict[tuple[str, int], ScaleLevel]:
    existing = {s.code: s for s in session.scalars(select(RatingScale).where(RatingScale.framework_id == framework.id))}
    result: dict[tuple[str, int], ScaleLevel] = {}
    changed = False
    for pos, sc in enumerate(spec.scales):
        scale = existing.pop(sc.code, None)
        values = {"title": sc.title, "origin": sc.origin, "description": sc.description, "position": pos}
        if scale is None:
            scale = RatingScale(
                framework_id=framework.id, code=sc.code, uuid=str(scale_uuid(derive, sc.code)), **values
            )
            session.add(scale)
            session.flush()
            changed = True
        else:
            changed |= _assign(scale, values)
        levels = {lv.value: lv for lv in session.scalars(select(ScaleLevel).where(ScaleLevel.scale_id == scale.id))}
        for lv in sc.levels:
            row = levels.pop(lv.value, None)
            lv_values = {
                "code": lv.code,
                "label": lv.label,
                "description": lv.description,
                "eqf_level": lv.eqf_level,
                "passing": lv.passing,
            }
            if row is None:
                row = ScaleLevel(scale_id=scale.id, value=lv.value, **lv_values)
                session.add(row)
                changed = True
            else:
                changed |= _assign(row, lv_values)
            result[(sc.code, lv.value)] = row
        for gone_level in levels.values():
            session.delete(gone_level)
            changed = True
    for gone in existing.values():
        session.delete(gone)
        changed = True
    if changed:
        report.other_changes.append("rating scales")
    session.flush()
    return result


def _sync_required_levels(
    session: Session,
    framework: Framework,
    spec: FrameworkSpec,
    by_key: dict[str, Element],
    scale_levels: dict[tuple[str, int], ScaleLevel],
    report: LoadReport,
) -> None:
    existing = {
        r.element_id: r
        for r in session.scalars(
            select(RequiredLevel).join(RequiredLevel.element).where(Element.framework_id == framework.id)
        )
    }
    changed = False
    for el in spec.elements:
        if el.required_level is None:
            continue
        scale_code, level, note = el.required_level
        element = by_key[el.key]
        row = existing.pop(element.id, None)
        values = {"scale_level_id": scale_levels[(scale_code, level)].id, "note": note}
        if row is None:
            session.add(RequiredLevel(element_id=element.id, **values))
            changed = True
        else:
            changed |= _assign(row, values)
    kept = {e.id for e in by_key.values()}
    for gone in existing.values():
        if gone.element_id in kept:  # a retired element keeps the level it required, for the results on it
            session.delete(gone)
            changed = True
    if changed:
        report.other_changes.append("required levels")


def _sync_notes(
    session: Session, framework: Framework, spec: FrameworkSpec, by_key: dict[str, Element], report: LoadReport
) -> None:
    wanted = [
        (by_key[n.element_key].id if n.element_key else None, n.kind, n.text, pos) for pos, n in enumerate(spec.notes)
    ]
    rows = list(session.scalars(select(SourceNote).where(SourceNote.framework_id == framework.id)))
    current = sorted(((r.element_id, r.kind, r.text, r.position) for r in rows), key=lambda t: t[3])
    if current == wanted:
        return
    for row in rows:
        session.delete(row)
    for element_id, kind, text, pos in wanted:
        session.add(SourceNote(framework_id=framework.id, element_id=element_id, kind=kind, text=text, position=pos))
    report.other_changes.append("notes")


def _sync_alignments(session: Session, spec: FrameworkSpec, report: LoadReport, loaded: dict[str, int]) -> None:
    """The links the spec declares; ``code:key`` names the element in the version of that code just loaded
    (with the spec), else in the code's current version."""
    framework_id = report.framework_id
    wanted_keys = {(spec.code, al.source_key) for al in spec.alignments} | {al.target for al in spec.alignments}
    fw_codes = {code for code, _ in wanted_keys}
    ids: dict[tuple[str, str], int] = {}
    if fw_codes:
        fw_ids = current_ids(session, fw_codes) | {c: i for c, i in loaded.items() if c in fw_codes}
        rows = session.execute(
            select(Framework.code, Element.key, Element.id)
            .join(Element.framework)
            .where(Framework.id.in_(fw_ids.values()))
        )
        ids = {(code, key): el_id for code, key, el_id in rows}
    existing = {
        (a.source_id, a.target_id, a.relation): a
        for a in session.scalars(select(Alignment).where(Alignment.declared_by_id == framework_id))
    }
    changed = False
    for pos, al in enumerate(spec.alignments):
        ident = (ids[(spec.code, al.source_key)], ids[al.target], al.relation)
        row = existing.pop(ident, None)
        if row is None:
            session.add(
                Alignment(
                    source_id=ident[0],
                    target_id=ident[1],
                    relation=al.relation,
                    note=al.note,
                    position=pos,
                    declared_by_id=framework_id,
                )
            )
            changed = True
        else:
            changed |= _assign(row, {"note": al.note, "position": pos})
    for gone in existing.values():
        session.delete(gone)
        changed = True
    if changed:
        report.other_changes.append("alignments")
