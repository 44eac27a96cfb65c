"""Size on disk of the PyInstaller bundle (target: at most 160 MB), its biggest parts, start times.

Build into a temporary folder and report:  .venv/bin/python benchmarks/bundle_size.py
Report on an existing bundle:  .venv/bin/python benchmarks/bundle_size.py dist/chinadialog
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_MB = 160.0
MB = 1e6


def on_disk(path: Path) -> int:
    """Bytes a file takes on disk, like ``du`` (a symbolic link is counted, not followed)."""
    st = path.lstat()
    return st.st_blocks * 512 if hasattr(st, "st_blocks") else st.st_size


def build(workdir: Path) -> tuple[Path, float]:
    """Build the bundle with build.spec into ``workdir``; returns its folder and the build time."""
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(workdir / "dist"),
            "--workpath",
            str(workdir / "build"),
            str(ROOT / "build.spec"),
        ],
        cwd=ROOT,
        check=True,
    )
    return workdir / "dist" / "chinadialog", time.perf_counter() - started


def group_of(rel: Path) -> str:
    """The part of the bundle a file belongs to, for the breakdown."""
    parts = rel.parts
    if parts[0] != "_internal" or len(parts) == 2:
        return "(top-level libraries)" if parts[0] == "_internal" else parts[0]
    inner = parts[1:]
    if inner[0] == "PySide6" and len(inner) > 2 and inner[1] == "Qt":
        name = "/".join(inner[:3])
        if inner[2] == "lib" and "icu" in inner[-1]:
            return "PySide6/Qt/lib (ICU)"
        return name
    if inner[0] in {"PySide6", "shiboken6"}:
        return f"{inner[0]} (Python bindings)"
    return inner[0]


def report(folder: Path, top: int) -> float:
    if not any(folder.glob("chinadialog*")):
        raise SystemExit(f"no chinadialog binary in {folder}")
    files = [p for p in folder.rglob("*") if p.is_file() or p.is_symlink()]
    sizes = {p: on_disk(p) for p in files}
    total = sum(sizes.values()) + sum(on_disk(p) for p in folder.rglob("*") if p.is_dir())
    apparent = sum(p.lstat().st_size for p in files)
    groups: Counter[str] = Counter()
    for path, size in sizes.items():
        groups[group_of(path.relative_to(folder))] += size

    verdict = "within" if total / MB <= TARGET_MB else "OVER"
    print(f"bundle: {folder}")
    print(
        f"size on disk: {total / MB:.1f} MB = {total / 2**20:.1f} MiB "
        f"({verdict} the {TARGET_MB:.0f} MB target); "
        f"apparent size {apparent / MB:.1f} MB in {len(files)} files"
    )
    print(f"\nbiggest parts (top {top}):")
    for name, size in groups.most_common(top):
        print(f"  {size / MB:7.1f} MB  {name}")
    print(f"\nbiggest files (top {top}):")
    for path, size in sorted(sizes.items(), key=lambda kv: kv[1], reverse=True)[:top]:
        print(f"  {size / MB:7.1f} MB  {path.relative_to(folder)}")
    return total / MB


def start_times(folder: Path, runs: int) -> None:
    """Wall-clock time of ``--version`` and ``selftest`` of the frozen binary (median)."""
    binary = folder / ("chinadialog.exe" if sys.platform == "win32" else "chinadialog")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    print(f"\nstart of the frozen binary, warm, median of {runs}:")
    with tempfile.TemporaryDirectory(prefix="chinadialog-start-") as tmp:
        for args in (["--version"], ["--lang", "en", "selftest", "--temp"]):
            times = []
            for _ in range(runs + 1):  # the first run only warms the file cache
                started = time.perf_counter()
                done = subprocess.run(
                    [str(binary), *args], cwd=tmp, env=env, capture_output=True, text=True
                )
                times.append(time.perf_counter() - started)
                if done.returncode != 0:
                    raise SystemExit(f"{' '.join(args)} failed: {done.stderr.strip()}")
            last = done.stdout.strip().splitlines()[-1]
            print(f"  {statistics.median(times[1:]):6.3f} s  chinadialog {' '.join(args)}")
            print(f"            {last}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", nargs="?", type=Path, help="an existing dist/chinadialog folder")
    parser.add_argument("--top", type=int, default=15, help="how many parts and files to list")
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    parser.add_argument("--runs", type=int, default=5, help="start-time runs (0: skip)")
    args = parser.parse_args()

    if args.bundle:
        size = report(args.bundle.resolve(), args.top)
        if args.runs:
            start_times(args.bundle.resolve(), args.runs)
        return 0 if size <= TARGET_MB else 1
    with tempfile.TemporaryDirectory(prefix="chinadialog-bundle-") as tmp:
        workdir = args.keep.resolve() if args.keep else Path(tmp)
        folder, seconds = build(workdir)
        print(f"built in {seconds:.1f} s on {os.cpu_count()} cores")
        size = report(folder, args.top)
        if args.runs:
            start_times(folder, args.runs)
    return 0 if size <= TARGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
