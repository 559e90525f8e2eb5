"""Turning a table's text cells into typed row values, one problem per bad cell.

A :class:`Row` holds the values of one data row by column field (``"stage"``, ``"links"``…):
text stripped, multi-valued cells split into lists, booleans as ``True``/``False``/``None``,
scheme values in their canonical (Chinese) form, years as ``int``.
"""
from __future__ import annotations

import datetime as _dt
import re
from operator import attrgetter

from ..errors import InvalidValueError
from ..uscc import CHARSET, check_digit
from ..vocab import K, vocabulary
from .columns import LIST_KINDS
from .problems import Problem
from .values import clean, parse_bool, parse_year, split_column, split_multi

__all__ = ["Row", "Rows", "columns_of", "prov", "provenance", "parse_table", "resource_kind", "check_uscc", "RESOURCE_WORDS"]

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
_OTHER_WS = _EDGE_WS[1:]
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


class Row:
    """One data row: where it is (``table``, ``num``), its provenance (``source``, ``as_of``) and its
    typed values ``v`` by column field. The values are kept a column at a time (``cols``, shared by
    the rows of a table, this row at position ``i``): ``v`` is the row's own dict, made when first
    asked for; the planner reads an enterprises list by its columns and never makes one.
    ``prov`` is the attribute dict its edges share."""
    __slots__ = ("table", "num", "_v", "source", "as_of", "cols", "i", "prov")

    def __init__(self, table, num, v, source, as_of):
        self.table = table
        self.num = num
        self._v = v
        self.source = source
        self.as_of = as_of
        self.cols = self.i = self.prov = None

    @property
    def v(self):
        v = self._v
        if v is None and self.cols is not None:
            i = self.i
            v = self._v = {f: c[i] for f, c in self.cols.items()}
        return v

    def where(self, column=None, reason=""):
        return Problem(self.table.file, self.table.sheet, self.num, column, reason)


class Rows(list):
    """The :class:`Row` objects of one table, with ``cols``: {field: column}, row ``k`` of the list
    at position ``k`` of every column, and the rows' ``sources`` and ``as_ofs`` the same way."""
    cols = sources = as_ofs = None


def provenance(rows):
    """``(sources, as_ofs)`` of ``rows`` as two new lists (from a whole table's columns when it is one)."""
    if getattr(rows, "sources", None) is not None and len(rows.sources) == len(rows):
        return list(rows.sources), list(rows.as_ofs)
    return list(map(attrgetter("source"), rows)), list(map(attrgetter("as_of"), rows))


def columns_of(rows, fields):
    """``{field: column}`` for ``rows`` (a :class:`Rows` list or any list of its rows, e.g. with some
    left out), ``None`` for a field no row has."""
    cols = getattr(rows, "cols", None)
    if cols is not None and len(rows) == len(next(iter(cols.values()), ())):
        return {f: cols.get(f) for f in fields}
    if rows and all(r.cols is rows[0].cols and r.cols is not None for r in rows):
        cols = rows[0].cols
        idx = [r.i for r in rows]
        return {f: ([cols[f][i] for i in idx] if f in cols else None) for f in fields}
    vs = [r.v for r in rows]
    return {f: ([v.get(f) for v in vs] if any(f in v for v in vs) else None) for f in fields}


def prov(row):
    """The attribute dict (``source``, ``asOf``) shared by the edges of ``row``."""
    p = row.prov
    if p is None:
        p = row.prov = {"source": row.source, "asOf": row.as_of}
    return p


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


def _cleaned(column):
    """The column with every cell that needs it passed through ``clean`` (whole-column checks first:
    most columns have no cell to clean)."""
    j = "\x1f".join(column)         # one pass over the cells, then scans of one string
    if " " in j:                    # (the two-character scans only where a space is)
        need = "  " in j or " \x1f" in j or "\x1f " in j or j[:1] == " " or j[-1:] == " "
    else:
        need = False
    if not (need or any(ch in j for ch in _OTHER_WS)):
        return column
    return [clean(t) if _unclean(t) else t for t in column]


def _unclean(t) -> bool:
    """Whether the cell text ``t`` needs ``clean``."""
    return bool(t) and (t[0] in _EDGE_WS or t[-1] in _EDGE_WS or "  " in t or "\n" in t)


def parse_table(table, kind, mapping, problems, *, chain=None, as_of=None, progress=None):
    """Rows of ``table`` (a list kind with ``mapping`` {position: field}) with typed values.

    Bad cells add problems and leave the row out. Returns a :class:`Rows` list (its ``cols`` hold
    the typed values a column at a time; no row makes its own dict unless asked).

    The work is done a column at a time: a column is cleaned in one pass (a regular expression
    over the joined column decides whether any cell needs it), and each *distinct* cell text
    of a typed column is converted once.
    """
    spec = LIST_KINDS[kind]
    label, file, sheet = table.label, table.file, table.sheet
    width = len(table.headers)
    rows, nums = table.rows, table.rownums
    n = len(rows)
    default_chain = chain if any(c.field == "chain" for c in spec.columns) else None
    found = []                     # (row index, column position, Problem)
    skip = set()                   # row indexes left out
    for i, cells in (enumerate(rows) if n and max(map(len, rows)) > width else ()):
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            found.append((i, -1, Problem(file, sheet, nums[i], None,
                                         f"has {len(cells)} cells but the header has {width} "
                                         f"column{'s' if width != 1 else ''}; quote values "
                                         "that contain a comma, or remove the extra cells")))
    extra = {i for i, _, _ in found}
    fields, columns = [], []
    items = sorted(mapping.items())
    step = max(1, n // max(1, len(items)))
    by_pos = list(zip(*rows)) if n and min(map(len, rows)) >= width else None    # the cells a column at a time
    for pos, fld in items:
        if progress is not None:
            progress.advance(step)
        col = spec.column(fld)
        header = table.headers[pos]
        conv = _converter(col)
        raw = by_pos[pos] if by_pos is not None else [cells[pos] for cells in rows]
        if conv is None and not table.tidy:
            raw = _cleaned(raw)
        if conv is split_multi:
            cache = split_column(set(raw))      # rows with one text share its list
            values = list(map(cache.__getitem__, raw))
            if col.required and [] in cache.values():
                _blanks(values, (lambda v: not v), found, skip, nums, file, sheet, pos, header, spec, True)
        else:
            required = col.required and not (fld == "chain" and default_chain)
            if conv is None:
                values = raw
                if "" in raw:
                    values = [t or None for t in raw]
                    if required:
                        _blanks(values, (lambda v: v is None), found, skip, nums, file, sheet, pos, header, spec, True)
            else:
                distinct = set(raw)             # (a typed column is cleaned by its distinct texts)
                if not table.tidy:
                    fix = {t: clean(t) for t in distinct if _unclean(t)}
                    if fix:
                        raw = list(map(fix.get, raw, raw))
                        distinct = set(raw)
                typed, errors = {"": None}, {}
                for t in distinct:
                    if t:
                        try:
                            typed[t] = conv(t)
                        except (InvalidValueError, ValueError) as e:
                            typed[t] = None
                            errors[t] = str(e)
                values = list(map(typed.__getitem__, raw))
                if required and "" in raw:
                    _blanks(raw, (lambda t: not t), found, skip, nums, file, sheet, pos, header, spec, True)
                if errors:
                    for i, t in enumerate(raw):
                        if t in errors:
                            found.append((i, pos, Problem(file, sheet, nums[i], header, errors[t])))
                            if col.required and fld not in _SOFT:
                                skip.add(i)
        fields.append(fld)
        columns.append(values)
    if default_chain:
        if "chain" in fields:
            j = fields.index("chain")
            columns[j] = [c or default_chain for c in columns[j]]
        else:
            fields.append("chain")
            columns.append([default_chain] * n)
    absent = [c.field for c in spec.columns if c.multi and c.field not in fields]
    for f in absent:
        fields.append(f)
        columns.append(_repeat_empty(n))
    if found:
        found.sort(key=lambda x: (x[0], x[1]))
        problems.extend(p for i, pos, p in found if pos == -1 or i not in extra)
    skip |= extra
    if "source" in fields:
        where = [f"{s} | {label}:row {num}" if s else f"{label}:row {num}"
                 for s, num in zip(columns[fields.index("source")], nums)]
    else:
        where = [f"{label}:row {num}" for num in nums]
    as_ofs = [a or as_of for a in columns[fields.index("as_of")]] if "as_of" in fields else [as_of] * n
    keep = [i for i in range(n) if i not in skip] if skip else None
    if keep is not None:
        columns = [[c[i] for i in keep] for c in columns]
        nums, where, as_ofs = [nums[i] for i in keep], [where[i] for i in keep], [as_ofs[i] for i in keep]
    cols = dict(zip(fields, columns))
    new = Row.__new__
    out = Rows()
    out.cols, out.sources, out.as_ofs = cols, where, as_ofs
    append = out.append
    for i, (num, source, when) in enumerate(zip(nums, where, as_ofs)):
        r = new(Row)
        r.table, r.num, r._v, r.source, r.as_of, r.cols, r.i, r.prov = table, num, None, source, when, cols, i, None
        append(r)
    return out


def _repeat_empty(n):
    return [[] for _ in range(n)]


def _blanks(values, is_blank, found, skip, nums, file, sheet, pos, header, spec, hard):
    for i, v in enumerate(values):
        if is_blank(v):
            found.append((i, pos, Problem(file, sheet, nums[i], header,
                                          f"is empty; every row of a {spec.zh} needs a {header}")))
            if hard:
                skip.add(i)
