"""Charts of the overview page, drawn on the server as inline SVG.

No JavaScript and no chart library: the page's Content-Security-Policy forbids
scripts, and the office's machines may have no network, so the page must be
complete as served. Labels come from document text (units, sectors) and from
corrections typed by people, so every label and every attribute value is
escaped here, whatever the caller passed; only numbers computed here are
written raw. Styling is by presentation attributes and by the classes of
``static/style.css`` (inline ``style`` attributes are blocked by the CSP), with
the status colours of the list page's badges, so a red bar means what a red
badge means. Sizes are in the units of a 1000-wide viewBox, drawn at about
1:1 in the page's 1080-px column (readable at 1280 px and up).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from ..search.overview import STATUS_ORDER, Overview, Row
from ..search.records import STATUS_LABELS

# Status → CSS class of the list's badges (``.badge.overdue`` …) and of the chart segments (``.seg.overdue``).
STATUS_CSS = {"done": "done", "in_progress": "progress", "mentioned": "mentioned", "no_evidence": "none",
              "overdue": "overdue"}
# The same colours as the ``--done`` … ``--overdue`` variables of style.css (a test keeps them equal), as the
# fill attribute: the SVG keeps its colours when saved or printed without the stylesheet.
STATUS_FILL = {"done": "#1e7b3c", "in_progress": "#1d5fa8", "mentioned": "#8a5a00", "no_evidence": "#66707a",
               "overdue": "#b42318"}
INK, MUTED, GRID, ACCENT = "#1f2933", "#6b7785", "#e4e8ec", "#1f4e79"

WIDTH = 1000
FONT = 14                   # labels
SMALL = 12                  # numbers on and beside bars, axis ticks
LABEL_W = 176               # the label column of a horizontal chart
ROW_H, BAR_H = 30, 20
MIN_TEXT_W = 24             # a segment narrower than this shows its number only in its tooltip

Link = Callable[[dict[str, str], "str | None"], str]


@dataclass
class Segment:
    """One coloured part of a bar: the directives of one status, linked to their list."""

    status: str
    count: int
    href: str | None = None
    title: str = ""


@dataclass
class Bar:
    label: str
    href: str | None = None                   # the whole bar's list (every status)
    segments: list[Segment] = field(default_factory=list)
    sublabel: str = ""                        # a second line under a column (the year)
    tip: str = ""                             # the label in tooltips when the drawn one is short (6月 → 2025年6月)

    @property
    def total(self) -> int:
        return sum(s.count for s in self.segments)


def _e(value: object) -> str:
    """Escaped text for an element or a double-quoted attribute."""
    return str(escape(str(value)))


def _em(text: str) -> float:
    """Approximate width of ``text`` in em: CJK and full-width characters 1, others about half."""
    return sum(1.0 if ord(c) > 0x2E7F else 0.55 for c in text)


def fit(text: str, max_em: float) -> str:
    """``text`` cut with an ellipsis so that it fits ``max_em``: a hostile or long label cannot push the chart
    apart (the full label stays in the tooltip)."""
    text = " ".join(text.split())
    if _em(text) <= max_em:
        return text
    out = ""
    for c in text:
        if _em(out + c) > max_em - 1:
            break
        out += c
    return out + "…"


def nice_step(maximum: int, ticks: int = 5) -> int:
    """A round grid step (1, 2, 5 × 10ⁿ) giving about ``ticks`` lines up to ``maximum``."""
    if maximum <= ticks:
        return 1
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if m * power >= raw:
            return int(m * power)
    return int(10 * power)


def _link(href: str | None, inner: str, label: str, count: int | None, cls: str) -> str:
    """``inner`` inside a link to ``href`` (or a plain group without one), with its tooltip and its number."""
    title = f"<title>{_e(label)}</title>"
    if not href:
        return f'<g class="{cls}">{title}{inner}</g>'
    data = f' data-count="{count}"' if count is not None else ""
    return f'<a class="{cls}" href="{_e(href)}" aria-label="{_e(label)}"{data}>{title}{inner}</a>'


def _svg(chart_id: str, title: str, height: float, body: str) -> Markup:
    return Markup(
        f'<svg class="chart" id="{_e(chart_id)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="100%" role="group" aria-labelledby="{_e(chart_id)}-t" font-size="{FONT}">'
        f'<title id="{_e(chart_id)}-t">{_e(title)}</title>{body}</svg>')


def _empty(chart_id: str, title: str) -> Markup:
    return _svg(chart_id, title, 48, f'<text x="{WIDTH / 2:.0f}" y="30" text-anchor="middle" fill="{MUTED}">'
                                     "暂无数据</text>")


def _segment_label(bar: Bar, seg: Segment) -> str:
    return seg.title or f"{bar.tip or bar.label} · {STATUS_LABELS.get(seg.status, seg.status)}：{seg.count} 条"


def hbar_chart(chart_id: str, title: str, bars: Sequence[Bar]) -> Markup:
    """Horizontal bars, one per row, each stacked by status; every segment and every label is a link."""
    if not bars or not any(b.total for b in bars):
        return _empty(chart_id, title)
    top, axis_h, right = 8, 26, 64
    plot_w = WIDTH - LABEL_W - right
    maximum = max(b.total for b in bars)
    step = nice_step(maximum)
    scale_max = math.ceil(maximum / step) * step
    per = plot_w / scale_max
    height = top + ROW_H * len(bars) + axis_h
    parts: list[str] = []
    for k in range(0, scale_max + 1, step):          # grid lines and their numbers
        x = LABEL_W + k * per
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + ROW_H * len(bars)}" stroke="{GRID}"/>'
                     f'<text x="{x:.1f}" y="{height - 8:.0f}" text-anchor="middle" font-size="{SMALL}" '
                     f'fill="{MUTED}">{k}</text>')
    for n, bar in enumerate(bars):
        y = top + n * ROW_H + (ROW_H - BAR_H) / 2
        mid = y + BAR_H / 2 + FONT * 0.35
        label = fit(bar.label, (LABEL_W - 14) / FONT)
        parts.append(_link(bar.href, f'<text x="{LABEL_W - 10}" y="{mid:.1f}" text-anchor="end" fill="{INK}">'
                                     f"{_e(label)}</text>", f"{bar.label}：共 {bar.total} 条", bar.total, "row"))
        x = float(LABEL_W)
        for seg in bar.segments:
            if seg.count <= 0:
                continue
            w = seg.count * per
            inner = (f'<rect class="seg {STATUS_CSS.get(seg.status, "none")}" x="{x:.1f}" y="{y:.1f}" '
                     f'width="{w:.1f}" height="{BAR_H}" fill="{STATUS_FILL.get(seg.status, MUTED)}"/>')
            if w >= MIN_TEXT_W:
                inner += (f'<text x="{x + w / 2:.1f}" y="{mid - 1:.1f}" text-anchor="middle" font-size="{SMALL}" '
                          f'fill="#fff">{seg.count}</text>')
            parts.append(_link(seg.href, inner, _segment_label(bar, seg), seg.count, "bar"))
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{mid - 1:.1f}" font-size="{SMALL}" fill="{INK}" '
                     f'class="total">{bar.total}</text>')
    return _svg(chart_id, title, height, "".join(parts))


def column_chart(chart_id: str, title: str, bars: Sequence[Bar], height: int = 280) -> Markup:
    """Vertical columns in order (months), each stacked by status from the bottom; segments are links."""
    if not bars or not any(b.total for b in bars):
        return _empty(chart_id, title)
    left, right, top, bottom = 44, 12, 22, 46
    plot_h = height - top - bottom
    plot_w = WIDTH - left - right
    maximum = max(b.total for b in bars)
    step = nice_step(maximum, 4)
    scale_max = math.ceil(maximum / step) * step
    per = plot_h / scale_max
    slot = plot_w / len(bars)
    col_w = min(40.0, slot * 0.7)
    base = top + plot_h
    parts: list[str] = []
    for k in range(0, scale_max + 1, step):
        y = base - k * per
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="{GRID}"/>'
                     f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="{SMALL}" '
                     f'fill="{MUTED}">{k}</text>')
    label_em = max(2.0, slot / SMALL)
    for n, bar in enumerate(bars):
        cx = left + slot * (n + 0.5)
        x = cx - col_w / 2
        y = float(base)
        for seg in bar.segments:
            if seg.count <= 0:
                continue
            h = seg.count * per
            y -= h
            inner = (f'<rect class="seg {STATUS_CSS.get(seg.status, "none")}" x="{x:.1f}" y="{y:.1f}" '
                     f'width="{col_w:.1f}" height="{h:.1f}" fill="{STATUS_FILL.get(seg.status, MUTED)}"/>')
            if h >= SMALL + 4 and col_w >= MIN_TEXT_W - 6:
                inner += (f'<text x="{cx:.1f}" y="{y + h / 2 + SMALL * 0.35:.1f}" text-anchor="middle" '
                          f'font-size="{SMALL}" fill="#fff">{seg.count}</text>')
            parts.append(_link(seg.href, inner, _segment_label(bar, seg), seg.count, "bar"))
        if bar.total:
            parts.append(_link(bar.href, f'<text x="{cx:.1f}" y="{y - 5:.1f}" text-anchor="middle" '
                                         f'font-size="{SMALL}" fill="{INK}">{bar.total}</text>',
                               f"{bar.tip or bar.label}：共 {bar.total} 条", bar.total, "row"))
        parts.append(f'<text x="{cx:.1f}" y="{base + 18}" text-anchor="middle" font-size="{SMALL}" fill="{INK}">'
                     f"{_e(fit(bar.label, label_em))}</text>")
        if bar.sublabel:
            parts.append(f'<text x="{cx:.1f}" y="{base + 36}" text-anchor="middle" font-size="{SMALL}" '
                         f'fill="{MUTED}">{_e(fit(bar.sublabel, label_em * 1.6))}</text>')
    return _svg(chart_id, title, height, "".join(parts))


def line_chart(chart_id: str, title: str, points: Sequence[tuple[str, int, str]], height: int = 220,
               colour: str = STATUS_FILL["overdue"]) -> Markup:
    """A line through (label, value, tooltip) points in order, each value written over its dot."""
    if not points:
        return _empty(chart_id, title)
    left, right, top, bottom = 44, 24, 26, 40
    plot_h = height - top - bottom
    plot_w = WIDTH - left - right
    maximum = max(1, max(v for _, v, _ in points))
    step = nice_step(maximum, 4)
    scale_max = math.ceil(maximum / step) * step
    base = top + plot_h
    slot = plot_w / len(points)
    parts: list[str] = []
    for k in range(0, scale_max + 1, step):
        y = base - k * plot_h / scale_max
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="{GRID}"/>'
                     f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="{SMALL}" '
                     f'fill="{MUTED}">{k}</text>')
    xy = [(left + slot * (n + 0.5), base - v * plot_h / scale_max) for n, (_, v, _) in enumerate(points)]
    if len(xy) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5" '
                     'stroke-linejoin="round"/>')
    every = max(1, math.ceil(len(points) / 15))           # at most about 15 date labels
    for n, ((label, value, tip), (x, y)) in enumerate(zip(points, xy)):
        parts.append(f'<g class="point"><title>{_e(tip)}</title>'
                     f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}" stroke="#fff" stroke-width="1.5"/>'
                     f'<text x="{x:.1f}" y="{y - 9:.1f}" text-anchor="middle" font-size="{SMALL}" fill="{INK}">'
                     f"{value}</text></g>")
        if n % every == 0 or n == len(points) - 1:
            parts.append(f'<text x="{x:.1f}" y="{base + 20}" text-anchor="middle" font-size="{SMALL}" '
                         f'fill="{MUTED}">{_e(fit(label, 7))}</text>')
    return _svg(chart_id, title, height, "".join(parts))


def _bars(rows: Sequence[Row], link: Link) -> list[Bar]:
    return [Bar(label=r.label, href=link(r.filters, None),
                segments=[Segment(s, r.counts[s], link(r.filters, s)) for s in STATUS_ORDER if r.counts.get(s)])
            for r in rows]


def overview_charts(ov: Overview, link: Link) -> dict[str, Markup]:
    """The page's charts; ``link(filters, status)`` gives the list address of a bar's directives."""
    statuses = [Bar(label=STATUS_LABELS[s], href=link({}, s),
                    segments=[Segment(s, ov.by_status.get(s, 0), link({}, s),
                                      f"{STATUS_LABELS[s]}：{ov.by_status.get(s, 0)} 条")])
                for s in STATUS_ORDER]
    months = _bars(ov.months, link)
    year = None
    for bar, row in zip(months, ov.months):       # "2025年6月" → "6月" over "2025年" where the year changes
        y, m = row.filters["due_after"][:4], row.filters["due_after"][5:7]
        bar.tip, bar.label, bar.sublabel = row.label, f"{int(m)}月", (f"{y}年" if y != year else "")
        year = y
    trend = [(p.as_of[5:] if len(p.as_of) >= 10 else p.as_of, p.overdue,
              f"{p.as_of}：{p.overdue} 条逾期（{'夜间运行' if p.command != 'track' else '跟踪'} #{p.run_id}）")
             for p in ov.trend]
    if trend and ov.trend[0].as_of[:4] != ov.trend[-1].as_of[:4]:
        trend = [(p.as_of, v, tip) for p, (_, v, tip) in zip(ov.trend, trend)]
    return {
        "status": hbar_chart("chart-status", "各落实状态的督办事项数", statuses),
        "units": hbar_chart("chart-units", "各责任单位的督办事项（按落实状态）", _bars(ov.units, link)),
        "sectors": hbar_chart("chart-sectors", "各领域的督办事项（按落实状态）", _bars(ov.sectors, link)),
        "months": column_chart("chart-months", "各月到期的督办事项（按落实状态）", months),
        "trend": line_chart("chart-trend", "最近各次夜间运行记录的逾期事项数", trend),
    }
