"""Issue 11, point 2: every legal path works, through the real CLI, and leaves no stray file.

SQLAlchemy URLs and SQLite URIs give ``#``, ``?`` and ``%`` a meaning; a path
must never be parsed as one. Each name below is used as a folder and as the
database's own file name; the whole cycle runs in child processes: create,
edit, reopen, back up, edit, restore (which backs up into backups/), check.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from storage_support import count_rows, files_under, run_cli

NAMES = {
    "space": "Neue Ablage",
    "umlauts": "Städtepartnerschaft Köln – Übersicht ß",
    "cjk": "友好城市 资料",
    "hash": "Neu #1",
    "question": "Frage?",
    "percent": "100%25 Anteil",
    "percent-bare": "50% Anteil %",
    "ampersand-semicolon": "A&B;C=D",
    "quotes": 'it\'s "so"',
    "leading-dash": "-x --db",
    "uri-like": "file:x?mode=ro&immutable=1#frag",
    "long": "Sehr langer Ordnername " + "ä#?%" * 40 + " Ende",
}


@pytest.mark.parametrize("name", list(NAMES.values()), ids=list(NAMES))
def test_full_cycle_in_an_odd_folder_and_file_name(tmp_path: Path, name: str) -> None:
    assert len(NAMES["long"]) > 180
    folder = tmp_path / "work" / name
    folder.mkdir(parents=True)
    db = folder / f"{name[:40]}.sqlite3"
    cwd = tmp_path / "cwd"  # stray relative files would land here
    cwd.mkdir()

    created = run_cli(db, "checklist", "install-bundled", cwd=cwd)
    assert created.returncode == 0, created.stderr
    templates = count_rows(db, "checklist_template")
    assert templates > 0

    named = folder / f"Sicherung {name[:30]}.sqlite3"
    out = run_cli(db, "db", "backup", str(named), cwd=cwd)  # reopen + backup
    assert out.returncode == 0, out.stderr
    assert named.is_file()

    edited = run_cli(db, "demo", "load", cwd=cwd)  # a later edit, undone by the restore
    assert edited.returncode == 0, edited.stderr
    assert count_rows(db, "partnership") > 0

    restored = run_cli(db, "db", "restore", str(named), cwd=cwd)  # backs up into backups/ first
    assert restored.returncode == 0, restored.stderr
    assert count_rows(db, "partnership") == 0
    assert count_rows(db, "checklist_template") == templates

    check = run_cli(db, "db", "check", cwd=cwd)
    assert check.returncode == 0, check.stdout + check.stderr

    # Nothing outside the folder, nothing unexpected inside it.
    assert files_under(cwd) == set()
    assert files_under(tmp_path / "work") == {name} | {f"{name}/{p}" for p in files_under(folder)}
    stray = {
        p
        for p in files_under(folder)
        if not (
            p in (db.name, named.name, "backups")
            or p in (db.name + "-wal", db.name + "-shm")
            or (p.startswith("backups/") and p.endswith(".sqlite3"))
        )
    }
    assert stray == set()
    backups = [p for p in files_under(folder) if p.startswith("backups/")]
    assert len(backups) == 1  # the one made before the restore, named after the database
