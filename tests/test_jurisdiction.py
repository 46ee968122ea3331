"""Resolving names to GB/T 2260 codes across history, with context, and refusing to guess."""
from ingest.jurisdiction import credit_code_division, lineage_ids, resolve


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
    assert (res.name, res.level, res.code) == ("重庆市渝北区两路街道", "township", None)
    assert res.division.code == "500112"


def test_unknown_place_is_null():
    res = resolve(["某某机关"], [], 2023)
    assert res.code is None and res.candidates == []
