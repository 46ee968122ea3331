"""Made-up government sites served on 127.0.0.1 for the collect tests and bench/bench_collect.py.

`SiteServer` is a threaded http.server on a random port serving a dict of routes; it records
every request (method, path, conditional headers, the status it answered) so tests can assert
on what was fetched. Every page and file carries an ETag and a Last-Modified and answers 304 to
a matching conditional request. `Guard` is a server on 127.0.0.2 that only records: an off-site
link points at it, and any request it receives is a crawl that left its site.

`build_sites(out_of_site)` makes one site per shape fazhi collect must follow (static numbered
list pages, query-string pages, pagination by a script call, records as CDATA in a script, a GBK
site) plus the traps (robots.txt, a 500 then 200, a slow page, a redirect loop, an oversized file,
an off-site link) and returns the routes and what a crawl must save. The text is invented.
"""
from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STAMP = formatdate(1_700_000_000, usegmt=True)


@dataclass
class Route:
    body: bytes
    ctype: str = "text/html; charset=utf-8"
    statuses: list[int] = field(default_factory=list)  # answered first, one per request, before 200
    delay: float = 0.0
    location: str | None = None                       # a redirect


@dataclass
class Hit:
    method: str
    path: str
    status: int
    conditional: bool
    user_agent: str


class SiteServer:
    def __init__(self, routes: dict[str, Route], host: str = "127.0.0.1"):
        self.routes = routes
        self.log: list[Hit] = []
        self.lock = threading.Lock()
        self.in_flight = self.most_in_flight = 0   # requests being answered at once (one connection per host: 1)
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            wbufsize = 1 << 16   # head and body in one write: no Nagle/delayed-ACK pause per request

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                server._answer(self)

        class Quiet(ThreadingHTTPServer):
            def handle_error(self, request, client_address):  # a client that hung up (a cancelled download)
                pass

        self.httpd = Quiet((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.host = host
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def hits(self, prefix: str = "") -> list[Hit]:
        with self.lock:
            return [h for h in self.log if h.path.startswith(prefix)]

    def _answer(self, req: BaseHTTPRequestHandler) -> None:
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            self._respond(req)
        finally:
            with self.lock:
                self.in_flight -= 1

    def _respond(self, req: BaseHTTPRequestHandler) -> None:
        route = self.routes.get(req.path)
        conditional = bool(req.headers.get("If-None-Match") or req.headers.get("If-Modified-Since"))
        status, headers, body = 404, {"Content-Type": "text/plain"}, b"not found"
        if route is not None:
            with self.lock:
                pending = route.statuses.pop(0) if route.statuses else None
            if route.delay:
                time.sleep(route.delay)
            etag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
            if pending:
                status, body = pending, b"server error"
            elif route.location:
                status, headers, body = 302, {"Location": route.location}, b""
            elif req.headers.get("If-None-Match") == etag or (
                    not req.headers.get("If-None-Match") and req.headers.get("If-Modified-Since") == STAMP):
                status, headers, body = 304, {"ETag": etag}, b""
            else:
                status, body = 200, route.body
                headers = {"Content-Type": route.ctype, "ETag": etag, "Last-Modified": STAMP}
        with self.lock:
            self.log.append(Hit("GET", req.path, status, conditional, req.headers.get("User-Agent", "")))
        try:
            req.send_response(status)
            for k, v in headers.items():
                req.send_header(k, v)
            req.send_header("Content-Length", str(len(body)))
            req.end_headers()
            if status != 304:
                req.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


def page(title: str, body: str, charset: str = "utf-8", head: str = "") -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title>{head}</head>'
            f"<body><div class=\"crumb\">当前位置：首页 &gt; 政府信息公开 &gt; 法治政府建设</div>{body}</body></html>")


def report_text(place: str, year: int) -> str:
    """A short invented report body with a couple of figures."""
    return (f"<h1>{place}{year}年法治政府建设情况报告</h1><div class=\"content\"><p>{year}年，{place}深入推进依法行政，"
            f"全面建设法治政府。</p><p>一、主要工作</p><p>全年办理行政复议案件{year % 100 + 40}件，"
            f"行政机关负责人出庭应诉率达到{90 + year % 7}%。</p><p>{place}人民政府</p>"
            f"<p>{year + 1}年3月1日</p></div>")


ATTACH_TYPES = {"pdf": "application/pdf", "doc": "application/msword",
                "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "wps": "application/kswps", "ofd": "application/ofd", "xls": "application/vnd.ms-excel"}


def li(href: str, title: str, day: str = "2023-03-01") -> str:
    return f'<li><a href="{href}" title="{title}" target="_blank">{title}</a><span>{day}</span></li>'


@dataclass
class Sites:
    routes: dict[str, Route]
    sources: list[tuple[str, str, str]]    # (start path, code, pagination hint)
    expected: set[str]                     # paths a crawl must save, each once
    forbidden: set[str]                    # paths it must never request
    off_site: str


def build_sites(off_site: str, oversized_bytes: int = 200_000) -> Sites:
    r: dict[str, Route] = {}
    expected: set[str] = set()
    sources: list[tuple[str, str, str]] = []
    noise = [("关于开展2023年宪法宣传周活动的通知", "notice"), ("2022年政府信息公开工作年度报告", "gk")]

    def detail(path: str, place: str, year: int, attach: tuple[str, ...] = (), charset: str = "utf-8",
               extra: str = "") -> None:
        links = "".join(f'<p><a href="{path.rsplit("/", 1)[0]}/P0{i}.{ext}">附件{i}：{place}{year}年报告.{ext}</a></p>'
                        for i, ext in enumerate(attach, 1))
        html = page(f"{place}{year}年法治政府建设情况报告", report_text(place, year) + links + extra, charset)
        r[path] = Route(html.encode(charset), f"text/html; charset={charset}" if charset == "utf-8" else "text/html")
        expected.add(path)
        for i, ext in enumerate(attach, 1):
            a = f'{path.rsplit("/", 1)[0]}/P0{i}.{ext}'
            r[a] = Route(f"%{ext.upper()} {place}{year} attachment {i}".encode() + b"\x00" * 64, ATTACH_TYPES[ext])
            expected.add(a)

    # 1. static numbered list pages: index.html, index_1.html, index_2.html linked by 下一页
    for n in range(3):
        items = [li(f"/static/art/{2019 + n * 2 + k}/t{n}{k}.html", f"甲县{2019 + n * 2 + k}年法治政府建设年度报告")
                 for k in range(2)] + [li(f"/static/art/n{n}.html", noise[0][0])]
        nav = f'<a href="index_{n + 1}.html">下一页</a>' if n < 2 else ""
        r[f"/static/{'index' if n == 0 else f'index_{n}'}.html"] = Route(page("法治政府建设", f"<ul>{''.join(items)}</ul>{nav}").encode())
        for k in range(2):
            y = 2019 + n * 2 + k
            detail(f"/static/art/{y}/t{n}{k}.html", "甲县", y, ("pdf", "docx") if k == 0 else ("wps",))
    r["/static/art/n0.html"] = r["/static/art/n1.html"] = r["/static/art/n2.html"] = Route(page("通知", "<p>通知</p>").encode())
    sources.append(("/static/index.html", "500101", ""))

    # 2. query-string pages: list.jsp?page=N
    for n in range(1, 3):
        items = [li(f"/query/show.jsp?id={n}{k}", f"乙区人民政府关于{2020 + n + k}年度法治政府建设工作情况的报告")
                 for k in range(2)] + [li(f"/query/show.jsp?id=9{n}", noise[1][0])]
        nav = f'<a href="list.jsp?page={n + 1}&amp;col=12">下一页</a>' if n < 2 else ""
        r[f"/query/list.jsp?page={n}&col=12"] = Route(page("乙区", f"<ul>{''.join(items)}</ul>{nav}").encode())
        for k in range(2):
            detail(f"/query/show.jsp?id={n}{k}", "乙区", 2020 + n + k, ("doc",) if k else ())
        r[f"/query/show.jsp?id=9{n}"] = Route(page("公开", "<p>公开年报</p>").encode())
    sources.append(("/query/list.jsp?page=1&col=12", "500102", "query"))

    # 3. pagination written by a script: createPageHTML(total, current, name, ext), no <a> to the pages
    for n in range(4):
        items = [li(f"./202{n}/t2024_{n}.html", f"丙市202{n}年法治政府建设工作总结")]
        script = f'<script>createPageHTML(4, {n}, "index", "html");</script>'
        r[f"/js/{'index' if n == 0 else f'index_{n}'}.html"] = Route(page("丙市", f"<ul>{''.join(items)}</ul>{script}").encode())
        detail(f"/js/202{n}/t2024_{n}.html", "丙市", 2020 + n, ("ofd",) if n == 1 else ())
    sources.append(("/js/index.html", "500103", ""))

    # 4. records as XML/CDATA inside a script tag (a CMS's data proxy), one record linking a PDF directly
    records = "".join(f"<record><![CDATA[{li(f'/cdata/art/2023/art_{k}.html', f'丁县{2018 + k}年度法治政府建设情况报告')}]]></record>"
                      for k in range(3))
    records += f"<record><![CDATA[{li('/cdata/file/2024report.pdf', '丁县2024年法治政府建设年度报告')}]]></record>"
    records += f"<record><![CDATA[{li(off_site + '/elsewhere/r.html', '丁县2017年法治政府建设年度报告（转载）')}]]></record>"
    xml = (f'<script type="text/xml"><datastore><nextgroup><![CDATA[]]></nextgroup><recordset>{records}'
           "</recordset></datastore></script>")
    r["/cdata/col_1.html"] = Route(page("丁县", f'<div id="div1">{xml}</div>').encode())
    for k in range(3):
        detail(f"/cdata/art/2023/art_{k}.html", "丁县", 2018 + k, ("xls",) if k == 2 else ())
    r["/cdata/file/2024report.pdf"] = Route(b"%PDF-1.4 dingxian 2024" + b"\x00" * 64, "application/pdf")
    expected.add("/cdata/file/2024report.pdf")
    sources.append(("/cdata/col_1.html", "500104", ""))

    # 5. a GBK site (charset only in the page's meta tag), with the traps
    items = [li("/gbk/t1.html", "戊县2023年法治政府建设年度报告"),
             li("/gbk/private/t2.html", "戊县2022年法治政府建设年度报告"),      # robots.txt disallows /gbk/private/
             li("/gbk/flaky.html", "戊县2021年法治政府建设年度报告"),           # 500, then 200
             li("/gbk/slow.html", "戊县2020年法治政府建设年度报告"),            # answers after a pause
             li("/gbk/loop1.html", "戊县2019年法治政府建设年度报告"),           # a redirect loop
             li("/gbk/big.pdf", "戊县2018年法治政府建设年度报告（全文）")]      # larger than the limit
    r["/gbk/index.html"] = Route(page("戊县政府", f"<ul>{''.join(items)}</ul>", "gbk").encode("gbk"), "text/html")
    detail("/gbk/t1.html", "戊县", 2023, ("pdf",), charset="gbk",
           extra=f'<p><a href="{off_site}/mirror/t1.pdf">外网镜像</a></p>')
    detail("/gbk/private/t2.html", "戊县", 2022, charset="gbk")
    expected.discard("/gbk/private/t2.html")
    detail("/gbk/flaky.html", "戊县", 2021, charset="gbk")
    r["/gbk/flaky.html"].statuses = [500]
    detail("/gbk/slow.html", "戊县", 2020, charset="gbk")
    r["/gbk/slow.html"].delay = 0.4
    r["/gbk/loop1.html"] = Route(b"", location="/gbk/loop2.html")
    r["/gbk/loop2.html"] = Route(b"", location="/gbk/loop1.html")
    r["/gbk/big.pdf"] = Route(b"%PDF-1.4 " + b"0" * oversized_bytes, "application/pdf")
    sources.append(("/gbk/index.html", "500105", ""))

    r["/robots.txt"] = Route(b"User-agent: *\nDisallow: /gbk/private/\n", "text/plain")
    return Sites(r, sources, expected, {"/gbk/private/t2.html"}, off_site)


def bench_site(pages: int) -> dict[str, Route]:
    """A column of `pages` report pages, 20 to a static list page: for pages per second."""
    r: dict[str, Route] = {"/robots.txt": Route(b"User-agent: *\nDisallow:\n", "text/plain")}
    lists = (pages + 19) // 20
    for n in range(lists):
        items = "".join(li(f"/b/art/t{n}_{k}.html", f"某县{2000 + (n * 20 + k) % 25}年法治政府建设年度报告")
                        for k in range(20) if n * 20 + k < pages)
        nav = f'<a href="index_{n + 1}.html">下一页</a>' if n + 1 < lists else ""
        r[f"/b/{'index' if n == 0 else f'index_{n}'}.html"] = Route(page("列表", f"<ul>{items}</ul>{nav}").encode())
        for k in range(20):
            if n * 20 + k < pages:
                r[f"/b/art/t{n}_{k}.html"] = Route(page("某县", report_text(f"某县{n}乡{k}村", 2000 + k) * 4).encode())
    return r
