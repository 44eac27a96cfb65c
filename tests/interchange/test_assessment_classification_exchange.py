"""An assessment's classification travels in a dataset package (else a VS-NfD assessment
would arrive as 'open' and, on a team server, be visible to every role)."""

from __future__ import annotations

import json
import zipfile

from chinadialog_desktop.cli import main
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Assessment


def test_a_vs_nfd_assessment_arrives_as_vs_nfd(tmp_path, capsys):
    source, target = tmp_path / "quelle.sqlite3", tmp_path / "ziel #2.sqlite3"
    package = tmp_path / "paket.zip"
    for args in (
        ["demo", "load"],
        ["checklist", "install-bundled"],
        ["assessment", "start", "1", "--template", "1"],
    ):
        assert main(["--lang", "en", "--db", str(source), *args]) == 0
    db = Database.open(source)
    try:
        with db.session() as s:
            s.query(Assessment).one().classification = "vs_nfd"
    finally:
        db.close()
    assert main(["--lang", "en", "--db", str(source), "export", "package", str(package),
                 "--kind", "all"]) == 0  # fmt: skip
    with zipfile.ZipFile(package) as z:
        member = next(n for n in z.namelist() if n.startswith("assessment"))
        records = json.loads(z.read(member))
    assert '"classification": "vs_nfd"' in json.dumps(records)
    assert main(["--lang", "en", "--db", str(target), "checklist", "install-bundled"]) == 0
    assert main(["--lang", "en", "--db", str(target), "import", str(package)]) == 0
    capsys.readouterr()
    db = Database.open(target)
    try:
        with db.session() as s:
            assert [a.classification for a in s.query(Assessment)] == ["vs_nfd"]
    finally:
        db.close()
