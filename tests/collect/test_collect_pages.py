"""What fazhi.collect.pages finds on the page shapes of government columns (no network)."""
from __future__ import annotations

from fazhi.collect.pages import (attachment_ext, is_report_title, parse_detail, parse_list, same_site, script_pages,
                                 title_year)

BASE = "http://www.example-county.gov.cn/zwgk/fzzf/"


def test_static_numbered_pages_and_records():
    html = ('<ul><li><a href="./202403/t20240301_1.html" title="某县2023年法治政府建设年度报告">某县2023年法治...</a></li>'
            '<li><a href="../../other/t2.html">关于召开会议的通知</a></li></ul>'
            '<div class="page"><a href="index_1.html">下一页</a> <a href="index_9.html">尾页</a>'
            '<a href="/about.html">关于我们</a></div>')
    got = parse_list(html, BASE + "index.html")
    assert [(r.url, r.title) for r in got.records][0] == (BASE + "202403/t20240301_1.html", "某县2023年法治政府建设年度报告")
    assert got.pages == [BASE + "index_1.html", BASE + "index_9.html"]
    assert got.next_query is None


def test_script_page_count_writes_the_pages():
    html = '<ul></ul><script language="JavaScript">createPageHTML(3, 0, "index", "shtml");</script>'
    assert parse_list(html, BASE + "index.shtml").pages == [BASE + "index_1.shtml", BASE + "index_2.shtml"]
    assert script_pages("var countPage = 2//共多少页", BASE + "index_1.html") == [BASE + "index.html", BASE + "index_1.html"]
    assert len(script_pages("createPageHTML(999999, 0, 'index', 'html')", BASE + "index.html")) == 500


def test_records_in_script_cdata():
    html = ('<div id="div1"><script type="text/xml"><datastore><recordset>'
            '<record><![CDATA[<li><a href="/art/2024/3/1/art_1_9.html" title="某市2023年度法治政府建设情况报告">x</a>'
            '<span>2024-03-01</span></li>]]></record></recordset></datastore></script></div>')
    got = parse_list(html, "http://www.example-city.gov.cn/col/col12/index.html")
    assert [(r.url, r.title) for r in got.records] == [
        ("http://www.example-city.gov.cn/art/2024/3/1/art_1_9.html", "某市2023年度法治政府建设情况报告")]


def test_query_string_pages():
    got = parse_list('<li><a href="show.jsp?id=1">某区2022年法治政府建设工作总结</a></li>',
                     "http://h.gov.cn/list.jsp?catid=8&page=2")
    assert got.next_query == "http://h.gov.cn/list.jsp?catid=8&page=3"
    assert parse_list("<li></li>", "http://h.gov.cn/list.jsp?catid=8", "query").next_query is None


def test_report_titles_and_years():
    assert is_report_title("某县人民政府关于2023年度法治政府建设工作情况的报告")
    assert is_report_title("某市二〇二二年法治政府建设工作总结")
    assert not is_report_title("某县法治政府建设工作情况的报告")        # no year
    assert not is_report_title("2023年政府信息公开工作年度报告")
    assert is_report_title("某局年度工作报告", r"年度工作报告")
    assert title_year("关于2023年法治政府建设情况的报告（2024年3月）") == 2023
    assert title_year("二〇二一年法治政府建设年度报告") == 2021


def test_attachments_of_a_report_page():
    html = ('<p><a href="P020240301.pdf">附件</a><a href="/module/download/downfile.jsp?classid=0&filename=abc.docx">下载</a>'
            '<a href="a.WPS">wps</a><a href="x.ofd">ofd</a><a href="t.xls">表</a><a href="other.html">相关</a></p>')
    got = [a.url.rsplit("/", 1)[-1] for a in parse_detail(html, BASE + "t1.html")]
    assert got == ["P020240301.pdf", "downfile.jsp?classid=0&filename=abc.docx", "a.WPS", "x.ofd", "t.xls"]
    assert attachment_ext(BASE + "a.WPS") == "wps"


def test_same_site():
    assert same_site("http://www.example.gov.cn/a", {"www.example.gov.cn"})
    assert not same_site("http://www.example.gov.cn.evil.com/a", {"www.example.gov.cn"})
    assert not same_site("http://127.0.0.2:8000/a", {"127.0.0.1"})
