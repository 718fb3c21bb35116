"""From a parsed document to its directives, with sectors, parties and deadlines.

The chain per sentence: skip what cannot hold an order (the 【提纲】 block,
front matter, page debris) → decide with rules and the trained model
(``detect.py``) → fill the fields from the sentence, its heading path and the
sentence it continues.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from itertools import accumulate
from dataclasses import dataclass, field
from typing import Any

from ..parse.clean import is_table_row
from ..parse.document import ParsedDocument
from ..resources import load_toml
from ..parse.outline import Sentence, heading_of
from ..parse.textnorm import CJK, analysis_form, as_written
from .deadlines import Deadline, find_deadline
from .detect import DECISION, directive_probability
from .rules import action_count, ban_opening, cue_families
from .parties import (CLAUSE_MARK, answerable_bodies, binds_anyone, breaks_thread, cell_bodies, names_time_limit,
                      own_parties, requested_bodies, speaks_in_own_voice)
from .tables import TableHeader, header_of, row_fields
from .parties_norm import party_types_of
from .safety import document_is_safety, is_safety
from .summary import commits_itself, is_work_summary, opens_next_steps, under_next_steps, under_review
from .sectors import find_sectors

EXTRACTOR_VERSION = "extract-78"   # 2: safety; reports of work done, closings and problems never directives;
# 3: parties as written across pinyin glosses, 对… continues the subject, 2019年，我们要… ends that year,
# a speaker's order with checkable actions is a directive, a new scene ends a speaker's demands;
# 4: calendar spans as period deadlines, theme headings and attendance lines never directives, the
# parties of a run of one-sentence items from its lead-in, bans that open a heading are orders, and a
# notice's penalty clause, tips, response decisions and preamble are not; 5: a speech's frame
# (下面，我讲几点意见), forecasts, sentences that weigh a task and an excerpt's cut-off last order are
# not, 险要 is no 要, a quoted principle is no penalty clause, fire words in a forest-fire document
# are that sector's, driving offences are safety work, assigning duties, coordinating and guiding
# are checkable actions; 6: a body before an adverb of duty (镇政府及时上报) or set off by a comma
# before 应当 acts; 7: a campaign named, not carried out (its 方案, 把…作为), sets no deadline; 8: a
# plan's frame (stages, section labels, its own leading group, attribution lines, scope, purpose) is
# no directive and a stage heading dates the work under it; 9: a plan's item takes whom and when its
# attribution line names (（责任单位：…；治理时限：…）), and a body at the head of an order without 要
# acts; 10: the classifier learned the annotated pages' sentences, a sensitive time the work covers is no
# deadline, an attribution line closes its item across its sentences and lines, a label line is no
# heading; 11: emergencies of health care and grain supply and the security of funds are not safety work,
# a river's flood plains and disaster warning name 自然灾害; 12: 汛前 is a period and 汛前检查 the name of an
# activity, dates written with spaces or a time of day, 至…结束 ends a span, a stage heading dates the work
# under an item heading of its own, 昼夜/随时 are a rota below a named span, a time inside 《》 is the
# title's, a bullet, the work before 由 or the speaker's 我们 is no part of a body, 特别是X，要… names X
# 13: flood-watch, holiday-travel, fireworks-ban and fire-source words name their sectors and a development
# zone in a list of addressees none, a requested body ends at an adverb, a verb-led sentence names no body,
# a body before 加强/认真/密切… acts, a bare forwarding request is no directive, key times named by holidays
# or events are a period; 14: whom a demand addresses before a colon or a comma (会议要求各村、各站所：…),
# a paragraph's opening request keeps its bodies for its later orders without one, a role (监测人, 代表,
# 学生) is a body and 严禁/禁止 after a body its cue; 15: a report's section of problems, a shortcoming
# that still needs work, a report's or letter's closing and a dated meeting lead are no directives, a
# letter's 你镇 is a body; 16: an untitled page's stated purpose is its topic, 森林消防 is forest fire;
# 17: a task table's row takes its bodies and time from its 责任单位 and 完成时限 cells; 18: a next step a
# unit commits to (下阶段，X将…；) leads the clauses after it and opens a new thread, …各地 is a body, a
# task to forecast is no forecast; 19: an emergency plan's principles are its preamble, drawing up a plan
# (编制/拟订…方案) is a checkable action, 请您… is advice to a reader, a body's name ends at 会同 and (after a
# body) 联合; 20: a meeting notice's particulars (培训时间：…) are no orders, a set of rules' first article
# and scope are its preamble, 由 and 第X条 are no part of a body's name, 安全管理部门 is a body; 21: a note in
# brackets after a body's name (各乡(镇、街道)) and 林场/农场 end a body; 22: a section marker (四、) inside a
# paragraph the page ran together opens a new thread, as a heading does; 23: a numbered heading with a comma
# that names two checkable actions (二、开展安全检查，完善应急预案) is judged, not skipped as a theme; what is
# about to happen (即将/又将) is no commitment; a body told to hold a meeting (各村要…召开…会议) is a checkable
# action; a plan's aims (工作目标) are no orders unless dated; 24: a document whose body speaks of safety
# work in a fifth of its sentences is a safety document whatever its title; 25: a guiding ideology
# (以…思想为指导，…) is never a directive; 26: a summary of work done (工作总结, 情况汇报) holds orders only in
# its part on what comes next, a heading of four characters or fewer (二、宣传教育) labels a part, and a plan's
# own group named by what it does (成立…领导小组，负责统筹协调…) is its frame; 27: when or where a body acts
# (各单位在做好…的基础上) is no part of its name; 28: a plan's guiding ideology (一、指导思想) orders nothing, and in
# notices and plans an enumerated item (一是…要…) is judged as the item it is; 29: an addressee list is no
# order however long (各省、自治区…厅，北京市…，新疆生产建设兵团…局：); 30: 不得力 (措施不得力) is no ban,
# and 希望 before a body is no part of it; 31: a notice's or plan's enumerated items take the bodies of the
# lead-in paragraph before them, and a zone (华侨管理区) listed among bodies is one of them; 32: what happened
# lately (近日，…印发了《…》) and a title run into its addressees are no orders; 33: 通过…等形式开展宣传 names the
# means of an action, not what a plan's work achieves; 34: an attribution line (（责任单位：…）) names whom the
# item answers to, the first directive of its paragraph, not its last sentence (stored documents are extracted
# again); 35: a labelled scope line (检查范围：…) is a plan's frame, not a task; 36: work a page says was done in
# the perfective (开展了, 进行了…) is no task unless the sentence also gives or reports an order; 37: a body
# before 将 acts whatever work follows, and a phrase led by 督促/指导/支持… names whom it acts on, not who acts;
# 38: a preamble that names its document with what it is about (特制定本应急预案) or cites a requirement (根据…要求) orders nothing;
# 39: a part that reviews work done (一、2024年工作回顾), a purpose with no main clause and a day's event told as news
# are no tasks, and a summary's announcement (现将…汇报如下) counts after a purpose that names a meeting; 40: a
# lead-in that announces the items that follow (…，具体要求如下：) is no task; 41: nor is an accident report's account
# of what happened and why (二、事故发生经过 / （三）事故间接原因); 42: a city's drainage networks and sponge-city works
# are safety work (urban flooding); 43: a request names its addressees whatever work follows (请与会人员妥善…);
# 44: advice to pupils and passers-by (请同学们…不要…, 切记不要酒驾) is a tip, no order; 45: a bare
# indicator target (…覆盖率达到75%以上) is no directive; 参照/比照/依照 end a body's name; work reports'
# words for sectors (防震减灾, 灾后重建, 工程施工; 韧性安全城市建设 is no construction); 46: a report's
# outlook (我们既要看到，… / 从发展动能看，… / 我们有信心完成…) is no directive; 47: a work report's
# sentences carry no body one of them names (own_voice_title); an order's verb before a body (组织相关部门)
# is no part of its name; areas (周边地区要…) act; 下一步，X继续… commits X as 下一步，X将… does; 节前 is the eve of
# the first holiday after the document's date; 48: a numbered heading that names a capability to build
# (（一）完善基层防汛抗旱队伍) is a theme, no task; 49: nor is the short sentence a work report's paragraph opens
# with (提升防灾减灾救灾能力。…) unless it names a campaign or a project; 50: dams and dykes reinforced (病险水库
# 除险加固, 堤防建设) are safety work; 51: 用电 across two words (利用电视, 使用电梯) names no fire; 52: what a
# body must do (要求各地各有关部门坚持以人为本) is no part of its name; 53: a list of bodies with bracket notes
# (区(市)政府、…和街道办事处也要, 县(市、区)水利部门、乡镇(街道)、村居(社区)要), 村居, 在建/在岗… names; 54:
# a body set off by a comma before its 要 (停产停工企业，要…), 作为 before it, a run-in heading before its 各…;
# 55: a person named by the role they answer for (行政责任人要…, 排查责任人在排查时要…); 56: a clause that opens on
# a span (交通管制期间，严禁…) holds for it; 57: who takes the next steps (下一步，我市将…) acts, a place too; 58: anyone
# a prohibition binds (禁止任何单位和个人…), not carried on; 59: a duty's adverb ends a body's name; 60: whom a
# demand names before the work (要求施工单位严格…); 61: partners split as a list; 62: a definition (…是指…) is no
# order unless it defines one; 63: when or where any body acts is no part of its name; 64: nor what it acts on
# (…责任人对…要); 65: 由X共同/汇总… names X; 66: a zone a 责任单位 line lists answers for the item; 67: 逃生自救
# (escaping a fire) names no rescue work; 68: 易燃易爆, 加气站, 动火 and 住宅小区 name no sector by themselves;
# 69: nor does a scenic area (景区); 70: a checklist's question (是否建立…) is no order;
# 71: the 要 of 主要 is no order in a request or an aside (请各…主要从…, 尤其是企业主要负责人要…), and a
# request's comma list splits its 、 parts; a purpose clause, then a body at work with no order word, is news
# of work done (为确保…，城北镇…开展…), and what a part covers (演练内容为…, 整治范围包括…, 四、治理时间和步骤) no
# order; 72: 积极, 主动 and 自觉 end a request's body as the other adverbs of the work do (请各位业主积极配合…);
# 73: a week named without its day (下周, 本周内) is a deadline on its Sunday; 74: a span may be written with —— or –;
# 75: 本周期 (this cycle) is no week; 76: a deadline's wording as the page writes it (a traditional re-host's 限時)
# 77: a campaign a verb carries out is the task's time beside a rota (the earlier wins); 三年清零攻坚行动,
# 十年禁渔 and a campaign named for its year (提升年行动) are campaign spans
# 78: seasons of hazard (汛期, 防汛期间, 森林防火期, 高温季节) are `recurring`, a duty kept over the holidays
# (节日期间的应急值守) too, and a point of the school year (开学前, 开学初) is `vague` (the page sets' deadlines
# relabelled by the spec's reading)
HEADING_CHARS = 30   # a heading longer than this reads as a list item, not a title
# Circled numbers (outline level 5) enumerate the items of a list inside a paragraph
# (扎实办好“十件民生实事”。①为…安装…②…): an item, however short, never a section title. The 一是/首先 level stays
# judged like a heading: in speeches its short items are mostly exhortations (as items they cost
# dev precision 0.925 → 0.804); in notices and plans it is a list item (ENUMERATION_KINDS).
LAST_HEADING_LEVEL = 4
ENUMERATION_LEVEL = int(load_toml("directives.toml")["imperative_item"]["enumeration_level"])
ENUMERATION_KINDS = frozenset(load_toml("directives.toml")["imperative_item"]["enumeration_kinds"])


@dataclass
class Directive:
    text: str
    start: int
    end: int
    sectors: list[str]
    parties: list[str]
    deadline: Deadline | None
    heading_path: list[str] = field(default_factory=list)
    party_types: list[str] = field(default_factory=list)
    score: float = 0.0
    sentence_idx: int = 0
    is_heading: bool = False
    same_task_as: int | None = None   # index (in the document's list) of the heading this body sentence restates
    safety: bool = True               # work safety in the broad sense (spec §2; safety.py)

    @property
    def text_sha256(self) -> str:
        return hashlib.sha256(re.sub(r"\s+", "", self.text).encode("utf-8")).hexdigest()

    def as_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "sectors": self.sectors,
            "parties": self.parties,
            "deadline": self.deadline.as_json() if self.deadline else None,
            "safety": self.safety,
            "heading": self.heading_path,
            "party_types": self.party_types,
        }


def strip_marker(text: str, sent: Sentence) -> str:
    """The sentence without its outline marker; an ordering marker (一要, 二是要) leaves its 要."""
    if not sent.marker or not text.startswith(sent.marker):
        return text
    rest = text[len(sent.marker):]
    return ("要" + rest) if sent.marker.endswith("要") else rest


# An item heading that gives an order (一要…, 二是要…, 首先要…): its sentences inherit the order.
ORDER_ITEM = re.compile(r"^(?:[一二三四五六七八九十]+(?:是要|要)|(?:首先|其次|再次|最后|第[一二三四五六七八九十]+)[，,]?要)")
# The first item of a run written inside a sentence (要求各企业一要…).
RUN_OPENER = re.compile(r"(?<=.)(?<![统万唯单同专第一二三四五六七八九十])一(?:是要|要)")   # not 统一要求
DEMAND_LEAD = re.compile(load_toml("directives.toml")["demand_lead"]["pattern"])
NEW_SCENE = re.compile(load_toml("directives.toml")["demand_lead"]["scene"])
THEME_HEADING = re.compile(load_toml("directives.toml")["theme_heading"]["pattern"])
LABEL_CHARS = int(load_toml("directives.toml")["theme_heading"]["label_chars"])
ABSTRACT_HEADING = re.compile(load_toml("directives.toml")["theme_heading"]["abstract"])
REPORT_THEME_CHARS = int(load_toml("directives.toml")["report_theme"]["max_chars"])
REPORT_CAMPAIGN = re.compile(load_toml("directives.toml")["report_theme"]["campaign"])
PREAMBLE_HEADING = re.compile(load_toml("directives.toml")["preamble_heading"]["pattern"])
PROBLEM_HEADING = re.compile(load_toml("directives.toml")["problem_heading"]["pattern"])
ACCOUNT_HEADING = re.compile(load_toml("directives.toml")["account_heading"]["pattern"])
AIM_HEADING = re.compile(load_toml("directives.toml")["aim_heading"]["pattern"])
AIM_RUN_IN = re.compile(load_toml("directives.toml")["aim_heading"]["run_in"])
CUT_OFF = re.compile(load_toml("directives.toml")["cut_off"]["pattern"])
# What closes a whole sentence. Unlike the cleaner's ``ends_sentence``, a trailing … or . is not one here:
# an excerpt cut inside a sentence ends so (…要开展公...).
SENTENCE_END = re.compile(r"[。！？!?；;”」』）)]\s*$")
ADVICE_LEAD = re.compile(load_toml("directives.toml")["advice_lead"]["pattern"])
ADVICE_NOT_IN = frozenset(load_toml("directives.toml")["advice_lead"]["not_in_kinds"])
TITLE_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")


PURPOSE = re.compile(load_toml("directives.toml")["purpose"]["pattern"])
PURPOSE_SENTENCES = 6


def stated_purpose(doc: ParsedDocument) -> str | None:
    """What a page without a title says it is issued for, among its first sentences (为有效防范森林草原
    火灾，…特发布本禁火令): it names the document's topic as a title would."""
    for sent in doc.sentences[:PURPOSE_SENTENCES]:
        text = analysis_form(doc.sentence_text(sent))
        if PURPOSE.search(text):
            return text
    return None


MONTH_ONLY = re.compile(r"^(?:(?:19|20)\d{2}\s*年\s*)?\d{1,2}\s*月(?:份)?$")


def _time_cell_deadline(cell: str, ref: dt.date | None) -> Deadline | None:
    """The deadline a task table's time cell gives: read as a sentence's time, and a month alone
    (4月, 2024年4月份) as the end of that month, since the column says when the task is due."""
    found = find_deadline(cell, ref)
    if found is None and MONTH_ONLY.match(cell):
        found = find_deadline(re.sub(r"份$", "", cell) + "底前", ref)
    # (offsets -1: the time stands in another cell, not in the sentence)
    return None if found is None else Deadline(cell if MONTH_ONLY.match(cell) else found.text, found.kind,
                                               found.date, -1, -1)


def written_deadline(found: Deadline | None, sources: list[str]) -> Deadline | None:
    """``found`` (read in the analysis form) with its wording as the page writes it (spec §2: the time
    expression as written): a traditional re-host's 限時 or 春運期間(qī jiān), not the simplified form the rules
    read. The first of ``sources`` (the sentence, then the headings it may have come from) that holds it decides."""
    if found is None:
        return None
    for source in sources:
        if found.text in source:
            return found
        written = as_written(found.text, source)
        if written != found.text:
            return dataclasses.replace(found, text=written)
    return found


def reference_date(meta: dict[str, Any], title_year: bool = True) -> dt.date | None:
    """The meeting date when the document gives one, else its publication date (spec §2), else the
    first day of the year its title names (青川县2025年政府工作报告: 年底前 is that year's end)."""
    for key in ("date", "published"):
        if meta.get(key):
            try:
                return dt.date.fromisoformat(meta[key])
            except ValueError:
                continue
    years = TITLE_YEAR.findall(meta.get("title") or "") if title_year else []
    if len(set(years)) == 1:
        return dt.date(int(years[0]), 1, 1)
    return None


def _report_theme(doc: ParsedDocument, sent: Sentence, text: str) -> bool:
    """A work report's paragraph that opens with a short sentence of its own and goes on (推进新型工业化。…):
    the opening names the paragraph's theme, unless it names a campaign or a project (models/directives.toml
    [report_theme])."""
    if sent.heading_level not in (None, ENUMERATION_LEVEL):
        return False
    if sent.idx > 0 and doc.sentences[sent.idx - 1].para == sent.para:
        return False   # not the paragraph's first sentence
    if sent.idx + 1 >= len(doc.sentences) or doc.sentences[sent.idx + 1].para != sent.para:
        return False   # a paragraph of one sentence is the task itself
    return (text.endswith("。") and not CLAUSE_MARK.search(text)
            and len(CJK.findall(text)) <= REPORT_THEME_CHARS and not REPORT_CAMPAIGN.search(text))


def _same_task(heading: str, body: str) -> bool:
    """A heading and a sentence under it that order the same thing (shared 4-grams)."""
    grams = lambda s: {s[i:i + 3] for i in range(len(s) - 2)}
    h, b = grams(heading), grams(body)
    return bool(h) and len(h & b) / len(h) >= 0.5


def _last_worded(doc: ParsedDocument, sent: Sentence) -> bool:
    """No sentence with words follows ``sent`` (a stray .. may): where a page excerpt is cut."""
    return not any(CJK.search(doc.sentence_text(s)) for s in doc.sentences[sent.idx + 1:])


ATTRIBUTION_REACH = 3   # an attribution line names the bodies of an item at most this many sentences back


def _dated(text: str, ref: dt.date | None) -> bool:
    """Whether a sentence sets a calendar date to reach what it says by (2024年底前基本消除…)."""
    found = find_deadline(text, ref)
    return found is not None and found.kind == "date"


def extract_directives(doc: ParsedDocument) -> list[Directive]:
    """The directives of ``doc`` in document order."""
    kind = doc.meta.get("kind")
    ref = reference_date(doc.meta)
    safety_document = document_is_safety(doc.meta, (doc.sentence_text(s) for s in doc.sentences
                                                    if not (s.toc or s.front)))
    topic = analysis_form(" ".join(filter(None, (doc.meta.get("title"), doc.meta.get("meeting"),
                                                 None if doc.meta.get("title") else stated_purpose(doc)))))
    # A summary of work done holds orders only in its part on what comes next (summary.py).
    opening = (analysis_form(doc.sentence_text(s)) for s in doc.sentences if not (s.toc or s.front))
    title_form = analysis_form(doc.meta.get("title") or "")   # the title as written, read in the analysis form
    own_voice = speaks_in_own_voice(title_form)
    summary = is_work_summary(title_form, opening)
    next_steps = False
    out: list[Directive] = []
    last_subject: list[str] = []
    addressees: list[str] = []   # whom the paragraph's opening request (请各单位…) addresses
    table: TableHeader | None = None   # the header of the task table the current rows belong to
    paragraphs = doc.body.split("\n")   # a sentence's ``para`` indexes these (the outline's paragraphs)
    para_starts = [0, *accumulate(len(p) + 1 for p in paragraphs)]
    line, start_of_line, row = "", 0, False
    last_para = -1
    demands = False   # inside a paragraph that reports a leader's demands (周明强调：要…)
    list_subject: list[str] | None = None   # who the paragraph's run of 一要…二要… items addresses
    advice = False    # inside the list of tips a lead-in to the public opened (…时应做到：1.… 2.…)
    attributed: tuple[int, int] | None = None   # (the item in out, the last line) a 责任单位 line named
    last_heading = -1   # the last outline heading's sentence: an attribution line closes the item under it
    # Whom a notice's or plan's lead-in paragraph addressed (…各乡镇、各有关部门、各企业要认真贯彻落实…。), for the
    # enumerated items in paragraphs of their own after it (一是…。 二是…。) that name no body (spec §2: the
    # lead-in they continue). A speech's 一是要…, with paragraphs of its own, is a part read on its own.
    lead_bodies: list[str] = []
    para_level: int | None = None    # the outline level of the current paragraph's first sentence
    para_acting: list[str] = []      # who acts in the current paragraph's latest sentence
    for sent in doc.sentences:
        if sent.para != last_para:
            if para_level is None and para_acting:
                lead_bodies = para_acting
            elif para_level is None or para_level < ENUMERATION_LEVEL:
                lead_bodies = []     # a paragraph naming no body, or a section heading, ends the lead-in
            para_level, para_acting = sent.heading_level, []
            last_subject, last_para, demands, list_subject = [], sent.para, False, None
            addressees = []
            line, start_of_line = paragraphs[sent.para], para_starts[sent.para]
            row = is_table_row(line)
            # A table's header opens it; its rows keep it; any other paragraph closes it.
            table = (header_of(analysis_form(line)) or table) if row else None
        if sent.toc or sent.front:
            continue
        raw = doc.sentence_text(sent)
        text = strip_marker(analysis_form(raw), sent)
        answering = answerable_bodies(text)
        if answering:
            named, k = [as_written(p, raw) for p in answering], None
            if attributed and attributed[1] == sent.idx - 1:
                # （牵头单位：县安委办； / 责任单位：县经科局、县应急局…）: the item's bodies go on over lines.
                k = attributed[0]
                named = out[k].parties + [q for q in named if q not in out[k].parties]
            elif out and sent.heading_level is None and max(last_heading, sent.idx - ATTRIBUTION_REACH) <= out[-1].sentence_idx:
                # （责任单位：县安委办；治理时限：2022年11月） after a plan's item (a sentence or two of the
                # item may come between, no other heading): who answers for it, and by when. The item is the
                # first directive of its paragraph (1.修订完善…。规定由…印发。: the item, not its last sentence).
                k = len(out) - 1
                item_para = doc.sentences[out[k].sentence_idx].para
                while k > 0 and doc.sentences[out[k - 1].sentence_idx].para == item_para:
                    k -= 1
            if k is not None:
                out[k].parties, out[k].party_types = named, party_types_of(named)
                attributed = (k, sent.idx)
        if sent.heading_level is not None:
            last_heading = sent.idx
        if attributed and attributed[1] >= sent.idx - 1 and names_time_limit(text):
            item = out[attributed[0]]
            found = find_deadline(text, ref)
            if item.deadline is None and found is not None:
                item.deadline = dataclasses.replace(written_deadline(found, [raw]), start=-1, end=-1)
            attributed = (attributed[0], sent.idx)
        if sent.heading_level is None or sent.heading_level < 3:
            advice = (sent.heading_level is None and kind not in ADVICE_NOT_IN and bool(ADVICE_LEAD.search(text)))
            if advice:
                continue   # the lead-in itself (…时应做到：) announces tips
        elif advice and not ban_opening(text):
            continue   # 1.炭火：使用炭火盆时，要确保门窗通风: a tip to the public
        parties = [as_written(p, raw) for p in own_parties(text)]
        # 四、建立安全隐患台账。 inside a paragraph the page ran together: a new section all the same, as a
        # heading would be (its sentences do not carry the subject of the section before).
        new_section = sent.heading_level is None and heading_of(raw.lstrip(), True)[0] in (1, 2)
        in_item = para_level is not None and para_level >= ENUMERATION_LEVEL and kind in ENUMERATION_KINDS
        if not parties and not breaks_thread(text) and sent.heading_level is None and not new_section:
            inherited = list(addressees or last_subject or (lead_bodies if in_item else []))
        elif not parties and in_item and sent.heading_level == para_level and not breaks_thread(text):
            inherited = list(lead_bodies)   # 一是立即对汛期安全生产工作进行再检查…: the lead-in's bodies
        else:
            inherited = []
        if sent.heading_level is not None and sent.marker and ORDER_ITEM.match(analysis_form(raw)):
            # 会议强调，各行政村、镇直各单位…。一要…。二要…。三要…: one-sentence items that follow each
            # other continue the lead-in that names whom they address (spec §2), or the first item's own
            # subject. Items with sentences of their own between them (一要…。企业是…。二要…) are parts of
            # a speech, each read on its own.
            if list_subject is None:
                list_subject = parties or list(last_subject) or (list(lead_bodies) if in_item else [])
            inherited = [] if parties else list(list_subject)
        elif (opener := RUN_OPENER.search(text)) is not None:
            # 要求各企业一要落实…；二要…: a run opened inside a sentence addresses whoever stands before
            # its first marker (会议要求，一要…，各村要…: 各村 is the first item's own, not the run's).
            list_subject = [as_written(p, raw) for p in own_parties(text[:opener.end()])]
        elif list_subject is not None:
            list_subject = []
        para_acting = parties or inherited
        if parties:
            last_subject = [] if own_voice else [p for p in parties if not binds_anyone(p)]
            addressees = addressees or [as_written(p, raw) for p in requested_bodies(text)]
        elif breaks_thread(text) or sent.heading_level is not None or new_section:
            last_subject = []
        headings = [analysis_form(h) for h in sent.heading_path]
        if summary and not next_steps:
            next_steps = opens_next_steps(text, sent.heading_level,
                                          len(text) <= HEADING_CHARS and not SENTENCE_END.search(text))
        # A short outline heading may itself be an order ((一)开展拉网排查，建立…台账); a long
        # numbered or enumerated item (1.开展…，年底前…; 一是7月底前…) is an item of a list.
        level = sent.heading_level or 0
        judged_as = ("heading" if 1 <= level <= LAST_HEADING_LEVEL and len(text) <= HEADING_CHARS
                     and kind != "interview" and not (level == ENUMERATION_LEVEL and kind in ENUMERATION_KINDS)
                     else kind)
        item = level >= 3 and judged_as != "heading"
        opens_demands = bool(DEMAND_LEAD.search(text))
        own_order = cue_families(text)["obligation"]
        if NEW_SCENE.match(text) and not opens_demands:
            demands = False
        if (sent.heading_level is None and ((headings and ORDER_ITEM.match(headings[-1])) or demands)
                and not own_order):
            # 一要紧盯危险化学品领域。严格落实…。强化…: the sentences of an ordering item carry its 要
            # (one with its own 要 is judged on its own words).
            item = True
        demands = demands or opens_demands
        if level == 1 and re.search(r"[，,；;]", text) and not own_order and action_count(text) < 2:
            continue   # 二、夯实基础，全面加强…: a section named by its themes, not an order (but a
            # notice's 三、对排查出的重大隐患，要实行挂牌督办… is an order, and 二、开展安全检查，普及教育宣传
            # names checkable work: the rules judge it as the heading it is)
        if any(PREAMBLE_HEADING.match(h) for h in headings):
            continue   # 1.1 编制目的 / 1.3 适用范围: why and where a plan holds, not what to do
        if ((any(AIM_HEADING.match(h) for h in headings) or AIM_RUN_IN.match(text))
                and not own_order and not _dated(text, ref)):
            continue   # （二）工作目标 / 一、指导思想: the aims and ideas a plan sets out, not orders, unless dated
        if any(PROBLEM_HEADING.match(h) or ACCOUNT_HEADING.match(h) for h in headings):
            continue   # 三、存在的问题 / （三）事故间接原因: shortcomings found, an accident's causes, not what to do
        if under_review(headings) and not commits_itself(text):
            continue   # 一、2020年工作回顾: the year's work told in an order's words (加强生活必需品保供稳价)
        if 1 <= level <= 2 and not own_order and THEME_HEADING.match(text):
            continue   # 一、严格巡查管控 / （二）加强宣传教育: a short heading that names a theme
        if sent.heading_level is not None and sent.marker and not own_order and ABSTRACT_HEADING.match(text):
            continue   # （一）完善基层防汛抗旱队伍: a numbered heading naming a capability to build
        if own_voice and not own_order and _report_theme(doc, sent, text):
            continue   # 提升防灾减灾救灾能力。…: the theme a work report's paragraph opens with
        if (judged_as == "heading" and not own_order and not ban_opening(text)
                and len(CJK.findall(text)) <= LABEL_CHARS):
            continue   # 二、宣传教育 / 三、整治重点: a label of the part that follows
        if not SENTENCE_END.search(raw) and CUT_OFF.search(text) and _last_worded(doc, sent):
            continue   # an excerpt cut inside its last order (…各部门也要全): no task is left to read
        if summary and not next_steps and not under_next_steps(headings) and not commits_itself(text):
            continue   # 建立健全了…责任制 in a 工作总结: work done, told without its 了, unless it commits itself
        probability = directive_probability(text, judged_as, headings, item, doc_kind=kind,
                                            listed=level > LAST_HEADING_LEVEL)
        if probability < DECISION:
            continue
        acting = parties or inherited
        # Sectors are the work-safety sectors of spec §3: a work report's 发展农业 or 建设高铁 names none.
        safe = is_safety(text, headings, safety_document)
        # The heading it stands under (spec §2): the nearest title, not a long list item that
        # happens to open the paragraph (19.加强…宣传教育…进学校… says nothing of the next sentence's sector).
        short_headings = [h for h in headings if len(h) <= HEADING_CHARS]
        heading_text = short_headings[-1:]
        deadline = written_deadline(find_deadline(text, ref, tuple(reversed(short_headings[-2:]))),
                                    [raw] + list(reversed(sent.heading_path)))
        fields = (row_fields(line, table, sent.start - start_of_line, sent.end - start_of_line)
                  if table is not None and row else None)
        if fields is not None:
            # A task table's row: who answers for the task and by when stand in its cells.
            party_cell, time_cell = fields
            if party_cell and not parties:
                acting = cell_bodies(party_cell)
            if time_cell and deadline is None:
                deadline = written_deadline(_time_cell_deadline(analysis_form(time_cell), ref), [time_cell])
        types = party_types_of(acting)
        directive = Directive(
            text=raw,
            start=sent.start,
            end=sent.end,
            sectors=find_sectors(text, heading_text, topic) if safe else [],
            parties=acting,
            # A plan's stage heading (（二）集中整治阶段（6月1日至8月31日）) dates the work under it that
            # gives no time of its own, also through one item heading between them.
            deadline=deadline,
            heading_path=sent.heading_path,
            party_types=types,
            score=probability,
            sentence_idx=sent.idx,
            is_heading=sent.heading_level is not None,
            safety=safe,
        )
        if not directive.is_heading and sent.heading_path:
            for k in range(len(out) - 1, -1, -1):
                if out[k].is_heading and out[k].text == sent.heading_path[-1]:
                    if _same_task(strip_marker(out[k].text, sent), text):
                        directive.same_task_as = k
                    break
        out.append(directive)
    return out
