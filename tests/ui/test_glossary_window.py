"""The window names the fields of action as the glossary does (real widgets, German)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel

from chinadialog_desktop.domain.glossary import glossary
from chinadialog_desktop.ui import app as ui_app


@pytest.fixture
def window(qtbot, tmp_path, german):
    session = ui_app.start(tmp_path / "x.sqlite3")
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
        pass
    qtbot.waitUntil(session.window.attached, timeout=20000)  # the database took over
    yield session.window
    session.close()


def test_the_partnership_editor_and_filter_show_the_glossary_names(window):
    names = [f.de for f in glossary().fields.values()]
    window.show_page("partnership")
    window.action_new.trigger()
    checks = [c.text().replace("&", "") for c in window.findChildren(QCheckBox)]
    assert [n for n in names if n in checks] == names
    assert "Forschungssicherheit" not in checks
    combos = [[c.itemText(i) for i in range(c.count())] for c in window.findChildren(QComboBox)]
    assert any(set(names) <= set(items) for items in combos), "the field-of-action filter"


def test_the_actor_editor_asks_for_a_state_by_its_code(window):
    window.show_page("actor")
    window.action_new.trigger()
    labels = {label.text().replace("&", "") for label in window.findChildren(QLabel)}
    assert not any(text.startswith("Land (ISO") for text in labels)
    assert any(text.startswith("Staat (ISO-Code)") for text in labels)
