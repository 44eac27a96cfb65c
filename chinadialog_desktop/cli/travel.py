"""``chinadialog --db TARGET db merge COPY``: a travel copy's offline work back into its source.

Named ``db merge`` beside ``db copy``, which makes the copy: the pair works for a team
server and for a plain file alike (``--db`` is where the copy came from).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from chinadialog_desktop.cli.common import format_when, open_database, print_json, print_table
from chinadialog_desktop.i18n import _, format_number


def register(dbsub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    merge = dbsub.add_parser(
        "merge",
        help=_(
            "take back what was changed offline in a travel copy (made with 'db copy') into "
            "the database it was copied from; conflicts are decided as in imports"
        ),
    )
    merge.add_argument("copy", metavar="COPY", help=_("the travel copy (database file)"))
    merge.add_argument("--dry-run", action="store_true", help=_("only compare, write nothing"))
    choice = merge.add_mutually_exclusive_group()
    choice.add_argument(
        "--keep-mine",
        action="store_true",
        help=_("resolve every conflict by keeping the version in this database"),
    )
    choice.add_argument(
        "--take-theirs",
        action="store_true",
        help=_("resolve every conflict with the travel copy's version"),
    )
    merge.add_argument(
        "--resolve",
        action="append",
        default=[],
        metavar="UUID=mine|theirs",
        help=_("resolve the conflict of one record (repeatable)"),
    )
    merge.add_argument(
        "--delete",
        action="append",
        default=[],
        metavar="UUID",
        help=_(
            "delete here too a record deleted in the copy (repeatable); kept if it was "
            "changed here since the copy"
        ),
    )
    merge.add_argument(
        "--delete-all",
        action="store_true",
        help=_("delete here too every record deleted in the copy and unchanged here since"),
    )
    merge.add_argument("--json", action="store_true", help=_("print JSON"))
    merge.set_defaults(func=cmd_merge)


def _progress(done: int, total: int, message: str) -> None:
    if total and sys.stderr.isatty():
        print(f"\r{message} {100 * done // total:3d} %", end="", file=sys.stderr, flush=True)


def _json(result: Any) -> dict[str, Any]:
    return {
        "status": result.status,
        "copy": str(result.copy),
        "source": result.source,
        "copied_at": result.copied_at.isoformat() if result.copied_at else None,
        "merged_at": result.merged_at.isoformat() if result.merged_at else None,
        "merged_by": result.merged_by,
        "sent": result.sent,
        "untouched": result.untouched,
        "totals": result.totals(),
        "kinds": result.kind_counts(),
        "decisions": result.decisions,
        "conflicts": [
            {
                "uuid": c.uuid,
                "kind": c.kind,
                "label": c.label,
                "changes": [
                    {"field": ch.field, "mine": ch.mine, "theirs": ch.theirs} for ch in c.changes
                ],
            }
            for c in result.conflicts()
        ],
        "deleted_offline": [{"kind": x.kind, "uuid": x.key} for x in result.deleted_offline],
        "deleted": [{"kind": x.kind, "uuid": x.key} for x in result.deleted],
        "not_deleted": [{"kind": x.kind, "uuid": x.key} for x in result.not_deleted],
        "changed_here": [{"kind": x.kind, "uuid": x.key} for x in result.changed_here],
        "gone_on_source": [{"kind": x.kind, "uuid": x.key} for x in result.gone_on_source],
        "screening_decisions": [{"uuid": x.key, "label": x.label} for x in result.screening],
        "attachments": [{"uuid": x.key, "file": x.label} for x in result.attachments],
        "problems": result.problems.to_dicts() if result.problems is not None else [],
        "run_id": result.run_id,
        "backup": str(result.backup_path) if result.backup_path else None,
        "copy_not_marked": result.copy_not_marked,
    }


def cmd_merge(args: argparse.Namespace) -> int:
    from chinadialog_desktop.cli.datasets import _kind, _resolutions
    from chinadialog_desktop.services import travel
    from chinadialog_desktop.services.datasets.field_labels import field_label

    resolutions = _resolutions(args.resolve)
    db = open_database(args)
    try:
        result = travel.merge_copy(
            db,
            args.copy,
            dry_run=args.dry_run,
            on_conflict="mine" if args.keep_mine else "theirs" if args.take_theirs else None,
            resolutions=resolutions,
            delete=[u.strip() for u in args.delete],
            delete_all=args.delete_all,
            progress=_progress,
        )
    finally:
        db.close()
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if args.json:
        print_json(_json(result))
        return 0 if result.ok else 1
    copied = format_when(result.copied_at) if result.copied_at else "?"
    print(
        _("Travel copy {copy}, copied from {source} on {when} by {user}.").format(
            copy=result.copy.name, source=result.source, when=copied, user=result.copied_by
        )
    )
    if result.status == travel.ALREADY:
        print(
            _(
                "This copy was already merged on {when} by {user}; nothing was changed. For "
                "further offline work, take a new copy."
            ).format(
                when=format_when(result.merged_at) if result.merged_at else "?",
                user=result.merged_by or "?",
            )
        )
        return 0
    totals = result.totals()
    print(
        _("New: {new}, changed: {updated}, conflicts: {conflict}, unchanged: {unchanged}").format(
            new=format_number(totals["new"]),
            updated=format_number(totals["updated"]),
            conflict=format_number(totals["conflict"]),
            unchanged=format_number(totals["unchanged"]),
        )
    )
    counts = result.kind_counts()  # the one source of the line above and the table
    if counts:
        print_table(
            [_("Kind"), _("new"), _("updated"), _("unchanged"), _("conflict")],
            [
                [
                    _kind(k),
                    format_number(c["new"]),
                    format_number(c["updated"]),
                    format_number(c["unchanged"]),
                    format_number(c["conflict"]),
                ]
                for k, c in counts.items()
            ],
        )
    for conflict, choice in result.decided():
        print(
            (
                _("Conflict decided: {label} ({uuid}): the travel copy's version was taken.")
                if choice == "theirs"
                else _("Conflict decided: {label} ({uuid}): the version here was kept.")
            ).format(label=conflict.label, uuid=conflict.uuid)
        )
    for conflict in result.conflicts() if not result.decisions else []:
        print(
            _(
                "Conflict: {label} ({uuid}) was changed in this database and in the travel copy:"
            ).format(label=conflict.label, uuid=conflict.uuid)
        )
        for change in conflict.changes:
            print(
                "  "
                + _("{field}: here {mine!r}, in the copy {theirs!r}").format(
                    field=field_label(conflict.kind, change.field),
                    mine=change.mine,
                    theirs=change.theirs,
                )
            )
    done = {x.key for x in result.deleted} | {x.key for x in result.not_deleted}
    done |= {x.key for x in result.changed_here}
    for listed in result.deleted:
        print(
            (
                _("Deleted in the copy, would be deleted here: {kind} '{label}' ({uuid})")
                if result.status == travel.DRY_RUN
                else _("Deleted in the copy, deleted here too: {kind} '{label}' ({uuid})")
            ).format(kind=travel.kind_label(listed.kind), label=listed.label, uuid=listed.key)
        )
    for listed in [*result.not_deleted, *result.changed_here]:
        print(
            _(
                "Deleted in the copy, but changed here since the copy (or not deletable by a "
                "merge); kept: {kind} '{label}' ({uuid})"
            ).format(kind=travel.kind_label(listed.kind), label=listed.label, uuid=listed.key)
        )
    for listed in result.deleted_offline:
        if listed.key in done:
            continue
        print(
            _(
                "Deleted in the copy, not deleted here (confirm with --delete {uuid}, or delete "
                "it yourself): {kind} '{label}'"
            ).format(kind=travel.kind_label(listed.kind), label=listed.label, uuid=listed.key)
        )
    written = result.status == travel.MERGED
    # What travels back besides the records: (listed, sentence once merged, in a dry run).
    taken_back = (
        (
            result.screening,
            _("Screening decision made in the copy, taken back: {label}"),
            _("Screening decision made in the copy, taken back with the merge: {label}"),
        ),
        (
            result.attachments,
            _("Attachment added in the copy, taken back: {label}"),
            _("Attachment added in the copy, taken back with the merge: {label}"),
        ),
    )
    for items, merged, planned in taken_back:
        for listed in items:
            print((merged if written else planned).format(label=listed.label))
    for listed in result.gone_on_source:
        print(
            _(
                "Changed in the copy, but no longer here or not visible to you (deleted meanwhile "
                "or classified VS-NfD); not merged, the copy keeps it: {kind} '{label}' ({uuid})"
            ).format(kind=travel.kind_label(listed.kind), label=listed.label, uuid=listed.key)
        )
    if not result.ok:
        problems = result.problems
        if result.status == travel.CANCELLED:
            print(_("Merge cancelled; nothing was changed."), file=sys.stderr)
            return 1
        print(_("The travel copy was not merged; nothing was changed."), file=sys.stderr)
        if problems is not None:
            for problem in problems:
                if problem.is_error and problem.code != "record.conflict":
                    print(str(problem), file=sys.stderr)
        if result.status == travel.NEEDS_DECISION:
            print(
                _(
                    "Decide the conflicts and merge again: --keep-mine keeps every version of "
                    "this database, --take-theirs takes every version from the copy, "
                    "--resolve UUID=mine or --resolve UUID=theirs decides one record."
                ),
                file=sys.stderr,
            )
        return 1
    if result.status == travel.DRY_RUN:
        print(_("Dry run — nothing was written."))
    elif result.status == travel.NOTHING:
        print(_("Nothing was changed in the copy; the copy is marked as merged."))
    else:
        print(
            _("Merged; run {id} recorded, the copy is marked as merged.").format(id=result.run_id)
        )
        if result.backup_path:
            print(_("Backup: {path}").format(path=result.backup_path))
    if result.copy_not_marked:
        print(
            _("The copy could not be marked as merged: {reason}").format(
                reason=result.copy_not_marked
            ),
            file=sys.stderr,
        )
    return 0
