"""Paging of the search page: which page was asked for, and what the pager shows.

The page number comes straight from the address bar, so anything goes: a word,
0, a negative number, or a number so large that its offset would overflow
SQLite's integer, or one of thousands of digits that Python refuses to convert.
None of that may become a 500: a page that is not a positive number is page 1,
and no page is asked of the store beyond the last one a count can reach (counts
stop at ``COUNT_CAP``); the list then redirects to its last page.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

from ..search.engine import CAP, COUNT_CAP

PAGE_SIZE = 100          # rows a page shows unless create_app is told otherwise


def max_page(size: int) -> int:
    """The last page any count can reach: asking for more would only make a deep, empty read."""
    return max(1, math.ceil(COUNT_CAP / size))


def parse_page(value: str | None, size: int) -> int:
    """The page asked for in ``?page=``: 1 unless it is a positive whole number, at most :func:`max_page`."""
    text = (value or "").strip()
    if not text.isdecimal():         # no sign, point, exponent or "1_0"; full-width ２ typed by an IME is 2
        return 1
    last = max_page(size)
    # Digit by digit, leading zeros dropped: int() of more than 4,300 digits raises (Python's guard
    # against slow conversions), and a number longer than the last page's is past it anyway.
    digits = "".join(str(unicodedata.decimal(c)) for c in text).lstrip("0")
    if len(digits) > len(str(last)):
        return last
    return min(max(int(digits or "0"), 1), last)


def reachable(total: int | None, capped: bool) -> int:
    """How many hits paging can walk through: a capped query ranks only the newest CAP matches."""
    total = total or 0
    return min(total, CAP) if capped else total


@dataclass(frozen=True)
class Pager:
    page: int
    size: int
    total: int           # rows there are pages for
    more: bool = False   # the count stopped at COUNT_CAP: there are more than ``total``

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_row(self) -> int:
        """1-based number of the first row on this page (0 when there is none)."""
        return min(self.offset + 1, self.total)

    @property
    def last_row(self) -> int:
        return min(self.offset + self.size, self.total)

    @property
    def beyond_end(self) -> bool:
        """The page asked for lies after the last one (the address was edited or the data shrank)."""
        return self.page > self.pages
