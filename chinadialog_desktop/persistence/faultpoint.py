"""Named points in the write path where the fault tests stop or kill the process.

``CHINADIALOG_FAULT="after-migration-step:2"`` makes the process send itself
SIGKILL the second time :func:`hit` is called with that name, so a test can
cut a real child process off at a chosen point — no mock, no timing.
Several points are separated by commas.

``name:N:pause`` instead makes the process wait there: it creates the file
``$CHINADIALOG_FAULT_DIR/name.reached`` and waits until the test creates
``name.go`` beside it (or kills it). Two processes can so be put into an
exact interleaving through files, whatever the machine's load.

Without the variable, :func:`hit` costs one dictionary lookup and does nothing.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

ENV = "CHINADIALOG_FAULT"
DIR_ENV = "CHINADIALOG_FAULT_DIR"

_counts: dict[str, int] = {}


def _targets() -> dict[str, tuple[int, str]]:
    spec = os.environ.get(ENV, "")
    targets: dict[str, tuple[int, str]] = {}
    for part in spec.split(","):
        name, _sep, rest = part.strip().partition(":")
        if not name:
            continue
        nth, _sep, action = rest.partition(":")
        targets[name] = (int(nth) if nth else 1, action or "kill")
    return targets


def hit(name: str) -> None:
    """Count one pass through ``name``; die or wait here if the environment asks for it."""
    if ENV not in os.environ:
        return
    _counts[name] = _counts.get(name, 0) + 1
    target = _targets().get(name)
    if target is None or target[0] != _counts[name]:
        return
    if target[1] == "pause":
        folder = Path(os.environ[DIR_ENV])
        part = folder / f"{name}.reached.part"
        part.write_text(f"{os.getpid()}\n", encoding="utf-8")
        part.replace(folder / f"{name}.reached")
        while not (folder / f"{name}.go").exists():
            time.sleep(0.01)
        return
    os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
