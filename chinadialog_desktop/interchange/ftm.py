"""Streaming, distrustful reader of FollowTheMoney entity JSON lines (plain or gzipped)."""

from __future__ import annotations

import calendar
import codecs
import gzip
import hashlib
import io
import json
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from chinadialog_desktop.i18n import _
from chinadialog_desktop.interchange.problems import ProblemList

FORMAT = "ftm-jsonl"
GZIP_MAGIC = b"\x1f\x8b"

# Property groups that the screening needs as columns of their own.
NAME_PROPS = ("name", "alias", "previousName")
WEAK_ALIAS_PROPS = ("weakAlias",)
COUNTRY_PROPS = (
    "country",
    "jurisdiction",
    "mainCountry",
    "nationality",
    "citizenship",
    "registrationCountry",
)
IDENTIFIER_PROPS = (
    "uscCode",
    "registrationNumber",
    "taxNumber",
    "vatCode",
    "leiCode",
    "innCode",
    "ogrnCode",
    "okpoCode",
    "kppCode",
    "dunsCode",
    "swiftBic",
    "bikCode",
    "permId",
    "isin",
    "cikCode",
    "imoNumber",
    "mmsi",
    "idNumber",
    "passportNumber",
    "socialSecurityNumber",
)

_IDENTIFIER_SET = frozenset(IDENTIFIER_PROPS)
# The schemata of FollowTheMoney (its model's schema files): any other name ("Persn",
# "Spaceship") is no entity we can show, and the entity is skipped with a problem.
FTM_SCHEMATA = frozenset(
    [
        "Address",
        "Airplane",
        "Analyzable",
        "Article",
        "Assessment",
        "Asset",
        "Associate",
        "Audio",
        "BankAccount",
        "Call",
        "CallForTenders",
        "Company",
        "Contract",
        "ContractAward",
        "CourtCase",
        "CourtCaseParty",
        "CryptoWallet",
        "Debt",
        "Directorship",
        "Document",
        "Documentation",
        "EconomicActivity",
        "Email",
        "Employment",
        "Event",
        "Family",
        "Folder",
        "HyperText",
        "Identification",
        "Image",
        "Interest",
        "Interval",
        "Land",
        "LegalEntity",
        "License",
        "Membership",
        "Mention",
        "Message",
        "Note",
        "Occupancy",
        "Organization",
        "Ownership",
        "Package",
        "Page",
        "Pages",
        "Passport",
        "Payment",
        "Person",
        "PlainText",
        "Position",
        "Post",
        "Project",
        "ProjectParticipant",
        "PublicBody",
        "RealEstate",
        "Representation",
        "Risk",
        "Sanction",
        "Security",
        "Similar",
        "Succession",
        "Table",
        "TaxRoll",
        "Thing",
        "Trip",
        "UnknownLink",
        "UserAccount",
        "Value",
        "Vehicle",
        "Vessel",
        "Video",
        "Workbook",
    ]
)
# Properties of FollowTheMoney's date type: ISO 8601, as precise as known (1975, 1975-03,
# 1975-03-14, or with a time).
DATE_PROPS = frozenset(
    [
        "birthDate",
        "deathDate",
        "incorporationDate",
        "dissolutionDate",
        "startDate",
        "endDate",
        "date",
        "modifiedAt",
        "createdAt",
        "publishedAt",
        "authoredAt",
        "retrievedAt",
        "processedAt",
        "registrationDate",
        "listingDate",
        "buildDate",
        "issueDate",
        "expiryDate",
    ]
)
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ][0-9:.+\-Z]*)?$")


def date_problem(value: str) -> str | None:
    """Why ``value`` is no possible FollowTheMoney date, or None if it is one."""
    m = _DATE_RE.match(value.strip())
    if not m:
        return _("'{value}' is not a date (expected e.g. 1975-03-14)").format(value=value[:40])
    year, month, day = m.group(1), m.group(2), m.group(3)
    if month is not None and not 1 <= int(month) <= 12:
        return _("'{value}' is an impossible date: there is no month {month}").format(
            value=value[:40], month=int(month)
        )
    if day is not None:
        last = calendar.monthrange(int(year), int(month))[1]
        if not 1 <= int(day) <= last:
            return _("'{value}' is an impossible date: that month has {n} days").format(
                value=value[:40], n=last
            )
    return None


_SCHEMA_RE = re.compile(r"^[A-Z][A-Za-z]{0,63}$")
_PROP_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,99}$")
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89abcdefABCDEF]")
_KNOWN_KEYS = frozenset(
    {
        "id",
        "schema",
        "caption",
        "properties",
        "datasets",
        "referents",
        "first_seen",
        "last_seen",
        "last_change",
        "target",
    }
)
_TIMESTAMP_KEYS = ("first_seen", "last_seen", "last_change")
MAX_TIMESTAMP_LENGTH = 32


@dataclass(frozen=True)
class FtmLimits:
    """Bounds that keep a hostile file from costing unbounded time or memory."""

    max_line_bytes: int = 8 * 1024 * 1024
    max_inflated_bytes: int = 4 * 1024 * 1024 * 1024
    # Inflated/compressed ratio, checked once ``ratio_grace_bytes`` were inflated.
    max_ratio: int = 100
    ratio_grace_bytes: int = 16 * 1024 * 1024
    max_depth: int = 12
    max_entities: int = 5_000_000
    max_id_length: int = 200


@dataclass(frozen=True, slots=True)
class FtmEntity:
    """One valid entity, with the columns the screening needs already derived."""

    line: int
    id: str
    schema: str
    caption: str
    properties: dict[str, list[str]]
    datasets: list[str]
    referents: list[str]
    first_seen: str | None
    last_seen: str | None
    last_change: str | None
    target: bool | None
    properties_json: str  # canonical: keys sorted, values in the given order
    content_hash: str

    def values(self, *props: str) -> list[str]:
        """The values of ``props`` in order, each once."""
        out: list[str] = []
        for prop in props:
            out.extend(self.properties.get(prop, ()))
        return list(dict.fromkeys(out))

    @property
    def names(self) -> list[str]:
        return self.values(*NAME_PROPS)

    @property
    def weak_aliases(self) -> list[str]:
        return self.values(*WEAK_ALIAS_PROPS)

    @property
    def countries(self) -> list[str]:
        return list(dict.fromkeys(c.lower() for c in self.values(*COUNTRY_PROPS)))

    @property
    def topics(self) -> list[str]:
        return self.values("topics")

    @property
    def identifiers(self) -> dict[str, list[str]]:
        """Strong identifiers (uscCode, registrationNumber …), in the order the file gives them."""
        return {p: list(v) for p, v in self.properties.items() if v and p in _IDENTIFIER_SET}


def content_hash(schema: str, caption: str, target: bool | None, properties_json: str) -> str:
    """SHA-256 of what makes an entity what it is for screening.

    Schema, caption, target flag and all properties (canonical JSON). Left out
    on purpose: ``last_seen``/``first_seen``/``last_change`` (republished lists
    bump them on every entity), ``datasets`` and ``referents`` — so a dismissed
    hit stays dismissed until the entity itself changes.
    """
    # what json.dumps([schema, caption, target], ensure_ascii=False, separators=(",", ":"))
    # gives, written directly (json.dumps with options builds an encoder on every call)
    canonical = f"[{_quote(schema)},{_quote(caption)},{_LITERAL[target]}]"
    digest = hashlib.sha256(canonical.encode("utf-8"))
    digest.update(b"\x1f")
    digest.update(properties_json.encode("utf-8"))
    return digest.hexdigest()


class _Constant:
    """Stands in for NaN/Infinity so that validation can name the key it sits in."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    d = dict(pairs)
    if len(d) != len(pairs):
        seen: set[str] = set()
        for k, _v in pairs:
            if k in seen:
                raise _DuplicateKey(k)
            seen.add(k)
    return d


_quote: Callable[[str], str] = json.encoder.encode_basestring


def texts_json(values: list[str]) -> str:
    """A list of texts as compact JSON, exactly as ``json.dumps(ensure_ascii=False)`` would.

    Written out by hand: ``json.dumps`` with options builds a new encoder on
    every call, which costs more than the encoding itself for small lists.
    """
    return "[" + ",".join(map(_quote, values)) + "]"


# The json module's C encoder, compact and without ASCII escapes, as ``json.dumps(...,
# ensure_ascii=False, separators=(",", ":")[, sort_keys=True])`` sets it up on each call:
# made once here. None where the C accelerator is missing (then written by hand).
_c_make_encoder: Callable[..., Any] | None = getattr(json.encoder, "c_make_encoder", None)
_ENCODE_SORTED, _ENCODE_AS_GIVEN = (
    (None, None)
    if _c_make_encoder is None
    else (
        _c_make_encoder(None, None, _quote, None, ":", ",", sort, False, False)
        for sort in (True, False)
    )
)


def properties_json(props: dict[str, list[str]], *, sort: bool = True) -> str:
    """Properties (text lists only) as compact JSON, keys sorted (or as given)."""
    encode = _ENCODE_SORTED if sort else _ENCODE_AS_GIVEN
    if encode is not None:
        return "".join(encode(props, 0))
    keys = sorted(props) if sort else props
    return "{" + ",".join(_quote(k) + ":" + texts_json(props[k]) for k in keys) + "}"


_LITERAL = {True: "true", False: "false", None: "null"}
_decoder = json.JSONDecoder(parse_constant=_Constant, object_pairs_hook=_pairs)


class _Pairs(list):  # type: ignore[type-arg]
    """An object parsed as its list of pairs, to find where a key repeats."""


def _duplicate_path(text: str) -> str | None:
    """The dotted path of the first repeated key (only called on a bad line)."""

    def walk(value: Any, path: str) -> str | None:
        if isinstance(value, _Pairs):
            seen: set[str] = set()
            for k, v in value:
                here = f"{path}.{k}" if path else k
                if k in seen:
                    return here
                seen.add(k)
                found = walk(v, here)
                if found:
                    return found
        elif isinstance(value, list):
            for i, v in enumerate(value):
                found = walk(v, f"{path}[{i}]")
                if found:
                    return found
        return None

    try:
        return walk(json.loads(text, object_pairs_hook=_Pairs, parse_constant=_Constant), "")
    except (ValueError, RecursionError):
        return None


class _HashingReader(io.RawIOBase):
    """Reads a binary file, hashing and counting every byte that passes."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.sha256 = hashlib.sha256()
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        if n:
            view = memoryview(buffer)[:n]
            self.sha256.update(view)
            self.count += n
        return n or 0

    def drain(self) -> None:
        """Hash the rest of the file (bytes the decoder did not need)."""
        buffer = bytearray(1024 * 1024)
        while self.readinto(buffer):
            pass

    def close(self) -> None:
        self._raw.close()
        super().close()


def _type_name(value: Any) -> str:
    if isinstance(value, _Constant):
        return value.name
    if value is None:
        return "null"
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, int | float):
        return _("a number")
    if isinstance(value, dict):
        return _("an object")
    if isinstance(value, list):
        return _("a list")
    return _("text")


class FtmReader:
    """Iterate over the valid entities of one file; every problem lands in ``problems``.

    Reading goes on after a bad line so that one run lists every problem
    (bounded by ``ProblemList.limit``), except where going on would be
    unsafe: a gzip stream that inflates beyond the limits, or too many entities.
    ``sha256`` and ``size`` describe the file as stored (compressed bytes).
    """

    def __init__(
        self,
        path: Path,
        *,
        limits: FtmLimits | None = None,
        problems: ProblemList | None = None,
        display_name: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.limits = limits or FtmLimits()
        self.problems = problems if problems is not None else ProblemList()
        self.file = display_name or self.path.name
        self.size = self.path.stat().st_size
        self.compressed = False
        self.sha256 = ""
        self.lines = 0
        self.entities = 0
        self.skipped = 0  # well-formed entities left out (unknown schema, impossible date)
        self.inflated = 0
        self.stopped = False
        self.dataset_counts: dict[str, int] = {}
        self.unknown_keys: dict[str, int] = {}
        self._hasher: _HashingReader | None = None
        self._good_props: set[str] = set()

    def _prop_name_ok(self, prop: str) -> bool:
        if _PROP_RE.match(prop):
            if len(self._good_props) < 10_000:
                self._good_props.add(prop)
            return True
        return False

    @property
    def consumed(self) -> int:
        """Bytes of the stored file read so far (for progress)."""
        return self._hasher.count if self._hasher else 0

    def _skip(self, message: str, line: int, key: str, code: str) -> None:
        self.skipped += 1
        self.problems.warning(
            _("{problem}; the entity is skipped").format(problem=message),
            file=self.file,
            line=line,
            key=key,
            code=code,
        )

    def _meaning_ok(self, schema: str, props: dict[str, Any], line: int) -> bool:
        """Well-formed but meaningless entities (unknown schema, impossible date) are left out."""
        if schema not in FTM_SCHEMATA:
            self._skip(
                _("'{schema}' is no FollowTheMoney schema").format(schema=schema[:80]),
                line,
                "schema",
                "ftm.unknown_schema",
            )
            return False
        for prop in DATE_PROPS.intersection(props):
            for i, value in enumerate(props[prop]):
                problem = date_problem(value)
                if problem:
                    self._skip(problem, line, f"properties.{prop}[{i}]", "ftm.bad_date")
                    return False
        return True

    def _error(self, message: str, line: int | None = None, **where: Any) -> None:
        self.problems.error(message, file=self.file, line=line, code=where.pop("code", ""), **where)

    def __iter__(self) -> Iterator[FtmEntity]:
        with open(self.path, "rb") as raw:
            hasher = _HashingReader(raw)
            self._hasher = hasher
            buffered = io.BufferedReader(hasher, buffer_size=1024 * 1024)
            self.compressed = buffered.peek(2)[:2] == GZIP_MAGIC
            stream: BinaryIO = (
                gzip.GzipFile(fileobj=buffered, mode="rb")  # type: ignore[assignment]
                if self.compressed
                else buffered
            )
            try:
                yield from self._lines(stream)
            except (OSError, EOFError, zlib.error) as exc:
                self._error(
                    _("the compressed file is damaged or incomplete ({detail})").format(detail=exc),
                    line=self.lines or None,
                    code="gzip.damaged",
                )
            if not self.stopped:
                hasher.drain()
            self.sha256 = hasher.sha256.hexdigest()
        if self.unknown_keys:
            for key, count in sorted(self.unknown_keys.items()):
                self.problems.warning(
                    _("unknown top-level key ignored in {count} entities").format(count=count),
                    file=self.file,
                    key=key,
                    code="ftm.unknown_key",
                )

    def _inflation_ok(self) -> bool:
        limits = self.limits
        if self.inflated > limits.max_inflated_bytes:
            self._error(
                _("the file unpacks to more than {mb} MB; reading stopped").format(
                    mb=limits.max_inflated_bytes // (1024 * 1024)
                ),
                line=self.lines,
                code="gzip.too_large",
            )
            return False
        if (
            self.compressed
            and self.inflated > limits.ratio_grace_bytes
            and self.inflated > limits.max_ratio * max(self.consumed, 1)
        ):
            self._error(
                _(
                    "the file unpacks to more than {ratio} times its compressed size "
                    "(a compression bomb?); reading stopped"
                ).format(ratio=limits.max_ratio),
                line=self.lines,
                code="gzip.ratio",
            )
            return False
        return True

    def _lines(self, stream: BinaryIO) -> Iterator[FtmEntity]:
        limit = self.limits.max_line_bytes
        seen: dict[str, int] = {}
        readline: Callable[[int], bytes] = stream.readline
        while True:
            chunk = readline(limit + 1)
            if not chunk:
                return
            self.lines += 1
            self.inflated += len(chunk)
            if not self._inflation_ok():
                self.stopped = True
                return
            if len(chunk) > limit and not chunk.endswith(b"\n"):
                self._error(
                    _("the line is longer than {kb} KB").format(kb=limit // 1024),
                    line=self.lines,
                    code="line.too_long",
                )
                while True:  # skip the rest of the line without keeping it
                    rest = readline(limit)
                    self.inflated += len(rest)
                    if not self._inflation_ok():
                        self.stopped = True
                        return
                    if not rest or rest.endswith(b"\n"):
                        break
                continue
            if self.lines == 1 and chunk.startswith(codecs.BOM_UTF8):
                chunk = chunk[len(codecs.BOM_UTF8) :]
            if not chunk.strip():
                continue
            entity = self._entity(chunk, seen)
            if entity is not None:
                self.entities += 1
                if self.entities > self.limits.max_entities:
                    self._error(
                        _("the file holds more than {n} entities; reading stopped").format(
                            n=self.limits.max_entities
                        ),
                        line=self.lines,
                        code="ftm.too_many",
                    )
                    self.stopped = True
                    return
                yield entity

    def _entity(self, chunk: bytes, seen: dict[str, int]) -> FtmEntity | None:
        line = self.lines
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError as exc:
            self._error(
                _("invalid UTF-8: byte 0x{byte:02X} at byte {pos} cannot be decoded").format(
                    byte=chunk[exc.start], pos=exc.start + 1
                ),
                line=line,
                column=exc.start + 1,
                code="utf8.invalid",
            )
            return None
        try:
            obj, end = _decoder.raw_decode(text, len(text) - len(text.lstrip()))
            if text[end:].strip():
                raise json.JSONDecodeError("Extra data", text, end)
        except json.JSONDecodeError as exc:
            self._error(
                _("not valid JSON: {detail}").format(detail=exc.msg),
                line=line,
                column=exc.colno,
                code="json.invalid",
            )
            return None
        except _DuplicateKey as exc:
            self._error(
                _("the key appears twice in the same object"),
                line=line,
                key=_duplicate_path(text) or exc.key,
                code="json.duplicate_key",
            )
            return None
        except RecursionError:
            self._error(
                _("JSON nested too deep (more than {n} levels)").format(n=self.limits.max_depth),
                line=line,
                code="json.too_deep",
            )
            return None
        if _SURROGATE_ESCAPE.search(chunk) and not self._surrogates_ok(obj, line):
            return None
        return self._validate(obj, line, seen)

    def _surrogates_ok(self, value: Any, line: int, key: str = "") -> bool:
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                self._error(
                    _("the text contains an unpaired surrogate escape (\\uD800–\\uDFFF)"),
                    line=line,
                    key=key or None,
                    code="json.surrogate",
                )
                return False
            return True
        if isinstance(value, dict):
            for k, v in value.items():
                if not self._surrogates_ok(k, line, key) or not self._surrogates_ok(
                    v, line, f"{key}.{k}" if key else k
                ):
                    return False
        elif isinstance(value, list):
            for i, v in enumerate(value):
                if not self._surrogates_ok(v, line, f"{key}[{i}]"):
                    return False
        return True

    def _check_generic(self, value: Any, line: int, key: str, depth: int) -> bool:
        """An unknown key's value: no NaN/Infinity and no deeper than the limit."""
        if depth > self.limits.max_depth:
            self._error(
                _("JSON nested too deep (more than {n} levels)").format(n=self.limits.max_depth),
                line=line,
                key=key,
                code="json.too_deep",
            )
            return False
        if isinstance(value, _Constant):
            self._error(
                _("{value} is not allowed in JSON").format(value=value.name),
                line=line,
                key=key,
                code="json.nan",
            )
            return False
        if isinstance(value, dict):
            return all(
                self._check_generic(v, line, f"{key}.{k}", depth + 1) for k, v in value.items()
            )
        if isinstance(value, list):
            return all(
                self._check_generic(v, line, f"{key}[{i}]", depth + 1) for i, v in enumerate(value)
            )
        return True

    def _text_list(self, obj: dict[str, Any], key: str, line: int) -> list[str] | None:
        value = obj.get(key)
        if value is None:
            return []
        if type(value) is not list:
            self._error(
                _("must be a list of texts, not {kind}").format(kind=_type_name(value)),
                line=line,
                key=key,
                code="ftm.not_list",
            )
            return None
        for i, item in enumerate(value):
            if type(item) is not str:
                self._bad_value(item, line, f"{key}[{i}]")
                return None
        return value

    def _bad_value(self, item: Any, line: int, key: str) -> None:
        if isinstance(item, _Constant):
            self._error(
                _("{value} is not allowed in JSON").format(value=item.name),
                line=line,
                key=key,
                code="json.nan",
            )
        elif isinstance(item, dict | list):
            self._error(
                _(
                    "must be text, not {kind} (nested entities are not supported; "
                    "use the flat entities export)"
                ).format(kind=_type_name(item)),
                line=line,
                key=key,
                code="ftm.nested",
            )
        else:
            self._error(
                _("must be text, not {kind}").format(kind=_type_name(item)),
                line=line,
                key=key,
                code="ftm.not_text",
            )

    def _validate(self, obj: Any, line: int, seen: dict[str, int]) -> FtmEntity | None:
        if type(obj) is not dict:
            self._error(
                _("the line must hold one JSON object (an entity), not {kind}").format(
                    kind=_type_name(obj)
                ),
                line=line,
                code="ftm.not_object",
            )
            return None
        ok = True
        eid = obj.get("id")
        if type(eid) is not str or not eid.strip():
            self._error(
                _("the entity has no id") if eid is None else _("the id must be non-empty text"),
                line=line,
                key="id",
                code="ftm.no_id",
            )
            ok = False
        elif len(eid) > self.limits.max_id_length:
            self._error(
                _("the id is longer than {n} characters").format(n=self.limits.max_id_length),
                line=line,
                key="id",
                code="ftm.id_too_long",
            )
            ok = False
        elif eid in seen:
            self._error(
                _("the id '{id}' was already used on line {first}").format(id=eid, first=seen[eid]),
                line=line,
                key="id",
                code="ftm.duplicate_id",
            )
            ok = False
        else:
            seen[eid] = line
        schema = obj.get("schema")
        if type(schema) is not str or not schema:
            self._error(
                _("the entity has no schema (such as Person or Company)"),
                line=line,
                key="schema",
                code="ftm.no_schema",
            )
            ok = False
        elif not _SCHEMA_RE.match(schema):
            self._error(
                _("'{schema}' is not a FollowTheMoney schema name").format(schema=schema[:80]),
                line=line,
                key="schema",
                code="ftm.bad_schema",
            )
            ok = False
        props = obj.get("properties")
        if props is None:
            props = {}
        elif type(props) is not dict:
            self._error(
                _("must be an object of properties, not {kind}").format(kind=_type_name(props)),
                line=line,
                key="properties",
                code="ftm.properties",
            )
            return None
        for prop, values in props.items():
            if prop not in self._good_props and not self._prop_name_ok(prop):
                self._error(
                    _("'{prop}' is not a property name").format(prop=prop[:80]),
                    line=line,
                    key="properties",
                    code="ftm.bad_property",
                )
                ok = False
                continue
            if type(values) is not list:
                if type(values) is str:
                    message = _('property values must be a list of texts, e.g. ["…"]')
                else:
                    message = _("must be a list of texts, not {kind}").format(
                        kind=_type_name(values)
                    )
                self._error(message, line=line, key=f"properties.{prop}", code="ftm.not_list")
                ok = False
                continue
            try:
                "".join(values)  # fast: raises unless every value is text
            except TypeError:
                for i, item in enumerate(values):
                    if type(item) is not str:
                        self._bad_value(item, line, f"properties.{prop}[{i}]")
                        ok = False
                        break
        datasets = self._text_list(obj, "datasets", line)
        referents = self._text_list(obj, "referents", line)
        if datasets is None or referents is None:
            ok = False
        stamps: dict[str, str | None] = {}
        for key in _TIMESTAMP_KEYS:
            value = obj.get(key)
            if value is not None and (type(value) is not str or len(value) > MAX_TIMESTAMP_LENGTH):
                self._error(
                    _("must be a date and time as text (at most {n} characters)").format(
                        n=MAX_TIMESTAMP_LENGTH
                    ),
                    line=line,
                    key=key,
                    code="ftm.timestamp",
                )
                ok = False
            stamps[key] = value
        target = obj.get("target")
        if target is not None and type(target) is not bool:
            self._error(
                _("must be true or false, not {kind}").format(kind=_type_name(target)),
                line=line,
                key="target",
                code="ftm.target",
            )
            ok = False
        caption = obj.get("caption")
        if caption is not None and type(caption) is not str:
            self._error(
                _("must be text, not {kind}").format(kind=_type_name(caption)),
                line=line,
                key="caption",
                code="ftm.caption",
            )
            ok = False
        if len(obj) > len(_KNOWN_KEYS) or not _KNOWN_KEYS.issuperset(obj):
            for key in obj:
                if key not in _KNOWN_KEYS:
                    if not self._check_generic(obj[key], line, key, 2):
                        ok = False
                    self.unknown_keys[key] = self.unknown_keys.get(key, 0) + 1
        if not ok:
            return None
        assert isinstance(eid, str) and isinstance(schema, str)
        if not self._meaning_ok(schema, props, line):
            return None
        if not caption:
            names = props.get("name") or props.get("alias") or ()
            caption = names[0] if names else eid
        for ds in datasets or ():
            self.dataset_counts[ds] = self.dataset_counts.get(ds, 0) + 1
        props_json = properties_json(props)
        return FtmEntity(
            line=line,
            id=eid,
            schema=schema,
            caption=caption,
            properties=props,
            datasets=datasets or [],
            referents=referents or [],
            first_seen=stamps["first_seen"],
            last_seen=stamps["last_seen"],
            last_change=stamps["last_change"],
            target=target,
            properties_json=props_json,
            content_hash=content_hash(schema, caption, target, props_json),
        )


@dataclass
class FtmScan:
    """What a full read of a file found: entity count, datasets, problems."""

    entities: list[FtmEntity] = field(default_factory=list)
    problems: ProblemList = field(default_factory=ProblemList)
    sha256: str = ""


def read_entities(path: Path, *, limits: FtmLimits | None = None) -> FtmScan:
    """Read a whole (small) file into memory; for big lists iterate an FtmReader instead."""
    reader = FtmReader(path, limits=limits)
    entities = list(reader)
    return FtmScan(entities=entities, problems=reader.problems, sha256=reader.sha256)


def looks_like_ftm(path: Path) -> bool:
    """Whether the file's name says FollowTheMoney JSON lines (.ftm.json, .jsonl, also .gz)."""
    name = Path(path).name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return name.endswith((".ftm.json", ".jsonl", ".ftm.jsonl", ".json"))
