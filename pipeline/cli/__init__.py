"""The ``duban`` command: one sub-command per stage, each re-runnable alone.

One module per command group, each with a ``register(app)``; the stages they
call take plain arguments and know nothing of the command line. Every command is
wrapped so that a user's mistake ends with a Chinese message, never a traceback.
"""

from __future__ import annotations

import importlib

import typer

from .common import err, lit

app = typer.Typer(add_completion=False, no_args_is_help=True, help="督办：安全生产讲话、通知、规划中的督办事项提取与落实跟踪。")



@app.callback()
def options(verbose: bool = typer.Option(False, "--verbose", help="显示所用程序库的日志（如 jieba 加载词典），排查问题时用")) -> None:
    """督办：安全生产讲话、通知、规划中的督办事项提取与落实跟踪。"""
    if verbose:
        import logging

        from .. import resources

        logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
        resources.JIEBA_LOG_LEVEL = logging.DEBUG


# In the order ``duban --help`` lists them.
COMMAND_MODULES = ("documents", "crawl", "track", "search", "export", "notice", "web", "model", "store")


def _register_commands() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(app)


_register_commands()


def _describe(exc: BaseException) -> str:
    """What went wrong, in the words of the user's files and folders."""
    name = getattr(exc, "filename", None)
    if isinstance(exc, FileNotFoundError):
        return f"文件或文件夹不存在：{name}" if name else "文件或文件夹不存在"
    if isinstance(exc, PermissionError):
        return f"没有权限读写：{name}" if name else "没有权限"
    if isinstance(exc, IsADirectoryError):
        return f"这是文件夹，不是文件：{name}"
    if isinstance(exc, NotADirectoryError):
        return f"路径中有一段不是文件夹：{name}"
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}" + (f"：{name}" if name else "")
    if isinstance(exc, UnicodeError):
        return f"文件编码无法识别：{exc}"
    return f"{type(exc).__name__}: {exc}"


def _guarded(callback):
    """A command that ends a user error with a message, never a Python traceback (DUBAN_DEBUG=1 shows it)."""
    import functools
    import os

    @functools.wraps(callback)
    def run(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except (typer.Exit, typer.Abort, KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:
            if os.environ.get("DUBAN_DEBUG"):
                raise
            user_error = isinstance(exc, (OSError, ValueError, UnicodeError))
            err.print(f"[red]错误[/red]：{lit(_describe(exc))}" + ("" if user_error else
                      "（这可能是 duban 的缺陷：设置 DUBAN_DEBUG=1 再运行可看到详细信息，请附上它报告问题）"),
                      highlight=False)
            raise typer.Exit(2 if user_error else 1)

    return run


def _guard_commands(typer_app: typer.Typer) -> None:
    for info in typer_app.registered_commands:
        if info.callback is not None and not getattr(info.callback, "__wrapped__", None):
            info.callback = _guarded(info.callback)
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _guard_commands(group.typer_instance)


_guard_commands(app)


def main() -> None:
    app()

