"""Blank list templates: canonical headers, drop-downs for enumerated columns, a 填写说明 sheet."""
from __future__ import annotations

import csv
from pathlib import Path

from ..vocab import vocabulary
from .columns import LIST_KINDS

__all__ = ["write_template", "allowed_values"]

_ROWS = 2000       # rows that get the drop-downs


def allowed_values(col) -> list[str] | None:
    V = vocabulary()
    if col.values == "bool":
        return ["是", "否"]
    if col.values == "ResourceType":
        return ["高校", "科研院所", "人才", "团队"] + V.scheme_values("PlatformKindScheme")
    if col.values == "RegionOrZoneType":
        return V.scheme_values("RegionTypeScheme") + V.scheme_values("ZoneTypeScheme")
    if col.values and col.values in V.schemes:
        return V.scheme_values(col.values)
    return None


def write_template(kind: str, path) -> Path:
    spec = LIST_KINDS[kind]
    cols = [c for c in spec.columns if c.field != "as_of"]
    path = Path(path)
    if path.suffix.lower() == ".csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f).writerow([c.zh for c in cols])
        return path
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = spec.zh[:31]
    ws.append([c.zh for c in cols])
    req = PatternFill("solid", fgColor="FFF2CC")
    for i, c in enumerate(cols, 1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True)
        if c.required:
            cell.fill = req
        ws.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(c.zh) * 2 + 6))
    ws.freeze_panes = "A2"
    lists = wb.create_sheet("取值")
    lists.sheet_state = "hidden"
    li = 0
    for i, c in enumerate(cols, 1):
        values = allowed_values(c)
        if not values:
            continue
        li += 1
        letter = get_column_letter(li)
        lists.cell(row=1, column=li, value=c.zh)
        for j, v in enumerate(values, 2):
            lists.cell(row=j, column=li, value=v)
        dv = DataValidation(type="list", formula1=f"取值!${letter}$2:${letter}${len(values) + 1}",
                            allow_blank=True, showErrorMessage=True, errorStyle="warning",
                            errorTitle=c.zh, error=f"{c.zh} 应为：{'、'.join(values)[:200]}")
        dv.add(f"{get_column_letter(i)}2:{get_column_letter(i)}{_ROWS}")
        ws.add_data_validation(dv)
    doc = wb.create_sheet("填写说明")
    doc.append(["列名", "English", "必填", "多值", "说明", "可选值", "示例"])
    for c in cols:
        values = allowed_values(c)
        doc.append([c.zh, c.field, "是" if c.required else "", "是（用、分隔）" if c.multi else "", c.help,
                    "、".join(values) if values else "", c.example])
    doc.append([])
    doc.append(["示例行（复制到第一张表时删去本行以上内容）"])
    doc.append([c.zh for c in cols])
    doc.append([c.example for c in cols])
    doc.append([])
    doc.append(["说明：一张表（或一个 CSV 文件）一种清单。多值格子用 、 ， , ； ; | 或换行分隔；是否类格子填 是/否"
                "（也接受 Y/N、1/0、✓/✗），不清楚时留空。环节写“环节”或“产业链/环节”。"
                "黄色表头为必填列。载入：kjqg load 本文件.xlsx"])
    for cell in doc[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFG", (14, 16, 6, 12, 60, 50, 24)):
        doc.column_dimensions[letter].width = width
    for row in doc.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    wb.save(path)
    return path


