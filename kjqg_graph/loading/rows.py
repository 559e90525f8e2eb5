"""Turning a table's text cells into typed row values, one problem per bad cell.

A :class:`Row` holds the values of one data row by column field (``"stage"``, ``"links"``…):
text stripped, multi-valued cells split into lists, booleans as ``True``/``False``/``None``,
scheme values in their canonical (Chinese) form, years as ``int``.
"""
from __future__ import annotations

import datetime as _dt
import re

from ..errors import InvalidValueError
from ..uscc import CHARSET, check_digit
from ..vocab import K, vocabulary
from .columns import LIST_KINDS
from .problems import Problem
from .values import clean, parse_bool, parse_year, split_multi

__all__ = ["Row", "parse_table", "resource_kind", "check_uscc", "RESOURCE_WORDS"]

# 类别 words of the resources list that are not platform kinds
RESOURCE_WORDS = {
    "高校": K.University, "大学": K.University, "高等学校": K.University, "学院": K.University,
    "university": K.University,
    "科研院所": K.ResearchInstitute, "研究院所": K.ResearchInstitute, "科研机构": K.ResearchInstitute,
    "研究所": K.ResearchInstitute, "institute": K.ResearchInstitute, "researchinstitute": K.ResearchInstitute,
    "人才": K.Talent, "专家": K.Talent, "talent": K.Talent,
    "团队": K.TalentTeam, "人才团队": K.TalentTeam, "创新团队": K.TalentTeam, "team": K.TalentTeam,
    "talentteam": K.TalentTeam,
}
_SOFT = frozenset(["stage", "value"])     # required, but a bad value still lets the row be referred to
_EDGE_WS = " \t\n\r\u3000\xa0"
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


class Row:
    __slots__ = ("table", "num", "v", "source", "as_of")

    def __init__(self, table, num, v, source, as_of):
        self.table = table
        self.num = num
        self.v = v
        self.source = source
        self.as_of = as_of

    def where(self, column=None, reason=""):
        return Problem(self.table.file, self.table.sheet, self.num, column, reason)


def resource_kind(text: str):
    """``(kind, platformKind or None)`` for a 类别 cell; raise InvalidValueError otherwise."""
    w = text.strip().lower().replace(" ", "")
    if w in RESOURCE_WORDS:
        return RESOURCE_WORDS[w], None
    V = vocabulary()
    try:
        return K.InnovationPlatform, V.canonical("PlatformKindScheme", text)
    except InvalidValueError:
        allowed = "、".join(["高校", "科研院所", "人才", "团队"] + V.scheme_values("PlatformKindScheme"))
        raise InvalidValueError(f"{text!r} is not one of {allowed}") from None


def region_type(text: str):
    """``(kind, attribute, value)`` for a regions 类型 cell."""
    V = vocabulary()
    try:
        return K.Region, "regionType", V.canonical("RegionTypeScheme", text)
    except InvalidValueError:
        pass
    try:
        return K.InnovationZone, "zoneType", V.canonical("ZoneTypeScheme", text)
    except InvalidValueError:
        allowed = "、".join(V.scheme_values("RegionTypeScheme") + V.scheme_values("ZoneTypeScheme"))
        raise InvalidValueError(f"{text!r} is not one of {allowed}") from None


def check_uscc(text: str):
    """The code upper-cased, or raise ValueError with the reason."""
    code = text.strip().upper().replace(" ", "")
    if len(code) != 18:
        raise ValueError(f"has {len(code)} characters; a 统一社会信用代码 has 18")
    bad = [c for c in code if c not in CHARSET]
    if bad:
        raise ValueError(f"contains {bad[0]!r}, which a 统一社会信用代码 never uses (no I, O, S, V or Z)")
    want = check_digit(code[:17])
    if want != code[17]:
        raise ValueError(f"has a wrong check digit: the 18th character should be {want} for the first 17 "
                         "(GB 32100); check the code against the business licence")
    return code


def _bool_reason(text):
    return (f"{text!r} is not a yes/no value; write 是 or 否 (also Y/N, true/false, 1/0, ✓/✗, 有/无), "
            "or leave it blank when unknown")


def _as_of(text):
    t = text.strip()
    m = _DATE.match(t)
    if not m:
        raise ValueError
    return _dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()


def _converter(col):
    """A function cell-text -> value raising (InvalidValueError|ValueError) with a reason."""
    V = vocabulary()
    if col.field == "uscc":
        return check_uscc
    if col.field == "as_of":
        return _as_of
    if col.values == "bool":
        def conv(t):
            try:
                return parse_bool(t)
            except ValueError:
                raise ValueError(_bool_reason(t)) from None
        return conv
    if col.values == "year":
        def conv(t):
            try:
                return parse_year(t)
            except ValueError:
                raise ValueError(f"{t!r} is not a year; write it as 2025") from None
        return conv
    if col.values == "ResourceType":
        return resource_kind
    if col.values == "RegionOrZoneType":
        return region_type
    if col.values:
        scheme = col.values
        cache = {}

        def conv(t):
            r = cache.get(t)
            if r is None:
                r = cache[t] = V.canonical(scheme, t)
            return r
        return conv
    if col.multi:
        return split_multi
    return None


def parse_table(table, kind, mapping, problems, *, chain=None, as_of=None, progress=None):
    """Rows of ``table`` (a list kind with ``mapping`` {position: field}) with typed values.

    Bad cells add problems and leave the row out. Returns a list of :class:`Row`.
    """
    spec = LIST_KINDS[kind]
    label = table.label
    width = len(table.headers)
    plan = []
    for pos, fld in sorted(mapping.items()):
        col = spec.column(fld)
        plan.append((pos, fld, table.headers[pos], col.required, _converter(col)))
    default_chain = chain if any(c.field == "chain" for c in spec.columns) else None
    absent_multi = [c.field for c in spec.columns if c.multi and c.field not in mapping.values()]
    out = []
    src_pos = next((p for p, f in mapping.items() if f == "source"), None)
    for i, (cells, num) in enumerate(zip(table.rows, table.rownums)):
        if progress is not None and not i & 4095:
            progress.advance(4096 if i else 0)
        bad = False
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            problems.append(Problem(table.file, table.sheet, num, None,
                                    f"has {len(cells)} cells but the header has {width} columns; quote values that "
                                    "contain a comma, or remove the extra cells"))
            continue
        v = {f: [] for f in absent_multi}
        for pos, fld, header, required, conv in plan:
            text = cells[pos]
            if conv is split_multi:
                text = split_multi(text)
            elif text and (text[0] in _EDGE_WS or text[-1] in _EDGE_WS or "  " in text or "\n" in text):
                text = clean(text)
            if not text:
                if required and not (fld == "chain" and default_chain):
                    problems.append(Problem(table.file, table.sheet, num, header,
                                            f"is empty; every row of a {spec.zh} needs a {header}"))
                    bad = True
                v[fld] = [] if conv is split_multi else None
                continue
            if conv is None or conv is split_multi:
                v[fld] = text
                continue
            try:
                v[fld] = conv(text)
            except (InvalidValueError, ValueError) as e:
                problems.append(Problem(table.file, table.sheet, num, header, str(e)))
                v[fld] = None
                if required and fld not in _SOFT:
                    bad = True
        if bad:
            continue
        if default_chain and not v.get("chain"):
            v["chain"] = default_chain
        s = v.get("source") if src_pos is not None else None
        source = f"{s} | {label}:row {num}" if s else f"{label}:row {num}"
        out.append(Row(table, num, v, source, v.get("as_of") or as_of))
    return out
