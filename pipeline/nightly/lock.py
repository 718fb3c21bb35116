"""One crawl or nightly run per store at a time.

An exclusive ``flock`` on a file beside the store: the kernel drops it when the
process dies, kill -9 included, so a crashed run never leaves a stale lock that a
person must delete by hand (a lock *row* in the store would). Crawl takes it as
well as nightly, since both write the frontier.

A store in PostgreSQL has no file beside it: the lock is then a session-level
advisory lock (``pg_try_advisory_lock``) held on a connection of its own, which
the server likewise drops when the process dies and its connection closes.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import Any

__all__ = ["LOCKED_EXIT_CODE", "RunLock", "RunLocked", "lock_path"]

# EX_TEMPFAIL: "try again later", which is what a second overlapping run should do.
LOCKED_EXIT_CODE = 75


class RunLocked(RuntimeError):
    """Another run holds the store; str(exc) says so in Chinese."""


def lock_path(db_path: str | os.PathLike[str]) -> Path:
    return Path(f"{os.fspath(db_path)}.lock")


class RunLock:
    """``with RunLock(db_path):`` — raises RunLocked at once if another run holds it."""

    def __init__(self, db_path: str | os.PathLike[str]) -> None:
        self.url = os.fspath(db_path) if os.fspath(db_path).startswith(("postgresql://", "postgres://")) else None
        self.path = lock_path(db_path) if self.url is None else None
        self._fd: int | None = None
        self._pg: Any = None

    def acquire(self) -> "RunLock":
        if self.url is not None:
            return self._acquire_pg()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            who = f"（进程 {holder}）" if holder else ""
            raise RunLocked(f"另一个 duban 抓取或夜间任务正在使用这个数据库{who}，本次不运行。锁文件：{self.path}") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def _acquire_pg(self) -> "RunLock":
        # Imported here: the command line imports this module, and ``duban --help`` loads no store.
        from ..store.pg import RUN_LOCK_KEY, connect, display_url

        conn = connect(self.url)
        if not conn.execute("SELECT pg_try_advisory_lock(%s)", [RUN_LOCK_KEY]).fetchone()[0]:
            holder = conn.execute(
                "SELECT a.pid, a.client_addr::text, a.client_hostname FROM pg_locks l "
                "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                "AND ((l.classid::bigint << 32) | l.objid::bigint) = %s LIMIT 1", [RUN_LOCK_KEY]).fetchone()
            conn.close()
            who = f"（服务器进程 {holder[0]}，来自 {holder[2] or holder[1] or '本机'}）" if holder else ""
            raise RunLocked(f"另一个 duban 抓取或夜间任务正在使用这个数据库{who}，本次不运行。"
                            f"数据库：{display_url(self.url)}") from None
        self._pg = conn
        return self

    def release(self) -> None:
        if self._pg is not None:
            from ..store.pg import RUN_LOCK_KEY

            try:
                self._pg.execute("SELECT pg_advisory_unlock(%s)", [RUN_LOCK_KEY])
            except Exception:       # the connection is gone, and the server dropped the lock with it
                pass
            finally:
                self._pg.close()
                self._pg = None
        if self._fd is not None:
            try:
                os.ftruncate(self._fd, 0)
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
                os.close(self._fd)
                self._fd = None

    def __enter__(self) -> "RunLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read_holder(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode("ascii", "ignore").strip()
    except OSError:
        return ""
