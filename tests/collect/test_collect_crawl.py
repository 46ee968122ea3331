"""`fazhi collect` as a user runs it, against generated government sites on 127.0.0.1.

Every run is the real CLI in a child process with a time limit; its crawl runs in a grandchild.
The guard is twofold: an off-site link points at a recording server on 127.0.0.2 that must never
be asked anything, and every process the tests start appends each socket connection and name
lookup to a log (guard/sitecustomize.py), which may hold only the local addresses.
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from collect_sites import SiteServer, build_sites, li, page, report_text
from conftest import ROOT

GUARD = Path(__file__).resolve().parent / "guard"
LIMIT = 60
SETTINGS = {"FAZHI_COLLECT_DELAY": "0", "FAZHI_COLLECT_BACKOFF": "0.05", "FAZHI_COLLECT_TIMEOUT": "5",
            "FAZHI_COLLECT_RETRIES": "2", "FAZHI_MAX_FILE_MB": "0.1", "FAZHI_COLLECT_CONTACT": "tests@example.org"}


def fazhi_env(connects: Path) -> dict:
    return {**os.environ, **SETTINGS, "PYTHONPATH": os.pathsep.join([str(GUARD), str(ROOT)]),
            "FAZHI_TEST_CONNECT_LOG": str(connects)}


def collect(connects: Path, *args: str, timeout: float = LIMIT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fazhi", "collect", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**fazhi_env(connects), **(env or {})}, timeout=timeout)


def registry(path: Path, base: str, sources) -> Path:
    path.write_text("url,code,name,pagination,title_pattern\n" +
                    "".join(f"{base}{start},{code},,{hint},\n" for start, code, hint in sources), encoding="utf-8")
    return path


def saved(out: Path) -> dict[str, list[dict]]:
    """Sidecars by the path of their URL (a list: more than one is a duplicate)."""
    found: dict[str, list[dict]] = {}
    for side in out.rglob("*.source.json"):
        data = json.loads(side.read_text(encoding="utf-8"))
        data["file"] = Path(str(side)[:-len(".source.json")])
        path = data["url"].split("/", 3)[3]
        found.setdefault("/" + path, []).append(data)
    return found


def only_local(connects: Path, *allowed_ports: int) -> None:
    lines = connects.read_text().splitlines() if connects.exists() else []
    for line in lines:
        kind, host, port = line.split(" ")
        assert host in ("127.0.0.1", "localhost"), f"contacted {host}:{port}"


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("collect")
    with SiteServer({}, host="127.0.0.2") as guard:
        sites = build_sites(guard.base, oversized_bytes=200_000)
        with SiteServer(sites.routes) as server:
            yield {"server": server, "guard": guard, "sites": sites, "tmp": tmp,
                   "registry": registry(tmp / "sources.csv", server.base, sites.sources),
                   "out": tmp / "out", "connects": tmp / "connects.log"}


def test_every_report_once_with_its_provenance(web):
    server, sites = web["server"], web["sites"]
    run = collect(web["connects"], "--sources", str(web["registry"]), "--out", str(web["out"]))
    assert "Traceback" not in run.stderr + run.stdout, run.stderr[-3000:]
    assert run.returncode == 1, run.stdout + run.stderr          # the redirect loop failed
    assert "redirect loop" in run.stdout and "robots.txt" in run.stdout and "FAZHI_MAX_FILE_MB" in run.stdout

    got = saved(web["out"])
    assert set(got) == sites.expected
    assert all(len(v) == 1 for v in got.values()), {k: len(v) for k, v in got.items() if len(v) > 1}
    leftovers = [p for p in web["out"].rglob("*") if p.is_file() and not p.name.endswith(".source.json")
                 and not Path(str(p) + ".source.json").exists()]
    assert leftovers == []
    # Provenance: what was fetched, from where, linked by which page; the bytes are the server's.
    pdf = got["/static/art/2019/P01.pdf"][0]
    assert pdf["page"] == server.base + "/static/art/2019/t00.html"
    assert pdf["status"] == 200 and pdf["content_type"] == "application/pdf"
    assert pdf["etag"] and pdf["last_modified"] and pdf["fetched_at"]
    for path, (side,) in got.items():
        body = side["file"].read_bytes()
        assert body == sites.routes[path].body and side["sha256"] == hashlib.sha256(body).hexdigest(), path
        assert side["jurisdiction_code"] in {code for _, code, _ in sites.sources}
    assert got["/gbk/t1.html"][0]["file"].parent.parent.name == "500105"   # the GBK list was read right

    hits = server.hits()
    ok = [h.path for h in hits if h.status == 200]
    assert not any(h.path in sites.forbidden for h in hits)                # robots.txt obeyed
    assert "/robots.txt" in ok
    assert [h.status for h in hits if h.path == "/gbk/flaky.html"] == [500, 200]  # retried after a 500
    assert all(ok.count(p) == 1 for p in sites.expected)                    # each file downloaded once
    assert not list(web["out"].rglob("big-*"))                             # larger than the limit
    assert {h.user_agent for h in hits} == {h.user_agent for h in hits[:1]}
    assert hits[0].user_agent.startswith("fazhi-collect/") and hits[0].user_agent.endswith("(+tests@example.org)")
    assert web["guard"].hits() == []                                        # never left the site
    assert server.most_in_flight == 1                                       # one connection to the host
    only_local(web["connects"])


def test_rerun_downloads_nothing_new(web):
    server, sites = web["server"], web["sites"]
    before = {p: p.stat().st_mtime_ns for p in web["out"].rglob("*") if p.is_file()}
    start = len(server.hits())
    run = collect(web["connects"], "--sources", str(web["registry"]), "--out", str(web["out"]))
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr[-3000:]
    after = {p: p.stat().st_mtime_ns for p in web["out"].rglob("*") if p.is_file()}
    assert after == before                                                  # nothing saved again
    again = [h for h in server.hits()[start:] if h.path in sites.expected]
    assert again and all(h.conditional and h.status == 304 for h in again), [
        (h.path, h.status) for h in again if h.status != 304]
    assert web["guard"].hits() == []
    only_local(web["connects"])


def test_kill_9_then_rerun_loses_and_duplicates_nothing(tmp_path):
    connects = tmp_path / "connects.log"
    with SiteServer({}, host="127.0.0.2") as guard:
        sites = build_sites(guard.base)
        for path in sites.expected:
            sites.routes[path].delay = 0.04       # slow enough to be killed in the middle
        with SiteServer(sites.routes) as server:
            reg = registry(tmp_path / "sources.csv", server.base, sites.sources)
            out = tmp_path / "out"
            proc = subprocess.Popen([sys.executable, "-m", "fazhi", "collect", "--sources", str(reg), "--out", str(out)],
                                    cwd=ROOT, env=fazhi_env(connects), stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + LIMIT
            while len(list(out.rglob("*.source.json"))) < 8 and time.monotonic() < deadline:
                assert proc.poll() is None, "the crawl ended before it could be killed"
                time.sleep(0.02)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            first = len(list(out.rglob("*.source.json")))
            assert 8 <= first < len(sites.expected)
            time.sleep(0.3)                       # the crawl process dies with its parent
            settled = len(server.hits())
            time.sleep(0.3)
            assert len(server.hits()) == settled, "the crawl went on after its command was killed"

            run = collect(connects, "--sources", str(reg), "--out", str(out))
            assert "Traceback" not in run.stderr, run.stderr[-3000:]
            got = saved(out)
            assert set(got) == sites.expected                                   # nothing lost
            assert all(len(v) == 1 for v in got.values())                       # nothing twice
            assert not [p for p in out.rglob(".part-*")]
            ok = [h.path for h in server.hits() if h.status == 200 and h.path in sites.expected]
            twice = {p for p in ok if ok.count(p) > 1}
            assert len(twice) <= 1, twice          # at most the one in flight when killed (one connection)
            assert guard.hits() == []
    only_local(connects)


@pytest.mark.db
def test_ingest_stores_the_source_url(tmp_path, fresh_schema):
    from sqlalchemy import text

    from conftest import seed_text
    from docxgen import seed_docx
    from fazhi.warehouse import engine

    from collect_sites import Route

    body = seed_text("").replace("\n", "</p><p>")
    routes = {
        "/robots.txt": Route(b"User-agent: *\nDisallow:\n", "text/plain"),
        "/fz/index.html": Route(page("列表", "<ul>" + li("/fz/t1.html", "某县2023年法治政府建设年度报告") + "</ul>").encode()),
        "/fz/t1.html": Route(page("某县2023年法治政府建设年度报告", f"<div><p>{body}</p></div>"
                                  '<p><a href="/fz/P1.docx">附件：全文</a></p>').encode()),
        "/fz/P1.docx": Route(seed_docx(seed_text("").splitlines()[0] + "\n" + report_text_plain()),
                             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    }
    connects = tmp_path / "connects.log"
    with SiteServer(routes) as server:
        run = collect(connects, "--url", server.base + "/fz/index.html", "--code", "500156", "--out",
                      str(tmp_path / "out"), "--ingest", timeout=120, env={"FAZHI_MAX_FILE_MB": "50"})
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    with engine().connect() as conn:
        rows = conn.execute(text("select source_url, source_page, file_format from core.report_source "
                                 "order by file_format")).all()
        urls = conn.execute(text("select source_url from core.report")).scalars().all()
    assert (server.base + "/fz/P1.docx", server.base + "/fz/t1.html", "docx") in [tuple(r) for r in rows]
    assert (server.base + "/fz/t1.html", server.base + "/fz/index.html", "html") in [tuple(r) for r in rows]
    assert server.base + "/fz/t1.html" in urls
    only_local(connects)


def report_text_plain() -> str:
    import re

    return re.sub(r"<[^>]+>", "\n", report_text("某县", 2023))


def test_ctrl_c_stops_cleanly_and_the_next_run_resumes(tmp_path):
    from fazhi.warehouse.config import fazhi_home

    connects = tmp_path / "connects.log"
    with SiteServer({}, host="127.0.0.2") as guard:
        sites = build_sites(guard.base)
        for path in sites.expected:
            sites.routes[path].delay = 0.04
        with SiteServer(sites.routes) as server:
            reg = registry(tmp_path / "sources.csv", server.base, sites.sources)
            out = tmp_path / "out"
            proc = subprocess.Popen([sys.executable, "-m", "fazhi", "collect", "--sources", str(reg), "--out", str(out)],
                                    cwd=ROOT, env=fazhi_env(connects), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True, start_new_session=True)
            deadline = time.monotonic() + LIMIT
            while len(list(out.rglob("*.source.json"))) < 8 and time.monotonic() < deadline:
                time.sleep(0.02)
            os.killpg(proc.pid, signal.SIGINT)          # what a terminal's Ctrl-C does
            stdout, stderr = proc.communicate(timeout=LIMIT)
            assert proc.returncode == 1 and "Traceback" not in stderr, stderr[-3000:]
            assert "run the same command again to resume" in stderr
            assert list((fazhi_home() / "collect").rglob("fazhi-paused"))   # Scrapy's queue kept for the rerun
            assert len(list(out.rglob("*.source.json"))) < len(sites.expected)

            run = collect(connects, "--sources", str(reg), "--out", str(out))
            assert "Traceback" not in run.stderr, run.stderr[-3000:]
            got = saved(out)
            assert set(got) == sites.expected and all(len(v) == 1 for v in got.values())
            ok = [h.path for h in server.hits() if h.status == 200 and h.path in sites.expected]
            assert len(ok) == len(set(ok))              # a clean stop finishes what it started: nothing twice
            assert guard.hits() == []
    only_local(connects)
