"""The unified social credit code (统一社会信用代码, GB 32100-2015): check digits."""
from __future__ import annotations

__all__ = ["CHARSET", "check_digit", "is_valid", "make"]

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"          # 31 characters: no I, O, S, V, Z
_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]            # GB 11714 organisation code


def check_digit(first17: str) -> str:
    """The 18th character for the first 17 (GB 32100 §5)."""
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, _WEIGHTS))
    return CHARSET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    """True when ``code`` has 18 characters of the code set and the right check digit."""
    code = code.strip().upper()
    if len(code) != 18 or any(c not in CHARSET for c in code):
        return False
    return check_digit(code[:17]) == code[17]


def _org_check(body8: str) -> str:
    total = sum(CHARSET.index(c) * w for c, w in zip(body8, _ORG_WEIGHTS))
    d = 11 - total % 11
    return {10: "X", 11: "0"}.get(d, str(d))


def make(division: str, serial: int) -> str:
    """A well-formed code for generated (fictitious) enterprises: 91 + division + org code + check."""
    body8 = f"{serial:08d}"[-8:]
    first17 = "91" + division + body8 + _org_check(body8)
    return first17 + check_digit(first17)
