"""Writing the sheet: XLSX with openpyxl, CSV with the csv module (UTF-8 with BOM).

Both take the records of one search — the filtered view a person sees — so
the sheet is exactly that view. The XLSX carries a second sheet (说明) saying
which query and filters made it, and when.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any, BinaryIO

from ..search.records import STATUS_LABELS, Record
from .sheet import (DATE_COLUMNS, HEADERS, STATUS_COLUMN, WIDTHS, WRAPPED, due_soon, neutralise, row, rows)

FILTER_LABELS = {"sector": "涉及领域", "party": "责任单位", "place": "地点", "status": "落实状态",
                 "date_from": "文件日期不早于", "date_to": "文件日期不晚于", "due_before": "完成时限不晚于",
                 "due_after": "完成时限不早于",
                 "kind": "文档类型", "include_rejected": "包括已否决事项", "all_topics": "包括非安全生产事项"}


def _clean(value: Any) -> Any:
    """Neutralised, and without the control characters that XLSX cannot hold."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = neutralise(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def write_csv(out: io.TextIOBase | Any, records: Sequence[Record]) -> int:
    """CSV rows to a text stream (open it with encoding='utf-8-sig', newline='')."""
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    n = 0
    for n, values in enumerate(rows(records), 1):
        writer.writerow(values)
    return n


def csv_bytes(records: Sequence[Record]) -> bytes:
    buf = io.StringIO(newline="")
    write_csv(buf, records)
    return buf.getvalue().encode("utf-8-sig")


def write_xlsx(target: str | BinaryIO, records: Sequence[Record], query: str = "",
               filters: dict[str, Any] | None = None, as_of: dt.date | None = None) -> int:
    """The 督办台账 workbook; returns the number of directives written."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    as_of = as_of or dt.date.today()
    wb = Workbook()
    ws = wb.active
    ws.title = "督办台账"
    thin = Side(style="thin", color="BFBFBF")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    ws.row_dimensions[1].height = 32
    col = {name: i for i, name in enumerate(HEADERS, 1)}
    overdue_fill = PatternFill("solid", fgColor="F8CBAD")
    soon_fill = PatternFill("solid", fgColor="FFF2CC")
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    n = 0
    for n, r in enumerate(records, 1):
        values = [_clean(v) for v in row(n, r)]
        ws.append(values)
        fill = overdue_fill if r.status == "overdue" else (soon_fill if due_soon(r, as_of) else None)
        for name, i in col.items():
            cell = ws.cell(row=n + 1, column=i)
            if isinstance(cell.value, str):
                cell.data_type = "s"        # never a formula, whatever the text
            cell.alignment = wrap if name in WRAPPED else top
            cell.border = border
            if name in DATE_COLUMNS and isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            if fill is not None:
                cell.fill = fill
        if r.source.startswith(("http://", "https://")):
            ws.cell(row=n + 1, column=col["来源文件"]).hyperlink = r.source
    for i, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "C2"
    last = get_column_letter(len(HEADERS))
    ws.auto_filter.ref = f"A1:{last}{max(2, n + 1)}"
    status_letter = get_column_letter(col[STATUS_COLUMN])
    dv = DataValidation(type="list", formula1='"' + ",".join(STATUS_LABELS.values()) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle="落实状态", error="请从列表中选择落实状态",
                        promptTitle="落实状态", prompt="已完成 / 推进中 / 再部署 / 未见反馈 / 已逾期")
    dv.add(f"{status_letter}2:{status_letter}{max(2, n + 1) + 500}")
    ws.add_data_validation(dv)
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    _about_sheet(wb, n, query, filters or {}, as_of)
    wb.save(target)
    return n


def _about_sheet(wb, count: int, query: str, filters: dict[str, Any], as_of: dt.date) -> None:
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet("说明")
    lines: list[tuple[str, Any]] = [
        ("导出时间", dt.datetime.now().strftime("%Y-%m-%d %H:%M")),
        ("状态截至", as_of),
        ("检索词", query or "（无）"),
    ]
    lines += [(FILTER_LABELS.get(k, k), "是" if v is True else v) for k, v in filters.items()]
    lines += [
        ("事项数", count),
        ("落实状态", "已完成 / 推进中 / 再部署（后续文件再次部署，未报告进展）/ 未见反馈（库中后续文件未提及）/ 已逾期"),
        ("颜色", "红色：已逾期；黄色：30 天内到期且未完成"),
        ("说明", "落实状态由程序根据后续文件判断，人工设定的状态优先；销号须由人工决定。"),
    ]
    for key, value in lines:
        ws.append([_clean(key), _clean(value)])
        if isinstance(value, dt.date):
            ws.cell(row=ws.max_row, column=2).number_format = "yyyy-mm-dd"
    for cell in ws["A"]:
        cell.font = Font(bold=True)
    for cell in ws["B"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 90


def export(db, target: str | BinaryIO, fmt: str, query: str = "", filters=None, as_of: dt.date | None = None,
           limit: int = 100_000) -> int:
    """Search with ``query``/``filters`` and write every hit to ``target`` as 'xlsx' or 'csv'."""
    from ..search.engine import Filters, search

    filters = filters or Filters()
    result = search(db, query, filters, limit=limit, as_of=as_of)
    if fmt == "csv":
        if isinstance(target, str):
            with open(target, "w", encoding="utf-8-sig", newline="") as fh:
                return write_csv(fh, result.hits)
        target.write(csv_bytes(result.hits))
        return len(result.hits)
    return write_xlsx(target, result.hits, query=query, filters=filters.as_dict(), as_of=as_of)
