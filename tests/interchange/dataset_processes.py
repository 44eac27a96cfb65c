"""Child processes for concurrency tests, lined up through the import's checkpoints (no sleeps).

``ImportChild`` runs ``chinadialog import`` in a real second process with
``CHINADIALOG_IMPORT_CHECKPOINTS`` set to two pipes: at each checkpoint the
child announces its name ("read", "waiting", "planned") and waits until the
test says go. ``expect`` fails after a generous deadline instead of hanging
when a child dies or never gets there.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
from pathlib import Path

from chinadialog_desktop.services.datasets.importing import CHECKPOINT_ENV

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 180.0  # seconds: only a guard against hanging, never a timing assertion


class Piped:
    """A child process with a line channel in each direction."""

    def __init__(self, argv: list[str], env: dict[str, str], out: Path) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        env = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
        env[CHECKPOINT_ENV] = f"{to_child_r},{from_child_w}"
        self.out = out
        with open(out, "wb") as sink:
            self.proc = subprocess.Popen(
                argv,
                env=env,
                pass_fds=(to_child_r, from_child_w),
                stdout=sink,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
            )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""

    def expect(self, name: str) -> None:
        """Wait for the child to announce ``name`` (its next checkpoint)."""
        while b"\n" not in self._buffer:
            ready, _w, _x = select.select([self._from_child], [], [], DEADLINE)
            assert ready, f"no checkpoint '{name}' within {DEADLINE} s: {self.output()}"
            chunk = os.read(self._from_child, 4096)
            assert chunk, f"the child ended before '{name}': {self.output()}"
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        assert line.decode() == name, (line, self.output())

    def go(self) -> None:
        os.write(self._to_child, b"go\n")

    def finish(self) -> int:
        """Let the child run to its end (no more checkpoints answered) and return its exit code."""
        os.close(self._to_child)  # a checkpoint now reads EOF and carries on
        try:
            return self.proc.wait(timeout=DEADLINE)
        finally:
            os.close(self._from_child)

    def output(self) -> str:
        return self.out.read_text(encoding="utf-8", errors="replace")


def import_child(db: Path, file: Path, out: Path, *extra: str) -> Piped:
    argv = [sys.executable, "-m", "chinadialog_desktop", "--lang", "en", "--db", str(db)]
    return Piped([*argv, "import", str(file), *extra], {}, out)


EDITOR = r"""
import os, sys
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.exc import OperationalError
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Partnership

r, w = (int(x) for x in os.environ["CHINADIALOG_IMPORT_CHECKPOINTS"].split(","))
db = Database.open(sys.argv[1])
try:
    with db.session() as s:
        p = s.scalars(select(Partnership).where(Partnership.title == sys.argv[2])).one()
        p.status = sys.argv[3]
        os.write(w, b"loaded\n")
        os.read(r, 3)
    print("saved")
except StaleDataError:
    print("stale: changed by someone else meanwhile")
    sys.exit(3)
except OperationalError:
    print("locked")
    sys.exit(4)
finally:
    db.close()
"""


def editor_child(db: Path, title: str, status: str, out: Path) -> Piped:
    """A second program editing one partnership's status, as a window would save it."""
    return Piped([sys.executable, "-c", EDITOR, str(db), title, status], {}, out)
