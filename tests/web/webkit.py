"""What the web tests share: a warehouse built from the bundled samples through the normal ingest
and dbt build, the web role, reviewers, and a logged-in TestClient on the app."""
from __future__ import annotations

import re
import shutil

import pytest
from sqlalchemy import text

from conftest import FIXTURES, SEEDS

# 重庆市武隆县 2015 (the county that became 武隆区, 500156, in 2016: one place across a rename) and
# a report whose text holds markup (<script>, a javascript: link, an onerror image).
EXTRA = {name: (FIXTURES / "web" / name).read_text(encoding="utf-8") for name in ("wulong2015.txt", "hostile.txt")}

PASSWORD = "correct horse battery"   # the reviewers' password in these tests
TEST_HOSTS = ("testserver", "127.0.0.1", "localhost")


def rows(sql: str, **params) -> list[dict]:
    from fazhi.warehouse import engine

    with engine().connect() as conn:
        return [dict(r) for r in conn.execute(text(sql), params).mappings()]


def build() -> None:
    from fazhi.warehouse.dbt import build_marts

    assert build_marts(["build", "--quiet"]) == 0


def load_samples(folder, extra: dict[str, str] | None = None) -> None:
    """The bundled samples (and `extra` files: name -> text) ingested, then the marts built."""
    from fazhi.warehouse import engine
    from ingest.load import ingest_paths

    for seed in SEEDS:
        shutil.copy(seed, folder / seed.name)
    for name, body in (extra or {}).items():
        (folder / name).write_text(body, encoding="utf-8")
    outcomes = ingest_paths(engine(), [folder])
    assert outcomes.count("loaded") == len(SEEDS) + len(extra or {}), outcomes


def make_app(session_seconds: int = 3600, builder=None):
    from fazhi.warehouse import engine
    from fazhi.warehouse.config import database_url
    from fazhi.web.access import add_reviewer
    from fazhi.web.app import Settings, create_app
    from fazhi.web.build import prepare

    web_url = prepare(database_url())
    with engine().begin() as conn:
        add_reviewer(conn, "alice", PASSWORD)
        add_reviewer(conn, "bob", PASSWORD)
    return create_app(Settings(web_url, session_seconds=session_seconds, allowed_hosts=TEST_HOSTS,
                               builder=builder))


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def login(client, name: str = "alice", password: str = PASSWORD):
    page = client.get("/login")
    return client.post("/login", data={"name": name, "password": password, "csrf_token": csrf_of(page.text)},
                       follow_redirects=False)


def post(client, url: str, data: dict | None = None, page: str = "/queue", **kw):
    """A form POST as the browser sends it: with the CSRF token of a page it got."""
    token = csrf_of(client.get(page).text)
    return client.post(url, data={**(data or {}), "csrf_token": token}, follow_redirects=False, **kw)


@pytest.fixture(scope="module")
def client_factory():
    from starlette.testclient import TestClient

    made = []

    def make(app, **kw):
        c = TestClient(app, **kw)
        made.append(c)
        return c
    yield make
    for c in made:
        c.close()
