"""Every character of the demo data, the checklists and the catalogue has a visible glyph.

Issue 15, point 5: on Linux without a Chinese system font the window used the
bundled WenQuanYi Micro Hei, which maps ǎ ǐ ǒ ǔ (and ǘ ǚ ǜ) to empty glyphs,
so "Shànghǎi" showed as "Shàngh i". Each case runs the window's font set-up in
a fresh process (offscreen) whose fontconfig knows few fonts: none at all,
only a common Latin system font when the host has it, or only WenQuanYi.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.glyph_probe import fontconfig_with_only
from helpers.paths import ROOT, TESTS

RESOURCES = ROOT / "resources"
TEXT_FILES = [
    RESOURCES / "demo" / "demo.yaml",
    *sorted((RESOURCES / "checklists").glob("*.yaml")),
    RESOURCES / "locale" / "de" / "LC_MESSAGES" / "chinadialog.po",  # German and English
]
# Every pinyin vowel with every tone mark, so names typed by users are covered too.
PINYIN = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü ĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙǕǗǙǛÜ"
SYSTEM_FONTS = {
    "no fonts": [],
    "DejaVu Sans": [Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")],
    "Nimbus Sans": [Path("/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf")],
    # A system whose only font is WenQuanYi (Debian's fonts-wqy-microhei): it has CJK,
    # and its default draws the same blanks.
    "WenQuanYi only": [RESOURCES / "fonts" / "wqy-microhei.ttc"],
}


def probe(tmp_path: Path, system_fonts: list[Path]) -> dict[str, object]:
    config = fontconfig_with_only(tmp_path / "fontconfig", system_fonts)
    pinyin = tmp_path / "pinyin.txt"
    pinyin.write_text(PINYIN, encoding="utf-8")
    env = dict(os.environ)
    env.update(
        FONTCONFIG_FILE=str(config),
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(TESTS)]),
    )
    env.pop("FONTCONFIG_PATH", None)
    done = subprocess.run(
        [sys.executable, "-m", "helpers.glyph_probe", *map(str, [*TEXT_FILES, pinyin])],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.parametrize("system", list(SYSTEM_FONTS))
def test_window_draws_every_character_with_few_system_fonts(tmp_path, system):
    files = SYSTEM_FONTS[system]
    if any(not path.is_file() for path in files):
        pytest.skip(f"{system} is not installed on this machine")
    result = probe(tmp_path, files)
    assert result["checked"] > 250  # the texts were read: Latin, umlauts, pinyin and Chinese
    assert result["regular"] == "", f"blank or missing in {result['families']}"
    assert result["bold"] == "", f"blank or missing in bold {result['families']}"


def test_the_texts_hold_pinyin_tone_marks_and_chinese():
    """The check above covers the characters the issue is about."""
    text = "".join(path.read_text(encoding="utf-8") for path in TEXT_FILES)
    for ch in "ǎǒǔāáàěèīìóūùüÄÖÜß上海市":
        assert ch in text, ch


def test_the_probe_names_the_blank_glyphs_of_wenquanyi(qapp):
    """The set-up's own check sees blanks, not only missing glyphs (what the selftest reports)."""
    from PySide6.QtGui import QFont, QFontDatabase

    from chinadialog_desktop.ui.common.fonts import bundled_font_path, undrawn_characters

    font_id = QFontDatabase.addApplicationFont(str(bundled_font_path()))
    wenquanyi = QFont(QFontDatabase.applicationFontFamilies(font_id)[0])
    wenquanyi.setFamilies([wenquanyi.family()])
    assert undrawn_characters(wenquanyi, "Shànghǎi Shì 上海市 Qīngdǎo Lǚ") == "ǎǚ"
