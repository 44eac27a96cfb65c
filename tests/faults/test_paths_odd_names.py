"""Issue 11, point 2: every legal path works, through the real CLI, and leaves no stray file.

SQLAlchemy URLs and SQLite URIs give ``#``, ``?`` and ``%`` a meaning; a path
must never be parsed as one. Each name below is used as a folder and as the
database's own file name; the whole cycle runs in child processes: create,
edit, reopen, back up, edit, restore (which backs up into backups/), check.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from storage_support import count_rows, files_under, run_cli_steps

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
    named = folder / f"Sicherung {name[:30]}.sqlite3"
    cwd = tmp_path / "cwd"  # stray relative files would land here
    cwd.mkdir()

    # create + edit, reopen + back up, edit; each a full CLI run (one child process)
    steps = run_cli_steps(
        db,
        [["checklist", "install-bundled"], ["db", "backup", str(named)], ["demo", "load"]],
        cwd=cwd,
    )
    assert [s["code"] for s in steps] == [0, 0, 0], steps[-1]["stderr"]
    templates = count_rows(db, "checklist_template")
    assert templates > 0 and named.is_file()
    assert count_rows(db, "partnership") > 0

    # restore (backs up into backups/ first) and check, in a fresh process
    steps = run_cli_steps(db, [["db", "restore", str(named)], ["db", "check"]], cwd=cwd)
    assert [s["code"] for s in steps] == [0, 0], steps[-1]["stdout"] + steps[-1]["stderr"]
    assert count_rows(db, "partnership") == 0
    assert count_rows(db, "checklist_template") == templates

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
