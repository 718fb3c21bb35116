"""``duban train`` and ``duban evaluate``: the directive classifier and its score on gold files."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import err, lit, open_existing, out


def register(app: typer.Typer) -> None:
    for command in (train, evaluate):
        app.command()(command)


def train(db: Optional[str] = typer.Option(None, "--db", parser=str, help="同时学习该数据库（文件或 postgresql:// 地址）中人工确认、否决的督办事项"),
          model_out: Optional[Path] = typer.Option(None, "--out", help="模型写到哪里（默认 models/directive_clf.json）"),
          pages: Optional[Path] = typer.Option(None, "--pages", help="同时学习该文件夹中已标注的网页（<编号>.txt，"
                                               "corpus/annotations/extract_*.jsonl 中 tune 部分的页面）")
          ) -> None:
    """用 corpus/annotations 中的标注句子（及 --db 中的人工更正）重新训练督办事项分类器。"""
    from ..extract.train import CARD_PATH, MODEL_PATH, train as run_training
    store = open_existing(db) if db is not None else None
    target = model_out or MODEL_PATH
    if pages is not None and not pages.is_dir():
        err.print(f"[red]错误[/red]：{lit(pages)}：不是文件夹", highlight=False)
        raise typer.Exit(2)
    figures = run_training(out=target, db=store, pages=pages,
                           card=target.with_suffix(".md") if model_out else CARD_PATH)
    if figures["pages"]:
        p = figures["pages"]
        out.print(f"学习了已标注网页：{p['pages']} 页，{p['sentences']} 句"
                  + (f"（{len(p['missing'])} 页不在 {lit(pages)} 中）" if p["missing"] else ""), highlight=False)
    c = figures["corrections"]
    out.print(f"已训练：{lit(target)}（说明：{lit(target.with_suffix('.md') if model_out else CARD_PATH)}）", highlight=False)
    if db is not None:
        out.print(f"学习了人工更正：确认 {c['confirmed']} 条，否决 {c['rejected']} 条", highlight=False)
    out.print(f"交叉验证：precision={figures['cv_precision']} recall={figures['cv_recall']} "
              f"F1={figures['cv_f1']}，阈值 {figures['threshold']}", highlight=False)


def evaluate(gold: Path = typer.Argument(..., help="金标准 JSONL（如 ../shared/gold/extract_dev.jsonl）"),
             docs_dir: Optional[Path] = typer.Option(None, "--docs", help="金标准文档所在文件夹（默认：金标准旁的 seeds/）"),
             verbose: bool = typer.Option(False, "--verbose", help="列出漏判和误判")) -> None:
    """用与共享评分脚本相同的规则给抽取结果打分。"""
    from ..extract.evaluate import load_jsonl, score
    from ..extract.extractor import extract_directives
    from ..ingest.readers import InputError, read_file
    from ..parse.document import parse_raw

    gold_docs = load_jsonl(gold)
    folder = docs_dir or gold.resolve().parent.parent / "seeds"
    preds: dict[str, dict] = {}
    for name in gold_docs:
        try:
            doc = parse_raw(read_file(folder / name))
            preds[name] = {"directives": [d.as_json() for d in extract_directives(doc)]}
        except InputError as exc:
            err.print(f"[red]错误[/red]：{lit(folder / name)}：{lit(exc)}", highlight=False)
    result = score(gold_docs, preds)
    if verbose:
        for line in result.errors:
            print(line)
    print(result.summary())
