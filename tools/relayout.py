"""Move services/ and ui/ into feature folders and rewrite every reference (issue 10 §4).

    python tools/relayout.py            # move, rewrite, format what changed, print what it did
    python tools/relayout.py --dry-run  # only print what it would do
    python tools/relayout.py --check    # the same, exit 1 if anything would change

Re-runnable and idempotent: a module of ``MOVES`` is moved (``git mv``) only while it is
still at its old place, and a reference is rewritten only while it still names an old
module. Run it again after merging a branch that still has the old layout: its new
modules under an old name are moved, and its imports of old names are rewritten.

What is rewritten, in the package, tests/, benchmarks/, tools/, db/, docs/, resources/
(the catalogue's ``#:`` lines), .ci/, README.md, build.spec and pyproject.toml:

* import statements (read with ``ast``): ``import a.b.c [as x]``, ``from a.b import c``
  (``from chinadialog_desktop.ui import main_window`` becomes
  ``from chinadialog_desktop.ui.window import main_window``; a module whose name changes
  keeps its local name: ``from chinadialog_desktop.services.briefing import export as
  briefing``), also inside functions and under ``if TYPE_CHECKING:``;
* dotted names anywhere else (strings for ``importlib``, ``monkeypatch.setattr``,
  ``PARTS``, docstrings, comments, Markdown): ``chinadialog_desktop.services.listing``;
* file paths: ``chinadialog_desktop/ui/jobs.py`` and ``ui/jobs.py``;
* short dotted names in comments, docstrings and text files: ``services.listing``.

An old module that becomes a package of the same name (``services/briefing.py`` →
``services/briefing/export.py``) is recognised by what follows it: a name that continues
into a new module of the package is new (``services.briefing.export``) and stays.

The packages get an ``__init__.py`` with a docstring only (no re-exports: code imports
the module it uses). ``docs/architecture.md`` and README.md carry a generated map of the
folders between ``<!-- relayout:... -->`` markers, rewritten on every run.
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import shutil
import subprocess
import sys
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "chinadialog_desktop"

# --- the one table: old module (below chinadialog_desktop/) → new module -------------------
# Modules of other branches that may not exist yet are listed too; a missing one is skipped.
MOVES: dict[str, str] = {
    # services/assessment/: checklists, assessments and their answers
    "services/answer_changes.py": "services/assessment/answer_changes.py",
    "services/assessment_window.py": "services/assessment/window.py",
    "services/assessments.py": "services/assessment/workflow.py",
    "services/checklists.py": "services/assessment/checklists.py",
    # services/briefing/: the council briefing (Vorlage)
    "services/briefing.py": "services/briefing/export.py",
    "services/briefing_annexes.py": "services/briefing/annexes.py",
    "services/briefing_changes.py": "services/briefing/changes.py",
    "services/briefing_checks.py": "services/briefing/checks.py",
    "services/briefing_content.py": "services/briefing/content.py",
    "services/briefing_public.py": "services/briefing/public.py",
    "services/briefing_registers.py": "services/briefing/registers.py",
    # services/datasets/: import and export of records
    "services/datasets_apply.py": "services/datasets/apply.py",
    "services/datasets_export.py": "services/datasets/export.py",
    "services/datasets_import.py": "services/datasets/importing.py",
    "services/datasets_kinds.py": "services/datasets/kinds.py",
    "services/datasets_mapping.py": "services/datasets/mapping.py",
    "services/datasets_merge.py": "services/datasets/merge.py",
    "services/datasets_mixed.py": "services/datasets/mixed.py",
    "services/datasets_nested.py": "services/datasets/nested.py",
    "services/datasets_nested_export.py": "services/datasets/nested_export.py",
    "services/datasets_nested_merge.py": "services/datasets/nested_merge.py",
    "services/datasets_nested_state.py": "services/datasets/nested_state.py",
    "services/datasets_read.py": "services/datasets/read.py",
    "services/datasets_records.py": "services/datasets/records.py",
    "services/datasets_state.py": "services/datasets/state.py",
    "services/datasets_uuid.py": "services/datasets/uuid7.py",  # not uuid: the stdlib's name
    "services/import_history.py": "services/datasets/history.py",
    # services/records/: editing and listing records
    "services/dossier_links.py": "services/records/dossier_links.py",
    "services/listing.py": "services/records/listing.py",
    "services/parties.py": "services/records/parties.py",
    "services/record_lists.py": "services/records/lists.py",
    "services/records.py": "services/records/edit.py",
    "services/registers.py": "services/records/registers.py",
    "services/validation.py": "services/records/validation.py",
    # services/screening/: reference lists and screening runs
    "services/reference_lists.py": "services/screening/reference_lists.py",
    "services/screening.py": "services/screening/runs.py",
    "services/screening_checks.py": "services/screening/checks.py",
    "services/screening_decisions.py": "services/screening/decisions.py",
    "services/screening_index.py": "services/screening/index.py",
    "services/screening_subject.py": "services/screening/subject.py",
    # ui/assessment/
    "ui/answer_editor.py": "ui/assessment/answer_editor.py",
    "ui/assessment_actions.py": "ui/assessment/actions.py",
    "ui/assessment_model.py": "ui/assessment/model.py",
    "ui/assessment_signoff.py": "ui/assessment/signoff.py",
    "ui/assessment_view.py": "ui/assessment/view.py",
    # ui/briefing/
    "ui/briefing_actions.py": "ui/briefing/actions.py",
    "ui/briefing_export.py": "ui/briefing/export.py",
    "ui/briefing_options.py": "ui/briefing/options.py",
    "ui/briefing_preview.py": "ui/briefing/preview.py",
    "ui/export_compare.py": "ui/briefing/export_compare.py",
    # ui/common/: widgets and helpers every part uses
    "ui/column_fit.py": "ui/common/column_fit.py",
    "ui/confirm.py": "ui/common/confirm.py",
    "ui/fonts.py": "ui/common/fonts.py",
    "ui/form_style.py": "ui/common/form_style.py",
    "ui/icons.py": "ui/common/icons.py",
    "ui/jobs.py": "ui/common/jobs.py",
    "ui/none_guard.py": "ui/common/none_guard.py",
    "ui/progress_dialog.py": "ui/common/progress_dialog.py",
    "ui/retranslate.py": "ui/common/retranslate.py",
    "ui/screen_fit.py": "ui/common/screen_fit.py",
    "ui/theme.py": "ui/common/theme.py",
    "ui/wheel_guard.py": "ui/common/wheel_guard.py",
    # ui/datasets/
    "ui/dataset_actions.py": "ui/datasets/actions.py",
    "ui/field_labels.py": "services/datasets/field_labels.py",
    "ui/import_pages.py": "ui/datasets/import_pages.py",
    "ui/import_wizard.py": "ui/datasets/import_wizard.py",
    "ui/mapping_model.py": "ui/datasets/mapping_model.py",
    # ui/files/: database files
    "ui/backups_dialog.py": "ui/files/backups_dialog.py",
    "ui/file_actions.py": "ui/files/file_actions.py",
    "ui/recent_files.py": "ui/files/recent_files.py",
    "ui/team_dialog.py": "ui/files/team_dialog.py",
    # ui/help/
    "ui/about_dialog.py": "ui/help/about_dialog.py",
    "ui/first_steps.py": "ui/help/first_steps.py",
    "ui/handbook.py": "ui/help/handbook.py",
    # ui/preferences/
    "ui/settings.py": "ui/preferences/settings.py",
    "ui/settings_dialog.py": "ui/preferences/dialog.py",
    # ui/records/: lists and editors of records
    "ui/actor_editor.py": "ui/records/actor_editor.py",
    "ui/actor_picker.py": "ui/records/actor_picker.py",
    "ui/attachments_panel.py": "ui/records/attachments_panel.py",
    "ui/child_model.py": "ui/records/child_model.py",
    "ui/child_panel.py": "ui/records/child_panel.py",
    "ui/contacts_panel.py": "ui/records/contacts_panel.py",
    "ui/details_view.py": "ui/records/details_view.py",
    "ui/dossier_editor.py": "ui/records/dossier_editor.py",
    "ui/list_columns.py": "ui/records/list_columns.py",
    "ui/parties_panel.py": "ui/records/parties_panel.py",
    "ui/partnership_editor.py": "ui/records/partnership_editor.py",
    "ui/partnership_model.py": "ui/records/partnership_model.py",
    "ui/record_editor.py": "ui/records/editor.py",
    "ui/record_form.py": "ui/records/form.py",
    "ui/record_table_model.py": "ui/records/table_model.py",
    "ui/ref_combo.py": "ui/records/ref_combo.py",
    "ui/registers_panel.py": "ui/records/registers_panel.py",
    "ui/rich_text.py": "ui/records/rich_text.py",
    "ui/section_editor.py": "ui/records/section_editor.py",
    "ui/source_editor.py": "ui/records/source_editor.py",
    "ui/timeline_panel.py": "ui/records/timeline_panel.py",
    # ui/screening/
    "ui/confirmed_hits.py": "ui/screening/confirmed_hits.py",
    "ui/screening_actions.py": "ui/screening/actions.py",
    "ui/screening_compare.py": "ui/screening/compare.py",
    "ui/screening_model.py": "ui/screening/model.py",
    "ui/screening_view.py": "ui/screening/view.py",
    "ui/screening_worker.py": "ui/screening/worker.py",
    # ui/search/
    "ui/search_dialog.py": "ui/search/dialog.py",
    "ui/search_index_job.py": "ui/search/index_job.py",
    # ui/window/: the main window, its workspace and start-up
    "ui/action_registry.py": "ui/window/action_registry.py",
    "ui/display.py": "ui/window/display.py",
    "ui/extensions.py": "ui/window/extensions.py",
    "ui/list_page.py": "ui/window/list_page.py",
    "ui/main_window.py": "ui/window/main_window.py",
    "ui/message_bar.py": "ui/window/message_bar.py",
    "ui/milestones.py": "ui/window/milestones.py",
    "ui/pages.py": "ui/window/pages.py",
    "ui/plain_import.py": "ui/window/plain_import.py",
    "ui/selfcheck.py": "ui/window/selfcheck.py",
    "ui/team_watch.py": "ui/window/team_watch.py",
    "ui/undo_commands.py": "ui/window/undo_commands.py",
    "ui/welcome.py": "ui/window/welcome.py",
    "ui/workspace.py": "ui/window/workspace.py",
    "ui/workspace_setup.py": "ui/window/workspace_setup.py",
}

# Modules not in MOVES whose name still carries a feature prefix go to that feature's
# folder (printed as such), so a branch's new ``services/datasets_foo.py`` lands in
# ``services/datasets/foo.py`` without a table entry. Checked in this order.
PREFIX_RULES: tuple[tuple[str, str], ...] = (
    ("services/assessment_", "services/assessment/"),
    ("services/briefing_", "services/briefing/"),
    ("services/datasets_", "services/datasets/"),
    ("services/screening_", "services/screening/"),
    ("ui/assessment_", "ui/assessment/"),
    ("ui/briefing_", "ui/briefing/"),
    ("ui/dataset_", "ui/datasets/"),
    ("ui/datasets_", "ui/datasets/"),
    ("ui/import_", "ui/datasets/import_"),
    ("ui/record_", "ui/records/"),
    ("ui/screening_", "ui/screening/"),
    ("ui/search_", "ui/search/"),
)

# Modules that stay where they are on purpose (not reported as left over).
STAY = {
    "services/__init__.py",
    "services/dbadmin.py",
    "services/dbcopy.py",
    "services/demo.py",
    "services/search.py",
    "services/server_backup.py",
    "services/team.py",
    "services/team_offline.py",
    "services/travel.py",
    "services/unit.py",
    "ui/__init__.py",
    "ui/app.py",
}

# The new packages and what they hold: the docstring of their __init__.py.
PACKAGES: dict[str, str] = {
    "services/assessment": "Checklist templates, assessments (Prüfungen) and their answers.",
    "services/briefing": "The council briefing (Vorlage): content, checks, public version, export.",
    "services/datasets": "Import and export of records: read, map, dry run, commit, history.",
    "services/records": "Records one at a time and as lists: edit, validate, list, link.",
    "services/screening": "Screening against reference lists: lists, index, runs, decisions.",
    "ui/assessment": "The assessment window (Prüfung) and its menu.",
    "ui/briefing": "The briefing preview, export and comparison, and the Briefing menu.",
    "ui/common": "Widgets and helpers every part of the window uses: icons, theme, jobs, fonts.",
    "ui/datasets": "The import wizard, the export dialog and the Datasets menu.",
    "ui/files": "Database files: new, open, recent, team server, backups (File menu).",
    "ui/help": "Help: handbook, first steps, About.",
    "ui/preferences": "Preferences: the settings registry over QSettings and its dialog.",
    "ui/records": "Record lists and editors: forms, child panels, item models, pickers.",
    "ui/screening": "The screening window, its models and worker, and the Screening menu.",
    "ui/search": "Search everything: the dialog and the index job.",
    "ui/window": "The main window: pages, workspace, undo steps, parts, start-up.",
}

# Files the rewrite reads: tracked or new files below these folders, and these files.
SCOPE_DIRS = (PACKAGE, "tests", "benchmarks", "tools", "db", "docs", "resources", ".ci")
SCOPE_FILES = ("README.md", "build.spec", "pyproject.toml")
TEXT_SUFFIXES = {
    ".py", ".md", ".txt", ".toml", ".spec", ".po", ".pot", ".cfg", ".ini", ".yaml", ".yml",
    ".sh", ".ps1", ".json", ".rst", "",
}  # fmt: skip
SKIP = ("tools/relayout.py", "tests/unit/test_layout.py", "tests/fixtures/", "resources/demo/")

# Edits the moves make necessary that no rewrite of a name covers: (file, old, new).
# Each is applied only while ``old`` is still in the file.
FIXES: tuple[tuple[str, str, str], ...] = (
    # ui/ now has subpackages: walk them all, not only the top level.
    (
        "tests/ui/test_no_qt_shadowing.py",
        'pkgutil.iter_modules(ui_package.__path__, ui_package.__name__ + ".")',
        'pkgutil.walk_packages(ui_package.__path__, ui_package.__name__ + ".")',
    ),
    # Lines the longer names push over 100 characters, in strings and docstrings.
    (
        "chinadialog_desktop/services/records/lists.py",
        '"""The typed rows of ``services.records.listing`` (the CLI\'s rows) for ``ids``, in the '
        'order given."""',
        '"""The CLI\'s typed rows (``services.records.listing``) for ``ids``, '
        'in the order given."""',
    ),
    (
        "tests/ui/test_jobs.py",
        '"""The one way to run work in the background: ``ui.common.jobs``; nothing else subclasses '
        'QThread."""',
        '"""The one way to run work in the background (``ui.common.jobs``): no other QThread."""',
    ),
)

DOCS = "docs/architecture.md"
README = "README.md"
MARK = "<!-- relayout:{}:{} -->"


@dataclass
class Report:
    moved: list[tuple[str, str]] = field(default_factory=list)
    by_rule: list[tuple[str, str]] = field(default_factory=list)
    packages: list[str] = field(default_factory=list)
    rewritten: dict[str, int] = field(default_factory=dict)
    fixes: list[str] = field(default_factory=list)
    docs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def dotted(rel: str) -> str:
    """``services/briefing.py`` → ``chinadialog_desktop.services.briefing``."""
    parts = Path(rel).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((PACKAGE, *parts))


def git(*args: str, check: bool = True) -> str:
    out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    if check and out.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} failed: {out.stderr.strip()}")
    return out.stdout


# --- step 1: the moves --------------------------------------------------------------------


def plan_moves(report: Report) -> dict[str, str]:
    """MOVES plus the prefix rules applied to modules the table does not name."""
    moves = dict(MOVES)
    pkg = ROOT / PACKAGE
    for folder in ("services", "ui"):
        for path in sorted((pkg / folder).glob("*.py")):
            rel = path.relative_to(pkg).as_posix()
            if rel in moves or rel in STAY:
                continue
            for prefix, target in PREFIX_RULES:
                if rel.startswith(prefix):
                    moves[rel] = target + rel[len(prefix) :]
                    report.by_rule.append((rel, moves[rel]))
                    break
            else:
                report.warnings.append(f"{PACKAGE}/{rel}: not in MOVES, left where it is")
    return moves


def tracked(rel: str) -> bool:
    return bool(git("ls-files", "--", rel).strip())


def ensure_package(folder: str, report: Report, dry: bool) -> None:
    init = ROOT / PACKAGE / folder / "__init__.py"
    if init.exists():
        return
    report.packages.append(f"{PACKAGE}/{folder}/")
    if dry:
        return
    init.parent.mkdir(parents=True, exist_ok=True)
    doc = PACKAGES.get(folder)
    if doc is None:
        doc = f"{folder.split('/')[-1].capitalize()}."
        report.warnings.append(f"{folder}: no docstring in PACKAGES, wrote a placeholder")
    init.write_text(f'"""{doc}"""\n', encoding="utf-8")
    git("add", "--", init.relative_to(ROOT).as_posix())


def check_collisions(moves: dict[str, str], report: Report) -> None:
    """An old module that becomes a package must not define a name of a new module in it.

    ``from chinadialog_desktop.services.briefing import changes`` would otherwise be read
    as the new module ``services/briefing/changes.py``.
    """
    pkg = ROOT / PACKAGE
    for old in moves:
        folder = old.removesuffix(".py")
        path = pkg / old
        leaves = {Path(n).stem for n in moves.values() if Path(n).parent.as_posix() == folder}
        if not leaves or not path.exists():
            continue
        names: set[str] = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Import | ast.ImportFrom):
                names.update((a.asname or a.name).split(".")[0] for a in node.names)
            elif isinstance(node, ast.Assign):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
        for clash in sorted(names & leaves):
            report.warnings.append(
                f"{old} defines {clash!r}, the name of the new module {folder}/{clash}.py: "
                "references to it are ambiguous, check them by hand"
            )


def move(moves: dict[str, str], report: Report, dry: bool) -> None:
    pkg = ROOT / PACKAGE
    for old, new in sorted(moves.items()):
        src, dst = pkg / old, pkg / new
        if not src.exists():
            continue
        if dst.exists():
            report.warnings.append(f"both {old} and {new} exist: left both, merge them by hand")
            continue
        folder = Path(new).parent
        for depth in range(1, len(folder.parts) + 1):
            sub = Path(*folder.parts[:depth]).as_posix()
            if sub not in ("services", "ui"):
                ensure_package(sub, report, dry)
        report.moved.append((old, new))
        if dry:
            continue
        if tracked(f"{PACKAGE}/{old}"):
            git("mv", "--", f"{PACKAGE}/{old}", f"{PACKAGE}/{new}")
        else:
            src.rename(dst)


# --- step 2: the references -----------------------------------------------------------------


class Names:
    """Old → new dotted module names, and every name that is new (modules and packages)."""

    def __init__(self, moves: dict[str, str]) -> None:
        self.old_to_new = {dotted(o): dotted(n) for o, n in moves.items()}
        self.new: set[str] = set()
        for name in self.old_to_new.values():
            self.new.add(name)
            while "." in name:
                name = name.rpartition(".")[0]
                self.new.add(name)
        for path in (ROOT / PACKAGE).rglob("*.py"):
            name = dotted(path.relative_to(ROOT / PACKAGE).as_posix())
            if name not in self.old_to_new:
                self.new.add(name)

    def rewrite(self, name: str) -> str:
        """The new name of a dotted reference (module, or module.attribute), else unchanged."""
        parts = name.split(".")
        for k in range(len(parts), 1, -1):
            prefix = ".".join(parts[:k])
            if prefix not in self.old_to_new:
                continue
            if any(".".join(parts[:j]) in self.new for j in range(k + 1, len(parts) + 1)):
                return name  # continues into a module of the new package: already new
            return ".".join([self.old_to_new[prefix], *parts[k:]])
        return name

    def module_alias(self, module: str, alias: str) -> str | None:
        """``from module import alias`` where ``module.alias`` is a moved module: its new name."""
        return self.old_to_new.get(f"{module}.{alias}")


ID = r"[A-Za-z_]\w*"
FULL_DOTTED = re.compile(rf"(?<![\w.]){PACKAGE}(?:\.{ID})+")
FULL_PATH = re.compile(rf"(?<![\w.-]){PACKAGE}/(?P<full_rel>(?:services|ui)/{ID}\.py)\b")
SHORT_PATH = re.compile(rf"(?<![\w/.-])(?P<short_rel>(?:services|ui)/{ID}\.py)\b")
SHORT_DOTTED = re.compile(rf"(?<![\w./])(?:services|ui)(?:\.{ID})+")
# ``from chinadialog_desktop.ui import milestones`` inside a string or a text (code that a
# test runs in a subprocess, a README example): read as an import statement.
TEXT_FROM = re.compile(
    rf"(?<![\w.])from[ \t]+{PACKAGE}(?:\.{ID})*[ \t]+import[ \t]+"
    rf"{ID}(?:[ \t]+as[ \t]+{ID})?(?:[ \t]*,[ \t]*{ID}(?:[ \t]+as[ \t]+{ID})?)*"
)
PATTERN = re.compile(
    "|".join(
        f"(?P<{name}>{rx.pattern})"
        for name, rx in (
            ("text_from", TEXT_FROM),
            ("full_path", FULL_PATH),
            ("short_path", SHORT_PATH),
            ("full_dotted", FULL_DOTTED),
            ("short_dotted", SHORT_DOTTED),
        )
    )
)


def rewrite_match(m: re.Match[str], names: Names, prose: bool, report: Report) -> str:
    text = m.group(0)
    kind = m.lastgroup
    if kind == "text_from":
        node = ast.parse(text).body[0]
        assert isinstance(node, ast.ImportFrom)
        line_start = m.string.rfind("\n", 0, m.start()) + 1
        indent = m.string[line_start : m.start()]
        indent = indent if not indent.strip() else ""
        new = rewrite_import(node, text, indent, names, {}, "(text)", report)
        return new.removeprefix(indent)
    if kind in ("full_path", "short_path"):
        rel = m.group("full_rel") if kind == "full_path" else m.group("short_rel")
        target = names.old_to_new.get(dotted(rel))
        if target is None:
            return text
        new_rel = "/".join(target.split(".")[1:]) + ".py"
        return text.replace(rel, new_rel)
    if kind == "full_dotted":
        return names.rewrite(text)
    if kind == "short_dotted" and prose:
        return names.rewrite(f"{PACKAGE}.{text}")[len(PACKAGE) + 1 :]
    return text


def rewrite_text(text: str, names: Names, report: Report,
                 protected: list[tuple[int, int]] | None = None,
                 prose_spans: list[tuple[int, int]] | None = None) -> tuple[str, int]:  # fmt: skip
    """Dotted names and paths in ``text``; ``protected`` spans are left, short names only in
    ``prose_spans`` (all of the text when None)."""
    out: list[str] = []
    pos = 0
    count = 0

    def inside(spans: list[tuple[int, int]], at: int) -> bool:
        return any(a <= at < b for a, b in spans)

    for m in PATTERN.finditer(text):
        if protected and inside(protected, m.start()):
            continue
        prose = prose_spans is None or inside(prose_spans, m.start())
        new = rewrite_match(m, names, prose, report)
        if new != m.group(0):
            out.append(text[pos : m.start()])
            out.append(new)
            pos = m.end()
            count += 1
    out.append(text[pos:])
    return "".join(out), count


def split_lines(text: str) -> list[str]:
    """The lines as ``ast`` and ``tokenize`` count them (only \\n ends a line), ends kept."""
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def line_offsets(text: str) -> list[int]:
    offsets = [0]
    for line in split_lines(text):
        offsets.append(offsets[-1] + len(line))
    return offsets


def comments_in(text: str) -> dict[int, list[str]]:
    """Comment texts per line number."""
    found: dict[int, list[str]] = {}
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type == tokenize.COMMENT:
            found.setdefault(tok.start[0], []).append(tok.string)
    return found


def rewrite_import(node: ast.Import | ast.ImportFrom, segment: str, indent: str, names: Names,
                   comments: dict[int, list[str]], where: str, report: Report) -> str:  # fmt: skip
    """The new text of one import statement (``segment``: its whole lines)."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            new = names.rewrite(alias.name)
            if new != alias.name:
                pattern = rf"(?<![\w.]){re.escape(alias.name)}(?![\w.])"
                segment = re.sub(pattern, new, segment, count=1)
        return segment
    if node.level or not node.module:
        if node.level and where.startswith(PACKAGE):
            report.warnings.append(f"{where}:{node.lineno}: relative import, not rewritten")
        return segment
    module = node.module
    split: list[tuple[str, str]] = []  # (new module, local name)
    kept: list[ast.alias] = []
    for alias in node.names:
        target = names.module_alias(module, alias.name)
        if target is None:
            kept.append(alias)
        else:
            split.append((target, alias.asname or alias.name))
    package_ref = any(f"{module}.{a.name}" in names.new for a in node.names)
    new_module = module if package_ref else names.rewrite(module)
    if not split:
        if new_module == module:
            return segment
        return re.sub(rf"^(\s*from\s+){re.escape(module)}(?=\s)", rf"\g<1>{new_module}", segment)
    first = comments.get(node.lineno, [])
    trailing = f"  {first[0]}" if first else ""
    last = node.end_lineno or node.lineno
    others = first[1:] + [c for n in range(node.lineno + 1, last + 1) for c in comments.get(n, [])]
    lines = [f"{indent}{c}" for c in others]
    if others:
        report.warnings.append(f"{where}:{node.lineno}: comments inside a split import moved above")
    if kept:
        listed = ", ".join(a.name + (f" as {a.asname}" if a.asname else "") for a in kept)
        lines.append(f"{indent}from {new_module} import {listed}{trailing}")
    for target, local in split:
        parent, _, leaf = target.rpartition(".")
        alias_text = f" as {local}" if local != leaf else ""
        lines.append(f"{indent}from {parent} import {leaf}{alias_text}{trailing}")
    return "\n".join(lines)


def rewrite_python(text: str, where: str, names: Names, report: Report) -> tuple[str, int]:
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        report.warnings.append(f"{where}: not Python ({exc.msg}), read as text")
        return rewrite_text(text, names, report)
    lines = split_lines(text)
    comments = comments_in(text)
    edits = 0
    nodes = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    for node in sorted(nodes, key=lambda n: n.lineno, reverse=True):
        first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
        head = lines[first][: node.col_offset]
        if head.strip():
            report.warnings.append(f"{where}:{node.lineno}: import after code on its line, left")
            continue
        segment = "".join(lines[first : last + 1])
        ending = segment[len(segment.rstrip("\r\n")) :]
        body = segment[: len(segment) - len(ending)] if ending else segment
        new = rewrite_import(node, body, head, names, comments, where, report)
        if new != body:
            lines[first : last + 1] = [new + ending]
            edits += 1
    text = "".join(lines)
    # Everything outside the import statements: full names and paths everywhere, short
    # dotted names only in strings and comments.
    tree = ast.parse(text)
    offsets = line_offsets(text)

    def span(node: ast.stmt | ast.expr) -> tuple[int, int]:
        end = offsets[(node.end_lineno or node.lineno) - 1] + (node.end_col_offset or 0)
        return offsets[node.lineno - 1] + node.col_offset, end

    protected = [span(n) for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    prose: list[tuple[int, int]] = []
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type in (tokenize.STRING, tokenize.COMMENT):
            start = offsets[tok.start[0] - 1] + tok.start[1]
            prose.append((start, offsets[tok.end[0] - 1] + tok.end[1]))
    text, count = rewrite_text(text, names, report, protected, prose)
    return text, edits + count


def scope_files() -> list[str]:
    listed = git("ls-files", "--cached", "--others", "--exclude-standard", "-z").split("\0")
    found = []
    for rel in sorted(set(filter(None, listed))):
        if not (rel in SCOPE_FILES or rel.split("/")[0] in SCOPE_DIRS):
            continue
        if rel.startswith(SKIP) or Path(rel).suffix not in TEXT_SUFFIXES:
            continue
        if (ROOT / rel).is_file():
            found.append(rel)
    return found


def rewrite_all(names: Names, report: Report, dry: bool) -> list[str]:
    changed_python = []
    for rel in scope_files():
        path = ROOT / rel
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        if rel.endswith(".py"):
            new, count = rewrite_python(text, rel, names, report)
            if new != text:
                new = wrap_string_lists(new)
        else:
            new, count = rewrite_text(text, names, report)
        if new != text:
            report.rewritten[rel] = count
            if not dry:
                path.write_text(new, encoding="utf-8")
            if rel.endswith(".py"):
                changed_python.append(rel)
    return changed_python


# A line of string literals only (``"a.b", "c.d",``), as in a tuple of module names or a
# probe script in a string, which the longer names push over the line length.
STRING_LIST_LINE = re.compile(r'^(?P<indent>[ \t]*)(?P<items>(?:"[^"\\\n]*",[ \t]*)+)$')
LINE_LENGTH = 100


def wrap_string_lists(text: str) -> str:
    """Each long line of string literals split into one literal per line."""
    out = []
    for line in split_lines(text):
        body = line.rstrip("\r\n")
        m = STRING_LIST_LINE.match(body)
        if m is None or len(body) <= LINE_LENGTH:
            out.append(line)
            continue
        items = re.findall(r'"[^"\\\n]*",', m.group("items"))
        end = line[len(body) :]
        out += [f"{m.group('indent')}{item}{end or chr(10)}" for item in items]
        if not end:
            out[-1] = out[-1].rstrip("\n")
    return "".join(out)


def apply_fixes(report: Report, dry: bool) -> list[str]:
    changed = []
    for rel, old, new in FIXES:
        path = ROOT / rel
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if old in text:
            report.fixes.append(f"{rel}: {old!r} → {new!r}")
            if not dry:
                path.write_text(text.replace(old, new), encoding="utf-8")
            changed.append(rel)
    return changed


# --- step 3: the generated map of the folders ---------------------------------------------


def first_line(path: Path) -> str:
    try:
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    except SyntaxError:
        return ""
    return " ".join(doc.strip().split("\n\n")[0].split())


def folder_map() -> str:
    """Every folder of services/ and ui/ with its modules and their first docstring line."""
    pkg = ROOT / PACKAGE
    out = []
    for layer in ("services", "ui"):
        base = pkg / layer
        out.append(f"### `{layer}/` — {first_line(base / '__init__.py')}\n")
        top = sorted(p for p in base.glob("*.py") if p.name != "__init__.py")
        if top:
            out.append(f"At the top of `{layer}/` (used by several features):\n")
            out += [f"- `{p.name}`: {first_line(p)}" for p in top]
            out.append("")
        for folder in sorted(p for p in base.iterdir() if (p / "__init__.py").is_file()):
            rel = folder.relative_to(pkg).as_posix()
            out.append(f"`{rel}/` — {first_line(folder / '__init__.py')}\n")
            mods = sorted(p for p in folder.glob("*.py") if p.name != "__init__.py")
            out += [f"- `{p.name}`: {first_line(p)}" for p in mods]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def layout_tree() -> str:
    """The README's list of the feature folders of services/ and ui/, one line each."""
    pkg = ROOT / PACKAGE
    lines = []
    for layer in ("services", "ui"):
        for folder in sorted(p for p in (pkg / layer).iterdir() if (p / "__init__.py").is_file()):
            rel = folder.relative_to(pkg).as_posix()
            lines.append(f"- `{rel}/`: {first_line(folder / '__init__.py')}")
    return "\n".join(lines) + "\n"


def fill(rel: str, marker: str, content: str, report: Report, dry: bool) -> None:
    path = ROOT / rel
    if not path.is_file():
        report.warnings.append(f"{rel}: missing, no generated {marker} section")
        return
    text = path.read_text(encoding="utf-8")
    begin, end = MARK.format(marker, "begin"), MARK.format(marker, "end")
    if begin not in text or end not in text:
        report.warnings.append(f"{rel}: markers {begin} … {end} missing, section not written")
        return
    head, rest = text.split(begin, 1)
    _old, tail = rest.split(end, 1)
    new = f"{head}{begin}\n{content}{end}{tail}"
    if new != text:
        report.docs.append(f"{rel} ({marker})")
        if not dry:
            path.write_text(new, encoding="utf-8")


# --- running it --------------------------------------------------------------------------


def tool(name: str) -> str | None:
    path = Path(sys.executable).with_name(name)
    return str(path) if path.exists() else shutil.which(name)


def tidy(files: Iterable[str], report: Report) -> None:
    """Sort the imports and format the Python files the rewrite changed (ruff)."""
    files = sorted(set(files))
    ruff = tool("ruff")
    if not files:
        return
    if ruff is None:
        report.warnings.append("ruff not found: imports not sorted, files not formatted")
        return
    subprocess.run([ruff, "check", "--fix", "--select", "I001", "--quiet", *files], cwd=ROOT,
                   check=False)  # fmt: skip
    subprocess.run([ruff, "format", "--quiet", *files], cwd=ROOT, check=False)
    # Lines the formatter cannot shorten (strings, docstrings, comments): add a FIXES entry.
    out = subprocess.run([ruff, "check", "--select", "E501", "--output-format", "concise",
                          "--quiet", *files], cwd=ROOT, capture_output=True, text=True,
                         check=False)  # fmt: skip
    for line in out.stdout.splitlines():
        if "E501" in line:
            report.warnings.append(f"{line.strip()} (add an entry to FIXES)")


def print_report(report: Report, dry: bool) -> None:
    verb = "would " if dry else ""
    print(f"relayout: {verb}move {len(report.moved)} modules")
    for old, new in report.moved:
        rule = "  (prefix rule)" if (old, new) in report.by_rule else ""
        print(f"  {PACKAGE}/{old} → {new}{rule}")
    if report.packages:
        print(
            f"relayout: {verb}create {len(report.packages)} packages: {' '.join(report.packages)}"
        )
    total = sum(report.rewritten.values())
    print(f"relayout: {verb}rewrite {total} references in {len(report.rewritten)} files")
    for rel, count in sorted(report.rewritten.items()):
        print(f"  {rel}: {count}")
    for fix in report.fixes:
        print(f"relayout: {verb}fix {fix}")
    for doc in report.docs:
        print(f"relayout: {verb}regenerate {doc}")
    for warning in report.warnings:
        print(f"relayout: WARNING {warning}")
    if not (report.moved or report.rewritten or report.fixes or report.docs):
        print("relayout: nothing to do, the layout is current")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="print, change nothing")
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if anything would change"
    )
    args = parser.parse_args(argv)
    dry = bool(args.dry_run or args.check)
    report = Report()
    moves = plan_moves(report)
    check_collisions(moves, report)
    move(moves, report, dry)
    names = Names(moves)
    changed = rewrite_all(names, report, dry)
    changed += apply_fixes(report, dry)
    if not dry:
        tidy([f for f in changed if f.endswith(".py")], report)
    fill(DOCS, "folders", folder_map(), report, dry)
    fill(README, "layout", layout_tree(), report, dry)
    print_report(report, dry)
    pending = report.moved or report.rewritten or report.fixes or report.docs
    return 1 if args.check and pending else 0


if __name__ == "__main__":
    sys.exit(main())
