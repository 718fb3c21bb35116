"""``duban serve`` (the staff page), ``duban users`` (who may sign in) and ``duban corrections export``."""

from __future__ import annotations

import ipaddress
import json
import sys
from pathlib import Path
from typing import Optional

import typer

from .common import lit

SERVE_THREADS = 8


def is_local(host: str) -> bool:
    """Whether ``host`` listens on this machine only: localhost or a loopback address (127.x, ::1)."""
    host = host.strip().strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _read_password(from_stdin: bool, err) -> str:
    """The new password: the first line of stdin, or typed twice at a hidden prompt (three tries)."""
    from ..web.users import UserError, check_password

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        try:
            return check_password(password)
        except UserError as exc:
            err.print(f"[red]错误[/red]：{lit(exc)}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
    for _ in range(3):
        password = typer.prompt("密码", hide_input=True, default="", show_default=False)
        try:
            check_password(password)
        except UserError as exc:
            err.print(f"[red]错误[/red]：{lit(exc)}，请重新输入。", highlight=False, soft_wrap=True)
            continue
        if typer.prompt("再输入一次密码", hide_input=True, default="", show_default=False) == password:
            return password
        err.print("[red]错误[/red]：两次输入的密码不一致，请重新输入。", highlight=False, soft_wrap=True)
    err.print("[red]错误[/red]：没有设定密码，用户未添加。", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    from .common import DbOption, db_path, err, open_existing, out

    @app.command()
    def serve(host: str = typer.Option("127.0.0.1", "--host", help="监听地址（默认只允许本机访问）"),
              port: int = typer.Option(8000, "--port", help="端口"),
              db: Optional[str] = DbOption) -> None:
        """启动网页：检索、查看上下文、人工核实与更正（需登录）、导出督办台账。"""
        from ..store import open_db
        from ..web.app import create_app
        from ..web.users import count_users

        store_path = db_path(db)
        database = open_db(store_path)             # create and migrate before the first request
        try:
            people = count_users(database)
        finally:
            database.conn.close()
        if not is_local(host):
            if people == 0:
                err.print(f"[red]错误[/red]：还没有任何用户，网页不能对 {lit(host)} 开放。请先用 "
                          "duban users add 姓名 添加至少一个用户（核实与更正需要登录），"
                          "或只在本机访问（--host 127.0.0.1）。", highlight=False, soft_wrap=True)
                raise typer.Exit(2)
            err.print(f"[yellow]注意[/yellow]：网页将对 {lit(host)} 开放，局域网内的其他人可以检索和查看；"
                      "核实与更正需要登录。", highlight=False, soft_wrap=True)
        elif people == 0:
            err.print("提示：还没有任何用户，只能检索和查看；用 duban users add 姓名 添加用户后即可登录更正。",
                      highlight=False, soft_wrap=True)
        from ..store.pg import display_url

        out.print(f"督办网页：http://{'[' + host + ']' if ':' in host else host}:{port}/  （数据库：{lit(display_url(store_path))}，"
                  "按 Ctrl+C 停止）", highlight=False, soft_wrap=True)
        # waitress, not Werkzeug's development server: made for serving, with no warning saying otherwise.
        import waitress

        waitress.serve(create_app(store_path), host=host, port=port, threads=SERVE_THREADS, ident="duban")

    users_app = typer.Typer(no_args_is_help=True, help="网页用户：登录后才能核实与更正。")
    app.add_typer(users_app, name="users")

    @users_app.command("add")
    def users_add(name: str = typer.Argument(..., help="用户名（更正记录中显示的姓名）"),
                  password_stdin: bool = typer.Option(False, "--password-stdin",
                                                      help="从标准输入读取密码（第一行），不提示输入"),
                  db: Optional[str] = DbOption) -> None:
        """添加网页用户（提示输入两次密码；密码只保存加盐哈希）。"""
        from ..store import open_db
        from ..web.users import UserError, add_user, clean_name, find

        try:
            name = clean_name(name)
        except UserError as exc:
            err.print(f"[red]错误[/red]：{lit(exc)}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        database = open_db(db_path(db))
        try:
            if find(database, name) is not None:            # before asking for a password it would not use
                err.print(f"[red]错误[/red]：用户“{lit(name)}”已存在（要换密码，先用 duban users remove 删除再添加）",
                          highlight=False, soft_wrap=True)
                raise typer.Exit(2)
            password = _read_password(password_stdin, err)
            try:
                user = add_user(database, name, password)
            except UserError as exc:
                err.print(f"[red]错误[/red]：{lit(exc)}", highlight=False, soft_wrap=True)
                raise typer.Exit(2) from None
        finally:
            database.conn.close()
        out.print(f"已添加用户：{lit(user.name)}", highlight=False, soft_wrap=True)

    @users_app.command("list")
    def users_list(db: Optional[str] = DbOption) -> None:
        """列出网页用户。"""
        from ..web.users import list_users

        database = open_existing(db)
        try:
            people = list_users(database)
        finally:
            database.conn.close()
        if not people:
            out.print("还没有任何用户。用 duban users add 姓名 添加。", highlight=False, soft_wrap=True)
            return
        for user in people:
            last = user.last_login_at[:16].replace("T", " ") if user.last_login_at else "从未登录"
            print(f"{user.name}\t添加于 {user.created_at[:16].replace('T', ' ')}\t最近登录 {last}（UTC）")

    @users_app.command("remove")
    def users_remove(name: str = typer.Argument(..., help="用户名"), db: Optional[str] = DbOption) -> None:
        """删除网页用户（其已有的更正记录保留；已登录的会话立即失效）。"""
        from ..web.users import UserError, remove_user

        database = open_existing(db)
        try:
            removed = remove_user(database, name)
        except UserError as exc:
            err.print(f"[red]错误[/red]：{lit(exc)}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        finally:
            database.conn.close()
        if not removed:
            err.print(f"[red]错误[/red]：没有用户“{lit(name)}”", highlight=False, soft_wrap=True)
            raise typer.Exit(2)
        out.print(f"已删除用户：{lit(name)}", highlight=False, soft_wrap=True)

    corrections_app = typer.Typer(no_args_is_help=True, help="人工更正记录。")
    app.add_typer(corrections_app, name="corrections")

    @corrections_app.command("export")
    def corrections_export(out_file: Optional[Path] = typer.Option(None, "--out", help="输出文件（JSONL；默认打印到屏幕）"),
                           db: Optional[str] = DbOption) -> None:
        """把人工更正导出为带标签的数据（JSONL，每条督办事项一行），供重新训练使用。"""
        from ..store import open_db
        from ..corrections.log import labelled_data

        database = open_db(db_path(db))
        stream = open(out_file, "w", encoding="utf-8") if out_file else sys.stdout
        n = 0
        try:
            for n, item in enumerate(labelled_data(database), 1):
                stream.write(json.dumps(item, ensure_ascii=False) + "\n")
        finally:
            if out_file:
                stream.close()
        if out_file:
            out.print(f"已导出 {n} 条更正记录：{lit(out_file)}", highlight=False, soft_wrap=True)
