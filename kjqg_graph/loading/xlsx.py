"""A streaming .xlsx reader: the cell values of each sheet, as openpyxl's read-only mode gives them.

openpyxl parses a sheet through ElementTree and builds a descriptor-checked object per cell
(about 60 µs a cell: 80 s for 100 000 rows of 13 columns). The lists need only the values, so
this reader walks ``<row>`` elements with lxml's ``iterparse`` and reads each ``<c>`` directly:
shared strings, inline strings, numbers, booleans, errors, ISO dates, and numbers whose style
is a date format (turned into ``datetime`` with openpyxl's own ``from_excel``, 1900 or 1904
epoch). Formula cells give their cached value (what the user sees), never the formula text.

The parser resolves no entities and fetches nothing from the network. Anything this reader
does not understand raises :class:`Unsupported`; the caller then falls back to openpyxl.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from itertools import islice

__all__ = ["read_workbook", "Unsupported"]

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_M = "{%s}" % MAIN
_COL = re.compile(r"([A-Z]+)")


class Unsupported(Exception):
    """The workbook uses something this reader does not handle (the caller falls back to openpyxl)."""


def _parser():
    from lxml import etree
    return etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


def _xml(zf, name):
    from lxml import etree
    try:
        data = zf.read(name)
    except KeyError:
        raise Unsupported(f"no {name}") from None
    return etree.fromstring(data, _parser())


def _col_index(ref, cache={}):
    """0-based column of a cell reference such as ``AB12``."""
    letters = cache.get(ref)
    if letters is not None:
        return letters
    m = _COL.match(ref)
    if m is None:
        raise Unsupported(f"cell reference {ref!r}")
    n = 0
    for ch in m.group(1):
        n = n * 26 + ord(ch) - 64
    if len(cache) < 4096:
        cache[ref] = n - 1
    return n - 1


def _sheets(zf):
    """``[(sheet name, part name)]`` in workbook order, and whether dates count from 1904."""
    wb = _xml(zf, "xl/workbook.xml")
    if wb.tag != _M + "workbook":
        raise Unsupported("not a transitional spreadsheetml workbook")
    pr = wb.find(_M + "workbookPr")
    date1904 = pr is not None and pr.get("date1904") in ("1", "true")
    rels = _xml(zf, "xl/_rels/workbook.xml.rels")
    target = {}
    for r in rels.iter("{%s}Relationship" % PKG_REL):
        t = r.get("Target")
        t = t.lstrip("/") if t.startswith("/") else posixpath.normpath(posixpath.join("xl", t))
        target[r.get("Id")] = t
    out = []
    for s in wb.iter(_M + "sheet"):
        rid = s.get("{%s}id" % REL)
        if rid not in target:
            raise Unsupported("sheet without a part")
        out.append((s.get("name"), target[rid]))
    return out, date1904


def _shared_strings(zf):
    from lxml import etree
    try:
        f = zf.open("xl/sharedStrings.xml")
    except KeyError:
        return []
    out = []
    si, t, r = _M + "si", _M + "t", _M + "r"
    with f:
        for _, el in etree.iterparse(f, events=("end",), tag=si, resolve_entities=False, no_network=True):
            out.append(_rich_text(el, t, r))
            el.clear()
            while el.getprevious() is not None:
                del el.getparent()[0]
    return out


def _rich_text(el, t, r):
    """Text of an ``<si>``/``<is>``: its ``<t>`` or its runs' ``<t>`` (phonetic runs left out)."""
    parts = []
    for ch in el:
        if ch.tag == t:
            parts.append(ch.text or "")
        elif ch.tag == r:
            for x in ch:
                if x.tag == t:
                    parts.append(x.text or "")
    return "".join(parts)


def _date_styles(zf):
    """Indexes of the cell formats (``s`` attribute) that show a number as a date or time."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
    try:
        st = _xml(zf, "xl/styles.xml")
    except Unsupported:
        return frozenset()
    custom = {}
    nf = st.find(_M + "numFmts")
    if nf is not None:
        for x in nf:
            if x.get("numFmtId") is not None:
                custom[int(x.get("numFmtId"))] = x.get("formatCode") or ""
    xfs = st.find(_M + "cellXfs")
    out = set()
    if xfs is not None:
        for i, xf in enumerate(xfs.iter(_M + "xf")):
            fid = int(xf.get("numFmtId") or 0)
            code = custom.get(fid, BUILTIN_FORMATS.get(fid))
            if code and is_date_format(code):
                out.add(i)
    return frozenset(out)


def read_workbook(path, want=None, *, on_row=None):
    """``[(sheet name, [(row number, [cell value, ...]), ...])]`` for every sheet (or those in ``want``).

    Values are ``str``, ``int``, ``float``, ``bool``, ``datetime``/``date``/``time`` or ``None``;
    each row list runs to its last cell present. ``on_row(n)`` is called every 4096 rows.
    """
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        raise Unsupported(str(e)) from None
    with zf:
        sheets, date1904 = _sheets(zf)
        shared = _shared_strings(zf)
        dates = _date_styles(zf)
        out = []
        for name, part in sheets:
            if want is not None and name not in want:
                continue
            out.append((name, _read_sheet(zf, part, shared, dates, date1904, on_row)))
        return out


def _read_sheet(zf, part, shared, dates, date1904, on_row):
    from lxml import etree
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601
    epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    ROW, C, V, IS, T, R = _M + "row", _M + "c", _M + "v", _M + "is", _M + "t", _M + "r"
    try:
        with zf.open(part) as f:
            return _fast_rows(f, shared, dates, epoch, on_row)
    except KeyError:
        raise Unsupported(f"no {part}") from None
    except Unsupported:
        pass                       # read it again, element by element
    rows = []
    n = 0
    with zf.open(part) as f:
        for _, row in etree.iterparse(f, events=("end",), tag=ROW, resolve_entities=False, no_network=True,
                                      remove_comments=True):
            r = row.get("r")
            n = int(r) if r else n + 1
            cells = []
            for c in row:
                if c.tag != C:
                    continue
                ref = c.get("r")
                if ref is not None:
                    j = _col_index(ref)
                    if j > len(cells):
                        cells.extend([None] * (j - len(cells)))
                    elif j < len(cells):
                        raise Unsupported("cells out of order")
                t = c.get("t")
                if t == "inlineStr":
                    is_ = c.find(IS)
                    cells.append(_rich_text(is_, T, R) if is_ is not None else None)
                    continue
                v = c.find(V)
                text = v.text if v is not None else None
                if text is None:
                    cells.append(None)
                elif t == "s":
                    cells.append(shared[int(text)])
                elif t is None or t == "n":
                    if "." in text or "E" in text or "e" in text:
                        x = float(text)
                    else:
                        x = int(text)
                    s = c.get("s")
                    if s is not None and int(s) in dates:
                        x = from_excel(x, epoch)
                    cells.append(x)
                elif t == "str" or t == "e":
                    cells.append(text)
                elif t == "b":
                    cells.append(text.strip() in ("1", "true"))
                elif t == "d":
                    cells.append(from_ISO8601(text))
                else:
                    raise Unsupported(f"cell type {t!r}")
            rows.append((n, cells))
            row.clear()
            while row.getprevious() is not None:
                del row.getparent()[0]
            if on_row is not None and not len(rows) & 4095:
                on_row(4096)
    return rows


# ---------------------------------------------------------------------- the fast path: regular expressions
# A sheet part as spreadsheet programs write it is a flat run of <row><c><v/></c></row> elements.
# Where a part holds only that (checked per chunk: every <row and <c is matched, no CDATA, no
# comments, no namespace prefixes, UTF-8), its cells are read by regular expressions with no
# element objects at all; anything else goes to the lxml path above.
# one expression for both: a <row> start tag (its r), or a whole <c> (its r letters, s, t and content)
# (each attribute matches one way only and a cell's content stops at the next <c: linear time
# even on a crafted or broken part)
_ALL = re.compile(r'<(row)((?:\s+(?:r="(\d+)"|(?!r=)[\w:]+="[^"]*"))*)\s*(/?)>'
                  r'|<c(?:\s+(?:r="([A-Z]+)\d+"|s="(\d+)"|t="(\w+)"|(?![rst]=)[\w:]+="[^"]*"))*\s*'
                  r'(?:/>|>((?:[^<]++|<(?!c[\s>/]))*?)</c>)', re.S)   # content never runs into the next <c
_V = re.compile(r'<v(?:\s[^>]*)?(?:/>|>([^<]*)</v>)')
_T = re.compile(r'<t(?:\s[^>]*)?(?:/>|>([^<]*)</t>)')
_ENT = re.compile(r'&(?:#(\d+)|#x([0-9a-fA-F]+)|(lt|gt|amp|quot|apos));')
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_CHUNK = 1 << 22


def _unescape(text):
    """XML character data as a parser gives it: line ends normalised, the five entities and
    character references replaced (any other ``&`` raises Unsupported)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" not in text:
        return text
    amps = text.count("&")
    if amps != len(_ENT.findall(text)):
        raise Unsupported("an entity other than the XML ones")
    if amps == text.count("&#") and "&#x" not in text:     # decimal references only (some writers escape
        parts = text.split("&#")                            # every non-ASCII character): no callback each
        out = [parts[0]]
        for part in islice(parts, 1, None):
            num, _, rest = part.partition(";")
            out.append(chr(int(num)))
            out.append(rest)
        return "".join(out)
    return _ENT.sub(lambda m: chr(int(m[1])) if m[1] else chr(int(m[2], 16)) if m[2] else _NAMED[m[3]], text)


def _fast_rows(f, shared, dates, epoch, on_row):
    """Rows of a sheet part read with regular expressions, or raise Unsupported."""
    from openpyxl.utils.datetime import from_excel, from_ISO8601
    cols = {}
    seen = {}
    rows = []
    n = 0
    buf = b""
    eof = started = finished = False
    first = True
    while not finished:
        data = f.read(_CHUNK)
        if first:
            first = False
            if data.startswith(b"<?xml"):
                decl = data[:data.find(b"?>")]
                if b"encoding" in decl and not re.search(rb'encoding\s*=\s*["\']utf-?8["\']', decl, re.I):
                    raise Unsupported("not UTF-8")
        if not data:
            eof = True
        buf += data
        if eof:
            chunk, buf = buf, b""
        else:
            cut = buf.rfind(b"</row>")
            if cut < 0:
                continue
            chunk, buf = buf[:cut + 6], buf[cut + 6:]
        text = chunk.decode("utf-8")
        if not started:
            i = text.find("<sheetData")
            if i < 0:
                if eof:
                    raise Unsupported("no sheetData")
                buf = chunk + buf
                continue
            started = True
            j = text.index(">", i)
            if text[j - 1] == "/":
                break                             # <sheetData/>: no rows
            text = text[j + 1:]
        i = text.find("</sheetData>")
        if i >= 0:
            text, finished = text[:i], True
        if eof:
            finished = True
        if "<![CDATA[" in text or "<!--" in text or ":row" in text or ":c " in text or ":c>" in text:
            raise Unsupported("CDATA, comments or prefixed elements")
        nrow = ncell = 0
        cells = None
        for row, _, rnum, closed, letters, st, t, inner in _ALL.findall(text):
            if row:
                nrow += 1
                n = int(rnum) if rnum else n + 1
                cells = []
                rows.append((n, cells))
                if on_row is not None and not len(rows) & 4095:
                    on_row(4096)
                continue
            ncell += 1
            if cells is None:
                raise Unsupported("a cell outside a row")
            if letters:
                j = cols.get(letters)
                if j is None:
                    j = cols[letters] = _col_index(letters)
                if j > len(cells):
                    cells.extend([None] * (j - len(cells)))
                elif j < len(cells):
                    raise Unsupported("cells out of order")
            if not inner:
                cells.append(None)
            elif t == "inlineStr":
                if inner.startswith("<is><t>") and inner.endswith("</t></is>") and inner.count("<") == 4:
                    v = inner[7:-9]
                else:
                    if "<rPh" in inner:
                        raise Unsupported("phonetic runs")
                    v = "".join(_T.findall(inner))
                if "&" in v or "\r" in v:
                    d = seen.get(v)           # repeated values (是、否, chains, regions) decoded once
                    if d is None:
                        if len(seen) > 100_000:
                            seen.clear()
                        d = seen[v] = _unescape(v)
                    v = d
                cells.append(v)
            else:
                if inner.startswith("<v>") and inner.endswith("</v>") and inner.count("<") == 2:
                    v = inner[3:-4]
                else:
                    vm = _V.search(inner)
                    v = vm[1] if vm is not None else None
                if v is None:
                    cells.append(None)
                elif t == "s":
                    cells.append(shared[int(v)])
                elif not t or t == "n":
                    v = v.strip()
                    x = float(v) if ("." in v or "E" in v or "e" in v) else int(v)
                    if st and int(st) in dates:
                        x = from_excel(x, epoch)
                    cells.append(x)
                elif t == "str" or t == "e":
                    cells.append(_unescape(v))
                elif t == "b":
                    cells.append(v.strip() in ("1", "true"))
                elif t == "d":
                    cells.append(from_ISO8601(v.strip()))
                else:
                    raise Unsupported(f"cell type {t!r}")
        opened = text.count("<c ") + text.count("<c>") + text.count("<c/>") + text.count("<c\t") + \
            text.count("<c\n") + text.count("<c\r")
        if nrow != text.count("<row") or ncell != opened:
            raise Unsupported("a row or cell the expressions did not match")
    return rows
