"""When the team server is away: the last local copy, and edits kept until it is back.

Two small JSON files in the app's data folder (``paths.user_data_dir()``), written
atomically, never holding a password:

* ``team-copies.json``: per server database (``host:port/database``) the *last local
  copy*: the newest file that ``db copy`` wrote from that server, with when it was
  taken. We decided against copying a whole team database behind the user's back
  (it may be large and hold VS-NfD material on a laptop); a travelling official
  takes a copy on purpose, and that copy is what the window offers, read-only, when
  the server cannot be reached.
* ``team-pending.json``: field edits the window could not save because the server
  could not be reached: record, field, value, the version it was based on, when.
  They are offered again when the server is back (also after a restart), saved with
  the same conflict check as any edit, and removed once saved or discarded.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import _
from chinadialog_desktop.persistence.server import (
    ServerTarget,
    ServerUnavailable,
    is_server_url,
    parse_target,
)

COPIES_FILE = "team-copies.json"
PENDING_FILE = "team-pending.json"


def _data_dir() -> Path:
    from chinadialog_desktop.paths import user_data_dir

    return user_data_dir()


def server_key(address: str | ServerTarget) -> str:
    """``host:port/database``: one server database, whoever logs in and however (TLS)."""
    target = address if isinstance(address, ServerTarget) else parse_target(address)
    return f"{target.host}:{target.port}/{target.database}"


def unreachable(exc: BaseException) -> bool:
    """True when ``exc`` says the server could not be reached (not: a right missing)."""
    return isinstance(exc, ServerUnavailable)


def _read(name: str) -> Any:
    path = _data_dir() / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):  # a damaged file: start afresh rather than stop the app
        return None


def _write(name: str, data: Any) -> None:
    from chinadialog_desktop.leftovers import write_atomically

    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    write_atomically(_data_dir() / name, text.encode("utf-8"), make_folders=True)


# -- the last local copy -----------------------------------------------------------------


@dataclass(frozen=True)
class LocalCopy:
    """A database file copied from a team server (``db copy``), and when."""

    path: Path
    taken_at: datetime
    server: str  # host:port/database

    def when(self) -> str:
        """``07.12.2026, 14:05`` (German) / ``07/12/2026, 14:05``: for messages."""
        from chinadialog_desktop.domain.labels import partial_date

        return f"{partial_date(self.taken_at.date(), 'day')}, {self.taken_at:%H:%M}"


def remember_copy(source: str, path: Path, taken_at: datetime | None = None) -> None:
    """Note ``path`` as the last local copy of the server ``source`` (``db copy`` calls it)."""
    copies = _read(COPIES_FILE) or {}
    copies[server_key(source)] = {
        "path": str(Path(path).expanduser().resolve()),
        "taken_at": (taken_at or datetime.now()).isoformat(timespec="seconds"),
    }
    _write(COPIES_FILE, copies)


def last_copy(address: str) -> LocalCopy | None:
    """The last local copy of the server ``address`` that still exists, or None."""
    if not is_server_url(address):
        return None
    key = server_key(address)
    entry = (_read(COPIES_FILE) or {}).get(key)
    if not isinstance(entry, dict):
        return None
    path = Path(str(entry.get("path", "")))
    if not path.is_file():
        return None
    try:
        taken_at = datetime.fromisoformat(str(entry.get("taken_at")))
    except ValueError:
        return None
    return LocalCopy(path, taken_at, key)


def open_copy(copy: LocalCopy) -> Any:
    """Open the copy read-only (``Database``); its banner says what it is and from when."""
    from chinadialog_desktop.persistence.database import Database

    note = _(
        "This is the local copy of the team server {server} from {when}, open read-only "
        "because the server cannot be reached; nothing can be changed here."
    ).format(server=copy.server.split("/", 1)[0], when=copy.when())
    return Database.open_read_only(copy.path, note)


# -- edits kept while the server is away ---------------------------------------------------


@dataclass(frozen=True)
class PendingEdit:
    """One field edit that could not be saved; ``values`` as the editor sent them."""

    id: str
    server: str
    kind: str
    uuid: str
    values: dict[str, Any]
    version: int | None
    text: str  # what the edit was ("Edit Title"), for the message
    kept_at: str


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise UserError(_("This value cannot be kept on this computer: {value}").format(value=value))


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "$date" in value:
        return date.fromisoformat(value["$date"])
    if isinstance(value, dict) and "$datetime" in value:
        return datetime.fromisoformat(value["$datetime"])
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _all() -> list[dict[str, Any]]:
    data = _read(PENDING_FILE)
    return [e for e in data if isinstance(e, dict)] if isinstance(data, list) else []


def keep_edit(
    address: str | ServerTarget,
    kind: str,
    uuid: str,
    values: dict[str, Any],
    version: int | None,
    text: str,
) -> PendingEdit:
    """Keep an edit the server did not get; a later edit of the same field replaces it."""
    server = server_key(address)
    encoded = {k: _encode(v) for k, v in values.items()}
    entries = [
        e
        for e in _all()
        if not (
            e.get("server") == server
            and e.get("uuid") == uuid
            and set(e.get("values", {})) == set(encoded)
        )
    ]
    # An earlier kept edit of this record was based on the same stored version.
    earlier = [e for e in entries if e.get("server") == server and e.get("uuid") == uuid]
    based_on = earlier[0].get("version") if earlier else version
    edit = PendingEdit(
        uuidlib.uuid4().hex,
        server,
        kind,
        uuid,
        encoded,
        based_on,
        text,
        datetime.now().isoformat(timespec="seconds"),
    )
    entries.append(asdict(edit))
    _write(PENDING_FILE, entries)
    return edit


def pending_edits(address: str | ServerTarget) -> list[PendingEdit]:
    """The edits kept for this server database, oldest first (values decoded)."""
    server = server_key(address)
    out = []
    for e in _all():
        if e.get("server") != server:
            continue
        out.append(
            PendingEdit(
                str(e["id"]),
                server,
                str(e["kind"]),
                str(e["uuid"]),
                {k: _decode(v) for k, v in dict(e.get("values") or {}).items()},
                e.get("version"),
                str(e.get("text") or ""),
                str(e.get("kept_at") or ""),
            )
        )
    return out


def forget_edit(edit_id: str) -> None:
    """Remove a kept edit (saved now, or discarded by the user)."""
    _write(PENDING_FILE, [e for e in _all() if e.get("id") != edit_id])


__all__ = [
    "LocalCopy",
    "PendingEdit",
    "forget_edit",
    "keep_edit",
    "last_copy",
    "open_copy",
    "pending_edits",
    "remember_copy",
    "server_key",
    "unreachable",
]
