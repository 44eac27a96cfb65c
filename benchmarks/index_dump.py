"""Compare the screening index of two SQLite files row for row (issue 13, point 5).

Hashes, table by table and in key order, the rows of ``screening_key``, ``screening_near``,
``screening_entity``, ``screening_index`` (its stamp left out: it holds the import's time)
and ``reference_entity`` (without uuids and times), and says which tables differ.

    .venv/bin/python benchmarks/index_dump.py BASELINE.sqlite3 NEW.sqlite3
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys

QUERIES = {
    "screening_key": "SELECT list_id, key, df, ids FROM screening_key ORDER BY list_id, key",
    "screening_near": "SELECT list_id, variant, words FROM screening_near "
    "ORDER BY list_id, variant",
    "screening_entity": "SELECT entity_id, names FROM screening_entity ORDER BY entity_id",
    "screening_index": "SELECT list_id, matcher, entity_count, key_count FROM screening_index "
    "ORDER BY list_id",
    "reference_entity": "SELECT id, list_id, entity_key, schema, caption, names, weak_aliases, "
    "countries, topics, identifiers, properties, first_seen, last_seen, last_change, "
    "content_hash, version FROM reference_entity ORDER BY id",
}


def dump(path: str) -> dict[str, tuple[int, str]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = {}
        for table, sql in QUERIES.items():
            digest, n = hashlib.sha256(), 0
            for row in conn.execute(sql):
                digest.update(repr(row).encode())
                n += 1
            out[table] = (n, digest.hexdigest()[:16])
        return out
    finally:
        conn.close()


def main(argv: list[str]) -> int:
    a, b = dump(argv[0]), dump(argv[1])
    for table in QUERIES:
        same = "same" if a[table] == b[table] else "DIFFERENT"
        print(f"{table:18s} {a[table][0]:>10,} rows {a[table][1]}  {b[table][1]}  {same}")
    differ = [t for t in QUERIES if a[t] != b[t]]
    print("identical" if not differ else f"different: {', '.join(differ)}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
