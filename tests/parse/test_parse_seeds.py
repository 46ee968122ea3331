"""The bundled seeds against the hand-checked gold (fixtures/gold/seeds.jsonl)."""
import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, ROOT, SEEDS
from ingest.parse import parse_bytes, parse_file

GOLD = [json.loads(line) for line in (FIXTURES / "shared" / "gold" / "seeds.jsonl").read_text(encoding="utf-8").splitlines()]
REPORTS = {g["doc"]: g for g in GOLD if g["kind"] == "report"}


@pytest.fixture(scope="module")
def parsed():
    return {p.name: parse_file(p) for p in SEEDS}


@pytest.mark.parametrize("doc", sorted(REPORTS))
def test_metadata_equals_gold(parsed, doc):
    gold, p = REPORTS[doc], parsed[doc]
    j = p.jurisdiction.as_json()
    assert p.meta.title == gold["title"]
    assert (j["name"], j["code"], j["level"]) == (gold["jurisdiction"], gold["jurisdiction_code"], gold["level"])
    assert p.meta.report_year == gold["report_year"]
    assert p.meta.published_on.isoformat() == gold["published_on"]
    assert p.meta.issuer == gold["issuer"]


def test_every_evidence_is_the_text_at_its_offsets(parsed):
    for p in parsed.values():
        for m in p.metrics:
            assert p.doc.text[m.start:m.end] == m.evidence
            assert m.measure_ordinal is not None
            measure = next(x for x in p.measures if x.ordinal == m.measure_ordinal)
            assert measure.start <= m.start and m.end <= measure.end + 1


def test_score_against_gold(tmp_path):
    """The CLI's JSON through the shared scorer: core precision >= 0.98, core F1 >= 0.95."""
    pred = tmp_path / "pred.jsonl"
    with pred.open("w") as fh:
        subprocess.run([sys.executable, "-m", "fazhi", "parse", *map(str, SEEDS), "--json"],
                       stdout=fh, check=True, cwd=ROOT)
    out = subprocess.run([sys.executable, str(FIXTURES / "shared" / "tools" / "score.py"), "--gold", str(FIXTURES / "shared" / "gold" / "seeds.jsonl"),
                          "--pred", str(pred)], capture_output=True, text=True, check=True).stdout
    print(out)
    core = next(line for line in out.splitlines() if line.strip().startswith("core "))
    precision, recall, f1 = map(float, core.split()[1:4])
    assert precision >= 0.98 and f1 >= 0.95
    for field in ("title", "jurisdiction", "level", "report_year", "published_on", "issuer"):
        assert f"{field:18s} 5/5" in out
    # Scope and qualifier of every scored fact. (score.py pairs facts and predictions on
    # indicator and value alone, so two figures of one value in two scopes can swap partners there.)
    preds = {json.loads(line)["source"].split("/")[-1]: json.loads(line) for line in pred.read_text().splitlines()}
    for g in GOLD:
        if g["kind"] == "metric" and not g.get("optional"):
            got = {(m["indicator"], m["value"], m["scope"], m["qualifier"]) for m in preds[g["doc"]]["metrics"]
                   if not m["breakdown"]}
            assert (g["indicator"], g["value"], g["scope"], g["qualifier"]) in got, g


def test_parse_json_contract_and_error_lines(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    run = subprocess.run([sys.executable, "-m", "fazhi", "parse", str(SEEDS[0]), str(bad), str(SEEDS[1]), "--json"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1, run.stderr   # some file could not be read
    out = run.stdout.splitlines()
    rows = [json.loads(line) for line in out]
    assert [r["source"] for r in rows] == [str(SEEDS[0]), str(bad), str(SEEDS[1])]
    assert rows[1] == {"source": str(bad), "error": "empty file"}
    first = rows[0]
    assert {"source", "title", "jurisdiction", "issuer", "report_year", "published_on", "measures", "metrics",
            "warnings"} <= set(first)
    assert first["warnings"] == []
    m = first["metrics"][0]
    assert set(m) == {"indicator", "value", "unit", "qualifier", "scope", "breakdown", "evidence", "start", "end",
                      "measure_ordinal", "out_of_range", "mechanism", "confidence", "place"}
    assert 0 < m["confidence"] <= 1 and m["place"] is None
    assert m["out_of_range"] is False
    assert {"ordinal", "section", "heading", "text", "start", "end", "topics", "keywords"} <= set(first["measures"][0])


def test_breadcrumb_is_not_the_title():
    from ingest.parse.metadata import extract_metadata

    text = ("首页 > 信息公开 > 法定主动公开内容 > 法治政府建设年度报告\n\n"
            "南京市鼓楼区人民政府关于2022年度法治政府建设工作情况的报告\n\n发布日期：2023年03月28日\n\n"
            "2022年，区政府深入学习贯彻习近平法治思想。\n")
    meta = extract_metadata(text)
    assert meta.title == "南京市鼓楼区人民政府关于2022年度法治政府建设工作情况的报告"
    assert (meta.report_year, meta.published_on.isoformat()) == (2022, "2023-03-28")


def test_split_heading_and_chinese_year():
    from ingest.parse.metadata import extract_metadata

    text = ("XX网站\n\n某某县人民政府\n关于二〇二三年度法治政府建设情况的报告\n\n"
            "二〇二三年，县政府坚持依法行政。\n\n某某县人民政府\n二〇二四年三月十五日\n")
    meta = extract_metadata(text)
    assert meta.title == "某某县人民政府关于二〇二三年度法治政府建设情况的报告"
    assert meta.report_year == 2023
    assert meta.published_on.isoformat() == "2024-03-15"
    assert meta.issuer == "某某县人民政府"


SEED_LINES = [line for p in SEEDS for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(SEED_LINES),
                         st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=40)),
                min_size=1, max_size=12),
       st.sampled_from([None, True]))
def test_any_text_with_chinese_is_parsed_not_refused(parts, html):
    """Real report lines mixed with arbitrary text, as text or as a page: a result, never an error."""
    text = "\n".join(parts) + "\n全年推进法治政府建设工作"  # ten Chinese characters at least
    data = (f"<html><body><p>{text}</p></body></html>" if html else text).encode("utf-8")
    parsed = parse_bytes(data, "any.txt", is_html=html)
    for m in parsed.metrics:
        assert parsed.doc.text[m.start:m.end] == m.evidence
