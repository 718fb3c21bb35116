#!/usr/bin/env python3
"""Build the generated part of the demo corpus in ``corpus/demo/``.

The demo corpus is fictional: 江北省澄阳市青禾区 and every person, department
number, phone number and figure in it are invented for duban's demo and tests.

Hand-written sources live next to their outputs in ``corpus/demo/`` (the
``.txt`` and ``.html`` files that this script does not write).  The texts of
the generated documents are kept in this script.  It writes:

* ``2024-02-20_plan_gongzuo_yaodian.docx``   2024 plan (DOCX)
* ``2024-03-08_notice_ranqi_zhengzhi.docx``  DOCX twin of the hand-written .txt notice
* ``2024-02-28_speech_quzhang_repost.html``  near-duplicate repost of the 2024 speech
* ``2025-01-15_report_2024_zongjie.docx``    2024 work summary (DOCX)
* ``2025-03-20_plan_ranqi_2025.pdf``         2025 gas plan (PDF, STSong-Light)
* ``2025-05-22_notice_anquanyue_wrapped.txt`` notice hard-wrapped at 36 characters
* ``2025-06-13_news_ranqi_tuijinhui_gbk.html`` news page in GBK bytes declaring gb2312
* ``followups.json``                         the intended follow-up links

Every run gives byte-identical files (fixed zip timestamps and document
properties, reportlab's invariant mode).  Before writing ``followups.json``
the script checks that every linked text is a whole sentence of its document
(the sentence rule of the spec) and that the words of each unreported task do
not turn up in any later document.

Usage:  .venv/bin/python scripts/make_demo_corpus.py [--check]
        (--check: verify only, write nothing)
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import io
import json
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "corpus" / "demo"

# --------------------------------------------------------------------------
# Source texts of the generated documents
# --------------------------------------------------------------------------

PLAN_2024 = """\
青禾区安全生产委员会
关于印发《青禾区2024年安全生产工作要点》的通知
青安委〔2024〕2号
各街道（乡镇），区安委会各成员单位：
现将《青禾区2024年安全生产工作要点》印发给你们，请结合实际认真抓好贯彻落实。
青禾区安全生产委员会
2024年2月20日
#T 青禾区2024年安全生产工作要点
2024年全区安全生产工作的总体要求是：坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实习近平总书记关于安全生产的重要论述，坚持人民至上、生命至上，坚持安全第一、预防为主、综合治理，以安全生产治本攻坚三年行动为主线，着力防范化解重大安全风险，坚决遏制较大及以上生产安全事故，为建设宜居宜业和美青禾提供坚实的安全保障。
#H 一、工作目标
全年生产安全事故起数和死亡人数持续“双下降”，坚决遏制较大及以上生产安全事故，杜绝重大及以上生产安全事故，亿元地区生产总值生产安全事故死亡率控制在市下达指标以内。
#H 二、主要任务
#S （一）健全安全生产责任体系
1.调整完善区安委会成员单位安全生产工作职责，3月底前印发区安委会成员单位安全生产工作职责清单。
2.组织区政府与各街道（乡镇）、区安委会成员单位签订2024年度安全生产目标责任书。
3.开展安全生产“明白人”培训，全年培训企业主要负责人和安全管理人员3000人次。
4.将安全生产工作纳入全区高质量发展综合绩效考核，考核结果作为领导班子和领导干部实绩评价的重要依据。
#S （二）深化重点行业领域专项整治
5.开展电动自行车集中充电设施建设，年底前新建集中充电桩200个。
6.区教育局牵头，9月底前完成全区中小学校、幼儿园微型消防站建设。
7.每季度组织开展一次有限空间作业安全专项检查，严防有限空间作业中毒窒息事故。
8.开展城镇燃气安全专项整治，具体方案由区安委办另行印发。
9.深化道路交通安全“百日攻坚”行动，严查“三超一疲劳”等突出违法行为。
10.开展电梯安全隐患专项排查，对使用年限超过15年的住宅电梯进行安全评估。
#S （三）提升应急处置能力
11.组织开展区级综合应急演练，年内至少举办1次区级综合应急演练。
12.加强基层应急救援队伍建设，各街道（乡镇）年内全部建成不少于20人的综合性应急救援队伍。
13.加强森林防火工作，在云岭乡、石桥镇等重点林区落实护林员巡山护林制度。
#S （四）办好安全民生实事
扎实办好“五件安全实事”。①为全区1200户独居老人家庭免费安装独立式烟感报警器。②为柳塘镇、云岭乡配备村级消防巡查摩托车20辆。③为沿街餐饮小店免费更换燃气自闭阀500个。④在全区中小学校周边设立交通安全护学岗40个。⑤建成区级应急物资储备库1座。
#H 三、保障措施
（一）加强组织领导。各街道（乡镇）、各有关部门要把安全生产工作摆上重要议事日程，定期研究解决安全生产重大问题。
（二）强化督导考核。区安委办要加强对各项任务落实情况的跟踪督办，每半年通报一次工作进展情况。
（三）加强宣传引导。要充分利用报刊、电视、网络、新媒体等平台，广泛宣传安全生产法律法规和安全知识，营造全社会关注安全生产的浓厚氛围。
"""

REPORT_2024 = """\
#T 青禾区2024年安全生产工作总结
#C 青禾区安全生产委员会办公室
#C （2025年1月15日）
2024年，在区委、区政府的坚强领导下，全区上下深入贯彻落实习近平总书记关于安全生产的重要论述，坚持人民至上、生命至上，全面启动安全生产治本攻坚三年行动，全区安全生产形势保持总体平稳。全年共发生生产安全事故16起、死亡10人，同比分别下降12.5%和16.7%，未发生较大及以上生产安全事故。现将全年工作情况总结如下。
#H 一、2024年工作开展情况
#S （一）安全生产责任体系进一步健全
区安委会成员单位安全生产工作职责清单已于3月印发。区政府与各街道（乡镇）、区安委会成员单位全部签订了2024年度安全生产目标责任书。全年培训企业主要负责人和安全管理人员3260人次，完成年度任务的108.7%。全年区委常委会、区政府常务会专题研究安全生产工作11次，区领导带队督导检查56次。
#S （二）城镇燃气安全专项整治圆满收官
全区瓶装液化石油气用户安全检查已于6月完成，共检查用户12600户，发现并整改隐患1437处。全区2360家使用燃气的餐饮经营场所已全部安装可燃气体报警装置。全区排查发现的34处燃气管道占压隐患已全部整改销号。城镇燃气“瓶改管”工作正在有序推进，全年完成“瓶改管”用户3200户。区住建局、区市场监管局已联合取缔“黑气点”7处，查处违法违规行为23起。
#S （三）消防安全治理成效明显
全区高层建筑消防设施专项检查已于3月底前全部完成，共检查高层建筑486栋，督促整改问题1120处。老旧小区消防设施改造三年行动正在持续推进，全年改造小区46个，完成三年计划的58%。全区已建成电动自行车集中充电桩215个，超额完成年度目标。全年全区火灾起数同比下降9.3%，未发生亡人火灾。
#S （四）自建房和防汛防灾工作扎实有效
全区经营性自建房安全隐患排查整治已于9月底前完成，共排查经营性自建房3870栋，整治存在安全隐患的212栋。全区12座小型水库和36处地质灾害隐患点汛前安全检查已于5月底前全部完成，逐一落实了巡查责任人。汛期全区共转移避险群众2100余人，未发生人员伤亡。
#S （五）应急处置能力不断提升
《青禾区生产安全事故应急预案》修订工作已于6月完成并印发实施。区级综合应急演练已于6月在青禾经济开发区成功举办，参演人员320人。全区9个街道（乡镇）均已建成不少于20人的综合性应急救援队伍。
#S （六）安全民生实事全部兑现
“五件安全实事”已全部按期完成，惠及群众2.3万人。
#H 二、存在的问题
过去一年，全区安全生产工作虽然取得了一定成效，但仍存在一些不容忽视的问题。一是部分企业安全生产主体责任落实不到位，安全投入不足，从业人员安全意识不强。二是基层安全监管力量薄弱，专业监管人员缺乏。三是部分行业领域隐患整改不够彻底，同类问题反复出现。
#H 三、2025年工作打算
2025年是安全生产治本攻坚三年行动的攻坚之年。下一步，我们将重点抓好以下工作。
（一）持续压实安全生产责任。下一步将制定党政领导干部安全生产责任清单，推动各方责任落到实处。
（二）深化重点行业领域治理。下一步将实施电动自行车充电设施提质扩面工程，2025年再新建集中充电桩150个。将继续推进老旧小区消防设施改造三年行动，2025年再完成改造小区20个。将在青禾经济开发区建设危险化学品安全风险智能化管控平台，年底前投入运行。
（三）提升基层应急能力。下一步将推进街道（乡镇）应急管理规范化建设，年底前全区9个街道（乡镇）全部建成规范化应急指挥调度室。
（四）加强安全宣传教育。将深入开展安全宣传“五进”活动，组织好“安全生产月”等主题活动，不断提升全民安全素质。
"""

# hard-wrapped at 36 characters by write_wrapped()
NOTICE_ANQUANYUE_2025 = """\
青禾区安全生产委员会办公室文件
青安委办〔2025〕14号
青禾区安全生产委员会办公室关于开展2025年“安全生产月”活动的通知
各街道（乡镇），区安委会各成员单位，各有关企业：
今年6月是全国第24个“安全生产月”，主题为“人人讲安全、个个会应急——查找身边安全隐患”。为扎实开展好我区“安全生产月”活动，进一步强化全民安全意识，推动安全生产责任措施落到实处，经区安委会同意，现将有关事项通知如下。
一、活动时间
2025年6月1日至6月30日。
二、主要活动
（一）开展集中学习宣传。各街道（乡镇）、各有关部门要在6月上旬组织开展一次安全生产专题学习，深入学习习近平总书记关于安全生产的重要论述，组织收看安全生产警示教育片。
（二）举办安全宣传咨询日活动。区安委办定于6月16日在禾丰街道中心广场举办全区安全宣传咨询日活动，区安委会各成员单位要按要求设置咨询台和展板，现场解答群众咨询。
（三）开展“查找身边安全隐患”活动。各街道（乡镇）要组织社区、村和企业职工查找身边的安全隐患，对查找出的隐患问题建立台账、逐一整改。
（四）组织开展应急疏散演练。各街道（乡镇）和重点企业要在6月底前至少组织开展1次应急疏散演练，检验预案、锻炼队伍、提高能力。
（五）开展安全培训“进企业”活动。区应急管理局要组织安全培训讲师深入企业开展安全培训，重点培训企业一线从业人员和新入职员工。
（六）开展安全生产“公开课”活动。各街道（乡镇）、各有关部门主要负责同志要结合本地区、本行业实际，在6月份至少讲一次安全生产“公开课”，带头宣讲安全生产法律法规和典型事故案例。
（七）开展安全文化进社区活动。各街道（乡镇）要依托社区新时代文明实践站，组织开展安全知识讲座、安全常识问答、家庭安全隐患自查等活动，引导居民群众增强安全意识和自救互救能力。
三、工作要求
（一）加强组织领导。各街道（乡镇）、各有关部门要把“安全生产月”活动作为当前安全生产工作的重要内容，结合实际制定活动方案，明确责任分工。
（二）注重活动实效。要坚持问题导向，把“安全生产月”活动与隐患排查整治结合起来，坚决防止形式主义、走过场。要充分利用电视、广播、微信公众号等媒体平台，加大安全生产宣传报道力度，及时宣传活动中的好经验、好做法。
（三）及时报送信息。请各街道（乡镇）、各有关部门于6月10日前将活动方案报送区安委办，7月5日前将活动开展情况总结报送区安委办。
联系人：区安委办　孙晓燕　联系电话：86120335
青禾区安全生产委员会办公室
2025年5月22日
"""

GAS_PLAN_2025 = """\
#T 青禾区2025年城镇燃气安全整治工作方案
#C 青禾区住房和城乡建设局
#C （2025年3月20日）
为巩固2024年城镇燃气安全专项整治成果，进一步提升全区城镇燃气本质安全水平，根据上级有关工作部署，结合我区实际，制定本方案。
#H 一、工作目标
到2025年底，全区居民用户老旧燃气软管和不合格灶具基本完成更换，餐饮用户液化石油气钢瓶全部加装智能角阀，燃气安全智慧监管平台建成投用，城镇燃气安全风险防控能力明显提升。
#H 二、重点任务
（一）开展老旧燃气软管和不合格灶具更换。各街道（乡镇）要会同燃气经营企业，于6月底前完成全区居民用户老旧燃气软管和不合格灶具更换。对经济困难家庭，由属地街道（乡镇）协调给予适当补助。
（二）推广液化石油气钢瓶智能角阀。区住建局要督促瓶装液化石油气供应企业于9月底前为全区餐饮用户钢瓶全部加装智能角阀。
（三）建设燃气安全智慧监管平台。区住建局要在7月底前完成燃气安全智慧监管平台一期建设，年底前实现全区燃气场站和重点用户监测数据全部接入。
（四）开展燃气经营企业安全评估。区住建局要委托第三方机构，对全区燃气经营企业开展一次安全生产条件评估，评估结果向社会公开。
（五）强化燃气安全宣传。区住建局、各街道（乡镇）要利用社区宣传栏、微信群等渠道，常态化开展燃气安全知识宣传，提高群众安全用气意识。
#H 三、实施步骤
（一）动员部署阶段（3月下旬至4月上旬）。各街道（乡镇）、各燃气经营企业要对照本方案，结合实际细化工作措施，明确责任人和完成时限，并报区住建局备案。
（二）集中整治阶段（4月中旬至10月底）。各责任单位要按照任务分工全面推进各项整治任务，区住建局每月对工作进展情况进行调度，对进度滞后的单位及时督促提醒。
（三）总结提升阶段（11月至12月）。区住建局要对全年整治工作进行全面总结，梳理形成一批可复制、可推广的经验做法，推动燃气安全管理制度化、规范化。
#H 四、保障措施
（一）加强组织领导。区住建局牵头负责本方案的组织实施，各街道（乡镇）、各有关部门要按照职责分工，密切配合，形成工作合力。
（二）落实资金保障。区财政局要将燃气安全整治所需经费纳入年度预算，保障各项任务顺利实施。
（三）严格督查考核。区安委办要将燃气安全整治工作纳入安全生产督查考核内容，对工作推进不力的单位予以通报。
附件：青禾区2025年城镇燃气安全整治任务清单
"""

GAS_NEWS_2025_TITLE = "区政府召开城镇燃气安全工作推进会"
GAS_NEWS_2025 = """\
6月12日，区政府召开城镇燃气安全工作推进会，通报今年以来全区城镇燃气安全整治工作进展情况，部署下一阶段重点任务。副区长王喆出席会议并讲话。
会前，王喆带队实地检查了禾丰街道一家液化石油气供应站和两家餐饮企业，详细查看了钢瓶充装记录、智能角阀安装使用和燃气安全管理制度落实等情况，对检查中发现的问题当场提出整改要求。
会上，区住建局局长李镕通报了全区城镇燃气安全整治工作进展情况。今年以来，“瓶改管”工作正在加快推进，新增完成“瓶改管”用户1860户。全区居民用户老旧燃气软管和不合格灶具更换已完成2.6万户，完成率92%。全区餐饮用户液化石油气钢瓶智能角阀加装工作正在推进，已加装1870户，完成率61%。燃气安全智慧监管平台一期建设正在抓紧实施。
王喆指出，城镇燃气安全事关千家万户，容不得半点马虎。今年以来，全区燃气安全整治工作总体进展顺利，但也要看到，部分街道（乡镇）工作推进不平衡，个别燃气经营企业主体责任落实不到位，群众安全用气意识仍需提高。各街道（乡镇）、各有关部门要切实增强责任感和紧迫感，坚决守住燃气安全底线。
王喆强调，要重点抓好三项工作。一要加快老旧燃气软管和不合格灶具更换扫尾工作，确保6月底前全部完成。二要加强瓶装液化石油气充装、配送环节监管，严厉打击非法充装、销售行为。三要加强燃气安全宣传，引导群众安全规范用气。
会议通报了今年以来省内外发生的几起燃气爆炸事故典型案例。王喆要求，各单位要深刻汲取事故教训，举一反三，把燃气安全各项措施抓细抓实，坚决防范类似事故在我区发生。
会议要求，各街道（乡镇）、各有关部门要对照任务清单，倒排工期、挂图作战。对工作推进不力、造成严重后果的，将严肃追究有关单位和人员责任。
会上，禾丰街道、柳塘镇和两家燃气经营企业分别汇报了本辖区、本企业燃气安全整治工作情况，区市场监管局通报了燃气灶具、连接软管等产品质量监督抽查结果。
区住建局、区市场监管局、区消防救援大队主要负责同志，各街道（乡镇）分管负责同志，各燃气经营企业负责人参加会议。
"""

# --------------------------------------------------------------------------
# Files, their dates (the date duban should give them) and the links
# --------------------------------------------------------------------------

D1 = "2024-02-26_speech_quzhang.txt"
D2 = "2024-03-08_notice_ranqi_zhengzhi.txt"
D2X = "2024-03-08_notice_ranqi_zhengzhi.docx"
D3 = "2024-02-20_plan_gongzuo_yaodian.docx"
D4 = "2024-05-21_news_fangxun_huiyi.html"
D5 = "2024-01-30_interview_yingjiju_juzhang.txt"
D6 = "2024-11-18_fanwen_xiaofang_jianghua.html"
D7 = "2024-02-28_speech_quzhang_repost.html"
D8 = "2025-01-15_report_2024_zongjie.docx"
D9 = "2025-02-25_speech_quzhang.txt"
D10 = "2025-04-10_report_yijidu_tongbao.txt"
D11 = "2025-05-22_notice_anquanyue_wrapped.txt"
D12 = "2025-03-20_plan_ranqi_2025.pdf"
D13 = "2025-06-13_news_ranqi_tuijinhui_gbk.html"
D14 = "2025-06-16_news_xuanchuanri_fanti.txt"
D16 = "2025-07-10_report_shangbannian.txt"

DATES = {  # meta.date: meeting/issuing date, else publication date
    D5: "2024-01-30", D3: "2024-02-20", D1: "2024-02-26", D7: "2024-02-26",
    D2: "2024-03-08", D2X: "2024-03-08", D4: "2024-05-20", D6: "2024-11-18",
    D8: "2025-01-15", D9: "2025-02-25", D12: "2025-03-20", D10: "2025-04-10",
    D11: "2025-05-22", D13: "2025-06-12", D14: "2025-06-16", D16: "2025-07-10",
}

LIST_REPORT = "“五件安全实事”已全部按期完成，惠及群众2.3万人。"

# (directive_file, directive_text, [(later_file, evidence_text, status)...])
LINKS = [
    # ---- 2024 directives reported done
    (D3, "开展电动自行车集中充电设施建设，年底前新建集中充电桩200个。",
     [(D8, "全区已建成电动自行车集中充电桩215个，超额完成年度目标。", "done")]),
    (D3, "调整完善区安委会成员单位安全生产工作职责，3月底前印发区安委会成员单位安全生产工作职责清单。",
     [(D8, "区安委会成员单位安全生产工作职责清单已于3月印发。", "done")]),
    (D3, "组织区政府与各街道（乡镇）、区安委会成员单位签订2024年度安全生产目标责任书。",
     [(D8, "区政府与各街道（乡镇）、区安委会成员单位全部签订了2024年度安全生产目标责任书。", "done")]),
    (D3, "开展安全生产“明白人”培训，全年培训企业主要负责人和安全管理人员3000人次。",
     [(D8, "全年培训企业主要负责人和安全管理人员3260人次，完成年度任务的108.7%。", "done")]),
    (D3, "组织开展区级综合应急演练，年内至少举办1次区级综合应急演练。",
     [(D8, "区级综合应急演练已于6月在青禾经济开发区成功举办，参演人员320人。", "done")]),
    (D3, "加强基层应急救援队伍建设，各街道（乡镇）年内全部建成不少于20人的综合性应急救援队伍。",
     [(D8, "全区9个街道（乡镇）均已建成不少于20人的综合性应急救援队伍。", "done")]),
    (D1, "区住建局要会同各街道（乡镇）全面排查整治燃气管道占压问题，年底前全部消除燃气管道占压隐患。",
     [(D8, "全区排查发现的34处燃气管道占压隐患已全部整改销号。", "done")]),
    (D1, "区消防救援大队要在3月底前完成全区高层建筑消防设施专项检查，对发现的问题实行清单化管理。",
     [(D8, "全区高层建筑消防设施专项检查已于3月底前全部完成，共检查高层建筑486栋，督促整改问题1120处。", "done")]),
    (D1, "各街道（乡镇）要在国庆节前完成辖区经营性自建房安全隐患排查整治。",
     [(D8, "全区经营性自建房安全隐患排查整治已于9月底前完成，共排查经营性自建房3870栋，整治存在安全隐患的212栋。", "done")]),
    (D1, "区应急管理局要在6月底前完成《青禾区生产安全事故应急预案》修订。",
     [(D8, "《青禾区生产安全事故应急预案》修订工作已于6月完成并印发实施。", "done")]),
    (D2, "各街道（乡镇）要会同区住建局，于6月底前完成辖区瓶装液化石油气用户安全检查，做到不漏一户。",
     [(D8, "全区瓶装液化石油气用户安全检查已于6月完成，共检查用户12600户，发现并整改隐患1437处。", "done")]),
    (D2, "区市场监管局要督促全区使用燃气的餐饮经营场所于9月30日前全部安装可燃气体报警装置。",
     [(D8, "全区2360家使用燃气的餐饮经营场所已全部安装可燃气体报警装置。", "done")]),
    (D2, "对检查中发现的非法储存、充装、销售液化石油气的“黑气点”，区住建局、区市场监管局要联合依法取缔。",
     [(D8, "区住建局、区市场监管局已联合取缔“黑气点”7处，查处违法违规行为23起。", "done")]),
    (D4, "全面开展汛前安全检查，区水利局、区自然资源分局和各街道（乡镇）要在5月底前完成全区12座小型水库和36处地质灾害隐患点汛前安全检查。",
     [(D8, "全区12座小型水库和36处地质灾害隐患点汛前安全检查已于5月底前全部完成，逐一落实了巡查责任人。", "done")]),
    # ---- the items of a named list, reported on with their list (pipeline/track/lists.py)
    (D3, "扎实办好“五件安全实事”。", [(D8, LIST_REPORT, "done")]),
    (D3, "①为全区1200户独居老人家庭免费安装独立式烟感报警器。", [(D8, LIST_REPORT, "done")]),
    (D3, "②为柳塘镇、云岭乡配备村级消防巡查摩托车20辆。", [(D8, LIST_REPORT, "done")]),
    (D3, "③为沿街餐饮小店免费更换燃气自闭阀500个。", [(D8, LIST_REPORT, "done")]),
    (D3, "④在全区中小学校周边设立交通安全护学岗40个。", [(D8, LIST_REPORT, "done")]),
    (D3, "⑤建成区级应急物资储备库1座。", [(D8, LIST_REPORT, "done")]),
    # ---- 2024 directives under way (no date deadline, so not overdue)
    (D1, "区住建局要牵头实施老旧小区消防设施改造三年行动，逐步补齐老旧小区消防设施短板。",
     [(D8, "老旧小区消防设施改造三年行动正在持续推进，全年改造小区46个，完成三年计划的58%。", "in_progress"),
      (D16, "老旧小区消防设施改造三年行动持续推进，截至6月底累计改造小区63个，完成率79%。", "in_progress")]),
    (D1, "区应急管理局要常态化开展危险化学品企业安全风险隐患排查，对排查出的隐患督促企业限期整改到位。",
     [(D10, "全区危险化学品企业安全风险隐患排查累计发现隐患326项，已整改277项，整改完成率85%。", "in_progress")]),
    (D1, "区住建局要牵头实施建筑施工安全治本攻坚三年行动，重点开展起重机械和深基坑专项检查。",
     [(D10, "建筑施工安全治本攻坚三年行动正在深入推进，一季度对全区在建工地开展起重机械和深基坑专项检查2轮次，排查隐患97处。", "in_progress")]),
    (D2, "燃气经营企业要落实用户入户安检制度，每年对居民用户至少入户安检一次。",
     [(D10, "燃气经营企业用户入户安检工作正在持续推进，一季度共入户安检居民用户2.1万户。", "in_progress")]),
    (D2, "区住建局要有序推进城镇燃气“瓶改管”工作，具备条件的区域要加快实施管道燃气替代瓶装液化石油气。",
     [(D8, "城镇燃气“瓶改管”工作正在有序推进，全年完成“瓶改管”用户3200户。", "in_progress"),
      (D13, "今年以来，“瓶改管”工作正在加快推进，新增完成“瓶改管”用户1860户。", "in_progress")]),
    # ---- 2024 directives ordered again in 2025, never reported on
    (D1, "各街道（乡镇）要常态化开展电动自行车违规停放充电清理行动，坚决杜绝电动自行车进楼入户、飞线充电。",
     [(D9, "各街道（乡镇）要继续常态化开展电动自行车违规停放充电清理行动，对进楼入户、飞线充电问题发现一起、清理一起。", "mentioned")]),
    (D1, "要推动全区规模以上工业企业开展安全生产标准化建设，提升企业本质安全水平。",
     [(D9, "要继续推动全区规模以上工业企业开展安全生产标准化建设，今年新增标准化达标企业不少于20家。", "mentioned")]),
    (D2, "各街道（乡镇）要建立燃气安全网格化巡查机制，将燃气安全纳入网格员日常巡查内容。",
     [(D9, "各街道（乡镇）要进一步健全燃气安全网格化巡查机制，把燃气安全纳入网格员日常巡查内容。", "mentioned")]),
    (D4, "严格落实汛期24小时值班值守和领导带班制度，确保信息畅通、指令畅达。",
     [(D9, "要严格落实汛期24小时值班值守和领导带班制度，遇有重大险情第一时间报告。", "mentioned")]),
    # ---- 2025 directives followed up within 2025
    (D9, "3月底前，各街道（乡镇）要完成辖区“九小场所”消防安全检查全覆盖。",
     [(D10, "全区“九小场所”消防安全检查已于3月底前实现全覆盖，共检查“九小场所”4120家。", "done")]),
    (D9, "区住建局要抓紧制定2025年城镇燃气安全整治工作方案，3月底前印发实施。",
     [(D10, "《青禾区2025年城镇燃气安全整治工作方案》已于3月20日印发。", "done")]),
    (D9, "区应急管理局要在6月底前完成青禾经济开发区重大危险源企业在线监测预警系统升级改造。",
     [(D16, "青禾经济开发区重大危险源企业在线监测预警系统升级改造已于6月完成，5家重大危险源企业全部接入。", "done")]),
]

# (directive_file, directive_text, status, deadline_date, words no later document may use)
UNREPORTED = [
    (D1, "区交通运输局要在年底前完成全区“两客一危”车辆主动安全智能防控系统安装。",
     "overdue", "2024-12-31", ["两客一危", "主动安全智能防控"]),
    (D2, "区住建局要于10月底前完成全区燃气老化管道更新改造项目摸底建档。",
     "overdue", "2024-10-31", ["老化管道", "摸底建档", "管道更新改造"]),
    (D3, "区教育局牵头，9月底前完成全区中小学校、幼儿园微型消防站建设。",
     "overdue", "2024-09-30", ["微型消防站", "中小学", "幼儿园", "区教育局"]),
    (D9, "区民政局要在9月底前完成全区养老机构消防设施提档升级。",
     "overdue", "2025-09-30", ["养老机构", "提档升级", "区民政局"]),
    (D1, "区应急管理局要建立安全生产举报奖励机制，畅通12350举报投诉渠道。",
     "no_evidence", None, ["举报", "12350"]),
    (D3, "每季度组织开展一次有限空间作业安全专项检查，严防有限空间作业中毒窒息事故。",
     "no_evidence", None, ["有限空间", "中毒窒息"]),
    (D3, "深化道路交通安全“百日攻坚”行动，严查“三超一疲劳”等突出违法行为。",
     "no_evidence", None, ["百日攻坚", "三超一疲劳", "道路交通"]),
    (D3, "开展电梯安全隐患专项排查，对使用年限超过15年的住宅电梯进行安全评估。",
     "no_evidence", None, ["电梯"]),
    (D3, "加强森林防火工作，在云岭乡、石桥镇等重点林区落实护林员巡山护林制度。",
     "no_evidence", None, ["森林", "护林", "林区"]),
    (D4, "立即组织开展城市内涝积水点排查，对低洼易涝区域逐一落实防范措施。",
     "no_evidence", None, ["内涝", "积水", "易涝"]),
    (D9, "区应急管理局要建立重点行业领域安全生产专家会诊机制，为基层和企业提供技术支撑。",
     "no_evidence", None, ["专家会诊", "专家"]),
]

# words of the "mentioned" tasks: only the listed later document may use them
MENTIONED_GUARDS = {
    "各街道（乡镇）要常态化开展电动自行车违规停放充电清理行动，坚决杜绝电动自行车进楼入户、飞线充电。":
        ["违规停放", "飞线充电", "清理行动"],
    "要推动全区规模以上工业企业开展安全生产标准化建设，提升企业本质安全水平。": ["标准化"],
    "各街道（乡镇）要建立燃气安全网格化巡查机制，将燃气安全纳入网格员日常巡查内容。": ["网格"],
    "严格落实汛期24小时值班值守和领导带班制度，确保信息畅通、指令畅达。": ["值班值守", "领导带班", "24小时"],
}

# --------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------

FIXED_ZIP_TIME = (2025, 1, 1, 0, 0, 0)


def _normalise_zip(data: bytes) -> bytes:
    """Re-pack a zip with fixed timestamps so that output is byte-stable."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def _set_east_asian_font(run, name: str) -> None:
    from docx.oxml.ns import qn
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), name)


def parse_marked(text: str) -> list[tuple[str, str]]:
    """Lines of a source text: ('T'|'C'|'H'|'S'|'P', text).

    #T title, #C centred line, #H first-level heading, #S second-level
    heading, anything else a body paragraph.
    """
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        m = re.match(r"#([TCHS]) (.*)$", line)
        out.append((m.group(1), m.group(2)) if m else ("P", line))
    return out


def plain_text(text: str) -> str:
    """The text of a marked source as it reads in the document."""
    return "\n".join(t for _, t in parse_marked(text)) + "\n"


def write_docx(path: Path, source: str, title: str, author: str, date: str) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(16)
    for kind, text in parse_marked(source):
        p = doc.add_paragraph()
        run = p.add_run(text)
        if kind == "T":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.bold = True
            run.font.size = Pt(22)
            _set_east_asian_font(run, "方正小标宋简体")
        elif kind == "C":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _set_east_asian_font(run, "楷体_GB2312")
        elif kind == "H":
            p.paragraph_format.first_line_indent = Pt(32)
            _set_east_asian_font(run, "黑体")
        elif kind == "S":
            p.paragraph_format.first_line_indent = Pt(32)
            run.bold = True
            _set_east_asian_font(run, "楷体_GB2312")
        else:
            p.paragraph_format.first_line_indent = Pt(32)
            _set_east_asian_font(run, "仿宋_GB2312")
    when = dt.datetime.fromisoformat(date + "T09:00:00")
    cp = doc.core_properties
    cp.title = title
    cp.author = author
    cp.last_modified_by = author
    cp.created = when
    cp.modified = when
    cp.last_printed = when
    cp.revision = 1
    cp.comments = ""
    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(_normalise_zip(buf.getvalue()))


def write_pdf(path: Path, source: str, title: str, author: str) -> None:
    from reportlab import rl_config
    rl_config.invariant = 1
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    base = dict(fontName="STSong-Light", wordWrap="CJK")
    st_title = ParagraphStyle("t", fontSize=18, leading=28, alignment=TA_CENTER, **base)
    st_centre = ParagraphStyle("c", fontSize=12, leading=20, alignment=TA_CENTER, **base)
    st_head = ParagraphStyle("h", fontSize=13, leading=22, firstLineIndent=26, spaceBefore=4, **base)
    st_body = ParagraphStyle("b", fontSize=12, leading=21, firstLineIndent=24, **base)

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont("STSong-Light", 9)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"— {doc.page} —")
        canvas.restoreState()

    story = []
    for kind, text in parse_marked(source):
        text = html.escape(text)
        if kind == "T":
            story += [Paragraph(text, st_title), Spacer(1, 4)]
        elif kind == "C":
            story.append(Paragraph(text, st_centre))
        elif kind in "HS":
            story.append(Paragraph(text, st_head))
        else:
            story.append(Paragraph(text, st_body))
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=28 * mm, rightMargin=26 * mm,
                            topMargin=30 * mm, bottomMargin=25 * mm,
                            title=title, author=author, creator="duban demo corpus",
                            invariant=1)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)


def wrap_hard(text: str, width: int = 36) -> str:
    """Hard-wrap every paragraph at `width` characters, as text copied from a PDF."""
    lines = []
    for para in text.splitlines():
        if not para.strip():
            continue
        para = "　　" + para if len(para) > 30 else para
        while len(para) > width:
            lines.append(para[:width])
            para = para[width:]
        lines.append(para)
    return "\n".join(lines) + "\n"


REPOST_TEMPLATE = """\
<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{title}-澄阳安全生产网</title>
<meta name="keywords" content="安全生产,工作会议,讲话">
<meta name="description" content="{title}">
</head>
<body>
<div id="top">
<div class="topnav"><a href="/">澄阳安全生产网</a> | <a href="/news/">安全资讯</a> | <a href="/zcfg/">政策法规</a> | <a href="/ldjh/">领导讲话</a> | <a href="/jyjl/">经验交流</a> | <a href="/sgal/">事故案例</a></div>
<div class="ad"><a href="/ad/1.html">【广告】安全培训考试题库 手机在线练习</a></div>
</div>
<div id="main">
<div class="loc">您现在的位置：<a href="/">首页</a> &raquo; <a href="/ldjh/">领导讲话</a> &raquo; 正文</div>
<h2 class="tit">{title}</h2>
<div class="info">作者：区政府办　来源：青禾区人民政府网　更新时间：2024-02-28 09:15:32　点击：<span id="click">86</span>　<a href="#comment">我要评论</a></div>
<div id="content">
{paragraphs}
</div>
<div class="pages">【<a href="javascript:window.external.AddFavorite(location.href,document.title)">收藏本文</a>】【<a href="javascript:window.print()">打印文章</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
<div class="note">声明：本站部分文章转载自网络，转载目的在于传递更多信息，版权归原作者所有。如有侵权，请联系本站删除。</div>
<div class="xg"><b>上一篇：</b><a href="/ldjh/2024/0221/1832.html">在全市安全生产电视电话会议上的讲话</a><br><b>下一篇：</b><a href="/ldjh/2024/0301/1851.html">副县长在春季安全生产工作部署会上的讲话</a></div>
<div class="hot"><h3>热门文章</h3><ul>
<li><a href="/news/1710.html">2024年安全生产月主题公布</a></li>
<li><a href="/zcfg/1688.html">生产经营单位安全培训规定（全文）</a></li>
<li><a href="/sgal/1705.html">典型燃气爆炸事故案例警示汇编</a></li>
</ul></div>
<div id="comment">网友评论（0条）　<a href="/login/">登录</a>后发表评论</div>
</div>
<div id="footer">澄阳安全生产网　Copyright 2009-2024 All Rights Reserved　江ICP备09087654号</div>
</body>
</html>
"""

GBK_TEMPLATE = """\
<html>
<head>
<meta charset="gb2312">
<title>{title}</title>
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="2025-06-13 16:40">
<meta name="ContentSource" content="青禾区住房和城乡建设局">
<meta name="ColumnName" content="部门动态">
</head>
<body bgcolor="#FFFFFF" leftmargin="0" topmargin="0">
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">
  <tr><td class="head"><img src="/images/banner_zjj.jpg" width="980" height="120" alt="青禾区住房和城乡建设局"></td></tr>
  <tr><td class="menu"><a href="/">网站首页</a>　|　<a href="/jgzn/">机构职能</a>　|　<a href="/bmdt/">部门动态</a>　|　<a href="/tzgg/">通知公告</a>　|　<a href="/zcwj/">政策文件</a>　|　<a href="/bszn/">办事指南</a></td></tr>
</table>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">
  <tr><td class="weizhi">您当前的位置：<a href="/">首页</a> &gt;&gt; <a href="/bmdt/">部门动态</a></td></tr>
  <tr><td align="center" class="title"><b>{title}</b></td></tr>
  <tr><td align="center" class="info">发布日期：2025-06-13　来源：区住建局　作者：燃气管理科　阅读：<script src="/count.asp?id=3381"></script>次</td></tr>
  <tr><td class="content">
{paragraphs}
  </td></tr>
  <tr><td align="right">（审核：李镕　编辑：周婷）</td></tr>
  <tr><td align="center"><a href="javascript:window.print()">【打印】</a>　<a href="javascript:window.close()">【关闭】</a></td></tr>
</table>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0" class="foot">
  <tr><td align="center">主办单位：澄阳市青禾区住房和城乡建设局　地址：青禾区禾丰路88号　电话：86120566<br>江ICP备05012345号-3</td></tr>
</table>
</body>
</html>
"""


def build(write: bool) -> dict[str, bytes]:
    """Build the generated files; return {file name: bytes}."""
    files: dict[str, bytes] = {}

    # DOCX: 2024 plan, 2025 report, and the twin of the hand-written notice
    for name, source, title, author, date in [
        (D3, PLAN_2024, "青禾区2024年安全生产工作要点", "青禾区安委办", "2024-02-20"),
        (D8, REPORT_2024, "青禾区2024年安全生产工作总结", "青禾区安委办", "2025-01-15"),
        (D2X, (DEMO / D2).read_text(encoding="utf-8"),
         "青禾区安全生产委员会办公室关于开展城镇燃气安全专项整治的通知", "青禾区安委办", "2024-03-08"),
    ]:
        tmp_path = DEMO / (name + ".tmp")
        write_docx(tmp_path, source, title, author, date)
        files[name] = tmp_path.read_bytes()
        tmp_path.unlink()

    # PDF: 2025 gas plan
    tmp_path = DEMO / (D12 + ".tmp")
    write_pdf(tmp_path, GAS_PLAN_2025, "青禾区2025年城镇燃气安全整治工作方案", "青禾区住房和城乡建设局")
    files[D12] = tmp_path.read_bytes()
    tmp_path.unlink()

    # TXT hard-wrapped at 36 characters
    files[D11] = wrap_hard(NOTICE_ANQUANYUE_2025).encode("utf-8")

    # HTML repost of the 2024 speech (near-duplicate of D1)
    speech = (DEMO / D1).read_text(encoding="utf-8").splitlines()
    paras = "\n".join(f"<p>{html.escape(line, quote=False)}</p>" for line in speech[1:] if line.strip())
    files[D7] = REPOST_TEMPLATE.format(
        title="周明远在2024年全区安全生产工作会议上的讲话", paragraphs=paras).encode("utf-8")

    # HTML in GBK bytes, declaring gb2312 (王喆 and 李镕 are outside GB2312)
    paras = "\n".join(f"<p>　　{line}</p>" for line in GAS_NEWS_2025.splitlines() if line.strip())
    page = GBK_TEMPLATE.format(title=GAS_NEWS_2025_TITLE, paragraphs=paras)
    files[D13] = page.encode("gbk")
    try:
        page.encode("gb2312")
        raise SystemExit("the GBK page must contain characters outside GB2312")
    except UnicodeEncodeError:
        pass

    if write:
        for name, data in files.items():
            (DEMO / name).write_bytes(data)
    return files


# --------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------

ENDS = "。！？；"
MARKER = re.compile(r"^(（[一二三四五六七八九十\d]+）|[一二三四五六七八九十]+[、是要]|\d+[.、．]|（\d+）)$")


def doc_paragraphs(name: str, generated: dict[str, bytes]) -> list[str]:
    """The paragraphs of a document, read from the written file."""
    path = DEMO / name
    data = generated.get(name) or path.read_bytes()
    if name.endswith(".txt"):
        return data.decode("utf-8").splitlines()
    if name.endswith(".docx"):
        from docx import Document
        return [p.text for p in Document(io.BytesIO(data)).paragraphs]
    if name.endswith(".html"):
        text = data.decode("gbk" if "gbk" in name else "utf-8")
        paras = re.findall(r"<p[^>]*>(.*?)</p>", text, re.S)
        return [html.unescape(re.sub(r"<[^>]+>", "", p)).strip() for p in paras]
    if name == D12:
        return plain_text(GAS_PLAN_2025).splitlines()
    raise ValueError(name)


def doc_text(name: str, generated: dict[str, bytes]) -> str:
    if name == D11:
        return NOTICE_ANQUANYUE_2025
    if name == D14:
        try:
            import opencc  # the traditional-character page, read in simplified
            return opencc.OpenCC("t2s").convert((DEMO / name).read_text(encoding="utf-8"))
        except ImportError:
            return (DEMO / name).read_text(encoding="utf-8")
    return "\n".join(doc_paragraphs(name, generated))


def is_sentence(text: str, paragraphs: list[str]) -> bool:
    """True when `text` is a whole sentence (spec rule) of one paragraph."""
    if any(c in ENDS for c in text[:-1]):
        return False
    for para in paragraphs:
        start = para.find(text)
        while start >= 0:
            end = start + len(text)
            before = para[:start]
            cut = max(before.rfind(c) for c in ENDS)
            lead = before[cut + 1:].strip()
            ok_start = lead == "" or MARKER.match(lead)
            ok_end = text[-1] in ENDS or para[end:].strip() == ""
            if ok_start and ok_end:
                return True
            start = para.find(text, start + 1)
    return False


def check(generated: dict[str, bytes]) -> list[str]:
    problems = []
    for name in DATES:
        if not (DEMO / name).exists() and name not in generated:
            problems.append(f"missing file {name}")
    for dfile, dtext, evid in LINKS:
        if not is_sentence(dtext, doc_paragraphs(dfile, generated)):
            problems.append(f"not a sentence of {dfile}: {dtext}")
        for lfile, etext, status in evid:
            if DATES[lfile] <= DATES[dfile]:
                problems.append(f"{lfile} is not later than {dfile}")
            if not is_sentence(etext, doc_paragraphs(lfile, generated)):
                problems.append(f"not a sentence of {lfile}: {etext}")
            guards = MENTIONED_GUARDS.get(dtext) if status == "mentioned" else None
            if guards:
                allowed = {dfile, lfile, D7, D2X}  # D7, D2X: copies of D1, D2
                for other, date in DATES.items():
                    if date > DATES[dfile] and other not in allowed:
                        for w in guards:
                            if w in doc_text(other, generated):
                                problems.append(f"'{w}' (mentioned task) appears in later {other}")
    for dfile, dtext, status, deadline, guards in UNREPORTED:
        if not is_sentence(dtext, doc_paragraphs(dfile, generated)):
            problems.append(f"not a sentence of {dfile}: {dtext}")
        for other, date in DATES.items():
            if date > DATES[dfile] and other not in (D7, D2X):
                for w in guards:
                    if w in doc_text(other, generated):
                        problems.append(f"'{w}' ({status} task) appears in later {other}")
    # the PDF must give its Chinese text back
    try:
        from pdfminer.high_level import extract_text
        data = generated.get(D12) or (DEMO / D12).read_bytes()
        got = extract_text(io.BytesIO(data))
        got = re.sub(r"\s", "", re.sub(r"—\s*\d+\s*—", "", got))  # page footers
        for line in plain_text(GAS_PLAN_2025).splitlines():
            if re.sub(r"\s", "", line) not in got:
                problems.append(f"PDF text lost: {line[:30]}")
    except ImportError:
        pass
    return problems


def followups_json() -> str:
    out = []
    for dfile, dtext, evid in LINKS:
        for lfile, etext, status in evid:
            out.append({"directive_file": dfile, "directive_text": dtext,
                        "later_file": lfile, "evidence_text": etext, "status": status})
    for dfile, dtext, status, deadline, _ in UNREPORTED:
        out.append({"directive_file": dfile, "directive_text": dtext,
                    "status": status, "deadline_date": deadline})
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="verify only, write nothing")
    args = ap.parse_args()
    generated = build(write=not args.check)
    problems = check(generated)
    for p in problems:
        print("PROBLEM:", p, file=sys.stderr)
    if problems:
        return 1
    fj = followups_json()
    if args.check:
        if (DEMO / "followups.json").read_text(encoding="utf-8") != fj:
            print("PROBLEM: followups.json is stale", file=sys.stderr)
            return 1
        for name, data in generated.items():
            if (DEMO / name).read_bytes() != data:
                print(f"PROBLEM: {name} is stale", file=sys.stderr)
                return 1
        print("demo corpus OK")
    else:
        (DEMO / "followups.json").write_text(fj, encoding="utf-8")
        print(f"wrote {len(generated)} generated files and followups.json "
              f"({len(LINKS)} linked directives, {len(UNREPORTED)} unreported)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
