"""Time-ordered UUIDs for imported records: valid version 7, unique, increasing."""

from __future__ import annotations

import uuid

from chinadialog_desktop.services.datasets.uuid7 import uuid7


def test_uuid7_is_valid_unique_and_ordered():
    values = [uuid7() for _ in range(10_000)]
    assert values == sorted(values)
    assert len(set(values)) == len(values)
    parsed = uuid.UUID(values[0])
    assert parsed.version == 7
    assert parsed.variant == uuid.RFC_4122
