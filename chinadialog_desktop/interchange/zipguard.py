"""Open zip archives (packages and workbooks) without trusting their headers."""

from __future__ import annotations

import io
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

from chinadialog_desktop.i18n import _
from chinadialog_desktop.interchange.limits import Limits, size_words
from chinadialog_desktop.interchange.problems import ProblemList

_CHUNK = 64 * 1024
_RATIO_FLOOR = 1024 * 1024  # small members may compress well; ratios count above this


@dataclass
class Budget:
    """Bytes still allowed to be inflated from one archive, whatever its headers say."""

    remaining: int
    spent: int = 0
    exceeded: bool = False


@dataclass
class SafeZip:
    archive: zipfile.ZipFile
    file: str
    budget: Budget
    members: dict[str, zipfile.ZipInfo] = field(default_factory=dict)


def unsafe_name_reason(name: str) -> str | None:
    """Why a member name must not be used, or None when it is a plain relative path."""
    if not name or "\x00" in name:
        return _("empty or contains a NUL character")
    if "\\" in name:
        return _("contains a backslash")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return _("is an absolute path")
    if any(part == ".." for part in name.split("/")):
        return _("climbs out of the archive with '..'")
    return None


def open_zip(data: bytes, file: str, limits: Limits, problems: ProblemList) -> SafeZip | None:
    """Check the directory: member count, names, symlinks, encryption, declared sizes."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        problems.error(
            _("The archive is damaged or not a ZIP file.")
            if not isinstance(exc, zipfile.LargeZipFile)
            else _("The archive uses ZIP64 extensions that are not accepted here."),
            file=file,
            code="zip.bad",
        )
        return None
    if len(infos) > limits.max_members:
        problems.error(
            _("The archive has {count} members; at most {limit} are allowed.").format(
                count=len(infos), limit=limits.max_members
            ),
            file=file,
            code="zip.too_many_members",
        )
        return None
    safe = SafeZip(archive, file, Budget(limits.max_inflated_bytes))
    declared = 0
    for info in infos:
        name = info.filename
        reason = unsafe_name_reason(name)
        mode = info.external_attr >> 16
        where: dict[str, Any] = {"file": file, "member": name}
        if reason is not None:
            problems.error(
                _("Unsafe member name: it {reason}.").format(reason=reason),
                code="zip.unsafe_name",
                **where,
            )
        elif info.create_system == 3 and stat.S_ISLNK(mode):
            problems.error(_("The member is a symbolic link."), code="zip.symlink", **where)
        elif name in safe.members:
            problems.error(_("The member name occurs twice."), code="zip.duplicate", **where)
        elif info.flag_bits & 0x1:
            problems.error(_("The member is encrypted."), code="zip.encrypted", **where)
        else:
            safe.members[name] = info
        declared += info.file_size
        if info.file_size > limits.max_file_bytes or (
            info.file_size > _RATIO_FLOOR
            and info.file_size > limits.max_ratio * max(info.compress_size, 1)
        ):
            problems.error(
                _(
                    "The member would unpack to {size} ({ratio} times its packed size); at most "
                    "{limit} and {max_ratio} times the packed size are allowed."
                ).format(
                    size=size_words(info.file_size),
                    ratio=info.file_size // max(info.compress_size, 1),
                    limit=size_words(limits.max_file_bytes),
                    max_ratio=limits.max_ratio,
                ),
                code="zip.too_large",
                **where,
            )
    if declared > limits.max_inflated_bytes:
        problems.error(
            _("The archive would unpack to {size}; at most {limit} are allowed.").format(
                size=size_words(declared), limit=size_words(limits.max_inflated_bytes)
            ),
            file=file,
            code="zip.too_large",
        )
    return safe


def read_member(
    safe: SafeZip, name: str, limits: Limits, problems: ProblemList, cap: int | None = None
) -> bytes | None:
    """Inflate one member into memory, counting the bytes actually produced (headers lie)."""
    info = safe.members[name]
    limit = min(cap or limits.max_file_bytes, limits.max_file_bytes)
    out = bytearray()
    try:
        with safe.archive.open(info) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                if not chunk:
                    break
                out += chunk
                safe.budget.spent += len(chunk)
                too_big = len(out) > limit or safe.budget.spent > safe.budget.remaining
                ratio_bad = len(out) > _RATIO_FLOOR and len(out) > limits.max_ratio * max(
                    info.compress_size, 1
                )
                if too_big or ratio_bad:
                    safe.budget.exceeded = True
                    problems.error(
                        _(
                            "The member unpacks to more than {limit} or more than {ratio} times "
                            "its packed size; it was rejected as a possible zip bomb."
                        ).format(limit=size_words(limit), ratio=limits.max_ratio),
                        file=safe.file,
                        member=name,
                        code="zip.bomb",
                    )
                    return None
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        NotImplementedError,
        ValueError,
    ) as exc:
        # zipfile checks the CRC at the end: a member whose bytes were altered fails here.
        problems.error(
            _("The member uses a compression method that cannot be read; pack the archive again.")
            if isinstance(exc, NotImplementedError)
            else _("The member is damaged: its checksum does not match its content.")
            if "CRC" in str(exc)
            else _("The member is damaged and cannot be unpacked."),
            file=safe.file,
            member=name,
            code="zip.bad_member",
        )
        return None
    return bytes(out)
