"""The application: settings, middleware and routes. `create_app(settings)` is what `fazhi web`
serves with uvicorn and what the tests drive with Starlette's TestClient."""
from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field

from sqlalchemy import create_engine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from fazhi.warehouse.config import sqlalchemy_url

from . import build, log, place, queue, report
from .access import authenticate, checked_form, csrf_token, reviewers
from .pages import HERE, marts_state, redirect, render

SESSION_COOKIE = "fazhi_session"
PUBLIC = ("/login", "/static/")
# No inline script or style anywhere: the page's own script and stylesheet, nothing else.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
           (b"x-frame-options", b"DENY"), (b"referrer-policy", b"no-referrer"),
           (b"cross-origin-opener-policy", b"same-origin"), (b"cache-control", b"no-store")]


@dataclass
class Settings:
    database_url: str                  # the web role's URL (fazhi.web.build.prepare makes it)
    session_seconds: int = 8 * 3600    # a login lasts this long, then the reviewer logs in again
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "[::1]")
    https_only: bool = False           # Secure cookies: when served behind TLS
    default_threshold: float = 0.75    # before the first build: dbt_project.yml's min_confidence
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))   # new each start
    builder: object = None             # build.Builder; None: builds cannot be started from the page


class SecurityHeaders:
    """The same headers on every response, errors and static files included."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        static = scope["path"].startswith("/static/")   # static files keep their own caching
        extra = [h for h in HEADERS if not (static and h[0] == b"cache-control")]
        names = {h[0] for h in extra}

        async def with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = [h for h in message.get("headers", []) if h[0].lower() not in names] + extra
            await send(message)
        await self.app(scope, receive, with_headers)


RECHECK_SECONDS = 15   # how soon a reviewer removed with `fazhi web --remove-reviewer` is shut out


class LoginRequired:
    """Every page but the login form and the static files needs a reviewer in the session, in a
    session this server opened and has not closed (a logged-out cookie replayed is refused), and a
    reviewer still enabled in the warehouse (checked again every RECHECK_SECONDS)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and not scope["path"].startswith(PUBLIC):
            request = Request(scope)
            if not await _live(request):
                if scope["method"] in ("GET", "HEAD"):
                    response = RedirectResponse("/login", status_code=303)
                else:
                    response = PlainTextResponse("log in first", status_code=403)
                return await response(scope, receive, send)
        await self.app(scope, receive, send)


async def _live(request: Request) -> bool:
    from starlette.concurrency import run_in_threadpool

    who, sid = request.session.get("reviewer"), request.session.get("sid")
    sessions = request.app.state.sessions
    if not who or not sid or sid not in sessions or sessions[sid][0] != who:
        return False
    if time.monotonic() - sessions[sid][1] > RECHECK_SECONDS:
        def enabled():
            with request.app.state.engine.connect() as conn:
                return who in reviewers(conn)
        if not await run_in_threadpool(enabled):
            sessions.pop(sid, None)
            return False
        sessions[sid] = (who, time.monotonic())
    return True


def login_page(request: Request):
    if request.session.get("reviewer"):
        return redirect("/queue")
    return render(request, "login.html")


async def login(request: Request):
    from starlette.concurrency import run_in_threadpool

    form = await checked_form(request)
    name, password = str(form.get("name") or ""), str(form.get("password") or "")

    def check():
        with request.app.state.engine.connect() as conn:
            return authenticate(conn, name, password)
    who = await run_in_threadpool(check)
    if who is None:
        return render(request, "login.html", status_code=401, error="wrong name or password", name=name)
    request.session.clear()          # a new session, a new CSRF token: nothing carried over from before login
    request.session["reviewer"] = who
    request.session["sid"] = sid = secrets.token_urlsafe(16)
    request.app.state.sessions[sid] = (who, time.monotonic())
    csrf_token(request)
    return redirect("/queue")


async def logout(request: Request):
    await checked_form(request)
    request.app.state.sessions.pop(request.session.get("sid"), None)   # the cookie is dead, even replayed
    request.session.clear()
    return redirect("/login")


def create_app(settings: Settings) -> Starlette:
    engine = create_engine(sqlalchemy_url(settings.database_url), pool_pre_ping=True, pool_size=5, max_overflow=5)
    routes = [
        Route("/", lambda request: redirect("/queue")),
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        *queue.routes, *report.routes, *place.routes, *log.routes, *build.routes,
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [
        Middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts)),
        Middleware(SecurityHeaders),
        Middleware(SessionMiddleware, secret_key=settings.secret_key, session_cookie=SESSION_COOKIE,
                   max_age=settings.session_seconds, same_site="strict", https_only=settings.https_only),
        Middleware(LoginRequired),
    ]
    app = Starlette(routes=routes, middleware=middleware)
    app.state.engine = engine
    app.state.settings = settings
    app.state.builder = settings.builder or build.Builder(None)
    app.state.sessions = {}   # session id -> (reviewer, when last checked): the sessions this server opened

    def state():
        with engine.connect() as conn:
            return marts_state(conn, settings.default_threshold)
    app.state.marts_state = state
    return app
