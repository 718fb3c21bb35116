"""Cleaning as a chain of small steps: lines in, body paragraphs out.

Each step takes the lines and returns the lines (and what it learned), so a
step can be tested alone and switched off when a source does not need it.
The furniture patterns are data (``models/boilerplate.toml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .boilerplate import is_spam, rules
from .outline import toc_blocks
from .textnorm import CJK, analysis_form

SENTENCE_END = "。！？；!?;…"
CLOSERS = "”’」』）)】》\"'"
OUTLINE_START = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、)）](?!\d)"
    r"|[一二三四五六七八九十]+是|[一二三四五六七八九十]要|第[一二三四五六七八九十]+[，,、]|首先|其次|再次|最后|【)"
)
# A section numbered as converted plans number them, with no mark after the number (1总则, 4预防和预警机制,
# 4.2.1编制年度…方案), or a chapter or article of rules (第一章 总则, 第八条): the body has begun, no title
# follows (not 2024年…, 3月…, 1号…).
NUMBERED_SECTION = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2}){0,3}\s*(?![年月日号届期次个项条])[\u4e00-\u9fff]|第[一二三四五六七八九十百]+[章节条])")
SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u3000\ufeff]+")
# Zero-width characters left by web editors: a line of only U+200B read as a heading.
ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060]")
DOC_SHARE = re.compile(r"由会员分享|可在线阅读|文库|范文网")
PAGE_MARK = re.compile(r"^\d{1,3}、")
ISSUER_BANNER = re.compile(r"^\S{2,30}文件$")
ISSUER_LINE = re.compile(r"^\S{2,24}(委员会|人民政府|政府|办公室|局|厅|委|办|部)$")
# A document number (安委会〔2024〕2号, as re-typed 安委会[2024]2号 or 【2024】): never the title.
DOC_YEAR = r"[〔\[［【(（]\d{4}[〕\]］】)）]"
DOC_NUMBER_LINE = re.compile(rf"^\S{{1,14}}{DOC_YEAR}\d+号$")
RUN_IN_TITLE = re.compile(r"^(?P<t>[^\s。，,；;：:！？]{6,60}?(?:讲话稿|讲话|发言稿|发言|致辞|主持词))\s+(?=\S{4})")
PAGE_SUFFIX = re.compile(r"\s*[（(]?第\s*\d{1,3}\s*页[）)]?$")
# A site's column label before a title in book-title marks (政策|《葫芦岛市…实施方案》): the title is inside.
COLUMN_LABEL = re.compile(r"^[^|｜《》]{1,6}\s*[|｜]\s*《([^《》]{4,78})》$")
PIECE_PREFIX = re.compile(r"^第[一二三四五六七八九十\d]{1,3}篇(?:\s*[:：]\s*|\s+)")   # a 范文 page's 第一篇：… / 第1篇 …
REVISION_NOTE = re.compile(r"(?<=[知告案法定])[（(]\d{4}年?(?:修订|修正|版)[）)]$")
LABEL_PREFIX = re.compile(r"^【[^】]{2,8}】\s*(\S[^【】]{5,80})$")
# A 范文 page's title in brackets with its text run on after it (【某区消防大队春节活动安排计划】为营造… /
# 【学校消防应急演练总结讲话】各位老师、同学们：…): the bracket holds the title (two tune pages of two draws).
BRACKETED_TITLE = re.compile(r"^【(?P<t>[^【】]{6,60})】\s*(?=\S)")
# A gov.cn index table's 标题：/名称： field, or a re-post's 原标题：… line (at the top or at the foot of the article):
# the document's own title. (A list's bullet may stand before the field.)
TITLE_LABEL = re.compile(r"^[-·•]?(?:标题|名称|原标题)[：:](.*)$")
BREADCRUMB_SEP = re.compile(r"^[>＞›»]+$")
DOC_NUMBER_TAIL = re.compile(rf"\s*[-—–_]?\s*[^\s《》“”\-—–_]{{2,14}}{DOC_YEAR}\d+号$")
# … and before it (渭安办发〔2021〕88号 关于…的通知 / …〔2020〕1号-柳城县…的通知 / 琼府办〔2018〕48号《…的通知》): the
# title is what follows, out of its book-title marks when they hold all of it (关于印发《…方案》 keeps its own).
DOC_NUMBER_HEAD = re.compile(rf"^[\u4e00-\u9fa5]{{1,12}}{DOC_YEAR}\d{{1,5}}号[-—_:：\s]*(?:《(?P<quoted>.{{6,}})》|(?P<title>.{{6,}}))$")
# A late title (late_title): looked for in the first lines only, without sentence marks, and without the
# number of a site's list entry (1. …方案).
LATE_TITLE_LINES = 12
# A 范文 page's title over its first piece (校车交通安全整治工作方案 篇1, 消防火灾讲话稿(汇总16篇)篇一): the piece's mark is no
# part of the title; the count of the pieces gathered, or the piece's number written onto it (…年终工作总结1), is the
# page's own heading and stays (four tune pages of four draws; 讲话稿, 发言稿 and 致辞 end a title as 讲话 does).
PIECE_MARK = re.compile(r"\s*篇\s*[一二三四五六七八九十\d]{1,3}$")
PIECE_COUNT = re.compile(r"(?:[（(][^（）()]{0,8}\d{1,3}篇[）)]|(?<=[\u4e00-\u9fff])\d{1,2})$")
TITLE_PUNCT = re.compile(r"[，,。；;：:！？!?、]")
LIST_NUMBER = re.compile(r"^\d{1,2}[.．、]\s*")
TITLE_END = re.compile(r"(通知|通报|意见|方案|预案|细则|讲话|讲话稿|发言稿|致辞|报告|决定|办法|规定|函|要点|规划|计划|总结|批复|纪要|公告|通告|倡议书|告知书)$")
# A page flattened into one line that opens with a document's title, set off by a space before its number
# or its addressees (…地质灾害监测预防工作的紧急通知 泸市府函(2008)83号 各区、县人民政府…).
RUN_IN_DOCUMENT_TITLE = re.compile(r"^(?P<t>[^\s。，,；;：:！？]{6,100}?(?:通知|通报|意见|方案|预案|通告|公告|决定))\s+(?=\S{4})")
RUN_IN_NUMBER = re.compile(rf"^(\S{{1,14}}{DOC_YEAR}\d+号)\s*")
# …without the space: a notice's 关于…的通知 run straight into its number or its addressees
# (关于开展…工作的通知建安办函〔2017〕3号各省、自治区…: / 关于印发《…方案》的通知镇直各部门、各村党组织:),
# two tune pages of two draws. A sentence that cites a notice (根据…《关于…的通知》, 现将…) opens otherwise.
RUN_IN_NOTICE_TITLE = re.compile(
    r"^(?P<t>(?!根据|按照|现将|为了|为进一步|依据|依照|贯彻)[^\s。，,；;：:！？《》]{0,30}?关于[^\s。；;：:！？]{4,90}?的(?:紧急)?(?:通知|通报|意见|决定|函|批复))"
    rf"(?=\S{{1,14}}{DOC_YEAR}\d+号|[^。：:\s]{{2,150}}[：:])")
RUN_IN_ADDRESSEES = re.compile(r"^([^。：:\s]{2,150}[：:])\s*")
# A site's column before the title (政策解读：…方案).
COLUMN_PREFIX = re.compile(r"^(?:政策解读|图文解读|文字解读|解读|转载|原创)\s*[：:]\s*")
FILE_TITLE = re.compile(r"^(\S{1,60})\.(docx?|pdf|wps|pptx?)$")
# The dateline under a report's or speech's title (——2026年1月28日在…会议上, ----2025年1月15日…会议的…):
# a line of its own, never continued by the speaker's line or 各位代表：.
DATELINE = re.compile(r"^(?:[—\-－]{2,}|[（(])\s*\d{4}年\d{1,2}月\d{1,2}日.{0,50}?(?:会议|大会|会)(?:上|的)")
# A labelled field on a line of its own (出席：…, 列席：…, 抄送：…, 联系人：…, 责任单位：…): a record, never the
# continuation of the line before it, however long that line is.
FIELD_LINE = re.compile(r"^[\u4e00-\u9fff]{2,6}[：:]")


@dataclass
class CleanText:
    paragraphs: list[str]
    title: str | None = None
    partial: bool = False
    no_body: bool = False
    removed: list[str] = field(default_factory=list)


# A table row as the readers give it (a DOCX row's cells joined by tabs) or as a page shows it (cells
# between | marks): its cells stay apart in the body, so a task, its responsible unit and its time limit
# are not run together into one sentence (pipeline/extract/tables.py reads them). A reader's row is
# written with " │ " between its cells: a line of short items between | is a site's menu (furniture).
CELL_TABS = re.compile(r"[ \u3000]*\t+[ \u3000]*")
CELL_MARK = " │ "
TABLE_ROW = re.compile(r"(?:^|\s)[|│](?:\s|$)")


def _cells_marked(line: str) -> str:
    """A line whose inner tabs part two or more cells, written with ``CELL_MARK`` between them."""
    cells = [c for c in CELL_TABS.split(line.strip(" \t\u3000")) if c.strip()]
    return CELL_MARK.join(cells) if len(cells) >= 2 else line


def is_table_row(line: str) -> bool:
    return TABLE_ROW.search(line) is not None


WRAPPED_YEAR = re.compile(r"(?:19|20)\d{2}")


def split_lines(text: str) -> list[str]:
    """Lines with white space runs folded and ends stripped; empty lines dropped."""
    out = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = ZERO_WIDTH.sub("", line)
        if "\t" in line.strip(" \t\u3000"):
            line = _cells_marked(line)
        line = SPACES.sub(" ", line).strip()
        if line and out and line.startswith("年") and WRAPPED_YEAR.fullmatch(out[-1]):
            # 2019 / 年村安全生产会发言稿: a year the page wrapped away from its 年 (a title, a date).
            out[-1] += line
        elif line:
            out.append(line)
    return out


def ends_sentence(line: str) -> bool:
    stripped = line.rstrip(CLOSERS + " ")
    if len(stripped) >= 2 and stripped[-1] == "." and "\u4e00" <= stripped[-2] <= "\u9fff":
        return True   # ASCII full stop after Chinese text
    return bool(stripped) and stripped[-1] in SENTENCE_END


def is_prose(line: str) -> bool:
    """A line that reads as body text rather than a menu entry or a label."""
    return len(line) >= 30 and len(re.findall(r"[。，；！？,;]", line)) >= 2


SENTENCE_PIECE = re.compile(r"[^。！？!?]*[。！？!?]+|[^。！？!?]+$")


def without_doc_number(title: str | None) -> str | None:
    """The title without the document number a site writes before it (渭安办发〔2021〕88号 关于…的通知)."""
    m = DOC_NUMBER_HEAD.match(title.strip()) if title else None
    return (m.group("quoted") or m.group("title")).strip() if m else title


def blurb_title(lines: list[str]) -> str | None:
    """The document a 范文 site's blurb names near the top (小编为大家整理的…讲话，供大家参考), for a page that
    shows no title of its own."""
    pattern = rules().blurb_title
    for line in lines[:8]:
        m = pattern.search(line)
        if m:
            return m.group("title").strip()
    return None


def strip_blurb(line: str) -> str:
    """``line`` without the sentences of a 范文 site's blurb (下面是小编为大家整理的…，仅供参考。)."""
    pattern = rules().blurb
    return "".join(p for p in SENTENCE_PIECE.findall(line) if not pattern.search(analysis_form(p).strip())).strip()


def drop_furniture(lines: list[str]) -> tuple[list[str], list[str]]:
    """Remove furniture lines; return (kept, removed)."""
    r = rules()
    kept, removed = [], []
    skip_next = False
    crumb, crumb_at = None, -1      # the last item of a breadcrumb (首页 > 云南要闻): the column's name
    for n, line in enumerate(lines):
        view = analysis_form(line)          # rules are written in simplified characters
        flat = view.replace(" ", "")
        if skip_next:
            skip_next = False
            if len(line) <= 60 and not ends_sentence(line):
                removed.append(line)
                crumb, crumb_at = line, n
                continue
        if line == crumb and n - crumb_at <= 3 and len(line) <= 12:
            removed.append(line)      # the column's name again, as the heading of its page
            continue
        if r.label_with_value_below.search(flat):
            skip_next = True
            removed.append(line)
            continue
        if BREADCRUMB_SEP.match(line):
            # 首页 > 政务信息 > 宁夏要闻, one item a line: the items go with the separators.
            if kept and len(kept[-1]) <= 10 and not ends_sentence(kept[-1]):
                removed.append(kept.pop())
            skip_next = True
            removed.append(line)
            continue
        if r.blurb.search(view):
            # The blurb's sentences go; a page that runs the blurb and the text into one line keeps the text.
            line = strip_blurb(line)
            if not line:
                removed.append(lines[n])
                continue
            view = analysis_form(line)
            flat = view.replace(" ", "")
        if is_spam(view):
            removed.append(line)      # a hijacked mirror's keyword stuffing
            continue
        # A long prose line is never furniture: tested first, as the patterns cost most on long lines.
        if not (is_prose(line) and len(line) > 120) and (r.drop.search(view) or r.drop.search(flat)):
            removed.append(line)
            continue
        kept.append(line)
    return kept, removed


def cut_truncation(lines: list[str]) -> tuple[list[str], bool]:
    """Cut at a pay-wall teaser (预览阅读已结束…); the document is then partial."""
    pattern = rules().truncation
    for i, line in enumerate(lines):
        m = pattern.search(analysis_form(line))
        if m:
            head = line[: m.start()].rstrip(" ,，")
            return lines[:i] + ([head] if len(head) > 10 else []), True
    return lines, False


def drop_repeated_title(lines: list[str], title: str | None) -> list[str]:
    """A page that runs its title into the first line of the text (区应急局…情况汇报2022年，我区…): the title
    is the document's metadata, already taken; the line keeps what follows it. The title written again on a
    line of its own just below (a disclosure page's header block, then the article's own) goes; further down,
    the same words are the text's."""
    if not title or len(title) < 6 or not lines:
        return lines
    flat_title = re.sub(r"\s+", "", title)
    for i, line in enumerate(lines[:TITLE_COPY_REACH]):
        if re.sub(r"\s+", "", line) == flat_title:
            return lines[:i] + lines[i + 1:]
    for i, line in enumerate(lines[:3]):
        if line.startswith(title) and len(line) > len(title) + 1:
            rest = line[len(title):].lstrip(" 　:：，,")
            return lines[:i] + ([rest] if rest else []) + lines[i + 1:]
    return lines


def cut_tail(lines: list[str]) -> list[str]:
    """Drop a page's tail (相关阅读, 责任编辑, 打印本页 …) when no prose follows it."""
    pattern = rules().tail
    for i, line in enumerate(lines):
        if pattern.search(analysis_form(line)):
            before = sum(len(x) for x in lines[:i] if is_prose(x))
            after = sum(len(x) for x in lines[i + 1:] if is_prose(x))
            if after <= 0.1 * before or after == 0:
                return lines[:i]
    return lines


def looks_cut(lines: list[str]) -> bool:
    """An excerpt that stops mid-text (…… at its end, or a 文库 page without its end)."""
    if not lines:
        return False
    last = lines[-1].rstrip()
    return last.endswith(("……", "...", "…")) or not ends_sentence(last) and len(last) > 40


def leading_outline_preview(lines: list[str]) -> int:
    """How many lines a document-sharing site's outline preview (目录/提纲:…… … ……) takes at the top."""
    block = toc_blocks(lines[:20])
    return max(block) + 1 if block and 0 in block else 0


def take_title(lines: list[str], known: str | None) -> tuple[list[str], str | None]:
    """Find the title line(s) near the top, remove them, return the title.

    A title known from the page's metadata is looked for first; else the first
    short line without sentence punctuation (a title split over two or three
    short lines, as gov.cn typesets them, is joined).
    """
    if known:
        known = DOC_NUMBER_TAIL.sub("", known) or known
        key = re.sub(r"\s+", "", known)
        for i, line in enumerate(lines[:12]):
            flat = re.sub(r"\s+", "", line)
            if flat and (flat == key or (len(flat) >= 6 and flat in key and len(flat) >= len(key) * 0.5)):
                return lines[:i] + lines[i + 1:], known.strip()
        # A title typeset over several lines: join the first short ones.
        joined, j = "", 0
        while j < min(len(lines), 5) and len(lines[j]) <= 30 and not ends_sentence(lines[j]):
            joined += lines[j]
            j += 1
            if re.sub(r"\s+", "", joined) == key:
                return lines[j:], known.strip()
        return lines, known.strip()
    preview = leading_outline_preview(lines)
    if preview:
        # 目录/提纲:…… / 一是要… / …… before the title: the preview stays (the outline marks it), the
        # title is looked for after it.
        rest, title = take_title(lines[preview:], None)
        return lines[:preview] + rest, title
    for i, line in enumerate(lines[:6]):
        if (after_label := labelled_document_title(line)) is not None:
            return lines[:i] + lines[i + 1:], after_label
        if ((bracketed := BRACKETED_TITLE.match(line)) and TITLE_END.search(analysis_form(bracketed["t"]))
                and not LABEL_PREFIX.match(line)):
            rest = line[bracketed.end():]
            return lines[:i] + ([rest] if rest else []) + lines[i + 1:], bracketed["t"]
        if line.startswith("【") or ISSUER_BANNER.match(line) or DOC_NUMBER_LINE.match(line):
            continue
        # 青禾区安全生产委员会 / 关于印发…的通知: the issuer on its own line opens the title, whose 关于… part
        # may itself be typeset over two or three lines (关于印发…的 / 通 知).
        # (read in the analysis form: a traditional re-host writes 辦公室 / 關于)
        if i + 1 < len(lines) and ISSUER_LINE.match(analysis_form(line)) and analysis_form(lines[i + 1]).startswith("关于"):
            joined = ""
            for j in range(i + 1, min(i + 4, len(lines))):
                if len(lines[j]) > 40 or ends_sentence(lines[j]):
                    break
                joined += re.sub(r"\s+", "", lines[j])
                if TITLE_END.search(joined):
                    return lines[:i] + lines[j + 1:], line + joined
        if i == 0 and ((len(line) > 150 and (run_in := RUN_IN_DOCUMENT_TITLE.match(line)))
                       or (run_in := RUN_IN_NOTICE_TITLE.match(line))):
            # The number and the addressees that follow the title go back on lines of their own.
            return _run_in_head(line[run_in.end():]) + lines[1:], run_in.group("t")
        if i == 0 and (run_in := RUN_IN_TITLE.match(line)):
            # 交通局局长XX年春运工作会议讲话稿 一是要…: a page flattened into one line opens with its title,
            # set off by a space (and sometimes written twice).
            title = run_in.group("t")
            rest = line[run_in.end():].lstrip()
            if rest.lower().startswith(title.lower()):
                rest = rest[len(title):].lstrip()
            return ([rest] if rest else []) + lines[1:], title
        if (OUTLINE_START.match(line) or NUMBERED_SECTION.match(line) or ends_sentence(line)
                or line.endswith(("：", ":")) or is_table_row(line)):
            break   # (a table's row, its header too, opens the body: no title follows it)
        if len(CJK.findall(line)) < 2:
            continue   # 01/01, a page counter or a stray date: no title is written without words
        if line.startswith(("•", "·", "●", "▪")):
            continue   # • 水处理: a bulleted line is a site's menu item; no title is written behind a bullet
        if 4 <= len(line) <= 80:
            parts, j = [line], i + 1
            # gov.cn typesets a long title over two or three short lines:
            # 国务院办公厅关于… / …事故 / 调查处理情况的通报
            # and 政府工作报 / 告: a title cut anywhere, as long as the lines joined end as a title does.
            if not TITLE_END.search(line) and ("关于" in line or (
                    i + 1 < len(lines) and TITLE_END.search(line + lines[i + 1]) and len(lines[i + 1]) <= 4)):
                while j < len(lines) and len(parts) < 4 and len(lines[j]) <= 30 and not ends_sentence(lines[j]):
                    parts.append(lines[j])
                    j += 1
                    if TITLE_END.search("".join(parts)):
                        break
                if not TITLE_END.search("".join(parts)):
                    parts, j = [line], i + 1
            if (len(CJK.findall("".join(parts))) <= SHORT_LABEL_CHARS and not TITLE_END.search(analysis_form("".join(parts)))
                    and _document_title_below(lines[j:i + 10])):
                continue   # 政府信息公开 / 施甸县人民政府 above …的提醒函: a column or the site, the title below
            title = tidy_title("".join(parts))
            rest = lines[:i] + lines[j:]
            again = _title_written_again(title, rest[i:i + 12])
            if again is not None:
                # 合肥市…专项治理行动-新华网 / 首页讲话发言领导讲话在…会议上的讲话 / …讲话(全文2838字), then the
                # title alone a few lines down: the first was the site's, with its name, path or length; the
                # line that repeats it goes (only it: the same words further down are the text's).
                k = i + again
                return rest[:k] + rest[k + 1:], rest[k].strip()
            return rest, title
    return late_title(lines)


def tidy_title(title: str) -> str:
    """A title line without what a page writes around the document's title."""
    title = re.sub(r"\.(docx?|pdf|wps)$", "", title)
    title = REVISION_NOTE.sub("", title)   # …应急预案的通知(2024修订): the edition, not the title
    title = PIECE_PREFIX.sub("", title) or title
    title = COLUMN_PREFIX.sub("", title) or title
    title = COLUMN_LABEL.sub(r"\1", title) or title   # 政策|《…实施方案》: a column's label and the quotes
    title = PAGE_SUFFIX.sub("", title) or title   # …讲话第2页: a continuation page's number
    return DOC_NUMBER_TAIL.sub("", title) or title


def _run_in_head(rest: str) -> list[str]:
    """What follows a run-in title (its number, its addressees, the text), one line each."""
    head, rest = [], rest.lstrip()
    for part in (RUN_IN_NUMBER, RUN_IN_ADDRESSEES):
        if (m := part.match(rest)) is not None:
            head.append(m.group(1))
            rest = rest[m.end():].lstrip()
    return head + ([rest] if rest else [])


TITLE_COPY_REACH = 4     # lines below the title where a copy of it is the page's header, not its text
SHORT_LABEL_CHARS = 12   # a site's name or a column (施甸县人民政府, 政府信息公开) is short; a headline is longer


def _document_title_below(following: list[str]) -> bool:
    """Whether a document's title (a line without sentence marks that ends as a title does: …的通知, …倡议书,
    …提醒函) stands among the lines below, before the body opens."""
    for line in following:
        flat = re.sub(r"\s+", "", line)
        if OUTLINE_START.match(line) or NUMBERED_SECTION.match(line) or ends_sentence(line) or is_table_row(line):
            return False
        if 8 <= len(CJK.findall(flat)) and len(flat) <= 80 and TITLE_END.search(analysis_form(flat)):
            return True
    return False


def _title_written_again(title: str, following: list[str]) -> int | None:
    """Which of the lines below a title the title holds, the rest of it being the site's (its name after a
    dash, a path from 首页, a length note): that line is the document's own title. An issuer or an edition
    around the line (永嘉县人民政府办公室关于… / …方案(2024—2026年)) is the title's own and keeps it."""
    for n, line in enumerate(following):
        flat = line.strip()
        if (6 <= len(flat) < len(title) and flat in title and len(flat) >= 0.5 * len(title)
                and not ends_sentence(flat) and rules().site_title_part.search(title.replace(flat, "\0", 1))):
            return n
    return None


def late_title(lines: list[str]) -> tuple[list[str], str | None]:
    """A title written a few lines down, below what opens the page: a forwarding notice above the plan
    it forwards (各镇人民政府：… 现印发给你们 / …安全隐患 / 整治工作方案), or a document-sharing site's
    numbered entry (1. …实施方案) above the title written again. Only a line with no sentence mark that
    ends as a title does (方案, 通知 …), or two short lines that do so joined, is taken."""
    for i, line in enumerate(lines[:LATE_TITLE_LINES]):
        if TITLE_PUNCT.search(line) or NUMBERED_SECTION.match(line):
            continue   # (4.2.1编制年度…方案: a section of the body, not its title)
        parts = [LIST_NUMBER.sub("", line)]
        if not TITLE_END.search(analysis_form(parts[0])) and i + 1 < len(lines) and len(line) <= 30 \
                and len(lines[i + 1]) <= 12 and not TITLE_PUNCT.search(lines[i + 1]):
            parts.append(lines[i + 1])
        title = PIECE_MARK.sub("", "".join(parts))
        if len(CJK.findall(title)) >= 6 and len(title) <= 40 and TITLE_END.search(analysis_form(PIECE_COUNT.sub("", title))):
            flat = re.sub(r"\s+", "", title)
            rest = [x for k, x in enumerate(lines)
                    if not (i <= k < i + len(parts)) and not (k < LATE_TITLE_LINES and
                                                              re.sub(r"\s+", "", LIST_NUMBER.sub("", x)) == flat)]
            return rest, title
    return lines, None


def reflow(lines: list[str]) -> list[str]:
    """Join lines broken inside a sentence (PDF or mail line wrapping).

    A line is continued by the next when it does not end a sentence and either
    ends with a comma-like mark, or is long (a paragraph cut mid-word), or the
    document is hard-wrapped (most lines of one width); a next line that opens
    with an outline marker always starts a new paragraph.
    """
    if len(lines) < 2:
        return lines
    widths = sorted(len(x) for x in lines)
    typical = widths[int(len(widths) * 0.8)]
    near = sum(1 for x in lines if typical > 0 and abs(len(x) - typical) <= 2)
    wrapped = len(lines) >= 6 and typical <= 80 and near >= len(lines) * 0.4
    out = [lines[0]]
    chained = False
    for prev, line in zip(lines, lines[1:]):
        joinable = (not ends_sentence(prev) and not OUTLINE_START.match(line) and not FIELD_LINE.match(line)
                    and not prev.endswith(("：", ":"))
                    and not DATELINE.match(prev) and not is_table_row(prev) and not is_table_row(line))
        if joinable and (
            chained
            or prev.endswith(("，", ",", "、", "“", "（", "("))
            or len(prev) >= 60
            or (wrapped and len(prev) >= typical - 2)
            or (len(prev) >= 24 and not OUTLINE_START.match(prev) and "\u4e00" <= prev[-1] <= "\u9fff")
            # an item that already holds whole sentences and stops mid-word (（四）…国民待遇。积极推动加入)
            or ("。" in prev[:-1] and "\u4e00" <= prev[-1] <= "\u9fff")
        ):
            out[-1] += line
            chained = True
        else:
            out.append(line)
            chained = False
    return out


# A space inside a word of running prose (我们必须高 度重视，… / 同时，我们 要利用…): where a document
# viewer's text layer wrapped the line. Read only with a comma or full stop near it: spaces between
# names, labels and menu items (通讯员 陈德慧 实习记者 …) stand far from any.
WRAP_SPACE = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")
WRAP_CONTEXT = 20


def join_wrapped_words(line: str) -> str:
    """The line with the spaces a wrap left inside its prose's words taken out."""
    if " " not in line:
        return line
    return WRAP_SPACE.sub(lambda m: "" if any(c in "，。；,;" for c in line[max(0, m.start() - WRAP_CONTEXT):
                                                                       m.end() + WRAP_CONTEXT]) else " ", line)


def strip_page_marks(lines: list[str], doc_share: bool) -> list[str]:
    """On 文库 pages a page number ("2、") opens each page, often mid-sentence."""
    if not doc_share:
        return lines
    out: list[str] = []
    for line in lines:
        if out and PAGE_MARK.match(line) and not ends_sentence(out[-1]):
            out[-1] += PAGE_MARK.sub("", line, count=1)
        else:
            out.append(line)
    return out


def labelled_title(lines: list[str]) -> str | None:
    """The value of a 标题：/名称： field in a gov.cn index table, if any."""
    for i, line in enumerate(lines[:40]):
        m = TITLE_LABEL.match(line.replace(" ", ""))
        if m:
            value = m.group(1) or (lines[i + 1] if i + 1 < len(lines) else "")
            if 4 <= len(value) <= 80:
                return value.strip()
    return None


HEADLINE_REACH = 14       # lines (not blank) from a page's top where its headline and info line stand
HEADLINE_MIN_CJK = 8      # a headline says something; a site's name or a column (政策解读, 泽州县大阳镇) is shorter
HEADLINE_MAX_CHARS = 80


def headline_above_info(lines: list[str]) -> str | None:
    """The headline of a news page: the first of the headline-like lines just above its info line
    (发布时间：… 来源：…), when the body has not begun above it. A text page keeps the site's menu, column label
    or name above the headline, and a headline may end with ！ or ？, so the first short line is not always the
    title; the info line a news site writes under its headline marks it wherever it stands. A subtitle between
    the two (防汛工作紧急部署会议召开 / 未雨绸缪周密部署 压紧压实防汛责任 / 2021-08-25 来源:…) leaves the
    headline first."""
    info = rules().page_info
    block: list[str] = []
    for text in [x.strip() for x in lines if x.strip()][:HEADLINE_REACH]:
        view = analysis_form(text)    # (a traditional re-host writes 來源, 發布日期, and glosses lengthen its lines)
        if info.search(view):
            return block[0] if block else None
        if ends_sentence(text) and len(text) > 30:
            return None   # the body has begun: no headline-and-info block above it
        block = block + [text] if _headline_like(view) else []
    return None


def _headline_like(view: str) -> bool:
    """Whether a line near the top, in its analysis form, could be a headline."""
    return (len(CJK.findall(view)) >= HEADLINE_MIN_CJK and len(view) <= HEADLINE_MAX_CHARS
            and not view.endswith(("。", "：", ":", "；", "…", "...")) and not view.startswith(("—", "-", "－"))
            and not (OUTLINE_START.match(view) and not view.startswith("【"))   # 【落实情况】… is a headline's label
            and not NUMBERED_SECTION.match(view)
            and not ISSUER_LINE.match(view)
            and not any(sep in view for sep in (">", "＞", "»", "›"))
            and not rules().drop.search(view) and not is_spam(view))


def labelled_document_title(line: str) -> str | None:
    """【预警信息】某县防汛抗旱指挥部 关于终止…的通知: the document's title behind a column label, or None (a news
    headline keeps its own label: 【落实情况】…开展联合检查)."""
    labelled = LABEL_PREFIX.match(line)
    after_label = re.sub(r"\s+", "", labelled.group(1)) if labelled else ""
    return after_label if after_label and TITLE_END.search(after_label) else None


def headline_title(headline: str) -> str:
    """A headline as the title: without a column label before a document's title, as ``take_title`` reads it, and
    without a trailing bar of the page's layout."""
    headline = headline.rstrip(" |｜")
    return tidy_title(labelled_document_title(headline) or headline)


def _line_index(lines: list[str], text: str) -> int | None:
    return next((i for i, line in enumerate(lines[:2 * HEADLINE_REACH]) if line.strip() == text), None)


def has_body(lines: list[str]) -> bool:
    prose = sum(len(x) for x in lines if is_prose(x) or (ends_sentence(x) and len(x) >= 15))
    return prose >= rules().min_body_chars


def clean_lines(lines: list[str], known_title: str | None = None, require_body: bool = True) -> CleanText:
    """Run the chain on the lines of one document.

    ``require_body=False`` keeps what is left even when it is too little to be a body on
    its own: the last page of an article split over pages may hold only a paragraph and
    the signature, and is judged with the other pages (:func:`pipeline.parse.document.parse_pages`).
    """
    doc_share = any(DOC_SHARE.search(x) for x in lines[:5])
    known_title = known_title or labelled_title(lines)
    headline = None if known_title else headline_above_info(lines)
    kept = cut_tail(lines)
    kept, removed = drop_furniture(kept)
    kept, partial = cut_truncation(kept)
    at = _line_index(kept, headline) if headline else None
    if at is not None:
        # the lines above a headline are the site's (its name, menu, column): neither title nor text
        kept, title = kept[at + 1:], headline_title(headline)
    else:
        kept, title = take_title(kept, known_title)
    kept = drop_repeated_title(kept, title)
    if title is None:
        title = next((m.group(1) for x in removed if (m := FILE_TITLE.match(x))), None)
    if title is None:
        title = blurb_title(lines)
    title = without_doc_number(title)
    if doc_share and kept:
        kept[0] = PAGE_MARK.sub("", kept[0], count=1)
    kept = strip_page_marks(kept, doc_share)
    # (a table row's spaces part the names of a cell: 党政办 应消站)
    kept = [x if is_table_row(x) else join_wrapped_words(x) for x in reflow(kept)]
    if doc_share and looks_cut(kept):
        partial = True
    if kept and kept[-1].rstrip().endswith(("……", "…")):
        partial = True
    if require_body and not has_body(kept):
        return CleanText(paragraphs=[], title=title, partial=partial, no_body=True, removed=removed + kept)
    return CleanText(paragraphs=kept, title=title, partial=partial, removed=removed)
