"""Shared helpers of the dataset import tests (a real module: tests import it, not conftest)."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

from chinadialog_desktop.persistence.database import Database

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "datasets"


def db_state(db: Database) -> dict[str, Any]:
    """Row counts of every table, the integrity check, and the hash of the files on disk."""
    conn = sqlite3.connect(f"file:{db.path}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    digest = hashlib.sha256()
    for suffix in ("", "-wal"):
        f = Path(str(db.path) + suffix)
        if f.exists():
            digest.update(f.read_bytes())
    return {"counts": counts, "integrity": integrity, "sha256": digest.hexdigest()}
