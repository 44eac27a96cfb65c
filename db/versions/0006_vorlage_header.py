"""Datum der Vorlage, Stadt and Dezernat/Amt in the dossier

Revision ID: 0006_vorlage_header
Revises: 0005_briefing_facts
Create Date: 2026-12-07 12:20:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0006_vorlage_header'
down_revision: Union[str, Sequence[str], None] = '0005_briefing_facts'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema: existing dossiers keep no date (the export day stands in), as before."""
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.add_column(sa.Column('document_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('city', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('department', sa.String(length=200), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_column('department')
        batch_op.drop_column('city')
        batch_op.drop_column('document_date')
