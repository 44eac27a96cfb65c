"""Tell the format of a file from its first bytes (and its name only as a tie-breaker)."""

from __future__ import annotations

import io
import zipfile

FORMATS = ("package", "xlsx", "csv", "json", "ftm-jsonl")


def detect_format(data: bytes, name: str) -> str:
    """``package``, ``xlsx``, ``json``, ``ftm-jsonl`` or ``csv``."""
    lower = name.lower()
    if data[:2] == b"\x1f\x8b":
        return "ftm-jsonl"  # gzip: only FollowTheMoney lists arrive compressed
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            return "package"  # the package reader reports the damage
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return "xlsx"
        return "package"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        first_line = head.split(b"\n", 1)[0]
        if lower.endswith((".jsonl", ".ndjson")) or (
            b'"schema"' in first_line and b'"properties"' in first_line
        ):
            return "ftm-jsonl"
        return "json"
    if head.startswith(b"[") and lower.endswith(".json"):
        return "json"
    return "csv"
