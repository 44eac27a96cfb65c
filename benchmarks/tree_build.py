"""Build a benchmark's database with the code of the tree that will read it.

A baseline tree refuses a file written by newer code (a newer schema), so a file
the baseline reads must be created by the baseline's own code: this runs
``MODULE.FUNCTION(path, *ints)`` (a builder in ``benchmarks/``) in a child
process whose ``chinadialog_desktop`` comes from ``tree``, and returns what the
builder returned (JSON).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

BENCHMARKS = Path(__file__).resolve().parent


def installed_like(env: dict[str, str]) -> dict[str, str]:
    """``env`` for a child that starts the app as an installed one does: compiled modules
    cached (a bundle ships them compiled), not compiled again on every start, which would
    add each tree's compile time to what is measured. Changes and returns ``env``."""
    import tempfile

    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / "chinadialog-pycache"))
    return env


_CHILD = """
import json, sys
from pathlib import Path
benchmarks, tree, module, function, path, *numbers = sys.argv[1:]
sys.path.insert(0, benchmarks)
builder = getattr(__import__(module), function)
sys.path.insert(0, tree)  # the tree's code first, before the benchmark's own tree
for name in [m for m in sys.modules if m.startswith("chinadialog_desktop")]:
    del sys.modules[name]
print(json.dumps(builder(Path(path), *map(int, numbers))))
"""


def child(tree: Path, code: str, *args: str, doing: str = "") -> str:
    """Run ``code`` in a fresh interpreter with ``tree``'s code; its standard output."""
    env = dict(os.environ, PYTHONPATH=str(tree), CHINADIALOG_LANG="en")
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tree,
        timeout=1800,
    )
    if out.returncode != 0:
        raise SystemExit(f"{tree}: {doing}{out.stderr[-2000:]}")
    return out.stdout


def build_with(tree: Path, module: str, function: str, path: Path, *numbers: int) -> Any:
    args = [str(BENCHMARKS), str(tree), module, function, str(path), *map(str, numbers)]
    out = child(tree, _CHILD, *args, doing=f"building {path.name} failed:\n")
    return json.loads(out.strip().splitlines()[-1])
