"""The number normaliser: public conformance cases, report phrasings, properties."""
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from ingest.read.normalize import normalize
from ingest.text import find_numbers, format_number, parse_numeral

CASES = [json.loads(line) for line in (FIXTURES / "chinese_numbers.jsonl").read_text(encoding="utf-8").splitlines()]


def first_value(case):
    mentions = find_numbers(normalize(case["input"]))
    if case["kind"] == "percent":
        mentions = [m for m in mentions if m.kind in ("percent", "points")]
    return float(mentions[0].value) if mentions else None


def _ok(case):
    got = first_value(case)
    return got is not None and abs(got - case["expected"]) <= 1e-9 * max(1, abs(case["expected"]))


def test_conformance_pass_rate():
    failures = [c["input"] for c in CASES if not _ok(c)]
    rate = 1 - len(failures) / len(CASES)
    print(f"conformance: {len(CASES) - len(failures)}/{len(CASES)} = {rate:.2%}")
    assert len(CASES) == 399
    assert rate >= 0.98, failures
    assert not failures, f"every failure must be fixed or explained in a test: {failures}"


@pytest.mark.parametrize("text, value, unit, qualifier, kind", [
    ("挽回经济损失491.19万元", Decimal("4911900"), "元", None, "number"),
    ("挽回经济损失1929万余元", Decimal("19290000"), "元", "余", "number"),
    ("调解矛盾纠纷近6400余件", Decimal("6400"), "件", "近", "number"),
    ("化解率达到99%以上", Decimal("99"), "%", "以上", "percent"),
    ("出庭应诉率同比提高5个百分点", Decimal("5"), "个百分点", None, "points"),
    ("受理案件一百零五件", Decimal("105"), "件", None, "number"),
    ("培训两千人次", Decimal("2000"), "人次", None, "number"),
    ("约1.2万人", Decimal("12000"), "人", "约", "number"),
    ("投入3亿元", Decimal("300000000"), "元", None, "number"),
    ("共12,784件", Decimal("12784"), "件", None, "number"),
    ("不足百分之五", Decimal("5"), "%", "不足", "percent"),
    ("超过200起", Decimal("200"), "起", "超", "number"),
    ("办理案件２３件", Decimal("23"), "件", None, "number"),
    ("法治宣传活动117 次", Decimal("117"), "次", None, "number"),
])
def test_report_phrasings(text, value, unit, qualifier, kind):
    m = find_numbers(normalize(text))[0]
    assert (m.value, m.unit, m.qualifier, m.kind) == (value, unit, qualifier, kind)


def test_bare_zero_is_read():
    m = find_numbers("复议后败诉率为0。")[0]
    assert m.value == 0 and m.unit is None


def test_yi_in_words_is_not_a_count():
    assert [m.value for m in find_numbers("统一规范,一站式服务,这一批案件共5件")] == [Decimal(5)]


def test_metric_prefix_qian_is_a_unit():
    # 千 of 千米/千克 is not a multiplier, but 两千 is a numeral.
    assert find_numbers("二十五千克")[0].value == 25
    assert find_numbers("两千米")[0].value == 2000


@pytest.mark.parametrize("s, v", [("一万零十二", 10012), ("四亿五千六百四十二万零一十五", 456420015),
                                  ("1,100.9亿", 110090000000), ("负六点六", Decimal("-6.6")), ("一百五", None)])
def test_parse_numeral(s, v):
    assert parse_numeral(s) == (None if v is None else Decimal(v))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normaliser_never_raises(text):
    for m in find_numbers(normalize(text)):
        assert 0 <= m.qualifier_start <= m.start < m.end <= len(text)


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_formatted_numbers_round_trip(value):
    text = f"共{format_number(value)}件"
    found = find_numbers(text)
    assert len(found) == 1 and found[0].value == value and found[0].unit == "件"
