"""Named points in the write path where the fault tests kill the process.

``CHINADIALOG_FAULT="after-migration-step:2"`` makes the process send itself
SIGKILL the second time :func:`hit` is called with that name, so a test can
cut a real child process off at a chosen point — no mock, no timing.
Several points are separated by commas. Without the variable, :func:`hit`
costs one dictionary lookup and does nothing.
"""

from __future__ import annotations

import os
import signal

ENV = "CHINADIALOG_FAULT"

_counts: dict[str, int] = {}


def _targets() -> dict[str, int]:
    spec = os.environ.get(ENV, "")
    targets: dict[str, int] = {}
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        name, _sep, nth = part.partition(":")
        targets[name] = int(nth) if nth else 1
    return targets


def hit(name: str) -> None:
    """Count one pass through ``name``; die here if the environment asks for it."""
    if ENV not in os.environ:
        return
    _counts[name] = _counts.get(name, 0) + 1
    if _targets().get(name) == _counts[name]:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
