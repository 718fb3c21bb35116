"""The SQLite store every stage reads and writes."""

from .db import SCHEMA_VERSION, default_db_path, open_db

__all__ = ["SCHEMA_VERSION", "default_db_path", "open_db"]
