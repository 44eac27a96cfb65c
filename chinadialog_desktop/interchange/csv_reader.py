"""Read CSV as Excel and others write it, strictly: every defect is a located problem."""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from chinadialog_desktop.i18n import _, ngettext
from chinadialog_desktop.interchange.limits import DEFAULT_LIMITS, Limits
from chinadialog_desktop.interchange.problems import Problem, ProblemList
from chinadialog_desktop.interchange.table import Row, Table
from chinadialog_desktop.interchange.textdecode import decode

DELIMITERS = (";", ",", "\t")
_DELIMITER_NAMES = {";": "semicolon", ",": "comma", "\t": "tab", "tab": "\t"}


def _count_outside_quotes(line: str, char: str) -> int:
    count, quoted = 0, False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == char and not quoted:
            count += 1
    return count


def sniff_delimiter(first_line: str) -> str:
    """The delimiter that splits the header line most often; ties go to ``;``, TAB, ``,``."""
    best, best_count = ";", 0
    for candidate in DELIMITERS:
        n = _count_outside_quotes(first_line, candidate)
        if n > best_count:
            best, best_count = candidate, n
    return best


def parse_delimiter(value: str) -> str:
    value = _DELIMITER_NAMES.get(value.lower(), value) if len(value) > 1 else value
    return "\t" if value == "\\t" else value


def read_csv(
    data: bytes,
    file: str,
    problems: ProblemList,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    member: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Table | None:
    """Parse ``data``; returns None when the file cannot be read at all (problems say why).

    Rows with a defect are reported and left out of the table; the caller
    rejects the import when ``problems`` holds errors.
    """
    where = {"file": file, "member": member}
    if len(data) > limits.max_file_bytes:
        problems.error(
            _("The file is larger than {limit} MB.").format(
                limit=limits.max_file_bytes // (1024 * 1024)
            ),
            code="file.too_large",
            **where,
        )
        return None
    decoded = decode(data, file, encoding)
    if decoded.problem is not None:
        problems.add(_with_member(decoded.problem, member))
        return None
    text = decoded.text or ""
    stream = open_csv(
        _lines(text),
        file,
        problems,
        encoding=decoded.encoding,
        delimiter=delimiter,
        member=member,
        limits=limits,
    )
    if stream is None:
        return None
    stream.table.rows = list(stream)
    return None if stream.fatal else stream.table


class RowStream:
    """The data rows of an opened CSV file, read one at a time as they are iterated.

    Rows with a defect are reported and skipped. A defect the reader cannot
    continue after (broken quoting, too many rows) is reported, ends the
    iteration and sets ``fatal``. ``count`` is the number of data rows read.
    """

    def __init__(
        self,
        reader: _Reader,
        table: Table,
        problems: ProblemList,
        where: dict[str, Any],
        limits: Limits,
        line_offset: int,
        previous_end: int,
    ) -> None:
        self.reader, self.table, self.problems = reader, table, problems
        self.where, self.limits = where, limits
        self.line_offset, self.previous_end = line_offset, previous_end
        self.fatal = False
        self.count = 0

    def __iter__(self) -> Iterator[Row]:
        reader, table, problems, where, limits = (
            self.reader,
            self.table,
            self.problems,
            self.where,
            self.limits,
        )
        width = len(table.headers)
        while True:
            start_line = self.previous_end + 1 + self.line_offset
            cells = _next_record(reader, start_line, self.line_offset, problems, where, limits)
            if cells is None:
                self.fatal = reader.failed
                return
            self.previous_end = reader.line_num
            if not "".join(cells).strip():
                continue  # blank line
            if self.count >= limits.max_rows:
                problems.error(
                    _("The file has more than {limit} rows.").format(limit=limits.max_rows),
                    line=start_line,
                    code="csv.too_many_rows",
                    **where,
                )
                self.fatal = True
                return
            if len(cells) > width and not any(c.strip() for c in cells[width:]):
                cells = cells[:width]  # trailing empty fields, as some exports write them
            if len(cells) != width:
                problems.error(
                    ngettext(
                        "This row has {count} field, the header has {expected}.",
                        "This row has {count} fields, the header has {expected}.",
                        len(cells),
                    ).format(count=len(cells), expected=width),
                    line=start_line,
                    code="csv.field_count",
                    **where,
                )
                continue
            bad = False
            for index, cell in enumerate(
                cells if max(map(len, cells)) > limits.max_field_chars else (), start=1
            ):
                if len(cell) > limits.max_field_chars:
                    problems.error(
                        _("A field is longer than {limit} characters.").format(
                            limit=limits.max_field_chars
                        ),
                        line=start_line,
                        column=index,
                        code="csv.field_too_long",
                        **where,
                    )
                    bad = True
            if not bad:
                self.count += 1
                yield Row(start_line, tuple(cells))


class _Reader:
    """csv.reader with a note of whether it stopped on an error (not at the end)."""

    def __init__(self, lines: Iterator[str], delimiter: str) -> None:
        self._reader = csv.reader(lines, delimiter=delimiter, strict=True)
        self.failed = False

    @property
    def line_num(self) -> int:
        return self._reader.line_num

    def __next__(self) -> list[str]:
        return next(self._reader)


def _next_record(
    reader: _Reader,
    start_line: int,
    line_offset: int,
    problems: ProblemList,
    where: dict[str, Any],
    limits: Limits,
) -> list[str] | None:
    """The next record's cells; None at the end or after a reported error (``reader.failed``)."""
    try:
        return next(reader)
    except StopIteration:
        return None
    except csv.Error as exc:
        reader.failed = True
        message = str(exc)
        if "field larger than field limit" in message:
            problems.error(
                _("A field is longer than {limit} characters.").format(
                    limit=limits.max_field_chars
                ),
                line=start_line,
                code="csv.field_too_long",
                **where,
            )
        elif "unexpected end of data" in message or "EOF" in message:
            problems.error(
                _("A quoted field is not closed: the quote opened here never ends."),
                line=start_line,
                code="csv.unterminated_quote",
                **where,
            )
        else:
            problems.error(
                _(
                    "A quote is misplaced: inside a quoted field a quote must be doubled "
                    '(""), and after the closing quote the delimiter must follow.'
                ),
                line=reader.line_num + line_offset,
                code="csv.quoting",
                **where,
            )
        return None  # the reader cannot resynchronise after broken quoting


def open_csv(
    lines: Iterator[str],
    file: str,
    problems: ProblemList,
    *,
    encoding: str | None,
    delimiter: str | None = None,
    member: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> RowStream | None:
    """Read the header from decoded ``lines`` (with their ends); the rows follow on iteration.

    None when the file cannot be read at all (problems say why).
    """
    where = {"file": file, "member": member}
    lines = iter(lines)
    line_offset = 0
    first = next(lines, "")
    first_line = first.rstrip("\r\n")
    if first_line.lower().startswith("sep=") and len(first_line) in (5, 6):
        # Excel's hint line: "sep=;" names the delimiter and is not data.
        delimiter = delimiter or first_line[4:5]
        line_offset = 1
        first = next(lines, "")
        first_line = first.rstrip("\r\n")
    delim = parse_delimiter(delimiter) if delimiter else sniff_delimiter(first_line)
    reader = _Reader(itertools.chain((first,) if first else (), lines), delim)
    table = Table(
        file=file,
        headers=[],
        format="csv",
        encoding=encoding,
        delimiter=delim,
        member=member,
    )
    start_line = 1 + line_offset
    cells = _next_record(reader, start_line, line_offset, problems, where, limits)
    if cells is None:
        if not reader.failed:
            problems.error(_("The file is empty."), code="file.empty", **where)
        return None
    if len(cells) > limits.max_columns:
        problems.error(
            _("The file has {count} columns; at most {limit} are allowed.").format(
                count=len(cells), limit=limits.max_columns
            ),
            line=start_line,
            code="csv.too_many_columns",
            **where,
        )
        return None
    table.headers = [c.strip() for c in cells]
    if not any(table.headers):
        problems.error(
            _("The first line holds no column names."),
            line=start_line,
            code="csv.no_header",
            **where,
        )
        return None
    return RowStream(reader, table, problems, where, limits, line_offset, reader.line_num)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their ends (CR LF, LF or CR), as ``newline=""`` reads them.

    A generator over the one decoded string: unlike ``io.StringIO`` it makes no
    second copy of a file that may be hundreds of megabytes.
    """
    for match in _LINE.finditer(text):
        yield match.group()


def _with_member(problem: Problem, member: str | None) -> Problem:
    return problem if member is None else replace(problem, member=member)
