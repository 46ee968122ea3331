"""Measures: the numbered hierarchy, section kinds, and topics."""
from conftest import seed_text
from ingest.extract.spans import innermost
from ingest.parse.measures import split_measures
from ingest.parse.metadata import extract_metadata
from ingest.parse.tagging import tag
from ingest.read.normalize import normalize


def measures_of(prefix):
    text = normalize(seed_text(prefix))
    meta = extract_metadata(text)
    ms = split_measures(text, meta.body_start)
    tag(ms)
    return text, ms


def test_hierarchy_paths_and_offsets():
    text, ms = measures_of("000")
    sections = [m.section for m in ms]
    assert sections[:4] == ["", "一", "一.(一)", "一.(一).一是"]
    assert "一.(三).一是" in sections
    for m in ms:
        assert text[m.start:m.end] == m.text
        if m.parent_ordinal is not None:
            parent = ms[m.parent_ordinal]
            assert parent.start <= m.start and m.end <= parent.end
    m = next(m for m in ms if m.section == "一.(三).一是")
    assert m.heading == "行政复议应诉工作深化推进"
    assert innermost(ms, text.index("一审开庭83件")).ordinal == m.ordinal


def test_arabic_numbered_level():
    _, ms = measures_of("001")
    assert "一.(二).2.三是" in [m.section for m in ms]


def test_problems_and_plans_are_marked():
    _, ms = measures_of("002")
    kinds = {m.section: m.section_kind for m in ms if m.depth == 1}
    assert kinds == {"一": "results", "二": "results", "三": "problems", "四": "plans"}
    _, ms = measures_of("001")
    assert all(m.section_kind == "results" for m in ms if m.section.startswith("一."))


def test_topics_and_keywords():
    _, ms = measures_of("000")
    m = next(m for m in ms if m.section == "一.(三).一是")
    assert {"行政复议", "行政应诉"} <= set(m.topics)
    assert any(k in m.keywords for k in ("行政复议案件", "行政复议", "出庭"))
    plans = [m for m in ms if m.section_kind == "plans"]
    assert plans and all("下一步工作" in m.topics for m in plans)


def test_parenthesised_arabic_level():
    text = "一、主要举措\n(一)行政复议\n1.规范办案\n(1)收案情况。全年收案10件。\n(2)审结情况。\n二、存在的问题\n"
    ms = split_measures(text, 0)
    assert [m.section for m in ms] == ["一", "一.(一)", "一.(一).1", "一.(一).1.(1)", "一.(一).1.(2)", "二"]
    assert ms[3].heading == "收案情况"


def test_page_without_line_breaks():
    text = ("2023年，区政府全面推进依法行政。一、主要举措和成效 (一)行政应诉。全年行政机关负责人出庭应诉率达95%。"
            "二、主要问题 基层力量薄弱。三、2024年主要安排 一是力保出庭应诉率达到100%。")
    ms = split_measures(text, 0)
    assert [(m.section, m.section_kind) for m in ms] == [
        ("", "preamble"), ("一", "results"), ("一.(一)", "results"), ("二", "problems"), ("三", "plans"),
        ("三.一是", "plans")]
    assert ms[2].heading == "行政应诉"
    from ingest.extract import extract_metrics

    assert [(m.indicator, m.value) for m in extract_metrics(text, ms)] == [("litigation.head_appearance_rate", 95)]
