"""Starting the GUI as a user does: selftest, the no-display message, a lean start-up path."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap

import pytest

from chinadialog_desktop.ui.window.display import missing_display_message


def _run(args, env, cwd, timeout=120):
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout
    )


def test_selftest_command_passes_and_reports_the_first_paint(tmp_path):
    env = dict(os.environ, CHINADIALOG_LANG="en", QT_QPA_PLATFORM="offscreen")
    out = _run(["-m", "chinadialog_desktop", "selftest", "--temp"], env, tmp_path)
    assert out.returncode == 0, out.stderr
    assert "painted" in out.stdout and "1 partnership" in out.stdout
    assert "Traceback" not in out.stderr
    assert list(tmp_path.iterdir()) == []  # the temporary database went to the temp folder


def test_selftest_in_process(capsys):
    from chinadialog_desktop.cli import main

    assert main(["--lang", "en", "selftest", "--temp"]) == 0
    assert "painted" in capsys.readouterr().out


def test_selftest_measures_the_file_given_with_db(tmp_path):
    """Not a one-row sample: the user's own file, with all its partnerships."""
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.persistence.models import Partnership

    path = tmp_path / "Städte #1.sqlite3"
    database = Database.open(path)
    with database.session() as s:
        s.add_all(
            [Partnership(title=f"Partnerschaft {n} (Beispiel)", type="twin_city") for n in range(3)]
        )
    database.close()
    env = dict(os.environ, CHINADIALOG_LANG="en", QT_QPA_PLATFORM="offscreen")
    out = _run(["-m", "chinadialog_desktop", "--db", str(path), "selftest"], env, tmp_path)
    assert out.returncode == 0, out.stderr
    assert "3 partnerships" in out.stdout and str(path) in out.stdout
    assert "Traceback" not in out.stderr


def test_selftest_creates_no_file_where_db_points_to_nothing(tmp_path):
    env = dict(os.environ, CHINADIALOG_LANG="en", QT_QPA_PLATFORM="offscreen")
    missing = tmp_path / "nicht da.sqlite3"
    out = _run(["-m", "chinadialog_desktop", "--db", str(missing), "selftest"], env, tmp_path)
    assert out.returncode == 2
    assert "--temp" in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland check is Linux only")
def test_without_display_the_app_says_so_in_one_sentence(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["CHINADIALOG_LANG"] = "en"
    db_path = tmp_path / "x.sqlite3"
    out = _run(["-m", "chinadialog_desktop", "--db", str(db_path)], env, tmp_path)
    assert out.returncode == 1
    assert "xvfb-run" in out.stderr
    assert "Traceback" not in out.stderr
    assert "libxcb" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert not db_path.exists()


def test_display_check_rules():
    assert missing_display_message({}, "linux") is not None
    assert missing_display_message({"DISPLAY": ":0"}, "linux") is None
    assert missing_display_message({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert missing_display_message({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert missing_display_message({}, "win32") is None
    assert missing_display_message({}, "darwin") is None


PROBE = textwrap.dedent(
    """
    import gc, sys, threading
    import PySide6.QtWidgets as QtW
    from chinadialog_desktop.ui.window import milestones

    seen = {}

    class WhereImported:
        \"\"\"Notes the thread SQLAlchemy is imported on; finds nothing itself.\"\"\"

        def find_spec(self, name, path=None, target=None):
            if name == "sqlalchemy":
                gui = threading.current_thread() is threading.main_thread()
                seen["sqlalchemy_on_gui_thread"] = gui
            return None

    sys.meta_path.insert(0, WhereImported())
    # PySide6 sets a class up when it is first used; the first widget Qt made that is
    # handed to Python (a list's viewport, a toolbar's button) sets up all of them.
    lazy = not isinstance(QtW.__dict__.get("QWizard"), type)

    WATCHED = (
        "sqlalchemy", "alembic", "reportlab", "openpyxl", "PIL", "rapidfuzz", "pypinyin",
        "chinadialog_desktop.persistence.models",
        "chinadialog_desktop.interchange", "chinadialog_desktop.domain.matching",
        "chinadialog_desktop.services.screening.runs",
        "chinadialog_desktop.services.datasets.importing",
        "chinadialog_desktop.services.datasets.kinds",
        "chinadialog_desktop.ui.datasets.import_pages",
        "chinadialog_desktop.cli.datasets", "chinadialog_desktop.cli.assessment",
        "chinadialog_desktop.domain.scoring", "chinadialog_desktop.domain.checklist",
        "chinadialog_desktop.ui.records.partnership_editor",
        "chinadialog_desktop.ui.records.dossier_editor",
        "yaml",
    )

    def on(name, when):
        seen[name] = sorted(m for m in WATCHED if m in sys.modules)
        seen["gc_at_" + name] = gc.isenabled()
        if name == milestones.FIRST_PAINT:
            seen["every_widget_class"] = lazy and isinstance(QtW.__dict__.get("QWizard"), type)
            from PySide6.QtWidgets import QApplication

            window = next(w for w in QApplication.topLevelWidgets() if hasattr(w, "pages"))
            seen["built_at_paint"] = [key for key, _page in window.pages.built()]
        if name == milestones.LIST_FILLED:
            from PySide6.QtWidgets import QApplication

            window = next(w for w in QApplication.topLevelWidgets() if hasattr(w, "pages"))
            seen["ids_read"] = sorted(
                kind for kind, page in window.pages.items()
                if page.model is not None and page.model.ids_loaded()
            )
            seen["editor_at_list"] = window.pages["partnership"].editor is not None
            model = window.pages["partnership"].model
            seen["titles_at_list"] = [
                model.index(r, 0).data() for r in range(model.rowCount())
            ]

            from PySide6.QtCore import QTimer

            # How the take-over goes: the turns of the event loop (a zero-interval timer
            # counts them) at which the database and each page's list and editor arrive.
            turns = {"n": 0, "database": None, "pages": {}}

            def turn():
                turns["n"] += 1
                if turns["database"] is None and window.workspace is not None:
                    turns["database"] = turns["n"]
                for kind, page in window.pages.built():
                    if page.model is not None and page.editor is not None:
                        turns["pages"].setdefault(kind, turns["n"])

            counter = QTimer(window)
            counter.setInterval(0)
            counter.timeout.connect(turn)
            counter.start()

            def after():
                counter.stop()
                turn()
                seen["turns_of_take_over"] = sorted({turns["database"], *turns["pages"].values()})
                seen["editor_after"] = window.pages["partnership"].editor is not None
                seen["pages_after"] = all(p.model is not None for p in window.pages.values())
                seen["database_after"] = window.workspace is not None
                seen["orm_after"] = "chinadialog_desktop.persistence.models" in sys.modules
                QTimer.singleShot(0, later)

            def later():  # behind the collector's resume, at the take-over's end
                seen["gc_after"] = gc.isenabled()
                QApplication.instance().quit()

            # Once the database has taken over (opened on a worker thread, attached in steps).
            window.sig_attached.connect(after)

    milestones.subscribe(on)
    from chinadialog_desktop.cli import main
    code = main(["--db", sys.argv[1]])
    print(seen)
    sys.exit(code)
    """
)


@pytest.mark.parametrize("existing", [False, True], ids=["new-file", "existing-file"])
def test_start_paints_and_fills_the_list_before_sqlalchemy_and_never_loads_alembic(
    tmp_path, existing
):
    """The start-up design, checked by what is imported rather than by timing."""
    db_path = tmp_path / "x.sqlite3"
    titles = []
    if existing:
        from chinadialog_desktop.persistence.database import Database
        from chinadialog_desktop.persistence.models import Partnership

        database = Database.open(db_path)
        with database.session() as s:
            s.add_all(Partnership(title=t) for t in ("Zwickau (Beispiel)", "Ägypten (Beispiel)"))
        database.close()
        titles = ["Ägypten (Beispiel)", "Zwickau (Beispiel)"]  # the German order: Ä as A
    env = dict(os.environ, CHINADIALOG_LANG="en", QT_QPA_PLATFORM="offscreen")
    out = _run(["-c", PROBE, str(db_path)], env, tmp_path)
    assert out.returncode == 0, out.stderr
    seen = ast.literal_eval(out.stdout.strip().splitlines()[-1])
    # Nothing of the database, the commands, the checklists or the editors before the
    # first frame (the window's command line builds no command parsers).
    assert seen["first_paint"] == [], "loaded before the first paint"
    # The first page (partnerships) of an existing file is read without SQLAlchemy and
    # the models (services.records.first_page), and nothing else of the list is loaded:
    # no spreadsheet or image library, no fuzzy matching or pinyin, no import or
    # screening code, no command modules, no scoring, no editors. A new file is created
    # through the models.
    if existing:
        assert seen["list_filled"] == []
    else:
        assert set(seen["list_filled"]) <= {"sqlalchemy", "chinadialog_desktop.persistence.models"}
    assert seen["titles_at_list"] == titles
    # The database itself is opened through the ORM after that frame: SQLAlchemy is
    # imported on a worker thread, and the window takes the open database over in steps
    # with the event loop turning in between (input and paints are handled meanwhile),
    # not in one block (ui/window/take_over.py, ui/window/steps.py).
    assert seen["database_after"] is True and seen["orm_after"] is True
    if existing:
        assert seen["sqlalchemy_on_gui_thread"] is False
    assert None not in seen["turns_of_take_over"]
    assert len(seen["turns_of_take_over"]) >= 4, seen["turns_of_take_over"]
    # Only the page on screen is built for the first frame; the others follow the list.
    assert seen["built_at_paint"] == ["partnership"]
    # No widget made by Qt reached Python before that frame (ui/window/list_page.py).
    assert seen["every_widget_class"] is False
    # Only the page on screen has read its ids; the others read them when first shown.
    assert seen["ids_read"] == ["partnership"]
    # The editors, the other pages' lists and the menus follow after that frame.
    assert seen["editor_at_list"] is False
    assert seen["editor_after"] is True and seen["pages_after"] is True
    # No cyclic garbage collection during the start (ui/window/startup_gc.py), and the
    # collector is on again once the list and the rest are there.
    assert seen["gc_at_first_paint"] is False and seen["gc_at_list_filled"] is False
    assert seen["gc_after"] is True
