"""``flask crosswalks load``: the seeded crosswalks (editorial proposals), after ``flask standards load``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.audit import Actor
from app.crosswalks.seeds import load_seeds, seed_paths
from app.domain import DomainError
from app.extensions import db
from app.uow import transactional

crosswalks_cli = AppGroup("crosswalks", help="Load the seeded crosswalks.")


@crosswalks_cli.command("load")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, exists=True, dir_okay=False))
@transactional
def load_command(paths: tuple[Path, ...]) -> None:
    """Load crosswalk seed files (default: every file in seeds/crosswalks/); all or nothing."""
    files = list(paths) or seed_paths(current_app.config["CROSSWALK_SEED_DIR"])
    try:
        loaded = load_seeds(db.session, Actor.system("flask crosswalks load"), files)
    except DomainError as exc:
        raise click.ClickException(f"{exc}; nothing was loaded") from None
    for crosswalk in loaded:
        click.echo(f"{crosswalk.code}: {len(crosswalk.links)} links")
