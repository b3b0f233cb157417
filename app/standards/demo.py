"""Demo data: a small standard private to one demo organisation, imported the way its administrator would."""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.accounts.models import Organisation
from app.audit import Actor
from app.extensions import db
from app.standards.importers import service
from app.standards.models import Framework

DEMO_STANDARD = "webwinkel-noord-klantcontact.yaml"


def demo_standard_path() -> Path:
    return Path(current_app.config["STANDARDS_SEED_DIR"]).parent / "demo" / DEMO_STANDARD


def create_demo_standard(actor: Actor, organisation: Organisation) -> Framework:
    """Import the demo file as a standard private to ``organisation`` (preview, then apply: all or nothing)."""
    path = demo_standard_path()
    result = service.preview(db.session, path.read_bytes(), path.name, "yaml", owner_id=organisation.id)
    if not result.can_apply:
        problems = "; ".join(str(p) for p in result.conversion.report.refusals)
        raise RuntimeError(f"the demo standard {path.name} does not import: {problems}")
    report = service.apply(db.session, actor, result)
    return db.session.scalars(select(Framework).where(Framework.code == report.framework)).one()
