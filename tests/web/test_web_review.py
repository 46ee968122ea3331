"""Reviewing through the pages on a warehouse built from the samples (plus a report of 武隆县 in
2015, the county that is 武隆区 since 2016, and a report with markup in its text): the queue's
order and filters, the four actions then the page's build showing them in marts.fct_metric with
the reviewer and reason, hostile text escaped, a place across its rename, the CSV round trip."""
import csv
import io
import re
import subprocess
import sys

import pytest
from sqlalchemy import text

from conftest import ROOT
from webkit import EXTRA, build, client_factory, load_samples, login, make_app, post, rows  # noqa: F401

pytestmark = pytest.mark.db

WULONG = "500156"


@pytest.fixture(scope="module")
def site(fresh_schema, tmp_path_factory, client_factory):
    from fazhi.warehouse import engine
    from fazhi.web.build import Builder, real_build

    load_samples(tmp_path_factory.mktemp("reports"), EXTRA)
    # One figure the extractor doubted: below the threshold, it waits for a reviewer.
    with engine().begin() as conn:
        conn.execute(text("""update core.metric m set confidence = 0.5 from core.report r
            where r.report_id = m.report_id and r.jurisdiction_name like '%武隆区' and r.report_year = 2023
              and m.indicator_code = 'mediation.success_rate'"""))
    build()
    app = make_app(builder=Builder(real_build()))
    c = client_factory(app)
    assert login(c).status_code == 303
    (wulong,) = rows("select report_id from core.report where jurisdiction_name like '%武隆区' and report_year = 2023")
    (hostile,) = rows("select report_id from core.report where source_path like '%hostile.txt'")
    return {"app": app, "client": c, "wulong": wulong["report_id"], "hostile": hostile["report_id"]}


def metric(report_id: int, code: str, value=None) -> int:
    found = rows("""select metric_id from core.metric where report_id = :r and indicator_code = :c
                    and (cast(:v as numeric) is null or value = cast(:v as numeric)) and breakdown is null""",
                 r=report_id, c=code, v=value)
    assert len(found) == 1, (code, found)
    return found[0]["metric_id"]


def queue_ids(c, **params) -> list[int]:
    page = c.get("/queue", params=params)
    assert page.status_code == 200
    return [int(m) for m in re.findall(r'class="queue-row"[^>]*data-metric-id="(\d+)"', page.text)]


def test_queue_order_and_filters(site):
    c = site["client"]
    queue = rows("select * from marts.review_queue order by queue_rank")
    low = metric(site["wulong"], "mediation.success_rate")
    (row,) = [q for q in queue if q["metric_id"] == low]
    assert "low_confidence" in row["reasons"] and row["feeds"] == "comparison"
    rate = metric(site["wulong"], "litigation.head_appearance_rate", 98.76)   # 80/83 is 96.39: the audit's
    assert "rate_discrepancy" in [q for q in queue if q["metric_id"] == rate][0]["reasons"]
    # Most consequential first: comparison figures, then panel values, then the rest; more reasons first.
    tiers = [{"comparison": 0, "panel": 1, "other": 2}[q["feeds"]] for q in queue]
    assert tiers == sorted(tiers) and tiers[0] == 0
    ids = queue_ids(c)
    assert ids == [q["metric_id"] for q in queue][:50] and low in ids
    assert queue_ids(c, province="重庆市") == [q["metric_id"] for q in queue if q["province"] == "重庆市"][:50]
    assert queue_ids(c, year="2015") == [q["metric_id"] for q in queue if q["report_year"] == 2015]
    assert queue_ids(c, indicator="mediation.success_rate") == [
        q["metric_id"] for q in queue if q["indicator_code"] == "mediation.success_rate"]
    assert queue_ids(c, level="province") == [q["metric_id"] for q in queue if q["level"] == "province"]
    assert queue_ids(c, status="reviewed") == []
    # Paging: 1 a page here would need 50; the keyset link carries the filters on.
    page = c.get("/queue", params={"province": "重庆市", "after": str(queue[0]["queue_rank"])})
    assert str(queue[0]["metric_id"]) not in re.findall(r'data-metric-id="(\d+)"', page.text)
    # n: the first unreviewed figure, on its report page.
    r = c.get("/queue/next", follow_redirects=False)
    assert r.headers["location"] == f"/report/{queue[0]['report_id']}?f={queue[0]['metric_id']}#fig-{queue[0]['metric_id']}"


def test_hostile_report_renders_as_text(site):
    page = site["client"].get(f"/report/{site['hostile']}")
    assert page.status_code == 200
    body = page.text
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert 'href="javascript:' not in body and "javascript:alert(2)" in body   # shown, as text
    assert "<img src=x" not in body and "&lt;img src=x onerror=alert(3)&gt;" in body
    assert "script-src 'self'" in page.headers["content-security-policy"]
    # Its figures are still highlighted on their evidence.
    assert re.search(r'<a class="fig st-\w+" [^>]*>办理行政复议案件52件</a>', body)


def test_report_page_highlights_every_figure(site):
    page = site["client"].get(f"/report/{site['wulong']}").text
    figures = rows("select metric_id, evidence from core.metric where report_id = :r", r=site["wulong"])
    for f in figures:
        assert f'id="fig-{f["metric_id"]}"' in page and f'id="card-fig-{f["metric_id"]}"' in page
    # The highlighted text is the evidence (the same offsets: the span starts where the evidence does).
    low = metric(site["wulong"], "mediation.success_rate")
    assert re.search(rf'<span class="anchor" id="fig-{low}"></span><a class="fig st-low" [^>]*>调解成功率达99.4%</a>',
                     page)
    # The text is the report's, exactly, once the markup is taken away.
    import html
    (report,) = rows("select text from core.report where report_id = :r", r=site["wulong"])
    article = re.search(r'<article class="text" id="report-text" lang="zh">(.*?)</article>', page, re.S).group(1)
    assert html.unescape(re.sub(r"<[^>]+>", "", article)) == report["text"]


def test_refused_actions_say_why(site):
    c, rid = site["client"], site["wulong"]
    rate = metric(rid, "litigation.head_appearance_rate", 98.76)
    page = f"/report/{rid}"
    r = post(c, f"/report/{rid}/figure/{rate}/correct", {"value": "150", "reason": "x"}, page)
    assert r.status_code == 400 and "plausible range" in r.text
    r = post(c, f"/report/{rid}/figure/{rate}/delete", {"reason": " "}, page)
    assert r.status_code == 400 and "say why" in r.text
    r = post(c, f"/report/{rid}/add", {"evidence": "报告中没有这句话12件", "indicator": "litigation.lost",
                                         "reason": "x"}, page)
    assert r.status_code == 400 and "not in the report" in r.text, re.findall(r"role=\"alert\">[^<]*", r.text)
    assert rows("select * from core.correction") == []


def test_confirm_correct_delete_add_then_build(site):
    c, rid, app = site["client"], site["wulong"], site["app"]
    page = f"/report/{rid}"
    low = metric(rid, "mediation.success_rate")
    rate = metric(rid, "litigation.head_appearance_rate", 98.76)
    aid = metric(rid, "legal_aid.cases")
    assert rows("select reported_rate from marts.cmp_mediation_success_rate where jurisdiction_code = :j "
                "and report_year = 2023", j=WULONG)[0]["reported_rate"] is None   # below the threshold
    done = [post(c, f"/report/{rid}/figure/{low}/confirm", {"reason": "核对原文: 99.4%"}, page),
            post(c, f"/report/{rid}/figure/{rate}/correct", {"value": "96.39%", "reason": "80/83, 报告误写"}, page),
            post(c, f"/report/{rid}/figure/{aid}/delete", {"reason": "办结数含上年结转"}, page),
            post(c, f"/report/{rid}/add", {"evidence": "化解了36件疑难行政争议案件", "indicator": "reconsideration.mediated",
                                           "scope": "jurisdiction", "value": "", "reason": "漏抽"}, page)]
    assert [r.status_code for r in done] == [303] * 4, [r.text[:300] for r in done if r.status_code != 303]
    shown = c.get(page).text
    for mid, status in ((low, "confirmed"), (rate, "corrected"), (aid, "deleted")):
        assert re.search(rf'id="card-fig-{mid}" data-key="fig-{mid}"\s+data-metric-id="{mid}" data-status="{status}"',
                         shown), status
    assert 'data-status="added" data-indicator="reconsideration.mediated"' in shown
    assert 'data-stale="yes"' in shown and 'id="build-button"' in shown
    assert set(queue_ids(c, status="reviewed")) >= {low, rate}

    # The page's build: the same as fazhi build's dbt step, in the background.
    assert post(c, "/build", {}).status_code == 303
    status = app.state.builder.wait(600)
    assert status.state == "done", status.message
    assert c.get("/build/status").json()["state"] == "done"
    assert 'data-stale="no"' in c.get("/queue").text

    got = {r["indicator_code"]: r for r in rows("""select * from marts.fct_metric where report_id = :r and indicator_code
        in ('mediation.success_rate', 'litigation.head_appearance_rate', 'legal_aid.cases', 'reconsideration.mediated')
        and scope = 'jurisdiction'""", r=rid)}
    m = got["mediation.success_rate"]
    assert (m["correction_action"], m["is_confirmed"], m["is_corrected"], m["value"]) == ("confirm", True, False, 99.4)
    assert (m["corrected_by"], m["correction_reason"], m["below_threshold"], m["is_chosen_value"]) == \
        ("alice", "核对原文: 99.4%", True, True)
    h = got["litigation.head_appearance_rate"]
    assert (h["correction_action"], h["extracted_value"], h["corrected_value"], h["corrected_by"],
            h["correction_reason"]) == ("set", 98.76, 96.39, "alice", "80/83, 报告误写")
    a = got["legal_aid.cases"]
    assert (a["correction_action"], a["is_deleted"], a["value"], a["correction_reason"]) == \
        ("delete", True, None, "办结数含上年结转")
    added = got["reconsideration.mediated"]
    assert (added["is_added"], added["metric_id"], added["value"], added["evidence"], added["corrected_by"]) == \
        (True, None, 36, "化解了36件疑难行政争议案件", "alice")
    # A confirmed figure is compared whatever its confidence.
    assert rows("select reported_rate from marts.cmp_mediation_success_rate where jurisdiction_code = :j "
                "and report_year = 2023", j=WULONG)[0]["reported_rate"] == 99.4


def test_place_across_a_rename(site):
    c = site["client"]
    page = c.get(f"/place/{WULONG}")
    assert page.status_code == 200
    body = page.text
    assert "武隆县" in body and "武隆区" in body
    (old,) = rows("select report_id from core.report where report_year = 2015")
    assert f'data-report-id="{old["report_id"]}"' in body   # the 2015 document, under its old name
    mid = metric(old["report_id"], "litigation.head_appearance_rate")
    assert f'href="/report/{old["report_id"]}?f={mid}#fig-{mid}"' in body   # a value linked to its evidence
    assert 'id="chart-cmp_head_appearance_rate" data-points="2"' in body    # 2015 and 2023
    assert body.count("<svg") >= 2 and "<polyline" in body
    assert c.get("/place/nowhere").status_code == 404


def test_csv_round_trip_through_the_page(site, tmp_path):
    from fazhi.research.sharing import export_csv
    from fazhi.warehouse import engine

    c = site["client"]
    exported = c.get("/corrections/export.csv")
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    with engine().connect() as conn:   # the file of `fazhi corrections export`, byte for byte
        export_csv(conn, tmp_path / "cli.csv")
    assert exported.content == (tmp_path / "cli.csv").read_bytes()
    table = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert sorted(r["action"] for r in table) == ["add", "confirm", "delete", "set"]

    # Revoke one on the log page, then take every correction away and import the file again.
    log = c.get("/corrections").text
    first = min(r["correction_id"] for r in rows("select correction_id from core.correction"))
    assert f'id="revoke-{first}"' in log
    assert post(c, f"/corrections/{first}/revoke", {}, "/corrections").status_code == 303
    assert rows("select revoked_by from core.correction where correction_id = :i", i=first)[0]["revoked_by"] == "alice"
    with engine().begin() as conn:
        conn.execute(text("delete from core.correction"))
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/corrections").text).group(1)
    r = c.post("/corrections/import", data={"csrf_token": token}, follow_redirects=False,
               files={"file": ("shared.csv", exported.content, "text/csv")})
    assert r.status_code == 303
    assert "4 added" in c.get("/corrections").text
    again = c.get("/corrections/export.csv").content
    assert again == exported.content
    # A bad file imports nothing and says which row, naming the upload.
    bad = exported.content.decode("utf-8-sig").replace("confirm", "approve", 1).encode("utf-8-sig")
    r = c.post("/corrections/import", data={"csrf_token": token}, follow_redirects=False,
               files={"file": ("bad.csv", bad, "text/csv")})
    assert r.status_code == 400 and "bad.csv: nothing imported" in r.text and "action must be one of" in r.text


def test_fazhi_correct_confirm(site):
    rid = site["wulong"]
    done = subprocess.run([sys.executable, "-m", "fazhi", "correct", str(rid), "litigation.hearings", "--confirm",
                           "--reason", "核对原文无误", "--by", "carol"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "confirmed 83" in done.stderr
    (row,) = rows("select action, value, corrected_by from core.correction where indicator_code = 'litigation.hearings'")
    assert (row["action"], row["value"], row["corrected_by"]) == ("confirm", 83, "carol")
