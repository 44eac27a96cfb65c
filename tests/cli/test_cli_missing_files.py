"""A file that is not there: one German line, no words from the operating system."""

from __future__ import annotations

import pytest

from chinadialog_desktop.cli import main


@pytest.mark.parametrize(
    "argv",
    [
        ["import", "{missing}"],
        ["import", "{missing}", "--dry-run"],
        ["checklist", "import", "{missing}"],
        ["checklist", "validate", "{missing}"],
        ["reflist", "import", "{missing}"],
    ],
)
def test_missing_file_is_named_in_german(argv, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("CHINADIALOG_LANG", raising=False)
    missing = tmp_path / "fehlt.csv"
    args = [a.format(missing=missing) for a in argv]
    assert main(["--db", str(tmp_path / "m.sqlite3"), *args]) == 1
    out = capsys.readouterr()
    text = out.out + out.err
    assert "existiert nicht" in text
    assert "No such file" not in text and "Traceback" not in text
