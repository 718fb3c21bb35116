"""Sectors: synonyms, exclusions, department names, heading inheritance."""

import pytest

from pipeline.extract.sectors import SECTORS, find_sectors, sector_spans


def test_canonical_list():
    assert len(SECTORS) == 19
    assert SECTORS[0] == "危险化学品" and SECTORS[-1] == "应急救援"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("加强危化品储存场所检查。", ["危险化学品"]),
        ("对重大危险源实施在线监测。", ["危险化学品"]),
        ("开展尾矿库隐患排查。", ["矿山"]),
        ("清理占用消防车通道的杂物。", ["消防"]),
        ("严查两客一危车辆。", ["交通运输"]),
        ("加强深基坑和高支模作业管理。", ["建筑施工"]),
        ("整治餐饮场所瓶装液化气使用。", ["城镇燃气"]),
        ("严格有限空间作业审批。", ["工贸"]),
        ("开展电梯维保质量抽查。", ["特种设备"]),
        ("严厉打击非法生产经营烟花爆竹。", ["民爆和烟花爆竹"]),
        ("规范危废贮存和转移。", ["危险废物"]),
        ("保护油气长输管道安全。", ["油气管道和电力"]),
        ("加强养老机构安全管理。", ["人员密集场所"]),
        ("排查经营性自建房安全隐患。", ["城乡住房"]),
        ("整治电动车飞线充电。", ["电动自行车"]),
        ("严管野外用火。", ["森林草原防火"]),
        ("做好主汛期山洪防范。", ["自然灾害"]),
        ("推进化工园区整治提升。", ["危险化学品", "工业园区"]),
        ("加强农机安全监理。", ["农林牧渔"]),
        ("突出抓好渔船“木改钢”。", ["交通运输"]),          # spec §3 lists 渔船 under 交通运输 only
        ("修订完善应急预案并组织演练。", ["应急救援"]),
        ("要落实领导带班和24小时值班制度。", ["应急救援"]),
    ],
)
def test_synonyms(text, expected):
    assert find_sectors(text) == expected


def test_multiple_sectors_in_canonical_order():
    text = "聚焦高层建筑、商业综合体消防设施，以及煤矿、危化品领域。"
    assert find_sectors(text) == ["危险化学品", "矿山", "消防", "人员密集场所"]


def test_longest_match_wins():
    # 森林防火 is forest fire prevention, not the fire service
    assert find_sectors("持续做好森林防火工作。") == ["森林草原防火"]


@pytest.mark.parametrize(
    "text",
    [
        "要强化工作落实，深化工作举措。",  # 化工 inside 强化工作
        "推动优化工业结构。",
        "要制定工作预案，明确分工。",  # a work plan is not an emergency plan
        "科学划定主体功能区。",
        "有效防范化解重大风险。",  # 大风 inside 重大风险
        "提升加工贸易水平。",  # 工贸 inside 加工贸易
    ],
)
def test_exclusions(text):
    assert find_sectors(text) == []


def test_department_names_are_not_sectors():
    assert find_sectors("应急、消防、住建、市场监管、交通等所有行业主管部门要依职责加强监管。") == []
    assert find_sectors("交通运输局要牵头组织。") == []
    # but what the department is told to deal with still counts
    assert find_sectors("消防部门要对重大火灾隐患挂牌督办。") == ["消防"]


def test_heading_inheritance():
    assert find_sectors("要关注网络舆论引导。") == []
    assert find_sectors("要关注网络舆论引导。", heading="五要加强值班备勤工作") == ["应急救援"]
    assert find_sectors("对拒不整改的作坊依法取缔。", heading="三是解决服装加工作坊的消防难题") == ["消防", "工贸"]


def test_spans():
    text = "检查燃气管道和电梯。"
    spans = sector_spans(text)
    assert [(text[s:e], sec) for s, e, sec in spans] == [("燃气管道", "城镇燃气"), ("电梯", "特种设备")]
    assert sector_spans("") == []


def test_cross_cutting_directive_has_none():
    assert find_sectors("各级各部门要严格落实安全生产责任制，加强协调配合。") == []


def test_traditional_characters():
    text = "嚴禁電動自行車進樓入戶"
    assert find_sectors(text) == ["电动自行车"]
    (s, e, sec), = [x for x in sector_spans(text) if x[2] == "电动自行车"][:1]
    assert text[s:e] == "電動自行車"


def test_generic_fire_words_in_a_sentence_on_forest_fires_name_that_sector_only():
    assert find_sectors("各乡镇要管住野外用火，护林员要开展森林防火巡护。") == ["森林草原防火"]
    # a word of 消防 of its own still names it beside the forest
    assert find_sectors("要加强森林防火，排查九小场所火灾隐患。") == ["消防", "森林草原防火"]
    assert find_sectors("要加强防火巡查，及时消除火灾隐患。") == ["消防"]


def test_words_of_other_emergencies_industries_and_amenities_name_no_sector():
    assert find_sectors("提高县级储备粮应急保障能力。") == []
    assert find_sectors("提升应急救治能力，强化血液应急保障。") == []
    assert find_sectors("推动老旧小区加装电梯。") == ["城乡住房"]
    assert find_sectors("发展冰雪游、避暑游等旅游业态。") == []
    assert "矿山" not in find_sectors("发展矿山机械等专用装备产业。")


def test_work_report_words_for_disasters_and_emergency_handling():
    assert find_sectors("推进行蓄洪区调整建设，开展水患治理。") == ["自然灾害"]
    assert find_sectors("深化灾害预警响应机制。") == ["自然灾害"]
    assert find_sectors("提高重大突发公共事件处置保障能力。") == ["应急救援"]


def test_a_flood_watch_and_a_disaster_duty_name_natural_disasters():
    assert find_sectors("要密切关注雨情、水情和汛情，及时报告灾情。") == ["自然灾害"]
    assert find_sectors("落实临灾预警叫应机制，防灾责任人要每月巡查。") == ["自然灾害"]
    assert find_sectors("认真落实低温凝冻灾害防范应对措施。") == ["自然灾害"]
    # a mine's hydrogeology is the mine's
    assert find_sectors("煤矿要查清水文地质类型。") == ["矿山"]


def test_words_of_holiday_travel_fireworks_bans_crowds_and_fire_sources():
    assert find_sectors("做好春运组织工作，确保旅客安全出行。") == ["交通运输"]
    assert find_sectors("对禁放区域严格管控。") == ["民爆和烟花爆竹"]
    assert find_sectors("车站等人流聚集的地方要防止踩踏。") == ["人员密集场所"]
    assert find_sectors("每周清查宿舍的火种和老化线路。") == ["消防"]
    assert find_sectors("严禁携带火种进入林区。") == ["森林草原防火"]


def test_a_development_zone_in_a_list_of_addressees_is_no_sector():
    assert find_sectors("各县区、开发区要组织开展安全生产检查。") == []
    assert find_sectors("开展化工园区安全整治提升。") == ["危险化学品", "工业园区"]


def test_a_title_on_forest_fires_written_with_generic_fire_words_makes_them_forest_fire_words():
    assert find_sectors("各单位要加强防火巡查。", topic="全县护林防火形势分析会议") == ["森林草原防火"]
    assert find_sectors("各单位要加强防火巡查。", topic="全县森林防火暨消防安全工作会议") == ["消防"]


def test_power_use_across_two_words_names_no_fire():
    """利用电视 / 运用电子屏 / 使用电梯: the 用 ends one word and the 电 opens the next, so 用电 is not said;
    the next word still names its own sector."""
    assert find_sectors("要充分利用电视、广播等媒体平台，加大安全生产宣传力度。") == []
    assert find_sectors("要运用电子显示屏滚动播放安全提示。") == []
    assert find_sectors("要安全使用电梯，定期维护保养。") == ["特种设备"]
    assert find_sectors("严禁私拉乱接、违规用电。") == ["消防"]
    assert find_sectors("加强用火用电管理。") == ["消防"]


def test_teaching_people_to_escape_a_fire_is_no_rescue_work():
    assert find_sectors("开展高层建筑火灾案例警示教育和逃生自救能力普及活动。") == ["消防"]
    assert "应急救援" in find_sectors("组织开展一次消防逃生自救演练。")


def test_words_that_say_where_or_what_is_carried_name_no_sector_of_their_own():
    """易燃易爆物品 carried into a forest, hot work (动火) and a housing estate (住宅小区) as the place of a task
    name no hazardous chemicals, fire or housing sector by themselves; the sector a sentence names stays."""
    assert find_sectors("禁止携带火种和易燃易爆物品进入森林防火区。") == ["森林草原防火"]
    assert "消防" not in find_sectors("有限空间、动火、吊装等高风险作业要严格履行审批手续。")
    assert find_sectors("新建住宅小区应当配套建设电动自行车集中停放场所。") == ["电动自行车"]
    assert find_sectors("严防易燃易爆危险品进站上车。") == ["危险化学品"]


def test_a_scenic_area_is_no_crowded_place_by_itself():
    assert find_sectors("涉水景区要暂停营业，渡口、码头要做好作业船只的安全管理。") == ["交通运输"]
    assert "人员密集场所" in find_sectors("重点检查人员密集的旅游景区、商场、超市等公众场所。")
