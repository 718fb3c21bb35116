"""The notice's settings: issuer, wording, fonts, sizes and page, from ``models/notice.toml``.

Each office issues under its own name and number prefix and may lack a font
(方正小标宋简体 is not on every machine), so these are data, not code. The
defaults here equal the shipped TOML, so a store copied to a machine without
``models/`` still gets a GB/T 9704-2012 notice. A misspelt key is an error,
not silently ignored: an office that sets ``[issuer] nmae`` would otherwise
send notices under the default name.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

SETTINGS_FILE = "notice.toml"


@dataclass(frozen=True)
class Issuer:
    name: str = "安全生产委员会办公室"
    number_prefix: str = "安委办督"
    banner: bool = True
    banner_text: str = "安全生产委员会办公室"


@dataclass(frozen=True)
class Wording:
    title: str = "关于加快落实安全生产督办事项的督办通知"
    intro: str = ("经对安全生产督办事项落实情况跟踪梳理，截至{as_of}，涉及你单位的安全生产督办事项中，尚有{count}项已逾期或"
                  "未见落实反馈（其中已逾期{overdue}项、未见反馈{no_evidence}项）。现将有关事项督办如下。")
    closing: str = ("请你单位对上述事项逐项核查，抓紧推进落实，于{reply_days}个工作日内将落实情况（未完成的说明原因、措施和"
                    "完成时限）书面报送{issuer}。")
    reply_days: int = 5
    contact: str = ""


@dataclass(frozen=True)
class Fonts:
    title: str = "方正小标宋简体"
    body: str = "仿宋_GB2312"
    heading1: str = "黑体"
    heading2: str = "楷体_GB2312"
    page_number: str = "宋体"
    latin: str = "Times New Roman"


@dataclass(frozen=True)
class Sizes:
    title_pt: float = 22.0
    body_pt: float = 16.0
    banner_pt: float = 26.0
    page_number_pt: float = 14.0
    line_spacing_pt: float = 28.95


@dataclass(frozen=True)
class Page:
    width_mm: float = 210.0
    height_mm: float = 297.0
    top_mm: float = 37.0
    bottom_mm: float = 35.0
    left_mm: float = 28.0
    right_mm: float = 26.0
    footer_mm: float = 22.0


@dataclass(frozen=True)
class NoticeSettings:
    """Everything about a notice that an office may want to change without touching code."""

    issuer: Issuer = field(default_factory=Issuer)
    wording: Wording = field(default_factory=Wording)
    fonts: Fonts = field(default_factory=Fonts)
    sizes: Sizes = field(default_factory=Sizes)
    page: Page = field(default_factory=Page)


def _coerce(section: str, key: str, default: Any, value: Any, where: str) -> Any:
    """The TOML value in the default's type (an int for a float is fine); a wrong type is a Chinese error."""
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, str)
    if not ok:
        raise ValueError(f"通知单设置文件 {where} 中 [{section}] {key} 的类型不对（应与默认值 {default!r} 同类）")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value <= 0:
        raise ValueError(f"通知单设置文件 {where} 中 [{section}] {key} 应大于 0")
    return value


def apply(settings: NoticeSettings, data: dict[str, Any], where: str = "") -> NoticeSettings:
    """``settings`` with the sections and keys of ``data`` (parsed TOML) put in; unknown names raise."""
    groups = {f.name: getattr(settings, f.name) for f in fields(settings)}
    changed: dict[str, Any] = {}
    for section, values in data.items():
        if section not in groups or not isinstance(values, dict):
            raise ValueError(f"通知单设置文件 {where} 中有未知的设置节：[{section}]（可用：{'、'.join(groups)}）")
        group = groups[section]
        known = {f.name for f in fields(group)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"通知单设置文件 {where} 的 [{section}] 中有未知设置项：{'、'.join(unknown)}"
                             f"（可用：{'、'.join(sorted(known))}）")
        changed[section] = replace(group, **{k: _coerce(section, k, getattr(group, k), v, where)
                                             for k, v in values.items()})
    return replace(settings, **changed)


def default_settings_path() -> Path:
    """``models/notice.toml`` (``$DUBAN_MODELS`` honoured, as for every other model file)."""
    from ..resources import models_dir

    return models_dir() / SETTINGS_FILE


def load_settings(path: str | Path | None = None) -> NoticeSettings:
    """The built-in defaults overlaid with ``path`` (default ``models/notice.toml``, skipped when absent).

    A path given explicitly must exist: a typo on the command line should not
    quietly produce a notice under the default issuer.
    """
    file = Path(path) if path is not None else default_settings_path()
    if not file.is_file():
        if path is not None:
            raise FileNotFoundError(2, "通知单设置文件不存在", str(file))
        return NoticeSettings()
    try:
        with open(file, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"通知单设置文件 {file} 不是有效的 TOML：{exc}") from exc
    return apply(NoticeSettings(), data, str(file))


def resolve(settings: NoticeSettings | str | Path | None) -> NoticeSettings:
    """Settings as given to the public functions: an object, a TOML path, or None for the default file."""
    if isinstance(settings, NoticeSettings):
        return settings
    return load_settings(settings)
