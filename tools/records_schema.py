"""Write the JSON Schema of dataset records from the registry of record kinds (domain/kinds.py).

Usage: ``.venv/bin/python tools/records_schema.py`` (``--check``: exit 1 when a copy is stale).
The schema describes the ``records`` object of a JSON export or a dataset package's
records: one array per kind (the registers included), each field with its type, length,
vocabulary and format. It is written twice from the one registry: into the app's
resources (``resources/schema/``, shipped with the app and its bundle, read by
``chinadialog_desktop.paths.records_schema_file``) and into ``docs/`` for readers
of the repository.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from chinadialog_desktop.domain.kinds import records_schema  # noqa: E402
from chinadialog_desktop.paths import records_schema_file  # noqa: E402

SHIPPED = records_schema_file()
TARGETS = (SHIPPED, ROOT / "docs" / SHIPPED.name)


def render() -> str:
    return json.dumps(records_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        stale = [t for t in TARGETS if not t.exists() or t.read_text(encoding="utf-8") != text]
        for target in stale:
            print(f"{target.relative_to(ROOT)} is stale: run tools/records_schema.py")
        return 1 if stale else 0
    for target in TARGETS:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
