"""öffentlich / nichtöffentlich per Gremium; a record of every screening check

Revision ID: 0005_briefing_facts
Revises: 0004_audit_chain
Create Date: 2026-12-07 10:50:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0005_briefing_facts'
down_revision: Union[str, Sequence[str], None] = '0004_audit_chain'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema: every existing step follows its dossier, as before."""
    with op.batch_alter_table('deliberation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publicity', sa.String(length=16),
                                      server_default='as_dossier', nullable=False))
    op.create_table('screening_check',
    sa.Column('subject_uuid', sa.String(length=36), nullable=False),
    sa.Column('list_key', sa.String(length=200), nullable=False),
    sa.Column('list_date', sa.Date(), nullable=True),
    sa.Column('list_sha256', sa.String(length=64), nullable=True),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('modified_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening_check')),
    sa.UniqueConstraint('subject_uuid', 'list_key', name=op.f('uq_screening_check_subject_uuid')),
    sa.UniqueConstraint('uuid', name=op.f('uq_screening_check_uuid'))
    )
    with op.batch_alter_table('screening_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screening_check_subject_uuid'), ['subject_uuid'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('screening_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screening_check_subject_uuid'))
    op.drop_table('screening_check')
    with op.batch_alter_table('deliberation', schema=None) as batch_op:
        batch_op.drop_column('publicity')
