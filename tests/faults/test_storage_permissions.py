"""Issue 11, point 12: what the app creates is owner-only (0600 / 0700), whatever the umask.

The child runs under umask 022, the usual desktop default that made everything
0644 before.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from storage_support import run_cli

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")


def _umask_022() -> None:
    os.umask(0o022)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_backups_and_exports_are_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "neu" / "tief" / "dossiers.sqlite3"  # the folders do not exist yet

    def cli(*args: str) -> None:
        out = run_cli(db, *args, preexec_fn=_umask_022)
        assert out.returncode == 0, out.stderr

    cli("demo", "load")
    cli("db", "backup")
    exports = tmp_path / "exporte"
    exports.mkdir(mode=0o755)
    exports.chmod(0o755)  # a folder the user made: left as it is
    cli("export", "json", str(exports / "akteure.json"))
    cli("export", "package", str(exports / "paket.zip"))
    cli("briefing", "1", "-o", str(exports / "vorlage.pdf"))

    created_files = [
        db,
        *db.parent.glob("dossiers.sqlite3-*"),  # -wal / -shm while open, if left
        *(db.parent / "backups").iterdir(),
        *exports.iterdir(),
    ]
    assert len(created_files) >= 5
    assert {str(p): oct(mode(p)) for p in created_files} == {
        str(p): oct(0o600) for p in created_files
    }
    for folder in (tmp_path / "neu", db.parent, db.parent / "backups"):
        assert mode(folder) == 0o700, folder
    assert mode(exports) == 0o755
