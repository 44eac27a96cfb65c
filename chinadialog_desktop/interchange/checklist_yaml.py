"""Read, validate and write checklist template files (YAML or JSON) with line-exact errors."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from chinadialog_desktop.domain.checklist import (
    FORMAT_ID,
    AnswerOption,
    Dependency,
    Item,
    LocalText,
    Reference,
    Section,
    SectionKind,
    Template,
)
from chinadialog_desktop.domain.enums import PartnershipType, Severity
from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import _, ngettext

KeyPath = tuple[str | int, ...]

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

URN_RE = re.compile(r"^urn:[a-z0-9][a-z0-9-]*(:[A-Za-z0-9._~%-]+)+$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
CODE_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
URL_RE = re.compile(r"^https?://\S+$")

SEVERITY_ALIASES = {
    "kritisch": Severity.CRITICAL,
    "hoch": Severity.HIGH,
    "mittel": Severity.MEDIUM,
    "niedrig": Severity.LOW,
}

TOP_REQUIRED = (
    "format",
    "id",
    "version",
    "title",
    "description",
    "publisher",
    "published",
    "licence",
    "answer_scale",
    "sections",
)
TOP_OPTIONAL = ("references",)
ITEM_REQUIRED = ("id", "question", "guidance", "severity")
ITEM_OPTIONAL = ("blocker", "risk", "chance", "applies_to", "depends_on", "sources", "scale")
SECTION_KINDS = tuple(k.value for k in SectionKind)


@dataclass(frozen=True)
class Issue:
    """One problem in a template file, located by line and key."""

    file: str
    line: int
    column: int
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class TemplateInvalid(UserError):
    """A template file that cannot be used; carries every problem found."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        lines = [str(i) for i in issues[:20]]
        if len(issues) > 20:
            lines.append(_("… and {n} more problems").format(n=len(issues) - 20))
        super().__init__(
            ngettext(
                "The checklist template is invalid ({n} problem):",
                "The checklist template is invalid ({n} problems):",
                len(issues),
            ).format(n=len(issues))
            + "\n  "
            + "\n  ".join(lines)
        )


@dataclass
class Marks:
    """Line/column (1-based) of each value and each mapping key, by key path."""

    values: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    raw: dict[KeyPath, str] = field(default_factory=dict)  # source text of boolean scalars

    def locate(self, path: KeyPath, prefer_key: bool = True) -> tuple[int, int]:
        while True:
            if prefer_key and path in self.keys:
                return self.keys[path]
            if path in self.values:
                return self.values[path]
            if path in self.keys:
                return self.keys[path]
            if not path:
                return (1, 1)
            path = path[:-1]


@dataclass(frozen=True)
class CheckResult:
    template: Template | None
    issues: list[Issue]
    warnings: list[Issue]


# --------------------------------------------------------------------------- parsing


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def first_alias_line(text: str) -> int | None:
    """The line of the first YAML alias (``*name``), found by streaming the events.

    Aliases can multiply a small file a billionfold when the document is built
    ("billion laughs"); a template never needs them, so they are refused before
    anything is built. Returns None when there is none (or the text does not
    parse; the composer then reports where).
    """
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                return int(mark.line) + 1 if mark is not None else 1
    except yaml.YAMLError:
        return None
    return None


def _compose(text: str, file: str) -> tuple[Any, Marks, list[Issue]]:
    """Parse YAML into plain values, remembering where every key and value stands."""
    marks = Marks()
    issues: list[Issue] = []
    alias = first_alias_line(text)
    if alias is not None:
        issues.append(
            Issue(
                file,
                alias,
                1,
                "",
                _(
                    "YAML anchors and aliases (*name) are not allowed in a template; write the "
                    "values out."
                ),
            )
        )
        return None, marks, issues
    loader = _Loader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            problem = exc.problem or exc.context or str(exc)
            issues.append(Issue(file, line, col, "", _("not readable: {p}").format(p=problem)))
            return None, marks, issues
        except yaml.YAMLError as exc:
            issues.append(Issue(file, 1, 1, "", _("not readable: {p}").format(p=exc)))
            return None, marks, issues
        if root is None:
            return None, marks, issues

        def build(node: yaml.Node, path: KeyPath) -> Any:
            marks.values[path] = _mark(node)
            if isinstance(node, yaml.MappingNode):
                loader.flatten_mapping(node)
                result: dict[str, Any] = {}
                for key_node, value_node in node.value:
                    key = loader.construct_object(key_node, deep=True)
                    line, col = _mark(key_node)
                    if isinstance(key, bool):
                        issues.append(
                            Issue(
                                file,
                                line,
                                col,
                                _dotted(path + (str(key_node.value),)),
                                _boolean_message(str(key_node.value)),
                            )
                        )
                        continue
                    if not isinstance(key, str):
                        issues.append(
                            Issue(
                                file,
                                line,
                                col,
                                _dotted(path),
                                _("the key {k!r} must be text").format(k=key),
                            )
                        )
                        continue
                    if key in result:
                        issues.append(
                            Issue(
                                file, line, col, _dotted(path + (key,)), _("this key appears twice")
                            )
                        )
                        continue
                    marks.keys[path + (key,)] = (line, col)
                    result[key] = build(value_node, path + (key,))
                return result
            if isinstance(node, yaml.SequenceNode):
                return [build(child, path + (i,)) for i, child in enumerate(node.value)]
            try:
                value = loader.construct_object(node, deep=True)
            except (ValueError, yaml.YAMLError) as exc:
                line, col = _mark(node)
                issues.append(
                    Issue(
                        file,
                        line,
                        col,
                        _dotted(path),
                        _(
                            "{raw!r} cannot be read ({reason}); put it in quotes if it is text"
                        ).format(raw=str(node.value), reason=exc),
                    )
                )
                return None
            if isinstance(value, bool):
                marks.raw[path] = str(node.value)
            return value

        return build(root, ()), marks, issues
    finally:
        loader.dispose()


def read_document(path: Path) -> tuple[Any, Marks, list[Issue]]:
    """Parse a .yaml/.yml or .json file; JSON is checked strictly first."""
    path = Path(path)
    file = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:  # the system's words would be English
        missing = _("the file does not exist or cannot be read")
        return None, Marks(), [Issue(file, 1, 1, "", missing)]
    except OSError as exc:
        return (
            None,
            Marks(),
            [Issue(file, 1, 1, "", _("cannot be read: {e}").format(e=exc.strerror or exc))],
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Marks(), [Issue(file, line, 1, "", _("is not UTF-8 text"))]
    if path.suffix.lower() == ".json":
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            return (
                None,
                Marks(),
                [
                    Issue(
                        file, exc.lineno, exc.colno, "", _("not valid JSON: {p}").format(p=exc.msg)
                    )
                ],
            )
        # Raw tabs in valid JSON are always whitespace; YAML's scanner dislikes them.
        text = text.replace("\t", " ")
    return _compose(text, file)


# --------------------------------------------------------------------------- validation


def _dotted(path: KeyPath) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def _boolean_message(raw: str) -> str:
    return _(
        '{raw!r} is read as a yes/no boolean (YAML 1.1); write it in quotes, e.g. "{raw}"'
    ).format(raw=raw)


def _type_name(value: Any) -> str:
    names = {
        bool: _("a boolean"),
        int: _("a number"),
        float: _("a number"),
        str: _("text"),
        list: _("a list"),
        dict: _("a mapping"),
        type(None): _("empty"),
    }
    return names.get(type(value), type(value).__name__)


class _Checker:
    def __init__(self, doc: Any, marks: Marks, file: str) -> None:
        self.doc = doc
        self.marks = marks
        self.file = file
        self.issues: list[Issue] = []
        self.warnings: list[Issue] = []

    # -- reporting

    def _context(self, path: KeyPath) -> str:
        """Name the section/item/reference a path is in, by its id, for readable messages."""
        node: Any = self.doc
        label = ""
        for i, part in enumerate(path):
            if isinstance(node, dict) and isinstance(part, str):
                node = node.get(part)
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
            else:
                break
            parent = path[i - 1] if i else None
            if isinstance(part, int) and isinstance(node, dict) and isinstance(node.get("id"), str):
                kind = {
                    "sections": _("section"),
                    "items": _("item"),
                    "references": _("reference"),
                }.get(str(parent))
                if kind:
                    label = f"{kind} {node['id']}"
        return label

    def error(
        self, path: KeyPath, message: str, *, at_key: bool = True, warning: bool = False
    ) -> None:
        line, col = self.marks.locate(path, prefer_key=at_key)
        context = self._context(path)
        key = _dotted(path) + (f" ({context})" if context else "")
        (self.warnings if warning else self.issues).append(
            Issue(self.file, line, col, key, message)
        )

    # -- shapes

    def mapping(
        self, path: KeyPath, value: Any, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.error(
                path,
                _("must be a mapping (key: value), not {t}").format(t=_type_name(value)),
                at_key=False,
            )
            return None
        for key in value:
            if key not in required and key not in optional and not key.startswith("x-"):
                self.error(
                    path + (key,),
                    _("unknown key; allowed here: {keys}").format(
                        keys=", ".join(required + optional)
                    ),
                )
        for key in required:
            if key not in value:
                self.error(path + (key,), _("the required key {key!r} is missing").format(key=key))
        return value

    def text(
        self, path: KeyPath, value: Any, *, pattern: re.Pattern[str] | None = None, hint: str = ""
    ) -> str | None:
        if isinstance(value, bool):
            self.error(
                path, _boolean_message(self.marks.raw.get(path, str(value).lower())), at_key=False
            )
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(
                path, _("must be non-empty text, not {t}").format(t=_type_name(value)), at_key=False
            )
            return None
        if pattern is not None and not pattern.match(value):
            self.error(
                path, _("{v!r} is not a valid value{hint}").format(v=value, hint=hint), at_key=False
            )
            return None
        return value

    def local_text(self, path: KeyPath, value: Any) -> LocalText | None:
        m = self.mapping(path, value, ("de", "en"), ())
        if m is None:
            return None
        de = self.text(path + ("de",), m["de"]) if "de" in m else None
        en = self.text(path + ("en",), m["en"]) if "en" in m else None
        return LocalText(de, en) if de and en else None

    def integer(self, path: KeyPath, value: Any, minimum: int, maximum: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(
                path, _("must be a whole number, not {t}").format(t=_type_name(value)), at_key=False
            )
            return None
        if not minimum <= value <= maximum:
            self.error(
                path, _("must be between {a} and {b}").format(a=minimum, b=maximum), at_key=False
            )
            return None
        return value

    def boolean(self, path: KeyPath, value: Any) -> bool | None:
        if not isinstance(value, bool):
            self.error(path, _("must be true or false"), at_key=False)
            return None
        return value

    def listing(self, path: KeyPath, value: Any, *, min_len: int = 0) -> list[Any]:
        if not isinstance(value, list):
            self.error(path, _("must be a list, not {t}").format(t=_type_name(value)), at_key=False)
            return []
        if len(value) < min_len:
            self.error(path, _("needs at least {n} entries").format(n=min_len), at_key=False)
        return value

    def unique(self, path: KeyPath, value: str, seen: dict[str, KeyPath], what: str) -> bool:
        if value in seen:
            line, _col = self.marks.locate(seen[value], prefer_key=False)
            self.error(
                path,
                _("{what} {v!r} is used twice (first in line {line})").format(
                    what=what, v=value, line=line
                ),
                at_key=False,
            )
            return False
        seen[value] = path
        return True

    # -- parts

    def scale(self, path: KeyPath, value: Any) -> tuple[AnswerOption, ...] | None:
        entries = self.listing(path, value, min_len=2)
        options: list[AnswerOption] = []
        seen: dict[str, KeyPath] = {}
        ok = len(entries) >= 2
        for i, entry in enumerate(entries):
            p = path + (i,)
            m = self.mapping(p, entry, ("code", "label"), ("applicable",))
            if m is None:
                ok = False
                continue
            code = (
                self.text(
                    p + ("code",),
                    m["code"],
                    pattern=CODE_RE,
                    hint=_(" (lower-case letters, digits, - and _)"),
                )
                if "code" in m
                else None
            )
            label = self.local_text(p + ("label",), m["label"]) if "label" in m else None
            applicable = (
                self.boolean(p + ("applicable",), m["applicable"]) if "applicable" in m else True
            )
            if code is None or label is None or applicable is None:
                ok = False
                continue
            if not self.unique(p + ("code",), code, seen, _("answer code")):
                ok = False
                continue
            options.append(AnswerOption(code, label, applicable))
        if ok and not any(o.applicable for o in options):
            self.error(path, _("at least one answer must be applicable"), at_key=False)
            ok = False
        return tuple(options) if ok else None

    def reference(self, path: KeyPath, value: Any, seen: dict[str, KeyPath]) -> Reference | None:
        m = self.mapping(path, value, ("id", "title"), ("publisher", "year", "url"))
        if m is None:
            return None
        ref_id = (
            self.text(
                path + ("id",),
                m["id"],
                pattern=ID_RE,
                hint=_(" (lower-case letters, digits, ., - and _)"),
            )
            if "id" in m
            else None
        )
        title = self.text(path + ("title",), m["title"]) if "title" in m else None
        publisher = self.text(path + ("publisher",), m["publisher"]) if "publisher" in m else None
        year = self.integer(path + ("year",), m["year"], 1800, 2200) if "year" in m else None
        url = (
            self.text(
                path + ("url",),
                m["url"],
                pattern=URL_RE,
                hint=_(" (must start with http:// or https://)"),
            )
            if "url" in m
            else None
        )
        bad = (
            ("publisher" in m and publisher is None)
            or ("year" in m and year is None)
            or ("url" in m and url is None)
        )
        if ref_id is None or title is None or bad:
            return None
        if not self.unique(path + ("id",), ref_id, seen, _("reference id")):
            return None
        return Reference(ref_id, title, publisher, year, url)

    def published(self, path: KeyPath, value: Any) -> date | None:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.error(path, _("must be a date like 2026-11-25"), at_key=False)
        return None


def _sections(
    ck: _Checker, doc: dict[str, Any], scale: tuple[AnswerOption, ...] | None, ref_ids: set[str]
) -> list[tuple[str, LocalText, SectionKind, list[dict[str, Any]]]]:
    """Check sections and items one by one; returns raw parts for the cross-checks."""
    sections: list[tuple[str, LocalText, SectionKind, list[dict[str, Any]]]] = []
    section_seen: dict[str, KeyPath] = {}
    item_seen: dict[str, KeyPath] = {}
    type_codes = [t.value for t in PartnershipType]
    raw_sections = (
        ck.listing(("sections",), doc["sections"], min_len=1) if "sections" in doc else []
    )
    for si, raw_section in enumerate(raw_sections):
        sp: KeyPath = ("sections", si)
        m = ck.mapping(sp, raw_section, ("id", "title", "items"), ("kind",))
        if m is None:
            continue
        kind = SectionKind.RISK
        if "kind" in m:
            raw_kind = ck.text(sp + ("kind",), m["kind"])
            if raw_kind is not None and raw_kind not in SECTION_KINDS:
                ck.error(
                    sp + ("kind",),
                    _("{v!r} is not one of: {allowed}").format(
                        v=raw_kind, allowed=", ".join(SECTION_KINDS)
                    ),
                    at_key=False,
                )
            elif raw_kind is not None:
                kind = SectionKind(raw_kind)
        sid = ck.text(sp + ("id",), m["id"], pattern=ID_RE) if "id" in m else None
        title = ck.local_text(sp + ("title",), m["title"]) if "title" in m else None
        if sid is not None:
            ck.unique(sp + ("id",), sid, section_seen, _("section id"))
        items: list[dict[str, Any]] = []
        raw_items = ck.listing(sp + ("items",), m["items"], min_len=1) if "items" in m else []
        for ii, raw_item in enumerate(raw_items):
            ip: KeyPath = sp + ("items", ii)
            im = ck.mapping(ip, raw_item, ITEM_REQUIRED, ITEM_OPTIONAL)
            if im is None:
                continue
            parsed: dict[str, Any] = {"path": ip, "section": sid, "kind": kind}
            parsed["id"] = (
                ck.text(
                    ip + ("id",),
                    im["id"],
                    pattern=ID_RE,
                    hint=_(" (lower-case letters, digits, ., - and _)"),
                )
                if "id" in im
                else None
            )
            if parsed["id"] is not None and not ck.unique(
                ip + ("id",), parsed["id"], item_seen, _("item id")
            ):
                parsed["id"] = None
            parsed["question"] = (
                ck.local_text(ip + ("question",), im["question"]) if "question" in im else None
            )
            parsed["guidance"] = (
                ck.local_text(ip + ("guidance",), im["guidance"]) if "guidance" in im else None
            )
            parsed["severity"] = None
            if "severity" in im:
                sev = ck.text(ip + ("severity",), im["severity"])
                if sev is not None:
                    try:
                        parsed["severity"] = SEVERITY_ALIASES.get(sev) or Severity(sev)
                    except ValueError:
                        ck.error(
                            ip + ("severity",),
                            _("{v!r} is not one of: {allowed}").format(
                                v=sev, allowed=", ".join(s.value for s in Severity)
                            ),
                            at_key=False,
                        )
            parsed["blocker"], parsed["blocker_answers"] = False, ()
            if isinstance(im.get("blocker"), list):  # only these answers exclude
                codes = [
                    ck.text(ip + ("blocker", k), c)
                    for k, c in enumerate(ck.listing(ip + ("blocker",), im["blocker"], min_len=1))
                ]
                parsed["blocker"] = bool(codes) and None not in codes
                parsed["blocker_answers"] = tuple(c for c in codes if c is not None)
            elif "blocker" in im:
                parsed["blocker"] = ck.boolean(ip + ("blocker",), im["blocker"])
            parsed["scale"] = ck.scale(ip + ("scale",), im["scale"]) if "scale" in im else scale
            parsed["own_scale"] = "scale" in im
            parsed["risk_raw"] = im.get("risk", {})
            parsed["chance_raw"] = im.get("chance", {})
            if kind is SectionKind.CHANCE:
                if parsed["blocker"]:
                    ck.error(
                        ip + ("blocker",),
                        _("an item in a chance section cannot be a blocker"),
                    )
                if im.get("risk"):
                    ck.error(
                        ip + ("risk",),
                        _("an item in a chance section carries chance points, not risk points"),
                    )
            elif "chance" in im:
                ck.error(
                    ip + ("chance",),
                    _("chance points belong in a section with kind: chance"),
                )
            parsed["depends_raw"] = im.get("depends_on")
            parsed["applies_to"] = ()
            if "applies_to" in im:
                codes = []
                for k, code in enumerate(ck.listing(ip + ("applies_to",), im["applies_to"])):
                    c = ck.text(ip + ("applies_to", k), code)
                    if c is not None and c not in type_codes:
                        ck.error(
                            ip + ("applies_to", k),
                            _("{v!r} is not a partnership type; known: {allowed}").format(
                                v=c, allowed=", ".join(type_codes)
                            ),
                            at_key=False,
                        )
                    elif c is not None:
                        codes.append(c)
                parsed["applies_to"] = tuple(codes)
            parsed["sources"] = ()
            if "sources" in im:
                refs = []
                for k, ref in enumerate(ck.listing(ip + ("sources",), im["sources"])):
                    r = ck.text(ip + ("sources", k), ref)
                    if r is not None and r not in ref_ids:
                        ck.error(
                            ip + ("sources", k),
                            _("{v!r} is not among the references of this template").format(v=r),
                            at_key=False,
                        )
                    elif r is not None:
                        refs.append(r)
                parsed["sources"] = tuple(refs)
            else:
                ck.error(ip, _("the item cites no source"), warning=True)
            items.append(parsed)
        if sid is not None and title is not None:
            sections.append((sid, title, kind, items))
    return sections


def _risk(ck: _Checker, item: dict[str, Any], key: str = "risk") -> dict[str, int] | None:
    """The item's ``risk`` (or ``chance``) mapping of answer code to points."""
    path: KeyPath = item["path"] + (key,)
    raw = item[f"{key}_raw"]
    if not isinstance(raw, dict):
        ck.error(
            path, _('must be a mapping of answer code to points, e.g. {{"no": 3}}'), at_key=False
        )
        return None
    scale: tuple[AnswerOption, ...] | None = item["scale"]
    options = {o.code: o for o in scale} if scale else {}
    risk: dict[str, int] = {}
    for code, points in raw.items():
        p = ck.integer(path + (code,), points, 0, 100)
        if scale is not None and code not in options:
            ck.error(
                path + (code,),
                _("{v!r} is not an answer code of this item's scale ({codes})").format(
                    v=code, codes=", ".join(options)
                ),
            )
        elif scale is not None and not options[code].applicable:
            ck.error(
                path + (code,),
                _("a not-applicable answer cannot carry risk points")
                if key == "risk"
                else _("a not-applicable answer cannot carry chance points"),
            )
        elif p is not None:
            risk[code] = p
    if key == "risk" and item["blocker"] and not any(v > 0 for v in risk.values()):
        ck.error(
            item["path"] + ("blocker",), _("a blocker needs at least one answer with risk points")
        )
    if key == "risk":
        for k, code in enumerate(item["blocker_answers"]):
            if risk.get(code, 0) <= 0:
                ck.error(
                    item["path"] + ("blocker", k),
                    _(
                        "{v!r} is no answer with risk points of this item, so it cannot exclude"
                    ).format(v=code),
                    at_key=False,
                )
    return risk


def _dependency(
    ck: _Checker, item: dict[str, Any], by_id: dict[str, dict[str, Any]]
) -> Dependency | None:
    raw = item["depends_raw"]
    if raw is None:
        return None
    path: KeyPath = item["path"] + ("depends_on",)
    m = ck.mapping(path, raw, ("item", "answers"), ())
    if m is None or "item" not in m or "answers" not in m:
        return None
    target = ck.text(path + ("item",), m["item"])
    if target is None:
        return None
    if target == item["id"]:
        ck.error(path + ("item",), _("an item cannot depend on itself"), at_key=False)
        return None
    other = by_id.get(target)
    if other is None:
        ck.error(
            path + ("item",),
            _("{v!r} is not an item of this template").format(v=target),
            at_key=False,
        )
        return None
    codes = {o.code for o in other["scale"]} if other["scale"] else None
    answers = []
    for k, raw_code in enumerate(ck.listing(path + ("answers",), m["answers"], min_len=1)):
        code = ck.text(path + ("answers", k), raw_code)
        if codes is None:
            continue  # the scale itself is broken and already reported
        if code is not None and code not in codes:
            ck.error(
                path + ("answers", k),
                _("{v!r} is not an answer code of item {item} ({codes})").format(
                    v=code, item=target, codes=", ".join(sorted(codes))
                ),
                at_key=False,
            )
        elif code is not None:
            answers.append(code)
    return Dependency(target, tuple(answers)) if answers else None


def _check_cycles(ck: _Checker, deps: dict[str, Dependency], paths: dict[str, KeyPath]) -> bool:
    for start in deps:
        seen = [start]
        current = deps[start].item
        while current in deps:
            if current == start:
                ck.error(
                    paths[start] + ("depends_on",),
                    _("circular dependency: {chain}").format(chain=" → ".join(seen + [start])),
                )
                return False
            if current in seen:
                break
            seen.append(current)
            current = deps[current].item
    return True


def check_document(doc: Any, marks: Marks, file: str) -> CheckResult:
    """Validate a parsed document and build the template if it is valid."""
    ck = _Checker(doc, marks, file)
    top = ck.mapping((), doc, TOP_REQUIRED, TOP_OPTIONAL)
    if top is None:
        return CheckResult(None, ck.issues, ck.warnings)
    fmt = top.get("format")
    if "format" in top and fmt != FORMAT_ID:
        ck.error(
            ("format",),
            _("must be {expected!r}; this app reads only that format").format(expected=FORMAT_ID),
            at_key=False,
        )
    tid = (
        ck.text(
            ("id",), top["id"], pattern=URN_RE, hint=_(" (URN like urn:chinadialog:checklist:name)")
        )
        if "id" in top
        else None
    )
    version = ck.integer(("version",), top["version"], 1, 1_000_000) if "version" in top else None
    title = ck.local_text(("title",), top["title"]) if "title" in top else None
    description = (
        ck.local_text(("description",), top["description"]) if "description" in top else None
    )
    publisher = ck.text(("publisher",), top["publisher"]) if "publisher" in top else None
    published = ck.published(("published",), top["published"]) if "published" in top else None
    licence = ck.text(("licence",), top["licence"]) if "licence" in top else None
    refs: list[Reference] = []
    ref_seen: dict[str, KeyPath] = {}
    for i, raw_ref in enumerate(ck.listing(("references",), top.get("references", []))):
        ref = ck.reference(("references", i), raw_ref, ref_seen)
        if ref is not None:
            refs.append(ref)
    scale = ck.scale(("answer_scale",), top["answer_scale"]) if "answer_scale" in top else None
    raw_sections = _sections(ck, top, scale, set(ref_seen))

    by_id = {it["id"]: it for _s, _t, _k, items in raw_sections for it in items if it["id"]}
    deps: dict[str, Dependency] = {}
    dep_paths: dict[str, KeyPath] = {}
    built_sections: list[Section] = []
    for sid, stitle, kind, items in raw_sections:
        built: list[Item] = []
        for it in items:
            risk = _risk(ck, it)
            chance = _risk(ck, it, "chance")
            dep = _dependency(ck, it, by_id)
            if dep is not None and it["id"]:
                deps[it["id"]] = dep
                dep_paths[it["id"]] = it["path"]
            needed = (
                it["id"],
                it["question"],
                it["guidance"],
                it["severity"],
                it["scale"],
                risk,
                chance,
                it["blocker"],
            )
            if any(v is None for v in needed) or (it["depends_raw"] is not None and dep is None):
                continue
            built.append(
                Item(
                    id=it["id"],
                    section=sid,
                    question=it["question"],
                    guidance=it["guidance"],
                    severity=it["severity"],
                    blocker=bool(it["blocker"]),
                    blocker_answers=it["blocker_answers"],
                    risk=risk or {},
                    applies_to=it["applies_to"],
                    depends_on=dep,
                    sources=it["sources"],
                    scale=it["scale"] if it["own_scale"] else None,
                    chance=chance or {},
                )
            )
        built_sections.append(Section(sid, stitle, tuple(built), kind))
    _check_cycles(ck, deps, dep_paths)
    cited = {s for it in by_id.values() for s in it["sources"]}
    for i, ref in enumerate(refs):
        if ref.id not in cited:
            ck.error(
                ("references", i),
                _("reference {r!r} is cited by no item").format(r=ref.id),
                warning=True,
            )
    ck.issues.sort(key=lambda x: (x.line, x.column))
    ck.warnings.sort(key=lambda x: (x.line, x.column))
    if ck.issues:
        return CheckResult(None, ck.issues, ck.warnings)
    assert tid and version and title and description and publisher and published and licence
    assert scale is not None
    template = Template(
        id=tid,
        version=version,
        title=title,
        description=description,
        publisher=publisher,
        published=published,
        licence=licence,
        references=tuple(refs),
        answer_scale=scale,
        sections=tuple(built_sections),
    )
    return CheckResult(template, [], ck.warnings)


def check_file(path: Path) -> CheckResult:
    """Parse and validate one file; never raises for problems in the file itself."""
    doc, marks, issues = read_document(path)
    if issues and not marks.values:
        return CheckResult(None, issues, [])
    if issues:
        # Values that could not be read are holes; report the rest too, once per line.
        result = check_document(doc, marks, str(path))
        lines = {i.line for i in issues}
        merged = issues + [i for i in result.issues if i.line not in lines]
        merged.sort(key=lambda x: (x.line, x.column))
        return CheckResult(None, merged, result.warnings)
    if doc is None:
        return CheckResult(None, [Issue(str(path), 1, 1, "", _("the file is empty"))], [])
    return check_document(doc, marks, str(path))


def load_template(path: Path) -> Template:
    """The template in ``path``; raises TemplateInvalid listing every problem."""
    result = check_file(path)
    if result.template is None:
        raise TemplateInvalid(result.issues)
    return result.template


def plain_document(path: Path) -> Any:
    """The file's content as JSON-compatible values (dates as ISO text), e.g. for JSON Schema."""
    doc, _marks, issues = read_document(path)
    if issues:
        raise TemplateInvalid(issues)

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, date):
            return value.isoformat()
        return value

    return plain(doc)


def write_template(template: Template, path: Path) -> None:
    """Write ``template`` as YAML, or as JSON when the file name ends in .json."""
    path = Path(path)
    doc = template.as_document()
    dump: Callable[[], str]
    if path.suffix.lower() == ".json":

        def dump() -> str:
            return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    else:

        def dump() -> str:
            header = f"# {template.title.de} — {template.id}, version {template.version}\n"
            body = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)
            return header + body

    from chinadialog_desktop.leftovers import write_atomically

    write_atomically(path, dump().encode("utf-8"))


__all__ = [
    "CheckResult",
    "Issue",
    "Marks",
    "TemplateInvalid",
    "check_document",
    "check_file",
    "load_template",
    "plain_document",
    "read_document",
    "write_template",
]
