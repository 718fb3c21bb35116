"""Directive extraction on the shapes the held-out set tests, with our own texts."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.extract.extractor import extract_directives
from pipeline.parse.document import parse_text

from .conftest import shared_file

runner = CliRunner()


def _texts(doc_text: str, fmt: str = "txt") -> list[str]:
    return [d.text for d in extract_directives(parse_text(doc_text, fmt))]


NEWS = """县政府召开防汛工作会议
2024-05-21 来源：某县融媒体中心
5月20日，县政府召开防汛工作会议，安排部署今年防汛工作。副县长李明出席并讲话。
会议强调，要充分认识防汛工作的极端重要性，切实增强责任感和紧迫感。一要全面排查风险隐患，6月10日前完成全县山洪灾害危险区和病险水库排查，建立隐患台账。二要落实24小时值班制度，各乡镇主要负责同志要带班值守。三要加强应急演练，汛前组织开展一次转移避险演练。
刚才，县水利局通报了去年防汛工作情况。
"""


def test_news_item_orders_one_by_one_and_reported_speech_left_out():
    doc = parse_text(NEWS, "txt")
    assert doc.meta["kind"] == "news" and doc.meta["date"] == "2024-05-20"
    found = extract_directives(doc)
    texts = [d.text for d in found]
    assert any("6月10日前完成全县山洪灾害危险区" in t for t in texts)
    assert any("落实24小时值班制度" in t for t in texts)
    assert not any("充分认识" in t for t in texts)          # attitude only
    assert not any("通报了去年" in t for t in texts)         # reported speech
    first = next(d for d in found if "6月10日前" in d.text)
    assert first.deadline and first.deadline.kind == "date" and first.deadline.date == "2024-06-10"
    duty = next(d for d in found if "24小时值班" in d.text)
    assert "应急救援" in duty.sectors


NOTICE = """关于开展燃气安全检查的通知
各乡镇人民政府，县直有关部门：
为做好燃气安全工作，现将有关事项通知如下。
一、检查内容
对全县餐饮场所燃气管道、报警装置安装使用情况开展全面检查。
二、工作要求
请各乡镇于4月30日前将检查情况报送县安委办。县住建局要会同县市场监管局开展瓶装液化石油气专项整治，对违法违规行为依法查处。
联系人：张三，电话：1234567。
某县安全生产委员会办公室
2024年3月8日
"""


def test_notice_requests_and_imperative_items():
    doc = parse_text(NOTICE, "txt")
    assert doc.meta["kind"] == "notice" and doc.meta["date"] == "2024-03-08"
    found = {d.text: d for d in extract_directives(doc)}
    report = next(d for t, d in found.items() if "4月30日前" in t)
    assert report.deadline.date == "2024-04-30"
    assert any("各乡镇" in p for p in report.parties)
    assert any("开展全面检查" in t for t in found)             # imperative item without 要
    assert not any("联系人" in t for t in found)
    gas = next(d for t, d in found.items() if "瓶装液化石油气" in t)
    assert "城镇燃气" in gas.sectors and any("住建局" in p for p in gas.parties)


REPORT = """某县2024年安全生产工作总结
一、2024年工作回顾
过去一年，全县累计排查隐患3200处，已完成整改3100处。建成电动自行车集中充电桩200个。
二、2025年工作打算
下一步，我们将在6月底前完成全县经营性自建房安全排查整治。
开展城镇燃气安全专项整治，年底前完成餐饮场所报警装置全覆盖。
"""


def test_report_reviews_are_not_orders_but_this_years_tasks_are():
    texts = _texts(REPORT)
    assert not any("累计排查隐患" in t for t in texts)
    assert not any("建成电动自行车集中充电桩200个" in t for t in texts)
    assert any("经营性自建房安全排查整治" in t for t in texts)
    assert any("餐饮场所报警装置全覆盖" in t for t in texts)


def test_what_a_body_commits_itself_to_next_in_a_news_item_is_a_task_with_or_without_jiang():
    news = ("某镇开展燃气安全专项检查\n3月5日，某镇组织对辖区餐饮场所开展燃气安全专项检查，共检查场所32家。\n"
            "下一步，某镇继续督促生产经营单位开展燃气安全培训，持续开展燃气安全隐患排查整治。\n")
    texts = _texts(news)
    assert any(t.startswith("下一步，某镇继续督促") for t in texts)
    assert not any("共检查场所32家" in t for t in texts)


def test_outline_block_does_not_repeat_directives_and_heading_links_body():
    text = ("【提纲】一、压实责任。（一）开展燃气隐患排查，建立隐患台账。\n"
            "在全县安全生产会议上的讲话\n同志们：\n一、压实责任\n"
            "（一）开展燃气隐患排查，建立隐患台账。各乡镇要在6月底前开展燃气隐患排查，建立隐患台账，逐项销号。\n")
    found = extract_directives(parse_text(text, "txt"))
    headings = [d for d in found if d.text.startswith("（一）开展燃气隐患排查")]
    assert len(headings) == 1                       # the 提纲 copy yields nothing
    body = next(d for d in found if d.text.startswith("各乡镇要在6月底前"))
    assert body.same_task_as is not None and found[body.same_task_as] is headings[0]


def test_ascii_punctuation_traditional_and_wrapped_lines():
    ascii_text = "关于防汛工作的通知\n各乡镇要立即组织排查山洪灾害隐患,建立台账;县应急管理局要加强督导检查.\n"
    assert any("立即组织排查" in t for t in _texts(ascii_text))
    trad = ("關於加強燃氣安全的通知\n各鄉鎮要在年底前完成餐飲場所燃氣(rán qì)報警裝置安裝，"
            "建立檢查台賬。縣住建局要加強督導檢查。\n")
    doc = parse_text(trad, "txt")
    found = extract_directives(doc)
    assert found and "燃氣(rán qì)" in found[0].text           # the original text is kept
    assert "城镇燃气" in found[0].sectors and found[0].deadline.kind == "date"
    paragraph = ("各街道要在九月底前完成辖区内全部住宅小区电动自行车集中充电设施建设情况排查，建立问题清单，"
                 "逐一整改销号。区消防救援大队要加强对高层住宅电动自行车进楼入户问题的检查，发现一起查处一起。"
                 "区住建局要督促物业服务企业落实日常巡查责任。")
    width = 20   # as copied from a PDF: every line cut at the column width, mid-word
    wrapped = "关于加强电动自行车管理的通知\n" + "\n".join(paragraph[i:i + width] for i in range(0, len(paragraph), width))
    texts = _texts(wrapped)
    assert any("电动自行车集中充电设施建设情况排查" in t for t in texts)
    assert any(t.startswith("区消防救援大队要加强") for t in texts)


def test_excerpt_cut_mid_sentence_still_yields_its_orders():
    text = "某区安全生产会议讲话（节选）\n各街道要立即开展燃气安全大排查，建立隐患台账。必须督促企业落实全员安全生产责任制，做到……\n"
    texts = _texts(text)
    assert any("立即开展燃气安全大排查" in t for t in texts)


def test_offsets_point_into_the_printed_body_on_the_seeds():
    for name in ("000_ea4cc307c7408ef2.txt", "002_dbaaf69f14cffc4e.txt", "004_532243f049fa7a3c.txt"):
        path = shared_file("seeds", name)
        result = runner.invoke(app, ["extract", "--format", "jsonl", str(path)])
        rec = json.loads(result.stdout.splitlines()[0])
        assert rec["directives"]
        for d in rec["directives"]:
            assert rec["body"][d["start"]:d["end"]] == d["text"]


def test_evaluate_reports_the_dev_scores():
    gold = shared_file("gold", "extract_dev.jsonl")
    result = runner.invoke(app, ["evaluate", str(gold)])
    assert result.exit_code == 0, result.output
    line = result.stdout.strip().splitlines()[-1]
    assert line.startswith("summary: directive_f1=")
    f1 = float(line.split("directive_f1=")[1].split()[0])
    assert f1 >= 0.85


def test_parties_as_written_split_and_continued():
    text = ("关于加强矿山安全的通知\n"
            "县交通运输局、公安局交警大队要联合开展货车超限超载专项整治。"
            "县应急管理局要会同县自然资源局对全县露天矿山开展联合执法检查。"
            "生产经营单位是安全生产的责任主体，要按规定提取安全费用。要加强从业人员培训。\n"
            "縣住建局要督促物業服務企業每週開展一次防火巡查。\n")
    found = extract_directives(parse_text(text, "txt"))
    by_start = {d.text[:6]: d.parties for d in found}
    assert by_start["县交通运输局"] == ["县交通运输局", "公安局交警大队"]
    assert by_start["县应急管理局"] == ["县应急管理局", "县自然资源局"]
    assert by_start["生产经营单位"] == ["生产经营单位"]
    assert by_start["要加强从业人"] == ["生产经营单位"]      # continues the subject before it
    assert by_start["縣住建局要督"] == ["縣住建局"]           # the surface string, as written


def test_a_work_reports_sentences_do_not_carry_a_body_one_of_them_names():
    # A government work report speaks for the government throughout: 各县（区） acts in its own sentence
    # only, and the tasks after it in the paragraph are the government's (no lead-in, no item heading).
    body = ("全力抓好项目建设。各县（区）要比照市里做法建立项目调度机制。"
            "深入开展扩大有效投资攻坚行动，新开工重大项目50个。加快推进城镇燃气管网更新改造，完成改造管网120公里。\n")
    report = extract_directives(parse_text("2026年某市政府工作报告\n二、2026年重点工作\n" + body, "txt"))
    by_start = {d.text[:6]: d.parties for d in report}
    assert by_start["各县（区）要"] == ["各县（区）"]
    assert by_start["深入开展扩大"] == [] and by_start["加快推进城镇"] == []
    # The same paragraph in a notice: the sentences after it continue its subject, as before.
    notice = extract_directives(parse_text("关于抓好项目建设的通知\n" + body, "txt"))
    assert {d.text[:6]: d.parties for d in notice}["加快推进城镇"] == ["各县（区）"]


def test_an_orders_verb_read_into_the_body_after_it_is_no_part_of_its_name():
    from pipeline.extract.parties import _clean

    assert _clean("组织相关部门") == "相关部门"
    assert _clean("禁止任何单位和个人") == "任何单位和个人"
    assert _clean("落实高层建筑单位") == "高层建筑单位"
    assert _clean("组织部门") == "组织部门"     # a body of its own name: what is left is too short


def test_what_a_body_must_do_is_no_part_of_its_name():
    """要求各地各有关部门坚持以人为本，…: the demand's comma comes after the act, but the body's name ends at its
    last body word when a verb follows; a name that goes on with a noun (各村网格员) stays whole."""
    from pipeline.extract.parties import own_parties

    assert own_parties("通知要求各地各有关部门坚持以人为本，高度重视防暑降温工作。") == ["各地各有关部门"]
    assert own_parties("会议要求全体企业携手同行，切实落实主体责任。") == ["全体企业"]
    assert own_parties("各村网格员要加强巡查。") == ["各村网格员"]
    assert own_parties("各有关部门负责人要到岗到位。") == ["各有关部门负责人"]
    assert own_parties("请各乡镇（街道）于6月底前上报。") == ["各乡镇（街道）"]
    # an adverb of the work ends a request's body, 积极 and 主动 as 认真 and 及时 do
    assert own_parties("请各位住户积极配合，不要在楼道内堆放杂物。") == ["各位住户"]


def test_lists_of_bodies_with_bracket_notes_and_bodies_named_by_what_they_are():
    from pipeline.extract.parties import own_parties

    # one character before the first note, and a long list after it
    assert own_parties("同时，区(市)政府、经济功能区管委、乡镇政府和街道办事处也要每季度筛选隐患挂牌督办。") == [
        "区(市)政府", "经济功能区管委", "乡镇政府", "街道办事处"]
    # 村居 (village and residents' committees) is a body, as 社区 is
    assert own_parties("县(市、区)水利部门、乡镇(街道)、村居(社区)要组建基层防汛抗旱队伍。") == [
        "县(市、区)水利部门", "乡镇(街道)", "村居(社区)"]
    # 在建/在岗 open a name; 在 before a time or a place does not
    assert own_parties("在建工程各方责任主体要密切关注天气变化。") == ["在建工程各方责任主体"]
    assert own_parties("在岗人员要坚守岗位。") == ["在岗人员"]
    assert own_parties("在建设过程中，各单位要加强管理。") == ["各单位"]
    assert own_parties("在汛期各乡镇要加强值守。") == []


def test_a_body_set_off_by_a_comma_before_its_order():
    from pipeline.extract.parties import own_parties

    assert own_parties("停产停工企业，要做好设备断电、物料封存等工作。") == ["停产停工企业"]
    assert own_parties("作为企业业主，要进一步强化安全生产意识。") == ["企业业主"]
    for text in ("为此，要加强管理。", "同时，要做好宣传。", "会议指出，要加强领导。"):
        assert own_parties(text) == []
    # an order's clause that ends with a body word names none (…加强对防治工作的领导，要…)
    assert own_parties("各地各部门要履行好职责，加强对地质灾害防治工作的领导，要强化部门职责。") == ["各地各部门"]
    # a run-in item heading before its body: the 各… at its end acts
    assert own_parties("二、加强重点场所和特殊作业安全管理各企业要认真分析研判节日期间的特点。") == ["各企业"]
    assert own_parties("健全各类要素由市场评价贡献的分配机制。") == []


def test_a_person_named_by_the_role_they_answer_for():
    from pipeline.extract.parties import own_parties

    assert own_parties("行政责任人要加强水库度汛工作组织领导。") == ["行政责任人"]
    assert own_parties("2.排查责任人在排查时要作好记录。") == ["排查责任人"]
    assert own_parties("监护人在节假日期间要加强看护。") == ["监护人"]
    assert own_parties("各单位要明确整改责任人。") == ["各单位"]      # the object of an order is no party
    assert own_parties("任何人在林区不得吸烟。") == []


def test_areas_that_must_act_are_a_party():
    from pipeline.extract.parties import own_parties

    assert own_parties("周边地区要组织对输电线路逐一开展排查，提高巡查频次。") == ["周边地区"]
    assert own_parties("在山区地区开展排查。") == []


def test_parties_as_written_across_pinyin_glosses():
    # A re-host that glosses its characters: the party is the surface string, glosses and all
    # (spec: parties "as written in the sentence"), so it matches a reader's copy of the page.
    text = ("關於冬春火災防控的通知\n"
            "各鄉(xiāng)鎮(zhèn)、各有關(guān)部門要立即開展火災隱患排查整治，建立台賬。\n")
    found = extract_directives(parse_text(text, "txt"))
    assert found and found[0].parties == ["各鄉(xiāng)鎮(zhèn)", "各有關(guān)部門"]
    assert all(p in found[0].text for p in found[0].parties)


def test_a_bullet_and_the_work_named_before_its_body_are_no_part_of_it():
    from pipeline.extract.parties import own_parties

    assert own_parties("• 各村(社区)开展拉网式隐患排查，重点检查消防通道。") == ["各村(社区)"]
    assert own_parties("小型水库、排涝泵站汛前检查由农业综合服务中心负责组织。") == ["农业综合服务中心"]
    assert own_parties("自由贸易试验区管委会要加强安全检查。") == ["自由贸易试验区管委会"]


def test_the_speakers_we_is_no_part_of_a_body_and_a_comma_may_stand_before_its_order():
    from pipeline.extract.parties import own_parties

    assert own_parties("春运期间，我们交警部门一定要加大巡逻力度。") == ["交警部门"]
    assert own_parties("特别是各企业单位，要切实履行主体责任，完善应急预案。") == ["各企业单位"]
    assert own_parties("我们要加强检查。") == []


def test_a_bracketed_note_after_a_body_and_a_forest_farm_split_as_bodies():
    from pipeline.extract.parties import split_parties

    assert split_parties("各乡(镇、街道)、国有林场") == ["各乡(镇、街道)", "国有林场"]
    assert split_parties("县应急局（安委办）、县林业局") == ["县应急局（安委办）", "县林业局"]


def test_a_request_names_its_addressees_whatever_work_follows():
    """请 + a body + the work (加强, 妥善, 密切, 组织 …): the body is the party, as after 认真 or 及时."""
    from pipeline.extract.parties import own_parties

    assert own_parties("请餐饮等行业生产经营单位加强安全管理，安装可燃气体报警装置。") == ["餐饮等行业生产经营单位"]
    assert own_parties("请与会人员妥善安排工作，提前十分钟到场。") == ["与会人员"]
    assert own_parties("请相关部门密切关注雨情水情。") == ["相关部门"]


def test_who_takes_the_next_steps_acts_a_place_included():
    """下一步，X将/继续… and 会后，X将…: the subject of the steps to come is a party, a town or city too (a
    place is no party elsewhere); the speaker's 我们 is none."""
    from pipeline.extract.parties import own_parties

    assert own_parties("下一步，我县将持续开展燃气安全隐患排查整治。") == ["我县"]
    assert own_parties("会后，梅溪镇将加快推进商场市场消防安全专项整治工作。") == ["梅溪镇"]
    assert own_parties("下一步，县住建局继续加强建筑施工安全监管。") == ["县住建局"]
    assert own_parties("下一步，各乡镇、各部门要加强值班值守。") == ["各乡镇", "各部门"]
    assert own_parties("下一步，我们将持续加强巡查。") == []
    assert own_parties("梅溪镇将加快推进消防安全专项整治工作。") == []


def test_anyone_a_prohibition_binds_is_a_party_and_is_not_carried_on():
    """禁止任何单位和个人… / 任何单位或个人发现…应当…: the phrase is the party whatever verb follows; a body that
    must act enforces the prohibition instead; the sentence after it does not continue it."""
    from pipeline.extract.parties import own_parties

    assert own_parties("二、禁止任何单位和个人进入水库禁区捕鱼、挖沙。") == ["任何单位和个人"]
    assert own_parties("三、任何单位或个人发现森林火情，应当立即报告镇应急值班室。") == ["任何单位或个人"]
    assert own_parties("各乡镇要加强巡查，严禁任何单位和个人违规野外用火。") == ["各乡镇"]
    assert own_parties("任何人不得将危险化学品带出实验室。") == []
    text = ("青溪县人民政府关于禁止燃放烟花爆竹的通告\n"
            "在县城建成区范围内，禁止任何单位或者个人生产、运输、经营、燃放烟花爆竹。"
            "禁止携带烟花爆竹搭乘公共交通工具。\n")
    found = {d.text: d for d in extract_directives(parse_text(text, "txt"))}
    first = next(d for t, d in found.items() if t.startswith("在县城建成区"))
    assert first.parties == ["任何单位或者个人"]
    second = next(d for t, d in found.items() if t.startswith("禁止携带"))
    assert second.parties == []


def test_how_soon_a_body_must_act_is_no_part_of_its_name():
    """各行业主管部门及时按要求将…: the duty's adverb after the last body word ends the name, as a verb does."""
    from pipeline.extract.parties import own_parties

    assert own_parties("3.各行业主管部门及时按要求将预警信息通知到施工营地。") == ["各行业主管部门"]
    assert own_parties("各有关单位立即按预案组织人员撤离。") == ["各有关单位"]


def test_whom_a_demand_names_before_the_work_acts():
    """要求/责令 + a body + the work: the body acts; 督促 + a body names whom the acting body oversees."""
    from pipeline.extract.parties import own_parties

    assert own_parties("针对在建工地，王华要求施工单位严格遵守安全生产规章制度。") == ["施工单位"]
    assert own_parties("检查组责令该企业立即停产整改。") == ["该企业"]
    assert own_parties("要求进一步加强燃气安全管理。") == []
    assert "企业" not in own_parties("检查组督促企业针对风险隐患逐条制定整改措施。")


def test_a_list_of_partners_splits_as_a_list_of_subjects_does():
    from pipeline.extract.parties import own_parties

    assert own_parties("我局将会同各镇街、有关部门，安排专人逐一落实船舶归港情况。") == ["我局", "各镇街", "有关部门"]


def test_when_or_where_any_body_acts_is_no_part_of_its_name():
    """…在节假日期间要…: the body before 在 acts, whatever it opens with."""
    from pipeline.extract.parties import own_parties

    assert own_parties("村干部和值班人员在节假日期间要畅通信息渠道，发现重大情况要及时报告。") == ["村干部", "值班人员"]
    assert own_parties("街道安委办有关成员单位在会议上报告本单位安全生产工作完成情况。") == ["街道安委办有关成员单位"]


def test_a_requests_comma_list_splits_its_parts_as_any_list_of_bodies():
    """请甲、乙、各丙，丁…: the part listed with 、 splits as the subject's list does, not kept whole beside its parts."""
    from pipeline.extract.parties import own_parties

    assert own_parties("请开发区、产业园区、各村社区，区应急管理局成员单位于月底前报送排查情况。") == [
        "开发区", "产业园区", "各村社区", "区应急管理局成员单位"]


def test_the_zhu_of_zhuyao_is_no_owner_before_an_order():
    """主要 (mainly, or 主要负责人) is one word: its 要 is no order, so 各养老机构主 and 企业主 are no bodies;
    as an adverb it ends the body's name, as the other adverbs of a request do."""
    from pipeline.extract.parties import own_parties

    assert own_parties("请各敬老院主要从用电、用气两个方面开展自查。") == ["各敬老院"]
    assert own_parties("请各敬老院主要负责人于本周内开展自查。") == ["各敬老院主要负责人"]
    assert own_parties("特别是企业主要负责人要带队检查。") == ["企业主要负责人"]
    assert own_parties("请各敬老院要立即开展自查。") == ["各敬老院"]


def test_what_a_body_acts_on_is_no_part_of_its_name():
    """镇政府防灾责任人对防灾责任点要…: the body is the name before 对; an act that ends in a role's word
    (深入学习贯彻习近平总书记对…的重要讲话) names no body."""
    from pipeline.extract.parties import own_parties

    assert own_parties("镇政府防灾责任人对防灾责任点要每月进行一次巡查。") == ["镇政府防灾责任人"]
    assert own_parties("学校对排查出来的各类安全隐患要进行登记，建立台账。") == ["学校"]
    assert own_parties("做好政府工作，要深入学习贯彻习近平总书记对本省工作的重要讲话精神。") == []


def test_the_bodies_the_work_is_given_to_act():
    """由X和Y共同进行… / 由X汇总后…: the bodies the work is given to act."""
    from pipeline.extract.parties import own_parties

    assert own_parties("由县自然资源局和梅溪镇政府共同进行调查摸底。") == ["县自然资源局", "梅溪镇政府"]
    assert "各县级应急管理部门" in own_parties("由各县级应急管理部门汇总后报送市应急管理局。")


def test_a_zone_a_responsibility_line_names_answers_for_the_task():
    """（责任单位：县安委办、梅溪经开区、县应急局）: the zone is listed among the bodies, and is one."""
    from pipeline.extract.parties import own_parties

    found = own_parties("完善危险化学品安全监管工作体系。（责任单位：县安委办、梅溪经开区、县应急局；治理时限：2022年11月）")
    assert found == ["县安委办", "梅溪经开区", "县应急局"]
