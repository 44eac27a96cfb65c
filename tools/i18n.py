"""Extract messages from the package, merge them into the German catalogue, compile it.

python tools/i18n.py            # extract + update .po + compile .mo
python tools/i18n.py --check    # exit 1 if the .po lacks messages or the .mo is stale
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "resources/locale/de/LC_MESSAGES/chinadialog.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def extract() -> Catalog:
    template = Catalog(project="ChinaDialog Desktop", domain="chinadialog")
    method_map = [("**/ui/**.py", "python"), ("**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT / "chinadialog_desktop", method_map=method_map, keywords=KEYWORDS
    ):
        template.add(
            message,
            None,
            [(f"chinadialog_desktop/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return template


def load_po() -> Catalog:
    if PO.exists():
        with PO.open("rb") as fh:
            return read_po(fh, locale="de", domain="chinadialog")
    return Catalog(locale="de", domain="chinadialog", project="ChinaDialog Desktop")


def compiled(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def missing(catalog: Catalog, template: Catalog) -> list[str]:
    out = []
    for msg in template:
        if not msg.id:
            continue
        have = catalog.get(msg.id)
        text = have.string if have else None
        if not text or (isinstance(text, tuple) and not all(text)) or (have and have.fuzzy):
            out.append(msg.id if isinstance(msg.id, str) else msg.id[0])
    return out


def main(argv: list[str]) -> int:
    template = extract()
    catalog = load_po()
    if "--check" in argv:
        gaps = missing(catalog, template)
        stale = not MO.exists() or MO.read_bytes() != compiled(catalog)
        for g in gaps:
            print(f"untranslated: {g!r}")
        if stale:
            print(f"{MO} is stale: run python tools/i18n.py")
        return 1 if gaps or stale else 0
    catalog.update(template, no_fuzzy_matching=True)
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as fh:
        write_po(fh, catalog, width=100, sort_output=True, omit_header=False, include_lineno=False)
    MO.write_bytes(compiled(catalog))
    gaps = missing(catalog, template)
    print(f"{len(template)} messages, {len(gaps)} untranslated; wrote {PO.name} and {MO.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
