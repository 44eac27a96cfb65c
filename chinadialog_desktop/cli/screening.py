"""``chinadialog screen``: screen actors and contacts against reference lists, review the hits."""

from __future__ import annotations

import argparse
import sys

from chinadialog_desktop.cli.choices import hit_status_words
from chinadialog_desktop.cli.common import open_database, print_json, print_table
from chinadialog_desktop.i18n import _, ngettext


def _score(text: str) -> float:
    """A number with a decimal point or, as Germans write it, a comma: 0.8 or 0,8."""
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("invalid %(type)s value: %(value)r") % {"type": "float", "value": text}
        ) from None


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    scr = sub.add_parser(
        "screen",
        help=_("screen actors and contacts against the reference lists"),
        description=_(
            "Without a subcommand: screen (all actors and contacts, or one actor) against "
            "the imported reference lists and show the hits."
        ),
    )
    from chinadialog_desktop.domain.screening_terms import DEFAULT_THRESHOLD
    from chinadialog_desktop.i18n import format_number

    who = scr.add_mutually_exclusive_group()
    who.add_argument("--actor", type=int, metavar="ID", help=_("only this actor and its contacts"))
    who.add_argument("--contact", type=int, metavar="ID", help=_("only this contact (a person)"))
    scr.add_argument(
        "--list", dest="list_name", metavar="NAME", help=_("only this list (key or name)")
    )
    scr.add_argument(
        "--threshold",
        type=_score,
        metavar="SCORE",
        help=_("lowest score of a hit (default {default})").format(
            default=format_number(DEFAULT_THRESHOLD, 2)
        ),
    )
    scr.add_argument("--json", action="store_true", help=_("print JSON"))
    scr.set_defaults(func=cmd_screen)
    actions = scr.add_subparsers(dest="screen_action", metavar=_("ACTION"))
    for name, help_text in (
        ("confirm", _("confirm a hit: the partner is the listed entity")),
        ("dismiss", _("dismiss a hit: the partner is not the listed entity")),
    ):
        p = actions.add_parser(name, help=help_text)
        p.add_argument("hit", type=int, metavar="HIT", help=_("ID of the hit"))
        p.add_argument("--reason", required=True, help=_("why (kept with your name and the time)"))
        p.add_argument("--json", action="store_true", help=_("print JSON"))
        p.set_defaults(func=cmd_decide, decision="confirmed" if name == "confirm" else "dismissed")
    hits = actions.add_parser("hits", help=_("show stored hits without screening again"))
    hit_status_words().add(hits, "--status", help=_("only the hits with this decision"))
    hits.add_argument("--json", action="store_true", help=_("print JSON"))
    hits.set_defaults(func=cmd_hits)


def _resolve_list(session, name: str | None) -> str | None:  # type: ignore[no-untyped-def]
    if name is None:
        return None
    from sqlalchemy import or_, select

    from chinadialog_desktop.errors import UserError
    from chinadialog_desktop.persistence.models_reference import ReferenceList

    key = session.scalar(
        select(ReferenceList.list_key).where(
            or_(ReferenceList.list_key == name, ReferenceList.name == name)
        )
    )
    if key is None:
        raise UserError(_("Unknown reference list: {name}").format(name=name))
    return str(key)


def _print_rows(rows, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    from chinadialog_desktop.i18n import format_number
    from chinadialog_desktop.services.screening.runs import topic_label

    if as_json:
        print_json([r.as_json() for r in rows])
        return
    if not rows:
        print(_("No hits."))
        return
    status_label = {"open": _("open"), "confirmed": _("confirmed"), "dismissed": _("dismissed")}
    print_table(
        [
            _("Hit"),
            _("Status"),
            _("Score"),
            _("Ours"),
            _("Listed entity"),
            _("Reference list"),
            _("Topics"),
        ],
        [
            [
                str(r.id),
                status_label.get(r.status, r.status),
                format_number(r.score * 100) + " %",
                r.subject_label,
                r.entity_caption,
                r.list_name,
                ", ".join(topic_label(t) for t in [*r.designations, *r.assessments]),
            ]
            for r in rows
        ],
    )


def cmd_screen(args: argparse.Namespace) -> int:
    from chinadialog_desktop.domain.screening_terms import DEFAULT_THRESHOLD
    from chinadialog_desktop.errors import UserError
    from chinadialog_desktop.persistence.models_core import Actor, Contact
    from chinadialog_desktop.services.screening import runs as screening

    threshold = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    if not 0.0 < threshold <= 1.0:
        raise UserError(_("The threshold lies between 0 and 1."))
    show_progress = not args.json and sys.stderr.isatty()

    def progress(done: int, total: int, _label: str) -> None:
        if show_progress and total:
            sys.stderr.write(f"\r{done}/{total}")
            sys.stderr.flush()

    db = open_database(args)
    try:
        with db.session() as s:
            list_key = _resolve_list(s, args.list_name)
            actor_ids = None
            if args.actor is not None:
                if s.get(Actor, args.actor) is None:
                    raise UserError(_("No actor with ID {id}.").format(id=args.actor))
                actor_ids = [args.actor]
            uuids = None
            if args.contact is not None:
                contact = s.get(Contact, args.contact)
                if contact is None:
                    raise UserError(_("No contact with ID {id}.").format(id=args.contact))
                uuids = [contact.uuid]
            result = screening.run_screening(
                s,
                list_keys=[list_key] if list_key else None,
                actor_ids=actor_ids,
                threshold=threshold,
                progress=progress,
                uuids=uuids,
            )
            if show_progress:
                sys.stderr.write("\n")
            subjects = screening.load_subjects(s, actor_ids, uuids)
            rows = screening.hit_rows(
                s, list_key=list_key, subject_uuids=[x.uuid for x in subjects]
            )
            new = set(result.new_hit_ids)
            if args.json:
                print_json({"run": result.as_json(), "hits": [r.as_json() for r in rows]})
                return 0
            print(
                _(
                    "Screened {subjects} actors and contacts against {entities} listed "
                    "entities: {new_hits}, {reused} earlier decisions reused, "
                    "{reopened} reopened because the entity changed."
                ).format(
                    subjects=result.subjects,
                    entities=result.entities,
                    new_hits=ngettext("{n} new hit", "{n} new hits", len(new)).format(n=len(new)),
                    reused=result.decisions_reused,
                    reopened=len(result.reopened_hit_ids),
                )
            )
            _print_rows(rows, False)
            for r in rows:
                if r.id in new or r.status == "open":
                    print()
                    print(
                        _("Hit {id}: {ours} — {theirs}").format(
                            id=r.id, ours=r.subject_label, theirs=r.entity_caption
                        )
                    )
                    for line in r.lines:
                        print(f"  {line}")
    finally:
        db.close()
    return 0


def cmd_decide(args: argparse.Namespace) -> int:
    from chinadialog_desktop.services.screening import runs as screening

    db = open_database(args)
    try:
        with db.session() as s:
            d = screening.decide(s, args.hit, args.decision, args.reason)
            row = screening.hit_rows(s, hit_ids=[args.hit])[0]
            if args.json:
                print_json(row.as_json())
            else:
                msg = (
                    _("Hit {id} confirmed by {user}.")
                    if d.decision == "confirmed"
                    else _("Hit {id} dismissed by {user}.")
                )
                print(msg.format(id=args.hit, user=d.decided_by))
    finally:
        db.close()
    return 0


def cmd_hits(args: argparse.Namespace) -> int:
    from chinadialog_desktop.services.screening import runs as screening

    db = open_database(args)
    try:
        with db.session() as s:
            _print_rows(screening.hit_rows(s, status=args.status), args.json)
    finally:
        db.close()
    return 0
