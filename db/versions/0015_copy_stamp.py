"""A travel copy's base also holds each record's stamp in the copy (copy_base.copy_stamp)

Revision ID: 0015_copy_stamp
Revises: 0014_travel_copy
Create Date: 2026-12-08 01:40:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0015_copy_stamp'
down_revision: Union[str, Sequence[str], None] = '0014_travel_copy'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Empty for copies taken before: their merge reads every record, as it did."""
    with op.batch_alter_table('copy_base', schema=None) as batch_op:
        batch_op.add_column(sa.Column('copy_stamp', sa.String(length=500), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('copy_base', schema=None) as batch_op:
        batch_op.drop_column('copy_stamp')
