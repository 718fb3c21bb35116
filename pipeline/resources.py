"""Where the project's data files live, loading them once, and jieba imported quietly.

Every stage reads its rules, lexicons and tables from TOML files in the
project's ``models/`` folder (``$DUBAN_MODELS`` points elsewhere, e.g. to try
a changed lexicon without touching the installed one). Each file is parsed
once per process.
"""

from __future__ import annotations

import json
import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

_PROJECT_MODELS = Path(__file__).resolve().parent.parent / "models"


def models_dir() -> Path:
    """``$DUBAN_MODELS`` when set, else ``models/`` beside the package, else ``./models``."""
    env = os.environ.get("DUBAN_MODELS")
    if env:
        return Path(env)
    return _PROJECT_MODELS if _PROJECT_MODELS.is_dir() else Path.cwd() / "models"


MODELS_DIR = models_dir()


@lru_cache(maxsize=None)
def load_toml(name: str) -> dict[str, Any]:
    """Parse ``models/<name>`` (with or without the ``.toml`` suffix), once per process."""
    file = name if name.endswith(".toml") else f"{name}.toml"
    with open(models_dir() / file, "rb") as fh:
        return tomllib.load(fh)


def read_json_model(path: Path) -> dict[str, Any] | None:
    """A trained model kept as plain JSON (its vocabulary, weights and settings), or None when none was
    trained there: the callers then fall back to their rules."""
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


# jieba sets its own logger to DEBUG when imported and announces its dictionary on standard error;
# a nightly log needs none of it. ``duban --verbose`` lowers this to DEBUG before any stage runs.
JIEBA_LOG_LEVEL = 30   # logging.WARNING


def import_jieba():
    """The ``jieba`` module, its logger at :data:`JIEBA_LOG_LEVEL` (every stage imports jieba through here)."""
    import jieba

    jieba.setLogLevel(JIEBA_LOG_LEVEL)
    return jieba
