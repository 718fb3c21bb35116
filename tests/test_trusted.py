"""Directives staff can trust: safety focus, no reports of finished work, deadlines as a person reads
them, news-page metadata, and a store that upgrades itself when the extractor changes."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from pipeline.extract.extractor import EXTRACTOR_VERSION, extract_directives
from pipeline.extract.rules import never_directive
from pipeline.extract.safety import document_is_safety, is_safety
from pipeline.parse.document import parse_text
from pipeline.store import open_db

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "corpus" / "demo"
DEMO_AS_OF = dt.date(2025, 12, 31)

WORK_REPORT = """青川县2025年政府工作报告
现在，我代表县人民政府，向大会报告工作，请予审议。
一、2024年工作回顾
过去一年，我们共排查整治隐患1200处，生产安全事故起数比上年下降12%。
二、2025年主要任务
（一）扩大有效投资。
加快实施交通基础设施项目，新建高速公路60公里。
大力发展乡村特色产业，培育农业产业化龙头企业20家。
（二）守牢安全底线。
深入开展安全生产治本攻坚三年行动，年底前完成重大事故隐患动态清零。
加强防汛抗旱和地质灾害防治，完善应急预案，开展应急演练。
强化食品药品安全监管。
加强城市燃气管道老化更新改造，整治燃气安全隐患。
"""


def parsed(text: str, name: str = "doc.txt"):
    return parse_text(text, "txt", name, "sha-" + name)


@pytest.mark.parametrize("sentence, expected", [
    ("深入开展安全生产治本攻坚三年行动。", True),
    ("加强防汛抗旱和地质灾害防治，完善应急预案。", True),
    ("整治燃气安全隐患。", True),
    ("加强渔船安全管理。", True),
    ("培育农业产业化龙头企业20家。", False),
    ("新建高速公路60公里。", False),
    ("牢牢守住粮食安全底线。", False),
    ("强化食品药品安全监管。", False),
    ("防范化解地方债务风险。", False),
    # Emergencies of health care and grain supply, and the security of funds, are not work safety.
    ("健全公共卫生应急处置和物资保障体系。", False),
    ("提升医院应急救治能力。", False),
    ("提高县级储备粮应急保障能力。", False),
    ("健全养老保险基金安全监管体系。", False),
    # A river's flood plains are flood-control work.
    ("推进沿河行洪区调整和建设。", True),
    # So are a city's drainage networks and sponge-city works (urban flooding); sewage separation is not.
    ("新建和改造雨水排水管网800公里。", True),
    ("深入推进海绵城市建设。", True),
    ("实施城镇污水管网雨污分流改造。", False),
    # Dams and dykes reinforced are flood-control works, whatever water security the sentence also names.
    ("全面完成病险水库除险加固，加快实现水安全有效保障。", True),
    ("加力推进堤防建设和河湖岸线净化。", True),
])
def test_safety_of_a_task(sentence, expected):
    assert is_safety(sentence) is expected


def test_every_directive_of_a_safety_document_is_safety_work():
    assert document_is_safety({"title": "关于做好2025年春节期间安全生产工作的通知"})
    assert not document_is_safety({"title": "青川县2025年政府工作报告"})
    assert not document_is_safety({"title": "关于开展网络安全宣传周活动的通知"})
    assert is_safety("大力发展乡村特色产业。", safety_document=True)
    assert document_is_safety({"title": "关于加强水库河道巡查及防溺水工作的通知"})
    assert document_is_safety({"title": "关于做好本轮降雨天气过程防范应对工作的通知"})
    # in a safety meeting's news, a task that is only food safety or public order is not work safety
    assert not is_safety("要抓好校园食品安全专项整治。", safety_document=True)
    assert not is_safety("要做好保安管理工作，提高保安综合素质。", safety_document=True)
    assert is_safety("要抓好校园食品安全和消防安全隐患排查。", safety_document=True)


def test_a_work_report_keeps_its_safety_tasks_and_marks_the_rest():
    directives = extract_directives(parsed(WORK_REPORT))
    flags = {d.text: d.safety for d in directives}
    assert flags["深入开展安全生产治本攻坚三年行动，年底前完成重大事故隐患动态清零。"] is True
    assert flags["加快实施交通基础设施项目，新建高速公路60公里。"] is False
    assert flags.get("大力发展乡村特色产业，培育农业产业化龙头企业20家。") in (None, False)
    deadline = next(d.deadline for d in directives if d.text.startswith("深入开展"))
    assert (deadline.text, deadline.date) == ("年底前", "2025-12-31")   # the title's year, no other date given
    assert all(not d.text.startswith(("现在", "过去一年")) for d in directives)


def test_a_notices_items_take_the_bodies_its_lead_in_names_but_a_speechs_parts_do_not():
    """Spec §2: the parties of an item are those of the lead-in it continues. A notice's paragraph naming
    the bodies (a zone among them) addresses the 一是…二是… items after it, in paragraphs of their own; a
    speech's 一是要… with sentences of its own is a part, read on its own."""
    notice = ("青溪县安全生产委员会办公室关于做好汛期安全防范工作的通知\n"
              "各乡镇（管理区），县安委会各成员单位：\n"
              "当前正值主汛期，各乡镇、青溪工业园区、各有关部门要认真落实防汛责任，坚决防范重大事故。\n"
              "一是立即开展汛期安全大检查，消除隐患盲区。\n"
              "二是加强值班值守，确保信息畅通。\n"
              "青溪县安全生产委员会办公室\n")
    got = {d.text: d.parties for d in extract_directives(parsed(notice, "notice.txt"))}
    lead = ["各乡镇", "青溪工业园区", "各有关部门"]
    assert got["一是立即开展汛期安全大检查，消除隐患盲区。"] == lead
    assert got["二是加强值班值守，确保信息畅通。"] == lead
    speech = ("在全县安全生产工作会议上的讲话\n"
              "同志们：\n"
              "各乡镇、各有关部门要切实增强做好安全生产工作的责任感。\n"
              "一是要全面排查整治安全隐患。\n"
              "要组织专业力量对重点行业进行全面排查，及时消除隐患。\n"
              "二是要强化安全风险防控。\n"
              "要完善应急预案，加强应急演练。\n")
    got = {d.text: d.parties for d in extract_directives(parsed(speech, "speech.txt"))}
    assert got.get("要组织专业力量对重点行业进行全面排查，及时消除隐患。") == []


def test_a_disclosure_page_under_its_sites_switches_gives_the_letters_title_date_and_orders():
    """A site's switches (切换到繁体 无障碍浏览) and its column (政府信息公开) above a letter are furniture: the title
    is the letter's (…提醒函), its date the index table's, though its label has no colon (发布日期 2024-12-03);
    what happened lately (近日，…印发了《…》) and the title run into the addressees are no orders."""
    page = ("切换到繁体 无障碍浏览\n政府信息公开\n\n关于做好冬春火灾防控工作的提醒函\n\n"
            "公开目录 通知公告 发布日期 2024-12-03\n\n关于做好冬春火灾防控工作的提醒函\n各乡镇、各有关单位:\n"
            "近日，县安委会印发了《冬春火灾防控工作方案》，县消防救援大队印发了《火灾隐患排查工作指引》。\n"
            "请各乡镇于12月20日前完成一次消防安全检查。\n青溪县应急管理局\n")
    doc = parsed(page, "letter.txt")
    assert doc.meta["title"] == "关于做好冬春火灾防控工作的提醒函"
    assert (doc.meta["date"], doc.meta["kind"]) == ("2024-12-03", "notice")
    assert "无障碍" not in doc.body
    assert [d.text for d in extract_directives(doc)] == ["请各乡镇于12月20日前完成一次消防安全检查。"]


def test_a_disclosure_pages_issuer_gives_its_place_when_the_text_names_none():
    page = ("索引号 113302113405429577/2024-27615\n发布机构: 石门镇人民政府\n成文日期: 2024-03-01\n"
            "关于加强电动自行车停放充电火灾防范工作的通告\n"
            "为切实做好电动自行车火灾防范工作，现就有关事项通告如下：\n"
            "一、严禁在楼道、安全出口停放电动自行车。\n")
    doc = parsed(page, "issuer.txt")
    assert (doc.meta["place"], doc.meta["level"]) == ("石门镇", "乡镇")


def test_a_speech_to_a_school_is_a_speech():
    page = ("让安全与我们同行\n老师们、同学们：\n早上好！今天我国旗下讲话的题目是《让安全与我们同行》。\n"
            "安全是一个老生常谈的话题，但又是一个不能不谈的话题。\n")
    assert parsed(page, "school.txt").meta["kind"] == "speech"


def test_a_fire_ban_to_the_public_gives_its_bans_and_not_its_tips_penalties_or_decisions():
    """A 禁火令 or 通告 shown without its title: its bans are orders (a short heading that opens with 严禁
    is the ban itself), who must comply is named, its span is a period; its purpose, its penalty clause,
    tips to the public and an emergency response started or ended are not tasks."""
    ban = ("01/01\n"
           "为有效防范森林火灾，确保人民生命财产安全，根据《森林防火条例》等有关规定，特发布本禁火令。\n"
           "一、禁火内容\n"
           "在禁火期和禁火区域内，禁止一切野外用火，必须严格执行以下规定：\n"
           "（一）严禁携带火种进入林区。\n"
           "（二）严禁焚烧秸秆杂草。\n"
           "二、特殊用火\n"
           "禁火期内，用火单位或者个人应当在用火之前告知村民委员会。\n"
           "三、违令者按照有关法律法规规定追究相关人员的法律责任。\n"
           "违反上述规定的，公安机关将依照有关规定依法进行处罚。\n"
           "温馨提示：请广大村民朋友文明祭祀，共同守护绿水青山。\n"
           "根据气象预报，经县防汛抗旱指挥部会商研究，决定于7月4日16时终止我县防汛Ⅳ级应急响应。\n")
    doc = parsed(ban, "ban.txt")
    assert doc.meta["title"] is None and doc.meta["kind"] == "notice"
    got = {d.text: d for d in extract_directives(doc)}
    assert "（一）严禁携带火种进入林区。" in got and "（二）严禁焚烧秸秆杂草。" in got
    assert got["（一）严禁携带火种进入林区。"].safety and got["（一）严禁携带火种进入林区。"].sectors == ["森林草原防火"]
    spans = got["在禁火期和禁火区域内，禁止一切野外用火，必须严格执行以下规定："].deadline
    assert (spans.text, spans.kind) == ("禁火期", "period")
    assert got["禁火期内，用火单位或者个人应当在用火之前告知村民委员会。"].parties == ["用火单位或者个人"]
    assert not any(t.startswith(("为有效防范", "违反上述", "温馨提示", "根据气象预报", "三、违令者")) for t in got)


def test_tips_to_the_public_under_an_advice_lead_are_not_orders_but_a_ban_among_them_is():
    """广大群众在使用炭火取暖时应做到：1.… 2.…: tips to the public; 如何预防…？ opens tips too; a ban among
    them (3.禁止…) is an order, and so is what the notice orders its bodies (各村要…)."""
    notice = ("关于冬季安全取暖的通告\n"
              "为有效防范一氧化碳中毒事故，现就有关事项通告如下。\n"
              "一、科学安全取暖\n广大群众在使用炭火、燃煤取暖时应做到：\n"
              "1.炭火：使用炭火盆取暖时，要确保门窗通风，保持室内空气流通，注意火源管理，防止中毒。\n"
              "2.燃煤：选用合格炉具，科学安装烟筒，定期检查保持排烟畅通。\n"
              "3.禁止使用直排式燃气热水器。\n"
              "二、加强排查\n各村要全面排查孤寡老人取暖安全隐患，发现问题立即整改。\n")
    texts = [d.text for d in extract_directives(parsed(notice, "tips.txt"))]
    assert "3.禁止使用直排式燃气热水器。" in texts
    assert any(t.startswith("各村要全面排查") for t in texts)
    assert not any(t.startswith(("1.炭火", "2.燃煤", "广大群众")) for t in texts)


def test_a_forwarding_line_is_an_order_only_when_it_asks_for_more_than_carrying_the_document_out():
    def texts(line: str) -> list[str]:
        notice = "关于转发防汛工作通知的通知\n各乡镇人民政府，县直有关单位：\n" + line + "\n青溪县人民政府办公室\n"
        return [d.text for d in extract_directives(parsed(notice, "forward.txt"))]

    concrete = ("现将《紧急通知》转发给你们，请按照《紧急通知》要求，全力以赴抓好各项防汛措施的落实，"
                "确保汛期安全度汛。")
    bare = "现将《关于做好防汛工作的通知》（青防指〔2025〕3号）转发给你们，请结合本地本单位实际，认真贯彻执行。"
    assert texts(concrete) == [concrete]
    assert texts(bare) == []
    # the same bare request in words the classifier reads as an order (组织实施) is still none
    assert texts("现将市安委会《关于加强道路交通安全管理工作的意见》转发给你们，请结合本地本单位实际，认真组织实施。") == []


def test_a_plans_preamble_sections_hold_no_task_and_its_title_is_read_over_three_lines():
    plan = ("青溪县人民政府办公室\n关于印发青溪县气象灾害应急预案的\n通 知\n青政办〔2025〕6号\n"
            "各乡镇人民政府，县直有关部门：\n"
            "《青溪县气象灾害应急预案》已经县人民政府同意，现印发给你们，请结合实际，认真贯彻执行。\n"
            "青溪县气象灾害应急预案\n1 总则\n1.1 编制目的\n"
            "建立健全气象灾害应急响应机制，提高气象灾害防范、处置能力。\n1.2 适用范围\n"
            "本预案适用于暴雨、寒潮等气象灾害事件的防范和应对。\n2 组织体系\n"
            "各乡镇要在汛前组织开展一次应急演练，全面检查防汛物资储备。\n")
    doc = parsed(plan, "plan_notice.txt")
    assert doc.meta["title"] == "青溪县人民政府办公室关于印发青溪县气象灾害应急预案的通知"
    texts = [d.text for d in extract_directives(doc)]
    assert not any(t.startswith(("建立健全气象灾害", "本预案适用于")) for t in texts)
    assert any(t.startswith("各乡镇要在汛前组织开展一次应急演练") for t in texts)


def test_a_column_label_before_a_title_and_a_spaced_breadcrumb():
    page = ("首页 新闻中心 公告公示-政务类\n"
            "【预警信息】青溪县防汛抗旱指挥部 关于启动防汛Ⅳ级应急响应的通知\n"
            "各乡镇防汛抗旱指挥部：\n各乡镇要加强值班值守，严格落实24小时值班制度。\n")
    doc = parsed(page, "label_title.txt")
    assert doc.meta["title"] == "青溪县防汛抗旱指挥部关于启动防汛Ⅳ级应急响应的通知"
    assert "新闻中心" not in doc.body


def test_an_item_of_a_list_inside_a_paragraph_is_read_after_its_marker():
    """…民生实事。（2）提升农村消防安全水平，对…实施“水改”“电改”。: only a paragraph's opening marker makes
    an outline item, so an inline item keeps its marker and its verb is read after it."""
    report = ("青溪县2026年政府工作报告\n二、2026年主要任务\n（九）持续保障和改善民生。\n"
              "今年将扎实办好“五件民生实事”。（1）促进重点群体就业，新增城镇就业3000人。"
              "（2）提升农村消防安全水平，对全县45个木结构房屋连片村寨实施“水改”“电改”。"
              "（3）丰富群众文化生活，建成社区健身路径20个。\n")
    flags = {d.text: d.safety for d in extract_directives(parsed(report, "report_items.txt"))}
    assert flags.get("（2）提升农村消防安全水平，对全县45个木结构房屋连片村寨实施“水改”“电改”。") is True


@pytest.mark.parametrize("sentence", [
    "全区瓶装液化石油气用户安全检查已于6月完成，共检查用户12600户，发现并整改隐患1437处。",
    "全年培训企业主要负责人和安全管理人员3260人次，完成年度任务的108.7%。",
    "城镇燃气“瓶改管”工作正在有序推进，全年完成用户3200户。",
    "一是部分街道对隐患整改跟踪督促不够，个别隐患整改进度滞后。",
    "特此通知。",
    "各乡镇人民政府，县直各有关单位：",
    "附件：1.隐患排查统计表",
    "现在，我代表县人民政府，向大会报告工作，请予审议。",
    "本报讯 近日，梅溪镇召开燃气安全专项整治推进会。",
    # a speech's frame, the meeting's next item, forecasts, weighing a task, a problem told by what
    # cannot be put right
    "为切实把全区汛期安全工作抓实抓细，下面，我讲几点意见：",
    "等一下，区交通局李局长还要作专题工作报告。",
    "据预测，今年全区春运客运量将达到80万人次，其中水路运输5万人次。",
    "由于高速公路节日免费通行，自驾出行比例将进一步提高。",
    "如何抓好以矿山安全为主的安全工作，完成事故控制指标，是当前的头等大事。",
    "开展“安全生产月”活动，是普及安全生产法律法规、增强全民安全意识的一项重要举措。",
    "全区部分乡村道路安全设施不足，急弯陡坡路段难以整治到位，事故时有发生。",
    # a plan's frame: its stages, section labels, own leading group, attribution lines, scope, purpose
    "（一）宣传发动阶段（5月1日—5月10日）",
    "2、集中整治阶段：6月1日至8月31日。",
    "（二）组织实施，全面推进（2024年3月1日至9月30日）",
    "一、整治目标",
    "四、组织机构",
    "1.宣传到位。",
    "县政府成立燃气安全专项整治工作领导小组，县长任组长，分管副县长任副组长。",
    "为加强组织领导，经研究，成立镇防汛工作领导小组，其组成人员如下：",
    "领导小组下设办公室在镇应急办，负责日常工作。",
    "此项工作由县应急局、县住建局负责组织协调。",
    "责任单位：县应急局、县住建局",
    "此次汛前安全大检查范围是全镇小型水库、山塘和在建水利工程。",
    "检查范围：加油站、液化气站、烟花爆竹批发零售点和在建工地。",
    "通过此次专项整治，及时发现并消除一批安全隐患，确保全镇安全形势稳定。",
    "根据县防指工作部署，为切实做好汛前准备工作，镇防指结合实际，制定2025年汛前安全大检查实施方案。",
    "青禾县校园消防安全大检查实施方案为认真贯彻落实上级重要指示精神，特制定本方案。",
    # a report's problem put as what still needs doing, its closing to its readers, a letter's closing
    "部分群众森林防火意识淡薄、责任落实不到位，隐患排查整治工作仍需进一步加强。",
    "敬请领导批评指正！",
    "以上报告，请审阅。",
    "专此函达。",
    # a ministry's addressee list, however long
    ("各省、自治区应急管理厅，北京市应急管理局、城市管理委员会、城市管理综合行政执法局，天津市应急管理局、城市管理委员会，"
     "上海市应急管理局、城市管理行政执法局、房屋管理局，重庆市应急管理局、城市管理局，新疆生产建设兵团应急管理局："),
    # a lead of news or minutes, the date written out or a template's placeholders
    "6月13日，副县长李明远主持召开了柳溪镇地质灾害防治协调会。",
    "××××年××月××日下午，××街道办事处×××主任主持召开会议，协调处理施工危及民房安全问题。",
    # work a page says was done, in the perfective, whatever purpose clause goes with it
    "为切实筑牢铁路安全防线，青川县护路办于1月28日组织护路队员深入铁路沿线，开展了安全隐患排查整治工作。",
    "1月22日，石门镇安办对全镇KTV娱乐场所进行了突击检查，确保春节无安全隐患。",
    # a definition
    "有主采空区是指有开采主体的地下矿山矿区范围内的采空区。",
])
def test_never_a_directive(sentence):
    assert never_directive(sentence) is not None


def test_an_ineffective_measure_is_no_ban():
    """不得力 (措施不得力, "ineffective") states a problem; 不得 alone bans."""
    from pipeline.extract.rules import cue_families

    assert not cue_families("一些单位对安全工作重视不够、措施不得力，隐患长期得不到整改。")["obligation"]
    assert cue_families("各单位不得擅自停用消防设施。")["obligation"]


@pytest.mark.parametrize("sentence", [
    "下一步将对上半年排查发现尚未整改的358处一般隐患实行清单化管理，9月底前全部整改销号。",
    "各街道要对已排查出的隐患逐项跟踪督办，确保5月底前全部整改到位。",
    "区住建局要在7月底前完成燃气安全智慧监管平台一期建设。",
    # a forecast or an agenda word that leads into an order keeps it
    "据预测，今年汛期降雨偏多，各乡镇要在5月底前完成山塘水库隐患排查。",
    "下面，各乡镇要逐一汇报隐患整改情况。",
    # a plan's orders that look like its frame
    "各村要成立防汛工作领导小组，由村支部书记任组长，5月底前报镇防指备案。",
    "通过村村通广播、微信群等方式，各村要每周开展一次防溺水宣传。",
    "通过悬挂标语、发放宣传材料等形式开展宣传，将违规燃放烟花爆竹的危害性告知群众。",
    "各乡镇要制定本辖区的燃气安全专项整治方案。",
    # an order that names a shortcoming to remedy, and an order given at a dated meeting
    "针对部分企业安全意识薄弱的问题，各乡镇要在6月底前开展一轮全员安全培训。",
    "6月13日召开的协调会要求，各村要于6月15日前完成危险区域人员转移。",
    # a reported order keeps the sentence for the other rules, however it opens
    "9月15日，石门街道召开专题会议，对近期安全生产工作进行了全面部署，要求各社区要开展隐患排查。",
])
def test_orders_that_mention_finished_work_stay_orders(sentence):
    assert never_directive(sentence) is None


def test_the_demo_sheet_has_no_overdue_row_that_reports_finished_work(tmp_path):
    from pipeline.export.writers import export
    from pipeline.ingest.pipeline import ingest_paths
    from pipeline.track.tracker import track_store

    db = open_db(tmp_path / "demo.db")
    ingest_paths(db, [DEMO])
    track_store(db, as_of=DEMO_AS_OF)
    out = tmp_path / "sheet.csv"
    assert export(db, str(out), "csv", as_of=DEMO_AS_OF) > 0
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    overdue = [r["任务内容"] for r in rows if r["落实状态"] == "已逾期"]
    assert overdue
    finished = [t for t in overdue if never_directive(t) or any(w in t for w in ("已于", "已全部", "正在有序"))]
    assert finished == []


def test_search_and_sheet_show_safety_work_unless_asked_for_all(tmp_path):
    from pipeline.export.writers import export
    from pipeline.ingest.pipeline import ingest_paths
    from pipeline.search.engine import Filters, search

    report = tmp_path / "qingchuan-gwr-2025.txt"
    report.write_text(WORK_REPORT, encoding="utf-8")
    db = open_db(tmp_path / "duban.db")
    ingest_paths(db, [report])
    shown = {r.text for r in search(db, "", Filters(), limit=100).hits}
    every = {r.text for r in search(db, "", Filters(all_topics=True), limit=100).hits}
    assert "加快实施交通基础设施项目，新建高速公路60公里。" in every - shown
    assert "加强防汛抗旱和地质灾害防治，完善应急预案，开展应急演练。" in shown
    assert all(r.safety for r in search(db, "", Filters(), limit=100).hits)
    out = tmp_path / "all.csv"
    assert export(db, str(out), "csv", filters=Filters(all_topics=True)) == len(every)


def test_the_extract_stage_rereads_what_an_older_extractor_wrote(tmp_path):
    from pipeline.extract.stage import reextract_store, stale_documents
    from pipeline.ingest.pipeline import ingest_paths

    report = tmp_path / "qingchuan-gwr-2025.txt"
    report.write_text(WORK_REPORT, encoding="utf-8")
    db = open_db(tmp_path / "duban.db")
    ingest_paths(db, [report])
    before = db.execute("SELECT text, safety FROM directives ORDER BY start").fetchall()
    with db.conn:   # as an older duban left it: no safety field, every row counted as safety work
        db.conn.execute("UPDATE directives SET extractor_version = 'extract-1', safety = 1")
    assert stale_documents(db) == [1]
    assert reextract_store(db) == {"reparsed": 0, "reextracted": 1, "failed": 0, "failed_documents": []}
    assert db.execute("SELECT text, safety FROM directives ORDER BY start").fetchall() == before
    assert {v for (v,) in db.execute("SELECT extractor_version FROM directives")} == {EXTRACTOR_VERSION}
    assert reextract_store(db)["reextracted"] == 0


FOLLOW_UP = """青川县安全生产隐患排查整治情况的报告
发布时间：2024-06-20 来源：青川县应急管理局
按照县政府部署，各乡镇、各部门开展了安全隐患大排查，5月底前已全部整改到位。
"""


def test_the_extract_stage_rereads_what_an_older_parser_read_and_keeps_corrections(tmp_path):
    """A store upgrades what an older parser read: the document is parsed again from the inputs the
    store kept, its metadata and directives are the new parser's, a staff correction stays on its
    sentence, tracking reads the changed body again, and a document stored before the store kept its
    inputs, or whose inputs fail, keeps what it has while the rest go on."""
    from pipeline.corrections.log import record
    from pipeline.extract.stage import reextract_store, unparsed_documents
    from pipeline.ingest.pipeline import ingest_paths
    from pipeline.parse.document import PARSER_VERSION
    from pipeline.track.tracker import track_store

    files = []
    for name, text in (("news.txt", NEWS), ("report.txt", FOLLOW_UP), ("old.txt", WORK_REPORT)):
        files.append(tmp_path / name)
        files[-1].write_text(text, encoding="utf-8")
    db = open_db(tmp_path / "duban.db")
    ingest_paths(db, files)
    track_store(db, as_of=dt.date(2024, 7, 1))
    fresh = db.execute("SELECT title, speaker, kind, body FROM documents WHERE id = 1").fetchone()
    directives = db.execute("SELECT text FROM directives WHERE doc_id = 1 ORDER BY start").fetchall()
    evidence = db.execute("SELECT directive_id, text FROM evidence WHERE doc_id = 2").fetchall()
    assert directives and evidence
    record(db, db.execute("SELECT min(id) FROM directives WHERE doc_id = 1").fetchone()[0], "verdict",
           "confirmed", "张三")
    with db.conn:   # as an older parser left them: another title, no speaker, a line of furniture kept
        db.conn.execute("UPDATE documents SET parser_version = 'parse-1', title = '首页', speaker = NULL, "
                        "body = body || '\n版权所有' WHERE id IN (1, 2)")
        db.conn.execute("UPDATE documents SET parser_version = 'parse-1' WHERE id = 3")
        db.conn.execute("DELETE FROM document_inputs WHERE doc_id = 3")
    assert unparsed_documents(db) == [1, 2]
    with db.conn:
        db.conn.execute("INSERT INTO documents (source, fmt, raw_sha256, text_sha256, body, analysis, "
                        "parser_version, ingested_at) VALUES ('broken.txt', 'txt', 'x', 'y', '', '', 'parse-1', '')")
        db.conn.execute("INSERT INTO document_inputs (doc_id, inputs) VALUES (4, ?)", [b"not zlib"])

    counts = reextract_store(db)
    assert (counts["reparsed"], counts["failed"]) == (2, 1) and counts["failed_documents"][0].startswith("4: ")
    assert db.execute("SELECT title, speaker, kind, body FROM documents WHERE id = 1").fetchone() == fresh
    assert db.execute("SELECT text FROM directives WHERE doc_id = 1 ORDER BY start").fetchall() == directives
    assert db.execute("SELECT parser_version FROM documents WHERE id = 3").fetchone()[0] == "parse-1"
    assert {v for (v,) in db.execute("SELECT parser_version FROM documents WHERE id IN (1, 2)")} == {PARSER_VERSION}
    confirmed = db.execute("SELECT cc.verdict FROM directives d JOIN documents doc ON doc.id = d.doc_id "
                           "JOIN corrections_current cc ON cc.doc_sha256 = doc.text_sha256 "
                           "AND cc.text_sha256 = d.text_sha256 WHERE d.doc_id = 1").fetchall()
    assert confirmed == [("confirmed",)]

    track_store(db, as_of=dt.date(2024, 7, 1))
    assert db.execute("SELECT count(*) FROM track_docs t JOIN documents d ON d.id = t.doc_id "
                      "WHERE t.revision != d.revision").fetchone()[0] == 0
    assert db.execute("SELECT revision FROM documents WHERE id = 2").fetchone()[0] == 1
    assert [t for _, t in db.execute("SELECT directive_id, text FROM evidence WHERE doc_id = 2").fetchall()] \
        == [t for _, t in evidence]
    assert reextract_store(db)["reparsed"] == 0


NEWS = """我县召开安全生产暨防汛工作调度会
发布时间：2024-05-08 来源：青川县人民政府办公室
5月7日下午，我县在县政府三楼会议室召开全县安全生产暨防汛工作调度会。县委副书记、县长李明远出席会议并讲话，副县长王建国主持会议。
李明远强调，各乡镇、各部门要立即开展一次安全隐患大排查，5月底前全部整改到位。
"""


def test_news_page_metadata_from_the_lead_and_the_source_line():
    meta = parsed(NEWS, "news.txt").meta
    assert meta["kind"] == "news"
    assert (meta["date"], meta["published"]) == ("2024-05-07", "2024-05-08")
    assert (meta["place"], meta["level"]) == ("青川县", "县")
    assert (meta["speaker"], meta["speaker_role"]) == ("李明远", "县长")
    assert meta["meeting"] == "全县安全生产暨防汛工作调度会"      # the lead's full name, not the headline's
    town = parsed("梅溪镇：扎实开展燃气安全专项整治\n本报讯 近日，梅溪镇召开燃气安全专项整治推进会，镇党委书记刘强主持会议并讲话。\n"
                  "刘强要求，各村要在3月15日前完成燃气用户入户检查。\n", "town.txt").meta
    assert (town["place"], town["speaker"]) == ("梅溪镇", "刘强")
    chair = parsed("县政府召开常务会议\n2月6日，县长周海主持召开县政府第12次常务会议，研究部署安全生产工作。\n"
                   "会议要求，各乡镇要立即组织开展烟花爆竹专项整治。\n", "chair.txt").meta
    assert (chair["speaker"], chair["speaker_role"]) == ("周海", "县长")


def test_news_leads_without_a_dateline_give_kind_date_level_meeting_and_speaker():
    """Pages read as text often keep only a headline and the lead (no publication line)."""
    paper = parsed("下一版»本期共4版(1-2-3-4)\n县安委会召开第二次全体（扩大）会议\n\n本报讯 4月2日，县安委会召开第二次全体（扩大）"
                   "会议，传达全国安全生产电视电话会议精神。县领导张立、王平及县直部门主要负责人参加会议。\n", "paper.txt").meta
    assert paper["title"] == "县安委会召开第二次全体（扩大）会议"      # the e-paper's page line is furniture
    assert paper["level"] == "县"                                   # 县领导, 县直: not 全国 named in passing
    assert paper["meeting"] == "县安委会第二次全体（扩大）会议"        # an ordinal name takes its holder
    assert paper["date"] is None                                    # 4月2日 and no year anywhere
    lead = parsed("6月3日，我区燃气安全专题会议召开。区委常委、副区长（常务）陈亮主持会议并讲话。\n"
                  "会议要求，各街道要在6月底前完成餐饮场所燃气报警器安装。\n", "lead.txt").meta
    assert lead["kind"] == "news"
    assert lead["meeting"] == "燃气安全专题会议"
    assert (lead["speaker"], lead["level"]) == ("陈亮", "区")
    titled = parsed("2025年县防汛抗旱指挥部第一次全体会议召开\n5月20日，县防汛抗旱指挥部召开第一次全体会议，部署今年"
                    "防汛工作。\n", "titled.txt").meta
    assert titled["date"] == "2025-05-20"                           # the year from the headline


def test_news_leads_behind_page_furniture_and_purpose_clauses():
    portal = parsed("热搜:燃气 电动车\n首页 > 新闻中心 > 本地要闻\n石门镇召开安全生产工作会议\n索引号: 1137/2023-1 文号:\n"
                    "发布日期: 2023-05-12\n为压实安全责任，5月11日上午，清河县石门镇在镇政府三楼会议室组织召开安全生产工作会议。"
                    "会议由镇长赵一鸣主持。\n", "portal.txt").meta
    assert portal["title"] == "石门镇召开安全生产工作会议"          # not the portal's search strip
    assert portal["date"] == "2023-05-11"                           # the lead's date, not the info line's
    assert (portal["place"], portal["level"], portal["kind"]) == ("石门镇", "乡镇", "news")
    assert portal["speaker"] == "赵一鸣"                            # no one reported speaking: the chair
    spaced = parsed("3 月 2 日，县安委会召开2026年第一次全体会议，县委常委、常务副县长孙博出席会议。\n"
                    "孙博要求，各乡镇要立即开展隐患排查。\n", "spaced.txt").meta
    assert spaced["date"] == "2026-03-02"                           # the year the lead writes
    assert (spaced["speaker"], spaced["speaker_role"]) == ("孙博", "常务副县长")
    assert spaced["meeting"] == "县安委会2026年第一次全体会议"


def test_news_pages_with_portal_menus_info_lines_and_no_meeting():
    menu = parsed("首 页 走进青山 新闻中心 政务公开 互动交流\n市委 > 要闻 > 本地新闻\n2025-03-08 星期六\n"
                  "青山区召开消防安全工作推进会\n发布人: 来 源: 时 间:2025-03-08 收藏\n"
                  "3月6日,青山区召开消防安全工作推进会。区委常委、常务副区长张建国到会讲话。\n", "menu.txt").meta
    assert menu["title"] == "青山区召开消防安全工作推进会"       # menus, breadcrumbs and the weekday line are furniture
    assert (menu["published"], menu["date"]) == ("2025-03-08", "2025-03-06")
    assert menu["speaker"] == "张建国"
    dated = parsed("本报讯（记者 王林）2024年12月28日，全市城镇燃气安全工作专题会召开，部署节日期间重点工作。会议强调，各燃气企业"
                   "要严格履行主体责任，做好隐患排查。\n", "dated.txt").meta
    assert dated["date"] == "2024-12-28"                            # the lead's own full date
    visit = parsed("■ 昨日，副县长郑强带领交通、应急等部门负责人深入高速公路服务区检查节前安全生产工作。郑强强调，各部门要"
                   "严格落实值班值守。\n", "visit.txt").meta
    assert (visit["kind"], visit["speaker"]) == ("news", "郑强")    # no meeting: the official the page follows



def test_news_leads_without_a_month_watched_meetings_and_names_before_roles():
    record = parsed("索引号 11520/2024-00031\n组配分类 安全生产 发布机构 县应急管理局\n生成日期: 2024-04-09 公开方式: 主动公开\n"
                    ">政务公开>工作动态>安全生产\n为做好汛期安全防范，近日，青禾镇组织各村安全员召开防汛工作部署会。\n"
                    "李平镇长召集各村支部书记，对巡堤查险作了部署。\n", "record.txt").meta
    assert record["title"] is None                       # the disclosure table and breadcrumb are furniture
    assert (record["kind"], record["place"], record["level"]) == ("news", "青禾镇", "乡镇")
    assert (record["speaker"], record["speaker_role"]) == ("李平", "镇长")
    watched = parsed("我县组织收看全省防汛抗旱工作视频会\n6月3日，我县组织收听收看了全省防汛抗旱工作视频会议。会后，"
                     "副县长周明要求各乡镇要立即开展隐患排查。\n", "watched.txt").meta
    assert watched["meeting"] == "全省防汛抗旱工作视频会议"    # the watched meeting, named in full
    assert watched["level"] == "县"                       # 我县 speaks for the page, not the province's meeting
    lead = parsed("6月20日上午，我县组织收听收看了全省防汛抢险应急演练视频会议，县政府办、应急管理局、石门镇、"
                  "青禾乡等单位负责同志参加会议。\n会议强调，各级各部门要加强巡堤查险。\n", "lead.txt").meta
    assert (lead["place"], lead["level"]) == (None, "县")  # 我县 in the lead: not a town among those attending
    day = parsed("8日，全县矿山安全生产工作会召开。\n会议要求，各矿山企业要开展隐患自查自改。\n", "day.txt").meta
    assert (day["kind"], day["meeting"]) == ("news", "全县矿山安全生产工作会")
    long_title = "青禾县召开2024年第二季度安全生产工作会议暨县安委会第三次全体会议和防汛抗旱、森林防火、城镇燃气安全专项整治和自建房安全隐患排查整治工作部署会"
    headline = parsed(long_title + "\n近日，青禾县召开会议，部署安全生产工作。\n", "headline.txt").meta
    assert headline["title"] == long_title               # a long headline is not glued to the lead
    said = parsed("会议要求，各乡镇要对辖区自建房开展拉网式排查。\n最后，王强主任要求各部门要建立整改台账。\n", "said.txt").meta
    assert (said["kind"], said["speaker"]) == ("news", "王强")   # a meeting's orders told in the third person


def test_notice_pages_without_their_title_and_with_a_barred_menu():
    addressed = parsed("各乡镇人民政府，县直各有关单位：\n为做好汛期安全防范工作，现就有关事项通知如下：\n"
                       "一、各乡镇要于6月10日前完成山洪灾害危险区排查。\n", "addressed.txt").meta
    assert addressed["kind"] == "notice"                  # the addressee line and the opening say so
    forwarded = parsed("青禾县人民政府办公室\n现将《关于做好森林防火工作的紧急通知》转发给你们，请认真抓好落实。\n",
                       "forwarded.txt").meta
    assert forwarded["kind"] == "notice"
    news = parsed("3月5日，我县召开安全生产工作会议，县长李明出席会议并讲话。\n会议要求，各乡镇、各部门要做好以下工作：\n"
                  "一要开展隐患排查，建立整改台账。\n二要加强值班值守，确保信息畅通。\n", "news_colon.txt").meta
    assert news["kind"] == "news"                          # a meeting's demands end with a colon too
    menu = parsed("青禾区政府网 | 市政府门户网站 | 网站无障碍 | 关怀版\n文章播报\n关于加强河道巡查及防溺水工作的通知\n"
                  "各乡镇（街道）人民政府（办事处）：\n一、每日开展1次河道巡查。\n", "menu.txt").meta
    assert (menu["title"], menu["kind"]) == ("关于加强河道巡查及防溺水工作的通知", "notice")
    signed = parsed("青山省南岭市人民政府关于做好汛期地质灾害防治工作的通知\n各区、县人民政府：\n"
                    "一、各区县要于6月底前完成隐患点排查。\n南岭市人民政府办公室 2023年5月8日\n", "signed.txt").meta
    assert signed["date"] == "2023-05-08"                  # the issuer and the date on one line
    assert (signed["place"], signed["level"]) == ("南岭市", "市")   # the government, not the province above it
    cn = parsed("关于做好春节期间森林防火工作的通知\n各行政村：\n一、各村要落实护林员巡山。\n石门乡人民政府\n二OO九年一月十二日\n",
                "cn.txt").meta
    assert cn["date"] == "2009-01-12"                      # a year written with the letter O
    table = parsed("索引号 | 11523/2023-00417 | 发文字号 | |\n关键词 | 发布机构 | 青禾县住建局 | |\n"
                   "生成日期 | 2023-06-14 10:20:00 | 是否有效 | 是 |\n各镇人民政府：\n"
                   "入汛以来我县降雨偏多，现就农村危房巡查工作安排如下：\n一、各镇要对所有农户住房进行全面排查，建立台账。\n"
                   "二、各镇要于9月10日前报送排查情况。\n青禾县住房和城乡建设局\n", "table.txt").meta
    assert table["title"] is None                          # the bar-parted disclosure rows are furniture
    assert table["date"] == "2023-06-14"                   # the table's 生成日期 is the page's date
    assert (table["place"], table["kind"]) == ("青禾县", "notice")   # the issuer who signs it
    counted = parsed("青禾县终止防汛Ⅲ级应急响应\n阅读:1287\n关于终止全县防汛Ⅲ级应急响应\n的 通知\n"
                     "各乡镇人民政府、街道办事处，区防指各成员单位：\n经县防指研究，决定终止防汛Ⅲ级应急响应。"
                     "各乡镇要继续做好巡堤查险工作，加强值班值守。\n", "counted.txt").meta
    assert counted["kind"] == "notice"                     # the read count is furniture; the addressee follows
    paper = parsed("第三版:本地新闻\n2025年09月05日\n全县校园安全工作推进会召开\n本文字数:318\n■王林\n"
                   "9月1日,全县校园安全工作推进会召开。\n会议要求,各学校要开展校舍安全隐患排查。\n", "paper.txt").meta
    assert paper["date"] == "2025-09-01"                   # a short lead still dates the page, not the print date


def test_a_short_theme_heading_of_a_notice_is_not_a_task():
    notice = ("关于加强河道巡查及防溺水工作的通知\n各乡镇（街道）人民政府：\n一、严格巡查管控\n"
              "每日上、下午各开展1次河道巡查，巡查情况须详细记录台账。\n二、开展安全检查。\n三、加强宣传教育\n"
              "各村要利用广播推送防溺水知识。\n")
    got = [d.text for d in extract_directives(parsed(notice, "theme.txt"))]
    assert "一、严格巡查管控" not in got and "三、加强宣传教育" not in got
    assert "二、开展安全检查。" in got                       # a heading with a checkable task still orders it
    assert any(t.startswith("各村要利用广播") for t in got)


def test_a_numbered_heading_naming_a_capability_to_build_is_not_a_task():
    plan = ("青溪县基层应急能力提升方案\n一、完善基层应急救援队伍体系\n（一）完善乡镇防汛抢险队伍。\n"
            "各乡镇要在5月底前组建不少于20人的防汛抢险队伍。\n（二）加强高层建筑灭火救援准备。\n"
            "消防救援大队要每季度开展一次高层建筑灭火演练。\n（三）加强重点场所消防安全检查。\n")
    got = [d.text for d in extract_directives(parsed(plan, "capability.txt"))]
    assert not any(t.endswith(("完善乡镇防汛抢险队伍。", "救援队伍体系", "灭火救援准备。")) for t in got)
    assert any(t.startswith("各乡镇要在5月底前") for t in got)
    assert any(t.endswith("加强重点场所消防安全检查。") for t in got)   # checkable work still orders
    # A work report's sentence of the same shape, inside a paragraph, is a task to its annotators.
    report = parsed("2026年青溪县人民政府工作报告\n各位代表：\n二、2026年重点工作\n"
                    "（三）守牢安全底线。强化基层应急救援队伍建设。各县要配齐应急救援装备。\n", "report.txt")
    assert "强化基层应急救援队伍建设。" in [d.text for d in extract_directives(report)]

def test_a_work_reports_paragraph_theme_is_not_a_task_unless_it_names_a_campaign():
    report = parsed("2026年青溪县人民政府工作报告\n各位代表：\n二、2026年重点工作\n"
                    "提升防灾减灾救灾能力。加快建设县级应急物资储备库，年底前建成投用。完善基层应急救援队伍。\n"
                    "深化安全生产治本攻坚。开展燃气、自建房安全隐患排查整治。\n"
                    "二是着力强化生产安全。压实企业主体责任，开展重点行业领域专项检查。\n"
                    "加强森林防灭火基础设施建设。\n", "report.txt")
    got = [d.text for d in extract_directives(report)]
    assert "提升防灾减灾救灾能力。" not in got and not any(t.endswith("着力强化生产安全。") for t in got)
    assert "深化安全生产治本攻坚。" in got                  # a campaign it names is a task
    assert "加强森林防灭火基础设施建设。" in got            # a paragraph of one sentence is the task itself
    assert any(t.startswith("加快建设县级应急物资储备库") for t in got)
    # A plan's paragraph may open the same way: only a work report sets its themes so.
    plan = parsed("青溪县防灾减灾工作方案\n提升防灾减灾救灾能力。各乡镇要在6月底前完成隐患排查。\n", "plan.txt")
    assert "提升防灾减灾救灾能力。" in [d.text for d in extract_directives(plan)]


TAUGHT = """关于做好安全生产宣传工作的通知
各街道、各部门：
一、各街道要在辖区主要路口悬挂安全生产宣传横幅，营造浓厚氛围。
二、各部门要在单位门户网站开设安全生产宣传专栏，营造浓厚氛围。
三、各学校要在校园广播中播放安全生产宣传内容，营造浓厚氛围。
四、各街道要在12月20日前完成辖区燃气用户隐患排查，建立整改台账。
"""
LATER = """关于做好消防安全宣传工作的通知
各街道、各部门：
一、各社区要在小区宣传栏张贴消防安全宣传海报，营造浓厚氛围。
二、各街道要在12月25日前完成高层建筑消防设施检查，建立问题清单。
"""


def test_corrections_teach_the_model(tmp_path, monkeypatch):
    """Staff reject a kind of sentence (banners and posters for atmosphere); after `duban train --db`
    a new sentence of that kind is no longer extracted, and real tasks still are."""
    import pipeline.extract.detect as detect
    from pipeline.extract.classifier import _load
    from pipeline.extract.train import train
    from pipeline.ingest.pipeline import ingest_paths
    from pipeline.corrections.log import record

    def texts(text, name):
        return [d.text for d in extract_directives(parsed(text, name))]

    before = texts(LATER, "later.txt")
    assert any("海报" in t for t in before) and any("消防设施检查" in t for t in before)
    first = tmp_path / "taught.txt"
    first.write_text(TAUGHT, encoding="utf-8")
    db = open_db(tmp_path / "duban.db")
    ingest_paths(db, [first])
    for directive_id, text in db.execute("SELECT id, text FROM directives").fetchall():
        if "氛围" in text:
            record(db, directive_id, "verdict", "rejected", "王科长", "宣传氛围不是督办事项")
        else:
            record(db, directive_id, "verdict", "confirmed", "王科长")
    model = tmp_path / "clf.json"
    figures = train(out=model, db=db, card=tmp_path / "clf.md")
    assert figures["corrections"]["rejected"] == 3 and figures["veto"] is not None
    assert "3 rejected" in (tmp_path / "clf.md").read_text(encoding="utf-8")
    monkeypatch.setattr(detect, "load_classifier", lambda: _load(str(model)))
    after = texts(LATER, "later.txt")
    assert not any("海报" in t for t in after)
    assert any("消防设施检查" in t for t in after)


SPEECH = """在全县安全生产工作会议上的讲话
（2025年3月5日）
同志们：
今天召开会议，主要任务是部署当前安全生产工作。下面，我讲三点意见。
一要紧盯危险化学品领域。严格落实企业主体责任，全面排查重大危险源。强化执法检查，年底前实现全覆盖。
二要抓好森林防火。加强野外用火管理，落实护林员巡山制度。
"""
# The same speech re-hosted in traditional characters with pinyin glosses left by a copy-paste.
SPEECH_TRADITIONAL = """在全縣安全生產工作會議上的講話
（2025年3月5日）
同志們：
今天召開會議，主要任務是部署當前安全生產工作。下面，我講三點意見。
一要緊盯危險化學品領域。嚴格落實(shí)企業主體責任，全面排查重大危險源。強化執法檢查，年底前實現全覆蓋。
二要抓好森林防火。加強野外用火管理，落實(shí)護林員巡山制度。
"""


def test_the_sentences_of_an_ordering_item_inherit_its_order_and_sector():
    directives = extract_directives(parsed(SPEECH, "speech.txt"))
    got = {d.text: (d.sectors, d.deadline.date if d.deadline else None) for d in directives}
    assert got["严格落实企业主体责任，全面排查重大危险源。"] == (["危险化学品"], None)
    assert got["强化执法检查，年底前实现全覆盖。"] == (["危险化学品"], "2025-12-31")
    assert got["加强野外用火管理，落实护林员巡山制度。"] == (["森林草原防火"], None)


def test_a_traditional_rehost_gives_the_same_directives():
    simple = extract_directives(parsed(SPEECH, "speech.txt"))
    traditional = extract_directives(parsed(SPEECH_TRADITIONAL, "speech-hk.txt"))
    assert len(traditional) == len(simple) == 3
    for a, b in zip(simple, traditional):
        assert (a.sectors, a.deadline and a.deadline.date, a.safety) == (b.sectors, b.deadline and b.deadline.date, b.safety)


def test_a_traditional_pages_deadline_is_worded_as_the_page_writes_it():
    """Spec §2: the deadline's text is the time expression as written; the rules read the simplified
    form, but the sheet's wording column shows the page's own characters (and a gloss left in them)."""
    notice = ("關於做好國慶節期間消防安全工作的通知\n（2025年9月1日）\n各鄉鎮：\n"
              "一、各單位要在國慶(qìng)節前完成消防設施檢測。\n二、各鄉鎮要限時(shí)整改排查發現的火災隱患。\n")
    got = [d.deadline.as_json() for d in extract_directives(parsed(notice, "notice-hk.txt"))]
    assert got == [{"text": "國慶(qìng)節前", "kind": "date", "date": "2025-09-30"},
                   {"text": "限時(shí)", "kind": "vague", "date": None}]


FURNISHED = """全县安全生产工作会议召开
第03版：要闻
来源地址：http://www.example.gov.cn/xwzx/2024/0130.html
1月30日上午，我县召开全县安全生产工作会议。县委书记王波出席并讲话。
王波强调，要紧盯重点领域，全面加强安全隐患排查整治。
编辑：兰秀 编审：赖丽 监制：林乾
主办：青川县人民政府 承办：县融媒体中心
本文系本站编辑转载，文章版权归原作者所有，转载目的在于传递更多信息，并不代表本站赞同其观点。
发表评论
文明上网，理性发言
用户名：
密码：
"""


def test_text_page_furniture_is_cleaned():
    body = parsed(FURNISHED, "page.txt").body
    assert body.splitlines() == ["1月30日上午，我县召开全县安全生产工作会议。县委书记王波出席并讲话。",
                                 "王波强调，要紧盯重点领域，全面加强安全隐患排查整治。"]


def test_a_leaders_reported_demands_carry_their_order():
    """周明强调：要…。狠抓…，5月底前完成…: the sentences after the lead are the leader's demands."""
    news = ("我县召开全县安全生产暨森林防火工作推进会\n"
            "4月29日下午，我县召开全县安全生产暨森林防火工作推进会。县长周明出席会议并讲话。\n"
            "周明强调：要突出重点、严防死守，切实筑牢安全生产防线。狠抓森林防火隐患整治和野外火源管控，"
            "5月底前完成林区祭祀用火巡查；要加强领导、落实责任，严格责任追究。\n"
            "会上，副县长李华对近期工作进行了安排部署。\n")
    got = {d.text: d.sectors for d in extract_directives(parsed(news, "news5.txt"))}
    assert got.get("狠抓森林防火隐患整治和野外火源管控，5月底前完成林区祭祀用火巡查；") == ["森林草原防火"]
    assert not any(t.startswith("会上") for t in got)


def test_a_run_of_one_sentence_items_continues_whom_its_lead_in_addresses():
    """要求各企业一要…；二要…；三要…: the run addresses 各企业 (spec §2: the lead-in the items continue);
    an item's own subject inside the first item (一要…，各村要…) is not the run's, and items with sentences
    of their own between them (a speech's parts) are read one by one."""
    news = ("柳溪镇召开节前安全生产工作会\n"
            "1月8日，柳溪镇召开节前安全生产工作会。会议要求各企业一要落实主体责任，做好安全防范；"
            "二要开展隐患自查，及时整改；三要加强值班值守，确保平安过节。\n"
            "会议强调，一要加大部署力度，各村要提前做好护林防火人员分工；二要加大宣传力度，到村到户开展安全宣传；\n"
            "各站所要在加强基层基础工作上下功夫。一要加强企业的安全管理。生产经营单位是安全生产的责任主体。"
            "二要加强应急演练。\n")
    got = {d.text: d.parties for d in extract_directives(parsed(news, "news_run.txt"))}
    assert got["二要开展隐患自查，及时整改；"] == ["各企业"]
    assert got["三要加强值班值守，确保平安过节。"] == ["各企业"]
    assert got["二要加大宣传力度，到村到户开展安全宣传；"] == []
    assert got.get("二要加强应急演练。", []) == []


def test_what_a_report_or_bulletin_finds_is_no_order_and_its_next_steps_are():
    """A report's section of problems holds no order, whatever its sentences' cues (…仍需加强, …要…);
    its next steps are orders; a section that also names the remedy is not a problem section."""
    report = ("柳溪镇2024年消防安全工作总结\n"
              "一、主要工作\n全年共开展消防安全检查12次，整改火灾隐患46处。\n"
              "二、存在的问题\n部分村民消防安全意识薄弱，火灾隐患排查工作仍需加强。\n"
              "个别企业要求员工参加培训不够，应急演练流于形式。\n"
              "一些村的消防通道被杂物占用，需要加大清理力度。\n"
              "三、存在问题及整改措施\n针对培训不够的问题，各企业要在3月底前完成全员消防培训。\n"
              "四、下一步工作打算\n加强消防安全隐患排查整治，确保火灾隐患及时整改到位。\n"
              "敬请领导批评指正！\n")
    texts = [d.text for d in extract_directives(parsed(report, "fire_summary.txt"))]
    assert "针对培训不够的问题，各企业要在3月底前完成全员消防培训。" in texts
    assert "加强消防安全隐患排查整治，确保火灾隐患及时整改到位。" in texts
    assert not [t for t in texts if "村民" in t or "个别企业" in t or "全年共" in t or "敬请" in t or "杂物" in t]


def test_a_next_step_a_unit_commits_to_leads_the_clauses_after_it():
    """下阶段，X将…；加强…；完善…。 in a news item of a unit's work: the clauses after the commitment's
    semicolon are its next steps and X does them, not the body the report named before; a task to
    forecast (适时做出预测预报) is no forecast."""
    news = ("三明市开展防汛安全大检查\n"
            "水利部门共组织1302人次对600多处工程进行防汛安全大检查；交通部门加强对水上船只的安全检查等。"
            "下阶段，全市各地将进一步完善山洪灾害监测预警体系，适时做出预测预报，及时发布预警信息；"
            "加强检查整改，把各类水库和在建工程作为重点，查找存在的隐患；"
            "及时补充和储备防汛抢险救灾物资，落实专业抢险队伍。\n")
    got = {d.text: d.parties for d in extract_directives(parsed(news, "next_steps.txt"))}
    lead = "下阶段，全市各地将进一步完善山洪灾害监测预警体系，适时做出预测预报，及时发布预警信息；"
    assert got[lead] == ["全市各地"]
    assert got["加强检查整改，把各类水库和在建工程作为重点，查找存在的隐患；"] == ["全市各地"]
    assert got["及时补充和储备防汛抢险救灾物资，落实专业抢险队伍。"] == ["全市各地"]
    assert never_directive("据预测，今年汛期降雨偏多，局地可能出现极端强降雨。") == "forecast"


def test_letters_and_minutes_are_notices_and_minutes_keep_their_chair_and_meeting():
    from pipeline.parse.metadata import find_kind

    letter = ["柳溪镇安委会：", "2024年3月2日，你镇一建筑工地发生一起高处坠落事故，造成1人死亡。",
              "请你镇依照有关法律法规，尽快查清事故原因，依法依规追究责任。"]
    assert find_kind(None, letter) == "notice"
    assert find_kind("关于贯彻落实全区安全生产工作会议情况的报告", ["区人民政府：", "现将有关情况报告如下。"]) == "report"
    minutes = ("青禾县地质灾害防治协调会会议纪要\n"
               "6月13日，副县长李明远主持召开了柳溪镇石门地质灾害防治协调会。\n"
               "会议决定：对直接面临危险的房屋，柳溪镇政府要于6月15日前组织人员全部撤离。\n")
    meta = parsed(minutes, "minutes.txt").meta
    assert meta["kind"] == "notice"
    assert (meta["speaker"], meta["speaker_role"]) == ("李明远", "副县长")
    assert meta["meeting"] == "柳溪镇石门地质灾害防治协调会"


def test_a_notice_paragraph_opened_by_a_request_stays_addressed_to_its_bodies():
    """请各乡镇、各相关单位…。要…。有关部门要…。压实…: a later order without a body of its own is still
    the request's addressees' (the annotation guide), not the last body a sentence named."""
    notice = ("关于做好近期强降雨防范工作的通知\n"
              "各乡镇人民政府，县防指有关成员单位：\n"
              "请各乡镇、各相关单位始终坚持人民至上，加强组织领导，严密防范强降雨诱发的山洪风险。"
              "要密切关注天气变化，及时发布预警信息。县水利局要对水库开展巡查。"
              "压实转移避险责任，及时组织危险区域人员转移。\n"
              "严格落实值班值守制度，确保信息畅通。\n")
    got = {d.text: d.parties for d in extract_directives(parsed(notice, "rain_notice.txt"))}
    assert got["要密切关注天气变化，及时发布预警信息。"] == ["各乡镇", "各相关单位"]
    assert got["县水利局要对水库开展巡查。"] == ["县水利局"]
    assert got["压实转移避险责任，及时组织危险区域人员转移。"] == ["各乡镇", "各相关单位"]
    assert got["严格落实值班值守制度，确保信息畅通。"] == []


@pytest.mark.parametrize("sentence, parties", [
    ("请各单位按照要求，有序开展防控工作。", ["各单位"]),
    ("请各地区、各部门和单位分别明确1名联络员，做好日常沟通衔接。", ["各地区", "各部门和单位"]),
    ("国务院安委会将把治本攻坚三年行动作为考核巡查重点。", ["国务院安委会"]),
    ("坚持常态化防控和局部应急处置有机结合。", []),
    ("请各镇（乡、街道）、各有关部门要密切关注天气变化，做好应急准备。", ["各镇（乡、街道）", "各有关部门"]),
    ("有关乡镇及县水利、自然资源部门要对风险隐患进行再排查。", ["有关乡镇", "县水利、自然资源部门"]),
    ("各县（区）和市安委会有关成员单位（详见任务分工）要制定本地工作方案。", ["各县（区）", "市安委会有关成员单位"]),
    ("会议要求各社区要对老旧小区开展排查。", ["各社区"]),
    ("希望各企业于2月6日前完成大扫除并排查消防通道。", ["各企业"]),
    # bodies each named in full, zones among them, are one party each
    ("请高新区、经开区、各乡镇街道及时报告灾情。", ["高新区", "经开区", "各乡镇街道"]),
    ("会议要求，全镇上下要抓实地质灾害排查。", ["全镇上下"]),
    ("请各乡镇人民政府，柳溪经济开发区管委会，青溪县工业集中发展区及相关部门按照职责督促企业整改。",
     ["各乡镇人民政府", "柳溪经济开发区管委会", "青溪县工业集中发展区", "相关部门"]),
    # without 要: a body before an adverb of duty, and a body set off by a comma before 应当
    ("对排查出的问题房屋，镇政府及时上报县住建局。", ["镇政府"]),
    ("电视、广播等新闻媒体，应当加强防火宣传。", ["电视、广播等新闻媒体"]),
    ("隐患及时整改到位。", []),
    # the body ends where the work begins, at an adverb too
    ("请各地务必保持高度警惕，密切关注雨情。", ["各地"]),
    ("请各县各部门高度重视，认真研判风险。", ["各县各部门"]),
    # a body before the work it does without 要 (加强, 认真, 密切 …), but not the one a verb acts on
    ("镇应急办加强对各村应急物资的检查。", ["镇应急办"]),
    ("各单位认真总结工作，健全双重预防机制。", ["各单位"]),
    ("督促企业落实全员安全生产责任制。", []),
    ("推动生产经营单位建立事故隐患内部报告奖励机制。", []),
    # 负责制 and 相应 hold no cue: no body is read out of them
    ("防汛工作实行行政首长负责制，层层压实责任。", []),
    ("县指挥部统一领导全县防汛工作，各镇成立相应的防汛指挥机构负责组织实施。", []),
    # whom a demand addresses, set off by a colon or by a comma before the order
    ("最后，李主任要求各村、各站所：一要抓好汛期值守工作。", ["各村", "各站所"]),
    ("会议强调，各行政村、镇直各单位，高度重视夏季安全生产工作。", ["各行政村", "镇直各单位"]),
    ("会议强调，安全生产无小事，要加强巡查。", []),
    # a request's body ends at more adverbs (始终, 持续, 全面 …)
    ("请各乡镇、各相关单位始终坚持底线思维，严密防范山洪风险。", ["各乡镇", "各相关单位"]),
    # people bound by their role, and a ban after a body
    ("各村负责人和村民代表要对本村的消防安全工作负责。", ["各村负责人", "村民代表"]),
    ("村地灾点监测人随时巡查隐患点的变化。", ["村地灾点监测人"]),
    ("初中学生严禁驾驶机动车上路。", ["初中学生"]),
    # a letter's single addressee (请你镇…), and a body that will go on with its work
    ("请你镇依照有关法律法规，尽快查清事故原因。", ["你镇"]),
    ("春节前，县防指办公室还将持续加大暗访力度。", ["县防指办公室"]),
    # a body's name ends at 会同, and at 联合 after a body; 县联合执法队 is one name
    ("县应急管理局会同县林业局开展检查。", ["县应急管理局", "县林业局"]),
    ("县自然资源局会同本级指挥部成员单位，依据规划拟订防治方案。", ["县自然资源局", "本级指挥部成员单位"]),
    ("镇政府联合派出所开展整治。", ["镇政府", "派出所"]),
    ("县联合执法队开展检查。", ["县联合执法队"]),
    ("县应急管理局要会同县自然资源局对隐患点开展排查。", ["县应急管理局", "县自然资源局"]),
    # a note in brackets after a body's name, and a forest farm
    ("各乡(镇、街道)、国有林场要及时将橙色预警传达到所属村。", ["各乡(镇、街道)", "国有林场"]),
    # when or where the body acts is no part of its name; 所在村 and 在岗人员 are names
    ("各地各单位在做好物资储备的基础上，要认真做好防汛演练工作。", ["各地各单位"]),
    ("各岗位工作人员在日常工作中要保持警惕，发现异常立即上报。", ["各岗位工作人员"]),
    ("各水库所在村要组织巡逻抢险队伍。", ["各水库所在村"]),
    # a body that says what it will do next (将 before any work, not only a listed verb) acts; the 将 that
    # fronts an object (督促企业将隐患整改到位) is no future, and whom a verb supports or urges is no body
    ("下一步，县应急管理局将结合汛期特点开展专项检查。", ["县应急管理局"]),
    ("节日期间，镇消防所将严格落实值班制度。", ["镇消防所"]),
    ("要压实责任，督促企业将主体责任落到实处。", []),
    ("支持龙头企业牵头组建应急产业联盟。", []),
    ("进一步指导企业将问题隐患整改到位。", []),
    # 参照/比照/依照 end the body's name as 按照/对照 do
    ("各县区比照市里做法建立隐患排查工作机制。", ["各县区"]),
    ("各乡镇参照县里模式组建应急救援队伍。", ["各乡镇"]),
])
def test_who_must_act(sentence, parties):
    from pipeline.extract.parties import own_parties

    assert own_parties(sentence) == parties


# Round 3 of news-page metadata: written pages in the shape of the tune pages' misses.

def test_news_lead_without_a_year_takes_the_latest_year_the_page_writes():
    page = ("石门镇召开安全生产工作例会\n"
            "3月9日上午，石门镇召开安全生产工作例会，总结2023年安全生产工作，部署2024年重点任务。\n"
            "会上，镇长周立平作了重要讲话。\n")
    meta = parsed(page, "lead.txt").meta
    assert meta["date"] == "2024-03-09"
    assert (meta["speaker"], meta["speaker_role"]) == ("周立平", "镇长")
    assert meta["meeting"] == "安全生产工作例会"


def test_place_after_a_purpose_clause_and_a_time_phrase():
    page = ("为切实做好汛期安全防范工作，全面压实各方责任，按照区委、区政府部署要求，柳河区组织召开了防汛安全推进会议。"
            "会议由区应急管理局局长孙海主持。\n")
    assert parsed(page, "purpose.txt").meta["place"] == "柳河区"
    town = "根据县安委办通知要求，青山镇于6月12日上午召开汛期安全专项工作推进会。\n"
    assert parsed(town, "town.txt").meta["place"] == "青山镇"
    # A body and a hall named before 召开 give no place.
    hall = "为加强消防工作，县应急管理局在城区召开消防安全工作会议。\n"
    assert parsed(hall, "hall.txt").meta["place"] != "县应急管理局在城区"


def test_own_county_named_by_the_sites_footer_and_a_one_character_county():
    page = ("我县召开森林防火工作会议\n"
            "4月2日，我县召开森林防火工作会议，县委副书记、县长赵明出席会议并讲话。\n"
            "沛阳县人民政府网站版权所有\n")
    assert parsed(page, "footer.txt").meta["place"] == "沛阳县"
    short = parsed("滑县召开安全生产工作会议\n5月6日，会议要求各乡镇立即开展隐患排查。\n", "short.txt").meta
    assert short["place"] == "滑县"


def test_a_document_sites_publication_line_dates_the_page():
    page = ("- 5.73 KB\n- 2021-04-22 发布\n2020年小学开展防溺水工作总结\n"
            "为切实做好防溺水工作，我校开展了一系列安全教育活动。下一步，各班要每周开展一次防溺水安全教育。\n")
    meta = parsed(page, "posted.txt").meta
    assert meta["published"] == "2021-04-22"
    assert meta["title"] == "2020年小学开展防溺水工作总结"


def test_a_publication_stamp_with_a_view_count_is_furniture_not_the_lead():
    page = ("全区部署冬季火灾防控工作\n2025-11-22 10:15:00发布 58次查看\n"
            "11月19日下午，区政府召开全区冬季火灾防控工作会议，部署今冬明春火灾防控工作。\n")
    doc = parsed(page, "stamp.txt")
    assert "次查看" not in doc.body
    assert doc.meta["date"] == "2025-11-19"


def test_a_joint_meeting_keeps_its_whole_name_and_a_traditional_title_is_given_as_the_page_writes_it():
    """The title "as the page shows it" (the annotation guide): a traditional re-host keeps its script and
    glosses, as its parties do."""
    page = "3月8日，我市召开2025年第一季度道路交通安全工作联席会议。\n"
    assert parsed(page, "joint.txt").meta["meeting"] == "2025年第一季度道路交通安全工作联席会议"
    trad = parsed("縣安委會(huì)召開全體會(huì)議\n2月5日，縣安委會(huì)召開全體會(huì)議。\n", "trad.txt").meta
    assert trad["title"] == "縣安委會(huì)召開全體會(huì)議"


def test_a_traditional_work_summary_is_read_as_the_simplified_one():
    """Rules read a title in the analysis form whatever script it is given in: the summary's work done is
    no task in either script, its next step is."""
    simple = "某镇2024年安全生产工作总结\n一年来，我镇要求各村加强巡查，严格落实值班制度。\n下一步，我镇将全面开展燃气安全隐患排查整治。\n"
    trad = "某鎮2024年安全生產工作總結\n一年來，我鎮要求各村加強巡查，嚴格落實值班制度。\n下一步，我鎮將全面開展燃氣安全隱患排查整治。\n"
    got = [[d.text for d in extract_directives(parsed(text, "summary.txt"))] for text in (simple, trad)]
    assert got == [["下一步，我镇将全面开展燃气安全隐患排查整治。"], ["下一步，我鎮將全面開展燃氣安全隱患排查整治。"]]
    assert parsed(trad, "summary.txt").meta["title"] == "某鎮2024年安全生產工作總結"


def directive_texts(text: str) -> list[str]:
    return [d.text for d in extract_directives(parse_text(text, "txt"))]


def test_a_new_scene_ends_the_demands_a_speaker_opened():
    text = ("某街道召开春节期间安全生产工作部署会议\n"
            "1月20日，某街道召开春节期间安全生产工作部署会议。\n"
            "马君强调，要始终绷紧安全生产这根弦，全力做好燃气安全排查整治。"
            "严格落实值班值守制度。"
            "会上，全体人员还共同观看了安全生产警示教育宣传片。\n")
    texts = directive_texts(text)
    assert any(t.startswith("严格落实值班值守制度") for t in texts)   # carried by the speaker's 要
    assert not any("观看了" in t for t in texts)


def test_a_speakers_order_wrapped_in_attitude_words_is_a_directive():
    text = ("某县召开燃气安全专项整治工作推进会\n"
            "5月8日，某县召开燃气安全专项整治工作推进会。\n"
            "副县长王某强调，各级各相关部门要保持高度警醒，坚决克服麻痹思想和侥幸心理，"
            "切实抓好城镇燃气安全排查整治工作，建立问题隐患台账。\n"
            "会议强调，各级各部门要进一步提高政治站位，切实增强责任感和紧迫感。\n")
    texts = directive_texts(text)
    assert any("抓好城镇燃气安全排查整治工作" in t for t in texts)
    assert not any("增强责任感和紧迫感" in t for t in texts)     # attitude alone stays out


def test_a_steep_road_is_no_order():
    # 险要 (steep) is not 要 (must): the sentence states a problem.
    assert directive_texts("山区公路急弯、陡坡、路侧险要等危险路段较多，交通事故多发。\n") == []


def test_a_model_text_sites_blurb_buttons_and_piece_number_are_furniture():
    page = ("正文复制\n"
            "第一篇：在全区防汛工作会议上的讲话\n"
            "在学习、工作生活中，很多情况下我们需要用到讲话稿，讲话稿是指把在一定场合下所要讲的话事先用文字"
            "有条理地写出来的文稿。你知道讲话稿怎样才能写得好吗？下面是小编帮大家整理的防汛工作会议讲话稿，"
            "希望能够帮助到大家。\n"
            "- 相关推荐\n"
            "同志们：今天召开全区防汛工作会议，主要任务是部署今年防汛工作。各街道要在5月底前完成河道清障。\n")
    doc = parsed(page, "fanwen.txt")
    assert doc.meta["title"] == "在全区防汛工作会议上的讲话"
    assert doc.meta["kind"] == "speech"
    assert "小编" not in doc.body and "正文复制" not in doc.body and "相关推荐" not in doc.body
    assert "你知道" not in doc.body and "各街道要在5月底前完成河道清障" in doc.body
    # A page that runs the blurb and the whole text into one line keeps the text.
    one_line = parsed("镇防汛会议讲话做好防汛工作，事关全镇大局。下面是小编给大家整理的镇防汛会议讲话，仅供参考。"
                      "同志们：今天召开全镇防汛工作会议，主要任务是部署今年防汛工作。各村要在5月底前完成山塘巡查。\n",
                      "one_line.txt")
    assert "小编" not in one_line.body and "各村要在5月底前完成山塘巡查" in one_line.body


def test_a_speech_takes_its_meeting_from_its_title_and_a_dated_speaker_line():
    page = ("在全县第二季度安全生产工作会议上的讲话 常务副县长 林某(二00九年四月八日) 同志们：按照县政府"
            "4月2日的县政府常务会议安排，今天召开这次会议。各乡镇要立即开展隐患排查。\n")
    meta = parsed(page, "dated.txt").meta
    assert meta["date"] == "2009-04-08"
    assert meta["meeting"] == "全县第二季度安全生产工作会议"
    titled = parsed("市长在交通联席会讲话\n同志们：各区要加强交通安全隐患排查。\n", "role.txt").meta
    assert titled["meeting"] == "交通联席会"
    # A descriptor of a county is no place (作为山区县 …).
    hill = parsed("在全县森林防火工作会议上的讲话\n同志们：作为山区县，森林防火任务很重。\n", "hill.txt").meta
    assert hill["place"] is None


def assert_tasks(page: str, kept: str, dropped: str) -> None:
    """A directive of ``page`` opens with ``kept``; none holds ``dropped``."""
    texts = directive_texts(page)
    assert any(t.startswith(kept) for t in texts)
    assert not any(dropped in t for t in texts)


def test_an_excerpt_cut_inside_its_last_order_leaves_no_task():
    page = ("在全区国庆节期间安全工作会议上的讲话\n"
            "同志们：\n各街道要在9月底前完成燃气安全隐患排查整治，建立隐患台账。交通、交警部门要开展公\n"
            "网友评论《在全区\n")
    assert_tasks(page, kept="各街道要在9月底前完成燃气安全隐患排查整治", dropped="交警部门要开展公")
    assert "网友评论" not in parsed(page, "cut.txt").body
    # A last sentence cut after its verb and object is still read.
    readable = directive_texts("在全区国庆节期间安全工作会议上的讲话\n同志们：\n"
                               "各街道要在9月底前完成燃气安全隐患排查整治，建立隐患台账。"
                               "交通、交警部门要开展公路客运车辆安全检查，严查超员超载\n")
    assert any(t.startswith("交通、交警部门要开展公路客运车辆安全检查") for t in readable)


def test_fire_words_in_a_forest_fire_speech_are_that_sectors():
    page = ("在全县森林防火工作会议上的讲话\n"
            "同志们：\n对旅游景点、墓地和火灾多发区域，各乡镇要加强巡护，开展巡查执法。\n")
    directives = extract_directives(parsed(page, "forest.txt"))
    assert directives and directives[0].sectors == ["森林草原防火"]
    town = extract_directives(parsed("在全县消防工作会议上的讲话\n同志们：\n对火灾多发区域，各乡镇要加强巡护，开展巡查执法。\n",
                                     "town.txt"))
    assert town and town[0].sectors == ["消防"]
    joint = extract_directives(parsed("在全县森林防火暨消防安全工作会议上的讲话\n同志们：\n"
                                      "对火灾多发区域，各乡镇要加强巡护，开展巡查执法。\n", "joint.txt"))
    assert joint and joint[0].sectors == ["消防"]


def test_a_page_without_a_title_is_on_what_its_purpose_says():
    """What an untitled 禁火令 says it is issued for (为有效防范森林草原火灾…特发布本禁火令) names its
    topic as a title would: its generic fire words are forest-fire words. 森林消防 is forest fire-fighting."""
    order = ("为有效防范森林草原火灾，确保人民群众生命财产安全，特发布本禁火令。\n"
             "一、禁火区域\n全镇行政区域内所有林区、草原。\n"
             "二、禁火行为\n（一）严禁焚烧秸秆、杂草等农事用火行为。\n")
    bans = extract_directives(parsed(order, "fire_ban.txt"))
    assert bans and bans[-1].sectors == ["森林草原防火"]
    town = extract_directives(parsed("二、禁火行为\n（一）严禁焚烧秸秆、杂草等农事用火行为。\n", "plain_ban.txt"))
    assert town and town[-1].sectors == ["消防"]
    forest = extract_directives(parsed("各乡镇要加强森林消防队伍建设，春节前完成扑火物资检查。\n", "forest_team.txt"))
    assert forest and "森林草原防火" in forest[0].sectors and "消防" not in forest[0].sectors


def test_driving_offences_are_road_safety_and_a_safety_bureau_can_act():
    directives = extract_directives(parsed("在全区春运工作会议上的讲话\n同志们：\n安全监管部门要加强对客运司机的教育培训，开展检查，严禁疲劳驾驶、酒后驾车。\n",
                                           "spring.txt"))
    assert directives and directives[0].safety and "交通运输" in directives[0].sectors
    assert directives[0].parties == ["安全监管部门"]


def test_a_page_flattened_into_one_line_opens_with_its_title_and_a_continuation_page_drops_its_number():
    page = ("交通局局长XX年春运工作会议讲话稿 交通局局长xx年春运工作会议讲话稿 一是要保障运输需求。"
            "各客运企业要在春运前完成营运车辆安全检查，建立车辆台账。\n")
    doc = parsed(page, "flat.txt")
    assert doc.meta["title"] == "交通局局长XX年春运工作会议讲话稿"
    assert doc.meta["kind"] == "speech" and doc.meta["meeting"] == "春运工作会议"
    assert not doc.body.startswith("交通局局长")
    second = parsed("全区防汛工作会议讲话第2页\n各街道要在5月底前完成河道清障，建立隐患台账。\n", "p2.txt").meta
    assert second["title"] == "全区防汛工作会议讲话"
    opened = parsed("在全区“五一”假期前安全生产会议上的讲话\n同志们：\n各街道要开展隐患排查。\n", "mayday.txt").meta
    assert opened["meeting"] == "全区“五一”假期前安全生产会议"


def test_an_outline_preview_before_the_title_is_neither_title_nor_tasks():
    page = ("目录/提纲:……\n"
            "一是要统一思想，加强领导，切实开展消防安全检查\n"
            "二是要分清职责，严格落实消防安全各项工作责任\n"
            "……\n"
            "在2022年防火委第一次联席会议上的讲话\n"
            "同志们：\n"
            "各乡镇要在11月底前完成辖区人员密集场所消防安全检查，建立隐患台账。\n")
    doc = parsed(page, "preview.txt")
    assert doc.meta["title"] == "在2022年防火委第一次联席会议上的讲话" and doc.meta["kind"] == "speech"
    texts = [d.text for d in extract_directives(doc)]
    assert texts and all(not t.startswith(("一是要", "二是要")) for t in texts)
    assert any(t.startswith("各乡镇要在11月底前完成") for t in texts)


def test_a_principle_that_names_punishment_is_no_penalty_clause():
    page = ("在全县冬春火灾防控工作会议上的讲话\n同志们：\n"
            "按照“整改是目的，处罚是手段”的原则，加大执法力度，狠抓火灾隐患整改，对火灾隐患久拖不改的单位要坚决予以关停。\n"
            "违反本规定的，由公安机关依法处罚。\n")
    assert_tasks(page, kept="按照“整改是目的", dropped="违反本规定的")


def test_orders_to_assign_duties_coordinate_and_guide_are_tasks_a_plans_guiding_ideology_is_not():
    page = ("在全县防汛工作会议上的讲话\n同志们：\n"
            "县防汛指挥部办公室要担负起牵头部门的重任，搞好协调和防汛技术指导。\n"
            "各乡镇要将防汛工作责任落实到人，明确职责分工。\n")
    texts = directive_texts(page)
    assert any(t.startswith("县防汛指挥部办公室要担负起") for t in texts)
    assert any(t.startswith("各乡镇要将防汛工作责任落实到人") for t in texts)
    plan = "某县防汛工作方案\n一、指导思想\n坚持人民至上、生命至上。\n二、工作任务\n（一）各乡镇要在5月底前完成山塘巡查。\n"
    assert not any(t.startswith("指导思想") for t in directive_texts(plan))


def test_a_plans_stage_heading_dates_the_work_under_it():
    doc = parsed("青禾县燃气安全专项整治工作方案\n"
                 "（一）排查整治阶段（2024年6月1日至8月31日）\n"
                 "各乡镇要对辖区餐饮场所燃气使用情况开展全面排查。\n"
                 "各乡镇要立即整改排查发现的隐患。\n", "plan.txt")
    got = {d.text[:6]: d.deadline for d in extract_directives(doc)}
    assert (got["各乡镇要对辖"].kind, got["各乡镇要对辖"].date) == ("date", "2024-08-31")
    assert got["各乡镇要立即"].kind == "immediate", "a sentence's own time wins over its stage's"


def test_a_stage_heading_dates_the_work_under_an_item_heading_of_its_own():
    doc = parsed("青禾县2024年安全生产月活动方案\n"
                 "（一）宣传动员阶段（6月1日—6月5日）\n"
                 "1.启动仪式\n"
                 "各乡镇要悬挂横幅、张贴标语，设置安全宣传栏。\n"
                 "（二）隐患排查阶段（6月6日—6月20日）\n"
                 "1.专项检查\n"
                 "各村（社区）要开展拉网式隐患排查，建立隐患台账。\n", "plan.txt")
    got = {d.text[:4]: d.deadline for d in extract_directives(doc)}
    assert (got["各乡镇要"].kind, got["各乡镇要"].date) == ("date", "2024-06-05")
    assert (got["各村（社"].kind, got["各村（社"].date) == ("date", "2024-06-20")


def test_a_plans_item_takes_whom_and_when_its_attribution_line_names():
    doc = parsed("青禾县危险化学品安全整治工作方案\n"
                 "三、具体举措、责任主体和治理时限\n"
                 "1.修订完善《青禾县安全生产职能职责规定》，明确化工园区安全监管职责。\n"
                 "（责任单位：县安委办、县应急局；\n治理时限：2022年11月）\n"
                 "2.各乡镇在2022年9月15日前完成辖区加油站、加气站和危险化学品经营单位的安全检查。\n"
                 "3.各村（社区）、企业开展拉网式隐患排查，重点检查消防通道、老旧电路和燃气设施。\n", "plan.txt")
    got = {d.text[:2]: d for d in extract_directives(doc)}
    assert got["1."].parties == ["县安委办", "县应急局"]
    assert (got["1."].deadline.kind, got["1."].deadline.date) == ("date", "2022-11-30")
    assert got["2."].parties == ["各乡镇"], "a body at the head of an order without 要"
    assert got["3."].parties and got["3."].parties[0].startswith("各村（社区）")
    assert not any(d.text.startswith(("（责任单位", "治理时限")) for d in got.values())


def test_an_attribution_line_closes_its_item_over_lines_and_sentences():
    """The item's own second sentence may stand before its attribution, and the bodies may run over
    several lines (牵头责任单位 / 责任单位); an attribution never reaches past a heading."""
    doc = parsed("青禾县危险化学品安全整治工作方案\n"
                 "三、具体举措、责任主体和治理时限\n"
                 "1.修订完善《青禾县安全生产职能职责规定》，明确化工园区安全监管职责。规定由县司法局审核后印发。\n"
                 "（责任单位：县安委办；\n治理时限：2022年8月）\n"
                 "2.全面落实危险化学品安全生产责任清单，制定年度任务清单。\n"
                 "（牵头责任单位：县安委办；\n责任单位：县应急局、县公安局；\n治理时限：2022年12月）\n"
                 "3.各乡镇要开展危险化学品运输车辆专项检查。\n"
                 "四、保障措施\n"
                 "（责任单位：县交通运输局）\n", "plan.txt")
    got = {d.text[:2]: d for d in extract_directives(doc)}
    assert got["1."].parties == ["县安委办"]
    assert (got["1."].deadline.kind, got["1."].deadline.date) == ("date", "2022-08-31")
    assert got["2."].parties == ["县安委办", "县应急局", "县公安局"]
    assert got["2."].deadline.date == "2022-12-31"
    assert got["3."].parties == ["各乡镇"], "an attribution under another heading is not the item's"


# Round 4 of news-page metadata (extract-13): written pages in the shape of the tune pages' misses.

def test_a_sites_banners_and_info_panel_lines_are_no_title():
    page = ("进入老年模式 退出老年模式\n柳溪欢迎您！\n本篇文章668字，读完约2分钟\n发布单位: 柳溪镇\n"
            "柳溪镇召开安全生产工作推进会\n"
            "3月12日，柳溪镇召开安全生产工作推进会，镇长周立平主持会议。\n")
    meta = parsed(page, "banners.txt").meta
    assert meta["title"] == "柳溪镇召开安全生产工作推进会" and meta["kind"] == "news"


def test_a_document_sites_greeting_is_furniture():
    for greeting in ("您好,欢迎访问青禾文档", "欢迎来到范本网,咨询电话:400-000-0000"):
        page = (f"{greeting}\n当前位置:首页 > 范文 > 青禾镇安全生产工作总结\n"
                "青禾镇安全生产工作总结今年以来，我镇扎实开展安全生产大排查，共排查企业56家。\n"
                "下一步，各村要在6月30日前完成自建房隐患排查。\n")
        doc = parsed(page, "greeting.txt")
        assert "欢迎" not in (doc.meta["title"] or "") and "欢迎" not in doc.body
    speech = "欢迎来到我县参加安全生产现场会的各位领导表示感谢。\n各乡镇要加强巡查。\n"
    assert parsed(speech, "speech.txt").body.startswith("欢迎来到我县")   # a speech's welcome is its text


def test_news_pages_that_open_inside_the_meeting_or_with_a_scene():
    inside = "会上，派出所、安监站负责人分别就校园安全工作作了交流。会议要求各校要加强巡查。\n"
    assert parsed(inside, "inside.txt").meta["kind"] == "news"
    scene = ("春节即将来临，为确保群众过一个祥和的节日。2月1日，副县长周立平带领应急、消防等部门负责人"
             "检查节前安全生产工作。\n周立平要求，各单位要严格落实值班制度。\n")
    assert parsed(scene, "scene.txt").meta["kind"] == "news"


def test_the_chair_named_after_a_rank_a_label_or_with_a_name_jieba_misreads():
    rank = "6月6日上午，市应急管理局召开防汛工作会议，局党组成员、四级调研员孙海主持会议。\n"
    assert parsed(rank, "rank.txt").meta["speaker"] == "孙海"
    misread = "4月3日，市委副书记、市长高键主持召开市政府常务会议，部署安全生产工作。\n"
    assert parsed(misread, "misread.txt").meta["speaker"] == "高键"
    # an adverb that opens with a surname's character is no name before an activity's verb
    adverb = "5月3日，副县长全程督导检查节前安全生产工作，要求各乡镇要加强巡查，确保安全。\n"
    assert parsed(adverb, "adverb.txt").meta["speaker"] != "全程"
    label = ("柳溪区政府召开第19次常务会议\n会议时间：\n2025年7月17日上午\n会议主持人：\n周立平\n会议议题：\n消防安全工作\n"
             "会议听取了区消防救援大队关于全区消防安全工作情况的汇报，要求各街道要加强火灾隐患排查。\n")
    assert parsed(label, "label.txt").meta["speaker"] == "周立平"
    # a word of a name already found is no place of its own (jieba cuts 未央 / 湖 / 街道)
    assert parsed("柳溪湖街道召开安全稳定工作会\n12月3日上午，柳溪湖街道召开安全稳定工作会，要求各社区加强巡查。\n",
                  "lake.txt").meta["place"] == "柳溪湖街道"
    # a town told by its side of town (城北镇; jieba tags 城北 a locative)
    assert parsed("为确保国庆期间安全，城北镇从9月27日至30日在全镇范围内开展节前安全生产大检查，要求各村加强巡查。\n",
                  "side.txt").meta["place"] == "城北镇"
    # an ordinal before a body is no place
    assert parsed("7月25日，我区召开2021年第二次区党委会议，部署安全防范工作。\n", "ordinal.txt").meta["place"] != "第二次区"


def test_a_notice_or_plan_has_no_speaker_and_a_plan_no_meeting():
    notice = ("柳溪区安全生产委员会关于排查消防安全风险隐患的通知\n各街道、区各有关部门：\n"
              "区委常委、副区长周立平要求，请区安委办牵头，对所列隐患点位逐一核查。\n")
    meta = parsed(notice, "notice.txt").meta
    assert meta["kind"] == "notice" and meta["speaker"] is None and meta["speaker_role"] is None


# Task tables (pipeline/extract/tables.py): a plan's rows give each task its bodies and its time.

def _task_table_docx(path):
    import docx

    document = docx.Document()
    document.add_paragraph("青禾县汛前安全大检查任务清单")
    document.add_paragraph("为做好今年汛前准备工作，现将重点任务分解如下，各乡镇、各部门要按照分工抓好落实。")
    table = document.add_table(rows=4, cols=4)
    rows = [["序号", "工作任务", "责任单位", "完成时限"],
            ["1", "开展山塘水库隐患排查，建立整改台账", "县水利局、各乡镇", "5月底前"],
            ["2", "修订完善防汛应急预案", "县应急局", "4月"],
            ["3", "组织防汛抢险应急演练", "县应急局 县消防救援大队", "汛前"]]
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    document.add_paragraph("各乡镇要于每月底前报送工作进展情况。")
    document.save(path)


def test_a_task_tables_rows_give_each_task_its_bodies_and_time(tmp_path):
    """A DOCX task table keeps its rows apart (cells between │, never re-flowed into one line), and each
    task takes the bodies of its 责任单位 cell and the time of its 完成时限 cell (a month alone is its end)."""
    from pipeline.ingest.readers import read_file
    from pipeline.parse.document import parse_raw

    path = tmp_path / "tasks.docx"
    _task_table_docx(path)
    doc = parse_raw(read_file(path))
    assert "1 │ 开展山塘水库隐患排查，建立整改台账 │ 县水利局、各乡镇 │ 5月底前" in doc.body.split("\n")
    got = {d.text: d for d in extract_directives(doc)}
    first = got["1 │ 开展山塘水库隐患排查，建立整改台账 │ 县水利局、各乡镇 │ 5月底前"]
    assert first.parties == ["县水利局", "各乡镇"] and first.deadline.text == "5月底前"
    second = got["2 │ 修订完善防汛应急预案 │ 县应急局 │ 4月"]
    assert second.parties == ["县应急局"] and (second.deadline.kind, second.deadline.text) == ("date", "4月")
    third = got["3 │ 组织防汛抢险应急演练 │ 县应急局 县消防救援大队 │ 汛前"]
    assert third.parties == ["县应急局", "县消防救援大队"] and third.deadline.kind == "period"
    assert got["各乡镇要于每月底前报送工作进展情况。"].parties == ["各乡镇"]


def test_table_rows_are_read_from_the_right_and_a_menu_is_still_furniture():
    from pipeline.extract.tables import header_of, row_fields
    from pipeline.parse.clean import clean_lines, split_lines

    header = header_of("建设任务 | 工作事项 | 任务清单 | 责任清单 | 时限清单 |")
    assert header is not None and (header.party_from_right, header.time_from_right) == (1, 0)
    assert header_of("一、体系建设 | 组织机构") is None, "names no column of who or when"
    # a row whose category cells are merged into the rows above has fewer cells: counted from the right
    row = "(2)明确专人负责。 | 1.明确防汛联络员; | 党政办 应消站 | 4月 |"
    assert row_fields(row, header, row.index("1.明确"), row.index(";") + 1) == ("党政办 应消站", "4月")
    assert row_fields(row, header, row.index("党政办"), len(row)) is None, "the fields are no task"
    broken = "2.工作机制 | (5)汛前，健全完善应急指挥机制，明确各工作组职责"
    assert row_fields(broken, header, 0, 8) is None, "a row broken over lines: prose is no field"
    lines = split_lines("青禾县任务清单\n首页 | 政务公开 | 办事服务 | 互动交流\n序号\t工作任务\t责任单位\n"
                        "1\t开展隐患排查\t县应急局\n为做好防汛工作，各乡镇要按照分工抓好落实，确保安全度汛。\n")
    kept = clean_lines(lines).paragraphs
    assert "首页 | 政务公开 | 办事服务 | 互动交流" not in kept
    assert "序号 │ 工作任务 │ 责任单位" in kept and "1 │ 开展隐患排查 │ 县应急局" in kept


def test_an_emergency_plans_principles_hold_no_task_and_its_duties_do():
    plan = ("青溪县地质灾害应急预案\n1 总则\n1.1 目的\n为做好地质灾害防治工作，制定本预案。\n1.2 工作原则\n"
            "（1）以人为本，预防为主。\n各乡镇要加强隐患排查，落实群测群防措施。\n"
            "2 预防和预警机制\n2.1 编制年度地质灾害防治方案\n"
            "县自然资源局会同县应急管理局，依据地质灾害防治规划，每年年初拟订本年度的地质灾害防治方案，报县政府批准后实施。\n"
            "3 应急响应\n发生险情后，各乡镇要立即组织危险区群众撤离。\n")
    doc = parsed(plan, "emergency_plan.txt")
    assert doc.meta["kind"] == "plan" and doc.meta["title"] == "青溪县地质灾害应急预案"
    found = {d.text: d for d in extract_directives(doc)}
    assert not any(t.startswith("各乡镇要加强隐患排查") for t in found)          # under 1.2 工作原则
    drafted = next(d for t, d in found.items() if t.startswith("县自然资源局会同县应急管理局"))
    assert drafted.parties == ["县自然资源局", "县应急管理局"]
    assert any(t.startswith("发生险情后，各乡镇要立即组织") for t in found)


def test_advice_to_one_reader_of_an_open_letter_is_no_order_but_a_request_to_businesses_is():
    letter = ("燃气安全倡议书\n广大居民朋友：\n为提高燃气安全水平，我们号召广大居民朋友养成安全用气习惯。\n"
              "1.请您不要使用过期或超期未检的钢瓶，连接软管长度不得超过2米。\n"
              "2.请您主动安装可燃气体报警装置。\n"
              "3.请餐饮等行业生产经营单位安装可燃气体报警装置并保障其正常使用。\n")
    doc = parsed(letter, "letter.txt")
    assert doc.meta["kind"] == "notice"
    texts = [d.text for d in extract_directives(doc)]
    assert not any("请您" in t for t in texts)
    assert any(t.startswith("3.请餐饮等行业生产经营单位") or t.startswith("请餐饮等行业") for t in texts)


def test_a_meeting_notices_particulars_are_no_orders_but_its_requests_are():
    notice = ("关于召开全县安全生产培训会议的通知\n各乡镇人民政府，县直有关单位：\n经研究，决定召开全县安全生产培训会议，现将有关事项通知如下：\n"
              "一、培训对象：各乡镇分管安全生产工作的负责同志。\n二、培训时间：2020年10月28日下午3:00。\n"
              "三、培训地点：县政府三楼会议室。\n四、有关要求\n请各单位于10月26日前将参会人员名单报送县应急管理局。\n")
    doc = parsed(notice, "meeting_notice.txt")
    texts = [d.text for d in extract_directives(doc)]
    assert not any(t.startswith(("一、培训对象", "二、培训时间", "三、培训地点")) for t in texts)
    assert any(t.startswith("请各单位于10月26日前将参会人员名单报送") for t in texts)


def test_rules_set_out_as_articles_are_a_plan_whose_duties_are_orders():
    rules = ("第一章 总则\n第一条 为加强企业安全生产管理，预防生产安全事故，特制定本制度。\n"
             "第二条 本制度适用于公司所有生产经营活动。\n第二章 隐患排查\n"
             "第八条 定期排查：由安全管理部门牵头，每月至少组织一次全面的安全隐患排查。\n"
             "第九条 各部门负责人要组织本部门人员每周开展一次自查，建立隐患台账。\n")
    doc = parsed(rules, "rules.txt")
    assert doc.meta["kind"] == "plan" and doc.meta["title"] is None
    found = {d.text: d for d in extract_directives(doc)}
    assert not any("特制定本制度" in t or "本制度适用于" in t for t in found)
    monthly = next(d for t, d in found.items() if "每月至少组织一次" in t)
    assert monthly.parties == ["安全管理部门"]
    weekly = next(d for t, d in found.items() if "每周开展一次自查" in t)
    assert weekly.parties == ["各部门负责人"]


def test_a_section_marker_inside_a_run_together_paragraph_opens_a_new_thread():
    page = ("学校安全隐患排查整改制度\n"
            "一、开展隐患排查。各排查人员必须按学校规定认真排查校舍安全隐患。三、隐患排查要求。"
            "重大险情学校应及时向上级报告。四、建立安全隐患台账。要对排查出来的各类安全隐患进行登记，建立台账。\n")
    doc = parsed(page, "run_together.txt")
    found = {d.text: d for d in extract_directives(doc)}
    ledger = next(d for t, d in found.items() if t.startswith("要对排查出来的各类安全隐患进行登记"))
    assert ledger.parties == []          # not the 重大险情学校 of the section before


SCHOOL_NOTICE = ("关于做好春季开学安全工作的通知\n各学校：\n"
                 "为切实做好春季开学安全工作，确保师生生命财产安全，现就有关事项通知如下。\n"
                 "一、强化责任落实，构建齐抓共管的工作格局\n各学校要明确一名校领导分管安全工作，层层签订安全责任书。\n"
                 "二、开展安全检查，完善应急预案\n对校舍、食堂、宿舍、消防设施逐一检查，发现隐患立即整改。\n")
FLOOD_SPEECH = ("在全镇防汛工作会议上的讲话\n同志们：\n主汛期将至，一年一度的防汛工作即将全面开展。\n"
                "秋收刚刚结束，又将全面进入森林防火关键期。\n各村要在5月6日晚统一召开防汛工作会议。\n")
SUMMARY = ("青石镇2024年防汛工作总结\n"
           "今年以来，我镇坚持人民至上、生命至上，扎实做好防汛各项工作。\n"
           "一、工作开展情况\n"
           "建立健全了防汛责任制，明确各村防汛责任人。\n"
           "各村对辖区内山塘水库逐一排查，督促整改隐患12处。\n"
           "组建镇级应急抢险队伍，开展防汛演练2次。\n"
           "二、下一步工作打算\n"
           "加强防汛物资储备，在汛前补齐抢险物资。\n"
           "各村要落实24小时值班制度，确保信息畅通。\n")
UNTITLED_SUMMARY = ("为做好春季火灾防控工作，我街道集中开展隐患排查，现将工作开展情况汇报如下：\n"
                    "建立健全了消防安全责任制，落实网格员巡查责任。\n"
                    "对辖区沿街商铺开展消防检查，整改隐患30处。\n"
                    "对此，我们将继续强化火灾隐患排查整治。\n"
                    "各社区要严格落实动火作业审批制度。\n")
LABELLED_PLAN = ("青溪镇道路交通安全专项整治方案\n一、组织领导\n"
                 "成立专门的工作领导小组，负责统筹协调整治工作。\n"
                 "二、宣传教育\n各村要利用广播、微信群宣传交通安全知识。\n"
                 "三、整治重点\n（一）开展酒驾醉驾整治\n交警中队要在节假日开展夜查行动。\n"
                 "（二）严禁超载\n")
GUIDING_PLAN = ("青溪镇消防安全专项整治方案\n"
                "一、指导思想和工作目标坚持政府统一领导、部门依法监管、单位全面负责，全面排查整治火灾隐患，有效预防火灾。\n"
                "二、指导思想\n坚持以人为本，牢固树立安全发展理念，加强隐患排查治理，为全镇发展提供安全保障。\n"
                "各村要在3月底前完成消防安全隐患排查。\n"
                "三、工作任务\n各村要建立消防安全隐患台账，逐项整改销号。\n")
AIMS_PLAN = ("青溪县2024年地质灾害防治方案\n一、总体要求\n（一）指导思想。\n"
             "以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党的二十大精神，坚决开展地质灾害隐患排查整治，建立风险台账。\n"
             "（二）工作目标。\n"
             "核销地质灾害风险防范区12处，完成80个简易雨量报警器安装。\n"
             "2024年底前基本消除地质灾害重大隐患存量。\n"
             "二、主要任务\n各乡镇要在汛前完成隐患点巡查，建立巡查台账。\n")


@pytest.mark.parametrize("page, not_orders, orders", [
    # a numbered heading that names two checkable actions is an order; one that names themes is not
    (SCHOOL_NOTICE, ("一、强化责任落实",), ("二、开展安全检查",)),
    # what is about to happen (即将/又将) is no commitment; a body told to hold a meeting is ordered to act
    (FLOOD_SPEECH, ("主汛期将至", "秋收刚刚结束"), ("各村要在5月6日晚统一召开",)),
    # a plan's guiding ideology and its aims (工作目标) are no orders; its tasks are
    (AIMS_PLAN, ("以习近平新时代", "核销地质灾害风险防范区"), ("各乡镇要在汛前完成隐患点巡查",)),
    # a summary of work done reports it: only its next steps, or what it commits to, are orders
    (SUMMARY, ("建立健全了防汛责任制", "各村对辖区内山塘水库", "组建镇级应急抢险队伍"),
     ("加强防汛物资储备", "各村要落实24小时值班制度")),
    (UNTITLED_SUMMARY, ("建立健全了消防安全责任制", "对辖区沿街商铺"), ("对此，我们将继续强化", "各社区要严格落实动火作业审批制度")),
    # a heading that labels a part, and the plan's own group named by what it does, are no orders; a
    # heading that names its work, and a ban, are
    (LABELLED_PLAN, ("宣传教育", "整治重点", "成立专门的工作领导小组"),
     ("各村要利用广播", "（一）开展酒驾醉驾整治", "（二）严禁超载")),
    # a plan's guiding ideology orders nothing, run into its heading or under it; a dated order there does
    (GUIDING_PLAN, ("一、指导思想和工作目标", "坚持以人为本"), ("各村要在3月底前完成", "各村要建立消防安全隐患台账")),
], ids=["theme-or-order-heading", "about-to-happen-and-a-meeting", "aims-of-a-plan", "work-summary",
        "untitled-work-summary", "labels-and-own-group", "guiding-ideology"])
def test_which_sentences_of_a_page_are_orders(page, not_orders, orders):
    texts = [d.text for d in extract_directives(parsed(page, "page.txt"))]
    assert not [t for t in texts if t.startswith(not_orders)]
    assert all(any(t.startswith(o) for t in texts) for o in orders)


def test_an_aim_with_a_date_to_reach_it_by_is_not_held_back_by_its_heading():
    from pipeline.extract.extractor import _dated

    assert _dated("2024年底前基本消除地质灾害重大隐患存量。", dt.date(2024, 3, 1))
    assert not _dated("核销地质灾害风险防范区12处，完成80个简易雨量报警器安装。", dt.date(2024, 3, 1))


def test_a_page_that_speaks_of_safety_work_throughout_is_a_safety_document_whatever_its_title():
    from pipeline.extract.safety import body_is_safety

    page = ("通知\n各社区：\n近期辖区接连发生火灾事故，为深刻吸取事故教训，现就有关事项通知如下。\n"
            "一、各社区要立即开展重点场所消防安全隐患排查。\n"
            "二、各社区要在12月底前对“九小场所”中餐饮企业至少检查一遍。\n"
            "三、对排查发现的隐患要建立台账，限期整改到位。\n")
    doc = parsed(page, "plain_title.txt")
    found = {d.text: d for d in extract_directives(doc)}
    checked = next(d for t, d in found.items() if "九小场所" in t)
    assert checked.safety and checked.sectors == ["消防"]
    # a work report speaks of safety in a few sentences of many: it is no safety document
    report = ["稳定粮食生产，实施高标准农田建设。", "扩大有效投资，推进重大项目建设。", "加强安全生产隐患排查整治。",
              "发展现代服务业，培育消费新场景。", "深化教育综合改革，办好人民满意的教育。",
              "推进城乡融合发展，建设宜居宜业和美乡村。", "加快发展数字经济，培育新质生产力。", "健全社会保障体系，稳定就业。",
              "推进生态环境综合治理，打好污染防治攻坚战。", "深化国资国企改革，优化营商环境。"] * 2
    assert not body_is_safety(report)
    # and a government's work report is none, even in an excerpt that carries only its safety part
    from pipeline.extract.safety import document_is_safety as is_safety_document

    safety_part = ["深入开展安全生产治本攻坚三年行动。", "加强防汛抗旱和地质灾害防治。", "大力发展乡村特色产业。"]
    assert is_safety_document({"title": "青川县2025年政府工作报告"}, safety_part) is False
    assert is_safety_document({"title": None}, safety_part) is True


@pytest.mark.parametrize("title, opening, expected", [
    ("青石镇2024年防汛工作总结", [], True),
    ("区应急局一季度安全生产工作情况汇报", [], True),
    (None, ["为做好火灾防控工作，现将自查情况汇报如下：", "一、自查情况"], True),
    (None, ["乡镇2021年地质灾害防治工作总结", "来源：某网站"], True),
    # a meeting that sums up, and a government's work report, hold orders
    ("全县安全生产工作总结表彰大会召开", [], False),
    ("青川县2025年政府工作报告", [], False),
    ("关于做好汛期安全工作的通知", ["各村（社区）：", "现将有关事项通知如下："], False),
])
def test_which_documents_are_summaries_of_work_done(title, opening, expected):
    from pipeline.extract.summary import is_work_summary

    assert is_work_summary(title, opening) is expected


@pytest.mark.parametrize("page, kind", [
    # a speech that opens with more than one addressee, or runs its title and speaker into its salutation
    ("各位领导、同志们：今天，我们召开全县防灾减灾工作会议。第一，要强化监测预警。", "speech"),
    ("在头盔佩戴工作动员会上的讲话副县长李某同志们：今天的会议主要任务是再部署。下面，我讲三点意见。", "speech"),
    # a summary of work done whose page shows no title
    ("为加强消防安全管理，我镇开展了自查，现将自查情况汇报如下：\n一、自查情况\n镇安委会牵头，对辖区企业和人员密集场所"
     "开展了消防安全检查。\n二、存在问题\n部分商铺消防器材配备不足。\n", "report"),
    # a news item about a meeting stays news
    ("3月5日，我县召开防汛工作会议。会议要求，各乡镇要落实值班制度。", "news"),
])
def test_kind_read_from_the_body_when_the_title_does_not_tell(page, kind):
    assert parsed(page, "untitled.txt").meta["kind"] == kind


def test_a_common_noun_that_ends_in_a_district_suffix_is_no_place():
    page = ("街道春夏火灾防控工作总结\n现将工作开展情况总结如下：\n"
            "各居委会划分防火责任区，明确防火责任人；住宅区和办公区逐一检查。\n")
    assert parsed(page, "zones.txt").meta["place"] is None


@pytest.mark.parametrize("page, field, expected", [
    # places written one after the other name one government, the last
    ("三明市沙县区森林防灭火指挥部关于发布高森林火险橙色预警信号的通知\n各乡镇：\n请各乡镇立即加强野外火源管控。\n",
     "place", "沙县区"),
    # a town's page that names no town speaks of itself as 我镇, its safety committee as 镇安委会
    ("安全生产自查情况汇报\n为进一步强化安全生产管理，确保辖区内各项生产活动安全有序，根据上级部门的相关部署，"
     "我镇开展了安全生产自查。\n镇安委会牵头，对辖区企业开展了全面检查。\n"
     "全年共检查企业32家，督促整改隐患41处，我镇安全生产形势总体平稳。\n", "level", "乡镇"),
    # a page that speaks of itself (全镇) is read by those words, not by the bodies above it that it cites
    ("村安全生产会发言稿\n同志们：\n国务院安委会部署开展安全生产大检查，国务院办公厅印发通知，国务院强调要压实责任。\n"
     "全镇上下要立即行动起来，各村要开展隐患排查。\n", "level", "乡镇"),
    # a speech's opening that describes the meeting names none
    ("领导讲话稿\n同志们：\n这次会议是经区政府研究决定召开的一次十分重要的会议。\n"
     "各街道要立即开展火灾隐患排查整治。\n", "meeting", None),
])
def test_place_level_and_meeting_of_pages_that_name_them_sideways(page, field, expected):
    assert parsed(page, "sideways.txt").meta[field] == expected


def test_a_notice_signed_mid_page_is_dated_by_its_signature():
    """An 印发 notice is followed by the plan it issues: its signature and date stand mid-page."""
    page = ("关于印发《南岭县2019年地质灾害防治方案》的通知\n各乡镇人民政府，县直各有关单位：\n"
            "为切实做好2019年地质灾害防治工作，最大限度减少人员伤亡和财产损失，\n"
            "根据《地质灾害防治条例》和省、市有关要求，县自然资源局编制了本方案。\n"
            "方案明确了全县地质灾害隐患点的分布、防治重点和各单位职责。\n"
            "方案经县人民政府第十二次常务会议研究同意。\n"
            "《南岭县2019年地质灾害防治方案》已经县人民政府研究同意，现印发给你们，请遵照执行。\n"
            "南岭县人民政府办公室\n2019年3月20日\n南岭县2019年地质灾害防治方案\n"
            "一、工作目标\n各乡镇要在汛前完成地质灾害隐患点排查。\n二、工作措施\n县自然资源局要开展巡查。\n"
            "三、工作要求\n各单位要落实值班制度，确保信息畅通。\n四、其他\n本方案自印发之日起施行。\n")
    assert parsed(page, "signed.txt").meta["date"] == "2019-03-20"
    # A date line under a line that names no issuing body is no signature.
    unsigned = page.replace("南岭县人民政府办公室\n", "请各地认真贯彻\n")
    assert parsed(unsigned, "unsigned.txt").meta["date"] != "2019-03-20"


def test_a_shared_documents_upload_line_dates_a_speech_that_gives_no_date():
    page = ("县长在汛期灾害排查紧急会议上的讲话\n阅读 106 下载 8 大小 29.69K 总页数 13 页 2025-06-22 分享\n"
            "同志们：\n今天召开会议，安排部署汛期灾害排查工作。各乡镇要立即开展地质灾害隐患排查。\n")
    meta = parsed(page, "shared.txt").meta
    assert meta["published"] == "2025-06-22"
    assert meta["date"] == "2025-06-22"


def test_a_document_number_before_the_title_is_not_part_of_it():
    page = ("南安办发〔2021〕88号 关于加强冬季取暖安全管理严防煤气中毒的紧急通知\n各县区安委会：\n"
            "各县区要立即开展冬季取暖安全隐患排查，确保群众安全过冬。\n")
    assert parsed(page, "numbered.txt").meta["title"] == "关于加强冬季取暖安全管理严防煤气中毒的紧急通知"
    quoted = page.replace("南安办发〔2021〕88号 关于加强冬季取暖安全管理严防煤气中毒的紧急通知",
                          "南府办〔2018〕48号《南岭市人民政府办公室关于做好冬季取暖安全工作的通知》")
    assert parsed(quoted, "quoted.txt").meta["title"] == "南岭市人民政府办公室关于做好冬季取暖安全工作的通知"
    issuing = page.replace("关于加强冬季取暖安全管理严防煤气中毒的紧急通知", "关于印发《南岭市冬季取暖安全工作方案》")
    assert parsed(issuing, "issuing.txt").meta["title"] == "关于印发《南岭市冬季取暖安全工作方案》"


def test_a_year_wrapped_away_from_its_nian_is_joined_again():
    page = "2019\n年村安全生产会发言稿\n同志们：\n各村民小组要立即开展安全隐患排查。\n"
    assert parsed(page, "wrapped.txt").meta["title"] == "2019年村安全生产会发言稿"


@pytest.mark.parametrize("sentence", [
    # the document named with what it is about between 本 and its kind
    "为提高全市中小型水库应对突发事件的反应能力，根据省政府有关文件要求，结合我市实际，特制定本应急预案。",
    "为及时掌握全街道安全生产工作动态，加强对全街道安全生产的监督管理，特制定本街道安全生产联席会议制度。",
    # 要求 after 根据 names a requirement: the preamble orders nothing
    "为全面贯彻执行区政府关于禁止燃放烟花爆竹的通告，保障公共安全，根据区政府要求和职责分工，现制定如下实施方案：",
])
def test_a_preamble_naming_its_document_or_a_requirement_is_no_directive(sentence):
    from pipeline.extract.rules import never_directive
    from pipeline.parse.textnorm import analysis_form

    assert never_directive(analysis_form(sentence)) == "preamble"


def test_a_purpose_clause_before_an_order_still_orders():
    from pipeline.extract.rules import never_directive

    assert never_directive("为切实做好汛期安全工作，各乡镇要于6月1日前完成水库隐患排查。") is None


def test_a_work_reports_review_of_the_past_year_holds_no_task():
    report = """龙泉县2026年政府工作报告
现在，我代表县人民政府，向大会报告工作，请予审议。
一、2025年工作回顾
过去一年，我们坚持稳中求进，全县经济运行总体平稳。
（一）守牢安全底线，社会大局和谐稳定。
建立联勤值守、临灾叫应机制，实现平稳度汛。
加强城乡燃气安全监管，更新改造老旧燃气管网120公里。
二、2026年主要任务
（一）守牢安全底线。
深入开展安全生产治本攻坚三年行动，年底前完成重大事故隐患动态清零。
更新改造老旧燃气管网150公里。
"""
    texts = [d.text for d in extract_directives(parsed(report, "review.txt"))]
    assert not any("临灾叫应" in t or "120公里" in t for t in texts)
    assert any("150公里" in t for t in texts) and any("动态清零" in t for t in texts)


@pytest.mark.parametrize("heading,review", [
    ("一、2025年工作回顾", True), ("二、主要工作开展情况", True), ("（二）取得的成效", True),
    ("一、2025年工作回顾和“十四五”时期发展成就", True),
    ("一、工作总结及下一步打算", False), ("（三）总结验收（2022年3月26日至3月31日）", False),
    ("2.总结专项整治经验做法，修订判定标准", False),
])
def test_a_review_heading_is_told_from_a_plans_stage_or_task(heading, review):
    from pipeline.extract.summary import under_review

    assert under_review([heading]) is review


@pytest.mark.parametrize("sentence,group", [
    # an aim with no main clause: what is done for it stands elsewhere or nowhere
    ("为进一步加强城区烟花爆竹燃放的安全管理，改善城市环境质量，保障公民财产安全和身心健康。", "preamble"),
    ("目的是通过开展集中专项整治，进一步加强加油站安全监管，严厉打击非法经营行为，切实保障人民群众生命财产安全。", "preamble"),
    # a day's event told as news, its aims carrying 确保 or 切实
    ("为确保节日期间安全生产形势稳定，切实保障群众安全，5月21日，区安委办对两家街道的安全生产工作进行督导检查。", "dated_event"),
    ("9月3日下午，清河镇召开燃气安全整治部署会，旨在全面加强燃气安全监管，切实保障人民群众生命财产安全。", "dated_event"),
    ("3月5日至6日，县应急管理局联合县消防救援大队到养老机构开展消防安全检查。", "dated_event"),
    # a lead-in that announces the items that follow
    ("为切实保障节日期间特种设备安全运行，经研究，决定在全市范围内开展特种设备安全专项督查，有关事项通知如下：", "lead_in"),
    ("为深入整治群租房安全隐患，确保不发生恶性事故，县政府决定组织开展新一轮联合整治行动，具体要求如下：", "lead_in"),
])
def test_an_aim_a_days_news_or_a_lead_in_orders_nothing(sentence, group):
    assert never_directive(sentence) == group


def test_a_purpose_before_a_decision_or_a_dated_plan_is_still_read():
    assert never_directive("为切实做好冬季消防工作，确保群众安全，决定自即日起至3月底在全镇开展火灾隐患专项整治。") is None
    assert never_directive("为切实加强组织领导，确保责任落实，汛前将防汛工作专班调整充实到位，做到有人抓、有人管。") is None


@pytest.mark.parametrize("sentence", [
    "6月1日上午，与市安委办联合召开安全生产月活动新闻发布会。",       # a plan's schedule: no body acted yet
    "9月15日，街道召开专题会议，要求各社区要开展人员密集场所隐患排查。",   # the orders it gave
    "定于6月16日，县应急管理局组织开展安全生产咨询日活动。",
])
def test_a_dated_schedule_or_a_meeting_that_gives_orders_is_not_news_of_an_event(sentence):
    assert never_directive(sentence) != "dated_event"


def test_a_summarys_announcement_counts_after_a_purpose_that_names_a_meeting():
    from pipeline.extract.summary import is_work_summary

    assert is_work_summary(None, iter(["为深入贯彻落实全区安全工作会议精神，现将我街道7月份安全生产工作情况汇报如下："]))
    assert not is_work_summary(None, iter(["现将全区安全生产工作会议情况报告如下："]))


def test_a_lead_in_with_its_own_order_is_left_to_the_other_rules():
    assert never_directive("镇安监站要在6月底前完成水库隐患排查，具体要求如下：") is None


def test_a_title_that_opens_with_its_place_and_what_it_did_names_the_place():
    page = ("白沙镇排查KTV娱乐场所 净化环境迎新春\n"
            "为确保春节期间安全，利安县白沙镇组织人员对辖区KTV娱乐场所开展消防安全检查。\n")
    assert parsed(page, "town_title.txt").meta["place"] == "白沙镇"


def test_the_government_that_acts_after_a_leads_date_and_a_prefectures_short_name_are_places():
    """A lead that reports an activity, not a meeting, opens after its date with the government (or its bureau)
    that acts; a prefecture is written 楚雄州 as often as 楚雄彝族自治州; a bureau's short name (住建局) follows
    a title's place as 应急 does; a page's 信息发布人 is its publisher."""
    town = ("6月8日，青溪乡联合乡派出所、市场监管所开展“安全生产月”宣传咨询日活动。\n"
            "活动要求各村立即开展一次隐患排查。\n")
    assert parsed(town, "actor.txt").meta["place"] == "青溪乡"
    bureau = ("近日，柳河区民政局联合区消防救援大队到养老机构开展安全检查。\n检查要求各机构立即整改隐患。\n")
    assert parsed(bureau, "bureau.txt").meta["place"] == "柳河区"
    prefecture = "楚雄州应急管理局关于印发2024年重点工作计划的通知\n各县市应急管理局：\n请于3月底前报送工作计划。\n"
    assert parsed(prefecture, "prefecture.txt").meta["place"] == "楚雄州"
    housing = "青溪县住建局：积极做好低温雨雪冰冻天气农村房屋安全防范工作\n各乡镇要立即开展农房安全排查。\n"
    assert parsed(housing, "housing.txt").meta["place"] == "青溪县"
    letter = ("致全县居民的一封信\n发布时间:2023-08-07 信息发布人:沛阳县人民政府办公室\n"
              "广大居民朋友们：近日我县河道水位上涨，请您立即远离危险水域。\n")
    assert parsed(letter, "letter.txt").meta["place"] == "沛阳县"
    # a date, then a body of the level above: no place read up to its suffix
    upper = "近日，市应急管理局组织开展危险化学品企业专项检查。\n检查要求企业立即整改。\n"
    assert parsed(upper, "upper.txt").meta["place"] is None


def test_a_government_named_with_those_above_it_in_the_body_is_the_most_local():
    page = "为切实做好今年防汛工作，四川省遂宁市大英县高度重视汛期安全工作。\n各乡镇要立即开展一次隐患排查。\n"
    assert parsed(page, "chain.txt").meta["place"] == "大英县"


def test_an_enumerator_read_up_to_a_suffix_is_no_place():
    town = "一是镇党委召开党委会，专门学习全县防汛工作会议精神。\n二是镇政府组织开展隐患排查。\n"
    assert parsed(town, "enumerator.txt").meta["place"] != "一是镇"
    agenda = "三是由县委常委、常务副县长讲话。\n"
    assert parsed(agenda, "agenda.txt").meta["place"] != "三是由县"


def test_a_purpose_clause_read_up_to_the_suffix_of_a_committee_is_no_place():
    news = ("为贯彻落实市委书记、市长等市领导关于学校宿舍火灾事故的指示要求，1月20日，市安委办召开全市安全防范工作紧急调度会。\n"
            "会议要求，各区县要立即开展学校宿舍消防安全隐患排查。\n")
    assert parsed(news, "purpose.txt").meta["place"] != "为贯彻落实市"
    plan = "为统筹城市安全发展，制定本方案。\n各街道要在6月底前完成隐患排查。\n"
    assert parsed(plan, "purpose_plan.txt").meta["place"] != "为统筹城市"


@pytest.mark.parametrize("stamp", ["利辛快讯 发表于 2020-1-29 08:47:34", "0 2020-01-29 10:16:22"])
def test_a_posts_stamp_dates_the_page_and_its_lead(stamp):
    page = (f"白沙镇排查KTV娱乐场所\n{stamp}\n"
            "1月22日，白沙镇组织人员对辖区KTV娱乐场所开展消防安全检查，要求各场所立即整改隐患。\n")
    meta = parsed(page, "stamp.txt").meta
    assert meta["published"] == "2020-01-29"
    assert meta["date"] == "2020-01-22"


def test_an_accident_reports_account_and_causes_hold_no_task():
    report = """青河县“3·15”燃气爆炸事故调查报告
一、事故发生经过
3月15日11时许，东门饭店后厨液化气泄漏引发爆炸，造成2人受伤。
二、事故原因
（一）直接原因
1.饭店经营者安全意识淡薄，使用未带熄火保护装置的灶具，调压器老化破损未及时更换；
2.液化气销售公司未严格落实安全管理制度，长期向未签订供用气合同的用户供气，未定期开展入户安全检查。
三、防范措施
各乡镇要在4月底前完成餐饮场所燃气安全排查整治。
"""
    texts = [d.text for d in extract_directives(parsed(report, "accident.txt"))]
    assert not any("未及时更换" in t or "未严格落实" in t for t in texts)
    assert any("4月底前" in t for t in texts)


def test_a_provinces_meeting_held_in_one_of_its_cities_is_the_provinces():
    """全省…会议 held in a city names no province: the gazetteer (models/places.toml) says whose it is."""
    page = ("全省危险化学品安全生产工作现场会召开\n"
            "9月10日，全省危险化学品安全生产工作现场会在渭南市召开。会议要求各地要立即开展隐患排查。\n")
    meta = parsed(page, "province_meeting.txt").meta
    assert (meta["place"], meta["level"]) == ("陕西省", "省")
    bare = "全省油气管道保护工作推进会召开\n7月9日，全省油气管道保护工作推进会在长沙召开。\n"
    assert parsed(bare, "bare_city.txt").meta["place"] == "湖南省"
    # A bare short name that is also a word (长治久安) names no city; a county page's 全省 words do not lift it.
    words = "全省安全生产工作会议召开\n会议强调，要确保全省社会长治久安。\n"
    assert parsed(words, "words.txt").meta["place"] is None
    county = "我县收听收看全省安全生产电视电话会议\n3月2日，我县在渭南市召开的全省会议后立即部署。\n"
    assert parsed(county, "county.txt").meta["place"] != "陕西省"


def test_a_notice_to_the_bodies_under_a_province_is_the_provinces():
    page = ("各市、州、县人民政府，省政府各部门：\n"
            "11月30日，荆州市某门面房发生火灾，造成4人死亡。各地要立即开展门面房消防安全隐患排查整治。\n")
    meta = parsed(page, "province_notice.txt").meta
    assert (meta["place"], meta["level"]) == ("湖北省", "省")
    city = ("各县（市、区）人民政府，市政府各部门：\n"
            "11月30日，荆州市某门面房发生火灾。各地要立即开展消防安全隐患排查整治。\n")
    assert parsed(city, "city_notice.txt").meta["place"] == "荆州市"


def test_a_traditional_pages_place_is_given_in_its_own_characters_and_read_as_one_government():
    from pipeline.track.outcomes import government

    trad = "碧山鎮(zhèn)開展防汛檢查\n6月2日，碧山鎮(zhèn)組織人員對轄區山塘水庫開展防汛安全檢查。\n"
    meta = parsed(trad, "trad_place.txt").meta
    assert meta["place"] == "碧山鎮"
    assert parsed("碧山镇开展防汛检查\n6月2日，碧山镇组织人员开展检查。\n", "simple.txt").meta["place"] == "碧山镇"
    assert government(meta["place"], meta["level"]) == "碧山镇"


def test_an_index_rows_generated_date_dates_a_plan_that_gives_none():
    """Some disclosure tables label the page's date 生成日期, inside the row of its other fields."""
    page = ("清河县城市超标准洪水防御预案\n索引号 640323015/2020-00067 文号 生成日期 2020-06-30\n"
            "一、总则\n为做好城市超标准洪水防御工作，制定本预案。\n")
    assert parsed(page, "plan.txt").meta["date"] == "2020-06-30"


def test_a_deputy_bureau_chief_who_speaks_at_the_meeting_is_its_speaker():
    page = ("港口危险货物安全管理工作会议召开\n3月5日，市港口危险货物安全管理工作会议召开。\n"
            "李正明副局长在会上指出，要全面排查港口危险货物储存场所隐患。\n")
    meta = parsed(page, "deputy.txt").meta
    assert (meta["speaker"], meta["speaker_role"]) == ("李正明", "副局长")


def test_advice_to_pupils_and_passers_by_is_no_order():
    """Tips to individuals (the guide) in a school speech or a letter: 请同学们…不要…, 切记不要酒驾. An order to
    drivers to obey the police stays one."""
    for tip in ("请同学们参加野外活动时不要擅自带火种，发现火情及时报警。",
                "通过演练，同学们要学会火灾发生时的逃生路线和疏散方法。",
                "驾驶员朋友切记不要酒驾、醉驾，不要乘坐超载车辆。"):
        assert never_directive(tip) is not None, tip
    assert never_directive("请广大驾驶员积极服从路面交警的指挥，配合实施交通管制。") is None


@pytest.mark.parametrize("where", ["top", "foot"])
def test_a_reposts_original_title_line_gives_the_title_and_is_no_text(where):
    note = "原标题：白沙县召开危险化学品安全监管部门联席会议"
    body = ("昨日，白沙县召开危险化学品安全监管部门联席会议，总结上半年全县危险化学品安全监管工作。\n"
            "会议要求，各相关部门要加快实施危险化学品安全专项整治。\n")
    page = (note + "\n" + body) if where == "top" else (body + note + "\n")
    doc = parsed(page, f"repost_{where}.txt")
    assert doc.meta["title"] == "白沙县召开危险化学品安全监管部门联席会议"
    assert "原标题" not in doc.body


def test_a_bare_indicator_target_is_no_directive_but_an_order_to_reach_it_is():
    """A level for a rate, share or sum to reach names no action a later report could find done (the real
    documents' annotators, first batch and the 2025 reports alike); an order or commitment to reach it is one."""
    for target in ("全县农村自来水普及率达到95%以上。", "绿色工厂占比提高到40%以上。",
                   "三是推动农业保险覆盖率达到80%以上。", "规模以上工业增加值增长6%左右。"):
        assert never_directive(target) == "bare_target", target
    for order in ("各乡镇要确保隐患整改率达到100%。", "力争今年农村公路优良中等路率达到85%以上。",
                  "开展燃气管网隐患排查，整改率达到100%。"):
        assert never_directive(order) is None, order


@pytest.mark.parametrize("sentence, named, not_named", [
    ("开工建设市防震减灾指挥中心。", "自然灾害", None),
    ("实施灾后重建项目，年底前全部完工。", "自然灾害", None),
    ("强化交通、工程施工、矿山等重点领域隐患排查整治。", "建筑施工", None),
    ("加强韧性安全城市建设，更新改造燃气管网120公里。", "城镇燃气", "建筑施工"),
])
def test_work_report_words_for_sectors(sentence, named, not_named):
    from pipeline.extract.sectors import find_sectors

    found = find_sectors(sentence)
    assert named in found and (not_named is None or not_named not in found), found


def test_a_reports_outlook_is_no_directive_but_an_order_after_a_viewpoint_is():
    """How a report sizes up the year (the spec: describing the situation is no directive), whatever 要 it holds."""
    for outlook in ("我们既要看到，全县安全生产基础依然薄弱，风险隐患交织叠加；",
                    "更要看到，我县产业基础稳、后劲足，长期向好的趋势没有变。",
                    "从外部环境看，不稳定不确定因素依然较多，安全发展面临新的挑战。",
                    "综合各方面因素，我们有信心完成今年各项目标任务。"):
        assert never_directive(outlook) == "outlook", outlook
    for order in ("从长远看，各乡镇要建立隐患排查治理长效机制。",
                  "我们有信心打赢这场攻坚战，各部门要立即行动起来。",
                  "要看到成绩，更要正视问题，切实抓好隐患整改。"):
        assert never_directive(order) is None, order


def test_a_checklist_question_is_no_order():
    """1.是否建立…制度。 is what an inspector looks at; 要检查是否… orders the check."""
    plan = ("某县学校危险化学品安全专项治理工作方案\n"
            "一、排查内容\n"
            "1.是否建立健全使用危险化学品的安全管理规章制度和安全操作规程。\n"
            "2.是否对从业人员进行安全教育和岗位技术培训。\n"
            "（三）是否制定事故应急预案并定期组织演练。\n"
            "二、工作要求\n"
            "各学校要检查是否建立危险化学品购买与运输管控制度。\n")
    texts = [d.text for d in extract_directives(parsed(plan, "checklist.txt"))]
    assert not any("是否建立健全" in t or "是否对从业人员" in t or "是否制定" in t for t in texts), texts
    assert any(t.startswith("各学校要检查是否") for t in texts)


def test_a_definition_is_no_order_unless_it_defines_one():
    """有主采空区是指…的采空区 tells what a word means; …是指区政府每季度要选取… still orders."""
    plan = ("青溪县采空区排查工作方案\n"
            "一、排查范围\n"
            "有主采空区是指有开采主体的地下矿山矿区范围内的采空区。\n"
            "“3”是指县政府每季度要从各部门上报的事故隐患中选取至少3项挂牌督办。\n"
            "二、工作要求\n"
            "各乡镇要在6月底前完成辖区采空区排查，建立台账。\n")
    texts = [d.text for d in extract_directives(parsed(plan, "defs.txt"))]
    assert not any(t.startswith("有主采空区是指") for t in texts)
    assert any(t.startswith("“3”是指") for t in texts)
    assert any(t.startswith("各乡镇要在6月底前") for t in texts)


def test_a_purpose_then_a_body_at_work_is_news_of_work_done():
    """为确保…，某镇于…在全镇开展…检查。 tells what the town did; with 将 it commits itself and stays a task."""
    news = ("青山镇开展节前安全生产大检查\n"
            "为确保春节期间全镇安全生产形势平稳，青山镇于1月20日至25日在全镇范围内开展节前安全生产大检查。\n"
            "为确保春节期间全镇安全生产形势平稳，青山镇将于1月20日至25日在全镇范围内开展节前安全生产大检查。\n")
    texts = [d.text for d in extract_directives(parsed(news, "jiancha.txt"))]
    assert not any("青山镇于1月20日" in t for t in texts), texts
    assert any("青山镇将于1月20日" in t for t in texts), texts


@pytest.mark.parametrize("plan, frames, order", [
    # what a part covers (演练内容为…, 检查范围包括…) is no order; 要检查… still orders
    ("某镇防汛应急演练方案\n一、演练内容\n演练具体内容为群众转移、抢险救援和医疗救护等。\n二、检查范围\n"
     "检查范围包括辖区内全部水库、山塘和堤防。\n三、工作要求\n各村要于6月10日前完成水库、山塘的汛前检查。\n",
     ("内容为", "范围包括"), "各村要于6月10日前"),
    # a part's label by what it sets out (二、治理时间和步骤, 三、制定…预案及内容) is none; 做好节日值班安排 orders
    ("某街道电动自行车消防安全专项治理工作方案\n一、治理重点\n（一）违规在楼梯间停放充电。\n二、治理时间和步骤\n"
     "各社区要于5月底前完成全面排查。\n三、制定应急疏散预案及内容\n各社区要组织居民开展一次疏散演练，检验预案的可行性。\n"
     "四、做好节日值班安排。\n",
     ("时间和步骤", "预案及内容"), "四、做好节日值班安排"),
])
def test_what_a_plans_part_covers_or_sets_out_is_no_order(plan, frames, order):
    texts = [d.text for d in extract_directives(parsed(plan, "frame.txt"))]
    assert not any(frame in t for t in texts for frame in frames), texts
    assert any(t.startswith(order) for t in texts), texts
