"""Finanzielle Auswirkungen structured; attachments released for the public version

Revision ID: 0008_financial_effects
Revises: 0007_checklist_chances
Create Date: 2026-12-07 13:45:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0008_financial_effects'
down_revision: Union[str, Sequence[str], None] = '0007_checklist_chances'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema.

    Existing dossiers state neither ja nor nein (the checks before export name the gap);
    their free text stays as the Erläuterung. Existing attachments are not released for
    the public version: a public briefing lists and appends only files released by hand.
    """
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.add_column(sa.Column('financial_impact', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('financial_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('financial_item', sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column('financial_recurrence', sa.String(length=16), nullable=True)
        )
        batch_op.add_column(sa.Column('financial_amount', sa.Integer(), nullable=True))
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('public_release', sa.Boolean(), server_default='0', nullable=False)
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_column('public_release')
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_column('financial_amount')
        batch_op.drop_column('financial_recurrence')
        batch_op.drop_column('financial_item')
        batch_op.drop_column('financial_year')
        batch_op.drop_column('financial_impact')
