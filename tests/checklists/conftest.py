"""Fixtures for the checklist tests: template files and a partnership to assess."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from chinadialog_desktop.persistence.models import Partnership

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def minimal_path() -> Path:
    return FIXTURES / "minimal.yaml"


@pytest.fixture
def make_partnership(db) -> Callable[..., int]:
    def make(title: str = "Braunschweig – Zhuhai", type_: str = "twin_city") -> int:
        with db.session() as s:
            p = Partnership(title=title, type=type_)
            s.add(p)
            s.flush()
            return p.id

    return make
