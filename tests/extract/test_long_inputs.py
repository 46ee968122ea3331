"""Inputs shaped to be slow for extraction: a run-on page read in pieces, and the index that finds
each figure's measure checked against the plain definition at every offset of the seeds."""
from conftest import SEEDS, seed_text
from ingest.extract.segment import CLAUSE_DELIMS, MAX_SENTENCE, sentences
from ingest.extract.spans import MeasureIndex, innermost
from ingest.parse import parse_bytes, parse_file


def test_a_run_on_report_is_read_in_pieces_cut_after_a_clause():
    # A page that lost its full stops and line breaks: the body is one "sentence" of 3,900 characters.
    lines = seed_text("002").split("\n")
    body = "，".join(ln.rstrip("。") for ln in lines[16:] if ln.strip()).replace("。", "，")
    run_on = "\n".join(lines[:16]) + "\n" + body + "\n"
    parsed = parse_bytes(run_on.encode("utf-8"), "run-on.txt")
    got = {(m.indicator, m.value) for m in parsed.metrics}
    assert {("reconsideration.corrected", 9), ("reconsideration.handled", 69), ("legal_aid.cases", 1175)} <= got
    for m in parsed.metrics:
        assert parsed.doc.text[m.start:m.end] == m.evidence
    start = parsed.doc.text.index(body[:20])
    end = parsed.doc.text.index("\n", start)
    pieces = list(sentences(parsed.doc.text, start, end))
    assert len(pieces) > 3 and all(p.end - p.start <= MAX_SENTENCE for p in pieces)
    assert all(parsed.doc.text[p.end - 1] in CLAUSE_DELIMS for p in pieces[:-1])
    assert [(p.start, p.end) for p in pieces] == list(zip([start] + [p.end for p in pieces[:-1]], [p.end for p in pieces]))
    assert pieces[-1].end == end


def test_the_measure_index_agrees_with_innermost_everywhere():
    for path in SEEDS:
        parsed = parse_file(path, with_keywords=False)
        index = MeasureIndex(parsed.measures)
        for pos in range(len(parsed.doc.text) + 1):
            assert index.at(pos) is innermost(parsed.measures, pos), (path.name, pos)
