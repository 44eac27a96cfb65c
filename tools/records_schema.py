"""Write docs/dataset-records.schema.json from the registry of record kinds (domain/kinds.py).

Usage: ``.venv/bin/python tools/records_schema.py`` (``--check``: exit 1 when the file is stale).
The schema describes the ``records`` object of a JSON export or a dataset package's
records: one array per kind, each field with its type, length, vocabulary and format.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from chinadialog_desktop.domain.kinds import records_schema  # noqa: E402

TARGET = ROOT / "docs" / "dataset-records.schema.json"


def render() -> str:
    return json.dumps(records_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET.relative_to(ROOT)} is stale: run tools/records_schema.py")
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
