"""Deadlines of directives: find the time expression and its kind, compute the date.

The rules are data (``models/deadlines.toml``): every rule is one alternative of a
single regular expression compiled once and scanned once over a sentence, so the
leftmost expression wins and, at the same position, the rule listed first.

Kinds (spec section 2): ``date`` (a calendar date can be computed: 年底前, 6月底前,
国庆节前, 3个月内 …), ``immediate`` (立即, 迅速, 第一时间 …), ``recurring`` (定期,
每月, 常态化, 24小时值班 …), ``period`` (三年行动, 百日行动, 集中攻坚 …) and
``vague`` (限期, 尽快, 整改时限, 会后 …).

Decisions, measured on the dev gold (and checked on the project's own annotated
demo sentences) or taken from the spec:

* 及时, 持续, 实时, 动态 and a bare 专项整治行动 are not deadlines (the gold
  leaves them out); 抓紧 (not 抓紧抓实) and 逾期 are ``vague``, like 尽快.
* 24小时 followed by a duty word (值班, 值守, 不间断监控, 抢修热线 …) is
  ``recurring``.  A response time in hours or minutes (1小时内, 30分钟内, 24小时内
  报告) is ``immediate``: it runs from an event, not from the document's date.
  Days and longer (7日内, 15个工作日内, 3个月内) are ``date``: reference date plus
  the span (working days skip weekends only, no holiday calendar).
* Times that come back and set when a duty is done (重点、敏感时段, 汛前, 高峰时段) are
  ``recurring``; spans of the calendar the task covers (节假日期间, 春节期间, 主汛期,
  岁末年初, 暑期) and named one-off spans (三年行动, 百日行动, 集中攻坚, 今冬明春,
  专项整治期间, 春运期间, “安全生产月”期间, “十四五”期间) are ``period``, as the
  annotators of the real documents and news pages read them (news tune pages: deadline
  F1 0.698 → 0.762, dev unchanged); 节假日前, 开学前, 入冬前 are ``vague``.
* A year-less expression resolves to the reference year (spec: 6月底前 → that
  year's 06-30); when that lands before the reference date it is rolled one year
  forward (a 3月底前 in a December notice means next March).  An expression with
  an explicit year (2023年6月底, 今年3月底前) dated before the reference date is
  the past, not a deadline, and is dropped, as are dates after 截至/去年 and dates
  followed by an event verb (6月11日…召开).  A bare 6月11日 is never taken: a date
  needs 前/底/完成 or a prefix such as 于/在/截止/力争.
* 春节前 is the day before the first Spring Festival after the reference date
  (table in the TOML); the same for the other holidays (国庆节前 → 09-30, 元旦前 →
  12-31).  Half years and quarters need a deadline reading (上半年印发, 四季度前),
  not a statistic (二季度增速, 上半年以来).
* 今年/本年度/明年 said of the whole task and 全年 (全年检查不少于…) are dates
  (12-31) but weak: any other expression of the sentence wins over them.

Preference when a sentence has several (``[rank]`` in the TOML, lower wins, ties
go to the earliest): a computable date first (立即…于4月30日前完成 → the date);
then immediate and recurring alike, so the earliest of them (the dev gold:
24小时值班 … 第一时间 → recurring), and with them a campaign a verb carries out
(深入推进…三年行动，常态化开展… → the campaign); then a span that frames the task,
which a rota inside it beats (汛期…24小时值班 → 24小时); then the weak dates; then vague (整改时限 is
mostly a noun in a list); last an immediate inside a conditional clause (一旦发生…
第一时间, 发现…立即), which reacts to an event and is not the directive's own time.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from . import lexicon

_FULLWIDTH = str.maketrans("０１２３４５６７８９＊ｘＸ", "0123456789*xX")


@dataclass(frozen=True)
class Deadline:
    text: str  # the time expression as written in the sentence
    kind: str  # "date" | "immediate" | "recurring" | "period" | "vague"
    date: str | None  # ISO YYYY-MM-DD for kind "date" when computable, else None
    start: int  # offset of text inside the sentence (-1 when taken from the context)
    end: int

    def as_json(self) -> dict:
        return {"text": self.text, "kind": self.kind, "date": self.date}


@dataclass(frozen=True)
class _Rule:
    name: str
    kind: str
    compute: str | None
    rank: str | None  # a key of [rank] overriding the kind's
    groups: tuple[tuple[str, str], ...]  # (name in the combined regex, short name)
    carried: bool = False  # a campaign: ranks as the task itself when a verb carries it out


@dataclass(frozen=True)
class _Grammar:
    regex: re.Pattern
    rules: tuple[_Rule, ...]
    rank: dict
    cond_window: int
    cond: re.Pattern
    carried_window: int
    carried: re.Pattern
    digits: dict
    units: dict
    half: str
    fixed_holidays: dict
    lunar_holidays: dict
    lunar_tables: dict
    opening_span: re.Pattern


_GROUP = re.compile(r"\(\?P<([A-Za-z_][A-Za-z0-9_]*)>")


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    data = lexicon.load("deadlines")
    macros = data.get("macros", {})
    parts: list[str] = []
    rules: list[_Rule] = []
    firsts: list = []  # the characters each rule can start with (None: any)
    for i, r in enumerate(data["rule"]):
        gid = f"r{i}"
        if "words" in r:
            body = lexicon.alternation(r["words"])
        else:
            body = lexicon.expand_macros(r["pattern"], macros)
        first = lexicon.first_chars(body)
        firsts.append(first)
        guard = f"(?={lexicon.char_class(first)})" if first else ""
        shorts = list(dict.fromkeys(_GROUP.findall(body)))
        body = _GROUP.sub(lambda m: f"(?P<{gid}_{m.group(1)}>", body)
        body = re.sub(r"\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)", lambda m: f"(?P={gid}_{m.group(1)})", body)
        before = "".join(f"(?<!{re.escape(x)})" for x in r.get("not_before", []))
        after = f"(?!{r['not_after']})" if r.get("not_after") else ""
        parts.append(f"(?P<{gid}>{guard}{before}(?:{body}){after})")
        rules.append(
            _Rule(
                name=r.get("name", gid),
                kind=r["kind"],
                compute=r.get("compute"),
                rank=r.get("rank"),
                groups=tuple((f"{gid}_{s}", s) for s in shorts),
                carried=bool(r.get("carried")),
            )
        )
    hol = data.get("holidays", {})
    tables = {
        name: {int(y): dt.date.fromisoformat(v) for y, v in tab.items()}
        for name, tab in hol.items()
        if isinstance(tab, dict) and name not in ("fixed", "lunar")
    }
    num = data.get("numerals", {})
    cond = data.get("conditional", {})
    carried = data.get("carried", {})
    span = data.get("opening_span", {})
    combined = "|".join(parts)
    if firsts and all(firsts):
        # fail fast where no rule can start (most characters of a sentence)
        combined = f"(?={lexicon.char_class(frozenset().union(*firsts))})(?:{combined})"
    return _Grammar(
        regex=re.compile(combined),
        rules=tuple(rules),
        rank=dict(data.get("rank", {})),
        cond_window=int(cond.get("window", 24)),
        cond=re.compile(cond.get("pattern", r"(?!x)x")),
        carried_window=int(carried.get("window", 12)),
        carried=re.compile(carried.get("pattern", r"(?!x)x")),
        digits=dict(num.get("digits", {})),
        units=dict(num.get("units", {})),
        half=num.get("half", "半"),
        fixed_holidays=dict(hol.get("fixed", {})),
        lunar_holidays={k: (v[0], int(v[1])) for k, v in hol.get("lunar", {}).items()},
        lunar_tables=tables,
        opening_span=re.compile(span.get("pattern", r"(?!x)x")),
    )


# ---------------------------------------------------------------- numbers and dates


def cn_int(text: str) -> int | None:
    """Arabic or Chinese numerals to int: 12, 十二, 二十五, 三十一, 二〇二二, 百."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    g = _grammar()
    if not any(ch in g.units for ch in text):
        value = 0
        for ch in text:
            if ch.isdigit():
                value = value * 10 + int(ch)
            elif ch in g.digits:
                value = value * 10 + g.digits[ch]
            else:
                return None
        return value
    total = cur = 0
    for ch in text:
        if ch in g.digits:
            cur = g.digits[ch]
        elif ch.isdigit():
            cur = cur * 10 + int(ch)
        elif ch in g.units:
            total += (cur or 1) * g.units[ch]
            cur = 0
        else:
            return None
    return total + cur


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: dt.date, n: int) -> dt.date:
    k = day.month - 1 + n
    year, month = day.year + k // 12, k % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _add_workdays(day: dt.date, n: int) -> dt.date:
    while n > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    if not (1 <= month <= 12) or year < 1900 or year > 2200:
        return None
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return None
    return dt.date(year, month, day)


_REL_YEAR = {"今年": 0, "本年": 0, "本年度": 0, "年度内": 0, "当年": 0, "明年": 1, "次年": 1, "翌年": 1, "来年": 1}
_UNKNOWN = object()  # a year written as 20**


def _year(g: dict, ref: dt.date | None, yname: str = "y"):
    """(year, explicit) from the groups; year None when unknown, _UNKNOWN for 20**."""
    y = g.get(yname)
    if y:
        if any(c in y for c in "*×xX"):
            return _UNKNOWN, True
        return cn_int(y), True
    rel = g.get("yrel")
    if rel:
        if ref is None:
            return None, True
        return ref.year + _REL_YEAR.get(rel, 0), True
    return (ref.year if ref else None), False


def _day_in_month(year: int, month: int, d: str | None, part: str | None) -> dt.date | None:
    if d:
        n = cn_int(d)
        return _safe_date(year, month, n) if n else None
    if part in (None, "底", "末", "下旬", "内"):
        return _month_end(year, month)
    if part == "上旬":
        return dt.date(year, month, 10)
    if part == "中旬":
        return dt.date(year, month, 20)
    if part in ("中",):
        return dt.date(year, month, 15)
    if part == "初":
        return dt.date(year, month, 5)
    return _month_end(year, month)


# An expression that closes a task: its last character or the next one is 前/底/末/止/内 (…底前, 年底).
_END_MARK = re.compile(r".?(?:[前底末止内]|以前|之前)")
# A date without a year that falls before the document's date is next year's only when the document
# is of the last quarter and the date of the next year's first half.
ROLL_FROM_MONTH, ROLL_TO_MONTH = 10, 6


class _Drop(Exception):
    """The expression is not a deadline (a past date)."""


def _compute(rule: _Rule, g: dict, text: str, ref: dt.date | None, gr: _Grammar) -> dt.date | None:
    """The date of a kind-date match; None when not computable; raises _Drop for the past."""
    c = rule.compute
    explicit = False
    rollable = True
    if c in ("ymd", "range"):
        if c == "range":
            year, explicit = _year(g, ref, "y")
            if not g.get("y") and g.get("y0"):
                year, explicit = _year(g, ref, "y0")
            month_s = g.get("m") or g.get("m0")
            if month_s is None and ref is not None:  # 即日起至…底
                month_s = str(ref.month)
            rollable = False
        else:
            year, explicit = _year(g, ref)
            month_s = g.get("m")
        if year is _UNKNOWN or year is None or month_s is None:
            return None
        month = cn_int(month_s)
        if not month or not 1 <= month <= 12:
            raise _Drop
        if c == "ymd" and not g.get("d") and not g.get("part") and re.search(r"月份?(?:之前|以前|前)$", text):
            # 6月前: before June
            day = _month_end(year, month - 1) if month > 1 else dt.date(year - 1, 12, 31)
        else:
            day = _day_in_month(year, month, g.get("d"), g.get("part"))
        if day is None:
            raise _Drop
    elif c == "year_end":
        year, explicit = _year(g, ref)
        if year is _UNKNOWN or year is None:
            return None
        day = dt.date(year, 12, 31)
    elif c == "half":
        year, explicit = _year(g, ref)
        if year is _UNKNOWN or year is None:
            return None
        day = dt.date(year, 6, 30) if g.get("h") == "上" else dt.date(year, 12, 31)
    elif c == "quarter":
        year, explicit = _year(g, ref)
        if year is _UNKNOWN or year is None:
            return None
        q = cn_int(g.get("q") or "")
        if not q or not 1 <= q <= 4:
            raise _Drop
        day = _month_end(year, 3 * q)
    elif c == "month_end":
        if ref is None:
            return None
        base = _add_months(ref.replace(day=1), 1 if g.get("mrel") in ("下", "次") else 0)
        day = _day_in_month(base.year, base.month, None, g.get("part"))
        rollable = False
    elif c == "offset":
        if ref is None:
            return None
        n_s, unit = g.get("n") or "", g.get("unit") or ""
        half = n_s == gr.half
        n = 0 if half else cn_int(n_s)
        if n is None or (n == 0 and not half):
            raise _Drop
        if unit in ("日", "天", "自然日"):
            day = ref + dt.timedelta(days=n)
        elif unit == "工作日":
            day = _add_workdays(ref, n)
        elif unit in ("周", "星期"):
            day = ref + dt.timedelta(days=7 * n)
        elif unit == "月":
            day = ref + dt.timedelta(days=15) if half else _add_months(ref, n)
        elif unit == "年":
            day = _add_months(ref, 6 if half else 12 * n)
        elif unit == "小时":
            day = ref + dt.timedelta(days=max(1, -(-n // 24)))
        else:
            return None
        rollable = False
    elif c == "plan_end":
        n = cn_int(g.get("fyp") or "")
        if not n:
            return None
        day = dt.date(1955 + 5 * n, 12, 31)  # the 6th plan (1981-85) onwards
        explicit = True
    elif c == "weekday":
        if ref is None:
            return None
        # 周天 is 周日; a week named without its day (下周, 本周内) ends on its Sunday
        wd = "一二三四五六日".find(g["wd"]) if g.get("wd") else 6
        if wd < 0:
            wd = 6
        monday = ref - dt.timedelta(days=ref.weekday())
        if g.get("wrel") == "下":
            monday += dt.timedelta(days=7)
        day = monday + dt.timedelta(days=wd)
        if day < ref:
            day += dt.timedelta(days=7)
        rollable = False
    elif c in ("holiday", "next_holiday"):
        if ref is None:
            return None
        # 节前 names no holiday: the first of the year's holidays after the document's date is the one meant.
        names = ((g.get("hol"), g.get("hol2")) if c == "holiday"
                 else (*gr.fixed_holidays, *gr.lunar_holidays))
        days = [d for d in (_holiday_eve(name, ref, gr) for name in names) if d]
        if not days:
            return None
        day = min(days)
        rollable = False
    else:
        return None
    if ref is not None and day < ref:
        # The year is the document's unless the words say 明年: a date already past when the document
        # was written reports what was done (已于6月完成) and is not a deadline. Only a document of
        # the year's last quarter reaches into the first half of the next (a December notice's
        # 三月底前 is next March: winter-spring campaigns span the turn of the year).
        if explicit or not rollable or not (ref.month >= ROLL_FROM_MONTH and day.month <= ROLL_TO_MONTH):
            raise _Drop
        try:
            day = day.replace(year=day.year + 1)
        except ValueError:  # 29 February
            day = day.replace(year=day.year + 1, day=28)
    return day


def _holiday_eve(name: str | None, ref: dt.date, gr: _Grammar) -> dt.date | None:
    """The day before the first occurrence of holiday ``name`` after ``ref``."""
    if not name:
        return None
    if name in gr.fixed_holidays:
        mm, dd = (int(x) for x in gr.fixed_holidays[name].split("-"))
        for year in (ref.year, ref.year + 1):
            day = dt.date(year, mm, dd)
            if day > ref:
                return day - dt.timedelta(days=1)
        return None
    if name in gr.lunar_holidays:
        table, offset = gr.lunar_holidays[name]
        tab = gr.lunar_tables.get(table, {})
        for year in (ref.year, ref.year + 1):
            base = tab.get(year)
            if base is None:
                continue
            day = base + dt.timedelta(days=offset)
            if day > ref:
                return day - dt.timedelta(days=1)
    return None


# ---------------------------------------------------------------- scanning


def _as_date(ref) -> dt.date | None:
    if ref is None:
        return None
    if isinstance(ref, dt.datetime):
        return ref.date()
    if isinstance(ref, dt.date):
        return ref
    if isinstance(ref, str):
        try:
            return dt.date.fromisoformat(ref[:10])
        except ValueError:
            return None
    return None


_TITLE = re.compile(r"《[^《》]{1,80}》")


def _scan(sentence: str, ref: dt.date | None) -> list[tuple[int, Deadline]]:
    """(rank, deadline) for every expression of ``sentence``, in order."""
    if not sentence:
        return []
    gr = _grammar()
    norm = lexicon.simplify(sentence).translate(_FULLWIDTH)  # same length: offsets hold
    out: list[tuple[int, Deadline]] = []
    # A time inside a document's title (按照《…关于常态化开展…的通知》要求) names that document, not
    # when this task is due.
    titles = [t.span() for t in _TITLE.finditer(norm)] if "《" in norm else []
    for m in gr.regex.finditer(norm):
        rule = gr.rules[int(m.lastgroup[1:])]
        start, end = m.span()
        if start == end or any(a < start and end < b for a, b in titles):
            continue
        kind = rule.kind
        if kind == "none":          # a campaign named, not carried out: no deadline here
            continue
        iso = None
        if kind == "date":
            g = {s: m.group(full) for full, s in rule.groups if m.group(full) is not None}
            try:
                day = _compute(rule, g, m.group(), ref, gr)
            except _Drop:
                continue
            iso = day.isoformat() if day else None
        rank = gr.rank.get(rule.rank or kind, 9)
        if kind == "date" and rule.rank is None and not _END_MARK.match(norm, end - 1):
            # 一季度排查发现…，确保5月底前: the date that ends the task (…前, …底) is the sentence's
            # own deadline; a bare period (一季度, 4月中旬 of a range) says when something happens.
            rank = gr.rank.get("date_unmarked", rank)
        if rule.carried and gr.carried.search(_clause_before(norm, start, gr.carried_window)):
            # 深入推进安全生产治本攻坚三年行动，常态化开展…: the campaign carried out is the task itself,
            # not a span framing it, so it ranks with a rota and the earlier of the two wins.
            rank = gr.rank.get("campaign_carried", rank)
        if kind == "immediate" and gr.cond.search(_clause_before(norm, start, gr.cond_window, "。；")):
            rank = gr.rank.get("conditional_immediate", rank)
        out.append((rank, Deadline(sentence[start:end], kind, iso, start, end)))
    if not out and "期" in norm and (m := gr.opening_span.search(norm)):
        # 交通管制期间，严禁…; 在此期间，禁止…: a clause that opens on the span it is about holds for that span. Read
        # only where nothing else is, since the pattern can start at any character and would slow the one
        # combined scan every sentence goes through.
        start, end = m.span("span")
        out.append((gr.rank.get("period", 9), Deadline(sentence[start:end], "period", None, start, end)))
    return out


def _clause_before(norm: str, start: int, window: int, stops: str = "，,。；") -> str:
    """At most ``window`` characters before ``start``, not reaching back past any of ``stops``
    (a clause's end; a conditional reads back past commas, to its sentence's start)."""
    before = norm[max(0, start - window) : start]
    cut = max(before.rfind(c) for c in stops)
    return before[cut + 1 :] if cut >= 0 else before


def find_deadlines(sentence: str, ref_date: dt.date | None) -> list[Deadline]:
    """Every time expression of ``sentence`` that can be a deadline, in order."""
    return [d for _, d in _scan(sentence, _as_date(ref_date))]


def find_deadline(sentence: str, ref_date: dt.date | None, context: str | tuple[str, ...] = "") -> Deadline | None:
    """The deadline of one directive sentence, or None.

    ``ref_date`` is the meeting date (else the publication date) of the document.
    Several expressions: the best ``[rank]`` wins, ties go to the earliest.
    ``context`` (the heading or lead-in the sentence stands under, or several
    headings, nearest first) is read only when the sentence itself has no
    expression, and only for a computable kind ``date`` (a plan's phase heading
    such as 部署发动（2021年12月10日前）, also above an item heading of its own:
    （一）宣传动员阶段（6月1日—6月5日） > 1. 启动仪式); the nearest heading that
    gives one wins. Such a deadline has ``start == end == -1``.
    """
    ref = _as_date(ref_date)
    found = _scan(sentence, ref)
    if found:
        return min(found, key=lambda rd: (rd[0], rd[1].start))[1]
    for heading in ((context,) if isinstance(context, str) else context):
        if heading and (dated := _context_date(heading, ref)) is not None:
            return dated
    return None


@lru_cache(maxsize=1024)
def _context_date(context: str, ref: dt.date | None) -> Deadline | None:
    """The date a heading or lead-in gives the sentences under it (read once per heading: every
    sentence of a plan's stage asks for it)."""
    ranks = _grammar().rank
    top = {ranks.get("date", 0), ranks.get("date_unmarked", ranks.get("date", 0))}
    dates = [d for r, d in _scan(context, ref) if d.kind == "date" and r in top]
    if dates:
        d = dates[-1]
        return Deadline(d.text, d.kind, d.date, -1, -1)
    return None
