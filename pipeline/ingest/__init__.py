"""Ingest: read local files and fetched bytes into RawDocument (see readers.py, decode.py)."""

from .readers import (
    MAX_BYTES,
    SUPPORTED_SUFFIXES,
    InputError,
    RawDocument,
    iter_files,
    read_bytes,
    read_file,
)

__all__ = [
    "MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "InputError",
    "RawDocument",
    "iter_files",
    "read_bytes",
    "read_file",
]
