"""Issue 13 point 6: a second file declaring the same dataset name does not silently replace
the first; an exact name match survives the candidate cap."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chinadialog_desktop.cli import main
from chinadialog_desktop.domain.matching import CANDIDATE_LIMIT, MatchIndex, Subject
from tests.screening.test_hard_cases import _entity


def _write(path: Path, ids: range, name: str = "Beispiel Technik GmbH") -> Path:
    rows = [
        {
            "id": f"e{i}",
            "schema": "Company",
            "datasets": ["bsp_liste"],
            "properties": {"name": [f"{name} {i}"]},
        }
        for i in ids
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.both_engines
def test_same_dataset_name_from_another_file_is_refused_without_replace(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = db_url
    base = ["--lang", "de", "--db", db, "reflist", "import"]
    assert main([*base, str(_write(tmp_path / "a.ftm.json", range(50))), "--no-screen"]) == 0
    other = _write(tmp_path / "b.ftm.json", range(45, 48))
    capsys.readouterr()
    assert main([*base, str(other), "--no-screen", "--dry-run"]) == 0  # a dry run warns
    assert "bsp_liste" in capsys.readouterr().err
    assert main([*base, str(other), "--no-screen"]) == 1
    err = capsys.readouterr().err
    assert "47" in err and "--replace" in err  # 47 of 50 entities would go
    assert main(["--lang", "de", "--db", db, "reflist", "list", "--json"]) == 0
    lists = json.loads(capsys.readouterr().out)
    assert [x["entity_count"] for x in lists] == [50]  # nothing changed
    assert main([*base, str(other), "--no-screen", "--replace"]) == 0
    # The same file again (a newer download under the same name) needs no --replace.
    assert main([*base, str(_write(tmp_path / "b.ftm.json", range(2))), "--no-screen"]) == 0


def test_exact_name_match_is_never_dropped_past_the_candidate_cap() -> None:
    # 150 entities of one name (a list holding the same firm many times) and one more.
    name = "Shenzhen Xinglian Technology Co., Ltd."
    twins = [_entity(f"twin{i}", name) for i in range(150)]
    others = [_entity(f"o{i}", f"Shenzhen Xinglian Trading {i} Co., Ltd.") for i in range(60)]
    index = MatchIndex([*twins, *others, _entity("target", name, "深圳市星联科技有限公司")])
    subject = Subject("q", "actor", name, (name,), False, "CN")
    found = index.candidates(subject, subject.normalized())
    assert len(found) == len(set(found))  # each entity once
    assert len(found) > CANDIDATE_LIMIT
    keys = {m.entity.entity_key for m in index.screen(subject)}
    assert keys >= {"target", *(f"twin{i}" for i in range(150))}


@pytest.mark.parametrize("answer_yes", [False, True])
def test_window_asks_before_replacing_a_list_of_the_same_dataset_name(
    qtbot: object, db: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer_yes: bool
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from chinadialog_desktop.services.screening import reference_lists
    from chinadialog_desktop.ui.screening.view import ScreeningDialog

    reference_lists.import_reference_list(db, _write(tmp_path / "a.ftm.json", range(20)))  # type: ignore[arg-type]
    asked: list[str] = []

    def question(parent: object, title: str, text: str, *args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Yes if answer_yes else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    dialog = ScreeningDialog(db)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    with qtbot.waitSignal(dialog.sig_job_finished, timeout=60000):  # type: ignore[attr-defined]
        dialog.import_list(_write(tmp_path / "b.ftm.json", range(3)))
    assert asked and "bsp_liste" in asked[0]
    if answer_yes:  # the import runs again, now replacing
        with qtbot.waitSignal(dialog.sig_job_finished, timeout=60000):  # type: ignore[attr-defined]
            pass
    with db.session() as s:  # type: ignore[attr-defined]
        lists = reference_lists.list_reference_lists(s)
    assert [x.entity_count for x in lists] == ([3] if answer_yes else [20])
