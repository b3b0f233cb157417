"""certificates keep the holder's name as issued (holder_name)

The verify page and re-rendered PDFs printed the account's current, self-editable name; the signed
credential keeps the name as issued. Existing certificates take that name from their stored credential
(credentialSubject.name), else the holder's current name.

Revision ID: a1c3e5f70001
Revises: 53da77352914
Create Date: 2026-12-01 03:00:00.000000

"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1c3e5f70001'
down_revision = '53da77352914'
branch_labels = None
depends_on = None


def _issued_name(credential, current_name):
    """The name the credential was issued to, if it carries one; else the account's current name."""
    if isinstance(credential, str):
        try:
            credential = json.loads(credential)
        except ValueError:
            credential = None
    subject = credential.get('credentialSubject') if isinstance(credential, dict) else None
    if isinstance(subject, list):  # VC 2.0 allows a list of subjects
        subject = subject[0] if subject else None
    name = subject.get('name') if isinstance(subject, dict) else None
    if isinstance(name, str) and name.strip():
        return name.strip()[:200]
    return (current_name or '')[:200]


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('holder_name', sa.String(length=200), nullable=True))

    certificates = sa.table(
        'certificates',
        sa.column('id', sa.Integer),
        sa.column('candidate_id', sa.Integer),
        sa.column('credential', sa.JSON),
        sa.column('holder_name', sa.String),
    )
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('name', sa.String))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(certificates.c.id, certificates.c.credential, users.c.name).select_from(
            certificates.outerjoin(users, users.c.id == certificates.c.candidate_id)
        )
    ).all()
    for cert_id, credential, current_name in rows:
        connection.execute(
            certificates.update()
            .where(certificates.c.id == cert_id)
            .values(holder_name=_issued_name(credential, current_name))
        )

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.alter_column('holder_name', existing_type=sa.String(length=200), nullable=False)


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_column('holder_name')
