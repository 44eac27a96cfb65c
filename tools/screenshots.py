"""Screenshots of the main screens in one theme, taken from the X display (run under Xvfb).

    chinadialog --db /tmp/shots/demo.sqlite3 demo load
    chinadialog --db /tmp/shots/demo.sqlite3 checklist install-bundled
    xvfb-run -a -s "-screen 0 1280x800x24" \\
        .venv/bin/python tools/screenshots.py /tmp/shots/demo.sqlite3 dark docs/screenshots

writes ``<screen>-<theme>-de.png`` (partnerships, actors, dossier) with ImageMagick's
``import -window root``. The preferences live in a temporary folder, never the user's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

SCREENS = {
    # screen name: (page, record title to select, dossier tab or None)
    "partnerships": ("partnership", "Braunschweig–Zhuhai", None),
    "actors": ("actor", "Zhuhai", None),
    "dossier": ("dossier", "Städtepartnerschaft Braunschweig–Zhuhai", 1),
    "dossier-details": ("dossier", "Städtepartnerschaft Braunschweig–Zhuhai", 0),
    # Needs a confirmed screening hit in the file (see README, "Screenshots").
    "confirmed-hit": ("dossier", "Prüfung einer Hochschulkooperation", 0),
}
DEFAULT = ("partnerships", "actors", "dossier", "dossier-details")


def _wait(ms: int) -> None:
    from PySide6.QtTest import QTest

    QTest.qWait(ms)


def _select(window: Any, page_key: str, title: str) -> None:
    page = window.show_page(page_key)
    model = page.model
    for row in range(model.rowCount()):
        text = str(model.index(row, 0).data() or "")
        if text == title or text.startswith(title):
            page.table.selectRow(row)
            page.table.scrollTo(model.index(row, 0), page.table.ScrollHint.PositionAtCenter)
            return
    raise SystemExit(f"{page_key}: no record {title!r}")


def main(argv: list[str]) -> int:
    database, theme, out_dir = Path(argv[0]), argv[1], Path(argv[2])
    wanted = argv[3:] or list(DEFAULT)
    config = tempfile.mkdtemp(prefix="chinadialog-shots-")
    os.environ["XDG_CONFIG_HOME"] = config
    os.environ["CHINADIALOG_LANG"] = "de"
    from PySide6.QtCore import QSettings

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, config)

    from chinadialog_desktop.i18n import set_language
    from chinadialog_desktop.ui import app as ui_app
    from chinadialog_desktop.ui.preferences.settings import THEME, Settings

    set_language("de")
    ui_app.application()
    Settings().set(THEME, theme)
    session = ui_app.start(database)
    window = session.window
    window.setGeometry(0, 0, 1280, 800)
    while window.workspace is None and session.error is None:
        _wait(100)
    _wait(500)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in wanted:
        page_key, title, tab = SCREENS[name]
        _select(window, page_key, title)
        editor = window.pages[page_key].editor
        if tab is not None:
            editor.main_tabs.setCurrentIndex(tab)
        editor.verticalScrollBar().setValue(0)
        _wait(600)
        target = out_dir / f"{name}-{theme}-de.png"
        subprocess.run(["import", "-window", "root", str(target)], check=True)
        print(target)
    window.close()
    session.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
