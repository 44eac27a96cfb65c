"""Nested kinds on the command line, and hostile template members in packages."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from helpers.db import db_state
from sqlalchemy import select

from chinadialog_desktop.cli import main
from chinadialog_desktop.interchange.package_writer import PackageMember, package_bytes
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import ChecklistTemplate, Dossier
from chinadialog_desktop.services.assessment.checklists import install_bundled, to_domain
from chinadialog_desktop.services.datasets.importing import REJECTED, import_dataset
from chinadialog_desktop.services.datasets.nested_export import template_yaml
from chinadialog_desktop.services.demo import load_demo


def cli(db: Path, *args: str) -> int:
    return main(["--lang", "en", "--db", str(db), *args])


def _demo(path: Path) -> tuple[int, dict[str, Any]]:
    db = Database.open(path)
    with db.session() as s:
        load_demo(s)
        install_bundled(s)
        dossier = s.scalars(select(Dossier).order_by(Dossier.id)).first()
        template = s.scalars(select(ChecklistTemplate).order_by(ChecklistTemplate.id)).first()
        assert dossier is not None and template is not None
        result = dossier.id, to_domain(template).as_document()
    db.close()
    return result


def test_cli_exports_and_imports_a_dossier(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    source = tmp_path / "a.sqlite3"
    dossier_id, _doc = _demo(source)
    out = tmp_path / "dossier.zip"
    assert cli(source, "export", "package", str(out), "--dossier", str(dossier_id)) == 0
    written = capsys.readouterr().out
    assert "Dossiers: 1" in written
    with zipfile.ZipFile(out) as z:
        kinds = {f["kind"] for f in json.loads(z.read("manifest.json"))["files"]}
    assert {"dossiers", "partnerships", "sources"} <= kinds
    target = tmp_path / "b.sqlite3"
    assert cli(target, "import", str(out), "--dry-run") == 0
    dry = capsys.readouterr().out
    assert "Dossiers" in dry and "Dry run" in dry
    assert cli(target, "import", str(out)) == 0
    capsys.readouterr()
    assert cli(target, "import", str(out), "--json") == 0
    again = json.loads(capsys.readouterr().out)
    assert again["counts"]["kinds"]["dossiers"] == {
        "new": 0,
        "updated": 0,
        "unchanged": 1,
        "conflict": 0,
    }


def test_cli_refuses_nested_kinds_as_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    db = tmp_path / "a.sqlite3"
    _demo(db)
    assert cli(db, "export", "csv", str(tmp_path / "d.csv"), "--kind", "dossier") != 0
    assert "package" in capsys.readouterr().err
    assert not (tmp_path / "d.csv").exists()
    assert cli(db, "export", "json", str(tmp_path / "t.json"), "--kind", "checklist_template") == 0
    doc = json.loads((tmp_path / "t.json").read_text("utf-8"))
    assert list(doc["records"]) == ["checklist_templates"]
    assert doc["records"]["checklist_templates"]


def _package(tmp_path: Path, members: list[PackageMember]) -> Path:
    path = tmp_path / "p.zip"
    path.write_bytes(package_bytes(members, title="T", publisher="P", licence="CC0-1.0"))
    return path


def test_invalid_template_member_is_reported_by_line_and_nothing_written(tmp_path: Path):
    _id, doc = _demo(tmp_path / "src.sqlite3")
    doc["version"] = doc["version"] + 1
    text = template_yaml(doc).decode("utf-8")
    broken = text.replace("severity: high", "severity: enormous", 1)
    assert broken != text
    line = broken[: broken.index("enormous")].count("\n") + 1
    path = _package(
        tmp_path,
        [PackageMember("t.yaml", broken.encode("utf-8"), "yaml", "checklist_template", 1)],
    )
    db = Database.open(tmp_path / "b.sqlite3")
    state = db_state(db)
    result = import_dataset(db, path)
    assert result.status == REJECTED
    problems = [p for p in result.problems if p.code == "template.invalid"]
    assert problems and problems[0].member == "t.yaml" and problems[0].line == line
    assert "severity" in (problems[0].key or "")
    assert db_state(db) == state


def test_template_member_in_a_tabular_format_or_yaml_of_another_kind_is_refused(tmp_path: Path):
    _id, doc = _demo(tmp_path / "src.sqlite3")
    body = template_yaml(doc)
    db = Database.open(tmp_path / "b.sqlite3")
    state = db_state(db)
    for member in (
        PackageMember("t.csv", body, "csv", "checklist_template", 1),
        PackageMember("t.yaml", body, "yaml", "partnerships", 1),
    ):
        result = import_dataset(db, _package(tmp_path, [member]))
        assert result.status == REJECTED
        assert any(
            p.code == "package.manifest" and p.member == member.path for p in result.problems
        )
    assert db_state(db) == state


def test_yaml_template_member_goes_in_and_is_then_unchanged(tmp_path: Path):
    _id, doc = _demo(tmp_path / "src.sqlite3")
    body = template_yaml(doc)
    path = _package(tmp_path, [PackageMember("t.yaml", body, "yaml", "checklist_template", 1)])
    db = Database.open(tmp_path / "b.sqlite3")
    first = import_dataset(db, path)
    assert first.ok and first.plan is not None
    assert first.plan.counts()["checklist_templates"]["new"] == 1
    with db.session() as s:
        [stored] = s.scalars(select(ChecklistTemplate)).all()
        assert (
            stored.sha256
            == hashlib.sha256(
                json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
            ).hexdigest()
        )
    second = import_dataset(db, path)
    assert second.plan is not None
    assert second.plan.counts()["checklist_templates"]["unchanged"] == 1


def test_yaml_alias_bomb_in_a_template_member_is_refused_before_it_is_built(tmp_path: Path):
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):  # 10^9 values once built
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    body = ("\n".join(lines) + "\n").encode("utf-8")
    path = _package(tmp_path, [PackageMember("t.yaml", body, "yaml", "checklist_template", 1)])
    db = Database.open(tmp_path / "b.sqlite3")
    state = db_state(db)
    result = import_dataset(db, path)
    assert result.status == REJECTED
    [problem] = [p for p in result.problems if p.code == "template.alias"]
    assert problem.member == "t.yaml" and problem.line == 2
    assert db_state(db) == state
