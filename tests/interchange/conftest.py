"""Fixtures for dataset import tests: a database and a way to prove nothing was written."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

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


@pytest.fixture
def state(db: Database) -> Callable[[], dict[str, Any]]:
    return lambda: db_state(db)


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write bytes (or text in an encoding) to a file under tmp_path."""

    def _write(name: str, content: bytes | str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return _write
