"""Bounds on what an imported file may contain, so hostile input costs bounded time and memory."""

from __future__ import annotations

from dataclasses import dataclass

from chinadialog_desktop.i18n import format_number


@dataclass(frozen=True)
class Limits:
    """Every reader checks these; a file beyond a limit is rejected, not truncated."""

    max_file_bytes: int = 256 * 1024 * 1024  # a file on disk, or one archive member inflated
    max_field_chars: int = 100_000  # one CSV field / cell / JSON string
    max_rows: int = 1_000_000
    max_columns: int = 500
    max_json_depth: int = 32
    max_members: int = 200  # archive members
    max_inflated_bytes: int = 512 * 1024 * 1024  # all members together, counted while inflating
    max_ratio: int = 200  # inflated / compressed, per member (for members above 1 MiB)
    max_manifest_bytes: int = 1024 * 1024
    max_problems: int = 1000


DEFAULT_LIMITS = Limits()


def size_words(count: int) -> str:
    """A byte count for people: "980 Bytes", "12,5 KB", "256 MB" (German number format)."""
    if count < 1024:
        return f"{format_number(count)} Bytes"
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if count >= factor:
            value = count / factor
            return f"{format_number(value, 0 if value.is_integer() else 1)} {unit}"
    return f"{format_number(count)} Bytes"  # pragma: no cover
