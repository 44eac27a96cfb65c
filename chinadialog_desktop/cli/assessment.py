"""``chinadialog assessment start|answer|show|sign|list|next|upgrade``."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import Any

from chinadialog_desktop.cli.choices import classification_words
from chinadialog_desktop.cli.common import open_database, print_json, print_table
from chinadialog_desktop.domain.enums import AssessmentStatus, Classification
from chinadialog_desktop.domain.labels import label
from chinadialog_desktop.domain.scoring import ChanceLevel
from chinadialog_desktop.i18n import N_, _, format_date, format_number, language


def _date(text: str) -> date:
    """An ISO date (2026-11-25) or a German one (25.11.2026)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.strptime(text, "%d.%m.%Y").date()
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a date like 2026-11-25").format(text=text)
        ) from None


def _status(code: str) -> str:
    return label(AssessmentStatus, code)


def _day(iso: str | None) -> str:
    """A stored ISO date as the active language writes it (25.11.2026 in German)."""
    return format_date(date.fromisoformat(iso)) if iso else ""


def _pct(value: float) -> str:
    return format_number(value, 1)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = sub.add_parser("assessment", help=_("assessments (Prüfungen) with a checklist"))
    asub = cmd.add_subparsers(
        dest="assessment_command", metavar=_("ACTION"), required=True, parser_class=type(cmd)
    )

    p = asub.add_parser("start", help=_("start an assessment of a partnership or dossier"))
    p.add_argument(
        "subject", metavar="PARTNERSHIP", help=_("partnership id, UUID or unique part of its title")
    )
    p.add_argument("--template", required=True, metavar="ID", help=_("template URN, id or UUID"))
    p.add_argument(
        "--version", type=int, dest="template_version", help=_("template version (default: newest)")
    )
    p.add_argument(
        "--dossier", action="store_true", help=_("PARTNERSHIP is a dossier id or UUID instead")
    )
    p.add_argument("--title", help=_("title of the assessment"))
    classification_words().add(
        p, "--classification", help=_("classification (default: the dossier's, else open)")
    )
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=cmd_start)

    p = asub.add_parser("answer", help=_("answer one item"))
    p.add_argument("assessment", metavar="ID")
    p.add_argument("item", metavar="ITEM", help=_("item id, e.g. purpose-01"))
    p.add_argument(
        "answer",
        metavar="ANSWER",
        nargs="?",
        help=_("the answer as the checklist names it, e.g. yes, partly, no, unknown"),
    )
    p.add_argument("--clear", action="store_true", help=_("remove the answer"))
    p.add_argument("--evidence", help=_("evidence text"))
    p.add_argument("--responsible", help=_("responsible person"))
    p.add_argument("--due", type=_date, metavar="DATE", help=_("due date"))
    p.add_argument("--review-by", type=_date, metavar="DATE", help=_("review-by date"))
    p.add_argument("--source", action="append", metavar="UUID", help=_("linked source"))
    p.add_argument("--attachment", action="append", metavar="UUID", help=_("linked attachment"))
    p.add_argument(
        "--reconfirm",
        action=argparse.BooleanOptionalAction,
        help=_("carry this answer into the next cycle to be re-confirmed"),
    )
    p.add_argument("--note", help=_("note"))
    p.add_argument("--by", metavar="NAME", help=_("who answered (default: the logged-in user)"))
    p.set_defaults(func=cmd_answer)

    p = asub.add_parser("show", help=_("scores, traffic lights, blockers and open items"))
    p.add_argument("assessment", metavar="ID")
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.add_argument(
        "--as-of",
        type=_date,
        metavar="DATE",
        help=_("judge staleness as of this date (default: today)"),
    )
    p.set_defaults(func=cmd_show)

    p = asub.add_parser("sign", help=_("sign off and freeze an assessment"))
    p.add_argument("assessment", metavar="ID")
    p.add_argument("--by", required=True, metavar="NAME", help=_("reviewer"))
    p.add_argument("--date", type=_date, metavar="DATE", help=_("date of review (default: today)"))
    p.add_argument("--allow-open", action="store_true", help=_("sign although items are open"))
    p.set_defaults(func=cmd_sign)
    p = asub.add_parser(
        "classify", help=_("set the classification of an assessment (VS-NfD: cleared roles only)")
    )
    p.add_argument("assessment", metavar="ID")
    classification_words().add(p, "classification")
    p.set_defaults(func=cmd_classify)

    p = asub.add_parser("list", help=_("list assessments"))
    p.add_argument("--partnership", metavar="PARTNERSHIP")
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=cmd_list)

    p = asub.add_parser("next", help=_("new assessment from the previous one (next cycle)"))
    p.add_argument("assessment", metavar="ID")
    p.add_argument(
        "--version",
        type=int,
        dest="template_version",
        help=_("template version for the new cycle (default: the previous one's)"),
    )
    p.set_defaults(func=cmd_next)

    p = asub.add_parser("upgrade", help=_("move an assessment to a newer template version"))
    p.add_argument("assessment", metavar="ID")
    p.add_argument("--to-version", type=int, help=_("target version (default: newest)"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=cmd_upgrade)


def cmd_start(args: argparse.Namespace) -> int:
    from chinadialog_desktop.services.assessment import workflow as svc
    from chinadialog_desktop.services.assessment.checklists import find_template

    classification = Classification(args.classification) if args.classification else None
    db = open_database(args)
    try:
        with db.session() as s:
            template = find_template(s, args.template, args.template_version)
            if args.dossier:
                a = svc.start_assessment(
                    s,
                    template,
                    dossier=svc.resolve_dossier(s, args.subject),
                    title=args.title,
                    classification=classification,
                )
            else:
                a = svc.start_assessment(
                    s,
                    template,
                    partnership=svc.resolve_partnership(s, args.subject),
                    title=args.title,
                    classification=classification,
                )
            result = {
                "id": a.id,
                "uuid": a.uuid,
                "title": a.title,
                "template": template.template_key,
                "version": template.template_version,
            }
    finally:
        db.close()
    if args.json:
        print_json(result)
    else:
        print(
            _("Assessment {id} started: {title} ({template}, version {version}).").format(**result)
        )
    return 0


def cmd_answer(args: argparse.Namespace) -> int:
    from chinadialog_desktop.errors import UserError
    from chinadialog_desktop.services.assessment import workflow as svc

    update = svc.AnswerUpdate(answered_by=args.by)
    if args.clear:
        if args.answer:
            raise UserError(_("Give an answer or --clear, not both."))
        update.answer = None
    elif args.answer:
        update.answer = args.answer
    for name, value in (
        ("evidence", args.evidence),
        ("responsible", args.responsible),
        ("due_on", args.due),
        ("review_by", args.review_by),
        ("reconfirm", args.reconfirm),
        ("note", args.note),
        ("source_ids", args.source),
        ("attachment_ids", args.attachment),
    ):
        if value is not None:
            setattr(update, name, value)
    db = open_database(args)
    try:
        with db.session() as s:
            outcome = svc.answer_item(s, svc.get_assessment(s, args.assessment), args.item, update)
    finally:
        db.close()
    if outcome.new_revision:
        print(
            _(
                "Assessment {old} is signed and stays unchanged; the change went into the new "
                "revision {rev} (assessment {id})."
            ).format(old=args.assessment, rev=outcome.revision, id=outcome.assessment_id)
        )
    else:
        print(_("Saved."))
    return 0


_LIGHTS = {
    "green": N_("green"),
    "yellow": N_("yellow"),
    "red": N_("red"),
    "grey": N_("grey (not assessed)"),
}


def _light(code: str) -> str:
    return _(_LIGHTS[code])


def _print_report(r: dict[str, Any]) -> None:
    o, c = r["overall"], r["chances"]
    print(f"{r['title']}  (#{r['id']}, " + _("revision {rev}").format(rev=r["revision"]) + ")")
    print(
        _("Template: {key} version {version}").format(**r["template"])
        + (
            _(" (version {v} available: assessment upgrade)").format(
                v=r["template"]["newer_version"]
            )
            if r["template"]["newer_version"]
            else ""
        )
    )
    signed = _("signed by {by} on {on}").format(by=r["reviewed_by"], on=_day(r["reviewed_on"]))
    if r["reviewed_by"] and r["status"] == "signed":  # not "Abgezeichnet — abgezeichnet von …"
        status = _("Status: {status}").format(status=signed)
    else:
        status = _("Status: {status}").format(status=_status(r["status"]))
        if r["reviewed_by"]:
            status += " — " + signed
    if r["superseded_by"]:
        status += " — " + _("superseded by assessment {id}").format(id=r["superseded_by"])
    if r["classification"] != Classification.OPEN.value:
        status += " — " + label(Classification, r["classification"])
    print(status)
    print(
        _("Progress: {answered} of {applicable} applicable items answered").format(
            answered=o["answered"] + c["answered"], applicable=o["applicable"] + c["applicable"]
        )
    )
    print(
        _("Overall: {light} — {points} of {max} risk points ({pct} %)").format(
            light=_light(o["light"]).upper(),
            points=o["points"],
            max=o["max_points"],
            pct=_pct(o["risk_percent"]),
        )
    )
    print()
    print_table(
        [_("Field of action"), _("Light"), _("Answered"), _("Points"), _("Risk %")],
        [
            [
                s["title"],
                _light(s["light"]),
                f"{s['answered']}/{s['applicable']}",
                f"{s['points']}/{s['max_points']}",
                _pct(s["risk_percent"]),
            ]
            for s in r["sections"]
        ],
    )
    if r["chance_sections"]:  # the chance side, beside the risks (never offsetting them)
        print()
        print(
            _("Chances: {level} — {points} of {max} chance points ({pct} %)").format(
                level=label(ChanceLevel, c["level"]).upper(),
                points=c["points"],
                max=c["max_points"],
                pct=_pct(c["chance_percent"]),
            )
        )
        print()
        print_table(
            [_("Field of opportunity"), _("Chances"), _("Answered"), _("Points"), _("Chance %")],
            [
                [
                    s["title"],
                    label(ChanceLevel, s["level"]),
                    f"{s['answered']}/{s['applicable']}",
                    f"{s['points']}/{s['max_points']}",
                    _pct(s["chance_percent"]),
                ]
                for s in r["chance_sections"]
            ],
        )
    items = {i["id"]: i for i in r["items"]}
    for title, ids in (
        (_("Blockers"), o["blockers"]),
        (_("Open items"), [*o["open_items"], *c["open_items"]]),
        (_("Stale answers (review-by date passed)"), o["stale_items"]),
        (_("Items changed by a template upgrade"), o["changed_items"]),
    ):
        if ids:
            print()
            print(f"{title} ({len(ids)}):")
            for item_id in ids:
                print(f"  {item_id}  {items[item_id]['question']}")
    if r["archive_note"]:
        print()
        print(_("Archive note:"))
        print(r["archive_note"])


def cmd_show(args: argparse.Namespace) -> int:
    from chinadialog_desktop.services.assessment import workflow as svc

    db = open_database(args)
    try:
        with db.session() as s:
            report = svc.assessment_report(
                s, svc.get_assessment(s, args.assessment), args.as_of or date.today(), language()
            )
    finally:
        db.close()
    if args.json:
        print_json(report)
    else:
        _print_report(report)
    return 0


def cmd_sign(args: argparse.Namespace) -> int:
    from chinadialog_desktop.services.assessment import workflow as svc

    db = open_database(args)
    try:
        with db.session() as s:
            try:
                a = svc.sign(
                    s,
                    svc.get_assessment(s, args.assessment),
                    args.by,
                    args.date,
                    allow_open=args.allow_open,
                )
            except svc.OpenItems as exc:
                raise svc.OpenItems(
                    f"{exc} "
                    + _("To sign anyway: assessment sign {id} --by NAME --allow-open").format(
                        id=args.assessment
                    )
                ) from None
            text = _("Assessment {id} signed by {by} on {on}; it is now frozen.").format(
                id=a.id, by=a.reviewed_by, on=format_date(a.reviewed_on)
            )
    finally:
        db.close()
    print(text)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from chinadialog_desktop.services.assessment import workflow as svc

    db = open_database(args)
    try:
        with db.session() as s:
            p = svc.resolve_partnership(s, args.partnership) if args.partnership else None
            rows = svc.assessment_rows(s, p)
    finally:
        db.close()
    if args.json:
        print_json(rows)
        return 0
    print_table(
        [
            _("ID"),
            _("Assessment"),
            _("Rev."),
            _("Status"),
            _("Template"),
            _("Light"),
            _("Chances"),
            _("Answered"),
        ],
        [
            [
                str(r["id"]),
                r["title"],
                str(r["revision"]),
                _status(r["status"]),
                f"{r['template']} v{r['template_version']}",
                _light(r["light"]),
                label(ChanceLevel, r["chance_level"]),
                f"{r['answered']}/{r['applicable']}",
            ]
            for r in rows
        ],
    )
    return 0


def cmd_next(args: argparse.Namespace) -> int:
    from chinadialog_desktop.services.assessment import workflow as svc
    from chinadialog_desktop.services.assessment.checklists import find_template

    db = open_database(args)
    try:
        with db.session() as s:
            prev = svc.get_assessment(s, args.assessment)
            template = (
                find_template(s, prev.template.template_key, args.template_version)
                if args.template_version
                else None
            )
            new = svc.next_cycle(s, prev, template)
            text = _(
                "Assessment {id} started from assessment {prev}; {n} answers carried over "
                "to be re-confirmed."
            ).format(id=new.id, prev=prev.id, n=len(new.answers))
    finally:
        db.close()
    print(text)
    return 0


def cmd_upgrade(args: argparse.Namespace) -> int:
    from chinadialog_desktop.services.assessment import workflow as svc
    from chinadialog_desktop.services.assessment.checklists import find_template

    db = open_database(args)
    try:
        with db.session() as s:
            a = svc.get_assessment(s, args.assessment)
            target = (
                find_template(s, a.template.template_key, args.to_version)
                if args.to_version
                else None
            )
            report = svc.upgrade(s, a, target)
    finally:
        db.close()
    if args.json:
        print_json(vars(report))
        return 0
    print(
        _(
            "Assessment {id} now uses template version {v}: {carried} answers carried over, "
            "{changed} flagged as changed, {new} new items open, {removed} removed items "
            "archived."
        ).format(
            id=report.assessment_id,
            v=report.to_version,
            carried=len(report.carried),
            changed=len(report.changed),
            new=len(report.new),
            removed=len(report.removed),
        )
    )
    return 0


def cmd_classify(args: argparse.Namespace) -> int:
    from chinadialog_desktop.services.assessment import workflow as svc

    db = open_database(args)
    try:
        with db.session() as s:
            a = svc.get_assessment(s, args.assessment)
            svc.classify(s, a, Classification(args.classification))
            assessment_id, title = a.id, a.title
    finally:
        db.close()
    print(
        _("Assessment {id} ({title}) is now classified: {level}.").format(
            id=assessment_id,
            title=title,
            level=label(Classification, args.classification),
        )
    )
    return 0
