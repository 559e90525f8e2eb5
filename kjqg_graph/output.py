"""Turn rows (lists of dicts) into a table, CSV, JSON, Markdown or XLSX.

Exported cells that a spreadsheet would run as a formula (starting with = + - @, or a tab or
carriage return before one) are neutralised with a leading apostrophe.
"""
from __future__ import annotations

import csv
import io
import json
import unicodedata

__all__ = ["FORMATS", "neutralise", "render", "write_xlsx", "display_width"]

FORMATS = ("table", "csv", "json", "md", "xlsx")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make a cell safe for a spreadsheet: text that starts like a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _cell(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, (list, tuple, set)):
        return "、".join(_cell(x) for x in v)
    return str(v)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text, width):
    return text + " " * (width - display_width(text))


def render(rows: list[dict], fmt: str = "table", columns: list[str] | None = None) -> str:
    """Rows as text in ``fmt`` (table, csv, json, md). XLSX is binary: see ``write_xlsx``."""
    if columns is None:
        columns = list(rows[0]) if rows else []
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1, default=str) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([neutralise(_cell(r.get(c))) for c in columns])
        return buf.getvalue()
    cells = [[_cell(r.get(c)).replace("\n", " ") for c in columns] for r in rows]
    if fmt == "md":
        esc = lambda s: s.replace("|", "\\|")
        lines = ["| " + " | ".join(esc(c) for c in columns) + " |",
                 "|" + "|".join("---" for _ in columns) + "|"]
        lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in cells]
        return "\n".join(lines) + "\n"
    if fmt == "table":
        widths = [display_width(c) for c in columns]
        for row in cells:
            widths = [max(w, display_width(c)) for w, c in zip(widths, row)]
        lines = ["  ".join(_pad(c, w) for c, w in zip(columns, widths)).rstrip(),
                 "  ".join("-" * w for w in widths)]
        lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths)).rstrip() for row in cells]
        return "\n".join(lines) + "\n"
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def write_xlsx(path, sheets: dict[str, list[dict]], columns: dict[str, list[str]] | None = None) -> None:
    """Write one sheet per entry of ``sheets`` (name -> rows), headers bold and frozen, cells neutralised."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=False)
    wb.remove(wb.active)
    for name, rows in sheets.items():
        cols = (columns or {}).get(name) or (list(rows[0]) if rows else [])
        ws = wb.create_sheet(title=name[:31])
        ws.append(cols)
        for c in ws[1]:
            c.font = Font(bold=True)
        for r in rows:
            ws.append([neutralise(_cell(r.get(c))) for c in cols])
        for i, c in enumerate(cols, 1):
            width = max([display_width(str(c))] + [display_width(_cell(r.get(c))) for r in rows[:500]])
            ws.column_dimensions[get_column_letter(i)].width = min(60, width + 2)
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToHeight = 0
        for row in ws.iter_rows(min_row=2):
            for c in row:
                c.alignment = Alignment(wrap_text=True, vertical="top")
    wb.save(path)
