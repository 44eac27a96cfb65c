"""Read JSON strictly: no NaN/Infinity, no duplicate keys, bounded nesting."""

from __future__ import annotations

import json
import re
from typing import Any

from chinadialog_desktop.i18n import _
from chinadialog_desktop.interchange.limits import DEFAULT_LIMITS, Limits
from chinadialog_desktop.interchange.problems import ProblemList
from chinadialog_desktop.interchange.textdecode import decode

_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


class JsonRefused(ValueError):
    def __init__(self, message: str, code: str, key: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.key = key


def _no_constants(name: str) -> Any:
    raise JsonRefused(_("'{name}' is not a number JSON allows.").format(name=name), "json.nan")


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise JsonRefused(
                _("The key '{key}' occurs twice in one object.").format(key=key),
                "json.duplicate_key",
                key,
            )
        result[key] = value
    return result


def nesting_depth(text: str, limit: int) -> int:
    """The deepest nesting of arrays/objects, stopping as soon as ``limit`` is passed."""
    depth = deepest = 0
    for m in _TOKENS.finditer(text):
        token = m.group()
        if token in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif token in "]}":
            depth -= 1
    return deepest


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def read_json(
    data: bytes,
    file: str,
    problems: ProblemList,
    *,
    member: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Any:
    """The parsed document, or None with a located problem."""
    where = {"file": file, "member": member}
    if len(data) > limits.max_file_bytes:
        problems.error(_("The file is too large."), code="file.too_large", **where)
        return None
    decoded = decode(
        data, file, "utf-8" if not data.startswith((b"\xff\xfe", b"\xfe\xff")) else None
    )
    if decoded.problem is not None or decoded.text is None:
        if decoded.problem is not None:
            problems.add(decoded.problem)
        return None
    text = decoded.text
    if nesting_depth(text, limits.max_json_depth) > limits.max_json_depth:
        problems.error(
            _("The JSON is nested more than {limit} levels deep.").format(
                limit=limits.max_json_depth
            ),
            code="json.too_deep",
            **where,
        )
        return None
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_no_constants)
    except JsonRefused as exc:
        problems.error(str(exc), code=exc.code, key=exc.key, **where)
    except json.JSONDecodeError as exc:
        problems.error(
            json_reason(exc.msg),
            line=exc.lineno,
            column=exc.colno,
            code="json.syntax",
            **where,
        )
    except RecursionError:
        problems.error(_("The JSON is nested too deeply."), code="json.too_deep", **where)
    return None


def json_reason(msg: str) -> str:
    """The JSON parser's English reason as a sentence for people."""
    reasons = (
        ("Expecting value", _("Not valid JSON: a value is missing here.")),
        (
            "Expecting property name",
            _("Not valid JSON: a key in double quotes is expected here (no trailing comma)."),
        ),
        ("Expecting ':'", _("Not valid JSON: a colon is missing after the key.")),
        ("Expecting ','", _("Not valid JSON: a comma or a closing bracket is missing here.")),
        (
            "Invalid control character",
            _("Not valid JSON: a text contains a line break or tab; write it as \\n or \\t."),
        ),
        ("Invalid \\escape", _("Not valid JSON: a backslash starts an unknown escape.")),
        ("Invalid \\u", _("Not valid JSON: a \\u escape needs four hexadecimal digits.")),
        ("Unterminated string", _("Not valid JSON: a text is not closed with a quote.")),
        ("Extra data", _("Not valid JSON: more text follows after the end of the document.")),
    )
    for prefix, sentence in reasons:
        if msg.startswith(prefix):
            return sentence
    return _("Not valid JSON here.")


def check_strings(value: Any, limits: Limits, path: str = "") -> str | None:
    """The key path of the first string longer than the field limit, if any."""
    stack: list[tuple[str, Any]] = [(path, value)]
    while stack:
        here, item = stack.pop()
        if isinstance(item, str) and len(item) > limits.max_field_chars:
            return here or "$"
        if isinstance(item, dict):
            stack.extend((f"{here}.{k}" if here else k, v) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((f"{here}[{i}]", v) for i, v in enumerate(item))
    return None
