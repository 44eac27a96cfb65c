"""The application icon: made from one SVG, in every format, on the windows and the bundle."""

from __future__ import annotations

import importlib.util
import io
import os
import re
import subprocess
import sys

from helpers.paths import ROOT
from PIL import Image, ImageChops, ImageStat

from chinadialog_desktop.ui.common import icons

ICONS = ROOT / "resources" / "icons"


def _tool():
    spec = importlib.util.spec_from_file_location(
        "make_app_icon", ROOT / "tools" / "make_app_icon.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_format_is_there_with_its_sizes():
    png = Image.open(ICONS / "chinadialog.png")
    assert (png.format, png.size, png.mode) == ("PNG", (512, 512), "RGBA")
    ico = Image.open(ICONS / "chinadialog.ico")
    assert ico.format == "ICO"
    assert {16, 32, 48, 256} <= {w for w, _h in ico.info["sizes"]}
    icns = Image.open(ICONS / "chinadialog.icns")
    assert icns.format == "ICNS" and icns.size[0] >= 512


def test_committed_png_is_what_the_tool_makes_from_the_svg(qapp):
    """After an edit of the SVG the tool must be run again (colours, not bytes, compared)."""
    made = Image.open(io.BytesIO(_tool().render(512))).convert("RGBA")
    committed = Image.open(ICONS / "chinadialog.png").convert("RGBA")
    diff = ImageStat.Stat(ImageChops.difference(made, committed)).mean
    assert max(diff) < 3, diff
    # The corners are transparent (rounded square), the middle is the white document.
    assert committed.getpixel((2, 2))[3] == 0
    assert committed.getpixel((256, 120))[:3] == (248, 249, 250)


def test_bundle_names_icons_that_exist():
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    named = set(re.findall(r'"(chinadialog\.(?:ico|icns|png))"', spec))
    assert named == {"chinadialog.ico", "chinadialog.icns"}
    for name in named:
        assert (ICONS / name).is_file(), name


def test_the_window_icon_is_the_app_icon(qtbot, tmp_path):
    """A fresh process, as the app starts: its QApplication carries the icon for every window."""
    probe = (
        "from chinadialog_desktop.ui.app import application\n"
        "icon = application().windowIcon()\n"
        "print(icon.isNull(), icon.pixmap(64, 64).width())\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", probe],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-2:] == ["False", "64"]
    assert not icons.app_icon().isNull()
