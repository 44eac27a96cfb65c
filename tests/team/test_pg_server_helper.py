"""The throwaway server helper finds Debian's binaries, and says why not when they are absent."""

from __future__ import annotations

from pathlib import Path

from helpers.pg_server import find_binaries, missing_reason


def test_without_postgresql_the_reason_names_the_package(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    assert find_binaries(str(empty), tmp_path / "lib") is None
    reason = missing_reason(str(empty), tmp_path / "lib")
    assert reason is not None and "postgresql" in reason and "initdb" in reason


def test_the_newest_debian_version_is_taken(tmp_path):
    lib = tmp_path / "lib"
    for version in ("13", "15", "9"):
        bindir = lib / version / "bin"
        bindir.mkdir(parents=True)
        for name in ("initdb", "pg_ctl", "postgres"):
            (bindir / name).write_text("#!/bin/sh\n")
            (bindir / name).chmod(0o755)
    assert find_binaries(str(tmp_path / "nothing"), lib) == lib / "15" / "bin"


def test_binaries_on_the_path_are_followed_to_their_folder(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    on_path = tmp_path / "path"
    on_path.mkdir()
    for name in ("initdb", "pg_ctl"):
        (real / name).write_text("#!/bin/sh\n")
        (real / name).chmod(0o755)
        (on_path / name).symlink_to(real / name)
    assert find_binaries(str(on_path), tmp_path / "lib") == Path(real).resolve()
