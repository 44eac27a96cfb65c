"""Read any supported dataset file into typed incoming records, per kind."""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chinadialog_desktop.i18n import _
from chinadialog_desktop.interchange.csv_reader import RowStream, open_csv, read_csv
from chinadialog_desktop.interchange.detect import (
    GZIP,
    detect_format,
    foreign_content,
    format_words,
    named_format,
)
from chinadialog_desktop.interchange.json_reader import check_strings, read_json
from chinadialog_desktop.interchange.limits import DEFAULT_LIMITS, Limits, size_words
from chinadialog_desktop.interchange.package_reader import Package, PackageFile, read_package
from chinadialog_desktop.interchange.problems import ProblemList
from chinadialog_desktop.interchange.table import Table
from chinadialog_desktop.interchange.xlsx_reader import read_xlsx
from chinadialog_desktop.services.datasets.kinds import (
    KINDS,
    MIXED,
    KindSpec,
    resolve_kind,
    table_kind,
)
from chinadialog_desktop.services.datasets.mapping import (
    ColumnMapping,
    detect_kind,
    map_columns,
)
from chinadialog_desktop.services.datasets.mixed import has_type_column, looks_mixed, split_mixed
from chinadialog_desktop.services.datasets.nested import (
    NESTED_KINDS,
    TEMPLATES,
    NestedRecord,
    nested_kind,
    read_records,
    read_template_member,
)
from chinadialog_desktop.services.datasets.records import (
    Incoming,
    iter_records,
    records_from_json,
    records_from_table,
)
from chinadialog_desktop.services.records.validation import DISPLAY_NAMES


# What the user chose for an import (datasets_import re-exports it; the reader needs it too).
@dataclass
class ImportOptions:
    kind: str | None = None  # a kind of datasets_kinds or datasets_nested; None: detected
    user_map: Mapping[str, str] = field(default_factory=dict)
    sheet: str | None = None
    on_conflict: str | None = None  # "mine" | "theirs" for every conflict; None: must decide
    resolutions: Mapping[str, str] = field(default_factory=dict)  # uuid → mine/theirs
    limits: Limits = DEFAULT_LIMITS
    # A travel copy's merge back (services/travel.py): the base each record is compared with
    # instead of what earlier imports saw (``get(uuid)`` → (provided, after) or None) ...
    bases: Any = None
    # ... and what it adds to the import's transaction (the run's audit event), called with
    # the session and the run before the run is stored.
    on_commit: Callable[[Any, Any], None] | None = None


JSON_FORMAT = "chinadialog-dataset"
JSON_FORMAT_VERSION = 1
# A table of these kinds needs a column with a name (any of these) or the UUID; the
# first is the field a mapping should name (validation.DISPLAY_NAMES: the rest stand in).
NAME_FIELDS = {
    "actors": DISPLAY_NAMES["actor"],
    "contacts": DISPLAY_NAMES["contact"],
    MIXED.key: ("name", *DISPLAY_NAMES["actor"][1:]),
}


@dataclass
class ReadResult:
    format: str
    batches: list[tuple[KindSpec, Iterable[Incoming]]] = field(default_factory=list)
    mappings: list[ColumnMapping] = field(default_factory=list)
    package: Package | None = None
    ftm_members: list[tuple[str, bytes]] = field(default_factory=list)
    nested: list[NestedRecord] = field(default_factory=list)  # dossiers, templates, assessments
    stream: RowStream | None = None  # a CSV file read while it is planned (its rows)
    expected: int | None = None  # about how many records a streamed file holds


def known_kinds() -> str:
    return ", ".join([*KINDS, *NESTED_KINDS])


def _kind(
    name: str | None, headers: list[str] | None, problems: ProblemList, where: dict[str, Any]
) -> KindSpec | None:
    if name:
        kind = table_kind(name)
        if kind is None:
            problems.error(
                _("Unknown record kind '{kind}'; known: {known}.").format(
                    kind=name, known=", ".join([*KINDS, MIXED.key])
                )
                + (
                    " "
                    + _(
                        "Dossiers, checklist templates and assessments travel only in packages "
                        "and JSON, not in CSV or XLSX."
                    )
                    if nested_kind(name)
                    else ""
                ),
                code="kind.unknown",
                **where,
            )
        return kind
    return detect_kind(headers or [])


def _from_table(
    table: Table,
    kind_name: str | None,
    user_map: dict[str, str],
    problems: ProblemList,
    result: ReadResult,
) -> int:
    where = {"file": table.file, "member": table.member}
    if kind_name is None and table.sheet is not None and resolve_kind(table.sheet):
        kind_name = table.sheet  # our own workbooks name each sheet after its kind
    if kind_name is None and looks_mixed(table):
        kind_name = MIXED.key  # a column "Art" says Person or Organisation
    kind = _kind(kind_name, table.headers, problems, where)
    if kind is None:
        return 0
    mapping = map_columns(table.headers, kind, user_map, problems, table.file)
    result.mappings.append(mapping)
    mapped = set(f for f in mapping.fields if f)
    if kind.key in NAME_FIELDS and not {*NAME_FIELDS[kind.key], "uuid"} & mapped:
        problems.error(
            _('No column holds the actor\'s name; map one with --map "Column=name_de".')
            if kind.key == "actors"
            else _(
                "No column holds the field '{field}'; map one with --map \"Column={field}\"."
            ).format(field=kind.title_field),
            code="mapping.missing",
            **where,
        )
        return 0
    if kind is MIXED:
        count = len(table.rows)
        rows = split_mixed(table, mapping, problems)
        if rows is not None:
            result.batches.append((KINDS["actors"], rows.actors))
            result.batches.append((KINDS["contacts"], rows.contacts))
        return count
    if kind.key not in ("partnerships", *NAME_FIELDS) and not {kind.title_field, "uuid"} & mapped:
        problems.error(
            _("No column holds the field '{field}'; map one with --map \"Column={field}\".").format(
                field=kind.title_field
            ),
            code="mapping.missing",
            **where,
        )
        return 0
    if kind.key == "partnerships" and not (
        {"title", "uuid"} & mapped or {"german_party", "chinese_party"} <= mapped
    ):
        problems.error(
            _(
                "No column holds the partnership's title or both partners; map them with "
                '--map "Column=title" (or german_party and chinese_party).'
            ),
            code="mapping.missing",
            **where,
        )
        return 0
    if result.stream is not None:  # rows not read yet: they are typed as they are planned
        result.batches.append((kind, iter_records(table, result.stream, mapping, problems)))
        return 0
    count = len(table.rows)
    records = records_from_table(table, mapping, problems)
    result.batches.append((kind, records))
    return count


def _from_json_document(
    doc: Any,
    file: str,
    member: str | None,
    kind_name: str | None,
    limits: Limits,
    problems: ProblemList,
    result: ReadResult,
    text: str | None = None,
) -> int:
    where = {"file": file, "member": member}
    if (
        not isinstance(doc, dict)
        or doc.get("format") != JSON_FORMAT
        or not isinstance(doc.get("records"), dict)
    ):
        problems.error(
            _(
                'This JSON is not a ChinaDialog dataset (expected "format": "{format}" and '
                '"records").'
            ).format(format=JSON_FORMAT),
            code="json.shape",
            **where,
        )
        return 0
    version = doc.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version > JSON_FORMAT_VERSION:
        problems.error(
            _(
                "The dataset has format version {version}; this program reads version {ours}."
            ).format(version=version, ours=JSON_FORMAT_VERSION),
            key="format_version",
            code="json.future",
            **where,
        )
        return 0
    too_long = check_strings(doc, limits)
    if too_long:
        problems.error(
            _("A text is longer than {limit} characters.").format(limit=limits.max_field_chars),
            key=too_long,
            code="json.field_too_long",
            **where,
        )
        return 0
    count = 0
    wanted_nested = nested_kind(kind_name)
    for key, items in doc["records"].items():
        nested = nested_kind(key)
        if nested is not None:
            if kind_name and nested != wanted_nested:
                continue
            if not isinstance(items, list):
                problems.error(
                    _("Records must be a list."), key=f"records.{key}", code="json.shape", **where
                )
                continue
            result.nested.extend(read_records(nested, items, problems, where, text))
            count += len(items)
            continue
        kind = resolve_kind(key)
        if kind is None:
            problems.error(
                _("Unknown record kind '{kind}'; known: {known}.").format(
                    kind=key, known=known_kinds()
                ),
                key=f"records.{key}",
                code="kind.unknown",
                **where,
            )
            continue
        if kind_name and resolve_kind(kind_name) is not kind:
            continue
        if not isinstance(items, list):
            problems.error(
                _("Records must be a list."), key=f"records.{key}", code="json.shape", **where
            )
            continue
        result.batches.append((kind, records_from_json(kind, items, problems, where)))
        count += len(items)
    return count


def _ftm_count(data: bytes, member: str, limits: Limits) -> int | None:
    """Non-empty lines of a (possibly gzipped) JSON-lines member; None past the byte limit.

    Read in chunks, never line by line: one endless line must not fill memory.
    """
    stream: io.BufferedIOBase = io.BytesIO(data)
    if data[:2] == b"\x1f\x8b":
        stream = gzip.GzipFile(fileobj=io.BytesIO(data))
    count = total = 0
    pending = False  # the current line has content
    try:
        while chunk := stream.read(64 * 1024):
            total += len(chunk)
            if total > limits.max_file_bytes:
                return None
            for part_index, part in enumerate(chunk.split(b"\n")):
                if part_index > 0:
                    count += pending
                    pending = False
                pending = pending or bool(part.strip())
    except (OSError, EOFError, zlib.error):
        return -1  # damaged compression: the count check reports it
    return count + pending


def _package(
    data: bytes, file: str, options: ImportOptions, problems: ProblemList, result: ReadResult
) -> None:
    package = read_package(data, file, problems, options.limits)
    if package is None:
        return
    result.package = package
    for entry in package.files:
        body = package.data[entry.path]
        count = _package_member(entry, body, file, options, problems, result)
        if count is not None and count != entry.records:
            problems.error(
                _("The manifest says {expected} records, the file has {actual}.").format(
                    expected=entry.records, actual=count
                ),
                file=file,
                member=entry.path,
                code="package.record_count",
            )


def _package_member(
    entry: PackageFile,
    body: bytes,
    file: str,
    options: ImportOptions,
    problems: ProblemList,
    result: ReadResult,
) -> int | None:
    limits = options.limits
    user_map = {**entry.columns, **options.user_map}
    if nested_kind(entry.kind) == TEMPLATES:
        if entry.format not in ("yaml", "json"):
            problems.error(
                _("A checklist template member must be YAML or JSON."),
                file=file,
                member=entry.path,
                code="package.manifest",
            )
            return None
        rec = read_template_member(body, entry.path, {"file": file, "member": entry.path}, problems)
        if rec is not None:
            result.nested.append(rec)
        return 1
    if entry.format == "yaml":
        problems.error(
            _('Only checklist templates (kind "checklist_template") may be YAML members.'),
            file=file,
            member=entry.path,
            code="package.manifest",
        )
        return None
    if entry.format == "csv":
        table = read_csv(
            body,
            file,
            problems,
            encoding=entry.encoding,
            delimiter=entry.delimiter,
            member=entry.path,
            limits=limits,
        )
        return None if table is None else _from_table(table, entry.kind, user_map, problems, result)
    if entry.format == "xlsx":
        tables = read_xlsx(
            body,
            file,
            problems,
            sheet=entry.sheet,
            member=entry.path,
            limits=limits,
            whole_workbook=_kind_sheets,
        )
        if tables is None:
            return None
        return sum(_from_table(t, entry.kind, user_map, problems, result) for t in tables)
    if entry.format == "json":
        doc = read_json(body, file, problems, member=entry.path, limits=limits)
        if doc is None:
            return None
        return _from_json_document(
            doc, file, entry.path, entry.kind, limits, problems, result, _text(body)
        )
    count = _ftm_count(body, entry.path, limits)
    if count is None:
        problems.error(
            _("The member unpacks to more than {limit}.").format(
                limit=size_words(limits.max_file_bytes)
            ),
            file=file,
            member=entry.path,
            code="zip.bomb",
        )
        return None
    result.ftm_members.append((entry.path, body))
    return count


def _text(data: bytes) -> str | None:
    """The text of a JSON file that parsed (UTF-8; other encodings give no line numbers)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _kind_sheets(names: list[str]) -> bool:
    return bool(names) and all(n in KINDS for n in names)


def read_dataset(
    data: bytes, name: str, options: ImportOptions, problems: ProblemList
) -> ReadResult:
    foreign = foreign_content(data)
    if foreign is not None:
        problems.error(foreign, file=name, code="file.wrong_type")
        return ReadResult("unknown")
    fmt = detect_format(data, name)
    named = named_format(name)
    if named is not None and named[1] != fmt and not (named[1] == "gzip" and data[:2] == GZIP):
        problems.warning(
            _(
                "The file name ends in {suffix}, but the file contains {what}; it was read as that."
            ).format(suffix=named[0], what=format_words(fmt)),
            file=name,
            code="file.misnamed",
        )
    if fmt == "gzip":
        result = _gzip(data, name, options, problems)
    else:
        result = _read_format(fmt, data, name, options, problems)
    if not problems.has_errors and result.format != "ftm-jsonl" and not has_records(result):
        problems.error(
            _("The file has column names but no data rows.")
            if result.format in ("csv", "xlsx")
            else _("The file contains no records."),
            file=name,
            code="file.no_rows",
        )
    return result


def _gzip(data: bytes, name: str, options: ImportOptions, problems: ProblemList) -> ReadResult:
    """A compressed CSV, JSON or package file: unpacked within the size limit, then read."""
    limit = options.limits.max_file_bytes
    where = {"file": name, "code": "gzip.bad"}
    parts: list[bytes] = []
    size = 0
    rest = data
    try:
        while rest:
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            parts.append(inflater.decompress(rest, limit + 1 - size))
            size += len(parts[-1])
            if size > limit:
                problems.error(
                    _("Unpacked, the file is larger than {limit} MB.").format(
                        limit=limit // (1024 * 1024)
                    ),
                    file=name,
                    code="file.too_large",
                )
                return ReadResult("gzip")
            if not inflater.eof:
                problems.error(_("The compressed file is incomplete: it ends too early."), **where)
                return ReadResult("gzip")
            rest = inflater.unused_data.lstrip(b"\x00")  # further members, or padding
    except zlib.error:
        problems.error(_("The compressed file is damaged and cannot be unpacked."), **where)
        return ReadResult("gzip")
    inner = b"".join(parts)
    if inner[:2] == GZIP:
        problems.error(_("The file is compressed twice; unpack it first."), **where)
        return ReadResult("gzip")
    inner_name = name[:-3] if name.lower().endswith(".gz") else name
    fmt = detect_format(inner, inner_name)
    if fmt == "ftm-jsonl":
        fmt = "json"  # a FollowTheMoney list was recognised before unpacking
    foreign = foreign_content(inner)
    if foreign is not None:
        problems.error(foreign, file=name, code="file.wrong_type")
        return ReadResult("gzip")
    return _read_format(fmt, inner, name, options, problems)


def _read_format(
    fmt: str, data: bytes, name: str, options: ImportOptions, problems: ProblemList
) -> ReadResult:
    result = ReadResult(fmt)
    user_map = dict(options.user_map)
    if fmt == "csv":
        table = read_csv(data, name, problems, limits=options.limits)
        if table is not None:
            _from_table(table, options.kind, user_map, problems, result)
    elif fmt == "xlsx":
        tables = read_xlsx(
            data,
            name,
            problems,
            sheet=options.sheet,
            limits=options.limits,
            whole_workbook=None if options.kind else _kind_sheets,
        )
        for table in tables or []:
            _from_table(table, options.kind, user_map, problems, result)
    elif fmt == "json":
        doc = read_json(data, name, problems, limits=options.limits)
        if doc is not None:
            _from_json_document(
                doc, name, None, options.kind, options.limits, problems, result, _text(data)
            )
    elif fmt == "package":
        _package(data, name, options, problems, result)
    else:
        result.ftm_members.append((name, data))
    return result


_HEAD = 64 * 1024
_CHUNK = 1024 * 1024


def stream_csv(
    path: Path, name: str, options: ImportOptions, problems: ProblemList
) -> tuple[str, ReadResult] | None:
    """A plain UTF-8 or Windows-1252 CSV file, read from disk while it is planned; None
    for any other file.

    A first pass hashes the file, checks its encoding and that it holds no NUL
    bytes, and counts its records (for the progress); the rows are then read a
    line at a time during planning, so the file is never in memory as a whole.
    The encoding is decided as :func:`textdecode.decode` decides it for a whole
    file: UTF-8 if every byte is; else Windows-1252 if every byte is that and no
    byte sequence looks like UTF-8 (a damaged UTF-8 file is not Windows-1252).
    Anything else (a damaged byte, another format, a UTF-8 BOM on bytes that are
    not UTF-8, a doubt) is read by :func:`read_dataset`, whose messages say
    exactly what is wrong.
    """
    with open(path, "rb") as f:
        head = f.read(_HEAD)
    if (
        head[:2] == GZIP
        or head[:2] == b"PK"
        or foreign_content(head) is not None
        or detect_format(head, name) != "csv"
        or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        or (named_format(name) or ("", "csv"))[1] != "csv"
    ):
        return None
    from chinadialog_desktop.interchange.textdecode import _UTF8_SEQUENCE, _utf16_without_bom

    if _utf16_without_bom(head[:4096]):
        return None
    hasher = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    utf8, ascii_so_far, tail = True, True, b""
    records, quoted, pending = 0, False, False
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            hasher.update(chunk)
            if b"\x00" in chunk:
                return None
            if utf8:
                try:
                    decoder.decode(chunk)
                    ascii_so_far = ascii_so_far and chunk.isascii()
                except UnicodeDecodeError:
                    # Windows-1252 only if nothing before was UTF-8 beyond ASCII and the
                    # file does not start with a UTF-8 BOM (decode() insists on UTF-8 then).
                    if not ascii_so_far or head.startswith(codecs.BOM_UTF8):
                        return None
                    utf8 = False
            if not utf8:
                try:
                    chunk.decode("windows-1252")
                except UnicodeDecodeError:  # one of its five undefined bytes
                    return None
                if _UTF8_SEQUENCE.search(tail + chunk):
                    return None  # a damaged UTF-8 file
                tail = chunk[-2:]
            pieces = chunk.split(b"\n")
            for index, piece in enumerate(pieces):
                if index and not quoted and pending:
                    records += 1
                    pending = False
                pending = pending or bool(piece.strip())
                if piece.count(b'"') % 2:
                    quoted = not quoted
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return None
    encoding = "utf-8" if utf8 else "windows-1252"
    sha = hasher.hexdigest()
    result = ReadResult("csv", expected=max(records + pending - 1, 0))
    stream = open_csv(
        _file_lines(path, name, sha, problems, "utf-8-sig" if utf8 else encoding),
        name,
        problems,
        encoding=encoding,
        limits=options.limits,
    )
    if stream is None:
        return sha, result
    if options.kind == MIXED.key or (
        options.kind is None and has_type_column(stream.table.headers)
    ):
        # A list that may mix persons and organisations is read whole: its "Art" column
        # decides the kinds from the values of every row before anything is planned.
        return None
    result.stream = stream
    _from_table(stream.table, options.kind, dict(options.user_map), problems, result)
    return sha, result


class _Hashing(io.RawIOBase):
    def __init__(self, raw: Any) -> None:
        self.raw, self.hasher = raw, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n: int = self.raw.readinto(buffer)
        self.hasher.update(memoryview(buffer)[:n])
        return n


def _file_lines(
    path: Path, name: str, sha: str, problems: ProblemList, encoding: str = "utf-8-sig"
) -> Iterator[str]:
    """The decoded lines of ``path`` with their ends; a file changed meanwhile is an error."""
    changed = _(
        "The file was changed while it was being imported; nothing was imported. Import it "
        "again when no other program writes to it."
    )
    try:
        with open(path, "rb", buffering=0) as raw:
            hashing = _Hashing(raw)
            lines = io.TextIOWrapper(
                io.BufferedReader(hashing, _CHUNK), encoding=encoding, newline=""
            )
            yield from lines
            if hashing.hasher.hexdigest() != sha:
                problems.error(changed, file=name, code="file.changed")
    except (UnicodeDecodeError, OSError):
        problems.error(changed, file=name, code="file.changed")


def has_records(result: ReadResult) -> bool:
    """Whether the file holds anything to import (not just a header line)."""
    return bool(
        any(records for _kind, records in result.batches) or result.nested or result.ftm_members
    )
