"""Deadlines: kinds, computed dates, Chinese numerals, what is not a deadline."""

import datetime as dt

import pytest

from pipeline.extract.deadlines import Deadline, cn_int, find_deadline, find_deadlines

REF = dt.date(2021, 6, 11)


def dl(sentence, ref=REF, context=""):
    d = find_deadline(sentence, ref, context)
    return None if d is None else (d.text, d.kind, d.date)


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("各县区要在年底前完成全部隐患整改。", ("年底前", "date", "2021-12-31")),
        ("6月底前完成自查自改工作。", ("6月底前", "date", "2021-06-30")),
        ("请于月底前将排查情况报送区安委办。", ("月底前", "date", "2021-06-30")),
        ("要在国庆节前组织一次全面检查。", ("国庆节前", "date", "2021-09-30")),
        ("春节前要完成整改销号。", ("春节前", "date", "2022-01-31")),
        ("元旦前完成验收。", ("元旦前", "date", "2021-12-31")),
        # 节前 names no holiday: the eve of the first after the document's date (端午 2021-06-14)
        ("节前要完成隐患整改。", ("节前", "date", "2021-06-13")),
        ("3个月内完成整改。", ("3个月内", "date", "2021-09-11")),
        ("三个月内完成整改。", ("三个月内", "date", "2021-09-11")),
        ("一周内上报排查结果。", ("一周内", "date", "2021-06-18")),
        ("7日内报送整改方案。", ("7日内", "date", "2021-06-18")),
        ("15个工作日内办结。", ("15个工作日内", "date", "2021-07-02")),
        ("于6月25日前报送。", ("6月25日前", "date", "2021-06-25")),
        ("2022年底前全部完成改造。", ("2022年底前", "date", "2022-12-31")),
        ("2022年6月底前完成验收。", ("2022年6月底前", "date", "2022-06-30")),
        ("今年要完成老旧管网改造。", ("今年", "date", "2021-12-31")),
        ("2021年，我们要全面开展燃气安全排查整治。", ("2021年", "date", "2021-12-31")),
        ("年内完成全部改造任务。", ("年内", "date", "2021-12-31")),
        ("下半年要组织开展复查。", ("下半年", "date", "2021-12-31")),
        ("四季度完成验收。", ("四季度", "date", "2021-12-31")),
        ("明年3月完成。", ("明年3月", "date", "2022-03-31")),
        ("自即日起至8月31日开展专项整治。", ("自即日起至8月31日", "date", "2021-08-31")),
        # a week named without its day ends on its Sunday (REF is a Friday)
        ("下周，局安办将对各乡镇进行专项督查。", ("下周", "date", "2021-06-20")),
        ("本周内整改完成。", ("本周内", "date", "2021-06-13")),
        ("下周三前报送台账。", ("下周三前", "date", "2021-06-16")),
        # a span written with the double dash of Chinese typography, or an en dash
        ("6月15日——6月30日开展集中宣传。", ("6月15日——6月30日", "date", "2021-06-30")),
        ("7月1日–8月31日开展专项整治。", ("7月1日–8月31日", "date", "2021-08-31")),
    ],
)
def test_kind_date(sentence, expected):
    assert dl(sentence) == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("三月底前完成摸底。", None),  # already past in June: a report of work done, not next year
        ("十二月底前完成。", ("十二月底前", "date", "2021-12-31")),
        ("于二〇二一年十二月三十一日前报送。", ("二〇二一年十二月三十一日前", "date", "2021-12-31")),
        ("二十五日前报送。", None),  # a bare day without a month is not taken
    ],
)
def test_chinese_numerals(sentence, expected):
    assert dl(sentence) == expected


def test_cn_int():
    assert [cn_int(x) for x in ("十二", "二十五", "三十一", "十", "二〇二二", "7", "百")] == [12, 25, 31, 10, 2022, 7, 100]


def test_date_without_reference_keeps_kind():
    assert dl("要在年底前完成。", ref=None) == ("年底前", "date", None)
    assert dl("2022年底前完成。", ref=None) == ("2022年底前", "date", "2022-12-31")
    assert dl("20**年底前完成。") == ("20**年底前", "date", None)


@pytest.mark.parametrize(
    "sentence, kind, text",
    [
        ("要立即组织开展排查。", "immediate", "立即"),
        ("迅速开展风险隐患大排查。", "immediate", "迅速"),
        ("第一时间赶赴现场处置。", "immediate", "第一时间"),
        ("对问题要马上整改。", "immediate", "马上"),
        ("要定期开展检查。", "recurring", "定期"),
        ("每月开展一次调度。", "recurring", "每月"),
        ("每季度组织一次演练。", "recurring", "每季度"),
        ("每月5日前报送上月情况。", "recurring", "每月5日前"),
        ("要常态化开展巡查。", "recurring", "常态化"),
        ("严格落实24小时值班制度。", "recurring", "24小时"),
        ("实现对重大危险源的24小时不间断监控。", "recurring", "24小时"),
        ("节假日期间要加强值守。", "recurring", "节假日期间"),   # a duty kept over the holidays: a rota
        ("春节期间要加强对商场的消防检查。", "period", "春节期间"),   # a span of the calendar the work covers
        ("两节期间，各部门要安排专人昼夜值班。", "period", "两节期间"),   # 元旦、春节: one span
        ("对元旦、春节、元宵、清明等重点时段，要在进山路口设卡。", "period", "元旦、春节、元宵、清明等重点时段"),
        ("做好岁末年初安全防范工作。", "period", "岁末年初"),
        ("各学校要在开学前进行安全自查。", "vague", "开学前"),   # a point with no computable date, as 会后
        ("各校要在开学第一周对校舍进行一次全面排查。", "vague", "开学第一周"),
        ("抓好年末岁初安全生产各项工作。", "period", "年末岁初"),   # not 年末 of a year
        ("在重点、敏感时段加强检查。", "recurring", "重点、敏感时段"),
        ("把培训作为一项长期性工作来抓。", "recurring", "长期性"),
        ("扎实推进专项整治三年行动。", "period", "专项整治三年行动"),
        ("开展道路交通安全整治百日行动。", "period", "百日行动"),
        ("做好今冬明春火灾防控。", "period", "今冬明春"),
        ("对隐患要限期整改。", "vague", "限期"),
        ("明确整改措施、整改时限和责任人。", "vague", "整改时限"),
        ("会后各单位要签订责任书。", "vague", "会后"),
        ("各地要尽快制定方案。", "vague", "尽快"),
        ("入汛前完成隐患排查。", "period", "入汛前"),  # a season to finish before, no computable date
        ("主汛前要全面排查险工险段。", "period", "主汛前"),
        ("基层防汛队伍要做好汛期巡堤查险和险情处置。", "recurring", "汛期"),   # the season the duty is kept in
        ("防汛期间要配齐备足各类防汛物资。", "recurring", "防汛期间"),
        ("森林防火期内严禁一切野外用火。", "recurring", "森林防火期"),
        ("禁火期内严禁一切野外用火。", "period", "禁火期"),   # the span a 禁火令 sets
        ("事故发生后1小时内报告。", "immediate", "1小时内"),  # a response time
        ("接报后30分钟内到达现场。", "immediate", "30分钟内"),
        ("24小时内上报事故信息。", "immediate", "24小时内"),
        ("全年开展应急演练不少于20场次。", "date", "全年"),
    ],
)
def test_other_kinds(sentence, kind, text):
    d = find_deadline(sentence, REF)
    assert d is not None and (d.kind, d.text) == (kind, text)
    assert d.date is None or kind == "date"
    assert sentence[d.start : d.end] == d.text


@pytest.mark.parametrize(
    "sentence",
    [
        "要切实提高政治站位，增强责任意识。",
        "要及时发现和消除各类隐患。",  # 及时 is not a deadline (gold)
        "要实时更新隐患台账，动态跟踪。",
        "要深入开展安全生产专项整治行动。",  # no named span
        "2023年6月，我市发生一起较大事故。",  # the past
        "截至上月底，累计排查隐患一千余处。",
        "6月11日，全市召开安全生产工作会议。",  # a meeting date
        "今年以来，全市安全形势总体平稳。",
        "本周以来，全市共检查企业12家。",
        "本周期内的检查计划已经制定。",  # 周期 is a cycle, not a week
        "要切实做好去年底部署的各项工作。",
    ],
)
def test_not_a_deadline(sentence):
    assert find_deadline(sentence, REF) is None


def test_explicit_past_date_is_dropped():
    assert find_deadline("2020年底前完成改造。", REF) is None
    assert find_deadline("今年3月底前完成。", REF) is None


def test_preference():
    # a computable date beats immediate
    assert dl("要立即开展排查，6月底前完成整改。")[1] == "date"
    # an immediate reacting to an event ranks last
    assert dl("要常态化开展巡查，发现隐患立即整改。")[1] == "recurring"
    assert dl("落实24小时值班，一旦发生险情，第一时间启动响应。")[1] == "recurring"
    # alone it still counts
    assert dl("一旦发生事故，要第一时间报告。")[1] == "immediate"
    # immediate beats vague
    assert dl("会后要立即传达部署。")[1] == "immediate"
    # a campaign or a season frames the task: the rota inside it is the task's own time
    assert dl("三年行动过程中，每季度报送一次工作进展情况。")[:2] == ("每季度", "recurring")
    assert dl("即日起至暑期结束，每日开展1次河道巡查。")[:2] == ("每日", "recurring")
    assert dl("深入开展安全生产专项整治三年行动。")[1] == "period"
    # a campaign named, not carried out, sets no time: its plan, its progress, a yardstick, a join
    assert dl("各地要制定本地区的治本攻坚三年行动方案。") is None
    assert dl("督查中注意了解治本攻坚三年行动开展情况。") is None
    assert dl("省安委会将把治本攻坚三年行动作为考核巡查的重点。") is None
    assert dl("要将专项整治三年行动和汛期安全检查结合起来。") is None
    assert dl("实施城市更新三年行动计划。")[1] == "period"


def test_a_sensitive_time_the_work_covers_is_no_deadline():
    # what the work covers: the verb's object, a modifier, one of a list of places it covers
    assert dl("要强化重要时段和敏感时期的安全监管。") is None
    assert dl("要把握重点时段、突出重点部位、管住重点人群。") is None
    assert dl("要做好重点时段、重点区域的火灾防控工作。") is None
    assert dl("要强化重点河段、重点部位、重点时段巡查。") is None
    # when the work is done: still a rota
    assert dl("在重点、敏感时段，要加强对薄弱环节的检查。")[:2] == ("重点、敏感时段", "recurring")
    assert dl("重点时段要加密巡查频次。")[1] == "recurring"


def test_find_deadlines_in_order():
    found = find_deadlines("要立即开展排查，定期复查，6月底前完成整改。", REF)
    assert [d.kind for d in found] == ["immediate", "recurring", "date"]
    assert all(isinstance(d, Deadline) for d in found)


def test_context_only_for_dates():
    d = find_deadline("各单位要明确职责任务。", REF, context="（一）部署发动（2021年6月30日前）")
    assert d is not None and (d.kind, d.date, d.start) == ("date", "2021-06-30", -1)
    assert find_deadline("各级各部门要加强研判。", REF, context="一要常态化分析研判形势") is None


def test_as_json():
    d = find_deadline("年底前完成。", REF)
    assert d.as_json() == {"text": "年底前", "kind": "date", "date": "2021-12-31"}


def test_fullwidth_digits():
    assert dl("６月３０日前报送。") == ("６月３０日前", "date", "2021-06-30")


def test_equal_ranks_take_the_earliest():
    assert dl("建立每日会商制度，预警信息第一时间发布。")[1] == "recurring"
    assert dl("要立即开展排查，并定期复查。")[1] == "immediate"


def test_weak_year_loses_to_other_expressions():
    assert dl("今年将对在建项目实行清单管理，每月更新一次。")[1] == "recurring"
    assert dl("今年将出台巡查办法。") == ("今年", "date", "2021-12-31")


def test_statistics_are_not_quarters():
    assert find_deadline("受多方面影响，二季度增速回落。", REF) is None
    assert dl("平台上半年投入运行。") == ("上半年", "date", "2021-06-30")


def test_traditional_characters():
    d = find_deadline("各單位要落實24小時值班制度。", REF)
    assert (d.text, d.kind) == ("24小時", "recurring")
    d = find_deadline("每週開展一次巡查。", REF)
    assert (d.text, d.kind) == ("每週", "recurring")


def test_year_of_the_document():
    """The document's year, unless the words say 明年; a date already past is no deadline, except
    that a document of the last quarter reaches into the next year's first half."""
    july = dt.date(2025, 7, 10)
    assert dl("对排查出的重大隐患，要实行挂牌督办，9月底前全部整改销号。", july)[2] == "2025-09-30"
    assert dl("要对上半年排查发现的隐患，9月底前全部整改销号。", july) == ("9月底前", "date", "2025-09-30")
    assert dl("一季度排查发现的问题，确保5月底前全部整改到位。", dt.date(2025, 4, 2)) == ("5月底前", "date", "2025-05-31")
    assert dl("各单位要在4月中旬至10月底开展防汛专项检查。", july) == ("10月底", "date", "2025-10-31")
    assert dl("各单位要在4月中旬至10月底开展防汛专项检查。", dt.date(2025, 3, 1)) == ("10月底", "date", "2025-10-31")
    assert dl("燃气检查已于6月底前完成。", july) is None
    assert dl("明年3月底前完成方案制定。", july) == ("明年3月底前", "date", "2026-03-31")
    assert dl("三月底前完成摸底。", dt.date(2021, 12, 6)) == ("三月底前", "date", "2022-03-31")


def test_context_without_reference_date():
    d = find_deadline("各企业要开展自查。", None, context="（一）企业自查（即日起至8月15日）")
    assert d is not None and (d.kind, d.date) == ("date", None)


def test_the_name_of_a_pre_flood_check_is_no_deadline():
    # 汛前检查 / 汛前准备 name an activity; a date of the sentence is still its deadline.
    assert find_deadline("做好汛前准备工作。", REF) is None
    d = find_deadline("3月24日下午5点前上报汛前大检查台账。", dt.date(2025, 3, 10))
    assert (d.kind, d.date, d.text) == ("date", "2025-03-24", "3月24日下午5点前")


def test_dates_written_with_spaces():
    d = find_deadline("禁火期为2021 年 10 月 1 日至 2022 年 4 月 30 日。", dt.date(2021, 9, 20))
    assert (d.kind, d.date) == ("date", "2022-04-30")
    d = find_deadline("各地要在2021 年 12 月底前完成整改。", dt.date(2021, 9, 20))
    assert (d.kind, d.date, d.text) == ("date", "2021-12-31", "2021 年 12 月底前")


def test_a_span_that_ends_with_zhi_jieshu():
    d = find_deadline("各村自查时间自2025年3月17日开始，至2025年3月21日结束。", dt.date(2025, 3, 10))
    assert (d.kind, d.date) == ("date", "2025-03-21")
    # 截至 reports a state, it sets no deadline
    assert find_deadline("截至2025年3月21日，共排查隐患12处。", dt.date(2025, 3, 10)) is None


def test_how_often_a_duty_is_done_ranks_below_a_named_span():
    d = find_deadline("水文、气象部门要昼夜监视雨情、水情和天气变化。", REF)
    assert (d.kind, d.text) == ("recurring", "昼夜")
    d = find_deadline("两节期间，各单位要安排专人昼夜值班。", REF)
    assert (d.kind, d.text) == ("period", "两节期间")


def test_an_order_that_reacts_to_what_appears_is_no_deadline_of_the_task():
    # 出现…现象，立即报告 reacts to an event: the duty's own time (随时) is the deadline.
    d = find_deadline("监测人要随时监测隐患点，出现有裂缝加宽或土质松散等现象，立即向镇政府报告。", REF)
    assert (d.kind, d.text) == ("recurring", "随时")


def test_a_time_inside_a_documents_title_is_not_the_tasks():
    assert find_deadline("按照《县教育局关于常态化开展矛盾纠纷大排查的通知》要求，做好排查化解。", REF) is None
    d = find_deadline("按照《通知》要求，于6月30日前完成排查。", REF)
    assert (d.kind, d.date) == ("date", "2021-06-30")


def test_key_times_named_by_holidays_or_events_are_a_span_and_by_recurring_times_a_rota():
    named = find_deadline("各单位要紧盯元旦、春节、元宵节等重要时间节点，加强火灾防控。", REF)
    assert (named.text, named.kind) == ("重要时间节点", "period")
    event = find_deadline("运动会、全国“两会”等重大活动期间，要加强安全值守。", REF)
    assert event.kind == "period"
    rota = find_deadline("在学生放学后、周末、法定节假日等重点时期，要加强水域巡查。", REF)
    assert rota.kind == "recurring"
    assert find_deadline("在重点、敏感时段，要加强对各薄弱环节的检查。", REF).kind == "recurring"


def test_a_clause_that_opens_on_a_span_holds_for_that_span():
    # 交通管制期间，严禁… / 在此期间，禁止…: the order holds for the span the clause opens on.
    d = find_deadline("道路封闭施工期间，严禁各类车辆驶入施工区域。", REF)
    assert (d.text, d.kind, d.date) == ("道路封闭施工期间", "period", None)
    d = find_deadline("措施：在此期间，禁止一切野外用火。", REF)
    assert d.kind == "period" and "此期间" in d.text
    d = find_deadline("在景区特别管控期内，未经批准，禁止燃放孔明灯。", REF)
    assert d.kind == "period" and d.text.endswith("管控期内")
    # any other time the sentence names wins over the span
    d = find_deadline("封闭施工期间，要落实24小时值班制度。", REF)
    assert (d.text, d.kind) == ("24小时", "recurring")
    # a span in the middle of a clause, or a past one, frames no order
    assert find_deadline("要加强对检查期间发现问题的整改。", REF) is None


def test_a_campaign_carried_out_is_the_tasks_time_beside_a_rota_the_earlier_wins():
    # the campaign is the clause's task: it ranks with the rota after it, and the earlier wins
    d = find_deadline("全面推进城市燃气安全整治三年行动，常态化开展入户安检。", REF)
    assert (d.text, d.kind) == ("三年行动", "period")
    d = find_deadline("每月开展一次联合检查，扎实推进校园安全百日行动。", REF)
    assert (d.text, d.kind) == ("每月", "recurring")
    # named but not carried out (加强…的统筹指导, 健全…长效机制): it frames the task, the rota wins
    d = find_deadline("各部门要加强本行业三年行动的统筹指导，加强定期调度。", REF)
    assert (d.text, d.kind) == ("定期", "recurring")
    d = find_deadline("健全长江十年禁渔长效机制。", REF)
    assert (d.text, d.kind) == ("长效", "recurring")


@pytest.mark.parametrize("sentence, span", [
    ("推进城镇危旧房三年清零攻坚行动。", "三年清零攻坚行动"),
    ("持续推进长江“十年禁渔”。", "十年禁渔"),
    ("深入开展安全生产执法提升年活动。", "提升年活动"),
])
def test_campaigns_named_by_their_span_or_their_year(sentence, span):
    d = find_deadline(sentence, REF)
    assert (d.text, d.kind, d.date) == (span, "period", None)


def test_years_that_are_no_campaign_span():
    assert find_deadline("三年来开展专项行动成效明显，要总结经验。", REF) is None
    assert find_deadline("要组织好青年活动和老年活动。", REF) is None
    assert find_deadline("力争三年内完成专项行动。", REF).kind == "date"


def test_the_flood_season_is_a_rota_that_an_order_of_its_own_outranks():
    """汛期 sets the season a duty is kept in (recurring), but an immediate order or a date the sentence gives is
    the task's own time; 汛期 in the name of a mechanism, a plan or a check is no time at all."""
    assert dl("要加强汛期值班值守。")[:2] == ("汛期", "recurring")
    assert dl("要立即组织受威胁群众转移，确保汛期安全。")[:2] == ("立即", "immediate")
    assert dl("各乡镇要于7月10日前完成汛期隐患排查整治。")[1] == "date"
    assert dl("要健全完善尾矿库汛期预警机制。") is None
    assert dl("各地要制定汛期应急预案。") is None
    assert dl("加强节日期间的应急值守。")[:2] == ("节日期间", "recurring")
