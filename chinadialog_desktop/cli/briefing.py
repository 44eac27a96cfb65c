"""``chinadialog briefing``: export a dossier as PDF or Word briefing, list and compare exports."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from chinadialog_desktop.cli.choices import classification_words
from chinadialog_desktop.cli.common import format_when, open_database, print_json, print_table
from chinadialog_desktop.i18n import _, language, ngettext


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "briefing",
        help=_("export a dossier as PDF or Word briefing; list and compare exports"),
        description=_(
            "chinadialog briefing DOSSIER -o OUT.pdf [options]: export a briefing.\n"
            "chinadialog briefing DOSSIER -o OUT.docx [options]: export it as Word document.\n"
            "chinadialog briefing exports DOSSIER [--json]: list the recorded exports.\n"
            "chinadialog briefing diff EXPORT1 EXPORT2: what changed between two exports.\n"
            "DOSSIER is an id, a UUID or a unique part of the title."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "target",
        metavar="DOSSIER",
        help=_("dossier id, UUID or unique part of its title; or 'exports', 'diff'"),
    )
    p.add_argument("more", nargs="*", metavar="ARG", help=_("arguments of 'exports' and 'diff'"))
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUT.pdf",
        help=_("file to write: .pdf or .docx (Word)"),
    )
    p.add_argument(
        "--format",
        dest="out_format",
        choices=["pdf", "docx"],
        help=_("pdf or docx (Word); default: by the file's extension, else pdf"),
    )
    p.add_argument(
        "--docx-template",
        type=Path,
        metavar="FILE",
        help=_(
            "Word: your own template (.docx or .dotx, letterhead and styles); "
            "the briefing follows its content"
        ),
    )
    p.add_argument(
        "--kind",
        type=_kind,
        metavar="KIND",
        help=_(
            "kind of paper: Beschlussvorlage, Informationsvorlage, "
            "Mitteilungsvorlage, Internes Briefing (or decision, information, "
            "internal); default: the dossier's"
        ),
    )
    p.add_argument(
        "--lang",
        dest="briefing_lang",
        choices=["de", "en"],
        help=_("language of the briefing (default: de)"),
    )
    classification_words().add(
        p, "--classification", help=_("classification marking (default: the dossier's)")
    )
    p.add_argument(
        "--public",
        action="store_true",
        help=_("public version: leave out everything marked internal"),
    )
    p.add_argument(
        "--public-name",
        dest="public_names",
        action="append",
        default=[],
        metavar="NAME",
        help=_(
            "public version: a staff name that may appear (repeatable); "
            "the header's responsible person and lead office always may"
        ),
    )
    p.add_argument(
        "--editor",
        metavar="NAME",
        help=_(
            "your name as the briefing shows it (Bearbeitet von); it also "
            "replaces your login where answers recorded it"
        ),
    )
    p.add_argument(
        "--changes",
        action="store_true",
        help=_("include the changes since the last recorded export"),
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help=_(
            "refuse to export (exit 1) when the checks before export find contradictions or gaps"
        ),
    )
    p.add_argument(
        "--attach",
        action="append",
        default=[],
        type=Path,
        metavar="FILE.pdf",
        help=_(
            "append this PDF file after the briefing as a further Anlage, for this export "
            "only (repeatable)"
        ),
    )
    p.add_argument(
        "--pdfa",
        nargs="?",
        type=int,
        const=2,
        default=0,
        choices=[2, 3],
        metavar="2|3",
        help=_(
            "write a PDF/A for the e-Akte (long-term archive): --pdfa or --pdfa 2 for "
            "PDF/A-2b; --pdfa 3 for PDF/A-3b with the dossier's files embedded in the PDF"
        ),
    )
    p.add_argument(
        "--no-record", action="store_true", help=_("do not record this export in the database")
    )
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=cmd_briefing)


def _progress_bar() -> object:
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int, message: str) -> None:
        if total:
            width = 30
            filled = int(width * min(done, total) / total)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {message}  ")
            sys.stderr.flush()

    return show


def cmd_briefing(args: argparse.Namespace) -> int:
    if args.target == "exports":
        return _cmd_exports(args)
    if args.target == "diff":
        return _cmd_diff(args)
    if args.more:
        print(
            _("briefing: unexpected arguments: {args}").format(args=" ".join(args.more)),
            file=sys.stderr,
        )
        return 2
    if args.output is None:
        print(_("briefing: the output file is missing (-o OUT.pdf)."), file=sys.stderr)
        return 2
    from chinadialog_desktop.services.briefing.export import (
        BriefingOptions,
        check_template,
        export_briefing,
        format_of,
        resolve_dossier,
    )

    options = BriefingOptions(
        kind=args.kind,
        lang=args.briefing_lang or "de",
        classification=args.classification,
        public=args.public,
        changes=args.changes,
        public_names=tuple(n.strip() for n in args.public_names if n.strip()),
        editor=(args.editor or "").strip(),
        attach=tuple(str(path) for path in args.attach),
        pdfa=args.pdfa,
    )
    options.validate()
    fmt = format_of(args.output, args.out_format)
    if args.pdfa and fmt != "pdf":
        print(_("briefing: --pdfa applies to PDF files (-o OUT.pdf)."), file=sys.stderr)
        return 2
    if args.docx_template is not None:
        if fmt != "docx":
            print(
                _("briefing: --docx-template applies to Word documents (-o OUT.docx)."),
                file=sys.stderr,
            )
            return 2
        check_template(args.docx_template)  # before the database is opened
    progress = _progress_bar()
    db = open_database(args)
    try:
        with db.session() as session:
            dossier = resolve_dossier(session, args.target)
            result = export_briefing(
                session,
                dossier,
                options,
                args.output,
                progress=progress,  # type: ignore[arg-type]
                record=not args.no_record,
                strict=args.strict,
                fmt=fmt,
                docx_template=args.docx_template,
            )
    finally:
        db.close()
        if progress is not None:
            sys.stderr.write("\n")
    if args.json:
        print_json(
            {
                "export_id": result.export_id,
                "file": str(result.path),
                "sha256": result.sha256,
                "format": result.format,
                "page_count": result.page_count,
                "changes": result.changes,
                "checks": [{"kind": c.kind, "text": c.text} for c in result.checks],
            }
        )
        return 0
    if result.format == "docx":
        print(
            _("Wrote {file}: Word document, SHA-256 {sha}.").format(
                file=result.path, sha=result.sha256
            )
        )
    else:
        print(
            _("Wrote {file}: {pages} pages, SHA-256 {sha}.").format(
                file=result.path, pages=result.page_count, sha=result.sha256
            )
        )
    if result.export_id is not None:
        print(_("Recorded as export {id}.").format(id=result.export_id))
    if result.changes:
        print(_("Changes since the last briefing:"))
        for line in result.changes:
            print(f"  - {line}")
    if result.checks:
        print(
            ngettext(
                "Checks before export found {n} point to clear (--strict refuses the export):",
                "Checks before export found {n} points to clear (--strict refuses the export):",
                len(result.checks),
            ).format(n=len(result.checks))
        )
        for check in result.checks:
            print(f"  - {check.text}")
    return 0


# The kinds of paper as a council office names them; the codes are accepted as well.
KIND_WORDS = {
    "beschlussvorlage": "decision",
    "informationsvorlage": "information",
    "mitteilungsvorlage": "information",
    "internes briefing": "internal",
    "internes-briefing": "internal",
    "decision paper": "decision",
    "information paper": "information",
    "internal briefing": "internal",
    "decision": "decision",
    "information": "information",
    "internal": "internal",
}


def _kind(text: str) -> str:
    """``--kind Beschlussvorlage`` → ``decision``; an unknown word names the choices."""
    code = KIND_WORDS.get(" ".join(text.split()).casefold())
    if code is None:
        raise argparse.ArgumentTypeError(
            _(
                "unknown kind of paper “{kind}”; choose Beschlussvorlage, Informationsvorlage, "
                "Mitteilungsvorlage or Internes Briefing"
            ).format(kind=text)
        )
    return code


def _cmd_exports(args: argparse.Namespace) -> int:
    from chinadialog_desktop.services.briefing.export import export_rows, resolve_dossier

    if len(args.more) != 1:
        print(_("usage: chinadialog briefing exports DOSSIER [--json]"), file=sys.stderr)
        return 2
    db = open_database(args)
    try:
        with db.session() as session:
            rows = export_rows(session, resolve_dossier(session, args.more[0]))
    finally:
        db.close()
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print(_("No exports recorded for this dossier."))
        return 0
    print_table(
        [_("ID"), _("Exported at"), _("User"), _("Pages"), _("Options"), _("File"), "SHA-256"],
        [
            [
                str(r["id"]),
                format_when(r["exported_at"]),
                r["user"],
                str(r["page_count"]) if r["page_count"] else "–",  # Word counts its own
                _options(r["options"]),
                r["file_name"] or "",
                r["sha256"][:12],
            ]
            for r in rows
        ],
    )
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    from chinadialog_desktop.services.briefing.export import compare_exports

    if len(args.more) != 2:
        print(_("usage: chinadialog briefing diff EXPORT1 EXPORT2"), file=sys.stderr)
        return 2
    db = open_database(args)
    try:
        with db.session() as session:
            lines = compare_exports(
                session, args.more[0], args.more[1], args.briefing_lang or language()
            )
    finally:
        db.close()
    if args.json:
        print_json(lines)
        return 0
    if not lines:
        print(_("No changes between the two exports."))
    for line in lines:
        print(f"- {line}")
    return 0


def _options(options: dict[str, Any]) -> str:
    """The options of an export in words: Sprache de, Öffentliche Fassung, mit Änderungen …"""
    from chinadialog_desktop.domain.enums import Classification, DocumentKind
    from chinadialog_desktop.domain.labels import label

    words = []
    if options.get("format") == "docx":
        words.append(_("Word"))
    if options.get("kind"):
        words.append(label(DocumentKind, options["kind"]))
    if options.get("classification"):
        words.append(label(Classification, options["classification"]))
    if options.get("lang"):
        words.append(f"{_('Language')} {options['lang']}")
    if options.get("public"):
        words.append(_("Public version"))
    if options.get("changes"):
        words.append(_("with changes"))
    if options.get("pdfa"):
        words.append(f"PDF/A-{options['pdfa']}b")
    if options.get("as_of"):
        words.append(str(options["as_of"]))
    return ", ".join(words)
