"""The review pages in a real browser (issue 22): the distribution's Chromium, driven by Playwright,
against the real `fazhi web` in a child process on the test warehouse (the samples and two hostile
reports, ingested and built). A reviewer logs in and, by keyboard, confirms, corrects, deletes and
adds a figure (the added one from a passage selected in the text); after the real `fazhi build` the
marts show all four with the reviewer and the reason. A report's markup renders as text and a POST
without the CSRF token is refused."""
from __future__ import annotations

import shutil

import pytest
from sqlalchemy import text

from browserkit import PASSWORD, WebServer, fazhi, launch, login, need_browser, select_passage
from conftest import SEEDS

pytestmark = pytest.mark.db

MISSED = "参与调解矛盾纠纷150余件"    # in the 蓟州 sample; the parser reads no mediation.disputes there
HOSTILE_TXT = """重庆市大足区人民政府关于2023年度法治政府建设情况的报告

日期:2024-02-20

2023年,大足区坚持以习近平法治思想为指导,全面推进法治政府建设。现将有关情况报告如下:

一、主要举措和成效

(一)推进行政复议工作。全年办理行政复议案件52件<script>alert(1)</script>,审结行政复议案件50件。
(二)加强普法宣传。开展法治宣传活动120场次,详见<a href="javascript:alert(2)">x</a>附件。

二、存在的不足

基层法治力量仍较薄弱。
"""
# Markup the HTML reader drops (a script, an event handler) and markup it keeps as text (escaped).
HOSTILE_HTML = """<!doctype html><html><head><meta charset="utf-8">
<title>重庆市铜梁区人民政府关于2023年度法治政府建设情况的报告</title><script>alert(4)</script></head><body>
<h1>重庆市铜梁区人民政府关于2023年度法治政府建设情况的报告</h1><p>日期:2024-02-21</p>
<p>2023年,铜梁区坚持以习近平法治思想为指导,全面推进法治政府建设。</p>
<h2>一、主要举措和成效</h2>
<p>(一)推进行政应诉工作。全年行政应诉案件31件&lt;script&gt;alert(3)&lt;/script&gt;,行政机关负责人出庭应诉率100%。</p>
<p>(二)加强普法宣传。开展法治宣传活动88场次,<a href="javascript:alert(5)" onclick="alert(6)">详见附件</a>。</p>
<img src="x" onerror="alert(7)"></body></html>
"""


def rows(sql: str, **params) -> list[dict]:
    from fazhi.warehouse import engine

    with engine().connect() as conn:
        return [dict(r) for r in conn.execute(text(sql), params).mappings()]


@pytest.fixture(scope="module")
def sync_api():
    return need_browser()     # first: a missing browser skips before the warehouse is made


@pytest.fixture(scope="module")
def site(sync_api, fresh_schema, tmp_path_factory):
    """The warehouse with the samples and the hostile reports, the real server, one browser logged in."""
    from fazhi.warehouse import engine
    from fazhi.warehouse.dbt import build_marts
    from ingest.load import ingest_paths

    folder = tmp_path_factory.mktemp("reports")
    for seed in SEEDS:
        shutil.copy(seed, folder / seed.name)
    (folder / "hostile_dazu.txt").write_text(HOSTILE_TXT, encoding="utf-8")
    (folder / "hostile_tongliang.html").write_text(HOSTILE_HTML, encoding="utf-8")
    outcomes = ingest_paths(engine(), [folder], jobs=1)   # 7 small files: no worker pool
    assert outcomes.count("loaded") == len(SEEDS) + 2, outcomes
    assert build_marts(["build", "--quiet"]) == 0
    added = fazhi("web", "--add-reviewer", "alice", "--password-stdin", input=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr

    server = WebServer()
    pw = sync_api.sync_playwright().start()
    browser = launch(pw)
    try:
        page = browser.new_page()
        login(page, server.url)
        page.close()
        yield server.url, browser
    finally:
        browser.close()
        pw.stop()
        server.stop()


@pytest.fixture
def page(site):
    base, browser = site
    p = browser.new_page()
    dialogs = []
    p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    p.dialogs = dialogs
    yield p
    p.close()


def go_to_card(page, metric_id: int) -> None:
    """Move the selection with j / k until the figure's card is the selected one."""
    keys = page.eval_on_selector_all("#cards .card[data-key]", "cs => cs.map(c => c.dataset.key)")
    current = page.eval_on_selector("#cards .card.selected", "c => c.dataset.key")
    step = keys.index(f"fig-{metric_id}") - keys.index(current)
    for _ in range(abs(step)):
        page.keyboard.press("j" if step > 0 else "k")
    assert page.eval_on_selector("#cards .card.selected", "c => c.dataset.key") == f"fig-{metric_id}"


def submit_with_enter(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_review_by_keyboard_reaches_the_marts(site, page):
    base, _ = site
    # The queue: j selects its first row, Enter opens that figure on its report page.
    page.goto(f"{base}/queue")
    first = page.locator("#queue-table tr.queue-row").first
    confirmed_id, report_id = int(first.get_attribute("data-metric-id")), int(first.get_attribute("data-report-id"))
    page.keyboard.press("j")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.evaluate("document.body.dataset.page") == "report"
    assert page.url.startswith(f"{base}/report/{report_id}?f={confirmed_id}")
    assert page.locator("#cards .card.selected").get_attribute("data-key") == f"fig-{confirmed_id}"

    # c confirms the selected figure.
    with page.expect_navigation():
        page.keyboard.press("c")
    assert "confirmed" in page.inner_text("#flash")
    assert page.get_attribute(f"#card-fig-{confirmed_id}", "data-status") == "confirmed"
    assert page.get_attribute("#marts-state", "data-stale") == "yes"

    # Two more of this report's own figures: counts whose indicator it states once, not the confirmed one's.
    corrected, deleted = rows("""
        select m.metric_id, m.value from core.metric m join core.indicator i on i.code = m.indicator_code
        where m.report_id = :r and m.breakdown is null and m.place_code is null and m.place_name is null
          and i.unit <> '%' and (m.indicator_code, m.scope) not in (select indicator_code, scope from core.metric
                                                                      where metric_id = :c)
          and (select count(*) from core.metric o where o.report_id = m.report_id
               and o.indicator_code = m.indicator_code and o.scope = m.scope) = 1
        order by m.start_offset limit 2""", r=report_id, c=confirmed_id)
    new_value = int(corrected["value"]) + 1

    # e: the value field gets the focus; the value, Tab, the reason, Enter.
    go_to_card(page, corrected["metric_id"])
    page.keyboard.press("e")
    assert page.evaluate("document.activeElement.id") == f"correct-value-{corrected['metric_id']}"
    page.keyboard.type(str(new_value))
    page.keyboard.press("Tab")
    page.keyboard.type("原件台账核对 ledger says otherwise")
    submit_with_enter(page)
    assert f"corrected to {new_value}" in page.inner_text("#flash")

    # d: the reason field of the delete form gets the focus; the reason, Enter.
    go_to_card(page, deleted["metric_id"])
    page.keyboard.press("d")
    assert page.evaluate("document.activeElement.id") == f"delete-reason-{deleted['metric_id']}"
    page.keyboard.type("重复计数 counted twice")
    submit_with_enter(page)
    assert "deleted" in page.inner_text("#flash")
    assert page.get_attribute(f"#card-fig-{deleted['metric_id']}", "data-status") == "deleted"

    # a: the passage selected in the text becomes the evidence of a missed figure.
    (missed,) = rows("select report_id from core.report where position(:p in text) > 0", p=MISSED)
    assert not rows("""select 1 from core.metric where report_id = :r and indicator_code = 'mediation.disputes'
                       and scope = 'jurisdiction'""", r=missed["report_id"]), "the sample's figure is no longer missed"
    page.goto(f"{base}/report/{missed['report_id']}")
    assert select_passage(page, MISSED) == MISSED
    page.keyboard.press("a")
    assert page.input_value("#add-evidence") == MISSED
    assert page.evaluate("document.activeElement.id") == "add-indicator"
    page.select_option("#add-indicator", "mediation.disputes")
    page.fill("#add-reason", "漏抽: 村居法律顾问参与调解 missed")
    page.focus("#add-reason")
    submit_with_enter(page)
    assert "mediation.disputes 150 added" in page.inner_text("#flash")

    # The real build, then the marts: all four, with the reviewer and the reason.
    built = fazhi("build", "--jobs", "1")     # the samples are loaded already: the dbt build
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    marts = {r["correction_action"]: r for r in rows("""
        select metric_id, report_id, indicator_code, value, extracted_value, is_confirmed, is_corrected,
               is_deleted, is_added, correction_action, corrected_by, correction_reason
        from marts.fct_metric where correction_id is not null""")}
    assert set(marts) == {"confirm", "set", "delete", "add"}, marts
    assert all(r["corrected_by"] == "alice" for r in marts.values()), marts
    assert marts["confirm"]["metric_id"] == confirmed_id and marts["confirm"]["is_confirmed"]
    assert marts["confirm"]["correction_reason"].startswith("核对原文无误")
    assert marts["set"]["metric_id"] == corrected["metric_id"] and marts["set"]["is_corrected"]
    assert marts["set"]["value"] == new_value and marts["set"]["extracted_value"] == corrected["value"]
    assert marts["set"]["correction_reason"] == "原件台账核对 ledger says otherwise"
    assert marts["delete"]["metric_id"] == deleted["metric_id"] and marts["delete"]["is_deleted"]
    assert marts["delete"]["value"] is None and marts["delete"]["correction_reason"] == "重复计数 counted twice"
    assert marts["add"]["metric_id"] is None and marts["add"]["is_added"]
    assert (marts["add"]["report_id"], marts["add"]["indicator_code"]) == (missed["report_id"], "mediation.disputes")
    assert marts["add"]["value"] == 150 and marts["add"]["correction_reason"] == "漏抽: 村居法律顾问参与调解 missed"

    page.reload()
    assert page.get_attribute("#marts-state", "data-stale") == "no"
    assert not page.dialogs


def test_hostile_report_renders_as_text(site, page):
    base, _ = site
    for name, literals in (("hostile_dazu.txt", ["<script>alert(1)</script>", '<a href="javascript:alert(2)">x</a>']),
                           ("hostile_tongliang.html", ["<script>alert(3)</script>"])):
        (report,) = rows("select report_id from core.report_source where source_path like :p", p=f"%/{name}")
        page.goto(f"{base}/report/{report['report_id']}")
        body = page.locator("#report-text")
        shown = body.inner_text()
        for literal in literals:
            assert literal in shown, (name, literal)
            assert body.get_by_text(literal).first.is_visible(), (name, literal)
        assert body.locator("script, img, iframe").count() == 0, name
        assert page.locator('a[href^="javascript:"], [onclick], [onerror]').count() == 0, name
        assert page.locator("script").count() == 1, name     # the page's own review.js, nothing else
        for key in ("j", "j", "k"):                           # walk the figures: nothing wakes up
            page.keyboard.press(key)
        page.locator("#report-text a.fig").first.click()
    page.wait_for_timeout(300)
    assert page.dialogs == [], page.dialogs


FETCH_JS = """async ([url, headers]) => {
  const r = await fetch(url, {method: 'POST', credentials: 'same-origin', headers: headers,
                              body: new URLSearchParams({reason: 'csrf probe'})});
  return [r.status, r.redirected];
}"""


def test_post_without_csrf_token_is_refused(site, page):
    base, _ = site
    (target,) = rows("""select m.report_id, m.metric_id from core.metric m join core.report_source s using (report_id)
        where s.source_path like '%/hostile_dazu.txt' and m.indicator_code = 'reconsideration.closed'""")
    url = f"/report/{target['report_id']}/figure/{target['metric_id']}/confirm"
    before = rows("select count(*) as n from core.correction")[0]["n"]
    page.goto(f"{base}/queue")
    token = page.evaluate("document.body.dataset.csrf")
    assert token

    assert page.evaluate(FETCH_JS, [url, {}]) == [403, False]                         # no token
    assert page.evaluate(FETCH_JS, [url, {"X-CSRF-Token": token[::-1]}]) == [403, False]   # a wrong one
    refused = page.request.post(f"{base}{url}", form={"reason": "csrf probe"}, max_redirects=0)
    assert refused.status == 403
    assert rows("select count(*) as n from core.correction")[0]["n"] == before

    # The same request with the session's token is done: the refusal was the token's.
    assert page.evaluate(FETCH_JS, [url, {"X-CSRF-Token": token}]) == [200, True]
    assert rows("select count(*) as n from core.correction")[0]["n"] == before + 1
