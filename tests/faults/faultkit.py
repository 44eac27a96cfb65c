"""Shared helpers of the fault suite: real child processes, killed at named points.

A child runs the real command line (``python -m chinadialog_desktop``) with
``CHINADIALOG_FAULT`` set (see ``persistence/faultpoint.py``) or under
``strace`` fault injection, and sends itself SIGKILL there. The test waits for
the child to end (no sleeps, no timing) and then looks at the files it left.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from chinadialog_desktop.persistence import faultpoint, lifecycle, migrate
from chinadialog_desktop.persistence.engine import make_engine, sqlite_url

ROOT = Path(__file__).resolve().parents[2]
STRACE = shutil.which("strace")
KILLED = -signal.SIGKILL


def child_env(fault: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.pop(faultpoint.ENV, None)
    if fault:
        env[faultpoint.ENV] = fault
    env["CHINADIALOG_LANG"] = "de"
    env.pop("QT_QPA_PLATFORM", None)
    return env


def cli(
    db: Path,
    *args: str,
    fault: str | None = None,
    kill_at_sync: tuple[str, int] | None = None,
    file_size_limit: int | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``chinadialog --db DB ARGS`` in a child; optionally killed at a fault point.

    ``kill_at_sync=("fdatasync", N)`` kills the child when it enters its N-th
    call of that kind (strace fault injection), where a power cut hurts most.
    """
    cmd = [sys.executable, "-m", "chinadialog_desktop", "--db", str(db), *args]
    if kill_at_sync is not None:
        assert STRACE
        cmd = [
            STRACE, "-qq", "-o", os.devnull, "-e", "trace=fsync,fdatasync",
            "-e", f"inject={kill_at_sync[0]}:signal=SIGKILL:when={kill_at_sync[1]}", *cmd,
        ]  # fmt: skip

    def limit() -> None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a dead process
        assert file_size_limit is not None
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.run(
        cmd,
        env=child_env(fault),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        preexec_fn=limit if file_size_limit is not None else None,
    )


def sync_calls(db: Path, *args: str) -> list[tuple[str, int]]:
    """Each disk sync of a normal run, in order, as (call, how many of that call so far).

    strace counts each system call on its own, so the k-th sync overall is
    addressed as "the n-th fsync" or "the n-th fdatasync".
    """
    assert STRACE
    db.parent.mkdir(parents=True, exist_ok=True)
    log = db.parent / "strace.log"
    cmd = [STRACE, "-qq", "-o", str(log), "-e", "trace=fsync,fdatasync",
           sys.executable, "-m", "chinadialog_desktop", "--db", str(db), *args]  # fmt: skip
    done = subprocess.run(cmd, env=child_env(), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    calls: list[tuple[str, int]] = []
    seen: dict[str, int] = {}
    for line in log.read_text().splitlines():
        name = line.split("(", 1)[0].strip()
        if name in ("fsync", "fdatasync"):
            seen[name] = seen.get(name, 0) + 1
            calls.append((name, seen[name]))
    log.unlink()
    return calls


class Child:
    """A ``chinadialog`` child process that can be held at ``name:N:pause`` points."""

    def __init__(self, db: Path, *args: str, fault: str | None, workdir: Path) -> None:
        self.dir = workdir
        self.dir.mkdir(parents=True, exist_ok=True)
        env = child_env(fault)
        env[faultpoint.DIR_ENV] = str(self.dir)
        cmd = [sys.executable, "-m", "chinadialog_desktop", "--db", str(db), *args]
        self.proc = subprocess.Popen(
            cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    def wait_reached(self, name: str, limit: float = 600.0) -> None:
        """Block until the child stands at the pause point ``name`` (it must get there)."""
        deadline = time.monotonic() + limit
        while not (self.dir / f"{name}.reached").exists():
            if self.proc.poll() is not None:
                out, err = self.proc.communicate()
                raise AssertionError(f"child ended before {name}: {out}{err}")
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"child never reached {name}")
            time.sleep(0.01)

    def release(self, name: str) -> None:
        (self.dir / f"{name}.go").touch()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()

    def finish(self) -> subprocess.CompletedProcess[str]:
        out, err = self.proc.communicate(timeout=600)
        return subprocess.CompletedProcess(self.proc.args, self.proc.returncode, out, err)


def was_killed(result: subprocess.CompletedProcess[str]) -> bool:
    # Under strace the child's death by SIGKILL shows as strace's own exit 128+9.
    return result.returncode in (KILLED, 128 + signal.SIGKILL)


def upgrade_to(path: Path, revision: str) -> None:
    engine = make_engine(sqlite_url(path), foreign_keys=False)
    with engine.begin() as conn:
        migrate.upgrade(conn, revision)
    engine.dispose()


EXAMPLE_TITLE = "Sachstand Partnerschaft Zhuhai 珠海 (Beispiel)"
EXAMPLE_BODY = "Grüße aus der Partnerstadt (Beispiel)"


def make_old_database(path: Path, revision: str) -> None:
    """A database at an older schema revision, holding a dossier with a section."""
    upgrade_to(path, revision)
    engine = make_engine(sqlite_url(path))
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO dossier (id, uuid, created_at, modified_at, version, title, "
                "audience, classification, status) VALUES (1, 'd-1', '2024-01-01', "
                "'2024-01-01', 1, :t, 'council', 'open', 'draft')"
            ),
            {"t": EXAMPLE_TITLE},
        )
        conn.execute(
            text(
                "INSERT INTO dossier_section (id, uuid, created_at, modified_at, version, "
                "dossier_id, key, position, body, internal) VALUES "
                "(1, 's-1', '2024-01-01', '2024-01-01', 1, 1, 'summary', 0, :b, 0)"
            ),
            {"b": EXAMPLE_BODY},
        )
    engine.dispose()


def example_data(path: Path) -> tuple[str, str]:
    conn = lifecycle.connect(path)
    try:
        title = conn.execute("SELECT title FROM dossier").fetchone()[0]
        body = conn.execute("SELECT body FROM dossier_section").fetchone()[0]
    finally:
        conn.close()
    return title, body


def revision_of(path: Path) -> str:
    conn = lifecycle.connect(path)
    try:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        conn.close()


def integrity(path: Path) -> str:
    """SQLite's full integrity check: "ok", or its first complaint."""
    conn = lifecycle.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()


def leftovers(db: Path) -> list[str]:
    """Files the app made for its own work that must be gone after a good start."""
    folder = db.parent
    found = [p.name for p in folder.iterdir() if p.name != db.name and p.name.startswith(db.name)]
    backups = folder / "backups"
    if backups.is_dir():
        found += [f"backups/{p.name}" for p in backups.iterdir() if not p.name.endswith(".sqlite3")]
    return sorted(found)
