"""A rich-text field: formatted on screen, stored as Markdown the briefing reads.

What the user sees is bold, italic, bullet and numbered lists and links; what is
stored is Qt's Markdown (``toMarkdown``), tidied so the briefing's markup parser
(``domain.briefing_markup``) reads it exactly: one line per paragraph or list item,
citations "[3]" unescaped, no trailing blank lines. Anything else (headings, images,
colours, fonts, tables, code) is reduced to those formats when a text is opened or
pasted. Links accept only http, https and mailto and are never opened: the app is
offline. Ctrl+Z/Ctrl+Y undo and redo inside the field.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QEvent, QMimeData, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QFont,
    QKeyEvent,
    QKeySequence,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
    QTextFormat,
    QTextListFormat,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from chinadialog_desktop.i18n import _
from chinadialog_desktop.ui.common.form_style import TEXT_DEBOUNCE_MS, error_style

SCHEMES = ("http", "https", "mailto")
BULLETS = QTextListFormat.Style.ListDisc
NUMBERS = QTextListFormat.Style.ListDecimal
KEYS = {
    "bold": QKeySequence("Ctrl+B"),
    "italic": QKeySequence("Ctrl+I"),
    "bullets": QKeySequence("Ctrl+Shift+L"),
    "numbers": QKeySequence("Ctrl+Shift+O"),
    "link": QKeySequence("Ctrl+K"),
    "redo": QKeySequence("Ctrl+Y"),
}

_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_NUMBER_GAP = re.compile(r"^(\d{1,3}[.)]) {2,}")
_CITATION = re.compile(r"\\\[(\d{1,4})\](?!\()")


def _kind(line: str) -> int:
    """1 for a bullet item, -1 for a numbered one, 0 for anything else."""
    if not _ITEM.match(line):
        return 0
    return -1 if line.lstrip()[:1].isdigit() else 1


def tidy_markdown(markdown: str) -> str:
    """Qt's Markdown as stored: paragraphs and list items on one line each, no line
    wrapping at 80 columns, "[3]" unescaped (a citation), no trailing blank lines."""
    lines: list[str] = []
    for raw in markdown.replace("\r\n", "\n").split("\n"):
        line = raw.rstrip()
        if not line.strip():
            if lines and lines[-1] != "":
                lines.append("")
            continue
        if lines and lines[-1] != "" and not _ITEM.match(line):
            lines[-1] += " " + line.strip()  # a wrapped continuation line
            continue
        lines.append(_NUMBER_GAP.sub(r"\1 ", line.lstrip() if _ITEM.match(line) else line))
    separated: list[str] = []
    for line in lines:  # a bullet list and a numbered list right after it: two lists
        if separated and separated[-1] and line and _kind(separated[-1]) * _kind(line) == -1:
            separated.append("")
        separated.append(line)
    text = "\n".join(separated).strip("\n")
    return _CITATION.sub(r"[\1]", text)


def valid_address(address: str) -> str | None:
    """The address if it is a web (http, https) or mail address, else None."""
    url = QUrl(address.strip(), QUrl.ParsingMode.StrictMode)
    if not url.isValid() or url.scheme().lower() not in SCHEMES:
        return None
    if url.scheme().lower() == "mailto":
        return address.strip() if "@" in url.path() else None
    return address.strip() if url.host() else None


def _plain_format(source: QTextCharFormat) -> QTextCharFormat:
    """Only bold, italic and an allowed link survive."""
    fmt = QTextCharFormat()
    if source.fontWeight() >= QFont.Weight.DemiBold.value:
        fmt.setFontWeight(QFont.Weight.Bold)
    if source.fontItalic():
        fmt.setFontItalic(True)
    if source.isAnchor() and source.anchorHref():
        href = valid_address(source.anchorHref())
        if href:
            fmt.setAnchor(True)
            fmt.setAnchorHref(href)
    return fmt


def reduced(source: QTextDocument) -> QTextDocument:
    """A copy of ``source`` with paragraphs, bullet and numbered lists, bold, italic
    and allowed links only; images, headings' sizes, colours and fonts are dropped."""
    target = QTextDocument()
    cursor = QTextCursor(target)
    block = source.begin()
    first = True
    previous_style: QTextListFormat.Style | None = None
    current_list: Any = None
    while block.isValid():
        if not first:
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        first = False
        text_list = block.textList()
        if text_list is not None:
            style = text_list.format().style()
            style = (
                NUMBERS
                if style
                in (
                    NUMBERS,
                    QTextListFormat.Style.ListLowerAlpha,
                    QTextListFormat.Style.ListUpperAlpha,
                    QTextListFormat.Style.ListLowerRoman,
                    QTextListFormat.Style.ListUpperRoman,
                )
                else BULLETS
            )
            if current_list is not None and previous_style == style:
                current_list.add(cursor.block())
            else:
                current_list = cursor.createList(style)
            previous_style = style
        else:
            current_list, previous_style = None, None
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.isValid():
                text = fragment.text().replace("\ufffc", "").replace("\u2028", " ")
                if text:
                    cursor.insertText(text, _plain_format(fragment.charFormat()))
            it += 1
        block = block.next()
    return target


_LITERAL = {"*": "\ue000", "_": "\ue001"}  # marks Qt's writer escapes unreliably


def markdown_of(document: QTextDocument) -> str:
    """``document`` as stored Markdown. A typed "*" or "_" is escaped here (Qt writes
    "**x**" typed as text as "\\**x**" and "_x_" bare, both read back as emphasis)."""
    clone = document.clone()
    hrefs = _links_as_tokens(clone)
    for char, mark in _LITERAL.items():
        cursor = QTextCursor(clone)
        while True:
            cursor = clone.find(char, cursor)
            if cursor.isNull():
                break
            cursor.insertText(mark)  # in the format of the character it replaces
    markdown = clone.toMarkdown()
    for char, mark in _LITERAL.items():
        markdown = markdown.replace(mark, "\\" + char)
    markdown = markdown.replace(_OPEN, "[")
    markdown = _CLOSE.sub(lambda m: f"]({_href_text(hrefs[int(m.group(1))])})", markdown)
    return tidy_markdown(markdown)


def _href_text(href: str) -> str:
    """An address as Markdown writes it: brackets and spaces percent-encoded."""
    for char, code in (("(", "%28"), (")", "%29"), (" ", "%20"), ("<", "%3C"), (">", "%3E")):
        href = href.replace(char, code)
    return href


_OPEN = "\ue010"
_CLOSE = re.compile("\ue011(\\d+)\ue012")


def _links_as_tokens(document: QTextDocument) -> list[str]:
    """Replace each link in ``document`` by its text between tokens; returns the addresses.

    Qt's writer leaves out bold and italic that begin or end with a link ("**[a](…)**"
    is written "[a](…)"), so links are written as plain text between tokens in the
    emphasis the whole link has, and made links again afterwards.
    """
    links: list[tuple[int, int, str]] = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            start, end = fragment.position(), fragment.position() + fragment.length()
            if fmt.isAnchor() and fmt.anchorHref():
                if links and links[-1][1] == start and links[-1][2] == fmt.anchorHref():
                    links[-1] = (links[-1][0], end, fmt.anchorHref())
                else:
                    links.append((start, end, fmt.anchorHref()))
            it += 1
        block = block.next()
    hrefs = [href for _s, _e, href in links]
    cursor = QTextCursor(document)
    cursor.beginEditBlock()
    for number in range(len(links) - 1, -1, -1):
        start, end, _href = links[number]
        bold = italic = True
        pieces = []
        for position in range(start, end):
            cursor.setPosition(position + 1)
            fmt = QTextCharFormat(cursor.charFormat())
            bold = bold and fmt.fontWeight() >= QFont.Weight.DemiBold.value
            italic = italic and fmt.fontItalic()
            for prop in (
                QTextFormat.Property.IsAnchor,
                QTextFormat.Property.AnchorHref,
                QTextFormat.Property.TextUnderlineStyle,  # a link's underline: not "_x_"
                QTextFormat.Property.FontUnderline,
            ):
                fmt.clearProperty(prop)
            pieces.append((position, fmt))
        for position, fmt in pieces:
            cursor.setPosition(position)
            cursor.setPosition(position + 1, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(fmt)
        token = QTextCharFormat()
        token.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
        token.setFontItalic(italic)
        cursor.setPosition(end)
        cursor.insertText(f"\ue011{number}\ue012", token)
        cursor.setPosition(start)
        cursor.insertText(_OPEN, token)
    cursor.endEditBlock()
    return hrefs


def markdown_reduced(markdown: str) -> str:
    source = QTextDocument()
    source.setMarkdown(markdown)
    return markdown_of(reduced(source))


class RichTextEdit(QTextEdit):
    """The editing surface; ``sig_finished`` after a pause in typing and on leaving."""

    sig_finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setAcceptRichText(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TEXT_DEBOUNCE_MS)
        self._timer.timeout.connect(self.sig_finished.emit)
        self.textChanged.connect(self._changed)
        self._loading = False
        self._stored = ""  # the text as loaded, returned while nothing was changed
        self._stored_as_shown = ""  # what toMarkdown gives for it, tidied

    # -- loading and storing ----------------------------------------------
    def set_markdown_quietly(self, markdown: str) -> None:
        """Show ``markdown`` formatted (also text from the old plain editor)."""
        self._loading = True
        try:
            self.setMarkdown(markdown_reduced(markdown))
            self.document().clearUndoRedoStacks()
            self._stored = markdown
            self._stored_as_shown = markdown_of(self.document())
        finally:
            self._loading = False

    def markdown(self) -> str:
        """The text to store; the loaded text itself while the field shows it unchanged."""
        shown = markdown_of(self.document())
        return self._stored if shown == self._stored_as_shown else shown

    def _changed(self) -> None:
        if not self._loading:
            self._timer.start()

    def flush(self) -> None:
        """Report now what is pending (leaving the field, closing the window)."""
        if self._timer.isActive():
            self._timer.stop()
            self.sig_finished.emit()

    def pending(self) -> bool:
        """Typed text not yet reported (the pause after typing is still running)."""
        return self._timer.isActive()

    def set_pending(self, pending: bool) -> None:
        """Hold back (False) or ask again for (True) the report of typed text."""
        if pending:
            self._timer.start()
        else:
            self._timer.stop()

    def focusOutEvent(self, event: Any) -> None:  # noqa: N802
        self.flush()
        super().focusOutEvent(event)

    # -- pasting: plain text and the supported formats only ----------------
    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802
        return source.hasHtml() or source.hasText()

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802
        if source.hasHtml():
            document = QTextDocument()
            document.setHtml(source.html())
            self.textCursor().insertFragment(QTextDocumentFragment(reduced(document)))
        elif source.hasText():
            self.textCursor().insertText(source.text().replace("\u2028", "\n"))
        self.ensureCursorVisible()

    # -- keys ---------------------------------------------------------------
    def _command(self, event: QKeyEvent) -> str | None:
        pressed = QKeySequence(event.keyCombination())
        for name, keys in KEYS.items():
            if pressed.matches(keys) == QKeySequence.SequenceMatch.ExactMatch:
                return name
        return None

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._command(event) is not None  # ours, not the menu's (Ctrl+I: import)
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        command = self._command(event)
        if command is not None:
            self.run(command)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):  # a line break would be a space in the stored text: a new paragraph instead
            self.textCursor().insertBlock()
            return
        if event.text() and event.text().isprintable():
            self._leave_link_end()
        super().keyPressEvent(event)

    def _leave_link_end(self) -> None:
        """Typing just after a link writes plain text, not more of the link."""
        cursor = self.textCursor()
        if cursor.hasSelection() or not self.currentCharFormat().isAnchor():
            return
        after = QTextCursor(cursor)
        if after.atBlockEnd() or not after.movePosition(QTextCursor.MoveOperation.Right):
            inside = False
        else:
            inside = after.charFormat().anchorHref() == self.currentCharFormat().anchorHref()
        if not inside:
            fmt = _plain_format(self.currentCharFormat())
            fmt.clearProperty(QTextFormat.Property.IsAnchor)
            fmt.clearProperty(QTextFormat.Property.AnchorHref)
            fmt.setAnchor(False)
            self.setCurrentCharFormat(fmt)

    def run(self, command: str) -> None:
        if command == "bold":
            self.toggle_bold()
        elif command == "italic":
            self.toggle_italic()
        elif command == "bullets":
            self.toggle_list(BULLETS)
        elif command == "numbers":
            self.toggle_list(NUMBERS)
        elif command == "link":
            self.edit_link()
        elif command == "redo":
            self.redo()

    # -- formats --------------------------------------------------------------
    def _all_selected(self, test: Any) -> bool:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return bool(test(self.currentCharFormat()))
        probe = QTextCursor(self.document())
        for position in range(cursor.selectionStart() + 1, cursor.selectionEnd() + 1):
            probe.setPosition(position)
            if self.document().characterAt(position - 1) in ("\u2029", "\u2028"):
                continue
            if not test(probe.charFormat()):
                return False
        return True

    def _merge(self, fmt: QTextCharFormat) -> None:
        """On the selection as one undo step, else on what is typed next."""
        self.mergeCurrentCharFormat(fmt)

    def toggle_bold(self) -> None:
        bold = self._all_selected(lambda f: f.fontWeight() >= QFont.Weight.DemiBold.value)
        fmt = QTextCharFormat()
        fmt.setFontWeight(QFont.Weight.Normal if bold else QFont.Weight.Bold)
        self._merge(fmt)

    def toggle_italic(self) -> None:
        italic = self._all_selected(lambda f: f.fontItalic())
        fmt = QTextCharFormat()
        fmt.setFontItalic(not italic)
        self._merge(fmt)

    def toggle_list(self, style: QTextListFormat.Style) -> None:
        """The paragraphs touched become list items of ``style``, or plain paragraphs
        again if they all are already."""
        cursor = self.textCursor()
        document = self.document()
        first = document.findBlock(cursor.selectionStart())
        last = document.findBlock(cursor.selectionEnd())
        blocks = []
        block = first
        while block.isValid():
            blocks.append(block)
            if block == last:
                break
            block = block.next()
        already = all(
            b.textList() is not None and b.textList().format().style() == style for b in blocks
        )
        cursor.beginEditBlock()
        if already:
            for b in blocks:
                text_list = b.textList()
                if text_list is not None:
                    text_list.remove(b)
                edit = QTextCursor(b)
                fmt = b.blockFormat()
                fmt.setIndent(0)
                edit.setBlockFormat(fmt)
        else:
            for b in blocks:
                if b.textList() is not None:
                    b.textList().remove(b)
            head = QTextCursor(blocks[0])
            list_format = QTextListFormat()
            list_format.setStyle(style)
            new_list = head.createList(list_format)
            for b in blocks[1:]:
                new_list.add(b)
        cursor.endEditBlock()

    # -- links -----------------------------------------------------------------
    def link_at_cursor(self) -> tuple[int, int, str] | None:
        """Start, end and address of the link the cursor stands in."""
        cursor = self.textCursor()
        position = cursor.selectionStart() if cursor.hasSelection() else cursor.position()
        block = self.document().findBlock(position)
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            start, end = fragment.position(), fragment.position() + fragment.length()
            if fmt.isAnchor() and start <= position <= end and (start < position or end > position):
                href = fmt.anchorHref()
                # neighbours with the same address belong to the same link
                return (*self._link_extent(block, href, start, end), href)
            it += 1
        return None

    def _link_extent(self, block: Any, href: str, start: int, end: int) -> tuple[int, int]:
        parts = []
        it = block.begin()
        while not it.atEnd():
            f = it.fragment()
            parts.append((f.position(), f.position() + f.length(), f.charFormat().anchorHref()))
            it += 1
        changed = True
        while changed:
            changed = False
            for s, e, h in parts:
                if h == href and e == start:
                    start, changed = s, True
                if h == href and s == end:
                    end, changed = e, True
        return start, end

    def set_link(self, address: str) -> bool:
        """Link the selection (or the link the cursor is in, or insert the address) to
        ``address``; an empty address removes the link. False if it is not allowed."""
        cursor = self.textCursor()
        current = self.link_at_cursor()
        if not cursor.hasSelection() and current is not None:
            cursor.setPosition(current[0])
            cursor.setPosition(current[1], QTextCursor.MoveMode.KeepAnchor)
        if not address.strip():
            if cursor.hasSelection():
                self._unlink(cursor.selectionStart(), cursor.selectionEnd())
            return True
        href = valid_address(address)
        if href is None:
            return False
        fmt = QTextCharFormat()
        fmt.setAnchor(True)
        fmt.setAnchorHref(href)
        fmt.setForeground(self.palette().link())
        fmt.setFontUnderline(True)
        if cursor.hasSelection():
            cursor.mergeCharFormat(fmt)
        else:
            shown = href.removeprefix("mailto:")
            base = QTextCharFormat(self.currentCharFormat())
            base.merge(fmt)
            cursor.insertText(shown, base)
            plain = QTextCharFormat(self.currentCharFormat())
            plain.setAnchor(False)
            plain.setAnchorHref("")
            plain.clearForeground()
            plain.setFontUnderline(False)
            self.setCurrentCharFormat(plain)
        self.setTextCursor(cursor)
        return True

    def _unlink(self, start: int, end: int) -> None:
        """Text in [start, end) keeps bold and italic, loses its link."""
        pieces = []
        block = self.document().findBlock(start)
        while block.isValid() and block.position() < end:
            it = block.begin()
            while not it.atEnd():
                f = it.fragment()
                s, e = max(start, f.position()), min(end, f.position() + f.length())
                if s < e:
                    fmt = _plain_format(f.charFormat())
                    pieces.append((s, e, fmt))
                it += 1
            block = block.next()
        edit = QTextCursor(self.document())
        edit.beginEditBlock()
        for s, e, fmt in pieces:
            fmt.clearProperty(QTextFormat.Property.IsAnchor)
            fmt.clearProperty(QTextFormat.Property.AnchorHref)
            edit.setPosition(s)
            edit.setPosition(e, QTextCursor.MoveMode.KeepAnchor)
            edit.setCharFormat(fmt)
        edit.endEditBlock()

    def edit_link(self) -> None:
        current = self.link_at_cursor()
        dialog = LinkDialog(current[2] if current else "", self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.set_link(dialog.address())


class LinkDialog(QDialog):
    """Asks for a web or mail address; says in one sentence what is wrong with another."""

    def __init__(self, address: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("linkDialog")
        self.setWindowTitle(_("Link"))
        layout = QVBoxLayout(self)
        caption = QLabel(_("Address (https://…, http://… or mailto:…); empty removes the link:"))
        caption.setWordWrap(True)
        self.edit = QLineEdit(address, self)
        self.edit.setObjectName("linkAddress")
        self.edit.setAccessibleName(_("Link address"))
        caption.setBuddy(self.edit)
        self.error = QLabel(self)
        self.error.setObjectName("linkAddressError")
        self.error.setStyleSheet(error_style(self))
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for widget in (caption, self.edit, self.error, buttons):
            layout.addWidget(widget)

    def address(self) -> str:
        return self.edit.text().strip()

    def accept(self) -> None:
        text = self.address()
        if text and valid_address(text) is None:
            self.error.setText(
                _(
                    "“{address}” is not a web or mail address: it must start with "
                    "https://, http:// or mailto:."
                ).format(address=text)
            )
            self.error.show()
            self.edit.setFocus()
            return
        super().accept()


class RichTextEditor(QWidget):
    """A :class:`RichTextEdit` with a small toolbar (bold, italic, lists, link)."""

    def __init__(self, name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.text = RichTextEdit(self)
        self.text.setObjectName(f"{name}_text")
        self.text.setAccessibleName(title)
        self.buttons: dict[str, QToolButton] = {}
        for command, caption, tip in (
            # short captions, as word processors show them: the bar fits a 1024 px screen
            ("bold", _("B"), _("Bold on or off (Ctrl+B)")),
            ("italic", _("I"), _("Italic on or off (Ctrl+I)")),
            ("bullets", "•", _("Bulleted list on or off (Ctrl+Shift+L)")),
            ("numbers", "1.", _("Numbered list on or off (Ctrl+Shift+O)")),
            ("link", _("Link …"), _("Add, change or remove a link (Ctrl+K)")),
        ):
            button = QToolButton(self)
            button.setObjectName(f"{name}_{command}")
            button.setText(caption)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the text keeps its selection
            button.clicked.connect(lambda _c=False, c=command: self._button(c))
            if command in ("bold", "italic"):
                button.setCheckable(True)
            self.buttons[command] = button
            bar.addWidget(button)
        bold_font = self.buttons["bold"].font()
        bold_font.setBold(True)
        self.buttons["bold"].setFont(bold_font)
        italic_font = self.buttons["italic"].font()
        italic_font.setItalic(True)
        self.buttons["italic"].setFont(italic_font)
        bar.addStretch(1)
        layout.addLayout(bar)
        layout.addWidget(self.text, 1)
        self.text.currentCharFormatChanged.connect(self._show_format)

    def _button(self, command: str) -> None:
        self.text.run(command)
        self.text.setFocus()

    def _show_format(self, fmt: QTextCharFormat) -> None:
        self.buttons["bold"].setChecked(fmt.fontWeight() >= QFont.Weight.DemiBold.value)
        self.buttons["italic"].setChecked(fmt.fontItalic())
