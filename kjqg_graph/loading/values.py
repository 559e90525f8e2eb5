"""Cell values: cleaning, multi-valued cells, booleans, years, and the keys names are matched by."""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate, compress, repeat
from operator import and_, not_

__all__ = ["MAX_CELL", "clean", "split_multi", "split_column", "parse_bool", "parse_year", "match_key",
           "enterprise_name", "enterprise_key", "enterprise_names", "enterprise_keys", "enterprise_names_keys", "plain_mask", "BOOL_TRUE", "BOOL_FALSE"]

MAX_CELL = 100_000          # characters; a longer cell is refused (a pasted document, not a value)

_SPLIT = re.compile(r"[、，,；;|\n\r]+")
_WS = re.compile(r"\s+")
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")

BOOL_TRUE = frozenset(["是", "y", "yes", "true", "t", "1", "✓", "✔", "√", "有", "对"])
BOOL_FALSE = frozenset(["否", "n", "no", "false", "f", "0", "✗", "✘", "×", "x", "无", "没有", "错"])

# CJK ideographs and digits only: nothing for NFKC, spaces or brackets to change
_PLAIN = re.compile(r"[\u4e00-\u9fff0-9]+$")
_NOT_PLAIN_LINE = re.compile(r"[^\u4e00-\u9fff0-9\n][^\n]*")     # from a text's first other character on
_ALL_PLAIN = re.compile(r"[\u4e00-\u9fff0-9\n]*\Z")                # plain lines only
# legal-form suffixes that name the same enterprise (longest first)
_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司")


def clean(text) -> str:
    """Strip a cell and collapse runs of white space to one space (``None`` -> ``""``)."""
    if text is None:
        return ""
    s = str(text).strip()
    if "  " in s or "\n" in s or "\t" in s or "\u3000" in s or "\xa0" in s:
        s = _WS.sub(" ", s).strip()
    return s


def split_multi(text: str) -> list[str]:
    """Split a multi-valued cell on 、 ， , ； ; | and newlines; drop empty parts and repeats."""
    if not text:
        return []
    parts = _SPLIT.split(text)
    if len(parts) == 1:
        part = clean(text)
        return [part] if part else []
    if _WS.search(text) is None:        # no white space: no part to clean
        return list(dict.fromkeys(filter(None, parts)))
    out = []
    for part in parts:
        part = clean(part)
        if part and part not in out:
            out.append(part)
    return out


def split_column(texts) -> dict:
    """``{text: split_multi(text)}`` for distinct texts. When no text holds white space (one search of
    them joined) no part needs cleaning: each is split, emptied parts dropped and repeats left out by
    C-level maps, with no Python call per text."""
    texts = list(texts)
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1 or _WS.search(joined) is not None:
        return {t: split_multi(t) for t in texts}
    return dict(zip(texts, map(list, map(dict.fromkeys, map(filter, repeat(None), map(_SPLIT.split, texts))))))


def parse_bool(text: str):
    """``True``/``False`` for the accepted spellings, ``None`` for blank; raise ValueError otherwise."""
    if not text:
        return None
    t = text.strip().lower()
    if t in BOOL_TRUE:
        return True
    if t in BOOL_FALSE:
        return False
    raise ValueError(text)


def parse_year(text: str) -> int:
    t = text.strip().rstrip("年").strip()
    if t.endswith(".0"):
        t = t[:-2]
    y = int(t)
    if not 1900 <= y <= 2200:
        raise ValueError(text)
    return y


@lru_cache(maxsize=1 << 16)
def match_key(text: str) -> str:
    """A lenient key for matching a reference to a name: NFKC, no spaces, lower case."""
    return _WS.sub("", unicodedata.normalize("NFKC", text)).lower()


def enterprise_name(text: str) -> str:
    """The canonical written form of an enterprise name (its node key).

    Full-width letters and digits become half-width, brackets become full-width （）, white
    space next to a Chinese character is dropped and other runs of it become one space.
    """
    if _PLAIN.match(text):
        return text
    s = unicodedata.normalize("NFKC", text).strip()
    s = _WS.sub(" ", s)
    s = _CJK_SPACE.sub("", s)
    return s.replace("(", "（").replace(")", "）")


def enterprise_key(canonical: str) -> str:
    """What two names of one enterprise have in common: no spaces or brackets, no legal-form suffix."""
    s = canonical
    if not _PLAIN.match(s):
        s = s.replace(" ", "").replace("（", "(").replace("）", ")").lower()
    if s.endswith("有限公司") and not s.endswith(_SUFFIXES[:2]):
        return s
    for suf in _SUFFIXES:
        if s.endswith(suf):
            return s[: -len(suf)] + "有限公司"
    return s


def plain_mask(texts) -> list:
    """For each text whether it is plain (``_PLAIN``: CJK ideographs and digits only), found with one
    search of the column joined by newlines: only the texts holding another character are looked at."""
    return _plain_mask(texts)[0]


def _plain_mask(texts):
    """``(plain_mask, the texts joined by newlines or None)``."""
    texts = texts if isinstance(texts, (list, tuple)) else list(texts)
    n = len(texts)
    joined = "\n".join(texts)
    if joined.count("\n") != n - 1 or "" in texts:      # a text with a newline, or an empty one
        plain = _PLAIN.match
        return [plain(t) is not None for t in texts], None
    mask = [True] * n
    if _ALL_PLAIN.match(joined):        # (one pass of a character class: the usual case)
        return mask, joined
    hits = [m.start() for m in _NOT_PLAIN_LINE.finditer(joined)]
    if hits:
        starts = list(accumulate(map(len, texts), lambda at, k: at + k + 1, initial=0))
        for at in hits:
            mask[bisect_right(starts, at) - 1] = False
    return mask, joined


def enterprise_names(texts) -> list:
    """``enterprise_name`` of each text (a column at a time: the plain ones pass straight through)."""
    return enterprise_names_keys(texts, keys=False)[0]


def enterprise_keys(canonicals) -> list:
    """``enterprise_key`` of each canonical name (a column at a time: a plain name ending in 有限公司 but
    not 股份有限公司 or 有限责任公司 is its own key)."""
    out = list(canonicals)
    return _keys(out, *_plain_mask(out))


def enterprise_names_keys(texts, keys=True):
    """``(enterprise_names(texts), enterprise_keys of them)`` (``None`` for the keys unless ``keys``):
    when every text is plain, the names are the texts and their plainness is not looked for again."""
    out = list(texts)
    mask, joined = _plain_mask(out)
    if not all(mask):
        for i in compress(range(len(out)), map(not_, mask)):
            out[i] = enterprise_name(out[i])
        return out, (enterprise_keys(out) if keys else None)
    return out, (_keys(list(out), mask, joined) if keys else None)


def _keys(out, mask, joined):
    """The keys of the canonical names ``out`` (changed in place) with their plain mask and, if they are
    all plain, their newline join: then one count says whether every name is its own key."""
    if joined is not None and all(mask):
        j = joined + "\n"
        if j.count(_SUFFIXES[2] + "\n") == len(out) and _SUFFIXES[0] + "\n" not in j and _SUFFIXES[1] + "\n" not in j:
            return out                  # (each line ends in 有限公司, none in a longer form)
    same = map(and_, map(and_, mask, map(str.endswith, out, repeat(_SUFFIXES[2]))),
               map(not_, map(str.endswith, out, repeat(_SUFFIXES[:2]))))
    for i in compress(range(len(out)), map(not_, same)):
        out[i] = enterprise_key(out[i])
    return out
