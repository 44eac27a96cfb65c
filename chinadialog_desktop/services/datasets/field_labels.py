"""Readable names for dataset fields and kinds (the registry's captions): the import
wizard and the command line say the same."""

from __future__ import annotations

from chinadialog_desktop.i18n import _
from chinadialog_desktop.services.datasets.kinds import table_kind


def field_label(kind_key: str | None, name: str) -> str:
    """``"Beschreibung (description)"``: the caption people know, then the name a file uses."""
    spec = table_kind(kind_key) if kind_key else None
    field = spec.field(name) if spec is not None else None
    caption = field.caption if field is not None else None
    return f"{_(caption)} ({name})" if caption else name


def kind_label(key: str) -> str:
    """``"Akteure"`` for ``"actors"``: the plural people read, the key if it is unknown."""
    from chinadialog_desktop.services.datasets.kinds import KINDS
    from chinadialog_desktop.services.datasets.nested import NESTED_LABELS

    spec = KINDS.get(key)
    label = spec.label if spec is not None else NESTED_LABELS.get(key)
    return _(label) if label else key
