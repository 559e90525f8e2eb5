"""Turn rows (lists of dicts) into a table, CSV, JSON, Markdown or XLSX.

Exported cells that a spreadsheet would run as a formula (starting with = + - @, or a tab or
carriage return before one) are neutralised with a leading apostrophe.
"""
from __future__ import annotations

import csv
import io
import json
import re
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
    neutralised. openpyxl lays out the workbook, the styles and each sheet's header and print
    settings; the data rows (all text) are written as sheet XML directly — openpyxl's per-cell
    path took ~3 s for the 20k rows of a large chain's lists, this takes a few tenths.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    bodies = []
    wrap_style = None
    for name, rows in sheets.items():
        cols = (columns or {}).get(name) or (list(rows[0]) if rows else [])
        ws = wb.create_sheet(title=name[:31])
        if wrap_style is None:
            probe = WriteOnlyCell(ws, value="")
            probe.alignment = wrap
            wrap_style = probe.style_id          # the style a wrapped data cell refers to
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
        bodies.append(_sheet_rows_xml(values, [w - 2 for w in widths], wrap_style, get_column_letter))
    wb.save(path)
    _insert_rows(path, bodies)


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(x: str) -> str:
    if _XML_BAD.search(x):
        x = _XML_BAD.sub("", x)             # characters XML 1.0 cannot hold (openpyxl refuses them)
    x = x.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if x[:1].isspace() or x[-1:].isspace():
        return '<t xml:space="preserve">' + x + "</t>"
    return "<t>" + x + "</t>"


def _sheet_rows_xml(values, limits, wrap_style, letter) -> bytes:
    """Rows 2.. of a sheet as <row> elements of inline-string cells (empty cells left out)."""
    letters = [letter(i + 1) for i in range(len(limits))]
    wrapped = f'" s="{wrap_style}" t="inlineStr"><is>'
    out = []
    for n, v in enumerate(values, start=2):
        cells = []
        for i, x in enumerate(v):
            if x == "":
                continue
            lim = limits[i]
            style = wrapped if len(x) * 2 > lim and display_width(x) > lim else '" t="inlineStr"><is>'
            cells.append(f'<c r="{letters[i]}{n}{style}{_xml_text(x)}</is></c>')
        out.append(f'<row r="{n}">{"".join(cells)}</row>')
    return "".join(out).encode("utf-8")


def _insert_rows(path, bodies) -> None:
    """Put each sheet's data rows after its header row in the workbook openpyxl saved."""
    import os
    import zipfile
    tmp = f"{path}.rows-tmp"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            m = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
            if m and bodies[int(m.group(1)) - 1]:
                rows = bodies[int(m.group(1)) - 1]
                if b"</sheetData>" in data:
                    data = data.replace(b"</sheetData>", rows + b"</sheetData>", 1)
                else:
                    data = data.replace(b"<sheetData/>", b"<sheetData>" + rows + b"</sheetData>", 1)
            dst.writestr(info.filename, data)
    os.replace(tmp, path)
