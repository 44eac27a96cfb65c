"""benchmarks/RESULTS.md's generated tables match the figures in benchmarks/figures/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_generated_part_of_results_is_current():
    """Figures come from the benchmark scripts' JSON, never from editing RESULTS.md."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "render_results.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    text = (ROOT / "benchmarks" / "RESULTS.md").read_text(encoding="utf-8")
    assert text.count("<!-- BEGIN GENERATED") == 1 and text.count("<!-- END GENERATED -->") == 1
