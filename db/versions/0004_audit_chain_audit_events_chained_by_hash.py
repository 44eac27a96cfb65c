"""audit events chained by hash

Revision ID: 0004_audit_chain
Revises: 0003_reference_lists
Create Date: 2026-12-07 10:55:00

Every audit event gets ``chain_hash``: SHA-256 over the previous event's hash and
its own fields, so ``chinadialog db verify`` can say where the trail was changed.
The events already in the file are sealed in their order here (what was changed
before this upgrade cannot be told any more).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from chinadialog_desktop.persistence.audit import seal

# revision identifiers, used by Alembic.
revision: str = "0004_audit_chain"
down_revision: str | Sequence[str] | None = "0003_reference_lists"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chain_hash", sa.String(length=64), nullable=True))
    seal(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_column("chain_hash")
