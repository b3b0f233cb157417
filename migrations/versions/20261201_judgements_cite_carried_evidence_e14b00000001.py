"""judgements cite evidence carried through crosswalks (issue 14 part 4)

An assessor may cite, in a judgement, results and portfolio claims on other standards that reach the
element through published crosswalks: ``judgements.carried_cited`` keeps a snapshot of each one cited.

Revision ID: e14b00000001
Revises: e13a00000001
Create Date: 2026-12-01 07:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e14b00000001'
down_revision = 'e13a00000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('judgements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carried_cited', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))


def downgrade():
    with op.batch_alter_table('judgements', schema=None) as batch_op:
        batch_op.drop_column('carried_cited')
