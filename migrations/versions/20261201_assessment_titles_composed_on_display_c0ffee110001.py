"""assessment titles composed on display: only a typed title is stored; the scope's label goes to subject

A default title ("Exam: P3-K2 …", "Feedback: …") was stored in English; now it is composed when shown, in
the viewer's language, from ``subject`` (the scope's label in the standard's own words). Existing default
titles are split into the subject; a title that does not start with its kind's English prefix was typed
by a person and stays.

Revision ID: c0ffee110001
Revises: 854b9dc160bc
Create Date: 2026-12-01 03:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c0ffee110001'
down_revision = '854b9dc160bc'
branch_labels = None
depends_on = None

PREFIXES = (("summative", "Exam: "), ("formative", "Feedback: "))


def upgrade():
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject', sa.String(length=200), server_default='', nullable=False))
    assessments = sa.table('assessments', sa.column('kind', sa.String), sa.column('title', sa.String),
                           sa.column('subject', sa.String))
    for kind, prefix in PREFIXES:
        op.execute(
            assessments.update()
            .where(assessments.c.kind == kind, assessments.c.title.like(prefix + '%'))
            .values(subject=sa.func.substr(assessments.c.title, len(prefix) + 1), title='')
        )


def downgrade():
    assessments = sa.table('assessments', sa.column('kind', sa.String), sa.column('title', sa.String),
                           sa.column('subject', sa.String))
    for kind, prefix in PREFIXES:
        op.execute(
            assessments.update()
            .where(assessments.c.kind == kind, assessments.c.title == '')
            .values(title=sa.func.substr(prefix + assessments.c.subject, 1, 200))
        )
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_column('subject')
