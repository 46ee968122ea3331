from ingest.text.trie import WordScan


def test_a_word_at_the_end_of_the_text_ends_there():
    scan = WordScan(["潍坊", "潍坊市区", "大连"])
    # A longer word that would run past the end must not match the shorter slice Python gives.
    assert list(scan.finditer("潍坊")) == [(0, 2, "潍坊")]
    assert list(scan.finditer("去大连")) == [(1, 3, "大连")]
    assert list(scan.finditer("潍坊市区有")) == [(0, 4, "潍坊市区")]


def test_a_pictures_file_name_holds_no_figure():
    from ingest.text.numbers import find_numbers

    found = [n.value for n in find_numbers("宣传月活动走深走实1.png 全市举办讲座12场，附件2.PDF，比例3.5%")]
    assert found == [12, 3.5]
