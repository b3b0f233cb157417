"""Preview and apply an import: the one importer module that touches the database (flush only).

The preview says what the file would become (counts per element type, depth, every problem) and whether it
would create a standard or update one; applying it loads the validated spec through the seed loader, all or
nothing in the caller's unit of work, and records an audit event.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.audit import Actor
from app.domain import N_, DomainError
from app.standards.importers.detect import Conversion, convert
from app.standards.loader import LoadReport, load_specs, loaded_keys
from app.standards.models import Element, Framework
from app.standards.seedfile import FrameworkSpec, check_cross_references
from app.standards.versions import newest, same_version


@dataclass
class Preview:
    conversion: Conversion
    digest: str
    counts: list[tuple[str, int]]
    depth: int
    existing: bool
    # The current version of the same code when the file is another version of it: loaded beside it.
    new_version_of: Framework | None = None

    @property
    def can_apply(self) -> bool:
        return self.conversion.ok

    @property
    def element_count(self) -> int:
        return sum(n for _t, n in self.counts)


def preview(session: Session, raw: bytes, name: str, fmt: str | None = None) -> Preview:
    """What importing the file would do; nothing is written."""
    conversion = convert(raw, name, fmt)
    digest = hashlib.sha256(f"{conversion.format}\n".encode() + raw).hexdigest()
    spec = conversion.spec
    if spec is None:
        return Preview(conversion, digest, [], 0, existing=False)
    for err in check_cross_references([spec], loaded_keys(session)):
        conversion.report.refuse(
            err.path, N_("the result does not validate as a standard: %(problem)s"), problem=err.message
        )
    existing = session.scalar(select(Framework).where(Framework.code == spec.code, same_version(spec.version)))
    current = newest(session.scalars(select(Framework).where(Framework.code == spec.code)))
    new_version_of = current if existing is None else None
    same = existing or current
    if same is not None and not _same_source(same, spec.attributes, existing is None):
        conversion.report.refuse(
            "", N_("another standard already has the code %(code)s: it is not replaced by this file"), code=spec.code
        )
    if new_version_of is not None:
        _derive_uuids_kept_by_other_versions(session, spec, conversion)
    taken = _uuids_of_other_standards(session, spec)
    if taken:
        conversion.report.refuse(
            "",
            N_("%(count)d identifiers are already used by another standard (%(codes)s)"),
            count=len(taken),
            codes=", ".join(sorted(set(taken.values()))),
        )
    counts = Counter(e.type for e in spec.elements)
    depth = max((e.depth for e in spec.elements), default=-1) + 1
    return Preview(conversion, digest, sorted(counts.items()), depth, existing is not None, new_version_of)


def _derive_uuids_kept_by_other_versions(session: Session, spec: FrameworkSpec, conversion: Conversion) -> None:
    """A new version that repeats identifiers of an older one (CASE publishers often keep them) gets
    identifiers of its own: every row has its own uuid. The source's identifiers stay in the attributes."""
    wanted = [u for u in [spec.uuid, *(e.uuid for e in spec.elements)] if u]
    held: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        same_code = Framework.code == spec.code
        held.update(
            session.scalars(select(Element.uuid).join(Element.framework).where(Element.uuid.in_(chunk), same_code))
        )
        held.update(session.scalars(select(Framework.uuid).where(Framework.uuid.in_(chunk), same_code)))
    if not held:
        return
    if spec.uuid in held:
        spec.uuid = None
    for element in spec.elements:
        if element.uuid in held:
            element.uuid = None
    conversion.report.adapt(
        "",
        N_("%(count)d identifiers are those of another version of %(code)s: this version gets its own"),
        count=len(held),
        code=spec.code,
    )


def _uuids_of_other_standards(session: Session, spec: FrameworkSpec) -> dict[str, str]:
    """The spec's uuids another standard already holds, with its code (uuids are unique in the database)."""
    wanted = [u for u in [spec.uuid, *(e.uuid for e in spec.elements)] if u]
    taken: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        elements = select(Element.uuid, Framework.code).join(Element.framework)
        for query in (
            elements.where(Element.uuid.in_(chunk), Framework.code != spec.code),
            select(Framework.uuid, Framework.code).where(Framework.uuid.in_(chunk), Framework.code != spec.code),
        ):
            taken.update({uuid: code for uuid, code in session.execute(query)})
    return taken


def _same_source(framework: Framework, attributes: dict[str, object], new_version: bool = False) -> bool:
    """A CASE or Moodle file may update the standard it made before, never another one (a built-in one); it
    may add a version to a standard imported in the same format (a new version may have a new identifier)."""
    fmt = attributes.get("import_format")
    if fmt is None:
        return True  # a Bekwaam YAML file replaces the standard with its code, as `flask standards load` does
    old = framework.attributes or {}
    key = "case_identifier" if fmt == "case" else "moodle_idnumber"
    return old.get("import_format") == fmt and (new_version or old.get(key) == attributes.get(key))


def apply(session: Session, actor: Actor, result: Preview) -> LoadReport:
    """Write the previewed standard (flush only: the caller's unit of work commits all of it or nothing)."""
    spec = result.conversion.spec
    if spec is None or not result.can_apply:
        raise DomainError(N_("The file has problems that stop the import: see the preview."))
    report = load_specs(session, [spec])[0]
    framework_id = report.framework_id
    audit.record(
        session,
        actor,
        "standards.import",
        target_type="framework",
        target_id=framework_id,
        summary=f"{result.conversion.format} import of {result.conversion.name[:200]}: {report.summary()}",
        details={
            "format": result.conversion.format,
            "file": result.conversion.name[:200],
            "digest": result.digest,
            "elements": len(spec.elements),
            "adaptations": len(result.conversion.report.adaptations),
            "version": spec.version,
            "new_version_of": report.new_version_of,
        },
    )
    session.flush()
    return report
