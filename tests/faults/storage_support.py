"""Helpers for the storage fault tests: run the real CLI in a child process."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
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
    env: dict[str, str] | None = None,
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
        env=cli_env(**(env or {})),
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


# -- real file systems ---------------------------------------------------------------

# A child that runs as root but without the capabilities that let root ignore
# permission bits: it is refused exactly where an ordinary user would be. (An
# unprivileged uid cannot be used here: the interpreter lives under /root.)
UNPRIVILEGED = (
    "setpriv",
    "--bounding-set=-dac_override,-dac_read_search,-fowner",
    "--inh-caps=-dac_override,-dac_read_search,-fowner",
)


def can_drop_privileges() -> bool:
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        return False
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        locked = Path(tmp) / "locked"
        locked.mkdir(mode=0o500)
        probe = subprocess.run(
            [
                *UNPRIVILEGED,
                sys.executable,
                "-c",
                f"import os; print(os.access({str(locked)!r}, 2))",
            ],
            capture_output=True,
            text=True,
        )
        locked.chmod(0o700)
    return probe.returncode == 0 and probe.stdout.strip() == "False"


def run_cli_unprivileged(
    db: Path, *args: str, lang: str = "de"
) -> subprocess.CompletedProcess[str]:
    argv = [*UNPRIVILEGED, sys.executable, "-m", "chinadialog_desktop", "--lang", lang]
    argv += ["--db", str(db), *args]
    return subprocess.run(argv, capture_output=True, text=True, env=cli_env(), timeout=300)


def _mount_problem() -> str | None:
    if os.geteuid() != 0:
        return "loop mounts need root"
    for tool in ("mount", "umount", "mkfs.ext4"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    return None


@contextmanager
def loop_filesystem(workdir: Path, size_mb: int = 8) -> Iterator[Path]:
    """A real, small ext4 file system in an image file, loop-mounted; yields the mount point.

    Skips the test (with the reason) where loop mounts are not possible.
    """
    import pytest

    problem = _mount_problem()
    if problem:
        pytest.skip(problem)
    image = workdir / "disk.img"
    mountpoint = workdir / "mnt"
    mountpoint.mkdir()
    with image.open("wb") as fh:
        fh.truncate(size_mb * 1024 * 1024)
    made = subprocess.run(
        ["mkfs.ext4", "-q", "-F", "-m", "0", str(image)], capture_output=True, text=True
    )
    if made.returncode != 0:
        pytest.skip(f"mkfs.ext4 failed: {made.stderr.strip()}")
    mounted = subprocess.run(
        ["mount", "-o", "loop", str(image), str(mountpoint)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"loop mount not possible here: {mounted.stderr.strip()}")
    try:
        yield mountpoint
    finally:
        if subprocess.run(["umount", str(mountpoint)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mountpoint)], capture_output=True)
        image.unlink(missing_ok=True)


def remount(mountpoint: Path, mode: str) -> None:
    """``mode`` is "ro" or "rw"."""
    subprocess.run(["mount", "-o", f"remount,{mode}", str(mountpoint)], check=True)


def fill_disk(folder: Path) -> Path:
    """Write a filler file until the file system is full; returns it (delete to free space)."""
    filler = folder / "filler.bin"
    block = b"\0" * 65536
    with filler.open("wb", buffering=0) as fh:
        try:
            while True:
                fh.write(block)
        except OSError:
            pass
        try:
            while True:  # the last few blocks, smaller
                fh.write(b"\0" * 512)
        except OSError:
            pass
    return filler


_SEQUENCE = """
import contextlib, io, json, sys
from chinadialog_desktop.cli import main
steps = json.loads(sys.argv[2])
results = []
for argv in steps:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    results.append({"argv": argv, "code": code, "stdout": out.getvalue(), "stderr": err.getvalue()})
    if code != 0:
        break
with open(sys.argv[1], "w", encoding="utf-8") as fh:
    json.dump(results, fh, ensure_ascii=False)
"""


def run_cli_steps(
    db: Path, steps: Sequence[Sequence[str]], *, cwd: Path, lang: str = "de"
) -> list[dict[str, Any]]:
    """Several CLI commands in ONE child process, one after the other, each through
    ``cli.main`` with its own argv (as ``chinadialog --db DB …`` would run them);
    stops at the first that fails. Saves the interpreter start per command."""
    report = cwd.parent / f".steps-{os.getpid()}-{abs(hash(str(db)))}.json"
    argvs = [["--lang", lang, "--db", str(db), *step] for step in steps]
    done = subprocess.run(
        [sys.executable, "-c", _SEQUENCE, str(report), json.dumps(argvs)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=cli_env(),
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    try:
        results: list[dict[str, Any]] = json.loads(report.read_text(encoding="utf-8"))
    finally:
        report.unlink(missing_ok=True)
    return results
