"""One raw document in, one parsed document out: the parse stage's entry point."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .boilerplate import undressed_title
from .clean import clean_lines, has_body, reflow, split_lines
from .html import HtmlText, html_to_text
from .metadata import extract_metadata
from .outline import Sentence, outline
from .textnorm import analysis_form, as_written, place_as_written

# Stored with each document: which cleaning and metadata rules read it (parse-2: late and run-in titles,
# more page furniture, news leads, the chair's rank and label, no speaker for a notice or plan; parse-3:
# an untitled page with attribution lines or dated stages is a plan; parse-4: a letter to one body and
# minutes are notices, minutes keep their chair and meeting, 协调会 names a meeting; parse-5: a table's
# rows keep their cells apart, are never re-flowed and are no title; parse-6: emergency plans and
# responsibility lists are plans, open letters and proposals notices, a news agency's dateline news, a
# section numbered 4.2.1编制… no title, hazard zones no place; parse-7: a body's rules (…制度, or articles
# 第八条…) are a plan, a warning laid out as a form (预警类别 | …) a notice, a chapter or article heading no
# title; parse-8: a title the page runs into its first line is taken off it, a page's tags and a news
# site's hotlines are furniture, the title a 范文 blurb names (小编为大家整理的…，供大家参考) stands for a page
# that shows none, a chair's script (主持词) is a speech, and a body's name read up to its 乡 (住房和城乡…) is
# no place; parse-9: a speech whose salutation follows more than one addressee or its title and speaker on
# one line (…的讲话副县长李某同志们：), or whose speaker announces his points (我讲三点意见), and a summary that
# announces itself (现将…汇报如下) are told by the body, and a common noun ending in 区 (责任区) is no place;
# parse-10: places written one after the other (三明市沙县区) name the last, a town's own words (我镇,
# 镇安委会) give its level, and a speech's description of its meeting (…召开的一次十分重要的会议) names
# none; parse-11: a title written again below the site's copy of it (…-新华网, 首页…, (全文2838字)) is the
# document's, a bulleted index table gives its 标题, and accessibility switches, spaced index labels and a
# forum's byline are furniture; parse-12: a traditional re-host's issuer line above its 關于… line opens
# its title, and a page that speaks of itself (我镇, 全县) takes its level from those words, not from the
# bodies above it that it cites; parse-13: a notice that issues a plan (关于印发《…方案》的通知) is a notice, as
# the annotation guide says; parse-14: a site's switches (切换到繁体 无障碍浏览 / 打开适老化模式 注册 登录) and the
# 政府信息公开 column are furniture, a short line above a document's title (施甸县人民政府 over …倡议书) is the
# site's, and an index table's date label without a colon (发布日期 2022-03-24) dates the page; parse-15: the
# issuer an index table names (发布机构: 贵驷街道办事处) gives the place when the text names none, and a speech to a
# school (老师们、同学们：) is a speech, and the title written again just below it is no text; parse-16: a labelled
# line (出席：…, 分送：…, 各位代表：) is never run onto the line before it; parse-17: a page the kind rules
# cannot place takes the kind the trained model reads (models/kind_clf.json), not other; parse-18: a notice's
# signature and date stand where its own text ends, mid-page before the plan it issues, and a document-sharing
# site's upload line (大小 29.69K 总页数 13 页 2025-06-22) dates the page, and a document number written before
# a title (渭安办发〔2021〕88号 关于…) is not part of it, and a year a text wrapped away from its 年 is joined
# again; parse-19: the title as the page writes it, a traditional re-host's script and glosses kept; parse-20: a
# hijacked mirror's keyword stuffing is spam, never the title; parse-21: a title that opens with its place and
# what it did there (中疃镇排查KTV娱乐场所) names the place, and an enumerator read up to a suffix (一是镇,
# 三是由县) is none; parse-22: a forum post's stamp (发表于 2020-1-29 08:47) or a short line holding a date with its
# clock time dates the page; parse-23: breadcrumbs written 您当前的位置, spaced index labels, a shared file's upload
# line, buttons and page captions, and a template site's welcome are furniture, never the title; parse-24: a
# province's page that names only one of its cities (全省…现场会在渭南市召开, a notice to 各市、州、县人民政府) is the
# province's, and a traditional page's place is given in its own characters; parse-25: an index row's 生成日期 dates
# the page; parse-26: a deputy head or a unit's head (王新明副局长在会上指出, 大队长, 科长) can be the speaker; parse-27:
# a re-post's 原标题：… line gives the title and is no text; parse-28: what a page adds to a title ([打印本页],
# …2026年最新, 标题 …) is no part of it, an official whose words the sentence reports further on (镇长王坚对…讲了
# 三点意见) speaks rather than the chair, 我县 opens no meeting's name, and a count of towns or 自治州 alone is no
# place; parse-29: a plan's page that opens with the notice issuing it (…现印发给你们) is that notice, and an
# order (…的命令, 禁火令) a notice whatever plan its title names; parse-30: a title's or meeting's opening words
# that end like a zone (夏季社区安全治理工作会议) name no place, as in the body; parse-31: a site's back link (返回首页)
# and a disclosure table's labels written without a colon (组配分类 / 部门文件) are furniture; parse-32: a site's menu
# written with spaces (分享好友 新闻资讯首页 新闻资讯分类 切换频道) is furniture; parse-33: a span on a line of its own
# (二、活动时间 / 2025年6月1日至6月30日) is a plan's schedule, never the page's date; parse-34: a notice is dated where it
# signs itself, not by a day its opening reports (10月15日，…发生一起…); parse-35: a lead run into the page's info
# line or stamp (…作者:某某 本报讯9月21日上午，… / 2024-09-26 10:22:28 文章来源:… 9月25日下午，…) dates the news by its
# day, not by the stamp; parse-36: a year the meeting sums up (总结全国2020年…工作) is the one behind it, for a lead's
# month and day; parse-37: a news lead's full date after its purpose clause (为…，2025年9月25日至26日，…) dates it;
# parse-38: a clause's words (一是镇党委…, 这次会议是市委…, 现将省政府…) name no place, and an autonomous county keeps
# the place name before its people's (大化瑶族自治县); parse-39: a notice's title run into its number or addressees
# without a space is taken off them, and so is a title in brackets run into its text (【…计划】为营造…); a title that
# ends as a speech (…演练总结讲话) is a speech; parse-40: a piece counter (第1篇 …) and a stray 关于 open no meeting's
# name, nor the counter a title, and a 范文 page's title below its blurb is found over its first piece's mark (…方案
# 篇1); parse-41: a speech's title that opens with its speaker's name (陈雷在…会商会上的讲话) names the speaker, and
# the name opens no meeting's name; an event named after the country (全国两会) says nothing of a page's level;
# the official who convenes the meeting a lead reports (组织部部长邓小兰在…召开…调度会) is its speaker, before its chair;
# parse-42: a document number after the title ((皖安〔2024〕1号)) is no part of it; parse-43: the place of a document a
# notice issues (关于印发《杨津庄镇…方案》) is its own; parse-44: a speech title may name the speaker's government before
# the role (万载县县长助理程淑兰在…); parse-45: the government whose order a page follows (根据运城市…安排部署，) is not its
# place; parse-46: a place before a head of government's role opens a title as one before 人民政府 does;
# parse-47: a purpose clause read up to the 市 of 市委 (为贯彻落实市委…) is no place; parse-48: a forum thread's counter
# (查看: 34|回复: 0), its [复制链接] and the post's header are furniture; parse-49: the headline just above a
# news page's info line (发布时间：… 来源：…) is its title, the site's lines above it no text, and a document number
# after a dash (…的通知-晋市应急工贸发〔2025〕152号) comes off without reaching into the title; a site's hotline,
# accessibility bar, an e-paper's issue line and a document site's file facts are furniture; the government
# that acts after a lead's date (6月8日，大文乡联合…开展…), a prefecture's short name (楚雄州) and a place before a
# bureau's short name (…县住建局：) give the place, and 信息发布人 names the publisher; a document site's
# line ``- 2021-04-22 发布`` is the page's publication stamp; an official who 提出了…建议 with no 对/从 before
# it is the speaker: that half of the far-speaker verbs had stood outside the role-and-name group; a government the
# body names with those above it (福建省三明市清流县里田乡) is the most local of them; meetings named 安排会,
# 研讨会, 教育会, written after 召开的, a ceremony a speech is given at (春运启动仪式), a name without the quote it
# stands in).
# The extract stage
# parses a stored document again from its inputs when its version is older (pipeline/extract/stage.py).
PARSER_VERSION = "parse-49"


@dataclass
class ParsedDocument:
    source: str
    fmt: str
    raw_sha256: str
    meta: dict[str, Any]
    body: str
    partial: bool = False
    no_body: bool = False
    sentences: list[Sentence] = field(default_factory=list)
    analysis: str = ""
    # What the parser was handed (the text or markup; an article's pages in order): the store keeps
    # it, so that a newer parser can read the document again (pipeline/extract/stage.py).
    inputs: tuple[str, ...] = ()

    @property
    def text_sha256(self) -> str:
        """Hash of the analysis form without white space: equal for the same text re-typeset."""
        flat = re.sub(r"\s+", "", self.analysis)
        return hashlib.sha256(flat.encode("utf-8")).hexdigest()

    def sentence_text(self, sent: Sentence) -> str:
        return self.body[sent.start:sent.end]


def _strip_site(head_title: str | None) -> str | None:
    """<title> is often "文章标题-网站名" or "文章标题_网站名": keep the article's part."""
    if not head_title:
        return None
    return re.split(r"\s*[-_|—–]{1,2}\s*(?=[^-_|—–]*$)", head_title.strip())[0] or None


# A speech, notice or work report is tens of thousands of characters; a text far beyond that is a
# dump, not a document. Only its beginning is read (the document is flagged partial), so one such
# file costs seconds and a bounded amount of memory, never the night.
MAX_BODY_CHARS = 2_000_000
MAX_MARKUP_CHARS = 10_000_000


def _capped_lines(lines: list[str], limit: int = MAX_BODY_CHARS) -> tuple[list[str], bool]:
    total = 0
    for n, line in enumerate(lines):
        total += len(line) + 1
        if total > limit:
            return lines[:n], True
    return lines, False


def parse_text(text: str, fmt: str, source: str = "", raw_sha256: str = "") -> ParsedDocument:
    """Clean ``text`` (HTML markup for fmt "html", else plain text) and describe it."""
    html_meta: dict[str, str] = {}
    head_title = None
    handed = text
    sha = raw_sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    cut = False
    if fmt == "html":
        if len(text) > MAX_MARKUP_CHARS:
            text, cut = text[:MAX_MARKUP_CHARS], True
        page = html_to_text(text)
        raw_lines, html_meta, head_title = page.lines, page.meta, page.head_title
        known_title = _known_title(page)
    else:
        if len(text) > MAX_BODY_CHARS:
            text, cut = text[:text.rfind("\n", 0, MAX_BODY_CHARS) + 1 or MAX_BODY_CHARS], True
        raw_lines = split_lines(text)
        known_title = None
    raw_lines, capped = _capped_lines(raw_lines)
    cleaned = clean_lines(raw_lines, known_title)
    doc = _describe(source, fmt, sha, cleaned.title, cleaned.paragraphs, raw_lines, html_meta, head_title,
                    cleaned.partial or cut or capped, cleaned.no_body)
    doc.inputs = (handed,)
    return doc


def parse_pages(markups: list[str], source: str, raw_sha256: str) -> ParsedDocument:
    """An article a site split over several HTML pages, parsed as the one page it would have been.

    Each page is cleaned on its own (its furniture, its repeated title and info line go as
    on any page); the bodies are then joined in order, a paragraph cut by the page break
    is joined again, and the metadata is read as from one long page: the <meta> and title
    of page 1, the signature date of the last page. The article box of each page is the
    one in page 1's place in the template, where there is one. A page whose text is the
    same as an earlier one (``?page=1`` is page 1 again) is left out.
    """
    first = html_to_text(markups[0])
    title = _known_title(first)
    parts = [clean_lines(first.lines, title, require_body=False)]
    raw_lines = list(first.lines)
    for markup in markups[1:]:
        page = html_to_text(markup, box=first.box)
        part = clean_lines(page.lines, _known_title(page) or parts[0].title or title, require_body=False)
        if part.paragraphs and any(part.paragraphs == seen.paragraphs for seen in parts):
            continue
        parts.append(part)
        raw_lines += page.lines
    paragraphs = _join_pages([p.paragraphs for p in parts])
    no_body = not has_body(paragraphs)
    doc = _describe(source, "html", raw_sha256, parts[0].title, [] if no_body else paragraphs, raw_lines,
                    first.meta, first.head_title, any(p.partial for p in parts), no_body)
    doc.inputs = tuple(markups)
    return doc


def parse_again(inputs: Sequence[str], fmt: str, source: str, raw_sha256: str) -> ParsedDocument:
    """What this parser reads from the inputs a document was parsed from (``ParsedDocument.inputs``):
    an article's several pages, or one text or markup."""
    if len(inputs) > 1:
        return parse_pages(list(inputs), source, raw_sha256)
    return parse_text(inputs[0], fmt, source, raw_sha256)


def _known_title(page: HtmlText) -> str | None:
    return page.meta.get("title") or page.h1 or _strip_site(page.head_title)


def _join_pages(pages: list[list[str]]) -> list[str]:
    """Paragraphs of consecutive pages; a sentence the page break cut is one paragraph again."""
    out: list[str] = []
    for paragraphs in pages:
        if out and paragraphs:
            joined = reflow([out[-1], paragraphs[0]])
            if len(joined) == 1:
                out[-1] = joined[0]
                paragraphs = paragraphs[1:]
        out.extend(paragraphs)
    return out


def _describe(source: str, fmt: str, raw_sha256: str, title: str | None, paragraphs: list[str],
              raw_lines: list[str], html_meta: dict[str, str], head_title: str | None, partial: bool,
              no_body: bool) -> ParsedDocument:
    """The document of cleaned paragraphs: metadata, outline and analysis form."""
    body = "\n".join(paragraphs)
    # Metadata cues are written in simplified characters: read the analysis form. The title is then given
    # back as the page writes it (the annotation guide's "as the page shows it", as parties are: a
    # traditional re-host's 在全縣…會議上的講話 keeps its script and glosses; search folds it). So is the place,
    # without glosses (碧山鎮: the annotators wrote 12 of the 15 places of traditional tune pages so; tracking's
    # scope and the place filter read both scripts as one). Speakers and meetings stay in the analysis form:
    # the labelled batches disagree on their script (docs/measurements.md, eighteenth session).
    # What the page adds to the title ([打印本页], 标题 …) is no part of the document's.
    meta = extract_metadata(undressed_title(analysis_form(title)) if title else title,
                            [analysis_form(p) for p in paragraphs],
                            [analysis_form(x) for x in raw_lines], html_meta)
    if meta.get("title"):
        meta["title"] = as_written(meta["title"], "\n".join([title or ""] + list(raw_lines)))
    if meta.get("place"):
        meta["place"] = place_as_written(meta["place"], [title or "", *paragraphs[:40], *raw_lines[:40]])
    if not meta["title"] and fmt == "html":
        meta["title"] = undressed_title(head_title)
    return ParsedDocument(
        source=source,
        fmt=fmt,
        raw_sha256=raw_sha256,
        meta=meta,
        body=body,
        partial=partial,
        no_body=no_body,
        sentences=outline(body),
        analysis=analysis_form(body),
    )


def parse_raw(raw: Any) -> ParsedDocument:
    """Parse a ``pipeline.ingest.readers.RawDocument``."""
    return parse_text(raw.text, raw.fmt, raw.source, raw.raw_sha256)
