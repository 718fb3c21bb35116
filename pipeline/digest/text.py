"""The digest's own sentences, shared by the three renderers so Markdown, HTML and DOCX say the same.

Plain text only: each renderer escapes for its format.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ..notice.wording import chinese_date, chinese_number
from .build import local_time
from .model import COUNT_LABELS, Digest, DigestItem, digest_counts

TITLE = "安全生产督办周报"
BY_UNIT = "按责任单位"
BY_SECTOR = "按涉及领域"
EMPTY = "本期没有。"


def period(d: Digest) -> str:
    """统计时段 and the day statuses are judged on."""
    start = f"{chinese_date(d.since.date())} {d.since:%H:%M}"
    return f"统计时段：{start} 以来收录和更正的内容；落实状态截至{chinese_date(d.as_of)}。"


def tracked_line(d: Digest) -> str:
    return f"最近一次跟踪比对完成于 {local_time(d.last_tracked)}。" if d.last_tracked else "数据库中没有跟踪比对的运行记录。"


def headline(d: Digest) -> list[str]:
    """One line per headline number, in COUNT_LABELS' order."""
    counts = digest_counts(d)
    lines = [f"{COUNT_LABELS['new_directives']}：{counts['new_directives']} 项",
             f"{COUNT_LABELS['became_overdue']}：{counts['became_overdue']} 项",
             f"{COUNT_LABELS['new_evidence']}：{counts['new_evidence']} 项（已完成 {counts['new_evidence_done']}、"
             f"推进中 {counts['new_evidence_in_progress']}）",
             f"{COUNT_LABELS['corrected']}：{counts['corrected']} 项",
             f"{COUNT_LABELS['units']}：{counts['units']} 个"]
    return lines


def section_heading(n: int, title: str, count: int) -> str:
    return f"{chinese_number(n)}、{title}（{count}项）"


def item_facts(item: DigestItem) -> str:
    """落实状态、完成时限、来源 in one line."""
    return f"落实状态：{item.status_label}；完成时限：{item.deadline}；来源：{item.source}"


def item_label(item: DigestItem) -> str:
    return f"第{item.id}号"


def link_target(item: DigestItem) -> str | None:
    """The item's page address when it is an http(s) URL; None otherwise (a base URL such as
    ``javascript:…`` given on the command line is shown as text, never linked)."""
    parts = urlsplit(item.url)
    return item.url if parts.scheme in ("http", "https") and parts.netloc else None
