"""Importing a crosswalk from SSSOM TSV: upload → preview with every problem named, with its line → confirm
by the file's digest. The preview writes nothing; confirming imports exactly the previewed bytes as a draft
(all its mappings or none), for an owner checked again at that moment."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import Actor
from app.crosswalks.crosswalks import NAME_LIMIT
from app.crosswalks.exchange import import_mapping_set
from app.crosswalks.models import Crosswalk
from app.crosswalks.sssom import Mapping, MappingSet, read_sssom
from app.domain import N_
from app.standards.importers.report import Problem
from app.standards.models import Element, Framework, RatingScale, ScaleLevel
from app.standards.queries import Audience, get_framework

MAX_IMPORT_BYTES = 4 * 1024 * 1024
MAX_PROBLEMS = 500


@dataclass
class ImportPreview:
    digest: str  # sha256 of the uploaded bytes: what the confirmation names
    name: str
    owner_id: int | None
    mapping_set: MappingSet | None = None
    lines: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    source: Framework | None = None
    target: Framework | None = None

    @property
    def mappings(self) -> list[tuple[int, Mapping]]:
        return list(zip(self.lines, self.mapping_set.mappings, strict=True)) if self.mapping_set else []

    @property
    def can_apply(self) -> bool:
        return self.mapping_set is not None and bool(self.mapping_set.mappings) and not self.problems


def _refuse(preview: ImportPreview, where: str, message: str, **params: object) -> None:
    preview.problems.append(Problem(where, message, dict(params), refusal=True))


def _decode(raw: bytes, preview: ImportPreview) -> str | None:
    if len(raw) > MAX_IMPORT_BYTES:
        _refuse(preview, "", N_("The file is larger than %(n)s MB."), n=MAX_IMPORT_BYTES // 2**20)
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        _refuse(preview, "", N_("The file is not UTF-8 text."))
        return None


def _standard(session: Session, preview: ImportPreview, code: str) -> Framework | None:
    framework = get_framework(session, code, audience=Audience.of_owner(preview.owner_id)) if code else None
    if framework is None and code:
        _refuse(preview, "", N_("Unknown standard: %(code)s."), code=code)
    return framework


def _keys(session: Session, framework: Framework | None) -> set[str]:
    if framework is None:
        return set()
    return set(
        session.scalars(select(Element.key).where(Element.framework_id == framework.id, Element.retired_at.is_(None)))
    )


def _levels(session: Session, frameworks: list[Framework]) -> set[str]:
    """The minimum levels a condition may name: "<standard>:<scale>:<value>" of either standard."""
    rows = session.execute(
        select(Framework.code, RatingScale.code, ScaleLevel.value)
        .join(RatingScale, RatingScale.framework_id == Framework.id)
        .join(ScaleLevel, ScaleLevel.scale_id == RatingScale.id)
        .where(Framework.id.in_([f.id for f in frameworks]))
    )
    return {f"{code}:{scale}:{value}" for code, scale, value in rows}


def _check_rows(session: Session, preview: ImportPreview) -> None:
    """Every mapping against the two standards: known elements, one link per pair, known minimum levels."""
    source, target = preview.source, preview.target
    subject_keys, object_keys = _keys(session, source), _keys(session, target)
    levels = _levels(session, [f for f in (source, target) if f is not None])
    seen: dict[tuple[str, str], int] = {}
    for line, m in preview.mappings:
        where = f"line {line}"
        if source is not None and m.subject_key not in subject_keys:
            _refuse(preview, where, N_("%(key)s is not an element of %(code)s."), key=m.subject_key, code=source.code)
        if target is not None and m.object_key not in object_keys:
            _refuse(preview, where, N_("%(key)s is not an element of %(code)s."), key=m.object_key, code=target.code)
        if m.min_level and m.min_level not in levels:
            _refuse(preview, where, N_("Unknown minimum level %(value)s."), value=m.min_level)
        pair = (m.subject_key, m.object_key)
        if pair in seen:
            _refuse(preview, where, N_("The same two elements are mapped on line %(line)s already."), line=seen[pair])
        seen.setdefault(pair, line)


def preview_import(session: Session, raw: bytes, name: str, owner_id: int | None) -> ImportPreview:
    """What importing ``raw`` as crosswalk ``name`` for ``owner_id`` (None: platform-wide) would do, with every
    problem found; nothing is written."""
    preview = ImportPreview(hashlib.sha256(raw).hexdigest(), " ".join(name.split()), owner_id)
    text = _decode(raw, preview)
    if text is None:
        return preview
    read = read_sssom(text)
    preview.mapping_set, preview.lines, preview.problems = read.mapping_set, read.lines, list(read.problems)
    if not preview.name and read.mapping_set is not None:
        preview.name = " ".join(read.mapping_set.title.split())
    if not preview.name or len(preview.name) > NAME_LIMIT:
        _refuse(preview, "", N_("Give the crosswalk a name of at most %(n)s characters."), n=NAME_LIMIT)
    if read.mapping_set is not None and read.mapping_set.mappings:
        preview.source = _standard(session, preview, read.mapping_set.source)
        preview.target = _standard(session, preview, read.mapping_set.target)
        if preview.source is not None and preview.source.id == getattr(preview.target, "id", None):
            _refuse(preview, "", N_("A crosswalk links two different standards."))
        _check_rows(session, preview)
    del preview.problems[MAX_PROBLEMS:]
    return preview


def apply_import(session: Session, actor: Actor, preview: ImportPreview) -> Crosswalk:
    """The previewed file as a new draft crosswalk (the services check every link again; all or none)."""
    assert preview.can_apply and preview.mapping_set is not None  # the view confirms only an applicable preview
    return import_mapping_set(session, actor, preview.mapping_set, preview.name, preview.owner_id)
