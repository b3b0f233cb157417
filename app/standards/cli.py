"""``flask standards load|list|import``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.audit import Actor
from app.extensions import db
from app.standards.importers import service as importer
from app.standards.loader import LoadReport, load_paths, seed_paths
from app.standards.queries import EVERYONE, list_frameworks
from app.standards.seedfile import SeedValidationError
from app.standards.translations.layerfile import is_layer_file
from app.standards.translations.loader import LayerReport, layer_paths, load_layer_paths
from app.uow import transactional

standards_cli = AppGroup("standards", help="Load and inspect the standards.")


@standards_cli.command("load")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@transactional
def load_command(paths: tuple[Path, ...]) -> None:
    """Validate and load seed files and translation layers (default: seeds/standards/, then seeds/translations/)."""
    files = list(paths) or [
        *seed_paths(current_app.config["STANDARDS_SEED_DIR"]),
        *layer_paths(current_app.config["TRANSLATIONS_SEED_DIR"]),
    ]
    if not files:
        raise click.ClickException("no seed files found")
    missing = [str(p) for p in files if not p.is_file()]
    if missing:
        raise click.ClickException(f"no such file: {', '.join(missing)}")
    layers = [p for p in files if is_layer_file(p)]
    try:
        reports: list[LoadReport | LayerReport] = []
        reports.extend(load_paths(db.session, [p for p in files if p not in layers]))
        reports.extend(load_layer_paths(db.session, layers))  # after the standards they translate
    except SeedValidationError as exc:
        for err in exc.errors:
            click.echo(f"error: {err}", err=True)
        raise click.ClickException(
            f"{len(exc.errors)} problem(s) found; nothing was loaded (the database is unchanged)"
        ) from None  # the unit of work rolls back: nothing of the files is written
    for report in reports:
        click.echo(report.summary())


@standards_cli.command("list")
def list_command() -> None:
    """Show the frameworks that are loaded."""
    rows = list_frameworks(db.session, audience=EVERYONE)
    if not rows:
        click.echo("no standards loaded: run 'flask standards load'")
        return
    for row in rows:
        fw = row.framework
        level = f"level {fw.level} ({fw.level_scale})" if fw.level else "-"
        eqf = f"EQF {fw.eqf_level}" if fw.eqf_level else ""
        version = (fw.version or "-") + ("" if row.current else " (older)")
        owner = f"  [private to {fw.organisation.name}]" if fw.organisation else ""
        counts = f"{row.element_count:5} elements"
        click.echo(f"{fw.code:45} {version:16} {fw.language:6} {counts}  {level} {eqf}  {fw.title}{owner}")


@standards_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["case", "moodle", "yaml"]), help="Detected when not given.")
@click.option("--dry-run", is_flag=True, help="Show the preview only; write nothing.")
@click.option("--organisation", help="Name of the organisation the standard is private to (default: platform-wide).")
@click.option(
    "--language",
    help="Language of the texts (nl, en, nl-BE, ...) when the file names none, as Moodle files never do "
    "(default: und, undetermined).",
)
@transactional
def import_command(file: Path, fmt: str | None, dry_run: bool, organisation: str | None, language: str | None) -> None:
    """Import a CASE package, a Moodle competency CSV or a Bekwaam YAML file (all or nothing)."""
    owner_id = _organisation_id(organisation) if organisation else None
    result = importer.preview(db.session, file.read_bytes(), file.name, fmt, owner_id=owner_id, language=language)
    _echo_preview(result)
    if not result.can_apply:
        raise click.ClickException("the file has problems that stop the import; nothing was written")
    if dry_run:
        click.echo("dry run: nothing was written")
        return
    report = importer.apply(db.session, Actor.system("flask standards import"), result)
    click.echo(report.summary())


@standards_cli.command("sweep-imports")
@click.option("--hours", type=click.IntRange(min=0), default=24, show_default=True, help="Keep uploads this recent.")
def sweep_imports_command(hours: int) -> None:
    """Remove uploads that were previewed on the import page and never confirmed."""
    import datetime as dt

    from app.standards.importers import pending

    removed = pending.sweep(pending.folder(current_app.instance_path), dt.timedelta(hours=hours))
    click.echo(f"{removed} unconfirmed upload(s) removed")


def _organisation_id(name: str) -> int:
    from sqlalchemy import select

    from app.accounts.models import Organisation

    found = db.session.scalar(select(Organisation.id).where(Organisation.name == name))
    if found is None:
        raise click.ClickException(f"no organisation is named {name!r}")
    return found


def _echo_preview(result: importer.Preview) -> None:
    conv = result.conversion
    spec = conv.spec
    if spec is not None:
        action = "updates" if result.existing else "creates"
        if result.new_version_of is not None:
            beside = result.new_version_of.version or "-"
            action = f"adds version {spec.version or '-'} beside version {beside} of"
        click.echo(f"{conv.name} ({conv.format}): {action} {spec.code} — {spec.title}")
        counts = ", ".join(f"{n} {t}" for t, n in result.counts)
        click.echo(
            f"{result.element_count} elements ({counts}), depth {result.depth}, "
            f"{len(spec.alignments)} alignments, {len(spec.scales)} rating scales"
        )
    for problem in conv.report.refusals:  # problems that stop an import stay listed one by one
        click.echo(f"error: {problem}", err=True)
    for group in conv.report.grouped_adaptations():  # as the web preview shows them: one row per message
        message = group.message % group.params if group.params else group.message
        places = ", ".join(group.shown())
        if group.hidden():
            places += f" and {group.hidden()} more"
        if len(group.places) > 1:
            places = f"{len(group.places)} places: {places}"
        click.echo(f"adapted: {places}: {message}" if places else f"adapted: {message}")


@standards_cli.command("export")
@click.argument("code")
@click.option("--version", "version", help="Which version (default: the current one).")
@click.option("--format", "fmt", type=click.Choice(["case", "moodle", "yaml"]), default="case", show_default=True)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout)."
)
def export_command(code: str, version: str | None, fmt: str, output: Path | None) -> None:
    """Export a loaded standard as a CASE 1.1 package, a Moodle competency CSV or a Bekwaam YAML file."""
    from app.blueprints.case.links import public_links
    from app.standards.exporters.formats import render
    from app.standards.queries import EVERYONE, get_framework, load_tree

    framework = (
        get_framework(db.session, code, audience=EVERYONE)
        if version is None
        else get_framework(db.session, code, version, audience=EVERYONE)
    )
    if framework is None:
        raise click.ClickException(f"no standard with the code {code!r} (version {version or 'current'}) is loaded")
    from app.standards.exporters.lookup import links_for

    exported = render(load_tree(db.session, framework), fmt, links_for(db.session, framework, public_links()))
    if output is None:
        click.echo(exported.text, nl=False)
    else:
        output.write_text(exported.text, encoding="utf-8")
        click.echo(f"{code}: written to {output}", err=True)
