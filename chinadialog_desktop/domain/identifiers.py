"""Chinese unified social credit codes (USCC, 统一社会信用代码) per GB 32100-2015.

Eighteen characters from 0-9 and the capitals without I, O, S, V, Z; the last is a check
character: the first seventeen, weighted 3^i mod 31, summed; 31 minus the sum mod 31 (31
counts as 0) picked from the same alphabet.
"""

from __future__ import annotations

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def uscc_check_character(first17: str) -> str | None:
    """The check character for the first seventeen characters, None if they cannot be one."""
    code = first17.upper()
    if len(code) != 17 or any(ch not in _VALUE for ch in code):
        return None
    total = sum(_VALUE[ch] * w for ch, w in zip(code, _WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_valid(value: str) -> bool:
    """True if ``value`` (spaces and dashes aside) is an USCC with the right check character."""
    code = "".join(ch for ch in value.upper() if ch.isalnum())
    return len(code) == 18 and uscc_check_character(code[:17]) == code[17]


def looks_like_uscc(value: str) -> bool:
    """Eighteen letters and digits: meant as an USCC, whether its check character is right."""
    code = "".join(ch for ch in value.upper() if ch.isalnum())
    return len(code) == 18 and code[2:8].isdigit()
