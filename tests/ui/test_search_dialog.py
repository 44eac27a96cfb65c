"""The search dialog offscreen on the demo data, driven through its widgets by objectName."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QTreeView
from sqlalchemy import select

from chinadialog_desktop.persistence.models import Activity, Actor, Partnership
from chinadialog_desktop.ui.search.dialog import SearchDialog


@pytest.fixture
def demo(demo_db):
    return demo_db


@pytest.fixture
def dialog(qtbot, demo):
    d = SearchDialog(demo)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def _groups(d: SearchDialog) -> dict[str, list[str]]:
    return d.hits()


def _tree(d: SearchDialog) -> QTreeView:
    return d.findChild(QTreeView, "searchResults")


def _id(db, model, **where) -> int:
    with db.session() as s:
        return s.scalars(select(model.id).filter_by(**where)).one()


def test_typing_searches_after_a_pause_and_groups_by_kind(qtbot, dialog, demo):
    edit = dialog.findChild(QLineEdit, "searchEdit")
    assert edit.hasFocus() or dialog.isVisible()
    qtbot.keyClicks(edit, "zhuhai")
    qtbot.waitUntil(lambda: bool(_groups(dialog)))
    groups = _groups(dialog)
    partnerships = next(v for k, v in groups.items() if k.startswith("Partnerships"))
    assert partnerships == ["Braunschweig–Zhuhai"]
    assert any(k.startswith("Actors") for k in groups)
    assert "hits shown" in dialog.findChild(QLabel, "searchStatus").text()


def test_enter_opens_the_first_hit(qtbot, dialog, demo):
    edit = dialog.findChild(QLineEdit, "searchEdit")
    edit.setText("珠海")  # Chinese through setText: keyClicks cannot type it
    with qtbot.waitSignal(dialog.sig_open) as opened:
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    expected = _id(demo, Partnership, title="Braunschweig–Zhuhai")
    assert opened.args == ["partnership", expected]
    assert not dialog.isVisible()


def test_an_activity_opens_its_partnership(qtbot, dialog, demo):
    dialog.set_query("Delegationsbesuch aus Zhuhai")
    tree = _tree(dialog)
    model = tree.model()
    top = next(
        model.index(i, 0)
        for i in range(model.rowCount())
        if str(model.index(i, 0).data()).startswith("Activities")
    )
    tree.setCurrentIndex(model.index(0, 0, top))
    raw, target = [], []
    dialog.sig_open_record.connect(lambda *a: raw.append(list(a)))
    dialog.sig_open.connect(lambda *a: target.append(list(a)))
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    title = "Delegationsbesuch aus Zhuhai unter Leitung des Parteisekretärs Chen Yong"
    activity = _id(demo, Activity, title=title)
    partnership = _id(demo, Partnership, title="Braunschweig–Zhuhai")
    assert raw == [["activity", activity]]
    assert target == [["partnership", partnership]]


def test_folded_and_pinyin_queries(dialog, demo):
    dialog.set_query("koln")
    assert "Stadt Köln" in next(v for k, v in _groups(dialog).items() if k.startswith("Actors"))
    dialog.set_query("Zhūhǎi")
    assert "Zhuhai" in next(v for k, v in _groups(dialog).items() if k.startswith("Actors"))
    assert _id(demo, Actor, name_de="Zhuhai")


def test_nothing_found_says_so(dialog):
    dialog.set_query("xylophonquartett")
    assert _groups(dialog) == {}
    assert "Nothing found" in dialog.findChild(QLabel, "searchStatus").text()
    assert dialog.open_current() is False


def test_widgets_have_object_and_accessible_names(dialog):
    for cls in (QLineEdit, QTreeView, QLabel):
        for widget in dialog.findChildren(cls):
            assert widget.objectName(), widget
            assert widget.accessibleName(), widget.objectName()
    assert dialog.objectName() == "searchDialog" and dialog.accessibleName()


def test_down_arrow_moves_into_the_results_and_enter_opens(qtbot, dialog, demo):
    edit = dialog.findChild(QLineEdit, "searchEdit")
    qtbot.keyClicks(edit, "koln")
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    tree = _tree(dialog)
    assert tree.currentIndex().data() == "Köln–Peking"  # searched at once, not after the pause
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    assert tree.currentIndex().data() == "Actors (1)"  # the heading of the next group
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    assert tree.currentIndex().data() == "Stadt Köln"
    with qtbot.waitSignal(dialog.sig_open) as opened:
        qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert opened.args == ["actor", _id(demo, Actor, name_de="Stadt Köln")]


def test_results_model_passes_the_model_tester(qtmodeltester, dialog):
    dialog.set_query("Braunschweig")
    qtmodeltester.check(_tree(dialog).model())


def test_switching_the_database(qtbot, dialog, tmp_path):
    from chinadialog_desktop.persistence.database import Database

    dialog.set_query("zhuhai")
    assert _groups(dialog)
    other = Database.open(tmp_path / "leer.sqlite3")
    try:
        dialog.set_database(other)
        assert _groups(dialog) == {}
    finally:
        other.close()


def test_snippets_carry_the_match_and_are_painted(dialog):
    from chinadialog_desktop.ui.search.dialog import MATCH_ROLE

    dialog.set_query("珠海")
    model = _tree(dialog).model()
    spans = []
    for row in range(model.rowCount()):
        top = model.index(row, 0)
        for i in range(model.rowCount(top)):
            cell = model.index(i, 2, top)
            if cell.data(MATCH_ROLE):
                start, end = cell.data(MATCH_ROLE)
                spans.append(str(cell.data())[start:end])
    assert spans and set(spans) == {"珠海"}
    image = dialog.grab().toImage()  # paints every row through the snippet delegate
    assert not image.isNull()


def test_follows_a_parent_that_switches_files(qtbot, demo, tmp_path):
    from PySide6.QtCore import Signal
    from PySide6.QtWidgets import QWidget

    from chinadialog_desktop.persistence.database import Database

    class Window(QWidget):
        sig_database_changed = Signal(object)

    window = Window()
    qtbot.addWidget(window)
    d = SearchDialog(demo, window)
    d.set_query("zhuhai")
    assert d.hits()
    other = Database.open(tmp_path / "anderes.sqlite3")
    try:
        window.sig_database_changed.emit(other)
        assert d.database is other and d.hits() == {}
    finally:
        other.close()


def test_a_single_letter_finds_records_with_a_word_beginning_with_it(dialog):
    dialog.set_query("b")
    assert _groups(dialog), "one letter is searched (word prefixes)"
    assert "hits shown" in dialog.findChild(QLabel, "searchStatus").text()


def test_a_gift_is_found_and_opens_its_partnership(qtbot, dialog, demo):
    from chinadialog_desktop.persistence.models_registers import Gift

    edit = dialog.findChild(QLineEdit, "searchEdit")
    assert "registers" in edit.placeholderText()
    dialog.set_query("Porzellanvase")
    assert _groups(dialog) == {
        "Gifts and hospitality (1)": ["Porzellanvase als Gastgeschenk (Beispiel)"]
    }
    raw, target = [], []
    dialog.sig_open_record.connect(lambda *a: raw.append(list(a)))
    dialog.sig_open.connect(lambda *a: target.append(list(a)))
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    gift = _id(demo, Gift, title="Porzellanvase als Gastgeschenk (Beispiel)")
    assert raw == [["gift", gift]]
    assert target == [["partnership", _id(demo, Partnership, title="Braunschweig–Zhuhai")]]
