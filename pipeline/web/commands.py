"""``duban serve`` (the staff page) and ``duban corrections export`` (labelled data)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    from ..cli import DbOption, _db_path, err, out

    @app.command()
    def serve(host: str = typer.Option("127.0.0.1", "--host", help="监听地址（默认只允许本机访问）"),
              port: int = typer.Option(8000, "--port", help="端口"),
              db: Optional[Path] = DbOption) -> None:
        """启动网页：检索、查看上下文、人工核实与更正、导出督办台账。"""
        from ..store import open_db
        from .app import create_app

        db_path = _db_path(db)
        open_db(db_path).conn.close()           # create and migrate before the first request
        if host not in ("127.0.0.1", "localhost", "::1"):
            err.print(f"[yellow]注意[/yellow]：网页将对 {host} 开放，局域网内的其他人也能访问和更正；"
                      "本页面没有登录功能。", highlight=False)
        out.print(f"督办网页：http://{'[' + host + ']' if ':' in host else host}:{port}/  （数据库：{db_path}，"
                  "按 Ctrl+C 停止）", highlight=False)
        from werkzeug.serving import run_simple

        run_simple(host, port, create_app(db_path), threaded=True, use_reloader=False, use_debugger=False)

    corrections_app = typer.Typer(no_args_is_help=True, help="人工更正记录。")
    app.add_typer(corrections_app, name="corrections")

    @corrections_app.command("export")
    def corrections_export(out_file: Optional[Path] = typer.Option(None, "--out", help="输出文件（JSONL；默认打印到屏幕）"),
                           db: Optional[Path] = DbOption) -> None:
        """把人工更正导出为带标签的数据（JSONL，每条督办事项一行），供重新训练使用。"""
        from ..store import open_db
        from .corrections import labelled_data

        database = open_db(_db_path(db))
        stream = open(out_file, "w", encoding="utf-8") if out_file else sys.stdout
        n = 0
        try:
            for n, item in enumerate(labelled_data(database), 1):
                stream.write(json.dumps(item, ensure_ascii=False) + "\n")
        finally:
            if out_file:
                stream.close()
        if out_file:
            out.print(f"已导出 {n} 条更正记录：{out_file}", highlight=False, soft_wrap=True)
