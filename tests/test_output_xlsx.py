"""output.write_xlsx: what a planner opens in Excel — every cell as given, safe, printable."""
import zipfile

from openpyxl import load_workbook

from kjqg_graph.output import write_xlsx


def test_cells_round_trip_escaped_neutralised_and_wrapped(tmp_path):
    out = tmp_path / "x.xlsx"
    rows = [
        {"名称": "虚构<科技>&有限公司", "说明": "很长的说明" * 20, "备注": "=SUM(A1:A9)", "空": None},
        {"名称": "  前后有空格  ", "说明": "控\x01制\x1f字符", "备注": "@cmd", "空": ""},
        {"名称": "+86", "说明": ["甲", "乙"], "备注": True, "空": 3},
    ]
    write_xlsx(out, {"企业清单": rows, "空表": []}, {"企业清单": ["名称", "说明", "备注", "空"]})
    assert zipfile.ZipFile(out).testzip() is None
    wb = load_workbook(out)
    assert wb.sheetnames == ["企业清单", "空表"]
    ws = wb["企业清单"]
    assert [[c.value for c in r] for r in ws.iter_rows()] == [
        ["名称", "说明", "备注", "空"],
        ["虚构<科技>&有限公司", "很长的说明" * 20, "'=SUM(A1:A9)", None],
        ["  前后有空格  ", "控制字符", "'@cmd", None],
        ["'+86", "甲、乙", "是", "3"],
    ]
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb.endswith("DDEBF7")
    assert ws["B2"].alignment.wrap_text is True          # longer than the column: wrapped
    assert not ws["A4"].alignment.wrap_text
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:D4"
    assert ws.print_title_rows == "$1:$1" and ws.page_setup.orientation == "landscape"
    assert ws.column_dimensions["B"].width == 60
    assert [[c.value for c in r] for r in wb["空表"].iter_rows()] == []
