"""Keywords of every measure from one jieba cut of the report, equal to jieba's own per measure."""
from conftest import SEEDS
from ingest.parse import parse_file
from ingest.parse.tagging import _STOP, keyword_tables, measure_keywords
from ingest.parse.tokenize import _jieba as real_jieba


def test_keywords_from_one_cut_are_jiebas_own():
    """Against jieba itself (pure Python, with the domain dictionary), whichever tokeniser runs."""
    analyse = keyword_tables()
    real_jieba()   # jieba.analyse cuts with jieba's default tokenizer, now holding the user words
    for path in SEEDS:
        measures = parse_file(path, with_keywords=False).measures
        top = 8 + len(_STOP)
        assert measure_keywords(measures, analyse, top) == [analyse.extract_tags(m.text, topK=top) for m in measures]
