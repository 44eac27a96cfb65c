"""File → Merge a travel copy back …: the import wizard's dry run and conflict pages, fed by
``services.travel.merge_copy`` (the same service as ``db merge``); nothing else here."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QCheckBox, QWidget

from chinadialog_desktop.i18n import N_, _, format_date, ngettext
from chinadialog_desktop.ui.datasets.import_wizard import PAGE_DRY_RUN, PAGE_RESULT, ImportWizard

if TYPE_CHECKING:
    from chinadialog_desktop.ui.window.main_window import MainWindow

SHOWN = 20  # records listed by name (deleted offline, gone here); the rest counted


def _when(value: Any) -> str:
    return f"{format_date(value.date())} {value:%H:%M}" if value is not None else "?"


def _listed(title: str, items: list[Any], *, kinds: bool = True) -> str:
    from chinadialog_desktop.services.travel import kind_label

    if not items:
        return ""
    lines = [title]
    for x in items[:SHOWN]:
        lines.append(f"  • {x.label} ({kind_label(x.kind)})" if kinds else f"  • {x.label}")
    if len(items) > SHOWN:
        lines.append("  " + _("… and {count} more").format(count=len(items) - SHOWN))
    return "\n".join(lines)


def _beside(result: Any, *, done: bool) -> str:
    """Screening decisions and attachments made offline: taken back (``done``) or to be."""
    parts = []
    if result.screening:
        parts.append(
            _listed(
                _("Screening decisions made in the copy, taken back:")
                if done
                else _("Screening decisions made in the copy, taken back with the merge:"),
                result.screening,
                kinds=False,
            )
        )
    if result.attachments:
        parts.append(
            _listed(
                _("Attachments added in the copy, taken back:")
                if done
                else _("Attachments added in the copy, taken back with the merge:"),
                result.attachments,
                kinds=False,
            )
        )
    return "\n".join(parts)


class MergeWizard(ImportWizard):
    """What a travel copy would change here, the conflicts to decide, then the merge."""

    KEEP_ALL = N_("All: keep the version &here")
    KEEP_ALL_NAME = N_("Keep every version in this database")
    TAKE_ALL = N_("All: take from the travel &copy")
    TAKE_ALL_NAME = N_("Take every version from the travel copy")
    KEEP_ONE = N_("Keep the version here")
    TAKE_ONE = N_("Take from the travel copy")

    def __init__(self, database: Any, copy: Path, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.copy = copy
        self.setObjectName("travelMergeWizard")
        self.setAcceptDrops(False)
        self.setWindowTitle(_("Merge a travel copy back"))
        self.setAccessibleName(_("Merge a travel copy back"))
        self.commit_button.setText(_("&Merge"))
        self.commit_button.setAccessibleName(_("Merge now"))
        self.conflicts.setHeaderLabels(
            [_("Record"), _("Field"), _("Here"), _("In the travel copy"), _("Decision")]
        )
        self.conflicts.setAccessibleName(
            _("Conflicts: records changed here and in the travel copy")
        )
        self.delete_box = QCheckBox(
            _("Also delete here what was deleted in the copy (a record changed here since is kept)")
        )
        self.delete_box.setObjectName("travelMergeDelete")
        self.delete_box.hide()
        self.delete_box.toggled.connect(lambda _on: self._update_buttons())
        page = self.stack.widget(PAGE_DRY_RUN)
        layout = page.layout() if page is not None else None
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(1, self.delete_box)
        self.run_dry_run()

    def show_page(self, page: int) -> None:
        super().show_page(page)
        steps = {
            PAGE_DRY_RUN: _("Step 1 of 2: what the travel copy would change here"),
            PAGE_RESULT: _("Step 2 of 2: result"),
        }
        self.step_label.setText(steps.get(page, ""))

    def _update_buttons(self) -> None:
        super()._update_buttons()
        self.back_button.hide()
        self.next_button.hide()

    def _can_commit(self) -> bool:
        from chinadialog_desktop.services.travel import DRY_RUN

        if self.dry_run is None or self.dry_run.status != DRY_RUN:
            return False
        beside = self.dry_run.screening or self.dry_run.attachments
        if (
            not self.dry_run.sent
            and not beside
            and not (self.dry_run.deleted_offline and self.delete_box.isChecked())
        ):
            return False
        return len(self.resolutions()) == len(self.conflict_combos())

    def run_dry_run(self) -> None:
        database, copy = self.database, self.copy

        def work(progress: Any, cancelled: Any) -> Any:
            from chinadialog_desktop.services.travel import merge_copy

            return merge_copy(database, copy, dry_run=True, progress=progress, cancelled=cancelled)

        self._start(
            work,
            self._show_dry_run,
            _("Comparing the travel copy with the database …"),
            "travelMergeDryRunProgress",
        )

    def _failure_text(self, message: str) -> str:
        # The service's sentence says what and where, and that nothing was merged; a
        # refusal (a copy of another database, merged already) is not "an error".
        return _("Not merged: {reason}").format(reason=message)

    def _summary(self, result: Any) -> str:
        return _("Travel copy {copy}, copied from {source} on {when} by {user}.").format(
            copy=result.copy.name,
            source=result.source,
            when=_when(result.copied_at),
            user=result.copied_by,
        )

    def _show_dry_run(self, result: Any) -> None:
        from chinadialog_desktop.services import travel

        self.dry_run = result
        self.dry_counts.show_result(result)
        if result.problems is not None:
            self.dry_problems.show_problems(result.problems)
        self.dry_problems.setVisible(bool(result.problems))
        self._fill_conflicts(result)
        count = len(result.conflicts())
        if count:
            self.conflict_label.setText(
                ngettext(
                    "{count} record was changed here and in the travel copy: decide what to keep.",
                    "{count} records were changed here and in the travel copy: decide for each "
                    "one.",
                    count,
                ).format(count=count)
            )
        lines = [self._summary(result)]
        if result.status == travel.ALREADY:
            lines.append(
                _(
                    "This copy was already merged on {when} by {user}; nothing was changed. For "
                    "further offline work, take a new copy."
                ).format(when=_when(result.merged_at), user=result.merged_by or "?")
            )
        elif result.status == travel.CANCELLED:
            lines.append(_("The dry run was cancelled. Nothing was changed."))
        elif not result.ok:
            lines.append(_("The travel copy cannot be merged; nothing was changed."))
        elif not result.sent and not (result.screening or result.attachments):
            lines.append(_("Nothing was changed in the copy since it was taken."))
        else:
            lines.append(
                _("Dry run — nothing was written yet. Press Merge to write these changes.")
            )
        lines.append(
            _listed(
                _(
                    "Deleted in the copy (deleted here only if you confirm it below; one changed "
                    "here since the copy is kept):"
                ),
                result.deleted_offline,
            )
        )
        lines.append(
            _listed(
                _(
                    "Changed in the copy, but no longer here or not visible to you (deleted "
                    "meanwhile or classified VS-NfD); not merged, the copy keeps them:"
                ),
                result.gone_on_source,
            )
        )
        lines.append(_beside(result, done=False))
        self.delete_box.setVisible(bool(result.deleted_offline) and result.status == travel.DRY_RUN)
        # Merged already (or refused): no empty table of counts, no "No conflicts."
        self.dry_counts.setVisible(self.dry_counts.rowCount() > 0)
        self.conflict_label.setVisible(result.status == travel.DRY_RUN)
        self.dry_verdict.setText("\n".join(line for line in lines if line))
        self.dry_verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.backup_note.setText(
            _(
                "The merge is all or nothing (a database file is backed up first); afterwards "
                "the travel copy is marked as merged."
            )
        )
        self.show_page(PAGE_DRY_RUN)

    def commit(self) -> None:
        if not self._can_commit():
            return
        database, copy, resolutions = self.database, self.copy, self.resolutions()
        delete_all = self.delete_box.isVisible() and self.delete_box.isChecked()

        def work(progress: Any, cancelled: Any) -> Any:
            from chinadialog_desktop.services.travel import merge_copy

            return merge_copy(
                database,
                copy,
                resolutions=resolutions,
                delete_all=delete_all,
                progress=progress,
                cancelled=cancelled,
            )

        self._start(work, self._show_result, _("Merging …"), "travelMergeCommitProgress")

    def _show_result(self, result: Any) -> None:
        from chinadialog_desktop.services import travel

        self.import_result = result
        self.result_counts.show_result(result)
        self.result_counts.show()
        if result.problems is not None:
            self.result_problems.show_problems(result.problems)
        self.result_problems.setVisible(bool(result.problems))
        if result.status == travel.MERGED:
            text = _("Merged {copy}; import run {id} recorded.").format(
                copy=result.copy.name, id=result.run_id
            )
            if result.backup_path:
                text += "\n" + _("Backup made before the import: {path}").format(
                    path=result.backup_path
                )
            for conflict, choice in result.decided()[:SHOWN]:
                text += "\n" + (
                    _("Conflict decided: {label}: the travel copy's version was taken.")
                    if choice == "theirs"
                    else _("Conflict decided: {label}: the version here was kept.")
                ).format(label=conflict.label)
            if len(result.decided()) > SHOWN:
                text += "\n" + _("… and {count} more").format(count=len(result.decided()) - SHOWN)
            if result.screening or result.attachments:
                text += "\n" + _beside(result, done=True)
            if result.deleted:
                text += "\n" + _("Deleted here too: {records}").format(
                    records=", ".join(x.label for x in result.deleted[:SHOWN])
                )
            if result.not_deleted:
                text += "\n" + _("Kept, changed here since the copy: {records}").format(
                    records=", ".join(x.label for x in result.not_deleted[:SHOWN])
                )
            text += "\n" + (
                _("The copy could not be marked as merged: {reason}").format(
                    reason=result.copy_not_marked
                )
                if result.copy_not_marked
                else _("The travel copy is marked as merged.")
            )
        elif result.status == travel.CANCELLED:
            text = _("Merge cancelled; nothing was changed.")
        else:
            text = _("The travel copy was not merged; nothing was changed.")
        self.result_label.setText(text)
        self.show_page(PAGE_RESULT)
        if result.status == travel.MERGED:
            self.sig_committed.emit(result)


def merge_travel_copy(window: MainWindow, copy: Path | None = None) -> Any:
    """File → Merge a travel copy back …: choose the copy, then the merge wizard."""
    from chinadialog_desktop.ui.datasets.actions import _database, _dialog
    from chinadialog_desktop.ui.files.recent_files import choose_database_to_open

    database = _database(window)
    if database is None:
        return None
    if copy is None:
        copy = choose_database_to_open(window, window.database_path.parent)
        if copy is None:
            return None
    flush = getattr(window, "_flush", None)
    if callable(flush):
        flush()  # pending edits are saved before the merge compares with them
    wizard = MergeWizard(database, copy, window)
    reload_all = getattr(window, "reload_all", None)
    if callable(reload_all):
        wizard.sig_committed.connect(lambda _result: reload_all())
    wizard.setWindowModality(Qt.WindowModality.WindowModal)
    return _dialog(window, "travel_merge", wizard)
