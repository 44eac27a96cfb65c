"""Helpers for the storage fault tests: run the real CLI in a child process."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]


def cli_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, CHINADIALOG_LANG="de", PYTHONPATH=str(ROOT))
    env.pop("CHINADIALOG_DEBUG", None)
    env.update(extra)
    return env


def run_cli(
    db: Path | None,
    *args: str,
    cwd: Path | None = None,
    preexec_fn: Callable[[], Any] | None = None,
    user: int | None = None,
    lang: str = "de",
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """``python -m chinadialog_desktop [--db DB] ARGS`` in a child process."""
    argv: list[str] = [sys.executable, "-m", "chinadialog_desktop", "--lang", lang]
    if db is not None:
        argv += ["--db", str(db)]
    argv += list(args)
    if user is not None:
        argv = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *argv]
    return subprocess.run(
        argv,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=cli_env(),
        timeout=timeout,
        preexec_fn=preexec_fn,
    )


def files_under(root: Path) -> set[str]:
    """Every file and folder below ``root``, as paths relative to it."""
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def count_rows(db: Path, table: str) -> int:
    """Read a table count straight from the file (read-only, never through the app)."""
    uri = "file:" + quote(str(db), safe="/") + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    try:
        return int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
    finally:
        conn.close()


def info_json(db: Path, **kw: Any) -> dict[str, Any]:
    out = run_cli(db, "db", "info", "--json", **kw)
    assert out.returncode == 0, out.stderr
    data: dict[str, Any] = json.loads(out.stdout[out.stdout.index("{") :])
    return data


def one_line(text: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert len(lines) == 1, text
    return lines[0]


def assert_plain(message: str, forbidden: Sequence[str] = ()) -> None:
    """A message for people: no SQL, no exception class names, no traceback."""
    for bad in ("Traceback", "OperationalError", "[SQL", "sqlalche.me", "parameters", *forbidden):
        assert bad not in message, message
