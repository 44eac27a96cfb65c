"""Whether a ``--db`` names a team server: a check the window's start makes before
anything of the server code (hashlib, the schema revisions) is needed."""

from __future__ import annotations

SERVER_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


def is_server_url(text: str | object) -> bool:
    """True when ``text`` names a server (``postgresql://…``), not a file."""
    if not isinstance(text, str):
        return False
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    return scheme in SERVER_SCHEMES
