"""Make the app icon files from resources/icons/app/chinadialog.svg.

    PYTHONPATH=. .venv/bin/python tools/make_app_icon.py

Writes resources/icons/chinadialog.png (512 px, the window icon), chinadialog.ico
(16–256 px, Windows executable) and chinadialog.icns (16–1024 px, macOS bundle);
build.spec and chinadialog_desktop.ui.common.icons name them. Qt's SVG renderer draws the
source once at 1024 px, Pillow scales and packs the sizes. Commit the results.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
SOURCE = ICONS / "app" / "chinadialog.svg"
ICO_SIZES = [(s, s) for s in (16, 24, 32, 48, 64, 128, 256)]


def render(size: int = 1024) -> bytes:
    """The SVG drawn at ``size`` × ``size`` as PNG bytes."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"{SOURCE}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def main() -> int:
    from PIL import Image

    master = Image.open(io.BytesIO(render())).convert("RGBA")
    png = master.resize((512, 512), Image.Resampling.LANCZOS)
    png.save(ICONS / "chinadialog.png", optimize=True)
    master.save(ICONS / "chinadialog.ico", sizes=ICO_SIZES)
    master.save(ICONS / "chinadialog.icns")
    for name in ("chinadialog.png", "chinadialog.ico", "chinadialog.icns"):
        print(f"{ICONS / name}: {(ICONS / name).stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
