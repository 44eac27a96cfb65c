"""Problems found while reading an imported file: where, why, and how bad."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from chinadialog_desktop.i18n import _

Severity = Literal["error", "warning", "info"]

ERROR: Severity = "error"
WARNING: Severity = "warning"
INFO: Severity = "info"


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem with one place in an imported file.

    ``message`` is already translated (built with ``_()``); ``code`` is a stable
    machine-readable reason (e.g. ``"json.nan"``) for tests and programs.
    Every location field is optional: a CSV problem has a line and a column,
    a workbook problem a sheet and a cell, a package problem an archive member,
    a JSON problem a line and a key.
    """

    message: str
    file: str | None = None
    line: int | None = None
    column: int | str | None = None
    member: str | None = None
    sheet: str | None = None
    cell: str | None = None
    key: str | None = None
    severity: Severity = ERROR
    code: str = ""
    header: str | None = None  # the column's header in the file, named beside its number

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def location(self) -> str:
        """The place in words, e.g. ``"list.jsonl, line 12, key 'properties.name'"`` or
        ``"a.csv, line 3, column 6 ('End')"``."""
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.member:
            parts.append(_("member {member}").format(member=self.member))
        if self.sheet:
            parts.append(_("sheet {sheet}").format(sheet=self.sheet))
        if self.cell:
            parts.append(_("cell {cell}").format(cell=self.cell))
        if self.line is not None:
            parts.append(_("line {line}").format(line=self.line))
        if self.column is not None and self.header:
            parts.append(
                _("column {column} ('{header}')").format(column=self.column, header=self.header)
            )
        elif self.column is not None:
            parts.append(_("column {column}").format(column=self.column))
        elif self.header:
            parts.append(_("column '{header}'").format(header=self.header))
        if self.key:
            parts.append(_("key '{key}'").format(key=self.key))
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class ProblemList:
    """An ordered, bounded collection of problems.

    Only the first ``limit`` problems are kept (a hostile file must not fill
    memory with messages); ``total`` and ``error_count`` still count them all.
    """

    limit: int = 1000
    items: list[Problem] = field(default_factory=list)
    total: int = 0
    error_count: int = 0

    def add(self, problem: Problem) -> Problem:
        self.total += 1
        if problem.is_error:
            self.error_count += 1
        if len(self.items) < self.limit:
            self.items.append(problem)
        return problem

    def error(self, message: str, **where: Any) -> Problem:
        return self.add(Problem(message, severity=ERROR, **where))

    def warning(self, message: str, **where: Any) -> Problem:
        return self.add(Problem(message, severity=WARNING, **where))

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0

    @property
    def truncated(self) -> int:
        """How many problems were counted but not kept."""
        return self.total - len(self.items)

    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.is_error]

    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == WARNING]

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return self.total > 0

    def to_dicts(self) -> list[dict[str, Any]]:
        return [p.to_dict() for p in self.items]

    def format(self) -> str:
        """All kept problems, one a line, and a note if some were left out."""
        lines = [str(p) for p in self.items]
        if self.truncated:
            lines.append(_("… and {count} more problems not shown").format(count=self.truncated))
        return "\n".join(lines)
