"""Pages in traditional characters read as simplified, one character for one (read/script.py)."""
import json
import subprocess
import sys

import opencc
import pytest

from conftest import ROOT, SEEDS
from ingest.parse import parse_file
from ingest.read import read_bytes
from ingest.read.script import to_simplified

S2T = opencc.OpenCC("s2t")   # the library the reader converts back with, the other way


def _facts(parsed):
    return [(m.indicator, m.value, m.unit, m.scope, m.qualifier, m.breakdown, m.start, m.end) for m in parsed.metrics]


@pytest.fixture(scope="module")
def pairs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("traditional")
    out = []
    for seed in SEEDS:
        traditional = tmp / seed.name
        traditional.write_text(S2T.convert(seed.read_text(encoding="utf-8")), encoding="utf-8")
        out.append((parse_file(seed), parse_file(traditional), traditional))
    return out


def test_the_samples_in_traditional_characters_give_the_same_report(pairs):
    for simplified, traditional, path in pairs:
        # The file really is in traditional characters: most of what the catalogue matches on is not.
        assert "行政復議" in path.read_text(encoding="utf-8") or "複議" in path.read_text(encoding="utf-8")
        assert simplified.metrics and _facts(traditional) == _facts(simplified)
        assert traditional.meta.title == simplified.meta.title
        assert traditional.meta.report_year == simplified.meta.report_year
        assert traditional.meta.issuer == simplified.meta.issuer
        assert traditional.jurisdiction.as_json() == simplified.jurisdiction.as_json()
        for m in traditional.metrics:
            assert traditional.doc.text[m.start:m.end] == m.evidence
        assert any(w.startswith("converted ") and "from traditional to simplified" in w for w in traditional.warnings)
        assert not any("traditional" in w for w in simplified.warnings)


def test_the_converted_text_is_the_original_one_for_one(pairs):
    """s2t then the reader's t2s gives the samples back exactly: no character moved."""
    for simplified, traditional, _ in pairs:
        assert traditional.doc.text == simplified.doc.text


def test_big5_page():
    text = "某縣2023年度法治政府建設情況報告\n全年新收行政復議案件36件，糾錯率為8.3%，行政機關負責人出庭應訴率為100%。\n"
    doc = read_bytes(text.encode("big5"), "page.txt")
    assert "行政复议案件36件" in doc.text and "纠错率为8.3%" in doc.text and len(doc.text) == len(text)
    assert any("from traditional to simplified" in w for w in doc.warnings)


def test_words_decide_ambiguous_characters():
    # 乾 is 干 in 乾燥 and stays in 乾坤 (OpenCC's phrase table); lengths never change.
    out, changed = to_simplified("機關扭轉乾坤，場地保持乾燥，於是")
    assert out == "机关扭转乾坤，场地保持干燥，于是" and changed == 6


@pytest.mark.parametrize("text", [
    "2023年，全县办理行政复议案件12件。",               # plain simplified
    "引用台湾地区《行政程序法》时写作“行政機關”，全县办理行政复议案件12件，于某某同志。",   # a quoted phrase
    "乾隆年间的於氏宗祠修缮后，全县办理行政复议案件12件。",  # characters t2s would change, in simplified text
])
def test_simplified_pages_stay_as_written(text):
    assert to_simplified(text) == (text, 0)


def test_parse_json_reports_the_conversion(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(S2T.convert(SEEDS[0].read_text(encoding="utf-8")), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "fazhi", "parse", str(page), "--json"],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    report = json.loads(out.splitlines()[0])
    assert any("from traditional to simplified" in w for w in report["warnings"])
    assert report["metrics"] and all("复议" in m["evidence"] or "復" not in m["evidence"] for m in report["metrics"])
