"""The assessment window shows both sides: the risk light and the chance level, each
with its own fields, driven offscreen on a real database (the worked example of
docs/checklist-format.md, tests/checklists/fixtures/chances.yaml)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QTreeView

from chinadialog_desktop.interchange.checklist_yaml import load_template
from chinadialog_desktop.persistence.models import Partnership
from chinadialog_desktop.services.assessment.checklists import import_template
from chinadialog_desktop.ui.assessment.view import AssessmentView

CHANCES = Path(__file__).parents[1] / "checklists" / "fixtures" / "chances.yaml"
TODAY = date(2026, 12, 8)

WORKED = [
    ("purpose-01", "partly"),
    ("purpose-02", "unknown"),
    ("partner-01", "unchecked"),
    ("partner-02", "partly"),
    ("chance_exchange-01", "realised"),
    ("chance_exchange-02", "planned"),
    ("chance_climate-01", "potential"),
]


@pytest.fixture
def window(qtbot, db):
    with db.session() as s:
        p = Partnership(title="Braunschweig – Zhuhai (Beispiel)", type="twin_city")
        s.add(p)
        import_template(s, load_template(CHANCES))
        s.flush()
        pid = p.id
    v = AssessmentView(db, today=TODAY, partnership_id=pid)
    qtbot.addWidget(v)
    v.show()
    qtbot.waitExposed(v)
    v.findChild(QPushButton, "startAssessmentButton").click()
    assert v.assessment_id is not None
    return v


def _answer(v, item_id: str, code: str) -> None:
    v.findChild(QTreeView, "assessmentTree").setCurrentIndex(v.model.index_of(item_id))
    button = v.findChild(QPushButton, f"answerButton_{code}")
    assert button is not None and button.isEnabled(), (item_id, code)
    button.click()


def test_the_window_shows_the_risk_light_and_the_chance_level_side_by_side(window):
    v = window
    overall = v.findChild(QLabel, "overallLightLabel")
    chances = v.findChild(QLabel, "chanceLevelLabel")
    assert chances.text() == "Chances: not assessed"
    for item_id, code in WORKED:
        _answer(v, item_id, code)
    # risk side: 6 of 13 points (46 %), yellow, no blocker ("not screened" does not exclude)
    assert overall.text() == "Overall: yellow"
    assert v.report["overall"]["risk_percent"] == pytest.approx(46.2)
    # chance side: 6 of 9 chance points (67 %), high — beside the light, not instead of it
    assert chances.text() == "Chances: high (67 %)"
    assert not v.findChild(QLabel, "chanceLevelIcon").pixmap().isNull()
    assert v.findChild(QLabel, "progressLabel").text().startswith("7 of 7 answered")
    # the choice of fields: two risk fields and two chance fields, each with its own word
    combo = v.findChild(QComboBox, "assessmentFieldCombo")
    tips = {
        combo.itemData(i): combo.itemData(i, Qt.ItemDataRole.ToolTipRole)
        for i in range(combo.count())
    }
    assert tips == {
        "purpose": "1 · Purpose: yellow",
        "partner": "2 · Partner: yellow",
        "chance_exchange": "3 · Opportunity: exchange: chances high",
        "chance_climate": "4 · Opportunity: climate: chances medium",
    }
    # the tree lists all four fields; a chance field shows its level, a chance item its points
    model = v.model
    assert model.rowCount() == 4
    exchange = model.section_index("chance_exchange")
    assert model.data(model.index(exchange.row(), 1)) == "chances high"
    climate_item = model.index_of("chance_climate-01")
    status = model.data(model.index(climate_item.row(), 2, climate_item.parent()))
    assert "chance 1 of 3" in status


def test_a_confirmed_listing_turns_the_risk_side_red_and_leaves_the_chances_shown(window):
    v = window
    for item_id, code in WORKED:
        _answer(v, item_id, code)
    _answer(v, "partner-01", "listed")
    assert v.findChild(QLabel, "overallLightLabel").text() == "Overall: red · 1 blocker"
    assert v.findChild(QLabel, "chanceLevelLabel").text() == "Chances: high (67 %)"


def test_the_window_in_german(window):
    from chinadialog_desktop.i18n import set_language

    v = window
    for item_id, code in WORKED:
        _answer(v, item_id, code)
    set_language("de")  # the autouse fixture of tests/conftest.py sets it back
    v.retranslate()
    assert v.findChild(QLabel, "chanceLevelLabel").text() == "Chancen: hoch (67 %)"
    assert v.findChild(QLabel, "overallLightLabel").text() == "Gesamt: gelb"
