"""Figures about the places a page lists carry their place; the area's own totals carry none.
Every case is invented in the shape of real pages (places, figures and wording changed)."""
from ingest.extract import ReportContext, extract_metrics
from ingest.parse.measures import Measure


def places(text: str, own: str = ""):
    """(indicator, value, place name, level) of each figure, place None for the area's own."""
    measure = Measure(0, None, 1, "一", None, 0, len(text), "results")
    return [(m.indicator, m.value, *((m.place["name"], m.place["level"]) if m.place else (None, None)))
            for m in extract_metrics(text, [measure], ReportContext(own_names=own))]


def test_a_province_page_gives_each_city_its_figures():
    got = places("2023年,全省各级行政复议机关共新收行政复议申请9100件。其中,宁波市新收行政复议申请1630件,"
                 "温州市新收1210件,金华市新收870件。", own="浙江省人民政府 浙江省")
    assert got == [("reconsideration.received", 9100, None, None),
                   ("reconsideration.received", 1630, "宁波市", "city"),
                   ("reconsideration.received", 1210, "温州市", "city"),
                   ("reconsideration.received", 870, "金华市", "city")]


def test_a_place_carries_to_its_later_clauses_until_the_next_place():
    got = places("2023年,全市法律援助机构办理法律援助案件5200件。其中,历城区办理法律援助案件830件,办结810件;"
                 "章丘区办理620件。", own="济南市司法局 山东省济南市")
    assert [(v, name) for _, v, name, _ in got] == [(5200, None), (830, "历城区"), (810, "历城区"), (620, "章丘区")]


def test_a_list_of_bare_names_the_sentence_counts():
    got = places("2023年,全省法院受理一审行政案件20500件,绍兴、嘉兴、湖州受理一审行政案件分别为2150件、1760件、"
                 "1490件,三市合计占全省的26%。", own="浙江省高级人民法院 浙江省")
    assert got[0] == ("litigation.cases", 20500, None, None) and len(got) > 1
    # Each value of the 分别为 list with the place in its position.
    assert all(name == {2150: "绍兴", 1760: "嘉兴", 1490: "湖州"}[v] for _, v, name, _ in got[1:])
    # Without a count a list of short words may be anything (刑事、民事): no place.
    assert places("刑事、民事受理法律援助案件分别为300件、200件。")[0][2] is None


def test_a_list_of_courts_one_line_each():
    got = places("2023年,全市法院审结一审行政案件1420件。市中院审结一审行政案件330件;涧西区法院审结一审行政案件"
                 "215件;西工区法院审结一审行政案件190件。", own="洛阳市中级人民法院 河南省洛阳市")
    assert got == [("litigation.closed", 1420, None, None), ("litigation.closed", 330, "市中院", "city"),
                   ("litigation.closed", 215, "涧西区", "county"), ("litigation.closed", 190, "西工区", "county")]


def test_the_intermediate_court_on_a_page_of_the_citys_two_levels_of_courts():
    text = ("2023年,全市两级法院共受理一审行政案件1310件。\n"
            "市中院2023年共受理一审行政案件402件,同比下降3%。其中,以区县政府为被告的180件。审结395件。\n")
    got = places(text, own="许昌市中级人民法院 河南省许昌市")
    assert got[0] == ("litigation.cases", 1310, None, None)
    assert {name for _, _, name, _ in got[1:]} == {"市中院"} and len(got) > 1
    # Without two levels of courts on the page, 市中院 is the report's own court.
    assert places("市中院2023年共受理一审行政案件402件。", own="许昌市中级人民法院")[0][2] is None


def test_a_table_with_a_row_per_district_and_a_total_row():
    got = places("县区 | 受理行政复议案件 | 审结行政复议案件\n涧西区 | 132 | 120\n西工区 | 87 | 85\n老城区 | 41 | 40\n"
                 "合计 | 260 | 245\n", own="洛阳市人民政府 河南省洛阳市")
    assert [(v, name, level) for _, v, name, level in got] == [
        (132, "涧西区", "county"), (120, "涧西区", "county"), (87, "西工区", "county"), (85, "西工区", "county"),
        (41, "老城区", "county"), (40, "老城区", "county"), (260, None, None), (245, None, None)]


def test_table_rows_of_bodies_bare_names_and_the_own_place():
    got = places("单位 | 法律援助案件\n洛阳市 | 500\n市司法局 | 20\n涧西区司法局 | 120\n", own="洛阳市司法局 河南省洛阳市")
    assert [(v, name) for _, v, name, _ in got] == [(500, None), (20, None), (120, "涧西区")]
    got = places("地区 | 受理行政复议案件\n成都 | 2100\n绵阳 | 640\n四川 | 9000\n", own="四川省")
    assert [(v, name) for _, v, name, _ in got] == [(2100, "成都"), (640, "绵阳"), (9000, None)]


def test_groups_above_a_threshold_and_place_figure_pairs():
    got = places("2023年,全市基层法院审结一审行政案件超过200件的分别是江北区法院、南岸区法院、北碚区法院。",
                 own="重庆市高级人民法院 重庆市")
    assert got == []   # a threshold the courts pass, no figure of theirs (threshold_after)
    got = places("高阳县、蠡县2个县行政复议案件均超过100件。", own="保定市")
    assert [(name, level) for _, _, name, level in got] == [("高阳县、蠡县", "county")]
    got = places("一审行政案件收案较少的地区分别是阿坝35件、甘孜52件。", own="四川省高级人民法院 四川省")
    assert got[0][1:3] == (35, "阿坝")
    got = places("2023年,一审行政案件收案数排在前三位的地区依次为成都2100件、绵阳640件、南充520件,共计3260件。",
                 own="四川省高级人民法院 四川省")
    assert got[-1][1:3] == (3260, "成都、绵阳、南充")
    got = places("全省行政机关负责人出庭应诉率为95%,出庭应诉率达到100%的有临汾、晋中、运城等3个市。", own="山西省")
    assert [(v, name) for _, v, name, _ in got] == [(95, None)]


def test_named_bodies_listed_together():
    got = places("全市公证机构全年办理公证事项8300件。华信、正源公证处为两个旧城改造项目办理公证事项610件。",
                 own="某市司法局")
    assert [(v, name) for _, v, name, _ in got] == [(8300, None), (610, "华信、正源公证处")]


def test_the_reports_own_place_area_words_and_own_bodies_are_no_place():
    assert places("2023年,重庆市各级行政复议机关共收到行政复议申请7400件,全市法院受理一审行政案件9600件。",
                  own="重庆市人民政府 重庆市") == [("reconsideration.received", 7400, None, None),
                                              ("litigation.cases", 9600, None, None)]
    # The district's own government and bureau act for the district.
    assert [p[2] for p in places("区政府收到行政复议申请120件,区司法局办理法律援助案件300件。",
                                 own="某某区人民政府")] == [None, None]
    # A place that is only the object of the sentence.
    assert [p[2] for p in places("区司法局组织干部赴杭州市学习考察,全年办理法律援助案件300件。")] == [None]
    # A lone place on a page that names no other is the report's own, whatever its metadata says.
    assert [p[2] for p in places("2023年,滁州市受理行政复议案件352件。")] == [None]
    # A township on a province's page is no province's own figure, named once or not.
    assert places("全省调解组织化解纠纷4.2万件。在乡村振兴示范点,据介绍,石桥乡今年以来已化解纠纷96件。",
                  own="甘肃省")[1][2:] == ("石桥乡", "township")
    assert [p[2] for p in places("2023年,延边州受理行政复议案件96件,审结90件。", own="吉林省延边朝鲜族自治州")] == [None, None]


def test_verbs_before_a_level_word_are_no_place():
    got = places("2023年,完成市政府常务会议题合法性审查99件;配合区政府办梳理重大决策事项3项;"
                 "审核市场监管局报备的规范性文件5件。", own="某市司法局")
    assert all(name is None for _, _, name, _ in got) and got


def test_a_district_written_under_the_pages_own_city_is_one_of_its_parts():
    # A city body's briefing: the one district it names is written under the city's name.
    got = places("2023年,全市各级行政机关共受理行政调解案件41350件,调解成功19770件。据统计,2023年天津市西青区"
                 "依法调解行政争议、民事纠纷620件,调解成功540件。", own="天津市政府法制办 天津市")
    assert [(v, name) for _, v, name, _ in got] == [(41350, None), (19770, None), (620, "西青区"),
                                                   (540, "西青区")]
