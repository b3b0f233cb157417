"""standards element translations: a layer of translated texts beside a standard's source text

An element's title, description or further source texts (and the framework's own) may carry translations,
each marked with its language, its translator and whether it is official. They never replace the source text.

Revision ID: e12a70000001
Revises: d1a2b3c4e5f6
Create Date: 2026-12-01 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e12a70000001'
down_revision = 'd1a2b3c4e5f6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'element_translations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('framework_id', sa.Integer(), nullable=False),
        sa.Column('element_id', sa.Integer(), nullable=True),
        sa.Column('field', sa.String(length=200), nullable=False),
        sa.Column('language', sa.String(length=10), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('translator', sa.String(length=200), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('source', sa.String(length=500), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('unofficial', 'official')",
                           name=op.f('ck_element_translations_status_known')),
        sa.ForeignKeyConstraint(['element_id'], ['elements.id'],
                                name=op.f('fk_element_translations_element_id_elements'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['framework_id'], ['frameworks.id'],
                                name=op.f('fk_element_translations_framework_id_frameworks'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_element_translations')),
        sa.UniqueConstraint('framework_id', 'element_id', 'field', 'language',
                            name=op.f('uq_element_translations_framework_id_element_id_field_language')),
    )
    op.create_index('ix_element_translations_element_id', 'element_translations', ['element_id'], unique=False)


def downgrade():
    op.drop_index('ix_element_translations_element_id', table_name='element_translations')
    op.drop_table('element_translations')
