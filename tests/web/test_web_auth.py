"""Who gets in: login required, wrong passwords refused, sessions that expire, CSRF on every
POST, the security headers, the hosts answered, and the reviewers of `fazhi web` (CLI)."""
import re
import subprocess
import sys
import time

import pytest
from starlette.routing import Route
from webkit import PASSWORD, client_factory, csrf_of, login, make_app  # noqa: F401

from conftest import ROOT

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def app(fresh_schema):
    return make_app()


def test_pages_need_a_login(app, client_factory):
    c = client_factory(app)
    for path in ("/queue", "/report/1", "/place/500156", "/corrections", "/corrections/export.csv", "/build/status"):
        r = c.get(path, follow_redirects=False)
        assert (r.status_code, r.headers.get("location")) == (303, "/login"), path
    # A POST without a session is refused before anything else, CSRF token or not.
    assert c.post("/build", data={"csrf_token": "x"}, follow_redirects=False).status_code == 403
    assert c.get("/static/review.js").status_code == 200     # the login page needs its script
    assert c.get("/login").status_code == 200


def test_wrong_password_or_name_refused(app, client_factory):
    c = client_factory(app)
    r = login(c, "alice", "not the password")
    assert r.status_code == 401 and "wrong name or password" in r.text
    assert c.get("/queue", follow_redirects=False).status_code == 303
    assert login(c, "mallory", PASSWORD).status_code == 401
    assert login(c, "alice", PASSWORD).status_code == 303
    assert c.get("/queue").status_code == 200
    assert 'id="reviewer-name">alice<' in c.get("/queue").text


def test_login_needs_csrf_token(app, client_factory):
    c = client_factory(app)
    c.get("/login")
    r = c.post("/login", data={"name": "alice", "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 403


def test_every_post_refused_without_csrf_token(app, client_factory):
    c = client_factory(app)
    assert login(c).status_code == 303
    posts = [r for r in app.routes if isinstance(r, Route) and "POST" in (r.methods or ())]
    assert len(posts) == 7
    paths = [re.sub(r"\{[^}]+\}", "1", route.path.replace("{action:str}", action))
             for route in posts for action in ("confirm", "correct", "delete")]
    for path in sorted(set(paths)):
        for data, headers in (({}, {}), ({"csrf_token": "forged"}, {}), ({}, {"X-CSRF-Token": "forged"})):
            r = c.post(path, data=data, headers=headers, follow_redirects=False)
            assert r.status_code == 403, (path, data, headers, r.status_code)
    # The same request with the session's token passes the check (and logs out).
    token = csrf_of(c.get("/queue").text)
    assert c.post("/logout", headers={"X-CSRF-Token": token}, follow_redirects=False).status_code == 303
    assert c.get("/queue", follow_redirects=False).status_code == 303


def test_session_expires(client_factory):
    app = make_app(session_seconds=1)
    c = client_factory(app)
    assert login(c).status_code == 303
    assert c.get("/queue", follow_redirects=False).status_code == 200
    time.sleep(2.2)
    r = c.get("/queue", follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/login")


def test_a_logged_out_or_removed_reviewers_cookie_is_dead(app, client_factory, monkeypatch):
    from starlette.testclient import TestClient

    from fazhi.web import app as web_app
    from fazhi.web.access import add_reviewer, remove_reviewer
    from fazhi.warehouse import engine

    c = client_factory(app)
    assert login(c).status_code == 303
    stolen = dict(c.cookies)
    token = csrf_of(c.get("/queue").text)
    assert c.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    with TestClient(app, cookies=stolen) as replay:   # the cookie from before the logout, replayed
        r = replay.get("/queue", follow_redirects=False)
        assert (r.status_code, r.headers["location"]) == (303, "/login")
    # A reviewer removed from the command line is shut out of a session already open.
    monkeypatch.setattr(web_app, "RECHECK_SECONDS", 0)
    with engine().begin() as conn:
        add_reviewer(conn, "carol", PASSWORD)
    c2 = client_factory(app)
    assert login(c2, "carol").status_code == 303
    assert c2.get("/queue", follow_redirects=False).status_code == 200
    with engine().begin() as conn:
        remove_reviewer(conn, "carol")
    assert c2.get("/queue", follow_redirects=False).status_code == 303


def test_cookie_and_security_headers(app, client_factory):
    c = client_factory(app)
    r = login(c)
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "max-age=3600" in cookie
    page = c.get("/queue")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert page.headers["x-frame-options"] == "DENY" and page.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in page.text and " style=" not in page.text     # no inline script or style
    assert c.get("/static/app.css").headers["content-security-policy"] == csp


def test_other_hosts_refused(app, client_factory):
    c = client_factory(app, base_url="http://evil.example")
    assert c.get("/login").status_code == 400


def fazhi(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fazhi", *args], cwd=ROOT, capture_output=True, text=True,
                          input=stdin, timeout=120)


def test_reviewers_from_the_command_line(app, client_factory):
    done = fazhi("web", "--add-reviewer", "carol")
    assert done.returncode == 0, done.stderr
    (password,) = re.findall(r"password \(shown once\): (\S+)", done.stdout)
    assert len(password) >= 24
    c = client_factory(app)
    assert login(c, "carol", password).status_code == 303
    # Their own password through stdin; the old one no longer works.
    done = fazhi("web", "--add-reviewer", "carol", "--password-stdin", stdin="carols own secret\n")
    assert done.returncode == 0 and "shown once" not in done.stdout and "new password" in done.stderr
    assert login(client_factory(app), "carol", password).status_code == 401
    assert login(client_factory(app), "carol", "carols own secret").status_code == 303
    assert "carol" in fazhi("web", "--list-reviewers").stdout
    from fazhi.warehouse import engine
    from sqlalchemy import text
    with engine().connect() as conn:   # a hash, never the password
        stored = conn.execute(text("select password_hash from core.reviewer where name = 'carol'")).scalar()
    assert stored.startswith("scrypt$") and "carols own secret" not in stored
    assert fazhi("web", "--remove-reviewer", "carol").returncode == 0
    assert login(client_factory(app), "carol", "carols own secret").status_code == 401
    short = fazhi("web", "--add-reviewer", "dave", "--password-stdin", stdin="short\n")
    assert short.returncode == 2 and "at least 8" in short.stderr
