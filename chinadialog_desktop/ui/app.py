"""Start the GUI: paint the window first, then open the database and fill the list."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from chinadialog_desktop import APP_ID, APP_NAME, __version__
from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import _, language
from chinadialog_desktop.paths import default_database_path
from chinadialog_desktop.ui.common import none_guard
from chinadialog_desktop.ui.common.fonts import FontSetup, install_fonts
from chinadialog_desktop.ui.common.icons import app_icon
from chinadialog_desktop.ui.common.theme import apply_theme
from chinadialog_desktop.ui.preferences.settings import THEME, Settings, apply_startup_language
from chinadialog_desktop.ui.window import milestones, startup_gc
from chinadialog_desktop.ui.window.main_window import MainWindow


@dataclass
class GuiSession:
    """The running application: window, database (once open) and how it ended."""

    app: QApplication
    window: MainWindow
    fonts: FontSetup
    database_path: Path | str  # a file, or a team server's address (postgresql://…)
    debug: bool = False
    welcome: bool = False  # offer the demo data when the file is empty
    database: Any = None  # persistence.database.Database, imported lazily
    # The file checked and made ready (persistence.lifecycle.ReadyFile) while the first
    # list is shown from it, until the database is opened on it.
    ready: Any = None
    # The database being opened on a worker thread meanwhile (ui.common.jobs.Task).
    opening: Any = None
    closed: bool = False
    list_filled: bool = False
    error: str | None = None
    exit_code: int = 0
    # Called with the message when the database cannot be opened; the default is a dialog.
    on_failure: list[Callable[[str], None]] = field(default_factory=list)
    _keep: list[Any] = field(default_factory=list)

    def close(self) -> None:
        self.closed = True
        if self.opening is not None:  # its database is closed as it arrives (_opened)
            self.opening.wait()
        follower = getattr(self.window, "change_follower", None)
        if follower is not None:  # listening to a team server: stop before the database goes
            follower.stop()
            self.window.change_follower = None
        if self.window.workspace is not None:
            self.window.workspace.close()
        if self.database is not None:
            self.database.close()
            self.database = None
        if self.ready is not None:  # closed before the database was opened on it
            from chinadialog_desktop.services.unit import release_unopened

            release_unopened(self.ready)
            self.ready = None


def application() -> QApplication:
    """The one QApplication, created on first use with our names and translations."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication([sys.argv[0] if sys.argv else APP_ID])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    _install_qt_translations(app)
    none_guard.install(app)
    return app


def _install_qt_translations(app: QApplication) -> None:
    """Qt's own strings (dialog buttons, context menus) in the app's language."""
    lang = language()
    if lang == "de":
        QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    else:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    if lang == "en":
        return
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{lang}", folder):
        app.installTranslator(translator)


def start(database_path: Path | str, *, debug: bool = False, welcome: bool = False) -> GuiSession:
    """Show the main window now; open the database as soon as it has painted once."""
    app = application()
    app.setWindowIcon(app_icon())  # also when the application was made elsewhere (tests)
    fonts = install_fonts(app)
    preferences = Settings()
    apply_theme(app, preferences.get(THEME))
    preferences.sig_theme_changed.connect(lambda theme: apply_theme(app, theme))
    # A team server: the window's file dialogs start in the default database's folder.
    window = MainWindow(
        database_path if isinstance(database_path, Path) else default_database_path(),
        preferences=preferences,
        rest_after_first_paint=True,
    )
    preferences.setParent(window)
    session = GuiSession(app, window, fonts, database_path, debug, welcome)
    window.sig_list_filled.connect(lambda: setattr(session, "list_filled", True))
    window.sig_database_changed.connect(lambda database: _switched(session, database))
    window.sig_first_paint.connect(lambda: milestones.reached(milestones.FIRST_PAINT))
    # The guard against lost references to None is sized for the start until this frame.
    window.sig_first_paint.connect(lambda: none_guard.top_up())
    # The menus' commands and what else that frame does not show, once it is on screen.
    window.sig_first_paint.connect(window.build_rest)
    window.sig_list_filled.connect(lambda: milestones.reached(milestones.LIST_FILLED))
    # Queued after the first frame, so the window is on screen while SQLAlchemy loads.
    window.sig_first_paint.connect(lambda: QTimer.singleShot(0, lambda: open_database(session)))
    if startup_gc.paused():  # cli.gui paused the collector for the start (see startup_gc)
        # Once the database has taken over: the editors, pages and menus are attached.
        window.sig_attached.connect(startup_gc.resume)
        QTimer.singleShot(startup_gc.FALLBACK_MS, startup_gc.resume)
    window.show()
    return session


def open_database(session: GuiSession) -> None:
    """Check (create, migrate) the database file and show its partnership list; the ORM
    session follows right after the list's first frame (``_complete``).

    The first list is read with a plain query (``services.records.first_page``) before
    SQLAlchemy and the models are imported, which takes longer than all the rest of
    the start. A team server, or a file that cannot be read that way at the moment,
    is opened the full way at once (``_open_fully``).
    """
    if session.database is not None or session.error is not None or session.ready is not None:
        return
    if session.opening is not None:
        return
    # Imported before the file is opened: leftovers.PROCESS_START must precede every write
    # of this process (the tidying itself waits for the list, see below).
    import chinadialog_desktop.leftovers  # noqa: F401

    path = session.database_path
    if not isinstance(path, Path):  # a team server
        _open_fully(session)
        return
    from chinadialog_desktop.services.unit import default_backups_kept
    from chinadialog_desktop.ui.files.recent_files import check_asking

    try:
        session.ready = check_asking(path, default_backups_kept(), session.window)
    except UserError as exc:
        _refused(session, exc)
        return
    except Exception as exc:  # shown to the user instead of a silent dead window
        _unexpected(session, exc)
        return
    from chinadialog_desktop.services.records.first_page import first_partnership_page
    from chinadialog_desktop.ui.records.table_model import BATCH_SIZE

    page = first_partnership_page(session.ready, BATCH_SIZE)
    if page is None:  # locked at the moment, or another SQLite error: the ORM says why
        _open_fully(session)
        return
    from chinadialog_desktop.ui.window.first_list import first_list_model

    window = session.window
    model = first_list_model(page, window.finish_attaching)
    window.show_read_only(session.ready.read_only_message())
    window.show_partnerships(model)
    if session.ready.opened.notice:  # an automatic repair (an interrupted update put back)
        window.message_bar.show_error(session.ready.opened.notice)
    # The database itself on a worker thread once the list's frame is there, or at once
    # when a page or another sort is asked for before (MainWindow.finish_attaching).
    window.pending_attach = lambda: _complete(session, model)
    window.sig_list_filled.connect(
        partial(_open_in_background, session, model), Qt.ConnectionType.SingleShotConnection
    )
    # A window that does not paint its list (minimised meanwhile) opens the database anyway,
    # at the latest when the start-up's collector pause ends too.
    QTimer.singleShot(startup_gc.FALLBACK_MS, window, window.finish_attaching)


def _open_in_background(session: GuiSession, model: Any) -> None:
    """Open the checked file through SQLAlchemy on a worker thread (``take_over``); the
    GUI thread handles input and paints meanwhile and attaches the database after."""
    window = session.window
    if window.pending_attach is None or session.ready is None or session.error is not None:
        return  # opened already (asked for before the list's frame), closed or failed
    from chinadialog_desktop.ui.common.jobs import Task
    from chinadialog_desktop.ui.window.take_over import job

    # From here the worker owns the file's lease (released if opening fails).
    ready, session.ready = session.ready, None
    task = Task(window, job(ready, debug=session.debug))
    session.opening = task

    def needed_now() -> None:
        """A page, another sort or a close cannot wait: the database and all of the rest now."""
        task.wait()  # the outcome is handed on to _opened at once
        window.finish_attaching()

    window.pending_attach = needed_now
    task.sig_finished.connect(lambda outcome: _opened(session, model, outcome, needed_now))
    task.start()


def _opened(session: GuiSession, model: Any, outcome: Any, waiting: Any) -> None:
    """The worker thread is done: attach its database (in steps), or say why there is none."""
    session.opening = None
    window = session.window
    if window.pending_attach is waiting:
        window.pending_attach = None
    if outcome.error:
        if not session.closed:
            _fail(session, outcome.error)
        return
    opening = outcome.result
    if opening.refused is not None:  # a damaged file gets its backups offered, as at start
        if not session.closed:
            _refused(session, opening.refused)
        return
    if session.closed or session.error is not None:
        opening.database.close()
        return
    _attach(session, opening.database, first_model=model, place_choices=opening.place_choices)


def _complete(session: GuiSession, model: Any) -> None:
    """Open the checked file through SQLAlchemy on this thread and attach the workspace
    at once; ``model`` (the list on screen) reads through it from now on."""
    if session.ready is None or session.error is not None:  # closed or failed meanwhile
        return
    from chinadialog_desktop.ui.window.take_over import open_ready_file

    # From here the database owns the file's lease (released if opening fails).
    ready, session.ready = session.ready, None
    try:
        opening = open_ready_file(ready, debug=session.debug)
    except UserError as exc:
        _refused(session, exc)
        return
    _attach(session, opening.database, first_model=model, place_choices=opening.place_choices)
    session.window.finish_attaching()  # all of it: someone is waiting for it


def _open_fully(session: GuiSession) -> None:
    """Open the database (create, migrate) through SQLAlchemy and attach the partnership
    list, the way a team server is opened (and a file the first list could not read)."""
    try:
        from chinadialog_desktop.ui.window.plain_import import load_database_layer

        load_database_layer()
        from chinadialog_desktop.services.unit import default_backups_kept, open_ready
        from chinadialog_desktop.ui.files.recent_files import open_asking

        ready, session.ready = session.ready, None
        if ready is not None:  # checked already
            database = open_ready(ready)
        else:
            database = open_asking(session.database_path, default_backups_kept(), session.window)
    except UserError as exc:
        if not _offer_local_copy(session, exc):
            _refused(session, exc)
        return
    except Exception as exc:  # shown to the user instead of a silent dead window
        _unexpected(session, exc)
        return
    _attach(session, database)
    if database.notice:  # an automatic repair (an interrupted update put back)
        session.window.message_bar.show_error(database.notice)


def _unexpected(session: GuiSession, exc: Exception) -> None:
    """An error nobody put into words: one sentence (the database's, where it is one)."""
    from chinadialog_desktop.errors import translate_database_error
    from chinadialog_desktop.ui.window.take_over import unexpected_text

    if session.debug:
        traceback.print_exc()
    known = (
        translate_database_error(exc, session.database_path)
        if isinstance(session.database_path, Path)
        else None
    )
    if known is not None:
        _refused(session, known)
        return
    _fail(session, unexpected_text(exc, session.database_path))


def _attach(
    session: GuiSession,
    database: Any,
    first_model: Any = None,
    place_choices: dict[tuple[str, str], list[str]] | None = None,
) -> None:
    """The opened database into the window, and what follows once its list is there."""
    session.database = database
    steps = session.window.open_workspace(
        database,
        rest_after_list=first_model is None,
        first_model=first_model,
        place_choices=place_choices,
    )
    opened = database.path if database.path is not None else database.location
    started_on = session.database_path

    def tidy() -> None:
        """Bookkeeping nobody waits for: once the list and the rest are there."""
        from chinadialog_desktop.ui.files.recent_files import RecentFiles

        RecentFiles(session.window.preferences).add(opened)
        _clean_leftovers(started_on)

    steps.then(tidy)
    if database.path is None:
        session.window.set_database_path(None, database.location)
    if session.welcome:
        steps.then(lambda: _offer_welcome(session))


def _offer_local_copy(session: GuiSession, exc: UserError) -> bool:
    """The team server cannot be reached at start: say so, offer its last local copy
    read-only (False: there is none, the usual failure follows)."""
    from chinadialog_desktop.services import team_offline

    address = session.database_path
    if not isinstance(address, str) or not team_offline.unreachable(exc):
        return False
    copy = team_offline.last_copy(address)
    if copy is None:
        return False
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Warning,
        _("The team server cannot be reached"),
        str(exc),
        QMessageBox.StandardButton.NoButton,
        session.window,
    )
    box.setObjectName("serverAwayBox")
    box.setAccessibleName(_("The team server cannot be reached"))
    open_button = box.addButton(
        _("Open the local copy of {when} (read-only)").format(when=copy.when()),
        QMessageBox.ButtonRole.AcceptRole,
    )
    open_button.setObjectName("serverAwayOpenCopy")
    close_button = box.addButton(QMessageBox.StandardButton.Close)
    close_button.setObjectName("serverAwayClose")

    def decided(_result: int) -> None:
        if box.clickedButton() is not open_button:
            session.error = str(exc)
            session.exit_code = 1
            session.window.close()
            return
        try:
            database = team_offline.open_copy(copy)
        except UserError as failed:
            _fail(session, str(failed))
            return
        session.database = database
        session.window.set_database_path(database.path)
        session.window.open_workspace(database, rest_after_list=True)

    box.finished.connect(decided)
    session._keep.append(box)
    box.open()
    return True


def _clean_leftovers(path: Path | str) -> None:
    """Half-written files and staging folders that killed or failed runs left beside
    ``path`` (what the command line does before every command; here once the list is on
    screen, or when the start failed).
    A team server address (a ``str``) has no such files."""
    import contextlib

    if not isinstance(path, Path):
        return

    from chinadialog_desktop.leftovers import clean

    with contextlib.suppress(OSError):  # tidying up must never stop the program
        clean(path.resolve())


def _switched(session: GuiSession, database: Any) -> None:
    """The window moved to another file (File → Open, a restore): keep track of it."""
    session.database = database
    if database.path is not None:  # a team server keeps the last file's folder for dialogs
        session.database_path = database.path


def _offer_welcome(session: GuiSession) -> None:
    """An empty file on a user's start: say what the app is for, offer the demo data."""
    from chinadialog_desktop.ui.window.welcome import WelcomeDialog, needs_welcome

    if not needs_welcome(session.database):
        return
    dialog = WelcomeDialog(session.database, session.window)
    dialog.finished.connect(
        lambda _result: session.window.reload_all() if dialog.choice == "demo" else None
    )
    session._keep.append(dialog)
    dialog.open()


def _refused(session: GuiSession, exc: UserError) -> None:
    """The file was refused: a damaged file gets the window's own sentence and way out
    (its backups); any other refusal its sentence as it is."""
    from chinadialog_desktop.errors import DatabaseDamaged

    path = session.database_path
    if isinstance(exc, DatabaseDamaged) and isinstance(path, Path):
        from chinadialog_desktop.ui.files.damaged import damaged_file_sentence

        # The terminal keeps the command line's words; the window says it its own way.
        _fail(session, damaged_file_sentence(path), terminal=str(exc), backups_of=path)
    else:
        _fail(session, str(exc))


def _restore_at_start(session: GuiSession, path: Path) -> bool:
    """The backups of the damaged ``path``; after a restore the window opens it (True)."""
    from chinadialog_desktop.ui.files.backups_dialog import BackupsDialog
    from chinadialog_desktop.ui.preferences.settings import BACKUPS_KEPT

    window = session.window
    dialog = BackupsDialog(path, window, keep_backups=window.preferences.get(BACKUPS_KEPT))
    dialog.setObjectName("startBackupsDialog")
    restored: list[object] = []
    dialog.sig_restored.connect(lambda _p, saved: restored.append(saved) if saved else None)
    dialog.exec()
    if not restored:  # closed without a restore: the usual failure ends the app
        return False
    session.error = None
    session.exit_code = 0
    session.ready = None
    window.show_error("")
    open_database(session)
    return True


def _fail(
    session: GuiSession,
    message: str,
    *,
    terminal: str | None = None,
    backups_of: Path | None = None,
) -> None:
    """Say what went wrong on stderr (``terminal``, else ``message``) and in a dialog;
    closing it ends the app with 1. With ``backups_of`` (a damaged file at start) the
    dialog offers that file's backups, and a restore opens it in this window."""
    session.error = terminal or message
    session.exit_code = 1
    startup_gc.resume()  # no list will come
    _clean_leftovers(session.database_path)
    print(_("Error: {message}").format(message=terminal or message), file=sys.stderr)
    session.window.show_error(_("The database could not be opened."))
    if session.on_failure:
        for listener in list(session.on_failure):
            listener(message)
        return
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Critical,
        _("The database could not be opened"),
        message,
        QMessageBox.StandardButton.Close,
        session.window,
    )
    box.setObjectName("databaseErrorBox")
    box.setAccessibleName(_("Error message"))
    backups_button = None
    if backups_of is not None:
        from chinadialog_desktop.ui.files.damaged import backups_word, has_backups

        if has_backups(backups_of):
            backups_button = box.addButton(backups_word(), QMessageBox.ButtonRole.ActionRole)
            backups_button.setObjectName("damagedBackupsButton")
            box.setDefaultButton(backups_button)

    def decided(_result: int) -> None:
        chose_backups = backups_button is not None and box.clickedButton() is backups_button
        if chose_backups and backups_of is not None and _restore_at_start(session, backups_of):
            return
        # Closing the window ends the event loop; run_gui then returns exit_code 1.
        # (QApplication.exit outside a running loop would make every later loop return at once.)
        session.window.close()

    box.finished.connect(decided)
    session._keep.append(box)
    box.open()


def run_gui(
    database_path: Path | str, *, debug: bool = False, welcome: bool = True, lang: str | None = None
) -> int:
    """Run the window until it is closed; returns the exit code.

    The language is ``lang`` (``--lang``), else CHINADIALOG_LANG, else the one chosen in
    the settings: a user who switched to English finds English on the next start.
    """
    application()
    apply_startup_language(Settings(), lang)
    session = start(database_path, debug=debug, welcome=welcome)
    try:
        code = session.app.exec()
    finally:
        session.close()
    return session.exit_code or int(code)
