"""Every file of the corpus gives its expected outcome; a rejected file writes nothing."""

from __future__ import annotations

import json

import pytest
from helpers.db import db_state
from helpers.paths import DATASET_FIXTURES as FIXTURES

from chinadialog_desktop.services.datasets.importing import COMMITTED, REJECTED, import_dataset

EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file(db, name):
    want = EXPECTED[name]
    before = db_state(db)
    result = import_dataset(db, FIXTURES / name)
    after = db_state(db)
    codes = {p.code for p in result.problems}
    if want["status"] == "rejected":
        assert result.status == REJECTED, result.problems.format()
        assert after == before
        assert after["integrity"] == "ok"
        if want["code"]:
            assert want["code"] in codes, result.problems.format()
        for problem in result.problems.errors():
            assert problem.file == name
            assert problem.message
            assert any(
                getattr(problem, f) is not None
                for f in ("line", "member", "key", "sheet", "cell", "column")
            ) or problem.code.startswith(("zip.", "package.", "file.", "json.")), problem
    else:
        assert result.status == COMMITTED, result.problems.format()
        assert result.plan is not None
        assert result.plan.totals()["new"] == want["new"]
        if want.get("warning"):
            assert want["warning"] in codes
        assert after["counts"]["import_run"] == before["counts"]["import_run"] + 1


def test_rejected_package_member_names_are_reported(db):
    result = import_dataset(db, FIXTURES / "bad_pkg_traversal.zip")
    [problem] = [p for p in result.problems if p.code == "zip.unsafe_name"]
    assert problem.member == "../evil.csv"
    assert "'..'" in problem.message


def test_formula_kept_as_literal_text(db):
    from sqlalchemy import select

    from chinadialog_desktop.persistence.models import Partnership

    result = import_dataset(db, FIXTURES / "good_register.xlsx")
    [warning] = [p for p in result.problems if p.code == "xlsx.formula"]
    assert (warning.sheet, warning.cell) == ("Register", "D2")
    with db.session() as s:
        description = s.scalars(select(Partnership.description)).one()
    assert description is not None and "Kosten: =SUM(1,2)" in description


def test_openpyxl_parses_workbooks_with_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True
    from openpyxl.xml import functions

    assert functions.fromstring.__module__.startswith("defusedxml")
