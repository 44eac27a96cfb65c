"""Facts about an open database file, for ``db info`` and the GUI's about box."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from chinadialog_desktop.persistence import backup, lifecycle
from chinadialog_desktop.persistence.sqlite_files import connect_readonly

COUNTED_TABLES = (
    "actor",
    "partnership",
    "activity",
    "contact",
    "source",
    "attachment",
    "dossier",
    "checklist_template",
    "assessment",
    "audit_event",
    "import_run",
)


@dataclass
class DatabaseInfo:
    path: str
    size_bytes: int
    revision: str | None
    state: str
    sqlite_version: str
    journal_mode: str
    counts: dict[str, int] = field(default_factory=dict)
    backups: int = 0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def database_info(path: Path) -> DatabaseInfo:
    path = Path(path)
    inspection = lifecycle.inspect_file(path)
    counts: dict[str, int] = {}
    journal = ""
    conn = connect_readonly(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table in COUNTED_TABLES:
            if table in tables:
                counts[table] = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()
    return DatabaseInfo(
        path=str(path),
        size_bytes=path.stat().st_size,
        revision=inspection.revision,
        state=inspection.state.value,
        sqlite_version=sqlite3.sqlite_version,
        journal_mode=journal,
        counts=counts,
        backups=len(backup.list_backups(path)),
    )
