"""Map a table's header names to a kind's fields: automatically, then as the user corrects it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from chinadialog_desktop.domain.folding import fold
from chinadialog_desktop.i18n import _
from chinadialog_desktop.interchange.problems import ProblemList
from chinadialog_desktop.services.datasets.kinds import KINDS, KindSpec

KEEP = ""  # a user mapping to "" keeps the column with the record as an extra


@dataclass(frozen=True)
class ColumnMapping:
    """For each column (by index): the field it fills, or None when it is kept as an extra."""

    kind: KindSpec
    headers: tuple[str, ...]
    fields: tuple[str | None, ...]
    own_export: bool  # written by our own export: formula guards are undone on import

    def field_of(self, index: int) -> str | None:
        return self.fields[index]

    def extras(self) -> list[int]:
        return [i for i, f in enumerate(self.fields) if f is None]

    def as_dict(self) -> dict[str, str | None]:
        return {
            h or f"#{i + 1}": f
            for i, (h, f) in enumerate(zip(self.headers, self.fields, strict=True))
        }


def lookup(kind: KindSpec) -> dict[str, str]:
    table: dict[str, str] = {}
    for spec in kind.fields:
        table.setdefault(fold(spec.name.replace("_", " ")), spec.name)
        for synonym in spec.synonyms:
            table.setdefault(fold(synonym), spec.name)
    table.pop("", None)  # an empty key never matches
    return table


def score(kind: KindSpec, headers: Sequence[str]) -> int:
    table = lookup(kind)
    return len({table[fold(h)] for h in headers if fold(h) in table})


def detect_kind(headers: Sequence[str]) -> KindSpec:
    """The kind whose field names the headers match best; partnerships win a tie (registers)."""
    ranked = sorted(
        KINDS.values(),
        key=lambda k: (score(k, headers), k.key == "partnerships"),
        reverse=True,
    )
    return ranked[0]


def parse_user_map(items: Sequence[str], problems: ProblemList) -> dict[str, str]:
    """``["Header=field", "Other="]`` → ``{"Header": "field", "Other": ""}``."""
    result: dict[str, str] = {}
    for item in items:
        header, sep, field = item.partition("=")
        if not sep:
            problems.error(
                _("Mapping '{item}' must look like \"Column name=field\".").format(item=item),
                code="mapping.syntax",
            )
            continue
        result[header.strip()] = field.strip()
    return result


def map_columns(
    headers: Sequence[str],
    kind: KindSpec,
    user_map: Mapping[str, str],
    problems: ProblemList,
    file: str,
) -> ColumnMapping:
    """Map each header; the user's choices win. Two columns for one field is an error."""
    by_header = lookup(kind)
    fields: list[str | None] = []
    by_fold_user = {fold(h): f for h, f in user_map.items() if fold(h)}
    used: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = fold(header)
        if header in user_map or (key and key in by_fold_user):
            target = user_map.get(header, by_fold_user.get(key, KEEP))
            if target != KEEP and kind.field(target) is None:
                problems.error(
                    _(
                        "Column '{header}' is mapped to '{field}', which {kind} do not have. "
                        "Known fields: {known}."
                    ).format(
                        header=header,
                        field=target,
                        kind=kind.key,
                        known=", ".join(kind.names),
                    ),
                    file=file,
                    column=index + 1,
                    code="mapping.unknown_field",
                )
                target = KEEP
            field: str | None = target or None
        else:
            field = by_header.get(key) if key else None
        if field is not None and field in used:
            problems.error(
                _(
                    "Columns {first} and {second} ('{header}') both map to the field '{field}'; "
                    "map one of them to another field or to nothing."
                ).format(first=used[field] + 1, second=index + 1, header=header, field=field),
                file=file,
                column=index + 1,
                code="mapping.duplicate",
            )
            field = None
        if field is not None:
            used[field] = index
        fields.append(field)
    folded_headers = {fold(h) for h in headers} - {""}
    for header in user_map:
        if header not in headers and fold(header) not in folded_headers:
            problems.error(
                _("The mapping names column '{header}', which the file does not have.").format(
                    header=header
                ),
                file=file,
                code="mapping.no_such_column",
            )
    own = bool(headers) and headers[0] == "uuid" and all(h in kind.names for h in headers)
    return ColumnMapping(kind, tuple(headers), tuple(fields), own)
