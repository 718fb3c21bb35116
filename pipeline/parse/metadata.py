"""Document metadata: title, dates, place, level, speaker, meeting, kind.

Sources in order of trust: the page's own <meta> (gov.cn CMS), the info line
(发布时间：… 来源：…), then the text (——2026年2月3日在…会议上, 6月11日,…, the
signature date of a notice). Cue words are data in ``models/metadata.toml``.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from ..resources import import_jieba, load_toml
from . import kind_model
from .clean import PIECE_PREFIX

CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "0": 0, "０": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
FULL_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*[-年/.]\s*(?P<m>\d{1,2})\s*[-月/.]\s*(?P<d>\d{1,2})\s*日?")
CN_FULL_DATE = re.compile(r"(?P<y>[〇零○OＯ0０一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,3})月(?P<d>[一二三四五六七八九十]{1,3})日")
# The issuer that signs a notice, alone on its line or before the date (南岭市人民政府办公室 2023年5月8日).
ISSUER_NAME = re.compile(r"^[\u4e00-\u9fa5（）()]{2,40}")
# A lead short enough to pass for an info line (8月25日，2025年全区…会议召开。).
SHORT_LEAD = re.compile(r"^\W{0,3}\d{1,2}\s*月\s*\d{1,2}\s*日[^。]{0,40}(?:召开|举行|举办)")
MONTH_DAY = re.compile(r"(?<![\d年])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
# A year written in a news lead (…召开2021年第一次全体会议), when nothing else dates the page.
LEAD_YEAR = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)")
# What a year follows when the page sums it up (总结全国2020年…工作): the year before the meeting.
REVIEWED = re.compile(r"(?:总结|回顾)[^，。；,;]{0,6}$")
# A page's info line (索引号: … 发文日期: 2022-11-30, 来源: 日期: 2023-12-07): not a lead.
# Labels of a page's publication date, at the start of a line or inside an info line.
PUBLISHED_WORDS = "(?:发布时间|发表时间|发布日期|刊发日期|生成日期|更新时间|时间|日期)"
INFO_DATE = re.compile(PUBLISHED_WORDS + r"[：:](\S{8,19})")
# An index table whose labels stand without a colon (公开目录 通知公告 发布日期 2022-03-24; [ 发布日期 ] 2020-12-03;
# 发布日期 | 2022-08-26; 索引号 …/2020-00067 文号 生成日期 2020-06-30): only these labels, and a full date right after them.
INFO_DATE_BARE = re.compile(r"(?:发布日期|发布时间|成文日期|发文日期|生成日期)[\]】|｜]*(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)")
INFO_LINE = re.compile(r"^\s*\S{1,6}\s*[：:]|(?:发布|发文|成文)日期|浏览[量次]")
# A document-sharing site's info line: the file's size, pages or downloads beside its upload date
# (阅读 106 下载 8 大小 29.69K 总页数 13 页 2025-06-22 / 3.0 文字搬运工 2024-12-24 4 4 53.44KB 4 页): the
# page's date when the document gives none of its own.
SHARED_FILE_DATE = re.compile(r"(?=.*(?:\d\s*[KM]B?\b|总页数|下载\s*\d)).*?((?:19|20)\d{2}-\d{1,2}-\d{1,2})")
PUBLISHED_LABEL = re.compile("^" + PUBLISHED_WORDS + r"\s*[：:|｜]\s*(.*)$")   # 生成日期 | 2022-08-26 in a disclosure table
ISSUED_LABEL = re.compile(r"^成文日期\s*[：:]\s*(.*)$")
NAME = r"[\u4e00-\u9fa5]{2,3}"


def _official(role_re: str, verbs: str) -> re.Pattern[str]:
    """A role, an official's name and what they did (县委常委、副县长（常务）肖全财主持召开…)."""
    return re.compile(rf"(?<!总)(?P<role>{role_re})(?:[（(]常务[）)])?\s*(?P<name>{NAME}?)(?:同志)?\s*(?:{verbs})")


@lru_cache(maxsize=1)
def _config() -> dict[str, Any]:
    data = load_toml("metadata.toml")
    roles = sorted(data["roles"], key=len, reverse=True)
    role_re = "(?:" + "|".join(map(re.escape, roles)) + ")"
    suffixes = sorted(data["levels"], key=len, reverse=True)
    return {
        "kinds": [(k["kind"], re.compile(k["pattern"])) for k in data["kind"]],
        "body_kind": [(k, re.compile(p, re.M)) for k, p in data["body_kind"]],
        "plan_sections": re.compile(data["plan_sections"]),
        "plan_sections_min": int(data["plan_sections_min"]),
        "plan_articles": re.compile(data["plan_articles"]),
        "plan_lines": re.compile(data["plan_lines"]),
        "minutes_title": re.compile(data["minutes_title"]),
        "issued_by_notice": re.compile(data["issued_by_notice"]),
        "plan_lines_min": int(data["plan_lines_min"]),
        "actor_re": _official(role_re, data["actor_verbs"]),
        "chair_re": _official(role_re, data["chair_verbs"]),
        "far_speaker_re": _official(role_re, data["far_speech_verbs"]),
        "name_says": re.compile(r"^(?:最后[，,]?|会上[，,]?)?(?P<name>[\u4e00-\u9fa5]{2,3}?)(?:同志)?(?:在讲话中|在会上)?(?:强调|要求|指出)[，,：:]"),
        "role_re": role_re,
        "name_role_says": re.compile(rf"(?:^|(?<=[，,。：:；\s]))(?P<name>{NAME}?)(?P<role>{role_re})(?:同志)?"
                                     rf"(?:在讲话中|在会上)?{data['name_role_verbs']}"),
        "speaker_re": _official(role_re, data["speech_verbs"]),
        "chair_label": re.compile(data["chair_label"]),
        "surnames": frozenset(data["surnames"]),
        "role_line": re.compile(rf"^(?P<role>[\u4e00-\u9fa5]{{0,12}}?{role_re})$"),
        "role_name_line": re.compile(rf"^(?P<role>[\u4e00-\u9fa5]{{0,12}}?{role_re})\s+(?P<name>[\u4e00-\u9fa5](?:\s?[\u4e00-\u9fa5]){{1,2}})$"),
        "name_at_meeting": re.compile(rf"^(?P<name>{NAME})在[^，。]{{4,50}}上(?:强调|指出|讲话|要求)"),
        # (the role may follow its government's place: 万载县县长助理程淑兰在…上的讲话)
        "title_role": re.compile(rf"^(?:[\u4e00-\u9fa5]{{2,8}}?(?:省|市|县|区|州|旗|镇|乡))?(?P<role>{role_re})"
                                 rf"(?P<name>{NAME})?(?:同志)?在"),
        # The official who convenes the meeting a lead reports (组织部部长邓小兰在县行政中心召开…调度会，副县长…主持会议).
        "convener_re": re.compile(rf"(?P<role>{role_re})(?P<name>{NAME}?)(?:同志)?在[^，,。；;]{{2,30}}?(?:主持)?召开"),
        # 陈雷在…会商会上的讲话 / 黄玉治局长在…会议上的讲话: a speech's title that opens with its speaker's name.
        "title_name": re.compile(rf"^(?P<name>{NAME}?)(?P<role>{role_re})?(?:同志)?在[^，,。]{{2,60}}?上的?"
                                 rf"(?:讲话|发言|致辞|总结讲话)"),
        "name_at": re.compile(rf"^(?P<name>{NAME}?)(?:同志)?在(?=.{{4}})"),   # …'s name before a meeting's
        "meetings": [re.compile(p) for p in data["meeting_patterns"]],
        "meeting_holder": re.compile(data["meeting_holder"]),
        "meeting_speaker_prefix": re.compile(rf"^[\u4e00-\u9fa5]{{0,8}}?{role_re}(?:[\u4e00-\u9fa5]{{0,3}}?在|(?=[\dxX×]{{2,4}}年))"),
        "meeting_not_name": re.compile(data["meeting_not_name"]),
        "speech_title": re.compile(next(k["pattern"] for k in data["kind"] if k["kind"] == "speech")),
        "levels": data["levels"],
        "suffix_re": re.compile("(?:" + "|".join(map(re.escape, suffixes)) + ")$"),
        "scope_words": data["scope_words"],
        "scope_events": re.compile("|".join(data["scope"]["events"])),
        "not_places": set(data["place"]["not_places"]),
        "not_place_end": re.compile("(?:" + "|".join(data["place"]["not_place_endings"]) + ")$"),
        "not_place_descriptor": re.compile(data["place"]["not_place_descriptor"]),
        "national": re.compile(data["place"]["national_title"]),
        "province_addressee": re.compile(data["place"]["province_addressee"]),
        "signer_end": re.compile(data["signer_endings"]),
    }


def _valid(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _cn_number(text: str) -> int:
    if len(text) == 4 and all(c in CN_DIGITS for c in text):
        return int("".join(str(CN_DIGITS[c]) for c in text))
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + CN_DIGITS[text[1]]
    if text.endswith("十"):
        return CN_DIGITS[text[0]] * 10
    if "十" in text:
        a, b = text.split("十")
        return CN_DIGITS[a] * 10 + CN_DIGITS[b]
    return CN_DIGITS.get(text, 0)


def parse_date(text: str) -> str | None:
    """The first full date in ``text`` (2021-06-12, 2021年6月12日, 二〇〇四年一月十六日)."""
    m = FULL_DATE.search(text)
    if m:
        return _valid(int(m["y"]), int(m["m"]), int(m["d"]))
    m = CN_FULL_DATE.search(text)
    if m:
        return _valid(_cn_number(m["y"]), _cn_number(m["m"]), _cn_number(m["d"]))
    return None


# A forum post's stamp (利辛快讯 发表于 2020-1-29 08:47:34), and a short line that holds a date with its clock time
# (0 2022-08-04 10:16:22 / 苗苗看课程文化 2025-04-05 07:48:36): when the page was posted, never a date its text tells.
# A post's stamp (发表于 2016-7-29 08:16:19), and a document site's line for it (- 2021-04-22 发布).
POSTED = re.compile(r"(?:发表于|发布于)\s*((?:19|20)\d{2}-\d{1,2}-\d{1,2})|^[-·•]?\s*((?:19|20)\d{2}-\d{1,2}-\d{1,2})\s*发布$")
STAMPED = re.compile(r"((?:19|20)\d{2}-\d{1,2}-\d{1,2})\s+\d{1,2}:\d{2}")


def find_published(raw_lines: list[str], html_meta: dict[str, str]) -> str | None:
    """The page's publication date: <meta PubDate>, an info line, a date line at the top, or a post's
    stamp."""
    if html_meta.get("published"):
        got = parse_date(html_meta["published"])
        if got:
            return got
    head = raw_lines[:25]
    for i, line in enumerate(head):
        flat = line.replace(" ", "")
        m = PUBLISHED_LABEL.match(flat)
        if m:
            got = parse_date(m.group(1)) or (parse_date(head[i + 1]) if i + 1 < len(head) else None)
            if got:
                return got
    for line in head:
        if len(line) <= 80 and re.match(r"^(来源|作者|稿源)", line.replace(" ", "")) and parse_date(line):
            return parse_date(line)
    # The label inside a longer info line (发布人: 来 源: 时 间:2024-04-23 收藏 / 【打印】 发布时间:…).
    for line in head:
        flat = line.replace(" ", "").replace("\u3000", "")
        m = (INFO_DATE.search(flat) or INFO_DATE_BARE.search(flat)) if len(flat) <= 100 else None
        if m and parse_date(m.group(1)):
            return parse_date(m.group(1))
    for line in head:
        m = SHARED_FILE_DATE.match(line) if len(line) <= 100 else None
        if m and parse_date(m.group(1)):
            return parse_date(m.group(1))
    for line in head[:8]:
        # (a span, 2025年6月1日至6月30日 under 二、活动时间, is a plan's schedule, not the page's stamp)
        if (len(line) <= 60 and (m := FULL_DATE.match(line.strip())) and not re.search(r"[在上]\S*会", line)
                and not DATE_SPAN_TAIL.match(line.strip()[m.end():])):
            got = parse_date(line)
            if got:
                return got
    for line in head:
        m = POSTED.search(line.strip()) or (STAMPED.search(line) if len(line) <= 60 else None)
        stamp = m and next(g for g in m.groups() if g)
        if stamp and parse_date(stamp):
            return parse_date(stamp)
    return None


TITLE_YEAR = re.compile(r"^(?P<y>(?:19|20)\d{2})年")
# A news lead's day run into the page's info line (…作者:常映红 本报讯9月21日上午，市…): a month and day right after
# a wire mark or a sentence's start, followed by the time of day or a comma.
RUN_IN_LEAD_DAY = re.compile(r"(?:讯|[。，,；])\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日(?:上午|下午|晚上?)?[，,]")
# A lead's full date after its purpose clause (为…，切实保障…安全，2025年9月25日至26日，西秀区民政局…): after a
# comma, the span's end day allowed.
LEAD_AFTER_PURPOSE = re.compile(r"(?<=[，,])\s*(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日(?:至\d{1,2}日)?(?=(?:上午|下午|晚上?)?[，,])")
# A page's stamp, its date with the clock time (2024-09-26 10:22:28 文章来源:…), that a lead may be run into.
PAGE_STAMP = re.compile(r"\s*(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?")
# What follows the first date of a span (…至6月30日, —4月30日): the line schedules work, it dates nothing.
DATE_SPAN_TAIL = re.compile(r"\s*(?:\d{1,2}\s*时\s*)?(?:起\s*)?(?:至|到|—+|－|~|～|-)\s*(?:(?:19|20)\d{2}\s*年\s*)?\d{1,2}\s*[月日号]")


def page_year(paragraphs: list[str]) -> int | None:
    """The latest year the page's opening writes (对2013年全国安全生产工作做了部署, 2018年…安全生产月):
    a meeting reviews the year behind it and plans its own, so the latest is the meeting's, and a year it
    sums up (总结全国2020年森林草原防灭火工作) is the one behind it. Read only when nothing nearer dates a lead
    that gives month and day alone."""
    years = [int(m["y"]) + (1 if REVIEWED.search(p[max(0, m.start() - 8):m.start()]) else 0)
             for p in paragraphs for m in LEAD_YEAR.finditer(p)]
    return max(years) if years else None


def _lead_day(month_day: re.Match[str], published_on: dt.date | None, fallback_year: int | None) -> str | None:
    """The month and day a lead gives (group ``m`` and ``d``) in the year the page was published, the year
    before when the month is later than the publication's; without a publication date, in ``fallback_year``."""
    month, day = int(month_day["m"]), int(month_day["d"])
    if published_on is not None:
        year = published_on.year if month <= published_on.month else published_on.year - 1
    else:
        year = fallback_year
    return _valid(year, month, day) if year else None


def find_date(paragraphs: list[str], raw_lines: list[str], published: str | None,
              title: str | None = None, kind: str | None = None) -> str | None:
    """The meeting or issuing date the document gives, else the publication date. A notice is dated where it
    signs itself: a day its opening names (10月15日，榆林市…发生一起…) is what it reports, not its date."""
    for line in raw_lines[:40]:
        m = ISSUED_LABEL.match(line.replace(" ", ""))
        if m and parse_date(m.group(1)):
            return parse_date(m.group(1))
    # （2024年2月26日） under a speech's title
    for para in paragraphs[:5]:
        if re.fullmatch(r"[（(]\s*\S{8,16}\s*[)）]", para.strip()) and parse_date(para):
            return parse_date(para)
    # …常务副县长 王文深(二〇〇四年七月七日) 同志们：… where a page ran the title, speaker and date into one line
    for para in paragraphs[:2]:
        for m in re.finditer(r"[（(]\s*([\d〇零○OＯ０一二三四五六七八九十年月日]{8,16})\s*[)）]", para[:200]):
            if got := parse_date(m.group(1)):
                return got
    # ——2026年2月3日在…会议上 (a report or speech's dateline; ----2025年1月15日龚正市长在…会议的政府工作报告)
    for para in paragraphs[:8]:
        if len(para) <= 80 and re.search(r"在.{2,40}(会议|大会|会)(上|的)", para):
            got = parse_date(para)
            if got:
                return got
    # 6月11日，… in the lead of a news item: the year from the publication date, else from a year the
    # title names (2024年县安委会第三次全体会议召开 / 9月29日，…), else the latest the lead itself writes
    # (2月5日，县安委会召开2021年第一次全体会议), else the latest of the page's opening (page_year).
    # The lead is the first long paragraph that is not the page's info line (索引号 … 发文日期).
    opening = TITLE_YEAR.match(title.strip()) if title else None
    title_year = int(opening["y"]) if opening else None
    pub = dt.date.fromisoformat(published) if published else None
    for para in paragraphs[:12]:
        if INFO_LINE.search(para[:40]) and kind != "notice" and (run_in := RUN_IN_LEAD_DAY.search(para, 20, 200)):
            # 刊发日期:2018-09-26 阅读次数: 作者:… 本报讯9月21日上午，…: the lead run into the page's info line
            if got := _lead_day(run_in, pub, title_year):
                return got
        if (len(para) < 30 and not SHORT_LEAD.match(para)) or INFO_LINE.search(para[:40]):
            continue
        full = FULL_DATE.search(para[:40])          # 本报讯（记者…）2023年12月28日，…召开
        # (a date with its clock time, 2024-09-26 10:22:28 文章来源:…, is the page's stamp: the lead follows it)
        if not (full and re.match(r"(?:上午|下午|晚上?)?[，,\s]", para[full.end():full.end() + 3])
                and not PAGE_STAMP.match(para, full.start())):
            full = LEAD_AFTER_PURPOSE.search(para[:160]) if kind != "notice" else None
        if full:
            got = _valid(int(full["y"]), int(full["m"]), int(full["d"]))
            if got:
                return got
        stamp = PAGE_STAMP.match(para)
        skip = stamp.end() if stamp else 0       # the page's stamp the lead was run into
        m = MONTH_DAY.search(para, skip, skip + 100) if kind != "notice" else None
        if (m and not FULL_DATE.search(para[skip: m.end()]) and not re.match(r"[前底起至到以]", para[m.end():m.end() + 1])):
            if pub is None and stamp is not None and (stamped := parse_date(stamp.group(0))):
                pub = dt.date.fromisoformat(stamped)   # the stamp dates the page: the lead's year
            fallback = None if pub else title_year or page_year([para[m.end():m.end() + 80]]) or page_year(paragraphs[:6])
            if got := _lead_day(m, pub, fallback):
                return got
        break
    # The signature date at the end of a notice (the cleaner may have taken it for a date line).
    for para in _closing_lines(paragraphs, raw_lines):
        # 2017年10月4日, or the issuer and the date on one line (南岭市人民政府安全生产委员会办公室 2023年5月8日)
        span = (m := FULL_DATE.search(para)) is not None and DATE_SPAN_TAIL.match(para[m.end():]) is not None
        if not span and (len(para) <= 20 or (len(para) <= 50 and _signed_with_date(para))):
            got = parse_date(para)
            if got:
                return got
    return _signature_date(raw_lines) or published


def _signature_date(lines: list[str]) -> str | None:
    """The date under the issuer's signature where it stands mid-page (before the plan a notice issues,
    above the site's 来源 line): a line naming an issuing body, then a line that is a date alone. Read
    from the lines as the page gives them: the cleaner may take the date line for furniture or join it."""
    signer_end = _config()["signer_end"]
    for above, line in zip(lines, lines[1:]):
        above, line = above.strip(), line.strip()
        if (4 <= len(above) <= 40 and ISSUER_NAME.fullmatch(above) and signer_end.search(above)
                and len(line) <= 20 and (FULL_DATE.fullmatch(line) or CN_FULL_DATE.fullmatch(line))):
            got = parse_date(line)
            if got:
                return got
    return None


def find_kind(title: str | None, paragraphs: list[str]) -> str:
    """The kind the rules read; where they find no cue, the kind the trained model reads
    (``kind_model.py``), and ``other`` only when no model was trained."""
    kind = rule_kind(title, paragraphs)
    if kind == "other" and (model := kind_model.load_kind_model()) is not None:
        return model.kind(title, paragraphs)
    return kind


def rule_kind(title: str | None, paragraphs: list[str]) -> str:
    """The kind the rules of ``models/metadata.toml`` read from the title and the body's opening, or
    ``other`` when none fires."""
    from .textnorm import analysis_form

    cfg = _config()
    title = analysis_form(title) if title else title
    opening = "\n".join(paragraphs[:3])
    if title:
        for kind, pattern in cfg["kinds"]:
            if pattern.search(title):
                # A plan's page that opens with the notice issuing it (…现印发给你们) is that notice.
                return "notice" if kind == "plan" and cfg["issued_by_notice"].search(opening) else kind
    for kind, pattern in cfg["body_kind"]:
        if pattern.search(opening):
            # A news lead's pattern read in a plan's opening (组织调研组…调研) is no news.
            return "plan" if kind == "news" and _has_plan_lines(paragraphs) else kind
    if _has_plan_lines(paragraphs):
        return "plan"
    # A plan met halfway: its section headings (一、工作目标 … 三、工作步骤) tell what it is.
    # (a heading opens its paragraph: its first characters are all the pattern reads)
    sections = {m.group(0) for p in paragraphs if (m := cfg["plan_sections"].match(analysis_form(p.strip()[:16])))}
    articles = {m.group(0) for p in paragraphs if (m := cfg["plan_articles"].match(p.strip()[:8]))}
    if len(sections) >= cfg["plan_sections_min"] or len(articles) >= cfg["plan_sections_min"]:
        return "plan"
    return "other"


def _has_plan_lines(paragraphs: list[str]) -> bool:
    """A plan met halfway by its lines: at least ``plan_lines_min`` items that name who answers for them
    and by when, or stages with their dates. The paragraphs are in the analysis form already
    (``extract_metadata`` is handed them so): no paragraph is converted again."""
    cfg = _config()
    found = 0
    for para in paragraphs:
        if cfg["plan_lines"].search(para):
            found += 1
            if found >= cfg["plan_lines_min"]:
                return True
    return False


# (A clause's words are no name: 一是镇党委…, 这次会议是市委…, 现将省政府办公厅《…》转发给你们: six pages of
# five draws open so.)
TITLE_PLACE = re.compile(
    r"^(?!现将)(?:\d{4}年)?(?:[\u4e00-\u9fa5]{2,7}?(?:省|自治区|市)){0,2}?(?P<p>(?:(?![在的全我本各于和与及长是这])[\u4e00-\u9fa5]){2,5}?(?:自治区|省|市|区|县|旗|州|镇|乡|街道)|(?![在的全我本各于和与及长该是这])[\u4e00-\u9fa5]县)"
    r"(?=\d{4}年|人民政府|政府|党委|应急|住建|住房|公安|交通|教育|市场|水利|水务|自然资源|卫健|民政|城管|气象|文旅|关于|召开|举行|举办|开展|启动|组织|安全|消防|防汛|排查|检查|督导|督查|部署|整治|推进|强化|加强|全力|扎实|深入|持续|多措并举|压实|聚焦|狠抓|做好|落实|(?:常务)?副?[省市区县州镇乡]长|[党人委“])"
)
UPPER_ORDER = re.compile(r"(?:根据|按照|依据)[^，,。；;]{2,40}?(?:安排部署|部署|要求|安排|通知|精神)[，,]")
ISSUED_TITLE = re.compile(r"^(?:关于)?印发《")
SUFFIX_ONLY = {"省", "市", "区", "县", "旗", "州", "镇", "乡", "街道", "自治区", "自治州", "自治县"}
PARTY_PREFIX = re.compile(r"^(?:中共|中国共产党)")
ETHNIC_ONLY = re.compile(r"^(?:[\u4e00-\u9fa5]{1,3}族)+自治(?:县|州|旗)$")


def _place_candidates(text: str) -> list[str]:
    """Place names in ``text``: jieba place words ending in an administrative suffix."""
    import_jieba()
    import jieba.posseg as pseg

    cfg = _config()
    out: list[str] = []
    m = TITLE_PLACE.match(text)
    if m is None and (issued := ISSUED_TITLE.match(text)):
        # 关于印发《杨津庄镇防汛工作方案》的通知: the document a notice issues is its own, and that title opens
        # with the place as a title does (a forwarded one, 转发《…》, is another government's).
        m = TITLE_PLACE.match(text[issued.end():])
    # 中共泰安市委…: the party committee's prefix is not part of the place.
    titled = PARTY_PREFIX.sub("", m["p"]) if m else ""
    if m and len(titled) >= 2 and titled not in SUFFIX_ONLY and titled not in cfg["not_places"] \
            and not cfg["not_place_descriptor"].match(titled) and not cfg["not_place_end"].search(titled) \
            and not re.match(r"^(全|我|本|各|该)", titled):
        out.append(titled)
    # Every candidate below is a piece of the text ending in an administrative suffix: a text without
    # one need not be tagged (jieba's tagger was a tenth of the parse time).
    if not any(suffix in text for suffix in cfg["levels"]):
        return out
    words = [(w, f) for w, f in pseg.cut(text)]
    for i, (w, flag) in enumerate(words):
        nxt = words[i + 1][0] if i + 1 < len(words) else ""
        # A place word, or a place told by its side of town (城北 + 镇: jieba tags 城北 a locative), before
        # an administrative suffix.
        if nxt in SUFFIX_ONLY and (flag == "ns" or (flag == "s" and nxt in ("镇", "乡", "街道"))):
            cand = w + nxt
        elif flag in ("ns", "nt") or (flag == "n" and not w.endswith("区")):
            # (a common noun of jieba's dictionary that ends in 区 names a zone, 责任区, 住宅区, 办公区, not
            # a district: districts it knows are place words)
            cand = re.sub(r"(人民政府|政府|党委|人大|政协)$", "", w)
        else:
            continue
        if ETHNIC_ONLY.match(cand) and i > 0 and re.fullmatch(r"[\u4e00-\u9fa5]{2,4}", words[i - 1][0]):
            cand = words[i - 1][0] + cand   # 大化 + 瑶族自治县: an autonomous county is named by its place first
        if (len(cand) >= 3 and cfg["suffix_re"].search(cand) and cand not in cfg["not_places"]
                and not cfg["not_place_end"].search(cand) and not cfg["not_place_descriptor"].match(cand)
                and not re.match(r"^(全|我|本|各|该|每|两|多|这|那)", cand)
                and not nxt.startswith(("长", "委")) and not any(cand in o for o in out)):
            # (a word of a name already found is no place of its own: 未央湖街道, then jieba's 湖 + 街道)
            out.append(cand)
    return out


def _is_person(name: str | None, after_role: bool = False) -> bool:
    """Is ``name`` a person's name? jieba's tag decides; a name written right after an official's role
    and before what they did (市长高键主持召开…) needs only to open with a common surname (``surnames``
    in ``models/metadata.toml``): jieba reads many given names as common nouns."""
    import_jieba()
    import jieba.posseg as pseg

    if not name:
        return False
    first = next(iter(pseg.cut(name)), None)
    if bool(first) and first.flag.startswith("nr"):
        return True
    # Only before speaking or chairing (强调, 主持召开 …): the verbs of an activity also follow adverbs
    # that open with a surname's character (全程督导, 严格检查).
    return after_role and 2 <= len(name) <= 3 and name[0] in _config()["surnames"]


def _level_of_place(place: str) -> str | None:
    for suffix, level in sorted(_config()["levels"].items(), key=lambda kv: -len(kv[0])):
        if place.endswith(suffix):
            return level
    return None


# A news lead names its place as the subject that holds the meeting (梅溪镇召开…, 近日，南岭县举行…).
# The place name holds no 在/的/于 (县应急管理局在城区召开 names no place); the lead may open with a long
# purpose clause (为认真贯彻落实…，高陵区组织召开了…).
LEAD_PLACE = re.compile(r"^(?:[^。；]{0,120}[，,]\s*)?(?P<p>(?:(?![在的于和与及])[\u4e00-\u9fa5]){2,8}?(?:自治县|县|市|区|旗|镇|乡|街道))"
                        r"(?:于[^，。；]{2,16}?)?(?:在[^，。；]{2,24})?(?:召开|举行|组织召开|紧急召开)")
# …, 7月9日下午，刘桥镇召开… / 1月8日，仪陇县永乐镇在…组织召开…: the body after the lead's date holds
# the meeting (of a chain county → town, the town).
# A lead's date (a span's end day allowed: 9月25日至26日) and the government it opens with, the one above it allowed.
DATED_GOVERNMENT = (r"(?:\d{1,2}\s*月\s*\d{1,2}\s*日(?:至\d{1,2}日)?(?:上午|下午|晚上?)?|近日|日前)[，,\s]*"
                    r"(?:[\u4e00-\u9fa5]{2,8}?(?:自治县|县|市|区|旗))?"
                    r"(?P<p>[\u4e00-\u9fa5]{2,8}?(?:自治县|县|市|区|旗|镇|乡|街道))")
DATED_PLACE = re.compile(DATED_GOVERNMENT + r"(?:人民政府|政府|党委)?"
                         r"(?:在[^，。；]{2,24})?(?:紧急)?(?:组织[^，。；]{0,30}?)?(?:召开|举行|召集)")
# …, 6月8日，大文乡联合乡派出所…开展… / 近日，学府街道持续开展…: a lead that reports no meeting opens, after its
# date, with the government (or its bureau, 西秀区民政局联合…) that acts.
DATED_ACTOR = re.compile(DATED_GOVERNMENT + r"(?:[\u4e00-\u9fa5]{0,8}?(?:局|委|办|所|队|中心|站))?"
                         r"(?:联合|持续|组织|开展|深入|启动|集中|全面|扎实|积极|迅速|及时|专门)")
# The place of the body that publishes a page (来源：南岭县融媒体中心 / 发布机构：青川县应急管理局).
SOURCE_LINE = re.compile(r"(?:来源|发布机构|发文机关|信息来源|信息发布人|发布单位|稿源|主办|主办单位)\s*[：:]\s*(?P<src>[\u4e00-\u9fa5]{3,30})"
                         r"|^(?P<owner>[\u4e00-\u9fa5]{3,30}?)(?:网站)?版权所有")
SOURCE_PLACE = re.compile(r"^(?P<p>[\u4e00-\u9fa5]{2,8}?(?:自治县|县|市|区|旗|镇|乡|街道)|[\u4e00-\u9fa5]县)"
                          r"(?=人民政府|政府|融媒体|新闻|党委|委|人大|政协|办公室|[\u4e00-\u9fa5]{0,8}(?:局|中心|委员会|办))")
# 我县/本市 in a lead: the page speaks for the place of the body that publishes it.
OWN_PLACE = re.compile(r"(?:我|本)(?P<s>县|市|区|镇|乡|旗)")


def _closing_lines(paragraphs: list[str], raw_lines: list[str]) -> list[str]:
    """Where a notice signs and dates itself: its last paragraphs, then its last raw lines, last first."""
    return [x.strip() for x in list(reversed(paragraphs[-4:])) + list(reversed(raw_lines[-8:]))]


def _signed_with_date(line: str) -> bool:
    """The issuer and the date on one line (南岭市人民政府办公室 2023年5月8日)."""
    m = ISSUER_NAME.match(line)
    rest = line[m.end():].strip() if m else ""
    return bool(rest) and bool(FULL_DATE.fullmatch(rest) or CN_FULL_DATE.fullmatch(rest))


def _signature_place(paragraphs: list[str], raw_lines: list[str]) -> str | None:
    """The issuer that signs a notice at its end (南岭市人民政府 / 2023年5月8日), when the title names none."""
    not_places = _config()["not_places"]
    for line in _closing_lines(paragraphs, raw_lines):
        if 4 <= len(line) <= 45 and (ISSUER_NAME.fullmatch(line) or _signed_with_date(line)):
            m = SOURCE_PLACE.match(line)
            if m and m["p"] not in not_places:
                return m["p"]
    return None


# An issuer written as the place alone (万盛青年镇, 施甸县酒房乡).
PLACE_ONLY = re.compile(r"^(?P<p>[\u4e00-\u9fa5]{2,12}?(?:自治县|县|市|区|旗|镇|乡|街道))$")
# The issuing body in a disclosure page's index table (发布机构: 贵驷街道办事处 / [ 发布机构 ] 万盛青年镇).
ISSUER_FIELD = re.compile(r"(?:发布机构|发文机关|制定机关)[\]】|｜:：]*(?P<src>[\u4e00-\u9fa5]{3,30})")


def _issuer_place(raw_lines: list[str]) -> str | None:
    """The place of the body a disclosure page names as its issuer, when the text names none of its own."""
    for line in raw_lines[:25]:
        m = ISSUER_FIELD.search(line.replace(" ", ""))
        if m:
            place = SOURCE_PLACE.match(m["src"]) or PLACE_ONLY.match(m["src"])
            if place and place["p"] not in _config()["not_places"]:
                return place["p"]
    return None


def _source_place(raw_lines: list[str], paragraphs: list[str]) -> str | None:
    """The publishing body's place, when the lead speaks of 我县/本市 of the same level."""
    lead = "".join(paragraphs[:3])
    own = OWN_PLACE.search(lead)
    if not own:
        return None
    # The source line under the title, or the site's footer (主办：眉县人民政府办公室 / …网站版权所有).
    for line in raw_lines[:25] + raw_lines[-25:]:
        m = SOURCE_LINE.search(line.replace(" ", ""))
        if m:
            place = SOURCE_PLACE.match(m["src"] or m["owner"])
            if place and place["p"].endswith(own["s"]) and place["p"] not in _config()["not_places"]:
                return place["p"]
    return None


# A place written with the places above it (青山省南岭市, 青川县石门乡, 东湖区梅溪镇): the government is the last.
PLACE_CHAIN = re.compile(r"^(?:[\u4e00-\u9fa5]{2,8}?(?:省|自治区|市|自治州|州|地区|盟|县|区|旗))+"
                         r"(?P<last>[\u4e00-\u9fa5]{2,8}?(?:市|县|区|旗|镇|乡|街道))$")


def _most_local(place: str | None) -> str | None:
    if not place:
        return place
    m = PLACE_CHAIN.match(place)
    if not m or m["last"] in SUFFIX_ONLY:
        return place
    cfg = _config()
    if cfg["not_place_end"].search(m["last"]) or m["last"] in cfg["not_places"]:
        # 上海市住房和城乡(建设管理委员会): a body's name read up to its 乡 is no place; the chain above it is.
        return place[:m.start("last")]
    return m["last"]


def _chain_tail(place: str, found: list[str], text: str) -> str:
    """The last of the places written one after the other from ``place`` on (福建省 → 福建省清流县里田乡 → 里田乡):
    a page that names its government so, with the governments above it, is that government's."""
    seen = {place}
    while (lower := next((x for x in found if x not in seen and place + x in text), None)) is not None:
        place = lower
        seen.add(place)
    return place


def _chain_end(found: list[str], text: str) -> str | None:
    """The most local of places written one after the other (三明市沙县区…, 重庆市梁平区碧山镇…): the chain
    names one government, the last; None when no two are written so."""
    return next((tail for upper in found if (tail := _chain_tail(upper, found, text)) != upper), None)


def find_place(title: str | None, meeting: str | None, paragraphs: list[str],
               raw_lines: list[str] | None = None) -> str | None:
    """A place named in the title or meeting; else the lead's (梅溪镇召开…, or 我县 and the page's
    source); else the first in the body at the document's own level. Written with the places above
    it, the most local is the government's."""
    return _most_local(_find_place(title, meeting, paragraphs, raw_lines))


def _find_place(title: str | None, meeting: str | None, paragraphs: list[str],
                raw_lines: list[str] | None = None) -> str | None:
    cfg = _config()
    if title and cfg["national"].search(_without_events(title)):
        return None
    for text in (title or "", meeting or ""):
        found = _place_candidates(text)
        if found:
            return _chain_end(found, text) or (found[-1] if len(found) > 1 and "关于" not in text else found[0])
    for para in paragraphs[:3]:
        m = LEAD_PLACE.match(para) or DATED_PLACE.search(para[:200]) or DATED_ACTOR.search(para[:200])
        if (m and m["p"] not in cfg["not_places"] and not re.match(r"^(全|我|本|各|该)", m["p"])
                and not cfg["not_place_descriptor"].match(m["p"])):
            return m["p"]
    signed = _signature_place(paragraphs, raw_lines or [])
    if signed:
        return signed
    own = _source_place(raw_lines or [], paragraphs)
    if own:
        return own
    issuer = _issuer_place(raw_lines or [])
    if issuer:
        return issuer
    scope = _page_scope(title, meeting, paragraphs)
    # The opening of each paragraph is where a place stands (tagging whole paragraphs of a long report
    # was a third of its parse time).
    for para in paragraphs[:12]:
        # 根据运城市护路中心安排部署，临猗县护路办…: the government whose order the page follows is not its own.
        text = UPPER_ORDER.sub("", para[:160])
        found = _place_candidates(text)
        for place in found:
            if scope is None:
                return _chain_tail(place, found, text)
            if _level_of_place(place) == scope:
                return place
    if scope == "省":
        return _province_of_named_city(title, paragraphs)
    return None


def _province_of_named_city(title: str | None, paragraphs: list[str]) -> str | None:
    """A province's page that names no province but one of its cities (全省…现场会在渭南市召开, a provincial
    notice on a fire in 荆州市) speaks for the province the city lies in (``models/places.toml``)."""
    from ..places import first_city_province, province_name

    # Title and paragraphs are the analysis form already (extract_metadata is handed them so).
    key = first_city_province((title or "") + "\n" + "\n".join(p[:160] for p in paragraphs[:12]))
    return province_name(key) if key else None


def _without_events(text: str | None) -> str:
    """``text`` with the events named after the country taken out (全国两会): they say nothing of the page's
    level."""
    return _config()["scope_events"].sub("", text) if text else ""


def _page_scope(title: str | None, meeting: str | None, paragraphs: list[str]) -> str | None:
    """The level a page speaks at. 我县/本市 in the title or meeting is the page's own government and wins
    over the scope of a meeting it reports (我县组织收看全省…视频会 is a county's page); then 全省/县委…
    there; then 我县 at the start of the lead (6月20日上午，我县组织收听收看了…)."""
    cfg = _config()
    head = _without_events(title) + _without_events(meeting)
    own = OWN_PLACE.search(head)
    if own and own["s"] in cfg["levels"]:
        return cfg["levels"][own["s"]]
    scope = next((lvl for word, lvl in cfg["scope_words"].items() if word in head), None)
    if scope:
        return scope
    own = OWN_PLACE.search(paragraphs[0][:40]) if paragraphs else None
    if own:
        return cfg["levels"].get(own["s"])
    # A notice to the bodies under a province (各市、州、县人民政府，省政府各部门：) is the province's.
    for para in paragraphs[:2]:
        line = para.strip()
        if line.endswith(("：", ":")) and cfg["province_addressee"].match(line):
            return "省"
    return None


SELF_WORDS = re.compile(r"^[我本全](?!国)")   # 我镇, 本县, 全区 … (全国 names the country, not the page)


def find_level(place: str | None, title: str | None, meeting: str | None, paragraphs: list[str]) -> str | None:
    cfg = _config()
    if place and _level_of_place(place):
        return _level_of_place(place)
    if title and cfg["national"].search(_without_events(title)):
        return "国家"
    scope = _page_scope(title, meeting, paragraphs)
    if scope:
        return scope
    text = _without_events("\n".join(paragraphs[:30]))
    # The level spoken of most; on a tie the more local one (a county's page names 全国 in passing,
    # a national one seldom speaks of 县委). A page that speaks of itself (我镇, 全镇, 本县) is read by
    # those words alone: the bodies above it it cites (国务院, 省委) are not its level.
    local_first = ("街道", "乡镇", "区", "县", "市", "省", "国家")
    counts = {word: text.count(word) for word in cfg["scope_words"]}   # each word counted once
    for self_only in (True, False):
        by_level: dict[str, int] = {}
        for word, level in cfg["scope_words"].items():
            if not self_only or SELF_WORDS.match(word):
                by_level[level] = by_level.get(level, 0) + counts[word]
        best = max(by_level, key=lambda lv: (by_level[lv], -local_first.index(lv)), default=None)
        if best is not None and by_level[best]:
            return best
    return None


def find_speaker(title: str | None, paragraphs: list[str]) -> tuple[str | None, str | None]:
    """(speaker, speaker_role) from the title, a dateline or the lead of a news item."""
    cfg = _config()
    role = name = None
    if title:
        m = cfg["title_role"].match(title)
        if m:
            role, name = m["role"], m["name"]
        elif (m := cfg["title_name"].match(title)) and _is_person(m["name"]):
            role, name = m["role"], m["name"]
    for para in paragraphs[:3]:
        m = cfg["convener_re"].search(para[:300])
        if m and _is_person(m["name"], after_role=True):
            return m["name"], m["role"]
    for n, para in enumerate(paragraphs[:8]):
        m = cfg["role_name_line"].match(para.strip())
        if m:
            return m["name"].replace(" ", ""), m["role"]
        # 国务院总理 / 李克强: the role and the name on lines of their own under the dateline.
        m = cfg["role_line"].match(para.strip())
        following = paragraphs[n + 1].strip() if n + 1 < len(paragraphs) else ""
        person = re.sub(r"\s", "", following)   # 李 强
        if m and len(following) <= 5 and re.fullmatch(NAME, person) and _is_person(person):
            return person, m["role"]
        m = cfg["speaker_re"].search(para[:300])
        if m and _is_person(m["name"], after_role=True):
            return m["name"], m["role"]
        # 会议主持人： / 赵治文: a meeting page's chair, its label and the name on lines of their own.
        if cfg["chair_label"].match(para.strip()) and re.fullmatch(NAME, person) and _is_person(person):
            return person, None
    for para in paragraphs[:4]:
        m = cfg["name_at_meeting"].match(para)
        if m and _is_person(m["name"]):
            return m["name"], role
    if name:
        return name, role
    # A paragraph opening with an official's name and what they asked (毛崇谋要求，…), the name
    # introduced with a role in the lead; else whoever chaired.
    lead = "".join(paragraphs[:3])
    # The name may open a sentence inside a paragraph too (会议现场 会上，廖延广指出：…).
    openings = (x.strip() for para in paragraphs[:8] for x in re.split(r"(?<=[。！？])|\s{1,}", para))
    for opening in openings:
        m = cfg["name_says"].match(opening)
        if m:
            named = re.search(rf"(?P<role>{cfg['role_re']})(?:[（(]常务[）)])?\s*{m['name']}", lead)
            if named:
                return m["name"], named["role"]
    # The name before the role (赵明镇长召集…, 最后，周平主任要求…): a deputy only when no principal speaks.
    said = [m for para in paragraphs[:8] for m in cfg["name_role_says"].finditer(para) if _is_person(m["name"])]
    if said:
        m = next((m for m in said if not m["role"].startswith("副")), said[0])
        return m["name"], m["role"]
    # The words reported further on in the sentence (镇长王坚对…讲了三点意见): a deputy only when no principal speaks.
    far = [m for para in paragraphs[:8] for m in cfg["far_speaker_re"].finditer(para) if _is_person(m["name"], after_role=True)]
    if far:
        m = next((m for m in far if not m["role"].startswith("副")), far[0])
        return m["name"], m["role"]
    for para in paragraphs[:3]:
        m = cfg["chair_re"].search(para[:300])
        if m and _is_person(m["name"], after_role=True):
            return m["name"], m["role"]
    # No meeting: the official whose activity the page reports (副县长胥勋雷带领… / …杨保军到企业…调研).
    for text in ([title] if title else []) + paragraphs[:2]:
        m = cfg["actor_re"].search(text[:200])
        if m and _is_person(m["name"]):   # (its verbs follow adverbs too: 副县长全程督导检查)
            return m["name"], m["role"]
    return None, role


def find_meeting(title: str | None, paragraphs: list[str]) -> str | None:
    cfg = _config()
    # Short paragraphs whole; of the long ones only the lead's start (■ 昨日，全市…推进会召开，…), last:
    # the rest of a long paragraph speaks of other meetings (贯彻…在…会议上的讲话精神).
    lead = next((p[:200] for p in paragraphs[:6] if len(p) > 300), None)
    texts = ([title] if title else []) + [p for p in paragraphs[:6] if len(p) <= 300] + ([lead] if lead else [])
    # A speech's title (在…会议上的讲话) names the meeting it was given at, before the body names any other
    # it mentions (…在4月23日的市政府常务会议上…): every pattern is tried on that title first. A news
    # headline shortens the name the lead gives: there each pattern is tried on all texts in turn.
    speech_title = bool(title and cfg["speech_title"].search(title))
    order = ([(pattern, 0) for pattern in cfg["meetings"]] if speech_title else []) + \
        [(pattern, n) for pattern in cfg["meetings"] for n in range(1 if speech_title else 0, len(texts))]
    for pattern, n in order:
        m = pattern.search(texts[n])
        if not m:
            continue
        meeting = _clean_meeting(m["m"])
        if not meeting:
            continue
        holder = cfg["meeting_holder"].search(texts[n][max(0, m.start("m") - 20):m.start("m")])
        if re.match(r"(?:\d{4}年)?第", meeting) and holder:
            meeting = holder["h"] + meeting
        if title and n == 0:
            # A headline shortens the name its lead gives in full (召开全县安全生产…调度会).
            fuller = [_clean_meeting(f["m"]) for t in texts[1:] for p in cfg["meetings"] for f in p.finditer(t)]
            meeting = next((f for f in fuller if f and meeting in f and len(f) <= len(meeting) + 8), meeting)
        return meeting
    return None


def _watched(meeting: str, title: str | None, paragraphs: list[str]) -> bool:
    from .textnorm import analysis_form

    lead = analysis_form((title or "") + "\n" + "\n".join(paragraphs[:2]))
    return re.search(r"收听收看了?\s*" + re.escape(analysis_form(meeting)), lead) is not None


def _clean_meeting(name: str) -> str:
    """The meeting's name without what a sentence wraps it in: a date (4月23日的…), the speaker before 在
    or a year (市长在交通联席会, 交通局局长XX年春运工作会议), a demonstrative (这次…会议), the page's own
    government (我县, 本区), a template's placeholder year; a description of who attended (这次由…参加的会议) is
    no name."""
    cfg = _config()
    name = re.sub(r"^[——\-\s]*(?:(?:\d{4}年)?\d{1,2}月\d{1,2}日的?)?", "", name).strip()
    name = cfg["meeting_speaker_prefix"].sub("", name)
    if (m := cfg["name_at"].match(name)) and _is_person(m["name"]):
        name = name[m.end():]   # 陈雷在国家防总…会商会: the speaker's name before 在 opens no meeting's name
    name = re.sub(r"^(?:这次|此次|本次|今天的?|这个|这一|在)", "", name)
    # A 范文 page's piece counter (第1篇 煤矿安全生产会议) and a title's stray 关于 (关于全市…电视电话会议上的讲话)
    # open no meeting's name (关于…的专题会议 is a name: its 关于 stays).
    name = re.sub(r"^关于(?=[^的]{4,}$)", "", PIECE_PREFIX.sub("", name))
    name = re.sub(r"^(?:我|本)(?:省|市|县|区|州|镇|乡|街道)(?=.{4})", "", name)   # 我县防汛紧急会商会议: the guide leaves 我县 out
    name = re.sub(r"^(?:20)?[xX×]{2}年", "", name)   # a template's placeholder year (XX年春运工作会议)
    if name[:1] in "“\"" and not any(q in name[1:] for q in "”\""):
        name = name[1:]   # 今天召开的“全县森林防火工作会议”: the quote the name stands in opens no part of it
    return "" if cfg["meeting_not_name"].search(name) else name


def extract_metadata(title: str | None, paragraphs: list[str], raw_lines: list[str],
                     html_meta: dict[str, str] | None = None) -> dict[str, Any]:
    """The ``meta`` object of the extract contract."""
    html_meta = html_meta or {}
    published = find_published(raw_lines, html_meta)
    from .textnorm import analysis_form

    meeting = find_meeting(title, paragraphs)
    # A meeting the page's government watched (我区收听收看了全国…电视会议) is another level's: it names
    # the meeting, not the place or level of the page.
    own_meeting = None if meeting and _watched(meeting, title, paragraphs) else meeting
    place = find_place(analysis_form(title) if title else title, own_meeting, paragraphs, raw_lines)
    kind = find_kind(title, paragraphs)
    # A notice or a plan is issued by a body: no one speaks it (annotation guide: speaker null), and a
    # plan is given at no meeting.
    # Minutes (会议纪要, 会议记录) are a notice that records a meeting: its chair and its name stand.
    minutes = bool(title) and _config()["minutes_title"].search(title) is not None
    speaker, role = find_speaker(title, paragraphs) if kind not in ("notice", "plan") or minutes else (None, None)
    if kind == "plan":
        meeting = None
    return {
        "title": title,
        "date": find_date(paragraphs, raw_lines, published, title, kind),
        "published": published,
        "place": place,
        "level": find_level(place, title, own_meeting, paragraphs),
        "speaker": speaker,
        "speaker_role": role,
        "meeting": meeting,
        "kind": kind,
    }
