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


class _Widths(dict):
    """char -> display columns (2 for East Asian wide/fullwidth), filled on first sight."""

    def __missing__(self, c):
        w = self[c] = 2 if unicodedata.east_asian_width(c) in "WF" else 1
        return w


_WIDTH = _Widths()


def display_width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(map(_WIDTH.__getitem__, text))


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
    """Write one sheet per entry of ``sheets`` (name -> rows), formatted for printing.

    Headers bold, frozen, filterable and repeated on every printed page; landscape, fitted to
    the page width; columns sized to their content (up to 60), long cells wrapped. Cells are
    neutralised. Streams rows (openpyxl write-only mode), so tens of thousands of rows take
    about a second.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    for name, rows in sheets.items():
        cols = (columns or {}).get(name) or (list(rows[0]) if rows else [])
        ws = wb.create_sheet(title=name[:31])
        values = [[neutralise(_cell(r.get(c))) for c in cols] for r in rows]
        widths = []
        for i, c in enumerate(cols):
            w = max([display_width(str(c))] + [display_width(v[i]) for v in values[:500]])
            widths.append(min(60, w + 2))
            ws.column_dimensions[get_column_letter(i + 1)].width = widths[-1]
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = 9                      # A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.gridLines = True
        ws.oddFooter.center.text = "&A — &P / &N"
        if cols:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{len(values) + 1}"
        header = []
        for c in cols:
            cell = WriteOnlyCell(ws, value=neutralise(str(c)))
            cell.font, cell.fill, cell.alignment = bold, fill, wrap
            header.append(cell)
        ws.append(header)
        limits = [w - 2 for w in widths]
        for v in values:
            row = []
            for i, x in enumerate(v):
                if x == "":
                    row.append(None)
                elif len(x) * 2 > limits[i] and display_width(x) > limits[i]:
                    cell = WriteOnlyCell(ws, value=x)
                    cell.alignment = wrap
                    row.append(cell)
                else:
                    row.append(x)
            ws.append(row)
    wb.save(path)
