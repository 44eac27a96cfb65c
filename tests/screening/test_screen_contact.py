"""Issue 13 point 3 (part): ``screen --contact ID`` screens one person, scored as a person."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chinadialog_desktop.cli import main
from chinadialog_desktop.persistence.models_core import Actor, Contact
from chinadialog_desktop.services.screening import reference_lists

pytestmark = pytest.mark.both_engines

PERSON = {
    "id": "p-shen",
    "schema": "Person",
    "datasets": ["bsp"],
    "properties": {"name": ["Shen Wei", "沈伟"], "topics": ["role.rca"]},
}


def test_screen_contact_scores_a_person_as_a_person(
    db: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = tmp_path / "p.ftm.json"
    listing.write_text(json.dumps(PERSON, ensure_ascii=False) + "\n", encoding="utf-8")
    reference_lists.import_reference_list(db, listing)  # type: ignore[arg-type]
    with db.session() as s:  # type: ignore[attr-defined]
        actor = Actor(name_de="Beispiel-Institut", kind="company", country="CN")
        s.add(actor)
        s.flush()
        shen = Contact(name="Wei Shen", name_zh="沈伟", actor_id=actor.id)
        other = Contact(name="Tan Wei", name_zh="谭伟", actor_id=actor.id)
        s.add_all([shen, other])
        s.flush()
        ids = (shen.id, other.id)
    path = db.location  # type: ignore[attr-defined]
    db.close()  # type: ignore[attr-defined]
    assert main(["--lang", "de", "--db", path, "screen", "--contact", str(ids[0]), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["run"]["subjects"] == 1
    [hit] = out["hits"]
    assert hit["entity_key"] == "p-shen" and hit["score"] >= 0.95
    assert main(["--lang", "de", "--db", path, "screen", "--contact", str(ids[1]), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["hits"] == []
    assert main(["--lang", "de", "--db", path, "screen", "--contact", "999"]) != 0
    assert "999" in capsys.readouterr().err
