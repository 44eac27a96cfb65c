"""Open a dataset package (.zip with manifest.json) and verify every listed file before use.

Nothing is extracted to disk: members are inflated into memory under a byte
budget that counts what is actually produced, not what the headers claim.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chinadialog_desktop.i18n import _
from chinadialog_desktop.interchange.json_reader import read_json
from chinadialog_desktop.interchange.limits import DEFAULT_LIMITS, Limits
from chinadialog_desktop.interchange.problems import ProblemList
from chinadialog_desktop.interchange.zipguard import open_zip, read_member

SCHEMA_VERSION = "1.0"
READER_VERSION = (1, 0)
MANIFEST = "manifest.json"
FILE_FORMATS = ("csv", "xlsx", "json", "ftm-jsonl", "yaml")  # yaml: checklist templates
_SHA = re.compile(r"[0-9a-f]{64}")
_VERSION = re.compile(r"(\d+)\.(\d+)")
_REQUIRED = ("schema_version", "package_id", "title", "publisher", "created", "licence", "files")


@dataclass(frozen=True)
class PackageFile:
    path: str
    format: str
    kind: str | None
    encoding: str | None
    delimiter: str | None
    records: int
    sha256: str
    columns: dict[str, str]
    sheet: str | None = None


@dataclass
class Package:
    manifest: dict[str, Any]
    files: list[PackageFile]
    data: dict[str, bytes] = field(default_factory=dict)  # path → verified bytes


def _version(text: object) -> tuple[int, int] | None:
    m = _VERSION.fullmatch(str(text)) if isinstance(text, str) else None
    return (int(m.group(1)), int(m.group(2))) if m else None


def _manifest_files(
    manifest: dict[str, Any], file: str, problems: ProblemList
) -> list[PackageFile]:
    where = {"file": file, "member": MANIFEST}
    files: list[PackageFile] = []
    entries = manifest.get("files")
    if not isinstance(entries, list) or not entries:
        problems.error(
            _("'files' must be a non-empty list."), key="files", code="package.manifest", **where
        )
        return files
    seen: set[str] = set()
    for n, entry in enumerate(entries):
        key = f"files[{n}]"
        if not isinstance(entry, dict):
            problems.error(
                _("Each file entry must be an object."), key=key, code="package.manifest", **where
            )
            continue
        path, fmt = entry.get("path"), entry.get("format")
        records, sha = entry.get("records"), entry.get("sha256")
        columns = entry.get("columns") or {}
        bad = []
        if not isinstance(path, str) or not path:
            bad.append("path")
        if fmt not in FILE_FORMATS:
            bad.append("format")
        if not isinstance(records, int) or isinstance(records, bool) or records < 0:
            bad.append("records")
        if not isinstance(sha, str) or not _SHA.fullmatch(sha.lower()):
            bad.append("sha256")
        if not isinstance(columns, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in columns.items()
        ):
            bad.append("columns")
        for opt in ("kind", "encoding", "delimiter", "sheet"):
            if entry.get(opt) is not None and not isinstance(entry.get(opt), str):
                bad.append(opt)
        if bad:
            problems.error(
                _("Invalid or missing entries: {fields}.").format(fields=", ".join(bad)),
                key=key,
                code="package.manifest",
                **where,
            )
            continue
        assert isinstance(path, str) and isinstance(fmt, str) and isinstance(sha, str)
        assert isinstance(records, int)
        if path in seen:
            problems.error(
                _("The file {path} is listed twice.").format(path=path),
                key=key,
                code="package.manifest",
                **where,
            )
            continue
        seen.add(path)
        files.append(
            PackageFile(
                path,
                fmt,
                entry.get("kind"),
                entry.get("encoding"),
                entry.get("delimiter"),
                records,
                sha.lower(),
                dict(columns),
                entry.get("sheet"),
            )
        )
    return files


def check_manifest(manifest: Any, file: str, problems: ProblemList) -> list[PackageFile]:
    where = {"file": file, "member": MANIFEST}
    if not isinstance(manifest, dict):
        problems.error(_("The manifest must be a JSON object."), code="package.manifest", **where)
        return []
    missing = [k for k in _REQUIRED if k not in manifest]
    if missing:
        problems.error(
            _("The manifest lacks: {fields}.").format(fields=", ".join(missing)),
            code="package.manifest",
            **where,
        )
        return []
    version = _version(manifest.get("schema_version"))
    if version is None:
        problems.error(
            _("'schema_version' must look like \"1.0\"."),
            key="schema_version",
            code="package.manifest",
            **where,
        )
        return []
    if version[0] > READER_VERSION[0]:
        problems.error(
            _(
                "The package uses format version {version}; this program reads version {ours}. "
                "Please update ChinaDialog Desktop."
            ).format(version=manifest["schema_version"], ours=SCHEMA_VERSION),
            key="schema_version",
            code="package.future",
            **where,
        )
        return []
    minimum = manifest.get("min_reader_version")
    if minimum is not None:
        needed = _version(minimum)
        if needed is None or needed > READER_VERSION:
            problems.error(
                _(
                    "The package needs a reader of version {version} or newer; this program is "
                    "version {ours}."
                ).format(version=minimum, ours=SCHEMA_VERSION),
                key="min_reader_version",
                code="package.future",
                **where,
            )
            return []
    for key in ("package_id", "title", "publisher", "licence"):
        if not isinstance(manifest.get(key), str) or not manifest[key].strip():
            problems.error(
                _("'{key}' must be a non-empty text.").format(key=key),
                key=key,
                code="package.manifest",
                **where,
            )
    created = manifest.get("created")
    try:
        datetime.fromisoformat(str(created).replace("Z", "+00:00"))
    except ValueError:
        problems.error(
            _("'created' must be an ISO 8601 date and time."),
            key="created",
            code="package.manifest",
            **where,
        )
    if manifest.get("description") is not None and not isinstance(manifest["description"], str):
        problems.error(
            _("'description' must be a text."), key="description", code="package.manifest", **where
        )
    return _manifest_files(manifest, file, problems)


def read_package(
    data: bytes, file: str, problems: ProblemList, limits: Limits = DEFAULT_LIMITS
) -> Package | None:
    """The manifest and the bytes of every listed file, each checked against its SHA-256.

    Record counts are checked by the caller, which parses the files.
    """
    safe = open_zip(data, file, limits, problems)
    if safe is None or problems.has_errors:
        return None
    if MANIFEST not in safe.members:
        problems.error(
            _("The package has no manifest.json at its root."),
            file=file,
            code="package.no_manifest",
        )
        return None
    raw = read_member(safe, MANIFEST, limits, problems, cap=limits.max_manifest_bytes)
    if raw is None:
        return None
    manifest = read_json(raw, file, problems, member=MANIFEST, limits=limits)
    if manifest is None:
        return None
    files = check_manifest(manifest, file, problems)
    if problems.has_errors:
        return None
    listed = {f.path for f in files}
    for name in safe.members:
        if name != MANIFEST and name not in listed and not name.endswith("/"):
            problems.warning(
                _("The member is not listed in the manifest; it was ignored and not opened."),
                file=file,
                member=name,
                code="package.unlisted",
            )
    package = Package(manifest, files)
    for entry in files:
        if entry.path not in safe.members:
            problems.error(
                _("The listed file is missing from the package."),
                file=file,
                member=entry.path,
                code="package.missing",
            )
            continue
        body = read_member(safe, entry.path, limits, problems)
        if body is None:
            if safe.budget.exceeded:
                return None
            continue
        actual = hashlib.sha256(body).hexdigest()
        if actual != entry.sha256:
            problems.error(
                _("Checksum mismatch: the manifest says {expected}, the file has {actual}.").format(
                    expected=entry.sha256[:16] + "…", actual=actual[:16] + "…"
                ),
                file=file,
                member=entry.path,
                code="package.checksum",
            )
            continue
        package.data[entry.path] = body
    return None if problems.has_errors else package
