"""Classification (Offen / intern / VS-NfD) of an assessment

Revision ID: 0013_assessment_classification
Revises: 0012_partnership_file_reference
Create Date: 2026-12-07 19:40:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0013_assessment_classification'
down_revision: Union[str, Sequence[str], None] = '0012_partnership_file_reference'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Existing assessments are 'open'; one of a VS-NfD dossier stays hidden through it."""
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'classification', sa.String(length=32), nullable=False, server_default='open'
            )
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_column('classification')
