"""Preview and apply an import: the one importer module that touches the database (flush only).

The preview says what the file would become (counts per element type, depth, every problem) and whether it
would create a standard or update one; applying it loads the validated spec through the seed loader, all or
nothing in the caller's unit of work, and records an audit event.

Every import is for an owner: the platform (``owner_id`` None: a platform-wide standard) or one organisation
(a standard private to it). A file may update only a standard of the same owner, and its alignments may
point only at standards that owner sees (``Audience.of_owner``); others are unknown to it, as if absent.
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
from app.standards.queries import Audience
from app.standards.seedfile import FrameworkSpec, check_cross_references
from app.standards.translations.imported import replace_imported
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
    owner_id: int | None = None

    @property
    def can_apply(self) -> bool:
        return self.conversion.ok

    @property
    def element_count(self) -> int:
        return sum(n for _t, n in self.counts)


def preview(
    session: Session,
    raw: bytes,
    name: str,
    fmt: str | None = None,
    *,
    owner_id: int | None = None,
    language: str | None = None,
) -> Preview:
    """What importing the file for ``owner_id`` (None: platform-wide) would do; nothing is written.
    ``language`` is the language of the texts where the file names none (None: undetermined, ``und``)."""
    conversion = convert(raw, name, fmt, language)
    chosen = f"{language}\n" if language else ""  # the digest covers every choice that shapes the result
    digest = hashlib.sha256(f"{conversion.format}\n{chosen}".encode() + raw).hexdigest()
    spec = conversion.spec
    if spec is None:
        return Preview(conversion, digest, [], 0, existing=False, owner_id=owner_id)
    audience = Audience.of_owner(owner_id)
    visible = set(session.scalars(select(Framework.code).where(audience.filter())))
    known = {code: keys for code, keys in loaded_keys(session).items() if code in visible}
    for err in check_cross_references([spec], known):
        conversion.report.refuse(
            err.path, N_("the result does not validate as a standard: %(problem)s"), problem=err.message
        )
    existing = session.scalar(select(Framework).where(Framework.code == spec.code, same_version(spec.version)))
    current = newest(session.scalars(select(Framework).where(Framework.code == spec.code)))
    new_version_of = current if existing is None else None
    _check_existing(conversion, existing or current, spec, owner_id, new_version=existing is None)
    if new_version_of is not None:
        _derive_uuids_kept_by_other_versions(session, spec, conversion)
    _check_identifiers(conversion, session, spec, visible)
    counts = Counter(e.type for e in spec.elements)
    depth = max((e.depth for e in spec.elements), default=-1) + 1
    return Preview(
        conversion,
        digest,
        sorted(counts.items()),
        depth,
        existing=existing is not None,
        new_version_of=new_version_of,
        owner_id=owner_id,
    )


def _check_existing(
    conversion: Conversion, existing: Framework | None, spec: FrameworkSpec, owner: int | None, *, new_version: bool
) -> None:
    """A file updates (or adds a version to) only a standard of the same owner, and only one it made
    (``_same_source``)."""
    if existing is None:
        return
    if existing.organisation_id != owner:
        conversion.report.refuse(
            "",
            N_(
                "the code %(code)s belongs to a standard of another owner (platform-wide or another "
                "organisation's): give this standard another code"
            ),
            code=spec.code,
        )
    elif not _same_source(existing, spec.attributes, new_version):
        conversion.report.refuse(
            "", N_("another standard already has the code %(code)s: it is not replaced by this file"), code=spec.code
        )


def _check_identifiers(conversion: Conversion, session: Session, spec: FrameworkSpec, visible: set[str]) -> None:
    """Identifiers are unique in the database: refuse those another standard holds, naming it only when the
    owner may see it (a private standard's code is not revealed to another organisation)."""
    taken = _uuids_of_other_standards(session, spec)
    if not taken:
        return
    codes = sorted({code for code in taken.values() if code in visible})
    if codes:
        conversion.report.refuse(
            "",
            N_("%(count)d identifiers are already used by another standard (%(codes)s)"),
            count=len(taken),
            codes=", ".join(codes),
        )
    else:
        conversion.report.refuse("", N_("%(count)d identifiers are already used by another standard"), count=len(taken))


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
    framework = session.get_one(Framework, report.framework_id)
    translated = replace_imported(session, framework, result.conversion.translations)
    if report.framework_created:
        framework.organisation_id = result.owner_id
    elif framework.organisation_id != result.owner_id:  # the preview refuses this; a race must not slip by
        raise DomainError(N_("The file or the standards changed since the preview. Upload the file again."))
    session.flush()
    session.refresh(framework, ["organisation"])
    owner = framework.organisation.name if framework.organisation else "platform"
    audit.record(
        session,
        actor,
        "standards.import",
        organisation_id=result.owner_id,
        target_type="framework",
        target_id=framework.id,
        summary=f"{result.conversion.format} import of {result.conversion.name[:200]} ({owner}): {report.summary()}",
        details={
            "format": result.conversion.format,
            "file": result.conversion.name[:200],
            "digest": result.digest,
            "framework": spec.code,
            "owner": owner,
            "owner_id": result.owner_id,
            "created": report.framework_created,
            "elements": len(spec.elements),
            "counts": dict(result.counts),
            "alignments": len(spec.alignments),
            "rating_scales": len(spec.scales),
            "translations": translated,
            "adaptations": len(result.conversion.report.adaptations),
            "version": spec.version,
            "new_version_of": report.new_version_of,
        },
    )
    session.flush()
    return report
