"""Document kinds from realistic short texts: the headline decides first, then the text's shape."""
import time

import pytest

from conftest import SEEDS, seed_text
from ingest.parse import parse_bytes
from ingest.parse.classify import KINDS, classify

ANNUAL = {
    "district government": """重庆市江北区人民政府关于2023年法治政府建设情况的报告
发布时间:2024-03-18 来源:江北区司法局
2023年,江北区坚持以习近平法治思想为指导,全面推进法治政府建设。现将有关情况报告如下:
一、主要举措和成效
(一)持续深化行政复议体制改革。全年办理行政复议案件86件。""",
    "department, 依法行政": """某市市场监督管理局2023年度依法行政工作报告
2023年,市市场监管局深入推进依法行政,严格规范公正文明执法。""",
    "party committee office, 法治建设": """中共某县委全面依法治县委员会办公室关于2023年度法治建设工作情况的报告
2023年,县委依法治县办统筹推进法治县、法治政府、法治社会一体建设。""",
    "decorated title": """某区2023年法治政府建设年度报告(全文)
日期:2024-03-29
一、2023年推进法治政府建设的主要举措和成效""",
}

OTHER_REPORT = {
    "work summary with plan": """某区司法局2023年工作总结和2024年工作计划
2023年,区司法局围绕中心、服务大局,全年办理法律援助案件1175件。""",
    "court white paper": """某市中级人民法院行政审判白皮书(2023)
2023年,全市法院共受理各类行政案件1432件,审结1398件。""",
    "information disclosure report": """某区2023年政府信息公开工作年度报告
本报告由区政府办公室根据《中华人民共和国政府信息公开条例》编制。""",
    "report on another subject": """关于2023年度人民调解工作情况的报告
全年各级人民调解组织调解矛盾纠纷3260件,调解成功3241件。""",
}

NEWS = {
    "meeting headline": """某区司法局召开2024年法治政府建设工作推进会
来源:某区司法局 发布时间:2024-03-05
近日,某区司法局召开2024年法治政府建设工作推进会,通报2023年全区行政复议案件办理情况。""",
    "agency lead without headline": """本报讯(记者 王芳 通讯员 李明)3月12日,某区行政复议局通报,2023年全区共办理行政复议案件65件,纠错率为12.3%。
区司法局相关负责人表示,将持续发挥行政复议化解行政争议主渠道作用。""",
    "award": """我区荣获第三批全国法治政府建设示范地区称号
近日,中央全面依法治国委员会办公室公布第三批示范地区和项目名单。""",
    "headline on the report": """区政府常务会议审议《2023年度法治政府建设情况报告》
会议指出,2023年全区行政机关负责人出庭应诉率达到100%。""",
    "header over a short narrative": """法治护航 助力优化营商环境
来源:某县司法局 发布时间:2024-01-16
为进一步优化法治化营商环境,县司法局组织执法人员深入园区企业开展“送法进企业”。全年为企业提供法律咨询320余次。""",
}

STATISTICS = {
    "titled table": """2023年某区行政复议案件统计表
项目 | 2023年 | 2022年
新收案件 | 69 | 58
审结案件 | 66 | 57
纠错案件 | 9 | 7""",
    "untitled table": """项目 | 数量 | 单位
法律援助案件 | 1175 | 件
人民调解案件 | 3260 | 件
法律咨询 | 8450 | 人次""",
    "statistical communique": """某市2023年国民经济和社会发展统计公报
2023年,全市地区生产总值比上年增长5.6%。""",
}

OTHER = {
    "notice": """关于印发《某区2024年法治政府建设工作要点》的通知
各街道办事处,区政府各部门:现将《某区2024年法治政府建设工作要点》印发给你们,请认真贯彻执行。""",
    "rules": """某区行政执法公示制度实施办法
第一条 为规范行政执法公示工作,根据有关规定,制定本办法。""",
    "canteen menu": "食堂菜单:周一红烧肉,周二清蒸鱼,周三番茄炒蛋。\n" * 5,
}


@pytest.mark.parametrize("kind, cases", [("annual_report", ANNUAL), ("other_report", OTHER_REPORT), ("news", NEWS),
                                         ("statistics", STATISTICS), ("other", OTHER)])
def test_each_kind(kind, cases):
    got = {name: classify(text) for name, text in cases.items()}
    assert got == {name: kind for name in cases}


def test_every_seed_is_an_annual_report_with_or_without_the_metadata_title():
    for path in SEEDS:
        parsed = parse_bytes(path.read_bytes(), path.name)
        assert parsed.kind == "annual_report", path.name
        assert classify(parsed.doc.text, None) == "annual_report", path.name


def test_a_report_body_without_its_title_is_read_from_its_shape():
    # The body alone: 现将...情况报告如下 names the subject; sections 成效 then 问题 make it a report.
    annual = seed_text("000")
    body = annual[annual.index("2023年,武隆区司法行政系统"):] if "2023年,武隆区司法行政系统" in annual else annual
    assert classify(body) == "annual_report"
    summary = """2023年,区司法局坚持围绕中心、服务大局,各项工作取得新进展。
一、主要工作及成效
全年办理法律援助案件1175件,开展普法活动216场。
二、存在的问题
基层法律服务力量仍然薄弱。
三、下一步工作打算
持续推进公共法律服务体系建设。"""
    assert classify(summary) == "other_report"


def test_the_title_decides_before_the_shape():
    report_with_news_lead = "某区人民政府关于2023年度法治政府建设情况的报告\n近日,区政府召开常务会议审议本报告。"
    assert classify(report_with_news_lead) == "annual_report"
    news_about_a_long_report = "某区召开法治政府建设工作会议\n" + seed_text("002").split("\n", 12)[-1]
    assert classify(news_about_a_long_report) == "news"


def test_metadata_title_and_page_context():
    body = "2023年,全区法治政府建设取得新成效。全年办理行政复议案件86件。\n"
    assert classify(body, "某区2023年法治政府建设情况报告") == "annual_report"
    page = {"page_title": "某区司法局开展宪法宣传周活动_某区人民政府网", "breadcrumb": "首页 > 工作动态"}
    assert classify("为弘扬宪法精神,区司法局在中心广场设置宣传点,发放资料1200余份。\n", None, page) == "news"


def test_the_column_breaks_a_tie():
    text = "2023年,全区办理行政复议案件86件,纠错9件。\n"
    assert classify(text) == "other"
    assert classify(text, None, {"breadcrumb": "首页 > 新闻中心 > 工作动态"}) == "news"
    assert classify(text, None, {"breadcrumb": "首页 > 数据发布 > 统计数据"}) == "statistics"


def test_kinds_are_the_five_and_classification_is_fast():
    assert KINDS == ("annual_report", "other_report", "news", "statistics", "other")
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    start = time.perf_counter()
    for _ in range(40):
        for t in texts:
            classify(t, None)
    assert (time.perf_counter() - start) / (40 * len(texts)) < 0.005  # well under parse time


@pytest.mark.parametrize("title, kind", [
    ("某某区2023年法治政府建设工作总结", "annual_report"),
    ("某某县2023年度法治政府建设情况", "annual_report"),
    ("某某县人民政府2023年工作总结", "other_report"),
    ("关于印发某某区法治政府建设实施方案的通知", "other"),
])
def test_annual_reports_go_by_several_names(title, kind):
    assert classify(title + "\n2023年，全区坚持依法行政。\n", None) == kind
