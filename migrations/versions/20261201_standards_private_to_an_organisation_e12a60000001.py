"""standards private to an organisation: frameworks.organisation_id (NULL = platform-wide)

A standard an organisation administrator imports belongs to that organisation: only its members (and
platform administrators) see it. Existing standards stay platform-wide. The foreign key restricts deleting
the organisation instead of setting NULL, so a private standard can never turn public.

Revision ID: e12a60000001
Revises: e12a50000001
Create Date: 2026-12-01 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e12a60000001'
down_revision = 'e12a50000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('frameworks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_frameworks_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_frameworks_organisation_id_organisations'),
            'organisations',
            ['organisation_id'],
            ['id'],
            ondelete='RESTRICT',
        )


def downgrade():
    with op.batch_alter_table('frameworks', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_frameworks_organisation_id_organisations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_frameworks_organisation_id'))
        batch_op.drop_column('organisation_id')
