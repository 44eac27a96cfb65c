"""Where resources, migrations and user data live, from a checkout or the bundle."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from chinadialog_desktop import APP_ID


def install_root() -> Path:
    """The folder that holds ``resources/`` and ``db/``.

    In a PyInstaller bundle that is ``sys._MEIPASS``; in a source checkout the
    project root. A wheel does not carry them (pyproject.toml declares no package
    data): installed that way, the answer is the folder ``_data`` inside the
    package, which nothing creates, so the app runs from a checkout or the bundle.
    """
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    here = Path(__file__).resolve().parent
    if (here.parent / "resources").is_dir() and (here.parent / "db").is_dir():
        return here.parent
    return here / "_data"


def resources_dir() -> Path:
    return install_root() / "resources"


def records_schema_file() -> Path:
    """The JSON Schema of dataset records, shipped with the app (written from the registry
    of record kinds by tools/records_schema.py; docs/ holds a copy)."""
    return resources_dir() / "schema" / "dataset-records.schema.json"


def migrations_dir() -> Path:
    return install_root() / "db"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def locale_dir() -> Path:
    return resources_dir() / "locale"


def user_data_dir() -> Path:
    # platformdirs is cheap to import; keep it here so tests can monkeypatch.
    from platformdirs import user_data_dir as _udd

    return Path(_udd(APP_ID, appauthor=False, roaming=True))


def default_database_path() -> Path:
    return user_data_dir() / "chinadialog.sqlite3"


def use_private_umask() -> None:
    """Everything this process creates is its owner's only: files 0600, folders 0700.

    The database, backups, exports and saved attachments can be VS-NfD
    material, whatever umask the desktop session happens to set. (On Windows
    files inherit the access rights of the folder they are created in; there is
    no umask.)
    """
    if os.name == "posix":
        os.umask(0o077)
