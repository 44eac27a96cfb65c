"""Every window and dialog fits 1024×768 and 1366×768 screens (issue 15, point 4).

Each screen size runs in its own process: Qt's offscreen platform takes its screen from a
JSON file named in ``QT_QPA_PLATFORM=offscreen:configfile=…`` when the application starts,
and one process has one application. ``screen_probe.py`` opens the main window (every page
with a record selected), the assessment window with an assessment started and its sign-off
dialog, the screening window, the briefing preview and every other dialog, and lists each
window or button that is not inside the screen's free area.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QScrollArea, QWidget

PROBE = Path(__file__).with_name("screen_probe.py")
ROOT = Path(__file__).parents[2]


def _probe(tmp_path: Path, width: int, height: int, lang: str) -> dict:
    config = tmp_path / "screen.json"
    screen = {"name": "probe", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96}
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM=f"offscreen:configfile={config}",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )
    done = subprocess.run(
        [sys.executable, str(PROBE), str(tmp_path), lang],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("width", "height", "lang"), [(1024, 768, "de"), (1024, 768, "en"), (1366, 768, "de")]
)
def test_every_window_and_button_is_on_the_screen(tmp_path, width, height, lang):
    report = _probe(tmp_path, width, height, lang)
    assert report["screen"] == [width, height]  # the platform really offered that screen
    windows = report["windows"]
    for expected in (
        "main window, empty database",
        "add party picker",
        "main window, page partnership",
        "assessment",
        "assessment sign-off",
        "screening",
        "briefing preview",
        "import",
        "search",
        "settings",
        "handbook",
    ):
        assert expected in windows
    off_screen = {name: found for name, found in windows.items() if found}
    assert off_screen == {}


def test_the_probe_finds_a_button_off_the_screen(qtbot):
    """The check itself: a window wider than the screen and its far button are reported."""
    spec = importlib.util.spec_from_file_location("screen_probe", PROBE)
    screen_probe = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(screen_probe)
    area = QGuiApplication.primaryScreen().availableGeometry()
    window = QWidget()
    qtbot.addWidget(window)
    row = QHBoxLayout(window)
    row.addStretch(1)
    far = QPushButton("Schließen", window)
    far.setObjectName("farButton")
    row.addWidget(far)
    window.setMinimumWidth(area.width() + 300)
    window.show()
    qtbot.waitExposed(window)
    found = screen_probe.problems(window)
    assert found[0].startswith("window ")
    assert any("'farButton'" in line for line in found)
    # Inside a scroll area that is on screen, the same button counts as reachable.
    window.setMinimumWidth(0)
    window.resize(300, 200)
    scroll = QScrollArea(window)
    inner = QWidget()
    inner.setMinimumWidth(area.width() + 300)
    QPushButton("Weit rechts", inner).move(area.width() + 100, 0)
    scroll.setWidget(inner)
    row.insertWidget(0, scroll)
    qtbot.wait(0)
    assert screen_probe.problems(window) == []
