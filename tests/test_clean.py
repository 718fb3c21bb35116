"""The cleaning chain: furniture out, body in, partial and no-body pages told apart."""

from __future__ import annotations

import pytest

from pipeline.parse.clean import clean_lines, reflow, split_lines
from pipeline.parse.document import parse_text
from pipeline.parse.html import html_to_text

from .conftest import shared_file

GOV_PAGE = """<html><head><meta charset="utf-8"><title>关于开展燃气安全检查的通知_某县人民政府</title>
<meta name="ArticleTitle" content="关于开展燃气安全检查的通知"><meta name="PubDate" content="2024-03-15 10:20">
</head><body><div class="nav"><a href="/">首页</a><a href="/zw">政务公开</a></div>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 安全生产</div>
<div class="article"><h1>关于开展燃气安全检查的通知</h1>
<div class="info">发布时间：2024-03-15 来源：县应急管理局 浏览次数：123</div>
<div class="zoom">【字号：大 中 小】</div>
<p>各乡镇人民政府，县直有关部门：</p>
<p>为切实做好燃气安全工作，现就有关事项通知如下。</p>
<p>一、各乡镇要于4月30日前完成辖区内餐饮场所燃气报警装置安装情况排查，建立问题台账。</p>
<p>二、县住建局要会同县市场监管局开展瓶装液化石油气专项检查，对违法违规行为依法查处。</p>
<p>图为检查现场</p>
<p>责任编辑：张三</p></div>
<div class="share">分享到：微信 微博</div>
<div class="related"><h3>相关链接</h3><ul><li><a href="/a">关于做好汛期安全工作的通知</a></li></ul></div>
<div class="footer">版权所有：某县人民政府 备案号：京ICP备12345678号</div>
</body></html>"""


def test_gov_page_furniture_is_removed_and_meta_read():
    doc = parse_text(GOV_PAGE, "html", "page.html")
    assert doc.meta["title"] == "关于开展燃气安全检查的通知"
    assert doc.meta["published"] == "2024-03-15"
    assert doc.meta["kind"] == "notice"
    for junk in ("当前位置", "浏览次数", "字号", "图为检查现场", "责任编辑", "分享到", "相关链接", "版权所有", "备案号"):
        assert junk not in doc.body, junk
    assert "建立问题台账" in doc.body and "依法查处" in doc.body


def test_fanwen_teaser_flags_partial_and_is_cut():
    lines = split_lines("某某范文网 首页\n区长在全区安全生产会议上的讲话\n2024-01-02 某某范文网\n"
                        "同志们：\n各街道要立即开展燃气安全大排查，建立隐患台账。\n"
                        "预览阅读已结束,若您需要全文或代笔。\n请点击联系老师\n相关阅读\n最近更新")
    cleaned = clean_lines(lines)
    assert cleaned.partial
    assert cleaned.title == "区长在全区安全生产会议上的讲话"
    assert all("预览阅读" not in p and "联系老师" not in p and "相关阅读" not in p for p in cleaned.paragraphs)


def test_hard_wrapped_lines_are_reflowed():
    lines = ["各街道要在六月底前完成辖区内全部瓶装液化石油气用户的", "入户安全检查，建立用户档案，并将检查",
             "结果报区应急管理局。", "二、加强宣传。"]
    assert reflow(lines)[0] == "各街道要在六月底前完成辖区内全部瓶装液化石油气用户的入户安全检查，建立用户档案，并将检查结果报区应急管理局。"
    assert reflow(lines)[1] == "二、加强宣传。"


def test_labelled_lines_stay_records_of_their_own():
    """A minutes' or a plan's labelled lines (出席：…, 分送：…, 责任单位：…) are records, however long the line
    before them: run together, a list of bodies would be read as the last item's parties."""
    lines = ["四、县交通运输局负责，县公安局交警大队配合，年底前完成事故多发路段防护设施完善", "责任单位：县住建局、县自然资源局、县应急管理局、县交通运输局",
             "出席：王某、李某、张某", "各位代表：", "分送：县委办、县政府办、各乡镇人民政府"]
    assert reflow(lines) == lines


def test_page_without_body_says_so():
    page = shared_file("corpus", "handan-jiaoyu-sannian-page.html")
    doc = parse_text(page.read_text(encoding="utf-8"), "html", str(page))
    assert doc.no_body and doc.body == ""
    assert doc.meta["title"].startswith("邯郸市教育局关于印发")


def test_seed_bodies_keep_text_and_drop_debris():
    import json

    gold = shared_file("gold", "extract_dev.jsonl")
    for line in gold.read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        path = shared_file("seeds", g["source"])
        body = "".join(parse_text(path.read_text(encoding="utf-8"), "txt", g["source"]).body.split())
        for s in g["must_contain"]:
            assert "".join(s.split()) in body, (g["source"], s)
        for s in g["must_not_contain"]:
            assert "".join(s.split()) not in body, (g["source"], s)


def test_nea_notice_fragment_html_keeps_paragraphs():
    page = shared_file("corpus", "nea-dongchun-huozai-2021.html")
    text = html_to_text(page.read_text(encoding="utf-8"))
    assert any(line.startswith("一、工作目标") for line in text.lines)
    doc = parse_text(page.read_text(encoding="utf-8"), "html", str(page))
    assert doc.meta["title"] == "国家能源局综合司关于做好今冬明春电力行业火灾防控工作的通知"
    assert doc.meta["date"] == "2021-12-06"
    assert "于2022年3月31日前" in doc.body


def test_traditional_text_gets_simplified_analysis_form_and_keeps_original():
    doc = parse_text("各級政府要加強安全生產(chǎn)監管，確保安全(ān quán)責任落實到位，年底前完成排查。", "txt")
    assert "安全生產(chǎn)" in doc.body
    assert "安全生产监管" in doc.analysis and "chǎn" not in doc.analysis


def test_an_articles_own_pager_is_furniture_but_figures_stay():
    lines = ["各乡镇要于4月30日前完成燃气报警装置安装情况排查，建立问题台账。", "上一页 1 2 3 下一页 尾页",
             "共3页 第1页 首页 上一页 下一页 尾页", "[1] [2] [3]", "第1页 第2页 第3页", "1 2 3 ... 10 尾页",
             "2024", "3.5", "12", "各街道要在6月底前完成隐患整改。"]
    kept = clean_lines(lines).paragraphs
    assert kept == [lines[0], "2024", "3.5", "12", lines[-1]]


def test_printed_page_numbers_between_lines_are_dropped_and_the_sentence_rejoined():
    """A PDF of an official document keeps its page footer (GB/T 9704 “— 1 —”) where the page broke,
    often inside a sentence; a figure with dashes on one side only, or a range, stays."""
    text = ("关于印发燃气安全专项整治方案的通知\n"
            "  区住建局要对全年整治工作进行全面总结，推动燃气安全管理制度化、规范\n\n"
            "                    — 1 —\n化。\n  各街道要在- 2 -周内完成自查，整改率达到100%。\n- 12 -\n")
    body = parse_text(text, "txt", "plan.txt").body
    assert "制度化、规范化。" in body and "— 1 —" not in body and "- 12 -" not in body
    assert "在- 2 -周内" in body


def test_official_header_report_opening_and_split_title():
    # A red-header notice: the issuer's banner and its number (re-typed with [ ]) are not the title,
    # and 中共泰安市委 names the place 泰安市.
    notice = ("国务院安全生产委员会文件\n安委会[2024]2号\n"
              "国务院安全生产委员会关于加强燃气安全排查整治的通知\n各省、自治区、直辖市人民政府：\n"
              "各省级安委会要于3月底前完成燃气安全排查整治，建立问题隐患台账。\n")
    meta = parse_text(notice, "txt").meta
    assert meta["title"] == "国务院安全生产委员会关于加强燃气安全排查整治的通知"
    assert meta["kind"] == "notice" and meta["level"] == "国家"
    taian = ("中共泰安市委泰安市人民政府安全生产委员会办公室关于抓好问题整改工作的通知\n各县市区安委会办公室：\n"
             "各县市区要于4月底前完成问题整改，建立整改台账。\n")
    assert parse_text(taian, "txt").meta["place"] == "泰安市"
    # A work report: its title cut over two lines, its dateline, the speaker's role and name on lines
    # of their own; it opens like a speech (各位代表：) but is a report.
    report = ("政府工作报\n告\n——2021年3月5日在第十三届全国人民代表大会第四次会议上\n国务院总理\n李 强\n各位代表：\n"
              "现在，我代表国务院，向大会报告政府工作，请予审议。\n一、2020年工作回顾\n"
              "过去一年，我们统筹发展和安全，安全生产形势总体稳定，重特大事故起数下降。\n")
    parsed = parse_text(report, "txt")
    assert parsed.meta["title"] == "政府工作报告" and parsed.meta["kind"] == "report"
    assert parsed.meta["date"] == "2021-03-05" and parsed.meta["meeting"] == "第十三届全国人民代表大会第四次会议"
    assert (parsed.meta["speaker"], parsed.meta["speaker_role"]) == ("李强", "国务院总理")
    assert parsed.body.split("\n")[0] == "——2021年3月5日在第十三届全国人民代表大会第四次会议上"


def test_a_title_written_below_a_forwarding_notice_or_a_list_entry_is_found():
    """A forwarding notice above the plan it forwards, whose title is set over two short lines; a
    document-sharing site's numbered entry above the title written again."""
    forwarded = ("各镇人民政府，县政府各工作部门：\n"
                 "县住建局制定的《青溪县燃气管线安全隐患整治工作方案》已经县政府同意，现印发给你们，请认真贯彻落实。\n"
                 "青溪县人民政府办公室\n2024年2月27日\n青溪县燃气管线安全隐患\n整治工作方案\n"
                 "一、工作目标\n各镇要在6月底前完成燃气管线隐患排查，建立隐患台账。\n")
    meta = parse_text(forwarded, "txt").meta
    # the page is the notice that issues the plan (the guide: kind notice), titled by the plan it issues
    assert meta["title"] == "青溪县燃气管线安全隐患整治工作方案" and meta["kind"] == "notice"
    shared = ("<ol></ol>\n1. 柳溪镇地质灾害防治工作实施方案\n发布时间：2025-07-15  来源：范文\n"
              "柳溪镇地质灾害防治工作实施方案\n一、防御措施\n各村要组织力量对隐患点进行排查，发现异常立即转移人员。\n")
    parsed = parse_text(shared, "txt")
    assert parsed.meta["title"] == "柳溪镇地质灾害防治工作实施方案" and parsed.meta["kind"] == "plan"
    assert "柳溪镇地质灾害防治工作实施方案" not in parsed.body
    # an emergency plan forwarded the same way (预案 ends a title too)
    plan = ("柳府办函〔2022〕7号\n各镇人民政府，县级各部门：\n《柳溪县2022年地质灾害应急预案》已经县政府同意，现印发你们。\n"
            "柳溪县人民政府办公室\n2022年3月25日\n柳溪县2022年地质灾害应急预案\n一、总则\n各镇要建立地质灾害群测群防体系。\n")
    assert parse_text(plan, "txt").meta["title"] == "柳溪县2022年地质灾害应急预案"
    # a page flattened into one line: the title set off by a space before the document's number
    flat = ("柳溪市人民政府关于切实加强汛期地质灾害监测预防工作的紧急通知 柳市府函(2008)83号 各区、县人民政府，市级有关部门："
            "当前正值主汛期，我市系地质灾害多发区，各区县要立即组织力量对地质灾害隐患点开展拉网式排查，落实监测责任人，"
            "发现险情要及时组织群众转移避险，确保人民群众生命财产安全，各有关部门要按照职责分工密切配合，"
            "做好地质灾害防治工作。\n")
    parsed_flat = parse_text(flat, "txt")
    assert parsed_flat.meta["title"] == "柳溪市人民政府关于切实加强汛期地质灾害监测预防工作的紧急通知"
    assert parsed_flat.meta["kind"] == "notice"
    assert parsed_flat.body.split("\n")[:2] == ["柳市府函(2008)83号", "各区、县人民政府，市级有关部门："]
    # …or run straight into its number and addressees, no space between (a cited notice is no title)
    unspaced = parse_text("关于开展2017年建筑施工安全专项整治工作的通知柳建函〔2017〕3号各区县住建局，市级有关单位："
                          "为进一步加强建筑施工安全工作，现通知如下。\n一、各区县要开展拉网式排查。\n", "txt")
    assert unspaced.meta["title"] == "关于开展2017年建筑施工安全专项整治工作的通知"
    assert unspaced.body.split("\n")[:2] == ["柳建函〔2017〕3号", "各区县住建局，市级有关单位："]
    cited = parse_text("根据市安委办《关于印发大检查方案的通知》要求，各单位：立即开展排查。\n", "txt")
    assert cited.meta["title"] != "根据市安委办《关于印发大检查方案的通知"
    # a 范文 page's title in brackets with its text run on after it; a title that ends as a speech is one
    bracketed = parse_text("【某区消防大队春节活动安排计划】为营造祥和的节日氛围，增强群众消防安全意识，特制定本计划。\n"
                           "一、开展消防安全宣传活动\n", "txt")
    assert bracketed.meta["title"] == "某区消防大队春节活动安排计划" and bracketed.meta["kind"] == "plan"
    assert bracketed.body.startswith("为营造祥和的节日氛围")
    closing = parse_text("【学校消防应急演练总结讲话】各位老师、同学们：\n今天我们开展了消防应急演练，大家要牢记疏散路线。\n", "txt")
    assert closing.meta["title"] == "学校消防应急演练总结讲话" and closing.meta["kind"] == "speech"
    labelled = parse_text("【预警信息】某县防汛抗旱指挥部关于终止防汛应急响应的通知\n各乡镇：经研究，决定终止应急响应。\n", "txt")
    assert labelled.meta["title"] == "某县防汛抗旱指挥部关于终止防汛应急响应的通知"
    # a site's column before the title is no part of it
    column = "政策解读：柳溪市安全生产治本攻坚三年行动方案\n各县区要在3月底前制定本地实施方案。\n"
    assert parse_text(column, "txt").meta["title"] == "柳溪市安全生产治本攻坚三年行动方案"
    # a page whose first lines are all sentences keeps no title
    assert parse_text("各村要组织力量对隐患点进行排查。\n各镇要在6月底前完成整改。\n", "txt").meta["title"] is None


def test_the_columns_name_after_a_breadcrumb_is_furniture():
    page = ("您的位置:\n首页\n>\n云南要闻\n云南要闻\n2026年政府工作报告\n来源：云南日报\n"
            "——2026年1月28日在云南省第十四届人民代表大会第四次会议上\n省长　王予波\n各位代表：\n"
            "现在，我代表省人民政府，向大会报告工作，请予审议，并请省政协委员提出意见。\n"
            "一、2025年工作回顾\n过去一年，全省安全生产形势持续稳定，较大事故起数下降。\n")
    parsed = parse_text(page, "txt")
    assert parsed.meta["title"] == "2026年政府工作报告" and "云南要闻" not in parsed.body
    assert (parsed.meta["speaker"], parsed.meta["speaker_role"]) == ("王予波", "省长")


def test_tool_rows_image_names_and_wechat_feet_are_furniture():
    page = ("某县召开安全生产工作会议\n【打印】 【字体:\n设置字体大小:【 】 【打印】 【页面调色板 发布时间:2015-11-13\n"
            "发文日期: 2022-11-30 发布机构: 某区人民政府• 标题• 正文• 手机• 字号:\n"
            "5月6日，某县召开安全生产工作会议，要求各乡镇立即开展燃气安全隐患排查整治。\n"
            "微信图片_20210727163511.jpg\n• 打印\n本文来源: 林业厅\n(责任编辑:张三)\n扫码使用手机浏览本页内容\n"
            "预览时标签不可点收录于话题#个上一篇下一篇\n(来源:某县融媒体中心 转载:李四) |\n")
    body = parse_text(page, "txt").body
    assert body == "5月6日，某县召开安全生产工作会议，要求各乡镇立即开展燃气安全隐患排查整治。"


def test_a_role_on_the_last_line_names_no_speaker():
    assert parse_text("政府工作报告\n各位代表：现在，我代表国务院，向大会报告政府工作。\n国务院总理\n", "txt").meta["speaker"] is None


def test_header_buttons_menu_bullets_and_a_dated_info_line_are_furniture():
    page = ("• 设为首页\n  • 加入收藏\n  • 长者版\n搜索历史清空\n  • 水处理\n"
            "政策|《青禾县燃气安全专项整治实施方案》\n"
            "2024-05-13 09:34来源:某某环保网关键词:燃气安全收藏点赞\n"
            "为切实做好燃气安全工作，结合我县实际，特制定本方案。\n"
            "一、工作目标\n全面排查整治燃气安全隐患。\n二、工作措施\n各乡镇要于6月底前完成餐饮场所燃气安全检查。\n")
    parsed = parse_text(page, "txt")
    assert parsed.meta["title"] == "青禾县燃气安全专项整治实施方案"
    assert "来源" not in parsed.body and "设为首页" not in parsed.body and "长者版" not in parsed.body
    assert parsed.meta["kind"] == "plan"


def test_a_plan_met_halfway_is_known_by_its_sections_or_its_opening():
    from pipeline.parse.metadata import find_kind, rule_kind

    assert find_kind(None, ["三、工作步骤", "各村要开展自查。", "四、工作要求", "各单位要按时报送。"]) == "plan"
    assert find_kind(None, ["为做好汛期安全工作，结合我镇实际，特制定本方案。", "各村要落实巡查。"]) == "plan"
    # (what the rules say; where they give up, the kind model answers: tests/test_kind_model.py)
    assert rule_kind(None, ["三、工作步骤", "各村要开展自查。"]) == "other", "one section heading is not enough"
    assert rule_kind(None, ["一、提高认识", "二、突出重点", "各村要开展自查。"]) == "other", "a speech's themes"


def test_a_plan_met_halfway_is_known_by_its_attribution_lines_or_dated_stages():
    """Items that name who answers for them and by when, or stages dated by a span, are a plan's lines:
    an untitled excerpt of one is a plan, even when its opening reads like a news lead."""
    from pipeline.parse.metadata import find_kind

    items = ["1.修订完善全县安全生产职能职责规定。（责任单位：县安委办；治理时限：2022年11月）",
             "2.建立危险化学品专家库。（牵头单位：县应急局；责任单位：县经科局）"]
    assert find_kind(None, items) == "plan"
    stages = ["（二）组织实施，全面推进（2012年3月1日至9月30日）",
              "主要做好以下工作：一是组织调研组对辖区消防安全状况开展调研。",
              "（三）交流总结，迎接验收（2012年10月1至10月31日）"]
    assert find_kind(None, stages) == "plan"
    assert find_kind(None, ["3月5日，柳溪镇召开安全生产工作会议。", "会议由镇长主持（责任单位：镇安办）。"]) == "news", \
        "one attribution line makes no plan"


def test_a_space_a_wrap_left_inside_a_word_of_prose_is_taken_out():
    """A document viewer's text layer wraps prose with spaces inside words (我们必须高 度重视); spaces
    between names and labels, far from any comma or full stop, stay."""
    text = ("柳溪县交通安全工作会议讲话稿\n交通事故给群众的生命财产安全造成了严重威胁，我们必须高 度重视，"
            "同时，我们 要利用广播、电视等渠道普及交通安全知识，各乡镇要在6月底前完成隐患路段排查。\n")
    body = parse_text(text, "txt").body
    assert "我们必须高度重视" in body and "我们要利用" in body
    from pipeline.parse.clean import join_wrapped_words

    assert join_wrapped_words("会议时间：7月17日 主持人：赵治文 列席：赵冬梅 王若曦 于杰") == \
        "会议时间：7月17日 主持人：赵治文 列席：赵冬梅 王若曦 于杰"


def test_emergency_plans_letters_and_a_wire_dateline_are_known_by_kind():
    from pipeline.parse.metadata import find_kind

    assert find_kind("青溪县森林火灾应急预案", []) == "plan"
    assert find_kind("柳溪镇2022年度安全生产目标责任书", []) == "plan"
    assert find_kind("致全县人民的一封信", []) == "notice"
    assert find_kind("电动自行车消防安全倡议书", []) == "notice"
    # untitled: the parts of an emergency plan, numbered either way
    assert find_kind(None, ["三、应急处置", "值班人员立即断电。", "四、应急保障", "储备物资。"]) == "plan"
    assert find_kind(None, ["4预防和预警机制", "各级政府要建立监测网络。", "5应急响应", "立即上报。"]) == "plan"
    assert find_kind(None, ["生活离不开燃气。在此，我们号召广大居民朋友熟记燃气安全常识。"]) == "notice"
    assert find_kind(None, ["新华社昆明3月5日电 《云南省森林草原防火命令》近日发布。"]) == "news"


def test_a_section_numbered_without_a_mark_is_no_title_and_a_hazard_zone_no_place():
    text = ("4预防和预警机制\n4.1预防预警信息\n4.2.1编制年度地质灾害防治方案\n"
            "各级政府要加快建立地质灾害监测、预报、预警体系，对灾害危险区设置警示标志。\n")
    doc = parse_text(text, "txt", "sections.txt", "sha-sections")
    assert doc.meta["title"] is None
    assert doc.meta["place"] != "危险区"
    # a title that opens with a year or a month is still a title
    doc = parse_text("2024年安全生产工作要点\n各乡镇要开展隐患排查。\n", "txt", "y.txt", "sha-y")
    assert doc.meta["title"] == "2024年安全生产工作要点"


def test_a_warning_form_and_a_body_of_rules_are_known_by_kind():
    from pipeline.parse.metadata import find_kind

    assert find_kind(None, ["时间:2022年9月9日16时", "主送单位 |", "七乡镇人民政府、县防灾减灾委各成员单位 |",
                            "预警类别 |", "强降雨 |"]) == "notice"
    assert find_kind("学校安全隐患排查整改制度", []) == "plan"
    assert find_kind(None, ["第八条 定期排查：每月组织一次排查。", "第九条 专项排查：节假日前开展排查。"]) == "plan"


def test_a_repeated_title_tags_and_hotlines_are_no_text_and_a_hidden_text_marker_parts_no_sentence():
    page = ("青溪县防汛工作总结\n标签: #防汛\n青溪县防汛工作总结今年以来，我县扎实推进防汛工作。\n"
            "县水务局负责水库巡查，各乡镇负责 ……此处隐藏3120个字……库领导、技术人员进行全面检查。\n"
            "新闻热线:0123-4567890 广告热线:0123-4567891\n")
    doc = parse_text(page, "txt", "gap.txt", "sha-gap")
    assert doc.meta["title"] == "青溪县防汛工作总结"
    assert doc.body.startswith("今年以来，我县扎实推进防汛工作。")
    assert "标签" not in doc.body and "热线" not in doc.body
    # The spec cuts sentences at punctuation only: a sentence the marker splices stays one sentence, as an
    # annotator reading the page would take it.
    spliced = [doc.sentence_text(x) for x in doc.sentences if "此处隐藏" in doc.sentence_text(x)]
    assert len(spliced) == 1 and spliced[0].startswith("县水务局负责水库巡查")


def test_a_pages_blurb_names_its_title_and_a_chairs_script_is_a_speech():
    page = ("下面是小编为大家整理的在全镇森林防火工作会议上的主持词，供大家参考。\n"
            "同志们：\n今天召开全镇森林防火工作会议，会议议程有三项。\n")
    doc = parse_text(page, "txt", "host.txt", "sha-host")
    assert doc.meta["title"] == "在全镇森林防火工作会议上的主持词"
    assert doc.meta["kind"] == "speech"


def test_a_bodys_name_read_up_to_its_xiang_is_no_place():
    notice = ("各区建设行政管理部门：\n现将《建筑施工安全大检查方案》印发给你们，请遵照执行。\n"
              "青州市住房和城乡建设管理委员会\n2017年8月17日\n")
    doc = parse_text(notice, "txt", "sig.txt", "sha-sig")
    assert doc.meta["place"] != "住房和城乡"


def test_a_clauses_words_are_no_place_and_an_autonomous_county_keeps_its_place_name():
    from pipeline.parse.metadata import _place_candidates

    # the openings of lines that read like a title's place (…镇党委, …市委, …省政府) but are a clause's words
    assert _place_candidates("一是镇党委召开专题会议，研究部署汛期安全工作") == []
    assert _place_candidates("这次会议是市委、市政府研究召开的一次重要会议") == []
    assert _place_candidates("现将省政府办公厅《关于加强防雷工作的通知》转发给你们") == []
    # an autonomous county is named by its place first, whatever jieba makes of that place
    assert _place_candidates("大化瑶族自治县人民政府关于水电站禁区的通告") == ["大化瑶族自治县"]
    assert _place_candidates("将乐县召开安全生产工作会议") == ["将乐县"]


@pytest.mark.parametrize("page, title", [
    # a site's name after a dash, a path from 首页 and a length note around a title written again below
    ("青溪县应急管理局推进有限空间专项治理-某某新闻网\n某某新闻网 > 地方 > 正文\n"
     "青溪县应急管理局推进有限空间专项治理\n近日，青溪县应急管理局部署有限空间作业安全专项治理。\n", "青溪县应急管理局推进有限空间专项治理"),
    ("首页讲话发言领导讲话在全县防汛工作会议上的讲话\n文档\n在全县防汛工作会议上的讲话\n同志们：\n今天召开全县防汛工作会议。\n",
     "在全县防汛工作会议上的讲话"),
    ("在全县防汛工作会议上的讲话(全文2838字)\n\n在全县防汛工作会议上的讲话\n同志们：\n今天召开全县防汛工作会议。\n",
     "在全县防汛工作会议上的讲话"),
    # an issuer or an edition around the line below is the title's own
    ("青溪县人民政府办公室关于做好火灾防范工作的紧急通知\n关于做好火灾防范工作的紧急通知\n各乡镇人民政府：\n"
     "近期火灾多发，现就有关事项通知如下。\n", "青溪县人民政府办公室关于做好火灾防范工作的紧急通知"),
    # a government site's accessibility switches, an index table laid out as a list, a forum's byline
    ("关怀版 无障碍 无障碍\n致全县工业企业的安全生产倡议书\n尊敬的企业家朋友们：\n请各企业落实安全生产主体责任，开展隐患自查。\n",
     "致全县工业企业的安全生产倡议书"),
    ("- 索 引 号: ab123-0100-2006-00021\n- 发文机关: 青溪镇人民政府\n- 标 题: 关于做好五一期间安全工作的通知\n"
     "各村：\n现就五一期间安全工作通知如下，请各村加强值班值守。\n", "关于做好五一期间安全工作的通知"),
    # a traditional re-host's issuer on its own line above its 關于… line (found in the analysis form, given as written)
    ("青溪縣防汛防旱防風指揮部辦公室\n關于做好近期低溫冰凍防御工作的通知\n各鄉鎮人民政府:\n"
     "現就有關事項通知如下,請各鄉鎮加強值班值守。\n", "青溪縣防汛防旱防風指揮部辦公室關于做好近期低溫冰凍防御工作的通知"),
    ("互联网 发表于 2016-7-29 08:16:19\n\n省政府办公厅发出通知:做好高温天气防御应对\n"
     "近日，省政府办公厅发出通知，要求各地做好高温天气防御应对工作。\n", "省政府办公厅发出通知:做好高温天气防御应对"),
    # a site's info lines above the title: breadcrumbs, a spaced index label, a shared file's upload line, a
    # template site's welcome, a disclosure page's labels
    *[(f"{furniture}\n青溪县关于开展燃气安全隐患排查整治的通知\n各乡镇：\n现将有关事项通知如下：\n"
       "一、各乡镇要于6月底前完成辖区燃气用户安全检查。\n", "青溪县关于开展燃气安全隐患排查整治的通知")
      for furniture in ("您当前的位置:首页 / 专题专栏 / 安全生产",
                        "索  引:001008004003021/2023-75968 发文机关:青溪县卫生健康局",
                        "上传人:weil****i173 文档编号:130028349 上传时间:2020-04-24 格式:PDF 页数:4 大小:42.89KB",
                        "热门标签最近更新文档搜索存到桌面欢迎您访问好范文,请记住我们的网址 www.example.com",
                        "责任部门:县卫健局 责任科室:办公室")],
    # a shared file's name, over its buttons, page captions and blurb
    ("乡镇防汛工作方案.docx\n\n上传人:某某 文档编号:4727253 上传时间:2020-04-12 格式:DOC 页数:20 大小:51KB\n"
     "返回 下载 相关 举报\n乡镇防汛工作方案.docx_第1页\n第1页 / 共7页\n点击查看更多>>\n资源描述\n\n"
     "《乡镇防汛工作方案.docx》由会员分享，可在线阅读，更多相关文档请在本站搜索。\n\n"
     "一、各村要于5月底前完成山塘水库隐患排查，建立台账。\n", "乡镇防汛工作方案"),
])
def test_the_documents_own_title_under_a_sites_furniture(page, title):
    assert parse_text(page, "txt", "title.txt", "sha-title").meta["title"] == title


def test_a_notice_that_issues_a_plan_is_a_notice():
    from pipeline.parse.metadata import find_kind

    assert find_kind("青溪县人民政府办公室关于印发《青溪县防汛工作方案》的通知", []) == "notice"
    assert find_kind("印发《青溪县防汛工作方案》", []) == "plan"


def test_a_title_written_again_just_below_is_no_text_but_the_same_words_further_down_are():
    page = ("关于做好冬春火灾防控工作的提醒函\n发布日期:2024-12-03\n关于做好冬春火灾防控工作的提醒函\n"
            "各乡镇、各有关单位:\n请各乡镇于12月20日前完成一次消防安全检查。\n"
            "各单位要按照要求\n落实，并报送\n"
            "关于做好冬春火灾防控工作的提醒函\n")
    doc = parse_text(page, "txt", "copy.txt", "sha-copy")
    assert doc.meta["title"] == "关于做好冬春火灾防控工作的提醒函"
    assert doc.body.startswith("各乡镇、各有关单位:")
    assert doc.body.count("提醒函") == 1     # the last line is the text's (here: what it reports on), kept


@pytest.mark.parametrize("top, title", [
    # the site's name and a column label above a headline that ends with ！, the date and source under it
    ("青溪县人民政府\n政策解读\n台风逼近！青溪县紧急提醒渔船回港！\n2023-10-03 10:35 青溪日报",
     "台风逼近！青溪县紧急提醒渔船回港！"),
    # a subtitle between the headline and its info line: the headline is the first
    ("防汛工作紧急部署会议在青溪召开\n未雨绸缪周密部署 压紧压实防汛责任\n来源:青溪县融媒体中心 时间:2024/06/25",
     "防汛工作紧急部署会议在青溪召开"),
    # a column label run into the headline stays (【落实情况】 is the headline's own)
    ("首页\n【落实情况】县市场监管局对景区大型游乐设施开展联合检查\n\n发布时间:2023-03-14 17:13信息来源:县市场监管局",
     "【落实情况】县市场监管局对景区大型游乐设施开展联合检查"),
])
def test_the_headline_above_a_news_pages_info_line_is_its_title(top, title):
    page = f"{top}\n6月21日，青溪县召开会议部署防汛工作。会议要求，各乡镇要在6月底前完成山塘水库隐患排查。\n"
    doc = parse_text(page, "txt", "headline.txt", "sha-headline")
    assert doc.meta["title"] == title
    assert "青溪县人民政府" not in doc.body and "政策解读" not in doc.body   # the site's lines above it are no text


def test_a_traditional_re_hosts_headline_above_its_info_line_is_found_in_the_analysis_form():
    """來源 and 發布日期, and a title made longer by its glosses, are read as the simplified, de-glossed line."""
    page = ("無障礙版 長(zhǎng)者助手 登錄\n\n"
            "青溪縣市場(chǎng)監(jiān)督管理局轉(zhuǎn)發(fā)市場(chǎng)監(jiān)管總局辦公廳關(guān)于做好節(jié)日期間電梯安全監(jiān)管工作的通知\n\n"
            "信息來源:青溪縣市場監督管理局 發布日期:2020-02-11\n各鄉鎮:\n請各鄉鎮於2月底前完成轄區電梯安全檢查。\n")
    doc = parse_text(page, "txt", "trad.txt", "sha-trad")
    assert doc.meta["title"].startswith("青溪縣市場(chǎng)監(jiān)督管理局轉(zhuǎn)發(fā)")
    assert "長(zhǎng)者助手" not in doc.body


@pytest.mark.parametrize("furniture", [
    "全国服务热线:0351-4378829", "无障碍版 长者助手 登录", "1794 期 / 第2版:2", "- 2021-04-22 发布", "- 5.73 KB",
    "下载此文档", "论文部分内容阅读", "文件大小:24.83 KB", "//弹窗容器",
])
def test_a_sites_hotline_bars_and_file_facts_are_furniture_not_the_title(furniture):
    page = f"{furniture}\n青溪县关于开展燃气安全隐患排查整治的通知\n各乡镇：\n一、各乡镇要于6月底前完成辖区燃气用户安全检查。\n"
    doc = parse_text(page, "txt", "furniture.txt", "sha-furniture")
    assert doc.meta["title"] == "青溪县关于开展燃气安全隐患排查整治的通知"
    assert furniture not in doc.body


def test_an_issuer_or_a_summary_above_the_date_is_no_headline():
    """The issuer's name over a notice's date, and a site's cut summary (导读 …...) over the page's date, are
    not the headline: the title is found as before."""
    notice = ("青溪县应急管理局关于开展工贸企业岁末年初安全隐患专项整治的通知\n青应急〔2023〕3号\n"
              "青溪县应急管理局\n2023.01.31\n各乡镇、街道:\n请各乡镇于2月底前完成辖区工贸企业隐患排查。\n")
    assert parse_text(notice, "txt", "issuer.txt", "sha-issuer").meta["title"] == \
        "青溪县应急管理局关于开展工贸企业岁末年初安全隐患专项整治的通知"
    news = ("青溪县发布山洪灾害气象风险提示\n\n导读 8月6日17时50分，青溪县水务局、气象局共同发布山洪灾害风险提示...\n"
            "2024-08-07 00:45:32\n8月6日17时50分，青溪县水务局、气象局共同发布山洪灾害气象风险提示。请各乡镇立即组织巡查。\n")
    assert parse_text(news, "txt", "summary.txt", "sha-summary").meta["title"] == "青溪县发布山洪灾害气象风险提示"


def test_a_hijacked_mirrors_keyword_stuffing_is_spam_not_the_title():
    """Three or more distinct stuffing terms make a line spam wherever it stands; a real sentence that names one
    or two of the words (日韩 routes, 国产 goods) stays."""
    page = ("国产精品在线观看,日韩欧美中文字幕一区二区,亚洲精品婷婷\n"
            "关于做好高温天气防暑降温工作的通知\n"
            "各学校：\n"
            "请各学校合理安排户外活动，严禁在高温时段组织学生户外集会。\n"
            "各口岸要加强日韩航线国产冷链货物的安全检查。\n")
    doc = parse_text(page, "txt", "spam.txt", "sha-spam")
    assert doc.meta["title"] == "关于做好高温天气防暑降温工作的通知"
    assert "中文字幕" not in doc.body
    assert "加强日韩航线国产冷链货物的安全检查" in doc.body


@pytest.mark.parametrize("written, title", [
    ("标题: 小学校长关于防溺水家长会发言稿 [打印本页]\n作者: 某某    时间: 2019-7-16 20:23",   # a forum's label and
     "小学校长关于防溺水家长会发言稿"),                                                   # print link
    ("在全镇汛前安全工作会议上的讲话提纲2026年最新", "在全镇汛前安全工作会议上的讲话提纲"),   # a 范文 site's tag
    ("精选最新梅溪镇地质灾害会议记录【全文】", "梅溪镇地质灾害会议记录"),
    ("标题 青溪镇2025年度地质灾害防治方案", "青溪镇2025年度地质灾害防治方案"),          # a field label
    ("安全生产讲话稿(通用10篇)", "安全生产讲话稿(通用10篇)"),    # the versions a page gathers: its heading's own
    ("青溪县安全生产委员会关于印发《2025年工作要点》的通知 (青安〔2025〕3号)",   # the number written after it
     "青溪县安全生产委员会关于印发《2025年工作要点》的通知"),
    # …after a dash: the issuer's short name before the number never reaches into the title's quotes
    ("关于印发《青溪县金属冶炼企业异常工况处置工作指南》的通知-青应急工贸发〔2025〕152号",
     "关于印发《青溪县金属冶炼企业异常工况处置工作指南》的通知"),
])
def test_what_a_page_adds_to_a_title_is_no_part_of_it(written, title):
    page = f"{written}\n各村、各单位要在5月底前完成一次地质灾害隐患点巡查，建立台账。\n"
    assert parse_text(page, "txt", "dressed.txt", "sha-dressed").meta["title"] == title


def test_a_speaker_whose_words_the_sentence_reports_further_on_outranks_the_chair():
    lead = ("3月9日上午，梅溪镇召开安全生产重点工作推进会。会议由副镇长周平主持。各村（社区）书记参加会议。\n"
            "会上，镇应急办通报了一季度安全生产工作情况。\n")
    for said, speaker in (("最后，镇长陈立从压实责任、排查隐患两个方面对下一步工作进行了强调和部署。", "陈立"),
                          ("镇党委书记刘强结合近期事故教训，对全镇上下提出三点要求。", "刘强"),
                          ("镇长王坚对抓好全镇安全生产工作讲了三点意见。", "王坚"),
                          # what they put forward, with no 对/从 before it (提出了…的解决建议)
                          ("会上，县应急管理局执法大队大队长陈立提出了当前隐患排查中存在的问题和解决建议。", "陈立"),
                          # who is only conveyed or attends is no speaker: the chair stays
                          ("会议传达了县长李明远在全县安全生产会议上的讲话精神。", "周平")):
        meta = parse_text(lead + said + "\n各村要在3月底前完成燃气用户入户检查。\n", "txt", "far.txt", "sha-far").meta
        assert meta["speaker"] == speaker, said


def test_a_speech_title_that_opens_with_the_speakers_name_names_the_speaker_not_the_meeting():
    body = "同志们：\n今天我们召开会议，部署当前防汛工作。\n各地要立即开展水库安全隐患排查，严防溃坝事故。\n"
    meta = parse_text("陈雷在全国水库安全度汛视频会议上的讲话\n" + body, "txt", "name.txt", "sha-name").meta
    assert meta["speaker"] == "陈雷" and meta["meeting"] == "全国水库安全度汛视频会议"
    meta = parse_text("周明远局长在全区防汛工作会议上的讲话\n" + body, "txt", "name2.txt", "sha-name2").meta
    assert meta["speaker"] == "周明远" and meta["speaker_role"] == "局长" and meta["meeting"] == "全区防汛工作会议"
    # a role alone before 在 is no name
    meta = parse_text("副区长在全区防汛工作会议上的讲话\n" + body, "txt", "role.txt", "sha-role").meta
    assert meta["speaker"] is None and meta["speaker_role"] == "副区长"


def test_an_event_named_after_the_country_says_nothing_of_the_pages_level():
    body = "为做好全国“两会”期间全镇消防安保工作，制定本方案。\n各村要在3月1日前完成一次火灾隐患排查。\n"
    meta = parse_text("镇全国“两会”期间消防安保实施方案\n" + body, "txt", "lh.txt", "sha-lh").meta
    assert meta["level"] == "乡镇"
    meta = parse_text("全国安全生产电视电话会议召开\n会议要求，各地要严格落实安全责任。\n", "txt", "qg.txt", "sha-qg").meta
    assert meta["level"] == "国家"


def test_the_official_who_convenes_the_meeting_speaks_before_its_chair():
    lead = ("1月22日下午，县委常委、组织部部长邓小兰在县行政中心召开安全生产工作调度会，县政府副县长刘衍志主持会议。\n"
            "小兰同志强调，各乡镇要压实责任，在春节前完成一轮隐患排查。\n")
    meta = parse_text(lead, "txt", "conv.txt", "sha-conv").meta
    assert meta["speaker"] == "邓小兰" and meta["speaker_role"] == "部长"
    chaired = "1月22日下午，全县安全生产工作调度会召开，县政府副县长刘衍志主持会议。\n会议要求，各乡镇要压实责任。\n"
    assert parse_text(chaired, "txt", "chair.txt", "sha-chair").meta["speaker"] == "刘衍志"


@pytest.mark.parametrize("page, meeting", [
    # meetings named for what they do: a work arrangement, a seminar, a warning-education session
    ("6月26日，我县在政府二楼会议室召开经营性自建房安全专项排查工作安排会。会议要求各乡镇立即开展排查。",
     "经营性自建房安全专项排查工作安排会"),
    ("3月5日，柳河区召开商场市场消防安全专项整治工作研讨会。会议要求各街道立即开展排查。",
     "商场市场消防安全专项整治工作研讨会"),
    ("近日，柳河区民政局组织召开社区养老服务站安全生产现场警示教育会。会议要求各站点立即整改隐患。",
     "社区养老服务站安全生产现场警示教育会"),
    # 召开的…会上, and a name a speech quotes
    ("记者从日前召开的2023年度渔业安全生产工作部署会上了解到，各渔港要立即开展渔船安全检查。",
     "2023年度渔业安全生产工作部署会"),
    ("同志们：今天召开的“全县森林防火工作会议”，是一次十分及时的会议。各乡镇要立即落实巡山护林责任。",
     "全县森林防火工作会议"),
])
def test_meetings_named_for_what_they_do_and_written_after_召开的(page, meeting):
    assert parse_text(page + "\n", "txt", "meeting.txt", "sha-meeting").meta["meeting"] == meeting


def test_a_ceremony_a_speech_is_given_at_is_its_meeting():
    page = "春运启动仪式讲话稿\n同志们：\n各运输企业要在春运前完成一次车辆安全检查。\n"
    assert parse_text(page, "txt", "ceremony.txt", "sha-ceremony").meta["meeting"] == "春运启动仪式"


def test_the_pages_own_government_is_no_part_of_a_meetings_name_nor_a_count_of_towns_a_place():
    from pipeline.parse.metadata import find_place

    meta = parse_text("青溪县召开防汛会商会\n6月3日，我县防汛紧急会商会议在县应急指挥中心召开。\n"
                      "会议要求，各乡镇要立即转移危险区群众。\n", "txt", "own.txt", "sha-own").meta
    assert meta["meeting"] == "防汛紧急会商会议"
    assert find_place(None, None, ["近日，三个乡镇开展了汛前检查，自治州安排部署了防汛工作。"]) is None
    # a meeting's name that opens with a word ending in 社区 names no place (夏季社区安全治理工作会议)
    assert find_place(None, "夏季社区安全治理工作会议", ["日前，梅溪街道召开夏季社区安全治理工作会议。"]) == "梅溪街道"


def test_a_piece_counter_and_a_stray_guanyu_open_no_meetings_name():
    from pipeline.parse.metadata import find_meeting

    body = ["同志们：", "今天召开会议，主要任务是部署当前工作。"]
    assert find_meeting("关于全市防溺水工作电视电话会议上的讲话", body) == "全市防溺水工作电视电话会议"
    piece = parse_text("第1篇 煤矿安全生产会议上的讲话\n同志们：\n今天召开煤矿安全生产会议，部署当前工作。\n", "txt")
    assert piece.meta["title"] == "煤矿安全生产会议上的讲话" and piece.meta["meeting"] == "煤矿安全生产会议"


def test_a_model_texts_title_below_its_blurb_without_its_first_pieces_mark():
    page = ("孩子的安全大于天，校车作为孩子们上下学的重要交通工具，其安全不容忽视。\n某县校车交通安全整治工作方案 篇1\n"
            "为进一步加强校车管理工作，切实保障学生安全，特制定本方案。\n一、工作目标\n各学校要全面排查校车安全隐患。\n")
    assert parse_text(page, "txt").meta["title"] == "某县校车交通安全整治工作方案"
    numbered = ("经过艰苦细致的工作，我乡安全生产形势进一步好转，但总体形势不容乐观。\n乡镇安全生产年终工作总结1\n"
                "一、领导重视，组织措施到位。\n")
    assert parse_text(numbered, "txt").meta["title"] == "乡镇安全生产年终工作总结1"
    # a speech's 讲话稿 ends a title as 讲话 does; the count of pieces gathered stays
    gathered = ("讲话稿需要充分考虑听众的需求和背景，以便更好地传递信息。\n消防火灾讲话稿(汇总16篇)篇一\n同志们：\n"
                "这次会议是经区政府研究决定召开的一次重要会议。\n")
    assert parse_text(gathered, "txt").meta["title"] == "消防火灾讲话稿(汇总16篇)"


def test_a_plan_page_that_opens_with_the_notice_issuing_it_is_that_notice_and_an_order_is_a_notice():
    from pipeline.parse.metadata import find_kind

    issued = ["各乡镇人民政府，县直各有关部门：", "《青溪县2025年地质灾害防治方案》已经县政府同意，现印发给你们，请认真贯彻执行。"]
    assert find_kind("青溪县2025年地质灾害防治方案", issued) == "notice"
    assert find_kind("青溪县2025年地质灾害防治方案", ["为做好全县地质灾害防治工作，特制定本方案。"]) == "plan"
    assert find_kind("关于启动县防汛应急预案四级响应的命令", ["各乡镇人民政府：", "根据气象预报，决定启动四级响应。"]) == "notice"


def test_a_sites_back_link_and_a_disclosure_tables_bare_labels_are_no_title():
    back = "返回首页\n太原公安提醒：文明观演 有序散场\n首页\n演出结束后，观众要有序散场，不得拥挤推搡。\n"
    assert parse_text(back, "txt", "back.txt", "sha-back").meta["title"] == "太原公安提醒：文明观演 有序散场"
    index = ("索引号\n002962406/2019-135933\n组配分类\n部门文件\n政策层级分类\n县级政策\n"
             "象山县渔业安全生产管理工作领导小组办公室关于加强台风期间渔船安全监管的通知\n"
             "各乡镇（街道）：\n请各地立即组织渔船回港避风。\n")
    assert parse_text(index, "txt", "index.txt", "sha-index").meta["title"] == \
        "象山县渔业安全生产管理工作领导小组办公室关于加强台风期间渔船安全监管的通知"


def test_a_sites_menu_written_with_spaces_is_furniture_not_the_title():
    for row in ("分享好友 新闻资讯首页 新闻资讯分类 切换频道", "县政府 县政府工作部门 县直属事业单位 乡镇(街道)政府"):
        menu = (f"{row}\n青溪县防汛抗旱指挥部关于做好强降雨防范工作的通知\n"
                "各乡镇：\n请各乡镇立即组织力量巡查山塘水库。\n")
        doc = parse_text(menu, "txt", "menu.txt", "sha-menu")
        assert doc.meta["title"] == "青溪县防汛抗旱指挥部关于做好强降雨防范工作的通知", row
    # a headline of short phrases parted by spaces is no menu: it names no page of the site
    headline = "防汛 防火 防溺水 保平安\n6月3日，梅溪镇召开安全工作会议，要求各村立即开展隐患排查。\n"
    assert parse_text(headline, "txt", "headline.txt", "sha-headline").meta["title"] == "防汛 防火 防溺水 保平安"


@pytest.mark.parametrize("page, date", [
    # a plan's schedule dates nothing; a date line alone dates the page
    ("青溪镇“安全生产月”活动方案\n一、活动主题\n人人讲安全、个个会应急\n二、活动时间\n2025年6月1日至6月30日\n"
     "三、活动内容\n各村要在6月15日前完成一次隐患排查。\n", None),
    ("青溪镇“安全生产月”活动方案\n2025年5月20日\n一、活动内容\n各村要在6月15日前完成一次隐患排查。\n", "2025-05-20"),
    # a notice is dated where it signs itself, not by the day it reports; a news item by its lead
    ("关于加强冬季取暖安全管理严防煤气中毒的紧急通知\n各乡镇、县直有关单位：\n"
     "10月15日，邻县某村发生一起煤气中毒事故，造成2人死亡。为严防类似事故，现就有关事项通知如下：\n"
     "一、各乡镇要立即开展一次取暖设施安全排查。\n青溪县安全生产委员会办公室\n2021年10月29日\n", "2021-10-29"),
    ("2021年青溪县第四季度安全生产会议召开\n10月15日，青溪县召开安全生产工作会议，要求各乡镇立即开展隐患排查。\n",
     "2021-10-15"),
    # a lead run into the page's info line or stamp
    ("青溪县安全生产督导组莅临检查\n刊发日期:2018-09-26 阅读次数: 作者:某某 本报讯9月21日上午，市安全生产督导组莅临我县，"
     "就安全生产工作进行督导，要求各乡镇立即开展隐患排查。\n", "2018-09-21"),
    ("永宁镇召开森林防火工作会议\n2024-09-26 10:22:28 文章来源: 永宁镇人民政府 国庆佳节将至，为做好森林防灭火工作，"
     "9月25日下午，永宁镇组织召开森林防火工作会议。会议要求各村立即开展火源排查。\n", "2024-09-25"),
    # a year the meeting sums up is the one behind it; a year it plans is its own
    ("3月18日，全国森林草原防灭火工作电视电话会议召开，总结全国2020年森林草原防灭火工作，安排部署重点工作任务。\n"
     "会后，我县要求各乡镇立即开展清明期间火源排查。\n", "2021-03-18"),
    ("3月18日，县安委会召开会议，部署2021年安全生产重点工作。\n会议要求各乡镇立即开展隐患排查。\n", "2021-03-18"),
    # a lead's full date after its purpose clause
    ("青溪县民政局开展养老机构安全检查\n为切实保障国庆中秋期间老年人生命财产安全，2025年9月25日至26日，青溪县民政局联合"
     "县市场监管局对全县养老机构开展安全检查，要求各养老机构立即整改发现的隐患。\n", "2025-09-25"),
])
def test_the_date_a_page_gives(page, date):
    assert parse_text(page, "txt", "dated.txt", "sha-dated").meta["date"] == date


def test_the_place_of_the_document_a_notice_issues_is_its_own():
    """关于印发《X镇…方案》的通知: the issued document's title opens with the notice's own place; a forwarded
    one (转发《…》) is another government's."""
    from pipeline.parse.metadata import find_place

    assert find_place("关于印发《青溪庄镇防汛工作方案》的通知", None, ["各村要加强巡查。"]) == "青溪庄镇"
    assert find_place("关于转发《青溪庄镇防汛工作方案》的通知", None, ["各村要加强巡查。"]) is None


def test_a_speech_title_may_name_the_speakers_government_before_the_role():
    body = "同志们：\n今天我们召开会议，部署当前防汛工作。\n各地要立即开展水库安全隐患排查，严防溃坝事故。\n"
    meta = parse_text("万载县县长助理周明远在全县防汛工作会议上的讲话\n" + body, "txt", "pr.txt", "sha-pr").meta
    assert meta["speaker"] == "周明远" and meta["speaker_role"] == "县长助理"
    assert meta["place"] == "万载县" and meta["level"] == "县"   # the place before the role is the title's
    meta = parse_text("青溪县副县长周明远在全县防汛工作会议上的讲话\n" + body, "txt", "pr2.txt", "sha-pr2").meta
    assert meta["speaker"] == "周明远" and meta["speaker_role"] == "副县长"


def test_the_government_whose_order_a_page_follows_is_not_its_own_place():
    from pipeline.parse.metadata import find_place

    lead = ["为筑牢铁路安全防线，根据南岭市护路中心安排部署，青溪县护路办于1月28日组织护路队员开展隐患排查。"]
    assert find_place("护路办开展铁路沿线安全隐患排查工作", None, lead) == "青溪县"


def test_a_forum_threads_counter_and_post_header_are_furniture_not_the_title():
    """A report re-posted on a forum (Discuz!): 查看: 12|回复: 0 is no title, the post's header no text."""
    thread = ("查看: 12|回复: 0\n\n青溪镇防汛准备工作情况汇报\n\n[复制链接]\n"
              "发表于 2023-4-6 10:12:08 | 显示全部楼层 |阅读模式\n"
              "县防汛抗旱指挥部：\n今年以来，我镇对防汛工作做了全面安排。镇防汛办组织各村对山塘水库开展了汛前检查，"
              "共排查隐患12处，已全部整改。\n")
    doc = parse_text(thread, "txt", "thread.txt", "sha-thread")
    assert doc.meta["title"] == "青溪镇防汛准备工作情况汇报"
    assert "复制链接" not in doc.body and "显示全部楼层" not in doc.body and "回复: 0" not in doc.body
