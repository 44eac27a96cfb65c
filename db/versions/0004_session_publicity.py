"""öffentlich / nichtöffentlich per Gremium of the Beratungsfolge

Revision ID: 0004_session_publicity
Revises: 0003_reference_lists
Create Date: 2026-12-07 10:50:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0004_session_publicity'
down_revision: Union[str, Sequence[str], None] = '0003_reference_lists'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema: every existing step follows its dossier, as before."""
    with op.batch_alter_table('deliberation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publicity', sa.String(length=16),
                                      server_default='as_dossier', nullable=False))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('deliberation', schema=None) as batch_op:
        batch_op.drop_column('publicity')
