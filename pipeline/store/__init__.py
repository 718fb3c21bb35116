"""The store every stage reads and writes: a SQLite file, or a PostgreSQL database (``pg.py``).

The names below are loaded on first use, so that a stage importing only the
dialect helpers (``store.dialect``) does not load sqlite-utils with them
(``duban --help`` stays light).
"""

from __future__ import annotations

from typing import Any

__all__ = ["SCHEMA_VERSION", "default_db_path", "open_db"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import db

        return getattr(db, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
