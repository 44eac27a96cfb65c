"""A travel copy knows where it came from and each record's state then (copy_origin, copy_base)

Revision ID: 0014_travel_copy
Revises: 0013_assessment_classification
Create Date: 2026-12-07 22:40:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0014_travel_copy'
down_revision: Union[str, Sequence[str], None] = '0013_assessment_classification'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Two empty tables; only 'db copy' into a file fills them (in the copy)."""
    op.create_table('copy_origin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('copy_uuid', sa.String(length=36), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('source_key', sa.String(length=1000), nullable=False),
    sa.Column('copied_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('copied_by', sa.String(length=200), nullable=False),
    sa.Column('merged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('merged_by', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_copy_origin')),
    sa.UniqueConstraint('copy_uuid', name=op.f('uq_copy_origin_copy_uuid'))
    )
    op.create_table('copy_base',
    sa.Column('record_key', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('source_digest', sa.String(length=64), nullable=False),
    sa.Column('copy_digest', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('record_key', name=op.f('pk_copy_base'))
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('copy_base')
    op.drop_table('copy_origin')
