"""The SVG icons: every file valid, drawn in the palette's text colour, on sidebar and toolbar."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPalette
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QToolBar

from chinadialog_desktop.ui import app as ui_app
from chinadialog_desktop.ui.common import icons, theme


def _opaque_colours(image: QImage) -> set[str]:
    return {
        image.pixelColor(x, y).name()
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() == 255
    }


def test_every_icon_file_is_valid_svg_on_a_24_grid_and_listed():
    files = sorted(icons.icons_dir().glob("*.svg"))
    assert {f.stem for f in files} == set(icons.NAMES)
    for path in files:
        renderer = QSvgRenderer(str(path))
        assert renderer.isValid(), path.name
        assert renderer.viewBoxF().width() == 24 and renderer.viewBoxF().height() == 24


@pytest.mark.parametrize("name", icons.NAMES)
def test_icon_is_not_null_and_draws_something(qapp, name):
    ic = icons.icon(name)
    assert not ic.isNull()
    image = ic.pixmap(QSize(24, 24)).toImage()
    assert image.size() == QSize(24, 24)
    assert _opaque_colours(image), name  # not an empty square


def test_icons_take_the_text_colour_of_the_theme_light_and_dark(qapp):
    before = theme.current_theme(qapp)
    try:
        for name in ("light", "dark"):
            theme.apply_theme(qapp, name)
            text = qapp.palette().color(QPalette.ColorRole.WindowText)
            image = icons.icon("search").pixmap(QSize(48, 48)).toImage()
            assert _opaque_colours(image) == {text.name()}
            window = qapp.palette().color(QPalette.ColorRole.Window)
            assert theme.contrast(text, window) >= 7
            disabled = icons.icon("search").pixmap(QSize(24, 24), QIcon.Mode.Disabled).toImage()
            assert _opaque_colours(disabled) == {icons.tint_colour(QIcon.Mode.Disabled).name()}
    finally:
        theme.apply_theme(qapp, before)


def test_high_dpi_pixmaps_are_rendered_at_device_size(qapp):
    pixmap = icons.icon("undo").pixmap(QSize(24, 24), 2.0)
    assert pixmap.size() == QSize(48, 48)
    assert pixmap.devicePixelRatio() == 2.0


def test_copies_of_an_icon_survive_the_original(qapp):
    import gc

    copies = []
    for _n in range(50):
        original = icons.icon("redo")
        copy = QIcon(original)
        copy.addPixmap(original.pixmap(QSize(8, 8)))  # detaches: Qt clones the engine
        copies.append(copy)
        del original
    gc.collect()
    assert all(not c.pixmap(QSize(32, 32)).isNull() for c in copies)


@pytest.fixture
def window(qtbot, tmp_path):
    session = ui_app.start(tmp_path / "x.sqlite3")
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
        pass
    qtbot.waitUntil(session.window.attached, timeout=20000)  # the database took over
    yield session.window
    session.close()


def test_sidebar_and_toolbar_carry_the_icons(window):
    sidebar = window.sidebar
    for row in range(sidebar.count()):
        item = sidebar.item(row)
        assert not item.icon().isNull(), item.data(Qt.ItemDataRole.UserRole)
    bar = window.findChild(QToolBar, "mainToolBar")
    names = [a.objectName() for a in bar.actions() if not a.isSeparator()]
    assert names[:5] == ["actionNew", "actionDelete", "actionUndo", "actionRedo", "actionFind"]
    assert "actionScreening" in names  # the installed part's command joined the toolbar
    for action in bar.actions():
        if not action.isSeparator():
            assert not action.icon().isNull(), action.objectName()
            button = bar.widgetForAction(action)
            assert button.objectName().startswith("toolButton")
            assert button.accessibleName()
    count = len(bar.actions())
    window.add_part_tools()  # a second database opened: nothing is added twice
    assert len(bar.actions()) == count
