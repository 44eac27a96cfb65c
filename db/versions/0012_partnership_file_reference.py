"""Aktenzeichen (file reference) of a partnership

Revision ID: 0012_partnership_file_reference
Revises: 0010_import_fingerprints
Create Date: 2026-12-07 16:40:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0012_partnership_file_reference'
down_revision: Union[str, Sequence[str], None] = '0011_registers'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Existing partnerships have no Aktenzeichen yet (empty)."""
    with op.batch_alter_table('partnership', schema=None) as batch_op:
        batch_op.add_column(sa.Column('file_reference', sa.String(length=64), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('partnership', schema=None) as batch_op:
        batch_op.drop_column('file_reference')
