"""Titles as pages print them (data/titles.yaml): what stands around the title is not part of it;
joint reports keep every issuer; the body a title names reports, not the office that posted it."""
import pytest

from ingest.parse import parse_bytes
from ingest.parse.titles import clean_title

BODY = ("2023年，我县坚持以习近平新时代中国特色社会主义思想为指导，深入推进法治政府建设，现将有关情况报告如下。\n"
        "一、主要举措\n全年办理行政复议案件12件，行政机关负责人出庭应诉率100%。\n")
TITLE = "东平县人民政府关于2023年度法治政府建设情况的报告"


def parse(head: str, signed: str = ""):
    """A page: its head, the body, then a signature and date when given."""
    tail = f"\n{signed}\n2024年3月28日\n" if signed else ""
    return parse_bytes((head + BODY + tail).encode("utf-8"), "page.txt")


@pytest.mark.parametrize("heading", [
    f"[东政发〔2024〕7号]{TITLE}",            # a document number in brackets
    f"〔东政发〔2024〕7号〕 {TITLE}",          # in tortoise-shell brackets, spaced
    f"（东政办发[2024]12号） {TITLE}",        # round brackets, square year brackets
    f"东政发〔2024〕7号 {TITLE}",              # no brackets, a space before the title
    f"【年度报告】{TITLE}",                    # a column tag
    f"【法治政府建设】 【年度报告】{TITLE}",    # two
    f"• {TITLE}",                              # a bullet
    f"· {TITLE}",
    f"东平县人民政府门户网站 - {TITLE}",        # a site's name first
    f"东平县政府网｜{TITLE}",
    f"{TITLE}_政策文件_东平县人民政府门户网站",  # a page title's trail
    f"{TITLE} - 东平县人民政府",
])
def test_what_surrounds_a_title_is_stripped(heading):
    assert clean_title(heading) == TITLE
    p = parse(heading + "\n")
    assert p.meta.title == TITLE
    assert p.meta.issuer == "东平县人民政府"
    assert p.jurisdiction.as_json()["code"] == "370923"


@pytest.mark.parametrize("heading", [
    TITLE,
    "【东平县】2023年度法治政府建设情况报告",     # a place in brackets says whose report it is
    "关于2023年度法治政府建设情况的报告（征求意见稿）",
])
def test_a_title_alone_is_kept(heading):
    assert clean_title(heading) == heading


def test_a_bare_column_tag_is_no_title():
    p = parse("【年度报告】\n东平县2023年度法治政府建设情况报告\n")
    assert p.meta.title == "东平县2023年度法治政府建设情况报告"


def test_a_place_alone_on_the_first_line_of_a_split_heading():
    p = parse("东平县\n2023年度法治政府建设情况报告\n")
    assert p.meta.title == "东平县2023年度法治政府建设情况报告"


def test_a_joint_report_keeps_every_issuer():
    p = parse("中共东平县委 东平县人民政府关于2023年度法治政府建设情况的报告\n", signed="中共东平县委 东平县人民政府")
    assert p.meta.title == "中共东平县委 东平县人民政府关于2023年度法治政府建设情况的报告"
    assert p.meta.issuer == "中共东平县委 东平县人民政府"
    assert p.jurisdiction.as_json()["code"] == "370923"
    assert p.meta.published_on.isoformat() == "2024-03-28"
    # Over two lines, the committee written in full.
    p = parse("中共东平县委员会 东平县人民政府\n关于2023年度法治政府建设情况的报告\n")
    assert p.meta.title == "中共东平县委员会 东平县人民政府关于2023年度法治政府建设情况的报告"
    assert p.meta.issuer == "中共东平县委员会 东平县人民政府"


def test_the_body_named_in_the_title_over_the_office_that_posted_it():
    p = parse(f"{TITLE}\n发布机构：东平县人民政府办公室  发布日期：2024-03-28\n")
    assert p.meta.issuer == "东平县人民政府"
    # With no body in the title, the label names the issuer.
    p = parse("东平县2023年度法治政府建设情况报告\n发布机构：东平县司法局  发布日期：2024-03-28\n")
    assert p.meta.issuer == "东平县司法局"


def test_the_signature_over_the_posting_office():
    p = parse("东平县2023年度法治政府建设情况报告\n发布机构：东平县人民政府办公室\n", signed="东平县司法局")
    assert p.meta.issuer == "东平县司法局"
