"""Running Alembic from code: no alembic.ini, works from any folder and frozen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chinadialog_desktop.paths import migrations_dir

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import URL, Connection


def alembic_config(url: str | URL | None = None) -> Config:
    import sys

    from alembic.config import Config

    # Alembic's default stdout is bound when alembic.config is first imported;
    # pass the current one so output never goes to a stream closed since.
    cfg = Config(stdout=sys.stdout)
    cfg.set_main_option("script_location", str(migrations_dir()))
    if url:
        if not isinstance(url, str):  # a URL object: its path percent-quoted, % doubled for ini
            url = url.render_as_string(hide_password=False).replace("%", "%%")
        cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def upgrade(connection: Connection, target: str = "head") -> None:
    from alembic import command

    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, target)


def script_heads() -> list[str]:
    from alembic.script import ScriptDirectory

    return list(ScriptDirectory.from_config(alembic_config()).get_heads())


def script_revisions() -> list[str]:
    """All revisions, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]
