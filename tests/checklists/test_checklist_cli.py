"""``chinadialog checklist …`` and ``chinadialog assessment …``: output and exit codes 0/1/2."""

from __future__ import annotations

import json

import pytest

from chinadialog_desktop.cli import main
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Partnership

KEY = "urn:chinadialog:checklist:test-minimal"


@pytest.fixture
def dbfile(tmp_path):
    path = tmp_path / "cli.sqlite3"
    db = Database.open(path)
    with db.session() as s:
        s.add(Partnership(title="Braunschweig – Zhuhai", type="twin_city"))
    db.close()
    return str(path)


def run(capsys, *args):
    code = main(["--lang", "en", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_validate_exit_codes(capsys, minimal_path, fixtures, tmp_path):
    code, out, _err = run(capsys, "checklist", "validate", str(minimal_path))
    assert code == 0 and "valid" in out and "4 items" in out
    broken = fixtures / "broken" / "wrong_values.yaml"
    code, _out, err = run(capsys, "checklist", "validate", str(broken))
    assert code == 1
    assert f"{broken}:40:19: sections[1].items[0].severity" in err
    code, out, _err = run(capsys, "checklist", "validate", "--json", str(broken))
    assert code == 1 and json.loads(out)["errors"][0]["line"] == 3
    code, _out, err = run(capsys, "checklist", "validate", str(tmp_path / "missing.yaml"))
    assert code == 1 and "cannot be read" in err
    with pytest.raises(SystemExit) as exc:
        main(["checklist", "validate"])
    assert exc.value.code == 2


def test_import_list_export(capsys, dbfile, minimal_path, fixtures, tmp_path):
    code, out, _ = run(capsys, "--db", dbfile, "checklist", "import", str(minimal_path))
    assert code == 0 and "imported" in out
    code, out, _ = run(capsys, "--db", dbfile, "checklist", "import", str(minimal_path))
    assert code == 0 and "nothing to do" in out
    code, _out, err = run(
        capsys, "--db", dbfile, "checklist", "import", str(fixtures / "broken" / "circular.yaml")
    )
    assert code == 1 and "circular.yaml:26" in err and "Traceback" not in err
    code, out, _ = run(capsys, "--db", dbfile, "checklist", "install-bundled", "--json")
    assert code == 0
    assert "urn:chinadialog:checklist:leitplanken-kommunal" in {o["key"] for o in json.loads(out)}
    code, out, _ = run(capsys, "--db", dbfile, "checklist", "list", "--json")
    rows = json.loads(out)
    assert code == 0 and KEY in {r["key"] for r in rows}
    out_file = tmp_path / "exported.yaml"
    code, _out, _ = run(capsys, "--db", dbfile, "checklist", "export", KEY, str(out_file))
    assert code == 0
    code, _out, _ = run(capsys, "checklist", "validate", str(out_file))
    assert code == 0
    code, _out, err = run(
        capsys, "--db", dbfile, "checklist", "export", "urn:none:x", str(out_file)
    )
    assert code == 1 and "No checklist template" in err


def test_assessment_round_trip(capsys, dbfile, minimal_path):
    assert run(capsys, "--db", dbfile, "checklist", "import", str(minimal_path))[0] == 0
    code, out, _ = run(
        capsys, "--db", dbfile, "assessment", "start", "Zhuhai", "--template", KEY, "--json"
    )
    assert code == 0
    aid = str(json.loads(out)["id"])
    for item, answer in (("purpose-01", "yes"), ("purpose-02", "yes")):
        assert (
            run(
                capsys,
                "--db",
                dbfile,
                "assessment",
                "answer",
                aid,
                item,
                answer,
                "--evidence",
                "Ratsbeschluss",
                "--review-by",
                "2030-01-01",
            )[0]
            == 0
        )
    code, _out, err = run(
        capsys, "--db", dbfile, "assessment", "answer", aid, "partner-01", "maybe"
    )
    # The answers in the user's words, not the codes (clear, listed, unchecked).
    assert code == 1 and "possible: “Not listed”, “Listed”, “Not checked”" in err
    with pytest.raises(SystemExit) as exc:
        main(
            [
                "--db",
                dbfile,
                "assessment",
                "answer",
                aid,
                "partner-01",
                "clear",
                "--due",
                "31.13.2026",
            ]
        )
    assert exc.value.code == 2
    code, _out, err = run(capsys, "--db", dbfile, "assessment", "sign", aid, "--by", "Dr. P")
    assert code == 1 and "open" in err
    assert run(capsys, "--db", dbfile, "assessment", "answer", aid, "partner-01", "listed")[0] == 0
    code, out, _ = run(capsys, "--db", dbfile, "assessment", "show", aid, "--json")
    report = json.loads(out)
    assert code == 0
    assert report["overall"]["light"] == "red"
    assert report["overall"]["blockers"] == ["partner-01"]
    assert [s["light"] for s in report["sections"]] == ["green", "red"]
    code, out, _ = run(capsys, "--db", dbfile, "assessment", "show", report["uuid"])
    assert code == 0 and "Blockers (1)" in out and "partner-01" in out
    code, out, _ = run(
        capsys, "--db", dbfile, "assessment", "sign", aid, "--by", "Dr. P", "--date", "2026-11-30"
    )
    assert code == 0 and "frozen" in out
    code, out, _ = run(capsys, "--db", dbfile, "assessment", "answer", aid, "partner-01", "clear")
    assert code == 0 and "new revision 2" in out
    code, out, _ = run(capsys, "--db", dbfile, "assessment", "list", "--json")
    assert [(r["revision"], r["status"], r["light"]) for r in json.loads(out)] == [
        (1, "superseded", "red"),
        (2, "open", "green"),
    ]
    code, _out, err = run(capsys, "--db", dbfile, "assessment", "show", "999")
    assert code == 1 and "No assessment" in err
    with pytest.raises(SystemExit) as exc:
        main(["--db", dbfile, "assessment", "start", "Zhuhai"])  # --template missing
    assert exc.value.code == 2
