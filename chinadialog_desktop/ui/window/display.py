"""Say plainly when there is no display, before Qt aborts with a misleading message."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from chinadialog_desktop.i18n import _


def missing_display_message(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> str | None:
    """One sentence for the user when no window can be shown, else ``None``.

    Without a display Qt's xcb plugin fails to load and Qt blames a missing
    ``libxcb-cursor0``; the real cause is that there is no screen to show on.
    Windows and macOS always have a window system.
    """
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if platform.startswith(("win", "darwin", "cygwin")):
        return None
    if env.get("QT_QPA_PLATFORM") or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return _(
        "No display found (neither DISPLAY nor WAYLAND_DISPLAY is set), so the window "
        "cannot open; start it inside a desktop session or with a virtual display, "
        "e.g. `xvfb-run -a chinadialog`."
    )
