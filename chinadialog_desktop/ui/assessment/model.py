"""The items of an assessment grouped by field of action, as a two-level Qt item model."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

from chinadialog_desktop.domain.labels import label
from chinadialog_desktop.domain.scoring import ChanceLevel
from chinadialog_desktop.i18n import N_, _

ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SECTION_ID_ROLE = Qt.ItemDataRole.UserRole + 2
LIGHT_ROLE = Qt.ItemDataRole.UserRole + 3
FLAGS_ROLE = Qt.ItemDataRole.UserRole + 4  # set of "open", "blocker", "stale", "changed", "na"

# Traffic-light colours: they carry meaning, so they are the same in light and dark mode;
# text is never drawn in them, only the squares.
LIGHT_COLOURS = {
    "green": "#2e9e44",
    "yellow": "#e6b400",
    "red": "#d33a32",
    "grey": "#8a8f96",
    # The chance side (sections of kind "chance"): shades of blue, drawn as circles so
    # that a chance level never looks like a traffic light; the word stands beside it.
    "chance_high": "#1f5fa8",
    "chance_medium": "#6f9fd8",
    "chance_low": "#d3e2f4",
    "chance_none": "#8a8f96",
}
CHANCE_PREFIX = "chance_"
LIGHT_WORDS = {
    "green": N_("green"),
    "yellow": N_("yellow"),
    "red": N_("red"),
    "grey": N_("grey"),
}
# Translucent highlights that stay readable over a light and a dark base colour.
HIGHLIGHTS = {
    "blocker": QColor(211, 58, 50, 70),
    "stale": QColor(230, 140, 0, 60),
    "changed": QColor(60, 120, 220, 55),
    "open": QColor(230, 180, 0, 40),
}

COLUMNS = (N_("Question"), N_("Answer"), N_("Status"))
_TOP = 0  # internal id of a section row; an item row carries its section's row + 1


def light_pixmap(light: str, size: int = 12) -> QPixmap:
    """A filled square in the light's colour with a thin outline (visible on any background);
    a filled circle for a chance level (``chance_high`` …)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, light.startswith(CHANCE_PREFIX))
    painter.setPen(QApplication.palette().color(QPalette.ColorRole.WindowText))
    painter.setBrush(QColor(LIGHT_COLOURS.get(light, LIGHT_COLOURS["grey"])))
    if light.startswith(CHANCE_PREFIX):
        painter.drawEllipse(0, 0, size - 1, size - 1)
    else:
        painter.drawRect(0, 0, size - 1, size - 1)
    painter.end()
    return pixmap


def chance_key(level: str) -> str:
    """The display key of a chance level (``high`` → ``chance_high``)."""
    return CHANCE_PREFIX + level


def chance_word(level: str) -> str:
    """„Chancen hoch“, „Chancen gering“ …: the chance level in words."""
    return _("chances {level}").format(level=label(ChanceLevel, level))


def light_word(light: str) -> str:
    """grün, gelb, rot or grau: the word next to the colour square (no colour alone);
    for a chance level (``chance_high``) its words."""
    if light.startswith(CHANCE_PREFIX):
        return chance_word(light.removeprefix(CHANCE_PREFIX))
    return _(LIGHT_WORDS.get(light, LIGHT_WORDS["grey"]))


def section_key(section: dict[str, Any]) -> str:
    """The light of a risk section, or the chance key of a chance section."""
    if section.get("kind") == "chance":
        return chance_key(section["level"])
    return str(section["light"])


def progress_text(answered: int, applicable: int) -> str:
    return _("{answered} of {applicable} answered").format(answered=answered, applicable=applicable)


def item_flags(item: dict[str, Any]) -> set[str]:
    """What the view highlights and filters on for one item of ``assessment_report``."""
    flags: set[str] = set()
    if item["applicability"] not in ("applicable", "answered_na"):
        flags.add("na")
    if item["open"]:
        flags.add("open")
    if item["blocker"]:
        flags.add("blocker")
    if item["blocker_hit"]:
        flags.add("blocker_hit")
    if item["stale"]:
        flags.add("stale")
    if item["changed_item"]:
        flags.add("changed")
    return flags


def status_words(item: dict[str, Any]) -> list[str]:
    words: list[str] = []
    applicability = item["applicability"]
    if applicability == "not_for_type":
        words.append(_("not for this type of partnership"))
    elif applicability == "dependency":
        words.append(_("asked only after another answer"))
    elif applicability == "answered_na":
        words.append(_("not applicable"))
    if item["open"]:
        words.append(_("open"))
    if item["blocker_hit"]:
        words.append(_("BLOCKER"))
    elif item["blocker"]:
        words.append(_("blocker item"))
    if item["risk"] and not item["blocker_hit"]:
        words.append(
            _("risk {points} of {max}").format(points=item["points"], max=item["max_points"])
        )
    if item.get("kind") == "chance" and item["chance_points"]:
        words.append(
            _("chance {points} of {max}").format(
                points=item["chance_points"], max=item["max_chance_points"]
            )
        )
    if item["stale"]:
        words.append(_("stale (review date passed)"))
    if item["changed_item"]:
        words.append(_("changed in the new template version"))
    return words


class AssessmentTreeModel(QAbstractItemModel):
    """Fields of action at the top, their items below; fed with ``assessment_report`` data."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._sections: list[dict[str, Any]] = []
        self._items: list[list[dict[str, Any]]] = []
        self._where: dict[str, tuple[int, int]] = {}
        self._icons: dict[str, QIcon] = {}

    # -- feeding -------------------------------------------------------------
    def set_report(self, report: dict[str, Any] | None) -> None:
        """Show ``report``; same items as before → repaint in place (selection stays)."""
        # Both sides, in template order: the risk fields and the chance fields.
        by_id = (
            {s["id"]: s for s in [*report["sections"], *report["chance_sections"]]}
            if report
            else {}
        )
        order = list(dict.fromkeys(i["section"] for i in report["items"])) if report else []
        sections = [by_id[sid] for sid in order if sid in by_id]
        items: list[list[dict[str, Any]]] = [[] for _s in sections]
        position = {s["id"]: n for n, s in enumerate(sections)}
        for item in report["items"] if report else []:
            items[position[item["section"]]].append(item)
        same = [s["id"] for s in sections] == [s["id"] for s in self._sections] and [
            [i["id"] for i in group] for group in items
        ] == [[i["id"] for i in group] for group in self._items]
        if same:
            self._sections, self._items = sections, items
            if sections:
                last = self.columnCount() - 1
                self.dataChanged.emit(self.index(0, 0), self.index(len(sections) - 1, last))
                for row in range(len(sections)):
                    if items[row]:
                        parent = self.index(row, 0)
                        self.dataChanged.emit(
                            self.index(0, 0, parent), self.index(len(items[row]) - 1, last, parent)
                        )
            return
        self.beginResetModel()
        self._sections, self._items = sections, items
        self._where = {
            item["id"]: (s_row, i_row)
            for s_row, group in enumerate(items)
            for i_row, item in enumerate(group)
        }
        self.endResetModel()

    def item(self, item_id: str) -> dict[str, Any] | None:
        where = self._where.get(item_id)
        return self._items[where[0]][where[1]] if where else None

    def number(self, item_id: str) -> str:
        """``"3.2"``: the field of action's and the question's position, as people cite it."""
        where = self._where.get(item_id)
        return f"{where[0] + 1}.{where[1] + 1}" if where is not None else item_id

    def item_ids(self) -> list[str]:
        return [i["id"] for group in self._items for i in group]

    def index_of(self, item_id: str) -> QModelIndex:
        where = self._where.get(item_id)
        if where is None:
            return QModelIndex()
        return self.index(where[1], 0, self.index(where[0], 0))

    def section_index(self, section_id: str) -> QModelIndex:
        for row, section in enumerate(self._sections):
            if section["id"] == section_id:
                return self.index(row, 0)
        return QModelIndex()

    # -- structure -----------------------------------------------------------
    def index(self, row: int, column: int, parent: Any = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= len(COLUMNS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return (
                self.createIndex(row, column, _TOP) if row < len(self._sections) else QModelIndex()
            )
        if parent.internalId() != _TOP or parent.column() != 0:
            return QModelIndex()
        section = parent.row()
        if section >= len(self._items) or row >= len(self._items[section]):
            return QModelIndex()
        return self.createIndex(row, column, section + 1)

    # PySide6's stubs merge QObject.parent() and QAbstractItemModel.parent(index) into one
    # overload set that no Python override can match: a stub gap, hence the ignore.
    def parent(self, child: Any = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid() or child.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, _TOP)

    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: N802, B008
        if not parent.isValid():
            return len(self._sections)
        if parent.internalId() == _TOP and parent.column() == 0:
            return len(self._items[parent.row()]) if parent.row() < len(self._items) else 0
        return 0

    def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: N802, B008
        return len(COLUMNS)

    def hasChildren(self, parent: Any = QModelIndex()) -> bool:  # noqa: N802, B008
        return self.rowCount(parent) > 0

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return _(COLUMNS[section])
        return None

    # -- data ----------------------------------------------------------------
    def _icon(self, light: str) -> QIcon:
        if light not in self._icons:
            self._icons[light] = QIcon(light_pixmap(light))
        return self._icons[light]

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            return self._section_data(index.row(), index.column(), role)
        item = self._items[index.internalId() - 1][index.row()]
        return self._item_data(item, index.column(), role)

    def section_caption(self, row: int) -> str:
        """``"3 · Politische und Wertekonflikte"``: a field of action as its questions cite it
        (question 3.2 is the second of field 3)."""
        return f"{row + 1} · {self._sections[row]['title']}"

    def _section_data(self, row: int, column: int, role: int) -> Any:
        section = self._sections[row]
        light = section_key(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return self.section_caption(row)
            if column == 1:
                return light_word(light)
            return progress_text(section["answered"], section["applicable"])
        if role == Qt.ItemDataRole.DecorationRole and column == 1:
            return self._icon(light)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and section.get("kind") == "chance":
            return "\n".join(
                [
                    f"{self.section_caption(row)}: {light_word(light)}",
                    progress_text(section["answered"], section["applicable"]),
                    _("chances {points} of {max} points ({percent} %)").format(
                        points=section["points"],
                        max=section["max_points"],
                        percent=round(section["chance_percent"]),
                    ),
                ]
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [
                f"{self.section_caption(row)}: {light_word(light)}"
                + (" ({})".format(_("not assessed yet")) if light == "grey" else ""),
                progress_text(section["answered"], section["applicable"]),
                _("risk {points} of {max} points ({percent} %)").format(
                    points=section["points"],
                    max=section["max_points"],
                    percent=round(section["risk_percent"]),
                ),
            ]
            if section["blockers"]:
                numbers = ", ".join(self.number(i) for i in section["blockers"])
                parts.append(_("Blockers: {items}").format(items=numbers))
            if section["stale_items"]:
                numbers = ", ".join(self.number(i) for i in section["stale_items"])
                parts.append(_("Stale: {items}").format(items=numbers))
            return "\n".join(parts)
        if role == SECTION_ID_ROLE:
            return section["id"]
        if role == LIGHT_ROLE:
            return light
        return None

    def _item_data(self, item: dict[str, Any], column: int, role: int) -> Any:
        flags = item_flags(item)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:  # numbered as people cite it ("3.2"), never by its internal id
                return f"{self.number(item['id'])}  {item['question']}"
            if column == 1:
                return item["answer_label"] or ("—" if item["answer"] is None else item["answer"])
            return "; ".join(status_words(item))
        if role == Qt.ItemDataRole.ForegroundRole and "na" in flags:
            return QBrush(
                QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
            )
        if role == Qt.ItemDataRole.BackgroundRole and "na" not in flags:
            for flag in ("blocker_hit", "stale", "changed", "open"):
                key = "blocker" if flag == "blocker_hit" else flag
                if flag in flags:
                    return QBrush(HIGHLIGHTS[key])
            return None
        if role == Qt.ItemDataRole.FontRole and (
            "blocker_hit" in flags or ("blocker" in flags and column == 0)
        ):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join([item["question"], *status_words(item)])
        if role == ITEM_ID_ROLE:
            return item["id"]
        if role == SECTION_ID_ROLE:
            return item["section"]
        if role == FLAGS_ROLE:
            return sorted(flags)
        return None

    def item_count(self) -> int:
        return sum(len(group) for group in self._items)

    def overview(self) -> list[tuple[str, str, str]]:
        """(section id, title, light or chance key) per field, in order."""
        return [(s["id"], s["title"], section_key(s)) for s in self._sections]

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)


__all__ = [
    "COLUMNS",
    "FLAGS_ROLE",
    "ITEM_ID_ROLE",
    "LIGHT_COLOURS",
    "LIGHT_ROLE",
    "LIGHT_WORDS",
    "SECTION_ID_ROLE",
    "AssessmentTreeModel",
    "item_flags",
    "light_pixmap",
    "light_word",
    "progress_text",
    "status_words",
]
