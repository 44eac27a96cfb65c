"""reference lists, screening, briefing exports

Revision ID: 0003_reference_lists
Revises: 0002_council_header
Create Date: 2026-11-25 15:32:55.653256

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0003_reference_lists'
down_revision: Union[str, Sequence[str], None] = '0002_council_header'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('reference_list',
    sa.Column('list_key', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=True),
    sa.Column('list_date', sa.Date(), nullable=True),
    sa.Column('licence', sa.String(length=200), nullable=True),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('file_name', sa.String(length=500), nullable=True),
    sa.Column('file_sha256', sa.String(length=64), nullable=True),
    sa.Column('entity_count', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('modified_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_list')),
    sa.UniqueConstraint('list_key', name=op.f('uq_reference_list_list_key')),
    sa.UniqueConstraint('uuid', name=op.f('uq_reference_list_uuid'))
    )
    op.create_table('screening_decision',
    sa.Column('subject_uuid', sa.String(length=36), nullable=False),
    sa.Column('list_key', sa.String(length=200), nullable=False),
    sa.Column('entity_key', sa.String(length=200), nullable=False),
    sa.Column('entity_hash', sa.String(length=64), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by', sa.String(length=200), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('modified_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening_decision')),
    sa.UniqueConstraint('uuid', name=op.f('uq_screening_decision_uuid'))
    )
    with op.batch_alter_table('screening_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screening_decision_subject_uuid'), ['subject_uuid'], unique=False)

    op.create_table('screening_hit',
    sa.Column('subject_kind', sa.String(length=16), nullable=False),
    sa.Column('subject_uuid', sa.String(length=36), nullable=False),
    sa.Column('list_key', sa.String(length=200), nullable=False),
    sa.Column('entity_key', sa.String(length=200), nullable=False),
    sa.Column('entity_hash', sa.String(length=64), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('explanation', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('screened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('modified_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening_hit')),
    sa.UniqueConstraint('subject_uuid', 'list_key', 'entity_key', name=op.f('uq_screening_hit_subject_uuid')),
    sa.UniqueConstraint('uuid', name=op.f('uq_screening_hit_uuid'))
    )
    with op.batch_alter_table('screening_hit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screening_hit_subject_uuid'), ['subject_uuid'], unique=False)

    op.create_table('briefing_export',
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('exported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user', sa.String(length=200), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('file_name', sa.String(length=500), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('page_count', sa.Integer(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('modified_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_briefing_export_dossier_id_dossier'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_briefing_export')),
    sa.UniqueConstraint('uuid', name=op.f('uq_briefing_export_uuid'))
    )
    op.create_table('reference_entity',
    sa.Column('list_id', sa.Integer(), nullable=False),
    sa.Column('entity_key', sa.String(length=200), nullable=False),
    sa.Column('schema', sa.String(length=64), nullable=False),
    sa.Column('caption', sa.String(length=500), nullable=False),
    sa.Column('names', sa.JSON(), nullable=False),
    sa.Column('weak_aliases', sa.JSON(), nullable=False),
    sa.Column('countries', sa.JSON(), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('identifiers', sa.JSON(), nullable=False),
    sa.Column('properties', sa.JSON(), nullable=False),
    sa.Column('first_seen', sa.String(length=32), nullable=True),
    sa.Column('last_seen', sa.String(length=32), nullable=True),
    sa.Column('last_change', sa.String(length=32), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('modified_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['list_id'], ['reference_list.id'], name=op.f('fk_reference_entity_list_id_reference_list'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_entity')),
    sa.UniqueConstraint('list_id', 'entity_key', name=op.f('uq_reference_entity_list_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_reference_entity_uuid'))
    )
    with op.batch_alter_table('reference_entity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reference_entity_list_id'), ['list_id'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('reference_entity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reference_entity_list_id'))

    op.drop_table('reference_entity')
    op.drop_table('briefing_export')
    with op.batch_alter_table('screening_hit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screening_hit_subject_uuid'))

    op.drop_table('screening_hit')
    with op.batch_alter_table('screening_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screening_decision_subject_uuid'))

    op.drop_table('screening_decision')
    op.drop_table('reference_list')
