"""Feature folders: no module back at an old place, no old name left, the docs' map current.

``tools/relayout.py`` holds the table old module → new module; ``--check`` fails while
anything would still be moved or rewritten, or the generated folder maps in README.md and
docs/architecture.md differ from the modules' docstrings.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from helpers.paths import ROOT

TOOL = ROOT / "tools" / "relayout.py"


@pytest.fixture(scope="module")
def relayout() -> ModuleType:
    spec = importlib.util.spec_from_file_location("chinadialog_relayout_tool", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs a git checkout (git ls-files)")
def test_the_layout_is_current(relayout, capsys):
    assert relayout.main(["--check"]) == 0, capsys.readouterr().out


def test_only_shared_modules_stay_at_the_top_of_services_and_ui(relayout):
    package = ROOT / "chinadialog_desktop"
    top = {
        path.relative_to(package).as_posix()
        for layer in ("services", "ui")
        for path in (package / layer).glob("*.py")
    }
    assert top <= relayout.STAY, sorted(top - relayout.STAY)


def test_every_feature_folder_says_what_it_holds(relayout):
    for folder in relayout.PACKAGES:
        init = ROOT / "chinadialog_desktop" / folder / "__init__.py"
        assert init.is_file(), folder
        assert relayout.first_line(init) == relayout.PACKAGES[folder]


def test_no_new_module_is_named_like_the_standard_library(relayout):
    clashes = {Path(new).stem for new in relayout.MOVES.values()} & set(sys.stdlib_module_names)
    assert clashes == set()


OLD_SOURCE = '''\
"""See ui/jobs.py and ``services.record_lists``."""
# chinadialog_desktop/ui/main_window.py

from chinadialog_desktop.services import briefing
from chinadialog_desktop.services.briefing import export_briefing
from chinadialog_desktop.ui import app, main_window  # noqa: E402
import chinadialog_desktop.services.datasets_import as di

TARGET = "chinadialog_desktop.services.listing.partnership_rows"
PROBE = """
    from chinadialog_desktop.ui import milestones
"""


def later():
    from chinadialog_desktop.services import records as svc
'''

NEW_SOURCE = '''\
"""See ui/common/jobs.py and ``services.records.lists``."""
# chinadialog_desktop/ui/window/main_window.py

from chinadialog_desktop.services.briefing import export as briefing
from chinadialog_desktop.services.briefing.export import export_briefing
from chinadialog_desktop.ui import app  # noqa: E402
from chinadialog_desktop.ui.window import main_window  # noqa: E402
import chinadialog_desktop.services.datasets.importing as di

TARGET = "chinadialog_desktop.services.records.listing.partnership_rows"
PROBE = """
    from chinadialog_desktop.ui.window import milestones
"""


def later():
    from chinadialog_desktop.services.records import edit as svc
'''


def test_old_names_are_rewritten_and_new_ones_left_alone(relayout):
    names = relayout.Names(relayout.MOVES)
    report = relayout.Report()
    new, count = relayout.rewrite_python(OLD_SOURCE, "sample.py", names, report)
    assert new == NEW_SOURCE
    assert count == 10
    again, count = relayout.rewrite_python(new, "sample.py", names, report)
    assert (again, count) == (new, 0)  # a second run changes nothing
    assert report.warnings == []


def test_a_package_that_was_a_module_is_told_apart_by_what_follows(relayout):
    names = relayout.Names(relayout.MOVES)
    assert names.rewrite("chinadialog_desktop.services.briefing") == (
        "chinadialog_desktop.services.briefing.export"
    )
    assert names.rewrite("chinadialog_desktop.services.briefing.render_pdf") == (
        "chinadialog_desktop.services.briefing.export.render_pdf"
    )
    assert names.rewrite("chinadialog_desktop.services.briefing.export.render_pdf") == (
        "chinadialog_desktop.services.briefing.export.render_pdf"
    )
    assert names.rewrite("chinadialog_desktop.services.briefing_content.Briefing") == (
        "chinadialog_desktop.services.briefing.content.Briefing"
    )
    assert names.rewrite("chinadialog_desktop.services.unit") == "chinadialog_desktop.services.unit"
