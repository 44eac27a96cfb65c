"""A real damaged database file: one leaf page of a table overwritten on disk."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import text

from chinadialog_desktop.persistence import backup
from chinadialog_desktop.persistence.database import Database


def damaged_database(path: Path, *, with_backup: bool = True, rows: int = 400) -> Path | None:
    """Write a small ChinaDialog database at ``path``, back it up (``with_backup``), then
    overwrite a leaf page of its activity table; returns the sound backup (or None)."""
    db = Database.open(path)
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO partnership (id, uuid, created_at, modified_at, version, title, "
                "type, status, start_precision, end_precision, fields_of_action) VALUES "
                "(1, 'p-1', '2024-01-01', '2024-01-01', 1, 'Köln–Peking (Beispiel)', "
                "'twinning', 'active', 'year', 'year', '[]')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO activity (id, uuid, created_at, modified_at, version, "
                "partnership_id, date, date_precision, kind, title, description) VALUES "
                "(:i, :u, '2024-01-01', '2024-01-01', 1, 1, '2024-01-01', 'day', 'visit', "
                ":t, :d)"
            ),
            [
                {"i": i, "u": f"a-{i}", "t": f"Besuch {i} (Beispiel)", "d": "Bericht " * 40}
                for i in range(1, rows + 1)
            ],
        )
    db.close()
    good = backup.make_backup(path, reason="manual") if with_backup else None
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = [
        r[0]
        for r in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'activity' AND pagetype = 'leaf' "
            "ORDER BY pageno"
        )
    ]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    middle = pages[len(pages) // 2]
    with open(path, "r+b") as fh:
        fh.seek((middle - 1) * page_size)
        fh.write(b"\xab" * page_size)
    return good
