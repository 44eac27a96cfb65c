"""The handbook's screenshots, taken from the real windows on the demo data, in German.

    PYTHONPATH=. .venv/bin/python tools/handbook_screenshots.py [resources/handbook/images]

Runs on Qt's offscreen platform with a 1024×768 screen (the smallest the windows are made
for), in a temporary folder with its own preferences and database: the demo data, the
bundled checklist, and the small FollowTheMoney test list with two actors on it, so that
the screening window has hits to show. Writes partnerships.png, dossier.png,
assessment.png, screening.png, briefing-preview.png and import.png.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FTM_LIST = ROOT / "tests" / "fixtures" / "ftm" / "china_v1.ftm.json"


def _screen(folder: Path) -> None:
    config = folder / "screen.json"
    screen = {"name": "shots", "x": 0, "y": 0, "width": 1024, "height": 768, "logicalDpi": 96}
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    os.environ["CHINADIALOG_LANG"] = "de"


def main(out: Path) -> int:
    folder = Path(tempfile.mkdtemp(prefix="chinadialog-handbook-"))
    _screen(folder)
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    from chinadialog_desktop.i18n import set_language
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.persistence.models_core import Actor
    from chinadialog_desktop.services.demo import load_demo
    from chinadialog_desktop.ui import app as ui_app

    set_language("de")
    path = folder / "handbuch.sqlite3"
    database = Database.open(path)
    with database.session() as s:
        load_demo(s)
        s.add(
            Actor(
                name_de="Harbin Institute of Technology",
                name_zh="哈尔滨工业大学",
                kind="university",
                country="CN",
            )
        )
        s.add(
            Actor(
                name_de="Hikvision GmbH",
                name_zh="海康威视",
                kind="company",
                country="CN",
                uscc="91330000733796106P",
            )
        )
    database.close()
    session = ui_app.start(path)
    app, window = session.app, session.window
    while window.workspace is None and session.error is None:
        QTest.qWait(50)
    QTest.qWait(300)
    out.mkdir(parents=True, exist_ok=True)

    def settle(ms: int = 300) -> None:
        for _ in range(5):
            app.processEvents()
        QTest.qWait(ms)

    def shot(widget: object, name: str) -> None:
        settle()
        widget.grab().save(str(out / name))  # type: ignore[attr-defined]
        print(out / name)

    page = window.show_page("partnership")
    page.table.selectRow(0)
    shot(window, "partnerships.png")

    page = window.show_page("dossier")
    page.table.selectRow(page.model.rowCount() - 1)
    settle()
    page.editor.main_tabs.setCurrentIndex(1)
    shot(window, "dossier.png")

    from chinadialog_desktop.ui.assessment import actions as assessment_actions
    from chinadialog_desktop.ui.briefing.preview import BriefingPreview
    from chinadialog_desktop.ui.datasets.import_wizard import ImportWizard
    from chinadialog_desktop.ui.screening import actions as screening_actions

    page = window.show_page("partnership")
    page.table.selectRow(0)
    view = assessment_actions.open_assessment_view(window)
    if view.install_button.isVisible():
        view.install_button.click()
    if view.report is None:
        view.start_button.click()
    settle()
    view.tree.setFocus()
    for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_1, Qt.Key.Key_4):
        QTest.keyClick(view.tree, key)
    shot(view, "assessment.png")
    view.close()

    screening = screening_actions.open_screening(window)
    screening.import_list(FTM_LIST)
    while screening.job is not None:
        QTest.qWait(50)
    screening.select_row(0)
    shot(screening, "screening.png")
    screening.close()

    page = window.show_page("dossier")
    dossier_id = page.current_id()
    preview = BriefingPreview(window, int(dossier_id))
    preview.show()
    preview.build()
    while preview.page_count == 0:
        QTest.qWait(100)
    shot(preview, "briefing-preview.png")
    preview.close()

    wizard = ImportWizard(window.workspace.database, window)
    wizard.show()
    shot(wizard, "import.png")
    wizard.close()
    session.close()
    return 0


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "resources" / "handbook" / "images"
    sys.exit(main(target))
