"""Files that cannot be written: one line naming the file and the reason, exit code 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from chinadialog_desktop.cli import main
from chinadialog_desktop.cli.common import describe_os_error
from chinadialog_desktop.i18n import set_language


@pytest.fixture
def demo(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("CHINADIALOG_LANG", raising=False)
    path = str(tmp_path / "d.sqlite3")
    assert main(["--db", path, "demo", "load"]) == 0
    capsys.readouterr()
    return path


@pytest.fixture
def blocker(tmp_path):
    """A plain file where the command needs a folder."""
    path = tmp_path / "notiz.txt"
    path.write_text("kein Ordner", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ["briefing", "1", "-o", "{blocker}/b.pdf"],
        ["export", "csv", "{blocker}/a.csv", "--kind", "actors"],
        ["db", "backup", "{blocker}/b.sqlite3"],
    ],
)
def test_output_under_a_file_is_one_clear_line(argv, demo, blocker, capsys):
    args = [a.format(blocker=blocker) for a in argv]
    assert main(["--lang", "en", "--db", demo, *args]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "Unexpected error" not in err and "Errno" not in err and ".part" not in err
    assert str(blocker) in err


def test_database_under_a_file_is_one_clear_line(blocker, capsys):
    assert main(["--lang", "en", "--db", str(blocker / "x.sqlite3"), "list", "actors"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "Unexpected error" not in err and "sqlalche.me" not in err


def test_describe_names_the_intended_file_not_the_temporary_one(tmp_path):
    import errno

    set_language("en")

    exc = FileNotFoundError(
        errno.ENOENT, "No such file or directory", str(tmp_path / ".briefing.pdf.part")
    )
    text = describe_os_error(exc)
    assert text == f"{tmp_path / 'briefing.pdf'}: the file or its folder does not exist"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_database_in_a_folder_sqlite_cannot_write(capsys):
    # /proc takes no new files, not even from root: SQLite's "unable to open database file"
    assert main(["--lang", "en", "--db", "/proc/chinadialog-test.sqlite3", "db", "info"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (
        "Error: The database /proc/chinadialog-test.sqlite3 cannot be opened or "
        "created; is its folder writable?"
    )


def test_an_unknown_errno_keeps_the_system_text():
    exc = OSError(9999, "Something odd", "/x/y")
    assert describe_os_error(exc) == "/x/y: Something odd"
