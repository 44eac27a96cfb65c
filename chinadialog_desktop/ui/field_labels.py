"""Readable names for dataset fields in the import wizard (the editors' captions)."""

from __future__ import annotations

from chinadialog_desktop.domain.registers import REGISTERS
from chinadialog_desktop.i18n import N_, _

# Fields an import fills that have no caption of their own in an editor.
EXTRA = {
    "partnerships": {"german_party": N_("German party"), "chinese_party": N_("Chinese party")},
    "mixed": {
        "record_type": N_("Person or organisation"),
        "name": N_("Name"),
        "kind": N_("Kind of organisation"),
        "actor": N_("Organisation (belongs to)"),
        "actor_uuid": N_("Organisation (UUID)"),
        "partnership": N_("Partnership"),
    },
}


def _captions(kind_key: str) -> dict[str, str]:
    # Imported here: the editors pull in most of the workspace.
    from chinadialog_desktop.ui import (
        actor_editor,
        contacts_panel,
        partnership_editor,
        registers_panel,
        source_editor,
        timeline_panel,
    )

    specs = {
        "actors": actor_editor.SPECS,
        "partnerships": partnership_editor.SPECS,
        "sources": source_editor.SPECS,
        "activities": timeline_panel.SPECS,
        "contacts": contacts_panel.SPECS,
        "mixed": (*actor_editor.SPECS, *contacts_panel.SPECS),
        **{r.key: registers_panel.specs(r) for r in REGISTERS},
    }.get(kind_key, ())
    captions = {spec.name: spec.label for spec in specs}
    captions.update(EXTRA.get(kind_key, {}))
    return captions


def field_label(kind_key: str | None, name: str) -> str:
    """``"Beschreibung (description)"``: the caption people know, then the name a file uses."""
    caption = _captions(kind_key).get(name) if kind_key else None
    return f"{_(caption)} ({name})" if caption else name


def kind_label(key: str) -> str:
    """``"Akteure"`` for ``"actors"``: the plural people read, the key if it is unknown."""
    from chinadialog_desktop.services.datasets_kinds import KINDS
    from chinadialog_desktop.services.datasets_nested import NESTED_LABELS

    spec = KINDS.get(key)
    label = spec.label if spec is not None else NESTED_LABELS.get(key)
    return _(label) if label else key
