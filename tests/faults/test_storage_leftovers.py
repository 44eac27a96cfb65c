"""Issue 11, point 10: leftovers of killed or failed runs are cleaned at the next start.

Children are killed with SIGKILL at a chosen point of the write path
(``CHINADIALOG_KILL_AT``); each test has its own temp folder (TMPDIR) and user
data folder (XDG_DATA_HOME), so nothing of other processes is in reach.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from storage_support import assert_plain, count_rows, one_line, run_cli

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and /proc")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "tmp").mkdir()
    (tmp_path / "data").mkdir()
    return {"TMPDIR": str(tmp_path / "tmp"), "XDG_DATA_HOME": str(tmp_path / "data")}


def notes(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "data").rglob("pending/*.json"))


def demo_db(tmp_path: Path, env: dict[str, str]) -> Path:
    db = tmp_path / "db" / "dossiers.sqlite3"
    out = run_cli(db, "demo", "load", env=env)
    assert out.returncode == 0, out.stderr
    return db


def test_export_killed_before_the_rename_is_cleaned_at_the_next_start(tmp_path, env):  # type: ignore[no-untyped-def]
    db = demo_db(tmp_path, env)
    exports = tmp_path / "Exporte #1"
    exports.mkdir()
    target = exports / "akteure.json"
    killed = run_cli(
        db, "export", "json", str(target), env={**env, "CHINADIALOG_KILL_AT": "part-written"}
    )
    assert killed.returncode == -signal.SIGKILL
    assert not target.exists()
    assert [p.name for p in exports.iterdir()] == [".akteure.json.part"]
    assert len(notes(tmp_path)) == 1

    nxt = run_cli(db, "db", "info", env=env)
    assert nxt.returncode == 0, nxt.stderr
    assert list(exports.iterdir()) == []
    assert notes(tmp_path) == []


def test_briefing_killed_leaves_no_pdf_and_the_record_decides(tmp_path, env):  # type: ignore[no-untyped-def]
    db = demo_db(tmp_path, env)
    pdf = tmp_path / "vorlage.pdf"
    killed = run_cli(
        db, "briefing", "1", "-o", str(pdf), env={**env, "CHINADIALOG_KILL_AT": "part-written"}
    )
    assert killed.returncode == -signal.SIGKILL
    assert not pdf.exists()  # written only after its record committed, and not finished
    assert (tmp_path / ".vorlage.pdf.part").exists()
    assert count_rows(db, "briefing_export") == 1

    assert run_cli(db, "db", "info", env=env).returncode == 0
    assert not (tmp_path / ".vorlage.pdf.part").exists()


def test_briefing_on_a_locked_database_writes_no_pdf(tmp_path, env):  # type: ignore[no-untyped-def]
    db = demo_db(tmp_path, env)
    pdf = tmp_path / "vorlage.pdf"
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        out = run_cli(db, "briefing", "1", "-o", str(pdf), env=env)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert out.returncode == 1
    assert_plain(one_line(out.stderr.splitlines()[-1]))
    assert not pdf.exists() and not (tmp_path / ".vorlage.pdf.part").exists()
    assert count_rows(db, "briefing_export") == 0


def test_own_patterns_only_and_never_what_a_live_process_holds(tmp_path, env):  # type: ignore[no-untyped-def]
    db = demo_db(tmp_path, env)
    backups = db.parent / "backups"
    backups.mkdir(exist_ok=True)
    half_backup = backups / "dossiers-20261207-101010-manual.sqlite3.part"
    half_restore = db.with_name(db.name + ".part")
    foreign_part = backups / "notizen.part"
    for p in (half_backup, half_restore, foreign_part):
        p.write_bytes(b"x" * 1000)

    temp = Path(env["TMPDIR"])
    stale = temp / "chinadialog-ftm-abcd1234"
    held = temp / "chinadialog-package-held0001"
    foreign = temp / "chinadialog-notizen"
    for folder in (stale, held, foreign):
        folder.mkdir()
        (folder / "stage.sqlite3").write_bytes(b"y" * 1000)
    holder = subprocess.Popen(  # another live process with a file in ``held`` open
        [
            sys.executable,
            "-c",
            "import sys; f = open(sys.argv[1]); sys.stdin.read()",
            str(held / "stage.sqlite3"),
        ],
        stdin=subprocess.PIPE,
    )
    # A .part noted by a live process that started before the next one: it may be writing.
    busy = tmp_path / ".laufend.pdf.part"
    busy.write_bytes(b"z")
    dead = tmp_path / ".abgebrochen.pdf.part"
    dead.write_bytes(b"z")
    pending = tmp_path / "data" / "chinadialog" / "pending"
    pending.mkdir(parents=True)
    (pending / "a.json").write_text(
        json.dumps({"part": str(busy), "pid": holder.pid, "started": 0})
    )
    (pending / "b.json").write_text(json.dumps({"part": str(dead), "pid": 2**22 + 7, "started": 0}))
    # Another instance of the app is running: staging folders name no owner, so
    # they wait until it has ended.
    instance = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from chinadialog_desktop import leftovers; leftovers.register_instance(); "
            "print('up', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, **env, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    try:
        assert instance.stdout is not None and instance.stdout.readline() == b"up\n"
        out = run_cli(db, "list", "partnerships", env=env)
        assert out.returncode == 0, out.stderr
        assert not half_backup.exists() and not half_restore.exists()
        assert foreign_part.exists()
        assert busy.exists() and not dead.exists()
        assert sorted(p.name for p in pending.iterdir()) == ["a.json"]
        assert stale.exists() and held.exists() and foreign.exists()
        instance.communicate(b"")

        assert run_cli(db, "list", "partnerships", env=env).returncode == 0
        assert not stale.exists()
        assert held.exists() and foreign.exists()
    finally:
        holder.communicate(b"")
        if instance.poll() is None:
            instance.communicate(b"")
    assert run_cli(db, "list", "partnerships", env=env).returncode == 0
    assert not held.exists()  # nobody holds it any more
