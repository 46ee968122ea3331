"""The compiled tokeniser cuts as jieba does, with the domain dictionary (parser unit tests, no
database). Where rjieba is not installed the fallback is jieba itself and the comparison is moot."""
import json

import pytest

from conftest import FIXTURES, SEEDS
from ingest.parse import tokenize

rjieba = pytest.importorskip("rjieba")


def _words(tokens):
    return [w for w in tokens if len(w.strip()) >= 2]   # what keyword ranking reads


def test_rjieba_cuts_the_seeds_and_the_suite_as_jieba_does():
    jieba = tokenize._jieba()
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    suite = FIXTURES / "shared" / "conformance" / "extraction.jsonl"
    texts += [json.loads(line)["text"] for line in suite.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert tokenize.engine_name() == "rjieba"
    for text in texts:
        assert _words(tokenize.cut(text)) == _words(jieba.lcut(text))


def test_user_dictionary_words_stay_whole():
    assert "行政复议案件" in tokenize.cut("全年共办理行政复议案件57件")


def test_non_chinese_runs_split_as_jieba_splits_them():
    assert tokenize.cut("2024-02-23发布,纠错率12.5%")[:5] == ["2024", "-", "02", "-", "23"]
    assert "12.5%" in tokenize.cut("2024-02-23发布,纠错率12.5%")
