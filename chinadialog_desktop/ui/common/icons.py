"""SVG icons from resources/icons, drawn sharp at any scale in the palette's text colour.

The files are single-colour line drawings. Qt's SVG renderer knows no
``currentColor``, so :class:`TintedSvgEngine` renders the drawing and then
paints it over in the colour of the current palette (text, disabled text or
highlighted text) each time it is drawn: after a switch to the dark theme the
icons turn light with the text around them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import shiboken6
from PySide6.QtCore import QByteArray, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QAction,
    QColor,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QImage,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QListWidget, QWidget

from chinadialog_desktop.domain.kinds import REGISTRY, Kind
from chinadialog_desktop.paths import resources_dir

NAMES = (
    "partnerships",
    "actors",
    "dossiers",
    "sources",
    "checklists",
    "datasets",
    "new",
    "delete",
    "undo",
    "redo",
    "search",
    "briefing",
    "import",
    "screening",
)

# Sidebar page keys and window actions (by objectName) with their icons; a kind of the
# registry has its own.
PAGE_ICONS = {
    **{kind.value: REGISTRY[kind].icon for kind in (Kind.PARTNERSHIP, Kind.ACTOR, Kind.SOURCE)},
    "dossier": "dossiers",
    "assessment": "checklists",
    "datasets": "datasets",
}
ACTION_ICONS = {
    "actionNew": "new",
    "actionDelete": "delete",
    "actionUndo": "undo",
    "actionRedo": "redo",
    "actionFind": "search",
    "actionExportBriefing": "briefing",
    "actionExportBriefingWord": "briefing",
    "actionBriefingPreview": "briefing",
    "actionImportDataset": "import",
    "actionScreening": "screening",
    "actionAssessment": "checklists",
}


def icons_dir() -> Path:
    return resources_dir() / "icons"


APP_ICON = "chinadialog.png"  # made by tools/make_app_icon.py from icons/app/chinadialog.svg


def app_icon() -> QIcon:
    """The application's own icon (title bars, task bar, Alt+Tab), in full colour."""
    return QIcon(str(icons_dir() / APP_ICON))


def icon_path(name: str) -> Path:
    return icons_dir() / f"{name}.svg"


@cache
def _svg_data(name: str) -> bytes:
    return icon_path(name).read_bytes()


def tint_colour(mode: QIcon.Mode, palette: QPalette | None = None) -> QColor:
    """The colour an icon is drawn in for ``mode`` under ``palette`` (default: the app's)."""
    palette = palette if palette is not None else QGuiApplication.palette()
    if mode == QIcon.Mode.Disabled:
        return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
    if mode == QIcon.Mode.Selected:
        return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText)
    return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText)


class TintedSvgEngine(QIconEngine):
    """Renders one SVG at the requested size, recoloured to the palette at paint time."""

    def __init__(self, name: str, data: bytes) -> None:
        super().__init__()
        self.name = name
        self.data = data
        self._cache: dict[tuple[int, int, int, int], QPixmap] = {}

    def renderer(self) -> QSvgRenderer:
        return QSvgRenderer(QByteArray(self.data))

    def _image(self, size: QSize, colour: QColor) -> QImage:
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        side = min(size.width(), size.height())
        if side <= 0:
            return image
        target = QRectF(
            (size.width() - side) / 2, (size.height() - side) / 2, float(side), float(side)
        )
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.renderer().render(painter, target)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        painter.fillRect(image.rect(), colour)
        painter.end()
        return image

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        colour = tint_colour(mode)
        key = (size.width(), size.height(), int(mode.value), colour.rgba())
        cached = self._cache.get(key)
        if cached is None:
            if len(self._cache) > 64:
                self._cache.clear()
            cached = QPixmap.fromImage(self._image(size, colour))
            self._cache[key] = cached
        return cached

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        size = QSize(max(1, round(rect.width() * ratio)), max(1, round(rect.height() * ratio)))
        pixmap = QPixmap(self.pixmap(size, mode, state))
        pixmap.setDevicePixelRatio(ratio)
        painter.drawPixmap(QPoint(rect.x(), rect.y()), pixmap)

    def scaledPixmap(  # noqa: N802
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        device = QSize(max(1, round(size.width() * scale)), max(1, round(size.height() * scale)))
        pixmap = QPixmap(self.pixmap(device, mode, state))
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:  # noqa: N802
        side = min(size.width(), size.height())
        return QSize(side, side)

    def clone(self) -> QIconEngine:
        return _keep(TintedSvgEngine(self.name, self.data))

    def key(self) -> str:
        return "chinadialog-tinted-svg"

    def iconName(self) -> str:  # noqa: N802
        return self.name

    def isNull(self) -> bool:  # noqa: N802
        return not self.data


# QIcon deletes its engine in C++ but does not take the Python object over: without a
# reference here, Python would free an engine a QIcon still uses (a crash on the next
# paint). Engines whose QIcon is gone are invalid wrappers and are dropped now and then.
_engines: list[TintedSvgEngine] = []


def _keep(engine: TintedSvgEngine) -> TintedSvgEngine:
    if len(_engines) >= 256:
        _engines[:] = [e for e in _engines if shiboken6.isValid(e)]
    _engines.append(engine)
    return engine


def icon(name: str) -> QIcon:
    """The icon ``name`` (see ``NAMES``) from resources/icons, tinted to the palette."""
    return QIcon(_keep(TintedSvgEngine(name, _svg_data(name))))


def apply_window_icons(window: QWidget) -> int:
    """Give the sidebar's pages and the window's known actions their icons; returns how many."""
    done = 0
    sidebar = window.findChild(QListWidget, "sidebar")
    if sidebar is not None:
        sidebar.setIconSize(QSize(20, 20))
        for row in range(sidebar.count()):
            item = sidebar.item(row)
            name = PAGE_ICONS.get(item.data(Qt.ItemDataRole.UserRole))
            if name is not None:
                item.setIcon(icon(name))
                done += 1
    for action in window.findChildren(QAction):
        name = ACTION_ICONS.get(action.objectName())
        if name is not None and action.icon().isNull():
            action.setIcon(icon(name))
            done += 1
    return done
