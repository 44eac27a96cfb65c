"""``chinadialog checklist list|validate|import|install-bundled|export``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from chinadialog_desktop.cli.common import open_database, print_json, print_table
from chinadialog_desktop.domain.checklist import SectionKind
from chinadialog_desktop.i18n import _


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = sub.add_parser("checklist", help=_("guardrail checklist templates"))
    tsub = cmd.add_subparsers(
        dest="checklist_command", metavar=_("ACTION"), required=True, parser_class=type(cmd)
    )

    p = tsub.add_parser("list", help=_("list the imported templates"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=cmd_list)

    p = tsub.add_parser("validate", help=_("check a template file without importing it"))
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=cmd_validate)

    p = tsub.add_parser("import", help=_("import a template file (YAML or JSON)"))
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument(
        "--dry-run", action="store_true", help=_("only show what would happen; change nothing")
    )
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=cmd_import)

    p = tsub.add_parser("install-bundled", help=_("import the templates shipped with the app"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=cmd_install_bundled)

    p = tsub.add_parser("export", help=_("write an imported template to a file"))
    p.add_argument("template", metavar="ID", help=_("template id, UUID or URN"))
    p.add_argument("out", type=Path, metavar="OUT", help=_("file to write (.yaml or .json)"))
    p.add_argument("--version", type=int, dest="template_version", help=_("template version"))
    p.set_defaults(func=cmd_export)


def cmd_list(args: argparse.Namespace) -> int:
    from chinadialog_desktop.services.assessment.checklists import template_rows

    db = open_database(args)
    try:
        with db.session() as s:
            rows = template_rows(s)
    finally:
        db.close()
    if args.json:
        print_json([r.as_json() for r in rows])
        return 0
    if not rows:
        print(_("No templates imported. Run: chinadialog checklist install-bundled"))
        return 0
    print_table(
        [_("ID"), _("Template"), _("Version"), _("Title"), _("Items"), _("Assessments")],
        [
            [
                str(r.id),
                r.key,
                str(r.version) + ("" if r.latest else " " + _("(old)")),
                r.title_de,
                str(r.items),
                str(r.assessments),
            ]
            for r in rows
        ],
    )
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from chinadialog_desktop.interchange.checklist_yaml import check_file

    result = check_file(args.file)
    if args.json:
        print_json(
            {
                "file": str(args.file),
                "valid": result.template is not None,
                "errors": [vars(i) for i in result.issues],
                "warnings": [vars(i) for i in result.warnings],
                "id": result.template.id if result.template else None,
                "version": result.template.version if result.template else None,
                "items": len(result.template.item_ids()) if result.template else None,
            }
        )
    else:
        for issue in result.issues:
            print(_("error: {issue}").format(issue=issue), file=sys.stderr)
        for issue in result.warnings:
            print(_("warning: {issue}").format(issue=issue), file=sys.stderr)
        if result.template is not None:
            t = result.template
            chance = sum(1 for s in t.sections if s.kind is SectionKind.CHANCE)
            print(
                _(
                    "{file}: valid — {id} version {version}, {sections} fields of action, "
                    "{items} items"
                ).format(
                    file=args.file,
                    id=t.id,
                    version=t.version,
                    sections=len(t.sections) - chance,
                    items=len(t.item_ids()),
                )
                + (
                    _(
                        " (of them {n} on the chance side, in {fields} fields of opportunity)"
                    ).format(
                        n=sum(len(s.items) for s in t.sections if s.kind is SectionKind.CHANCE),
                        fields=chance,
                    )
                    if chance
                    else ""
                )
            )
        else:
            print(
                _("{file}: invalid ({n} errors)").format(file=args.file, n=len(result.issues)),
                file=sys.stderr,
            )
    return 0 if result.template is not None else 1


def _print_outcome(outcome: object, dry_run: bool = False) -> None:
    from chinadialog_desktop.services.assessment.checklists import ImportOutcome

    assert isinstance(outcome, ImportOutcome)
    if outcome.status == "unchanged":
        text = _("{key} version {version} is already imported; nothing to do.")
    elif outcome.status == "older":
        text = _("{key} version {version} skipped: version {installed} is already imported.")
    elif dry_run:
        text = _("{key} version {version} would be imported ({items} items).")
    else:
        text = _("{key} version {version} imported ({items} items).")
    print(
        text.format(
            key=outcome.key,
            version=outcome.version,
            items=outcome.items,
            installed=outcome.installed_version,
        )
    )


def cmd_import(args: argparse.Namespace) -> int:
    from chinadialog_desktop.interchange.checklist_yaml import load_template
    from chinadialog_desktop.services.assessment.checklists import import_template

    template = load_template(args.file)  # before opening the database: a bad file changes nothing
    db = open_database(args)
    try:
        with db.session() as s:
            outcome = import_template(s, template, dry_run=args.dry_run)
    finally:
        db.close()
    if args.json:
        print_json(outcome.as_json())
    else:
        _print_outcome(outcome, args.dry_run)
    return 0


def cmd_install_bundled(args: argparse.Namespace) -> int:
    from chinadialog_desktop.services.assessment.checklists import install_bundled

    db = open_database(args)
    try:
        with db.session() as s:
            outcomes = install_bundled(s)
    finally:
        db.close()
    if args.json:
        print_json([o.as_json() for o in outcomes])
    else:
        for outcome in outcomes:
            _print_outcome(outcome)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from chinadialog_desktop.services.assessment.checklists import export_template

    db = open_database(args)
    try:
        with db.session() as s:
            path = export_template(s, args.template, args.out, args.template_version)
    finally:
        db.close()
    print(_("Written: {path}").format(path=path))
    return 0
