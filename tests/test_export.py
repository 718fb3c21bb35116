"""The follow-up sheet, read back with openpyxl and csv: headers, formats, injection, corrections."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.export.sheet import HEADERS, neutralise
from pipeline.export.writers import export
from pipeline.search.engine import Filters
from pipeline.corrections import log as corrections

from .test_search import AS_OF, build_store

runner = CliRunner()


@pytest.fixture
def store(db_path):
    return build_store(db_path)


def _sheet(store, tmp_path, query="", filters=None):
    path = tmp_path / "sheet.xlsx"
    n = export(store, str(path), "xlsx", query, filters, as_of=AS_OF)
    wb = load_workbook(path)
    return wb, wb["督办台账"], n


def _column(ws, header: str) -> int:
    return [c.value for c in ws[1]].index(header) + 1


def test_headers_and_formats(store, tmp_path):
    wb, ws, n = _sheet(store, tmp_path)
    assert n == 7 and ws.max_row == 8
    assert [c.value for c in ws[1]] == HEADERS
    assert HEADERS[:14] == ["序号", "任务内容", "责任单位", "涉及领域", "完成时限", "时限类型", "来源文件", "会议/讲话",
                            "讲话人", "日期", "落实状态", "落实依据（后续报告摘录）", "依据来源", "备注"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == "A1:O8"
    assert ws.column_dimensions["B"].width >= 50
    task = _column(ws, "任务内容")
    assert ws.cell(row=2, column=task).alignment.wrap_text
    # dates are real dates with a date format
    date_col, due_col = _column(ws, "日期"), _column(ws, "完成时限")
    dates = [ws.cell(row=r, column=date_col).value for r in range(2, 9)]
    assert all(isinstance(d, dt.datetime) for d in dates)
    assert ws.cell(row=2, column=date_col).number_format == "yyyy-mm-dd"
    dues = [ws.cell(row=r, column=due_col).value for r in range(2, 9)]
    assert dt.datetime(2024, 6, 30) in dues and "立即" in dues
    # the status drop-down covers the status column
    status_letter = ws.cell(row=1, column=_column(ws, "落实状态")).column_letter
    validations = ws.data_validations.dataValidation
    assert len(validations) == 1 and validations[0].type == "list"
    assert "已完成" in validations[0].formula1 and "未见反馈" in validations[0].formula1
    assert "未落实" not in validations[0].formula1
    assert f"{status_letter}2" in str(validations[0].sqref)
    assert "说明" in wb.sheetnames


def test_overdue_rows_are_highlighted(store, tmp_path):
    _, ws, _ = _sheet(store, tmp_path)
    status_col = _column(ws, "落实状态")
    for r in range(2, ws.max_row + 1):
        status = ws.cell(row=r, column=status_col).value
        fill = ws.cell(row=r, column=2).fill.fgColor.rgb
        if status == "已逾期":
            assert fill.endswith("F8CBAD")
        else:
            assert not str(fill).endswith("F8CBAD")
    assert sum(ws.cell(row=r, column=status_col).value == "已逾期" for r in range(2, ws.max_row + 1)) == 2


def test_formula_injection_is_neutralised_in_xlsx(store, tmp_path):
    _, ws, _ = _sheet(store, tmp_path, "HYPERLINK")
    assert ws.max_row == 2
    task = ws.cell(row=2, column=_column(ws, "任务内容"))
    party = ws.cell(row=2, column=_column(ws, "责任单位"))
    assert task.value.startswith("'=HYPERLINK(") and task.data_type == "s"
    assert party.value == "'@SUM(1+1)" and party.data_type == "s"
    assert ws.cell(row=2, column=_column(ws, "完成时限")).value == "'-"
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str):
                assert not cell.value.startswith(("=", "+", "-", "@", "\t"))


def test_csv_has_a_bom_and_no_formulas(store, tmp_path):
    path = tmp_path / "sheet.csv"
    n = export(store, str(path), "csv", "", Filters(sector="城镇燃气"), as_of=AS_OF)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == HEADERS and len(rows) == n + 1 == 4
    for row in rows[1:]:
        for value in row:
            assert not value.startswith(("=", "+", "-", "@", "\t"))
    assert any(v.startswith("'=HYPERLINK") for row in rows for v in row)
    assert neutralise("\tcmd") == "'\tcmd" and neutralise("+1") == "'+1" and neutralise(3) == 3


def test_corrections_go_into_the_sheet(store, tmp_path):
    did = store.execute("SELECT id FROM directives WHERE text LIKE '各燃气经营企业%'").fetchone()[0]
    corrections.record(store, did, "parties", ["区住建局", "各燃气经营企业"], "李四", "原文含会同单位")
    corrections.record(store, did, "deadline", {"text": "年底前", "kind": "date", "date": "2024-12-31"}, "李四")
    corrections.record(store, did, "status", "done", "李四", "据区住建局12月报告，台账已建立")
    rejected = store.execute("SELECT id FROM directives WHERE text LIKE '要加强宣传%'").fetchone()[0]
    corrections.record(store, rejected, "verdict", "rejected", "李四", "只是号召")
    _, ws, n = _sheet(store, tmp_path, "燃气")
    assert n == 3                                                     # the rejected one is left out
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if str(r[1]).startswith("各燃气经营企业"))
    values = dict(zip(HEADERS, row))
    assert values["责任单位"] == "区住建局、各燃气经营企业"
    assert values["完成时限"] == dt.datetime(2024, 12, 31)
    assert values["落实状态"] == "已完成"
    assert "据区住建局12月报告" in values["落实依据（后续报告摘录）"]
    assert "人工更正：责任单位、完成时限" in values["备注"] and "李四" in values["备注"]


def test_cli_export_uses_the_search_filters(store, db_path, tmp_path):
    out = tmp_path / "out" / "台账.xlsx"
    result = runner.invoke(app, ["export", "--out", str(out), "--place", "临汾", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    ws = load_workbook(out)["督办台账"]
    assert ws.max_row == 4
    speaker = [c.value for c in ws[2]][HEADERS.index("讲话人")]
    assert speaker == "闫晨曦（市委书记）"
    result = runner.invoke(app, ["export", "燃气", "--out", str(tmp_path / "x.csv"), "--db", str(db_path)])
    assert result.exit_code == 0 and "已导出 4 条" in result.output
    result = runner.invoke(app, ["export", "--out", str(tmp_path / "x.txt"), "--db", str(db_path)])
    assert result.exit_code == 2
    result = runner.invoke(app, ["export", '"燃气', "--out", str(tmp_path / "y.csv"), "--db", str(db_path)])
    assert result.exit_code == 2 and "检索式有误" in result.output
