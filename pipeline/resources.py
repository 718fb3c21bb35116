"""Where the project's data files live, and loading them once."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"


@lru_cache(maxsize=None)
def load_toml(name: str) -> dict[str, Any]:
    """Read ``models/<name>`` once per process."""
    with open(MODELS_DIR / name, "rb") as fh:
        return tomllib.load(fh)
