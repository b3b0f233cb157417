"""The schema comes from the migrations alone, and they match the models (no drift)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import Migrate

from app.extensions import db


def test_models_match_migrations(app) -> None:
    connection = db.engines[None]
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_single_head_with_described_dated_revisions(app) -> None:
    migrate: Migrate = app.extensions["migrate"]
    script = ScriptDirectory.from_config(migrate.migrate.get_config(migrate.directory))
    assert len(script.get_heads()) == 1
    for rev in script.walk_revisions():
        assert rev.doc and len(rev.doc) > 10, rev.revision
        assert rev.path.rsplit("/", 1)[-1][:8].isdigit(), rev.path
