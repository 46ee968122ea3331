"""Resolving names to GB/T 2260 codes across history, with context, and refusing to guess.
Every expected code below is a row of ingest/parse/data/areacodes.csv or townships.csv."""
import pytest

from ingest.parse import parse_bytes
from ingest.parse.jurisdiction import credit_code_division, lineage_ids, resolve, resolve_tiers
from ingest.parse.opening import subject_of


def test_rename_keeps_one_lineage():
    old = resolve(["蓟县人民政府"], [], 2015)
    new = resolve(["蓟州区人民政府"], [], 2023)
    assert (old.code, old.name) == ("120225", "天津市蓟县")
    assert (new.code, new.name) == ("120119", "天津市蓟州区")
    ids = lineage_ids()
    assert ids["120225"] == ids["120119"] == "120119"
    assert ids["500232"] == ids["500156"] == "500156"  # 武隆县 -> 武隆区


def test_code_valid_in_report_year():
    assert resolve(["武隆县司法局"], [], 2015).code == "500232"
    assert resolve(["武隆区司法局"], [], 2023).code == "500156"


def test_ambiguous_name_is_null_with_candidates():
    res = resolve(["鼓楼区司法局"], [], 2023)
    assert res.code is None and res.name is None
    assert {c["code"] for c in res.candidates} >= {"320106", "320302", "350102", "410204"}


def test_context_disambiguates():
    assert resolve(["鼓楼区司法局"], ["南京市人民政府网"], 2023).code == "320106"
    assert resolve(["江北区人民政府"], ["重庆市人民政府网"], 2023).code == "500105"


def test_credit_code_in_index_number():
    ctx = ["[ 索引号 ] 11500241358692734W/2024-00016"]
    assert credit_code_division(ctx[0]) == "500241"
    assert resolve(["秀山县人民政府"], ctx, 2023).code == "500241"


def test_department_belongs_to_its_government():
    res = resolve(["重庆市武隆区司法局"], [], 2023)
    assert (res.code, res.level) == ("500156", "county")


def test_township_under_its_county():
    res = resolve(["重庆市渝北区人民政府两路街道办事处"], [], 2023)
    assert (res.name, res.level, res.code) == ("重庆市渝北区两路街道", "township", "500112016")
    assert res.division.code == "500112" and res.township == "两路街道"


@pytest.mark.parametrize("written", ["两路街道关于2023年度法治政府建设情况的报告", "两路街道办事处", "中共两路街道工作委员会"])
def test_township_unique_in_the_country_resolves_alone(written):
    res = resolve([written], [], 2023)
    assert (res.name, res.code, res.level) == ("重庆市渝北区两路街道", "500112016", "township")


def test_ambiguous_township_needs_its_county_city_or_province():
    alone = resolve(["泉溪镇2023年法治政府建设工作报告"], [], 2023)
    assert alone.code is None and alone.name is None
    assert {c["code"] for c in alone.candidates} == {"330723103", "420324105", "430422109"}
    assert resolve(["泉溪镇人民政府"], ["衡阳市人民政府网"], 2023).code == "430422109"
    assert resolve(["泉溪镇人民政府"], ["当前位置：首页 > 湖北省 > 乡镇动态"], 2023).code == "420324105"
    with_county = resolve(["武义县泉溪镇人民政府关于2023年法治政府建设工作的报告"], [], 2023)
    assert (with_county.name, with_county.code) == ("浙江省金华市武义县泉溪镇", "330723103")
    # a county named in the context that holds none of them changes nothing
    assert resolve(["泉溪镇人民政府"], ["巫溪县人民政府网"], 2023).code is None


def test_a_township_is_not_the_county_sharing_its_name():
    town = resolve(["通城镇人民政府2023年法治政府建设情况报告"], [], 2023)
    assert (town.name, town.code, town.level) == ("重庆市巫溪县通城镇", "500238114", "township")
    county = resolve(["通城县人民政府关于2023年法治政府建设情况的报告"], [], 2023)
    assert (county.name, county.code, county.level) == ("湖北省咸宁市通城县", "421222", "county")


def test_common_township_name_under_its_county():
    res = resolve(["太和县城关镇人民政府"], [], 2023)   # 城关镇: 88 of them
    assert (res.name, res.code) == ("安徽省阜阳市太和县城关镇", "341222100")


def test_township_disambiguates_its_county():
    res = resolve(["鼓楼区华大街道办事处"], [], 2023)   # four 鼓楼区, two 华大街道, one pair
    assert (res.name, res.code) == ("福建省福州市鼓楼区华大街道", "350102007")


def test_township_of_a_renamed_county_keeps_the_county_of_its_year():
    old = resolve(["武隆县白马镇人民政府"], [], 2015)
    assert (old.name, old.code, old.division.code) == ("重庆市武隆县白马镇", "500156101", "500232")
    alone = resolve(["渔阳镇人民政府"], [], 2015)
    assert (alone.name, alone.code, alone.division.code) == ("天津市蓟县渔阳镇", "120119100", "120225")


def test_township_missing_from_the_list_is_named_without_a_code():
    res = resolve(["武隆县仙女山镇人民政府"], [], 2015)   # a 街道 since; the 2023 list has no 仙女山镇
    assert (res.name, res.code, res.level) == ("重庆市武隆县仙女山镇", None, "township")
    assert resolve(["仙女山镇人民政府"], [], 2015).name is None


@pytest.mark.parametrize("written", ["北京市朝阳区南磨房地区办事处", "朝阳区南磨房乡人民政府"])
def test_beijing_area_offices(written):
    assert resolve([written], [], 2023).code == "110105021"


def test_sumu_ambiguous_until_its_city_is_named():
    assert resolve(["巴彦塔拉苏木"], [], 2023).code is None
    assert resolve(["巴彦塔拉苏木"], ["通辽市人民政府"], 2023).code == "150526200"


def test_province_and_city_level():
    province = resolve(["浙江省司法厅"], [], 2023)
    assert (province.name, province.code, province.level) == ("浙江省", "330000", "province")
    city = resolve(["杭州市人民政府关于2023年法治政府建设情况的报告"], [], 2023)
    assert (city.name, city.code, city.level) == ("浙江省杭州市", "330100", "city")


# ---- the reporting body in the text ---------------------------------------------------------

@pytest.mark.parametrize("opening, subject", [
    ("2023年，在区委、区政府的坚强领导下，两路街道党工委、办事处坚持以习近平法治思想为指导。", "两路街道"),
    ("2023年，九龙坡区坚持以习近平新时代中国特色社会主义思想为指导。", "九龙坡区"),
    ("今年以来，重庆市武隆区人民政府深入学习贯彻党的二十大精神。", "重庆市武隆区"),
    ("为深入贯彻落实党中央决策部署，衡南县泉溪镇人民政府坚持依法行政。", "衡南县泉溪镇"),
    ("近日，中共武义县委全面依法治县委员会召开会议。", "武义县"),
    ("2023年，在重庆市委、市政府的坚强领导下，区司法局坚持以习近平法治思想为指导，对口支援巫溪县。", None),
    ("2023年，我镇坚持以习近平法治思想为指导，认真落实《重庆市行政执法监督条例》。", None),
])
def test_subject_of_the_opening(opening, subject):
    assert subject_of(opening) == subject


def test_header_beats_signature_beats_opening():
    tiers = [["巫溪县司法局"], [], ["武义县泉溪镇人民政府"], ["九龙坡区"]]
    assert resolve_tiers(tiers, [], 2023).code == "500238"
    assert resolve_tiers([[], [], ["武义县泉溪镇人民政府"], ["九龙坡区"]], [], 2023).code == "330723103"
    assert resolve_tiers([[], [], [], ["九龙坡区"]], [], 2023).code == "500107"


def test_ambiguity_is_kept_unless_a_later_tier_names_a_candidate():
    assert resolve_tiers([["江北区司法局"], [], ["重庆市江北区人民政府"]], [], 2023).code == "500105"
    stays = resolve_tiers([["江北区司法局"], [], ["九龙坡区人民政府"]], [], 2023)
    assert stays.code is None and {c["code"] for c in stays.candidates} == {"330205", "500105"}


def _juris(text):
    j = parse_bytes(text.encode("utf-8"), "page.txt").jurisdiction.as_json()
    return j["name"], j["code"], j["level"]


def test_report_without_a_named_header_resolves_from_the_opening():
    text = ("2023年法治政府建设年度报告\n发布时间：2024-03-20\n"
            "2023年，通城县人民政府坚持以习近平新时代中国特色社会主义思想为指导，在咸宁市委、市政府的坚强领导下，"
            "对口支援巫溪县通城镇，全面推进法治政府建设。现将有关情况报告如下：\n一、主要举措\n")
    assert _juris(text) == ("湖北省咸宁市通城县", "421222", "county")


def test_township_report_resolves_from_its_signature():
    text = ("关于2023年度法治政府建设工作情况的报告\n"
            "今年以来，在县委、县政府的坚强领导下，我镇坚持以习近平法治思想为指导，全面推进依法行政。\n"
            "一、主要工作\n（一）加强组织领导。\n\n武义县泉溪镇人民政府\n2024年1月10日\n")
    assert _juris(text) == ("浙江省金华市武义县泉溪镇", "330723103", "township")


def test_news_item_from_its_source_line():
    text = ("泉溪镇召开2023年法治政府建设工作推进会\n来源：衡南县司法局 发布时间：2023-06-12 09:30\n"
            "近日，泉溪镇召开2023年法治政府建设工作推进会，镇党委书记出席会议并讲话。\n")
    assert _juris(text) == ("湖南省衡阳市衡南县泉溪镇", "430422109", "township")


def test_places_merely_mentioned_are_not_the_jurisdiction():
    text = ("2023年法治政府建设工作情况\n"
            "2023年，在市委、市政府的坚强领导下，区司法局坚持以习近平法治思想为指导，赴九龙坡区学习考察，"
            "对口支援巫溪县，全面推进依法行政。\n")
    assert _juris(text) == (None, None, None)


def test_unknown_place_is_null():
    res = resolve(["某某机关"], [], 2023)
    assert res.code is None and res.candidates == []


def test_a_city_that_was_once_county_level_does_not_outrank_its_county():
    """湖州市 was a county-level city in 1981-83: in a 2023 report the county in the title wins."""
    from ingest.parse.jurisdiction import resolve

    res = resolve(["浙江省湖州市长兴县司法局2023年法治政府建设年度报告"], [], 2023)
    assert (res.name, res.code) == ("浙江省湖州市长兴县", "330522")


def test_the_city_named_picks_among_namesakes_in_one_province():
    from ingest.parse.jurisdiction import resolve

    res = resolve(["江苏省南京市鼓楼区司法局关于2018年度法治政府建设工作情况的报告"], [], 2018)
    assert res.code == "320106"
    assert resolve(["西藏自治区山南市桑日县2016年法治政府建设年度报告"], [], 2016).code == "540523"


def test_place_names_by_dictionary_scan_match_the_trie_regex_on_real_text():
    # WordScan replaced the trie regex for place names (5x faster); it must find the same names.
    import re

    from conftest import SEEDS
    from ingest.parse.jurisdiction import _index
    from ingest.text import WordScan, trie_pattern

    idx, scan = _index()
    regex = re.compile(trie_pattern(idx))
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        found = list(scan.finditer(text))
        assert found and found == [(m.start(), m.end(), m.group()) for m in regex.finditer(text)]
    # Longest word at a position, then on after it; overlapping shorter words are not found.
    small = WordScan(["南京", "南京市", "京市", "鼓楼区", "市"])
    assert list(small.finditer("江苏省南京市鼓楼区市")) == [(3, 6, "南京市"), (6, 9, "鼓楼区"), (9, 10, "市")]
    assert list(WordScan([]).finditer("南京")) == []
