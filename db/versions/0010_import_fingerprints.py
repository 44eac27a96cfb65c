"""Import fingerprints in their own table; the import history keeps a summary

Revision ID: 0010_import_fingerprints
Revises: 0009_screening_index
Create Date: 2026-12-07 13:50:00

"""
import json
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0010_import_fingerprints'
down_revision: Union[str, Sequence[str], None] = '0009_screening_index'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Move every record's fingerprints out of the runs' counts (the last run's pair wins)."""
    op.create_table('import_fingerprint',
    sa.Column('record_uuid', sa.String(length=36), nullable=False),
    sa.Column('provided', sa.String(length=64), nullable=False),
    sa.Column('after', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('record_uuid', name=op.f('pk_import_fingerprint'))
    )
    bind = op.get_bind()
    runs = bind.execute(
        sa.text(
            "SELECT id, status, counts FROM import_run ORDER BY started_at, id"
        )
    ).all()
    for run_id, status, raw in runs:
        counts = json.loads(raw) if isinstance(raw, str) else (raw or {})
        if not isinstance(counts, dict) or "records" not in counts:
            continue
        records = counts.pop("records") or {}
        if status == "committed" and records:
            bind.execute(
                sa.text(
                    "INSERT OR REPLACE INTO import_fingerprint (record_uuid, provided, after) "
                    "VALUES (:u, :p, :a)"
                ),
                [{"u": u, "p": pair[0], "a": pair[1]} for u, pair in records.items()],
            )
        bind.execute(
            sa.text("UPDATE import_run SET counts = :c WHERE id = :i"),
            {"c": json.dumps(counts, ensure_ascii=False), "i": run_id},
        )


def downgrade() -> None:
    """Downgrade schema: the fingerprints go back into the newest committed run."""
    bind = op.get_bind()
    last = bind.execute(
        sa.text(
            "SELECT id, counts FROM import_run WHERE status = 'committed' "
            "ORDER BY started_at DESC, id DESC LIMIT 1"
        )
    ).first()
    if last is not None:
        counts = json.loads(last[1]) if isinstance(last[1], str) else (last[1] or {})
        counts["records"] = {
            u: [p, a]
            for u, p, a in bind.execute(
                sa.text("SELECT record_uuid, provided, after FROM import_fingerprint")
            )
        }
        bind.execute(
            sa.text("UPDATE import_run SET counts = :c WHERE id = :i"),
            {"c": json.dumps(counts, ensure_ascii=False), "i": last[0]},
        )
    op.drop_table('import_fingerprint')
