"""Write a dataset package: listed files plus a manifest with counts and SHA-256 checksums."""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chinadialog_desktop.interchange.package_reader import MANIFEST, SCHEMA_VERSION

# A fixed timestamp for members keeps two exports of the same data byte-identical.
_MEMBER_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class PackageMember:
    path: str
    data: bytes
    format: str
    kind: str | None
    records: int
    columns: Sequence[str] = ()
    encoding: str | None = None
    delimiter: str | None = None


def package_bytes(
    members: Sequence[PackageMember],
    *,
    title: str,
    publisher: str,
    licence: str,
    description: str = "",
    package_id: str | None = None,
    created: datetime | None = None,
) -> bytes:
    files: list[dict[str, Any]] = []
    for m in members:
        entry: dict[str, Any] = {
            "path": m.path,
            "format": m.format,
            "kind": m.kind,
            "records": m.records,
            "sha256": hashlib.sha256(m.data).hexdigest(),
        }
        if m.encoding:
            entry["encoding"] = m.encoding
        if m.delimiter:
            entry["delimiter"] = m.delimiter
        if m.columns:
            entry["columns"] = {c: c for c in m.columns}
        files.append(entry)
    manifest: Mapping[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "min_reader_version": SCHEMA_VERSION,
        "package_id": package_id or str(uuid.uuid4()),
        "title": title,
        "publisher": publisher,
        "created": (created or datetime.now(UTC)).isoformat(timespec="seconds"),
        "licence": licence,
        "description": description,
        "generator": "ChinaDialog Desktop",
        "files": files,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(MANIFEST, _MEMBER_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
        for m in members:
            info = zipfile.ZipInfo(m.path, _MEMBER_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, m.data)
    return out.getvalue()
