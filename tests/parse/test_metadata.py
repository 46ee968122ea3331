"""Metadata on real-shaped page openings: reports from township to province, department reports,
news items, statistics pages, header tables in every form gov sites print them, split titles,
and years that are not the report year. Place codes are checked against the bundled CSVs."""
import pytest

from ingest.parse import parse_bytes
from ingest.parse.metadata import extract_metadata


def parse(text: str, html: bool = False):
    p = parse_bytes(text.encode("utf-8"), "page.html" if html else "page.txt", is_html=html)
    j = p.jurisdiction.as_json()
    return p, (j["name"], j["code"], j["level"])


# ---- header tables ---------------------------------------------------------------------------

BRACKET_HEADER = """您当前的位置: 首页>政务公开>政府信息公开目录>法治政府建设年度报告 > 县政府

[ 索引号 ] 11500238009445212W/2024-00008 [ 发文字号 ]
[ 主题分类 ] 电子政务;行政事务 [ 体裁分类 ] 工作报告
[ 发布机构 ] 巫溪县人民政府
[ 成文日期 ] 2024-03-20 [ 发布日期 ] 2024-03-22

巫溪县2023年法治政府建设情况报告

2023年，巫溪县坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻党的二十大精神，全面推进法治政府建设。现将有关情况报告如下：
一、主要举措和成效
"""

PIPE_HEADER = """索引号 | 11500112MB1592315X/2024-00021 | 主题分类 | 其他
发布机构 | 重庆市渝北区人民政府 | 成文日期 | 2024-03-01
名称 | 重庆市渝北区人民政府关于2023年度法治政府建设情况的报告 | 重庆市渝北区人民政府关于2023年度法治政府建设情况的报告
发文字号 |  | 发布日期 | 2024-03-05

2023年，渝北区坚持以习近平新时代中国特色社会主义思想为指导，全面推进法治政府建设。现将有关情况报告如下：
"""

COLUMN_HEADER = """索引号 | 发布机构 | 成文日期
11500107MB0000000X/2023-00012 | 重庆市九龙坡区司法局 | 2023-03-10
| 标题: | 重庆市九龙坡区司法局2022年度法治政府建设工作报告 |

2022年，区司法局坚持以习近平法治思想为指导，全面推进法治政府建设，现将有关情况报告如下。
"""


def test_bracket_header_table_feeds_issuer_and_date_but_never_the_title():
    p, juris = parse(BRACKET_HEADER)
    assert p.meta.title == "巫溪县2023年法治政府建设情况报告"
    assert p.meta.issuer == "巫溪县人民政府"
    assert p.meta.published_on.isoformat() == "2024-03-22"   # 发布日期 over 成文日期
    assert p.meta.report_year == 2023
    assert juris == ("重庆市巫溪县", "500238", "county")


def test_pipe_header_table_gives_title_issuer_and_publication_date():
    p, juris = parse(PIPE_HEADER)
    assert p.meta.title == "重庆市渝北区人民政府关于2023年度法治政府建设情况的报告"
    assert p.meta.issuer == "重庆市渝北区人民政府"
    assert p.meta.published_on.isoformat() == "2024-03-05"
    assert juris == ("重庆市渝北区", "500112", "county")


def test_labels_over_values_and_a_pipe_title_cell():
    p, juris = parse(COLUMN_HEADER)
    assert p.meta.title == "重庆市九龙坡区司法局2022年度法治政府建设工作报告"
    assert p.meta.issuer == "重庆市九龙坡区司法局"
    assert p.meta.published_on.isoformat() == "2023-03-10"   # only 成文日期 is given
    assert (p.meta.report_year, juris) == (2022, ("重庆市九龙坡区", "500107", "county"))


def test_written_date_when_no_publication_date_and_name_label():
    meta = extract_metadata("名称: 杭州市2023年法治政府建设年度报告\n成文日期: 2024-03-28    有效性: 有效\n"
                            "2023年，杭州市坚持以习近平新时代中国特色社会主义思想为指导，全面推进法治政府建设。\n")
    assert meta.title == "杭州市2023年法治政府建设年度报告"
    assert meta.published_on.isoformat() == "2024-03-28"
    assert meta.issuer is None   # 杭州市 is a place; no organisation is named


def test_header_rendered_from_html_table():
    page = """<html><head><title>区政府信息公开</title></head><body>
<table class="xxgk-info"><tr><td>索引号：</td><td>11500112MB1592315X/2024-00021</td><td>主题分类：</td><td>其他</td></tr>
<tr><td>发布机构：</td><td>重庆市渝北区司法局</td><td>成文日期：</td><td>2024-02-26</td></tr>
<tr><td>名称：</td><td colspan="3">重庆市渝北区司法局2023年度法治政府建设工作报告</td></tr></table>
<div class="article"><h1>重庆市渝北区司法局2023年度法治政府建设工作报告</h1>
<p>2023年，区司法局在区委、区政府的坚强领导下，全面推进法治政府建设。全年办理行政复议案件<b>57</b>件。</p></div>
</body></html>"""
    p, juris = parse(page, html=True)
    assert "发布机构： | 重庆市渝北区司法局 | 成文日期： | 2024-02-26" in p.doc.text
    assert p.meta.title == "重庆市渝北区司法局2023年度法治政府建设工作报告"
    assert p.meta.issuer == "重庆市渝北区司法局"
    assert p.meta.published_on.isoformat() == "2024-02-26"
    assert juris == ("重庆市渝北区", "500112", "county")
    assert [(m.indicator, m.value) for m in p.metrics] == [("reconsideration.handled", 57)]


# ---- titles ----------------------------------------------------------------------------------

def test_title_split_into_organisation_and_rest():
    p, juris = parse("当前位置：首页 > 政务公开 > 法治政府建设\n宁波市江北区人民政府\n2023年法治政府建设工作报告\n"
                     "发布时间：2024-03-11 09:12\n"
                     "2023年，在市委、市政府的坚强领导下，江北区坚持以习近平法治思想为指导，全面推进依法行政。\n")
    assert p.meta.title == "宁波市江北区人民政府2023年法治政府建设工作报告"
    assert p.meta.issuer == "宁波市江北区人民政府"
    assert juris == ("浙江省宁波市江北区", "330205", "county")


def test_title_cut_mid_phrase_is_joined():
    meta = extract_metadata("宁波市江北区人民政府关于2023年度法治政府\n建设情况的报告\n"
                            "2023年，江北区坚持以习近平法治思想为指导，全面推进依法行政。\n")
    assert meta.title == "宁波市江北区人民政府关于2023年度法治政府建设情况的报告"


def test_column_name_is_no_title_and_page_title_is_a_fallback():
    meta = extract_metadata("法治政府建设年度报告\n2023年，全县坚持以习近平法治思想为指导，全面推进依法行政工作。\n",
                            {"page_title": "巫溪县2023年法治政府建设年度报告_巫溪县人民政府"})
    assert meta.title == "巫溪县2023年法治政府建设年度报告"
    passage = "（三）严格规范公正文明执法。全年共办理行政处罚案件1234件，全县行政机关负责人出庭应诉率达100%。\n"
    assert extract_metadata(passage).title is None


def test_breadcrumb_title_only_when_the_text_has_none():
    crumb = {"breadcrumb": "当前位置：首页 > 信息公开 > 巫溪县2023年法治政府建设年度报告"}
    assert extract_metadata("2023年，全县坚持以习近平法治思想为指导，全面推进依法行政工作。\n", crumb).title \
        == "巫溪县2023年法治政府建设年度报告"
    text = "巫溪县人民政府关于2023年法治政府建设情况的报告\n2023年，全县坚持以习近平法治思想为指导，全面推进依法行政。\n"
    assert extract_metadata(text, crumb).title == "巫溪县人民政府关于2023年法治政府建设情况的报告"


def test_news_item_title_source_and_date():
    p, juris = parse("首页 > 新闻中心 > 部门动态\n武义县司法局召开2024年法治政府建设工作推进会\n"
                     "来源：武义县司法局 发布时间：2024-04-08 10:21 浏览次数：312\n"
                     "近日，武义县司法局召开2024年法治政府建设工作推进会，总结2023年工作，部署2024年重点任务。\n")
    assert p.meta.title == "武义县司法局召开2024年法治政府建设工作推进会"
    assert p.meta.issuer == "武义县司法局"
    assert p.meta.published_on.isoformat() == "2024-04-08"
    assert juris == ("浙江省金华市武义县", "330723", "county")


def test_statistics_page():
    p, juris = parse("2023年南京市鼓楼区行政复议案件办理情况统计\n发布日期：2024-01-15 信息来源：南京市鼓楼区司法局\n\n"
                     "指标 | 2022年 | 2023年\n行政复议收案 | 48 | 57\n")
    assert p.meta.title == "2023年南京市鼓楼区行政复议案件办理情况统计"
    assert (p.meta.issuer, p.meta.report_year) == ("南京市鼓楼区司法局", 2023)
    assert juris == ("江苏省南京市鼓楼区", "320106", "county")


def test_one_line_page_title():
    text = ("您当前的位置: 首页 > 政务公开 > 法治政府年度报告 重庆市武隆区司法局关于2023年度法治政府建设工作情况的报告 "
            "日期:2024-02-23 2023年,武隆区司法行政系统坚持以习近平新时代中国特色社会主义思想为指导。一、主要举措和成效 "
            "(一)行政应诉。全区一审开庭83件,行政负责人出庭80件,行政负责人出庭率达到98.76%。")
    p, juris = parse(text)
    assert p.meta.title == "重庆市武隆区司法局关于2023年度法治政府建设工作情况的报告"
    assert (p.meta.issuer, p.meta.published_on.isoformat()) == ("重庆市武隆区司法局", "2024-02-23")
    assert juris == ("重庆市武隆区", "500156", "county")
    assert ("litigation.head_appearance_rate", 98.76) in [(m.indicator, float(m.value)) for m in p.metrics]


# ---- years -----------------------------------------------------------------------------------

@pytest.mark.parametrize("opening, year", [
    ("2023年，全县坚持以《法治政府建设实施纲要（2021—2025年）》为主线，全面推进依法行政。", 2023),
    ("根据1982年宪法和《2021年重庆市法治政府建设条例》，自2015年以来全县累计办理复议案件900件。", None),
    ("全县贯彻落实2021-2025年法治政府建设规划，力争到2025年基本建成法治政府。", None),
    ("截至2023年底，全县共有行政执法人员1200名，较上年增加30名。", 2023),
    ("2023年以来，全县坚持以习近平法治思想为指导。", 2023),
    ("二〇二三年，全县坚持以习近平法治思想为指导，全面推进依法行政。", 2023),
    ("2025年，全县将全面建成法治政府示范县。", None),   # after the publication year: a target
])
def test_report_year_from_the_opening(opening, year):
    text = f"依法行政工作简报\n发布日期：2024-03-01\n{opening}\n"
    assert extract_metadata(text).report_year == year


def test_year_from_title_over_opening_and_annual_report_fallback():
    meta = extract_metadata("XX县人民政府关于2023年度法治政府建设情况的报告\n发布日期：2024-03-01\n"
                            "2022年以来，全县坚持以习近平法治思想为指导，全面推进依法行政工作。\n")
    assert meta.report_year == 2023
    annual = extract_metadata("XX县人民政府关于法治政府建设情况的报告\n发布日期：2024-03-01\n"
                              "今年以来，县政府坚持以习近平法治思想为指导，全面推进依法行政。\n")
    assert annual.report_year == 2023   # an annual report, published 2024, about the year before
    news = extract_metadata("依法行政示范创建工作推进会在武隆区召开\n发布日期：2024-05-01\n"
                            "今年以来，武隆区坚持以习近平法治思想为指导，全面推进依法行政。\n")
    assert news.report_year == 2024    # a dated item's 今年以来 is its own year
    last = extract_metadata("去年全市法院审结行政案件1983件\n19.09.2015  09:57\n本报讯 去年本市法院共受理一审行政案件1990件。\n")
    assert (last.published_on.isoformat(), last.report_year) == ("2015-09-19", 2014)
    undated = extract_metadata("依法行政示范创建工作推进会在武隆区召开\n今年以来，武隆区坚持依法行政。\n")
    assert undated.report_year is None
    clock = extract_metadata("某区人民政府\n2019年12月3日星期二\n2023年，某区坚持以习近平法治思想为指导，全面推进依法行政。\n")
    assert clock.report_year == 2023   # a site's clock is neither the publication date nor the year
    span = extract_metadata("败诉案件领域相对集中 某市公布行政审判白皮书\n发布时间：2023-05-10\n"
                            "5月10日，某市中院公布了全市法院2020年-2022年行政审判工作白皮书。2020年行政机关败诉率为13.5%。\n")
    assert span.report_year == 2022   # a text about a span reports on its last year
    plan = extract_metadata("关于2023年度法治政府建设情况的报告\n发布日期：2024-02-01\n"
                            "对照《法治政府建设实施纲要（2021—2025年）》，2023年全县扎实推进依法行政。\n")
    assert plan.report_year == 2023   # a plan's period is no span reported on


def test_plan_period_in_title_is_no_year():
    meta = extract_metadata("巫溪县法治政府建设实施方案（2021—2025年）\n发布日期：2022-01-10\n"
                            "为深入推进依法行政，加快建设法治政府，结合我县实际，制定本方案。\n")
    assert meta.report_year is None


# ---- dates and issuers ---------------------------------------------------------------------

def test_signature_date_and_issuer_when_the_page_gives_none():
    meta = extract_metadata("关于2023年度法治政府建设工作情况的报告\n"
                            "今年以来，在县委、县政府的坚强领导下，我镇坚持以习近平法治思想为指导，全面推进依法行政。\n"
                            "一、主要工作\n（一）加强组织领导。\n\n武义县泉溪镇人民政府\n2024年1月10日\n")
    assert (meta.issuer, meta.signature) == ("武义县泉溪镇人民政府", "武义县泉溪镇人民政府")
    assert meta.published_on.isoformat() == "2024-01-10"
    assert meta.report_year == 2023


def test_date_standing_before_the_labels():
    meta = extract_metadata("巫溪县2023年法治政府建设情况报告\n2024-03-15 10:23 来源：巫溪县司法局\n"
                            "2023年，巫溪县坚持以习近平新时代中国特色社会主义思想为指导，全面推进依法行政。\n")
    assert (meta.published_on.isoformat(), meta.issuer) == ("2024-03-15", "巫溪县司法局")


def test_source_that_is_no_organisation_is_no_issuer():
    meta = extract_metadata("巫溪县2023年法治政府建设情况报告\n信息来源：本站 发布时间：2024-03-15\n"
                            "2023年，巫溪县坚持以习近平新时代中国特色社会主义思想为指导，全面推进依法行政。\n")
    assert meta.issuer is None and meta.page_source == "本站"


def test_any_text_parses_with_null_metadata():
    p, juris = parse("行政复议工作有序推进，群众满意度持续提升，各项工作取得新成效。")
    assert (p.meta.title, p.meta.issuer, p.meta.report_year, p.meta.published_on) == (None, None, None, None)
    assert juris == (None, None, None)


def test_spaced_labels_and_full_width_bars():
    meta = extract_metadata("武义县司法局2023年法治政府建设工作报告\n来  源：武义县司法局｜发 布 时 间：2024-03-18｜浏览次数：96\n"
                            "2023年，县司法局坚持以习近平法治思想为指导，全面推进依法行政工作。\n")
    assert (meta.page_source, meta.published_on.isoformat()) == ("武义县司法局", "2024-03-18")


def test_signature_and_date_on_one_line():
    meta = extract_metadata("关于2023年法治政府建设情况的报告\n"
                            "2023年是全面贯彻落实党的二十大精神的开局之年，巫溪县坚持以习近平法治思想为指导。\n"
                            "一、主要成效\n全面推进依法行政。\n巫溪县人民政府    2024年3月1日\n")
    assert (meta.signature, meta.issuer, meta.published_on.isoformat()) == ("巫溪县人民政府", "巫溪县人民政府", "2024-03-01")


def test_title_place_beats_the_source_that_posted_it():
    p, juris = parse("重庆市渝北区2023年法治政府建设情况报告\n来源：两路街道办事处 发布时间：2024-03-01\n"
                     "2023年，渝北区坚持以习近平法治思想为指导，全面推进依法行政。\n")
    assert p.meta.issuer == "两路街道办事处"
    assert juris == ("重庆市渝北区", "500112", "county")


def test_opening_after_a_copula_clause_names_the_body():
    p, juris = parse("法治政府建设年度报告\n"
                     "2023年是全面贯彻落实党的二十大精神的开局之年，九龙坡区坚持以习近平法治思想为指导，全面推进依法行政。\n")
    assert juris == ("重庆市九龙坡区", "500107", "county")


def test_report_heading_after_a_furniture_paragraph():
    meta = extract_metadata("您好！欢迎访问巫溪县人民政府网站，今天是2024年3月1日，星期五，祝您浏览愉快，工作顺利。\n"
                            "巫溪县2023年法治政府建设情况报告\n发布时间：2024-03-05\n"
                            "2023年，巫溪县坚持以习近平新时代中国特色社会主义思想为指导，全面推进依法行政。\n"
                            "附件：巫溪县2022年法治政府建设情况报告\n")
    assert (meta.title, meta.published_on.isoformat(), meta.report_year) == \
        ("巫溪县2023年法治政府建设情况报告", "2024-03-05", 2023)
    passage = "（三）严格规范公正文明执法。全年共办理行政处罚案件1234件，全县负责人出庭应诉率达100%。\n附件：巫溪县2022年法治政府建设情况报告\n"
    assert extract_metadata(passage).title is None


# ---- a report year must be plausible: 2000 up to the publication year ------------------------

def _seed_without_title_year_or_date(opening_year: str, dated: bool = False) -> str:
    """Seed 000 whose only year is `opening_year`, opening its body, and (when `dated`) its
    publication and signature dates."""
    from conftest import seed_text

    text = seed_text("000").replace("关于2023年度法治政府", "关于法治政府").replace("2023年", "本年")
    if not dated:
        text = text.replace("日期:2024-02-23\n", "").replace("2024年2月23日", "")
    return text.replace("本年,武隆区司法行政系统", f"{opening_year}年,武隆区司法行政系统", 1)


def test_a_year_before_2000_is_left_empty_with_a_warning():
    from datetime import date

    parsed = parse_bytes(_seed_without_title_year_or_date("1982").encode("utf-8"), "report.txt")
    assert parsed.meta.published_on is None and parsed.meta.report_year is None
    assert parsed.warnings == [f"report year 1982 outside 2000..{date.today().year}: left empty"]
    assert parsed.as_json()["report_year"] is None


def test_a_year_after_publication_is_left_empty_with_a_warning():
    from datetime import date

    future = str(date.today().year + 1)   # a year still to come whenever the test runs
    text = _seed_without_title_year_or_date(future).replace("关于法治政府建设工作情况的报告", "关于法治政府建设工作情况")
    parsed = parse_bytes(text.replace("现将全年主要工作报告如下", "").encode("utf-8"), "report.txt")
    assert parsed.meta.report_year is None
    assert parsed.warnings[0] == f"report year {future} outside 2000..{date.today().year}: left empty"
    # Published in 2024, an annual report is about 2023 whatever year its body opens with.
    parsed = parse_bytes(_seed_without_title_year_or_date(future, dated=True).encode("utf-8"), "report.txt")
    assert parsed.meta.published_on.isoformat() == "2024-02-23"
    assert parsed.meta.report_year == 2023 and parsed.warnings == []


def test_the_constitutions_year_is_never_the_report_year():
    text = _seed_without_title_year_or_date("1982").replace("1982年,武隆区", "自1982年宪法颁布以来,武隆区")
    parsed = parse_bytes(text.encode("utf-8"), "report.txt")
    assert parsed.meta.report_year is None


def test_a_plausible_year_gives_no_warning():
    parsed = parse_bytes(_seed_without_title_year_or_date("2023").encode("utf-8"), "report.txt")
    assert parsed.meta.report_year == 2023 and parsed.warnings == []
