"""the stored screening match index (issue 13, point 5)

Revision ID: 0009_screening_index
Revises: 0008_financial_effects
Create Date: 2026-12-07 13:45:00

Lists imported before this revision have no index yet: the first screening builds it
(with progress) in its own transaction, so the upgrade itself stays quick and never
depends on the matcher of the day.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0009_screening_index'
down_revision: Union[str, Sequence[str], None] = '0008_financial_effects'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('screening_index',
    sa.Column('list_id', sa.Integer(), nullable=False),
    sa.Column('matcher', sa.String(length=100), nullable=False),
    sa.Column('stamp', sa.String(length=200), nullable=False),
    sa.Column('entity_count', sa.Integer(), nullable=False),
    sa.Column('key_count', sa.Integer(), nullable=False),
    sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['list_id'], ['reference_list.id'], name=op.f('fk_screening_index_list_id_reference_list'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('list_id', name=op.f('pk_screening_index'))
    )
    op.create_table('screening_key',
    sa.Column('list_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('df', sa.Integer(), nullable=False),
    sa.Column('ids', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['list_id'], ['reference_list.id'], name=op.f('fk_screening_key_list_id_reference_list'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('list_id', 'key', name=op.f('pk_screening_key')),
    sqlite_with_rowid=False
    )
    op.create_table('screening_near',
    sa.Column('list_id', sa.Integer(), nullable=False),
    sa.Column('variant', sa.Text(), nullable=False),
    sa.Column('words', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['list_id'], ['reference_list.id'], name=op.f('fk_screening_near_list_id_reference_list'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('list_id', 'variant', name=op.f('pk_screening_near')),
    sqlite_with_rowid=False
    )
    op.create_index('ix_reference_entity_list_changed', 'reference_entity', ['list_id', 'modified_at'], unique=False)
    op.create_table('screening_entity',
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('names', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['entity_id'], ['reference_entity.id'], name=op.f('fk_screening_entity_entity_id_reference_entity'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('entity_id', name=op.f('pk_screening_entity'))
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_reference_entity_list_changed', table_name='reference_entity')
    op.drop_table('screening_entity')
    op.drop_table('screening_near')
    op.drop_table('screening_key')
    op.drop_table('screening_index')
