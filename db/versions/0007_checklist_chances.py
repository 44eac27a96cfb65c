"""The chance side of checklists: section kind, chance points, blocker answers

Revision ID: 0007_checklist_chances
Revises: 0006_vorlage_header
Create Date: 2026-12-07 13:45:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0007_checklist_chances'
down_revision: Union[str, Sequence[str], None] = '0006_vorlage_header'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema: every existing section stays a risk section (kind NULL), every
    existing item carries no chance points and excludes as before, so installed editions keep their content."""
    with op.batch_alter_table('checklist_section', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), nullable=True))
    with op.batch_alter_table('checklist_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chance_points', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('blocker_answers', sa.JSON(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('checklist_item', schema=None) as batch_op:
        batch_op.drop_column('blocker_answers')
        batch_op.drop_column('chance_points')
    with op.batch_alter_table('checklist_section', schema=None) as batch_op:
        batch_op.drop_column('kind')
