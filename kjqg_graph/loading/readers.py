"""Reading list files into tables of text cells: .csv/.tsv/.txt, .xlsx, .json, .jsonl.

A reader yields :class:`Table` objects (one per CSV/JSON file, one per xlsx sheet). Every
cell is text (``""`` for blank); numbers, dates and booleans from xlsx/JSON are written the
way a person would type them. Anything that makes a file unreadable raises
:class:`FileProblem` with one :class:`Problem` saying what, where and the fix.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem
from .values import MAX_CELL

__all__ = ["Table", "FileProblem", "read_tables", "TEXT_SUFFIXES", "SUFFIXES"]

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
SUFFIXES = TEXT_SUFFIXES + (".xlsx", ".xlsm", ".json", ".jsonl")


class FileProblem(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class Table:
    file: str                  # the path as the user gave it
    sheet: str | None
    headers: list
    rows: list                 # list of lists of str, same length as headers or longer
    rownums: list              # spreadsheet row number of each row (header = 1)
    encoding: str | None = None
    json_kind: str | None = None   # kind named by a JSON object's key
    extra: list = field(default_factory=list)   # (rownum, ncells) of rows longer than the header
    notes: list = field(default_factory=list)   # (rownum, text) of note rows left out below the list
    tidy: bool = False         # known that no cell needs ``values.clean`` (stripping, white space)

    @property
    def label(self) -> str:
        name = Path(self.file).name
        return f"{name}!{self.sheet}" if self.sheet else name


def _fail(path, reason, row=None, column=None, sheet=None):
    raise FileProblem(Problem(str(path), sheet, row, column, reason))


def read_tables(path, *, sheet=None, encoding=None) -> list[Table]:
    p = Path(path)
    if p.is_dir():
        _fail(path, "is a folder, not a list file; give the files inside it (for example "
                    f"{Path(path) / '*.csv'})")
    if not p.exists():
        _fail(path, "no such file; check the path")
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        _fail(path, f"unknown file type {p.suffix or '(none)'!r}; "
                    "give a .xlsx, .csv, .tsv, .json or .jsonl file")
    data = p.read_bytes()
    if not data or data.isspace():       # (no copy of the file, unlike strip)
        _fail(path, "is empty; a list needs a header row and at least one data row")
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, data, sheet)
    text, enc = _decode(path, data, encoding)
    if suffix == ".jsonl":
        return [_records_table(path, _jsonl(path, text), enc)]
    if suffix == ".json":
        return _read_json(path, text, enc)
    return [_read_csv(path, text, enc, "\t" if suffix == ".tsv" else None)]


# ---------------------------------------------------------------------- text
def _decode(path, data: bytes, encoding):
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            _fail(path, f"unknown encoding {encoding!r} given with --encoding; try utf-8 or gb18030")
        except UnicodeDecodeError as e:
            _fail(path, f"cannot be read as {encoding}: byte 0x{data[e.start]:02x} at offset {e.start} does not fit; "
                        "leave out --encoding to detect it, or name the right one")
    head = data[:65536]
    if b"\x00" in head:
        at = head.index(b"\x00")
        _fail(path, f"is not a text file (a zero byte at offset {at}); save the list as CSV (UTF-8) or .xlsx")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as e:
            _fail(path, f"starts with a UTF-8 mark but byte 0x{data[e.start + 3]:02x} at offset {e.start + 3} "
                        "is not UTF-8; save it again as CSV UTF-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            _fail(path, "starts with a UTF-16 mark but is not UTF-16 text; save it as CSV UTF-8")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        first_bad = e.start
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        _fail(path, f"is neither UTF-8 nor GB18030/GBK text (byte 0x{data[first_bad]:02x} at offset {first_bad}); "
                    "if it is text in another encoding pass --encoding, else save the list as CSV UTF-8 or .xlsx")
    bad = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\r\n\t")
    if bad > 8:
        _fail(path, "does not look like a text list (control characters); save the list as CSV UTF-8 or .xlsx")
    return text, "gb18030"


def _read_csv(path, text, enc, delimiter) -> Table:
    if delimiter is None:
        end = text.find("\n")
        first = text if end < 0 else text[:end]     # (not split: that copies the rest of the text)
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
    old = csv.field_size_limit()
    csv.field_size_limit(MAX_CELL)
    reader = csv.reader(_lines(text), delimiter=delimiter, strict=True)
    rows, nums = [], []
    n = 1
    header_done = False
    try:
        try:
            headers = next(reader)
        except StopIteration:
            _fail(path, "is empty; a list needs a header row and at least one data row")
        header_done = True
        headers = [h.strip() for h in headers]
        while headers and not headers[-1]:
            headers.pop()
        width = len(headers)
        body = None
        try:
            body = list(reader)         # the whole file at once; on an error, again row by row to say where
        except csv.Error:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
            next(reader)                # the header
        if body is not None and set(map(len, body)) == {width}:
            rows, nums = body, list(range(2, len(body) + 2))
        else:
            for row in (body if body is not None else reader):
                n += 1
                if len(row) != width:
                    if not any(row):
                        continue
                    if len(row) < width:
                        row = row + [""] * (width - len(row))
                rows.append(row)
                nums.append(n)
    except csv.Error as e:
        msg = str(e)
        row = n + 1 if header_done else 1
        if "field larger than field limit" in msg:
            _fail(path, f"a cell is longer than {MAX_CELL} characters; a list cell holds a name or a short value — "
                        "check this row (a missing closing quote can also cause this)", row=row)
        if "unexpected end of data" in msg or "EOF" in msg:
            _fail(path, "a quoted value starting on this row is never closed; add the closing \" or remove the "
                        "opening one", row=row)
        _fail(path, f"is not valid CSV here ({msg}); a \" inside a value must be doubled (\"\") "
                    "or the value quoted", row=row)
    finally:
        csv.field_size_limit(old)
    headers, rows, nums = _below_title(headers, rows, nums)
    rows, nums, notes = _above_notes(rows, nums)
    return Table(str(path), None, headers, rows, nums, enc, notes=notes, tidy=_tidy(text, delimiter))


def _lines(text):
    """The lines of ``text`` with their endings, split where ``io.StringIO(text, newline="")`` splits
    them (line feed, carriage return, both): ``splitlines`` does the same without copying the text into
    a buffer when none of the other characters it splits at is there."""
    if any(ch in text for ch in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
        return io.StringIO(text, newline="")
    return text.splitlines(True)


def _tidy(text, delimiter) -> bool:
    """Whether no cell of this CSV text can need cleaning, seen from the text itself (single-character
    scans of one string instead of joining every column): no quote (so no cell holds a line break), no
    space, no full-width or no-break space, no tab unless it separates the cells. (A text with spaces
    leaves the cleaning check to each column.)"""
    return not (" " in text or '"' in text or "\u3000" in text or "\xa0" in text
                or (delimiter != "\t" and "\t" in text))


TITLE_LOOKAHEAD = 10


def _above_notes(rows, nums):
    """Leave out note rows under the list: after a blank row, rows whose only filled cell is the
    first one and reads like "填表人：张三" or "注：…" (a label and a colon)."""
    k = len(rows)
    while k > 0 and _filled(rows[k - 1]) == 1 and rows[k - 1][0].strip() and \
            re.match(r"^\s*[^\s：:]{1,8}[：:]", rows[k - 1][0]):
        k -= 1
    if k == len(rows) or k == 0 or nums[k] - nums[k - 1] < 2:
        return rows, nums, []
    return rows[:k], nums[:k], [(n, r[0].strip()) for r, n in zip(rows[k:], nums[k:])]


def _filled(cells) -> int:
    return sum(1 for c in cells if c and c.strip())


def _below_title(headers, rows, nums):
    """Skip title rows above the header: lists often open with one line such as
    "柳州市新能源汽车产业链环节表（2024年）" (one filled cell) before the real header row. When the
    header has a single filled cell and one of the next rows has two or more, that row is the header."""
    if _filled(headers) != 1:
        return headers, rows, nums
    from .columns import _INDEX, header_key
    lone = header_key(next(h for h in headers if h and h.strip()))
    if any(lone in table for table in _INDEX.values()):
        return headers, rows, nums          # a one-column list (技术名称), not a title
    for k, row in enumerate(rows[:TITLE_LOOKAHEAD]):
        if _filled(row) >= 2:
            head = [h.strip() for h in row]
            while head and not head[-1]:
                head.pop()
            width = len(head)
            rest = [r + [""] * (width - len(r)) if len(r) < width else r for r in rows[k + 1:]]
            return head, rest, nums[k + 1:]
    return headers, rows, nums


# ---------------------------------------------------------------------- JSON
def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (list, tuple)):
        return "、".join(_cell(x) for x in v)
    if isinstance(v, (_dt.datetime, _dt.date)):
        return v.date().isoformat() if isinstance(v, _dt.datetime) else v.isoformat()
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def _records_table(path, records, enc, kind=None, where=None) -> Table:
    headers, seen = [], set()
    for i, r in enumerate(records):
        if not isinstance(r, dict):
            _fail(path, f"item {i + 1}{where or ''} is not an object; a JSON list holds one object per row "
                        "with the column names as keys")
        for k in r:
            if k not in seen:
                seen.add(k)
                headers.append(str(k))
    rows, nums = [], []
    for i, r in enumerate(records):
        row = []
        for h in headers:
            c = _cell(r.get(h))
            if len(c) > MAX_CELL:
                _fail(path, f"a value is longer than {MAX_CELL} characters", row=i + 2, column=h)
            row.append(c)
        rows.append(row)
        nums.append(i + 2)
    return Table(str(path), None, headers, rows, nums, enc, json_kind=kind)


def _jsonl(path, text):
    out = []
    for i, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except ValueError as e:
                _fail(path, f"line {i} is not JSON ({e.msg}); a .jsonl file holds one JSON object per line")
    return out


def _read_json(path, text, enc) -> list[Table]:
    try:
        data = json.loads(text)
    except ValueError as e:
        _fail(path, f"is not valid JSON ({e.msg} at line {e.lineno} column {e.colno})")
    if isinstance(data, list):
        return [_records_table(path, data, enc)]
    if isinstance(data, dict):
        if isinstance(data.get("rows"), list):
            return [_records_table(path, data["rows"], enc, kind=data.get("kind"))]
        tables = [_records_table(path, v, enc, kind=str(k), where=f" of {k!r}")
                  for k, v in data.items() if isinstance(v, list)]
        if tables:
            for t in tables:
                t.sheet = t.json_kind
            return tables
    _fail(path, "holds no rows; give a list of objects, {\"rows\": [...]}, or {\"enterprises\": [...], ...}")


# ---------------------------------------------------------------------- xlsx
def _read_xlsx(path, data: bytes, sheet) -> list[Table]:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        _fail(path, "is an old Excel 97-2003 workbook (.xls) or a protected file; open it in Excel and "
                    "save it as .xlsx")
    if not data.startswith(b"PK"):
        _fail(path, "is not an Excel workbook (.xlsx is a zip file; this one is not); if it is CSV text, "
                    "rename it to .csv")
    from .xlsx import Unsupported, read_workbook
    try:
        from lxml.etree import XMLSyntaxError
    except ImportError:                      # pragma: no cover - lxml is a dependency
        XMLSyntaxError = Unsupported
    try:
        sheets = read_workbook(io.BytesIO(data), None if sheet is None else {sheet})
    except (Unsupported, XMLSyntaxError, ValueError, IndexError, KeyError, OverflowError):
        sheets = None                        # something unusual: let openpyxl read it (slower)
    if sheets is not None and (sheet is None or sheets):
        return [_sheet_table(path, rows, n) for n, rows in sheets]
    return _read_xlsx_openpyxl(path, data, sheet)


def _read_xlsx_openpyxl(path, data: bytes, sheet) -> list[Table]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as e:
        _fail(path, f"is not a readable Excel workbook ({e}); open it in Excel and save it again as .xlsx")
    try:
        names = wb.sheetnames
        if sheet is not None:
            if sheet not in names:
                _fail(path, f"has no sheet {sheet!r}; its sheets are {'、'.join(names)}")
            names = [sheet]
        try:
            return [_sheet_table(path, enumerate(wb[n].iter_rows(values_only=True), 1), n) for n in names]
        except FileProblem:
            raise
        except Exception as e:             # a damaged sheet part: say so, never a traceback
            _fail(path, f"is not a readable Excel workbook ({type(e).__name__}: {e}); open it in Excel and "
                        "save it again as .xlsx")
    finally:
        wb.close()


def _xcell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, _dt.datetime):
        return v.date().isoformat() if v.time() == _dt.time(0) else v.isoformat(sep=" ")
    if isinstance(v, _dt.date):
        return v.isoformat()
    return str(v)


def _sheet_table(path, rows, name) -> Table:
    """The table of one sheet from ``(row number, values)`` pairs."""
    it = iter(rows)
    headers = None
    for n, row in it:
        if any(v is not None and str(v).strip() for v in row):
            headers = [_xcell(v).strip() for v in row]
            break
    if headers is None:
        return Table(str(path), name, [], [], [])
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    out, nums = [], []
    for n, row in it:
        cells = [v if v.__class__ is str else _xcell(v) for v in row]
        while len(cells) > width and not cells[-1]:
            cells.pop()
        if not any(cells):
            continue
        if max(map(len, cells)) > MAX_CELL:
            _fail(path, f"a cell is longer than {MAX_CELL} characters", row=n, sheet=name)
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        out.append(cells)
        nums.append(n)
    headers, out, nums = _below_title(headers, out, nums)
    out, nums, notes = _above_notes(out, nums)
    return Table(str(path), name, headers, out, nums, notes=notes)
