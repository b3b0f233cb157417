"""Write translation layers beside the loaded standards, in place.

Every layer is checked against its standard first (the standard must be loaded, every key must name one of
its elements, every field a text the element has), and only then are the translations written: matched by
(element, field, language), so a second load of the same layer changes nothing and the source text of the
standard is never touched. Functions here flush, the caller commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.standards.models import Element, Framework
from app.standards.seedspecs import SeedError, SeedValidationError
from app.standards.translations.layerfile import LayerSpec, TextSpec, parse_layer_file, source_text
from app.standards.translations.models import ElementTranslation
from app.standards.versions import newest


@dataclass
class LayerReport:
    framework: str
    language: str
    created: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    def summary(self) -> str:
        name = f"{self.framework} ({self.language} translations)"
        if not self.changed:
            return f"{name}: unchanged ({self.unchanged} texts)"
        return (
            f"{name}: {self.created} created, {self.updated} updated, {self.removed} removed, "
            f"{self.unchanged} unchanged"
        )


def layer_paths(layer_dir: str | Path) -> list[Path]:
    return sorted(Path(layer_dir).glob("*.yaml"))


def load_layer_paths(session: Session, paths: Sequence[Path]) -> list[LayerReport]:
    """Parse and check every layer, then write them all. Raises SeedValidationError before any write."""
    specs: list[LayerSpec] = []
    errors: list[SeedError] = []
    for path in paths:
        try:
            specs.append(parse_layer_file(path))
        except SeedValidationError as exc:
            errors.extend(exc.errors)
    resolved = []
    for spec in specs:
        wanted = _resolve(session, spec, errors)
        if wanted is not None:
            resolved.append((spec, *wanted))
    if errors:
        raise SeedValidationError(errors)
    reports = [_sync(session, spec, framework, texts) for spec, framework, texts in resolved]
    session.flush()
    return reports


Wanted = dict[tuple[int | None, str], TextSpec]


def _resolve(session: Session, spec: LayerSpec, errors: list[SeedError]) -> tuple[Framework, Wanted] | None:
    """The layer's texts by (element id, field), or None with the errors that stop it. A layer names a code:
    it translates the current version (older versions keep the translations they have)."""
    framework = newest(session.scalars(select(Framework).where(Framework.code == spec.framework_code)))
    if framework is None:
        errors.append(spec.error("/framework", f"unknown standard {spec.framework_code!r}: load it first"))
        return None
    if spec.language == framework.language:
        errors.append(spec.error("/language", f"{spec.language!r} is the source language of the standard"))
        return None
    elements = {e.key: e for e in session.scalars(select(Element).where(Element.framework_id == framework.id))}
    wanted: Wanted = {}
    for text in spec.texts:
        element = elements.get(text.element_key) if text.element_key is not None else None
        if text.element_key is not None and element is None:
            where = text.json_path.rsplit("/", 1)[0]  # the key's own line
            errors.append(spec.error(where, f"unknown element key {text.element_key!r} in {framework.code}"))
            continue
        owner = element or framework
        original = source_text(owner.title, owner.description, owner.attributes or {}, text.field)
        if original is None:
            where = text.element_key or framework.code
            errors.append(spec.error(text.json_path, f"{where} has no source text at {text.field!r} to translate"))
        elif original.strip() != text.text:  # a value repeated as in the source (a code) identifies, not translates
            wanted[(element.id if element else None, text.field)] = text
    return framework, wanted


def _sync(session: Session, spec: LayerSpec, framework: Framework, wanted: Wanted) -> LayerReport:
    report = LayerReport(framework.code, spec.language)
    rows = session.scalars(
        select(ElementTranslation).where(
            ElementTranslation.framework_id == framework.id, ElementTranslation.language == spec.language
        )
    )
    existing = {(r.element_id, r.field): r for r in rows}
    for (element_id, field_name), text in wanted.items():
        values = {"text": text.text, "translator": spec.translator, "status": spec.status, "source": spec.source}
        row = existing.pop((element_id, field_name), None)
        if row is None:
            session.add(
                ElementTranslation(
                    framework_id=framework.id, element_id=element_id, field=field_name, language=spec.language, **values
                )
            )
            report.created += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            report.updated += 1
        else:
            report.unchanged += 1
    for gone in existing.values():
        session.delete(gone)
        report.removed += 1
    return report
