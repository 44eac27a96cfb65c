"""A ReportLab chart drawing as a PNG picture (for the Word briefing), drawn with Pillow.

ReportLab's own bitmap renderer needs a C extension this project does not ship,
and pdfium may not run on a second thread while the preview uses it, so the
few shapes the briefing's charts use (rectangles, lines, circles, polygons,
strings) are painted here, supersampled for smooth edges. The drawing is the
same object the PDF shows (``charts.field_chart``): one chart, two outputs.
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any

from PIL import Image, ImageDraw, ImageFont
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String

from chinadialog_desktop.paths import fonts_dir
from chinadialog_desktop.reports.fonts import FONT_FILE, SUBFONT_INDEX

SUPERSAMPLE = 3


@cache
def _font(pixels: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(fonts_dir() / FONT_FILE), pixels, index=SUBFONT_INDEX)


def _rgb(colour: Any) -> tuple[int, int, int] | None:
    if colour is None:
        return None
    return (round(colour.red * 255), round(colour.green * 255), round(colour.blue * 255))


class _Painter:
    def __init__(self, drawing: Drawing, dpi: float) -> None:
        self.scale = dpi / 72 * SUPERSAMPLE
        self.height = float(drawing.height)
        size = (round(drawing.width * self.scale), round(drawing.height * self.scale))
        self.image = Image.new("RGB", size, (255, 255, 255))
        self.draw = ImageDraw.Draw(self.image)

    def xy(self, x: float, y: float) -> tuple[float, float]:
        return x * self.scale, (self.height - y) * self.scale

    def width(self, w: float | None) -> int:
        return max(1, round((w or 1) * self.scale))

    def paint(self, shape: Any) -> None:
        if isinstance(shape, Group):
            for child in shape.contents:
                self.paint(child)
        elif isinstance(shape, Rect):
            x0, y0 = self.xy(shape.x, shape.y + shape.height)
            x1, y1 = self.xy(shape.x + shape.width, shape.y)
            fill, stroke = _rgb(shape.fillColor), _rgb(shape.strokeColor)
            self.draw.rectangle(
                (x0, y0, x1, y1),
                fill=fill,
                outline=stroke,
                width=self.width(shape.strokeWidth) if stroke else 0,
            )
        elif isinstance(shape, Line):
            self._line(shape)
        elif isinstance(shape, Circle):
            cx, cy = self.xy(shape.cx, shape.cy)
            r = shape.r * self.scale
            stroke = _rgb(shape.strokeColor)
            self.draw.ellipse(
                (cx - r, cy - r, cx + r, cy + r),
                fill=_rgb(shape.fillColor),
                outline=stroke,
                width=self.width(shape.strokeWidth) if stroke else 0,
            )
        elif isinstance(shape, Polygon):
            pts = shape.points
            self.draw.polygon(
                [self.xy(pts[i], pts[i + 1]) for i in range(0, len(pts), 2)],
                fill=_rgb(shape.fillColor),
                outline=_rgb(shape.strokeColor),
            )
        elif isinstance(shape, String):
            self._string(shape)

    def _line(self, shape: Line) -> None:
        colour = _rgb(shape.strokeColor) or (0, 0, 0)
        width = self.width(shape.strokeWidth)
        start, end = self.xy(shape.x1, shape.y1), self.xy(shape.x2, shape.y2)
        dashes = shape.strokeDashArray
        if not dashes:
            self.draw.line((start, end), fill=colour, width=width)
            return
        on, off = (float(d) * self.scale for d in dashes[:2])
        dx, dy = end[0] - start[0], end[1] - start[1]
        length = (dx * dx + dy * dy) ** 0.5
        pos = 0.0
        while pos < length:
            stop = min(pos + on, length)
            a = (start[0] + dx * pos / length, start[1] + dy * pos / length)
            b = (start[0] + dx * stop / length, start[1] + dy * stop / length)
            self.draw.line((a, b), fill=colour, width=width)
            pos = stop + off

    def _string(self, shape: String) -> None:
        font = _font(max(1, round(shape.fontSize * self.scale)))
        x, y = self.xy(shape.x, shape.y)
        anchor = {"start": "ls", "middle": "ms", "end": "rs"}.get(shape.textAnchor, "ls")
        self.draw.text((x, y), shape.text, font=font, fill=_rgb(shape.fillColor), anchor=anchor)


def drawing_png(drawing: Drawing, dpi: float = 200) -> tuple[bytes, int, int]:
    """The drawing as PNG bytes, and its size in pixels (the same bytes for the same drawing)."""
    painter = _Painter(drawing, dpi)
    for shape in drawing.contents:
        painter.paint(shape)
    image = painter.image.reduce(SUPERSAMPLE)  # box filter: smooth edges, fast
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(dpi, dpi), compress_level=3)
    return buffer.getvalue(), image.width, image.height


__all__ = ["drawing_png"]
