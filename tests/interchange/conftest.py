"""Fixtures for dataset import tests: a database and a way to prove nothing was written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers.db import db_state

from chinadialog_desktop.persistence.database import Database


@pytest.fixture
def state(db: Database) -> Callable[[], dict[str, Any]]:
    return lambda: db_state(db)


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write bytes (or text in an encoding) to a file under tmp_path."""

    def _write(name: str, content: bytes | str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return _write
