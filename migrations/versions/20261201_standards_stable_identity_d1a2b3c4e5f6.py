"""standards stable identity: a uuid on frameworks, elements and rating scales; elements retire instead of going

Every framework, element and rating scale gets a UUID that never changes across reloads. Existing rows are
given the same identifiers a fresh load derives (app.standards.identity: uuid5 of framework code, element
key, scale code), so a database upgraded in place and one loaded anew agree. ``retired_at`` marks an element
that a reload of its source no longer has: it is kept for what points at it, hidden from new work.

Revision ID: d1a2b3c4e5f6
Revises: c0ffee110001
Create Date: 2026-12-01 04:10:00

"""
import uuid

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd1a2b3c4e5f6'
down_revision = 'c0ffee110001'
branch_labels = None
depends_on = None

TABLES = ('frameworks', 'elements', 'rating_scales')

# As app.standards.identity derives them, frozen here so this revision never changes with the app.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://bekwaam.example/ns/standards")


def framework_uuid(code):
    return uuid.uuid5(NAMESPACE, f"framework:{code}")


def element_uuid(framework_code, key):
    return uuid.uuid5(NAMESPACE, f"element:{framework_code}:{key}")


def scale_uuid(framework_code, scale_key):
    return uuid.uuid5(NAMESPACE, f"scale:{framework_code}:{scale_key}")


def _backfill(bind):
    frameworks = sa.table('frameworks', sa.column('id', sa.Integer), sa.column('code', sa.String),
                          sa.column('uuid', sa.String))
    elements = sa.table('elements', sa.column('id', sa.Integer), sa.column('framework_id', sa.Integer),
                        sa.column('key', sa.String), sa.column('uuid', sa.String))
    scales = sa.table('rating_scales', sa.column('id', sa.Integer), sa.column('framework_id', sa.Integer),
                      sa.column('code', sa.String), sa.column('uuid', sa.String))
    codes = dict(bind.execute(sa.select(frameworks.c.id, frameworks.c.code)).all())
    for fw_id, code in codes.items():
        bind.execute(frameworks.update().where(frameworks.c.id == fw_id).values(uuid=str(framework_uuid(code))))
    for el_id, fw_id, key in bind.execute(sa.select(elements.c.id, elements.c.framework_id, elements.c.key)).all():
        value = str(element_uuid(codes[fw_id], key))
        bind.execute(elements.update().where(elements.c.id == el_id).values(uuid=value))
    for sc_id, fw_id, code in bind.execute(sa.select(scales.c.id, scales.c.framework_id, scales.c.code)).all():
        bind.execute(scales.update().where(scales.c.id == sc_id).values(uuid=str(scale_uuid(codes[fw_id], code))))


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('uuid', sa.String(length=36), nullable=True))
            if table == 'elements':
                batch_op.add_column(sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True))
    _backfill(op.get_bind())
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('uuid', existing_type=sa.String(length=36), nullable=False)
            batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_uuid'), ['uuid'])


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'uq_{table}_uuid'), type_='unique')
            batch_op.drop_column('uuid')
            if table == 'elements':
                batch_op.drop_column('retired_at')
