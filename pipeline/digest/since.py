"""Reading "since when" as staff type it: 7d, 24h, 2w, 7天, or a date / date-time.

A relative span is counted back from now; a date means its midnight, local
time. Errors are Chinese sentences, for the command line to show as they are.
"""

from __future__ import annotations

import datetime as dt
import re

_SPAN = re.compile(r"^\s*(\d{1,4})\s*(d|h|w|天|日|小时|时|周|星期)\s*$", re.IGNORECASE)
_UNITS = {"d": "days", "天": "days", "日": "days", "h": "hours", "小时": "hours", "时": "hours", "w": "weeks",
          "周": "weeks", "星期": "weeks"}


def parse_since(value: str, now: dt.datetime | None = None) -> dt.datetime:
    """The moment ``value`` names (naive local time, as ``datetime.now()``)."""
    now = now or dt.datetime.now()
    m = _SPAN.match(value or "")
    if m:
        return now - dt.timedelta(**{_UNITS[m.group(2).lower()]: int(m.group(1))})
    text = (value or "").strip()
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--since 的格式应为 7d（天）、24h（小时）、2w（周）或日期 YYYY-MM-DD[ HH:MM]，收到“{value}”") from None
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment
