"""The streaming .xlsx reader gives what openpyxl's read-only mode gives, cell for cell."""
from __future__ import annotations

import datetime as dt

import pytest

from kjqg_graph.loading import readers, xlsx


def _openpyxl_tables(path):
    return readers._read_xlsx_openpyxl(str(path), path.read_bytes(), None)


def _same(a, b):
    assert [(t.sheet, t.headers, t.rows, t.rownums) for t in a] == [(t.sheet, t.headers, t.rows, t.rownums) for t in b]


@pytest.mark.parametrize("write_only", [False, True])
def test_fast_reader_equals_openpyxl(tmp_path, write_only):
    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    wb = Workbook(write_only=write_only)
    sh = wb.create_sheet("企业清单") if write_only else wb.active
    if not write_only:
        sh.title = "企业清单"
    sh.append(["企业名称", "统一社会信用代码", "年份", "链主", "截至日期", "说明"])
    sh.append(["甲 & <乙> \"丙\" 'x'", "914501000000000195", 2025, True, dt.date(2024, 3, 4), "第一行\n第二行"])
    sh.append(["  前后空格  ", None, 2025.0, False, dt.datetime(2024, 3, 4, 12, 30), 1.5])
    sh.append([None, None, None, None, None, None])
    sh.append(["=不是公式的文字" if write_only else "＝全角", "", 7, "是", None, "\u00a0不换行"])
    if not write_only:
        sh.append(["富文本", None, None, None, None, CellRichText(["红", TextBlock(InlineFont(b=True), "粗")])])
        sh["H9"] = "远处的单元格"
        sh["A10"] = "=1+1"
    other = wb.create_sheet("说明")
    other.append(["随便写的说明"])
    path = tmp_path / "w.xlsx"
    wb.save(path)
    fast = readers.read_tables(path)
    _same(fast, _openpyxl_tables(path))
    rows = fast[0].rows
    assert rows[0][:4] == ["甲 & <乙> \"丙\" 'x'", "914501000000000195", "2025", "是"]
    assert rows[0][4:] == ["2024-03-04", "第一行\n第二行"]


def test_unusual_parts_fall_back_to_openpyxl(tmp_path):
    """A sheet with a namespace prefix is read element by element (lxml), still equal to openpyxl."""
    import zipfile
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.append(["名称", "类型"])
    wb.active.append(["柳州市", "设区市"])
    src = tmp_path / "a.xlsx"
    wb.save(src)
    dst = tmp_path / "b.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text = text.replace('<worksheet xmlns="', '<x:worksheet xmlns:x="').replace("</worksheet>", "</x:worksheet>")
                for tag in ("sheetPr", "outlinePr", "pageSetUpPr", "dimension", "sheetViews", "sheetView", "selection",
                            "sheetFormatPr", "sheetData", "row", "c", "v", "is", "t", "pageMargins"):
                    text = text.replace(f"<{tag}>", f"<x:{tag}>").replace(f"<{tag} ", f"<x:{tag} ")
                    text = text.replace(f"</{tag}>", f"</x:{tag}>")
                data = text.encode()
            zout.writestr(item, data)
    with zipfile.ZipFile(dst) as z, pytest.raises(xlsx.Unsupported):
        from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900
        xlsx._fast_rows(z.open("xl/worksheets/sheet1.xml"), [], frozenset(), CALENDAR_WINDOWS_1900, None)
    t = readers.read_tables(dst)
    assert t[0].headers == ["名称", "类型"] and t[0].rows == [["柳州市", "设区市"]]
    _same(t, _openpyxl_tables(dst))


def test_fast_path_is_the_one_used(tmp_path, monkeypatch):
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.append(["名称", "日期", "数"])
    wb.active.append(["甲", dt.date(2024, 1, 2), 3])
    path = tmp_path / "a.xlsx"
    wb.save(path)

    def boom(*a, **k):
        raise AssertionError("fell back to the element-by-element reader")
    monkeypatch.setattr(xlsx, "_rich_text", boom)        # used only by the lxml path for cells
    monkeypatch.setattr(readers, "_read_xlsx_openpyxl", boom)
    t = readers.read_tables(path)
    assert t[0].rows == [["甲", "2024-01-02", "3"]]


def _excel_like(path):
    """A workbook written the way Excel writes one: shared strings (one rich, one with a phonetic
    run), a date style, a formula with its cached value, a boolean, sparse cells, UTF-8 text."""
    import zipfile
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.'
        'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
        'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override '
        'PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'styles+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
        'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} {rel}><sheets><sheet name="企业" '
        'sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
        'org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        'Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {ns}><numFmts count="1"><numFmt '
        'numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><fonts count="1">'
        '<font/></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellXfs count="3">'
        '<xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="176" applyNumberFormat="1"/>'
        '</cellXfs></styleSheet>',
        "xl/sharedStrings.xml": f'<?xml version="1.0" encoding="UTF-8"?><sst {ns} count="6" uniqueCount="6">'
        '<si><t>企业名称</t></si><si><t>成立日期</t></si><si><t>链主</t></si>'
        '<si><r><rPr><b/></rPr><t>广西</t></r><r><t xml:space="preserve"> 测试 &amp; 公司</t></r></si>'
        '<si><t>柳州</t><rPh sb="0" eb="2"><t>リュウシュウ</t></rPh></si><si><t>年份</t></si></sst>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet {ns} '
        f'{rel} xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"><dimension ref="A1:F4"/>'
        '<sheetData><row r="1" spans="1:4" x14ac:dyDescent="0.25"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s">'
        '<v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>5</v></c></row>'
        '<row r="2"><c r="A2" s="0" t="s"><v>3</v></c><c r="B2" s="1"><v>45292</v></c><c r="C2" t="b"><v>1</v></c>'
        '<c r="D2"><f>2000+24</f><v>2024</v></c></row>'
        '<row r="4"><c r="A4" t="s"><v>4</v></c><c r="B4" s="2"><v>45293.5</v></c><c r="D4" t="str"><f>A4</f>'
        '<v>a&lt;b</v></c><c r="F4" t="e"><v>#N/A</v></c></row></sheetData></worksheet>',
    }
    with zipfile.ZipFile(path, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text.encode("utf-8"))
    return path


def test_excel_written_workbook(tmp_path, monkeypatch):
    path = _excel_like(tmp_path / "excel.xlsx")
    want = _openpyxl_tables(path)
    assert want[0].rows == [["广西 测试 & 公司", "2024-01-01", "是", "2024"],
                            ["柳州", "2024-01-02 12:00:00", "", "a<b", "", "#N/A"]]
    assert want[0].rownums == [2, 4]
    monkeypatch.setattr(readers, "_read_xlsx_openpyxl", None)      # the fast reader must read it alone
    _same(readers.read_tables(path), want)


def test_broken_sheet_is_refused_quickly(tmp_path):
    """Unclosed cells or a tag with many attributes must not make the expressions backtrack for minutes."""
    import time
    import zipfile
    path = _excel_like(tmp_path / "ok.xlsx")
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<row r="4">', b'<row r="4">' + b'<c r="A3"><v>1</v>' * 30000 +
                                    b'<c ' + b'r="A1" ' * 60 + b'q>')
            zout.writestr(item, data)
    t = time.perf_counter()
    with pytest.raises(readers.FileProblem) as e:
        readers.read_tables(bad)
    assert time.perf_counter() - t < 30
    assert str(e.value).startswith(f"{bad}: is not a readable Excel workbook (ParseError: not well-formed")
    assert str(e.value).endswith("open it in Excel and save it again as .xlsx")
