"""council document header and deliberations

Revision ID: 0002_council_header
Revises: 0001_initial
Create Date: 2026-11-25 15:29:09.189456

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0002_council_header'
down_revision: Union[str, Sequence[str], None] = '0001_initial'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('deliberation',
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('body', sa.String(length=200), nullable=False),
    sa.Column('meeting_on', sa.Date(), nullable=True),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=100), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('modified_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_deliberation_dossier_id_dossier'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliberation')),
    sa.UniqueConstraint('uuid', name=op.f('uq_deliberation_uuid'))
    )
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.add_column(sa.Column('document_kind', sa.String(length=32), server_default='information', nullable=False))
        batch_op.add_column(sa.Column('file_number', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('lead_office', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('responsible', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('is_public', sa.Boolean(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('proposed_resolution', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('financial_effects', sa.Text(), nullable=True))



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_column('financial_effects')
        batch_op.drop_column('proposed_resolution')
        batch_op.drop_column('is_public')
        batch_op.drop_column('responsible')
        batch_op.drop_column('lead_office')
        batch_op.drop_column('file_number')
        batch_op.drop_column('document_kind')

    op.drop_table('deliberation')
