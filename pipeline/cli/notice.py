"""``duban notice`` (督办通知单 per responsible unit, DOCX) and ``duban digest`` (督办周报).

Thin wrappers: ``pipeline.notice`` and ``pipeline.digest`` do the work and
know nothing of the command line. File names and document text are printed
without rich markup, since a unit or a path may hold square brackets.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

FORMATS = ("md", "html", "docx")


def register(app: typer.Typer) -> None:
    from .common import DbOption, as_of_date, err, open_existing, out

    AsOf = typer.Option(None, "--as-of", help="按此日期判断落实状态和是否逾期（YYYY-MM-DD，默认今天）")
    Settings = typer.Option(None, "--settings", help="通知单设置文件（默认 models/notice.toml：发文机关、字号、字体等）")

    def say(text: str) -> None:
        out.print(text, highlight=False, markup=False, soft_wrap=True)

    def fail(text: str) -> None:
        err.print("[red]错误[/red]：", end="", highlight=False)
        err.print(text, highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(2)

    @app.command()
    def notice(
        unit: Optional[str] = typer.Option(None, "--unit", help="责任单位（规范化的单位类别，如 应急管理部门、住建部门）"),
        all_units: bool = typer.Option(False, "--all-units", help="为每个有待督办事项的责任单位各生成一份"),
        out_path: Path = typer.Option(..., "--out", help="输出：--unit 时为 .docx 文件，--all-units 时为文件夹"),
        as_of: Optional[str] = AsOf,
        settings: Optional[Path] = Settings,
        number: int = typer.Option(1, "--number", min=1, help="发文字号的序号（--all-units 时为第一份的序号，依次递增）"),
        db: Optional[str] = DbOption,
    ) -> None:
        """生成督办通知单（Word）：责任单位已逾期或未见反馈的安全生产督办事项，按公文格式排版。"""
        from ..notice import NO_UNIT, load_settings, open_items, resolve_unit, write_all_notices, write_notice

        if bool(unit) == all_units:
            fail("请用 --unit 指定一个责任单位，或用 --all-units 为所有单位生成（二者选一）")
        date = as_of_date(as_of)
        if unit and out_path.suffix.lower() != ".docx":
            fail("--out 的文件名应以 .docx 结尾")
        if all_units and out_path.exists() and not out_path.is_dir():
            fail(f"--all-units 时 --out 应为文件夹：{out_path}")
        try:
            chosen = load_settings(settings)
            unit = resolve_unit(unit) if unit else None
        except ValueError as exc:
            fail(str(exc))
        database = open_existing(db)
        if unit:
            result = write_notice(database, unit, out_path, chosen, as_of=date, number=number)
            if not result.written:
                say(f"“{result.unit}”没有已逾期或未见反馈的安全生产督办事项（截至 {date.isoformat()}），未生成通知单。")
                return
            say(f"已生成督办通知单 {result.doc_number}：{result.path}（{result.unit}，{result.count} 项：已逾期 "
                f"{result.overdue}，未见反馈 {result.no_evidence}）")
            return
        grouped = open_items(database, date)
        results = write_all_notices(database, out_path, chosen, as_of=date, first_number=number, grouped=grouped)
        for r in results:
            say(f"{r.doc_number}  {r.unit}：{r.count} 项（已逾期 {r.overdue}，未见反馈 {r.no_evidence}）→ {r.path}")
        if not results:
            say(f"截至 {date.isoformat()}，没有已逾期或未见反馈的安全生产督办事项，未生成通知单。")
        else:
            say(f"共生成 {len(results)} 份督办通知单：{out_path}")
        unassigned = len(grouped.get(NO_UNIT, []))
        if unassigned:
            err.print(f"[yellow]提示[/yellow]：另有 {unassigned} 项待督办事项没有明确责任单位，未发通知单；"
                      "可在网页上更正其责任单位后再生成。", highlight=False)

    @app.command()
    def digest(
        since: str = typer.Option("7d", "--since", help="统计起点：7d（天）、24h（小时）、2w（周），或日期 YYYY-MM-DD"),
        format: str = typer.Option("md", "--format", help="md、html 或 docx"),
        out_file: Optional[Path] = typer.Option(None, "--out", help="输出文件（md、html 可省略，打印到屏幕；docx 必须指定）"),
        as_of: Optional[str] = AsOf,
        base_url: str = typer.Option("http://127.0.0.1:8000", "--base-url", help="网页地址（事项链接指向 /directive/编号）"),
        settings: Optional[Path] = Settings,
        db: Optional[str] = DbOption,
    ) -> None:
        """督办周报：新增的安全生产督办事项、新近逾期、新的落实进展和人工更正，按责任单位和领域分组。"""
        from ..digest import build_digest, digest_counts, render_html, render_markdown, write_docx
        from ..digest.since import parse_since
        from ..notice import load_settings

        fmt = format.lower().lstrip(".")
        fmt = "md" if fmt == "markdown" else fmt
        if fmt not in FORMATS:
            fail("--format 只能是 md、html 或 docx")
        if fmt == "docx" and out_file is None:
            fail("--format docx 需要用 --out 指定输出文件")
        try:
            moment = parse_since(since)
        except ValueError as exc:
            fail(str(exc))
        date = as_of_date(as_of)
        try:
            chosen = load_settings(settings) if fmt == "docx" else None
        except ValueError as exc:
            fail(str(exc))
        database = open_existing(db)
        d = build_digest(database, moment, as_of=date, base_url=base_url)
        if fmt == "docx":
            write_docx(d, out_file, chosen)
        else:
            text = render_markdown(d) if fmt == "md" else render_html(d)
            if out_file is None:
                sys.stdout.write(text)
                return
            out_file.parent.mkdir(parents=True, exist_ok=True)
            out_file.write_text(text, encoding="utf-8")
        counts = digest_counts(d)
        say(f"已写入督办周报：{out_file}（新增 {counts['new_directives']} 项，新近逾期 {counts['became_overdue']} 项，"
            f"新的落实进展 {counts['new_evidence']} 项，人工更正 {counts['corrected']} 项）")
