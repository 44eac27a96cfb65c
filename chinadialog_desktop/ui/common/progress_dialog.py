"""The one progress dialog for work in the background: named and accessible in every part.

``QProgressDialog`` makes its own Cancel button, label and bar without object or
accessible names. They exist from construction on, shown or not (the dialog only
appears after its minimum duration), and stay children of the parent window until
the deferred delete runs — so screen readers and the widget-naming tests meet them
whenever the work happens to take long. Every part gets a name here, once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QProgressDialog, QPushButton, QWidget

from chinadialog_desktop.i18n import _


def progress_dialog(
    parent: QWidget | None,
    *,
    name: str,
    title: str,
    label: str,
    accessible_name: str,
    maximum: int = 0,
    minimum_duration: int = 400,
    manual_close: bool = True,
) -> QProgressDialog:
    """A window-modal progress dialog with Cancel; ``name`` prefixes every part's object name.

    ``maximum=0`` shows a busy bar until the first progress report sets the range.
    With ``manual_close`` the dialog neither resets nor closes itself at 100 %:
    the code that started the work closes it when the result has arrived.
    """
    dialog = QProgressDialog(parent)
    dialog.setObjectName(name)
    dialog.setAccessibleName(accessible_name)
    dialog.setWindowTitle(title)

    text = QLabel(label, dialog)
    text.setObjectName(f"{name}Label")
    text.setAccessibleName(accessible_name)
    dialog.setLabel(text)

    bar = QProgressBar(dialog)
    bar.setObjectName(f"{name}Bar")
    bar.setAccessibleName(accessible_name)
    dialog.setBar(bar)

    cancel = QPushButton(_("Cancel"), dialog)
    cancel.setObjectName(f"{name}CancelButton")
    cancel.setAccessibleName(_("Cancel"))
    cancel.setAccessibleDescription(title)
    dialog.setCancelButton(cancel)

    dialog.setRange(0, maximum)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(minimum_duration)
    if manual_close:
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
    return dialog
