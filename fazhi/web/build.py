"""The build the page offers when the marts are older than the last correction: the same as
`fazhi build`'s dbt step (fazhi.warehouse.dbt.build_marts: per_report incremental, the rest built
aside and swapped in), under the writer lock, in a background thread whose status the page shows.

Only this part of fazhi web uses the warehouse owner's connection: the requests run as the web
role (`prepare` makes it, with a fresh password each start).
"""
from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ingest.errors import FazhiError

from .access import checked_form
from .pages import redirect


def prepare(owner_url: str) -> str:
    """Migrate, (re)create the web role with a fresh password, and return the URL to connect as it."""
    from fazhi.warehouse import engine, migrate
    from fazhi.warehouse.config import with_user
    from fazhi.warehouse.roles import WEB_ROLE, grant_web_role

    migrate()
    password = secrets.token_urlsafe(24)
    with engine().begin() as conn:
        grant_web_role(conn, password)
    return with_user(owner_url, WEB_ROLE, password)


@dataclass
class Status:
    state: str = "idle"          # idle, running, done, failed, busy
    message: str = ""
    started: float | None = None
    finished: float | None = None
    by: str | None = None


class Builder:
    """Runs one build at a time in a thread. `run_build`: the work (default: the real one)."""

    def __init__(self, run_build=None):
        self.run_build = run_build
        self._status = Status()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def status(self) -> Status:
        with self._lock:
            return Status(**vars(self._status))

    def start(self, by: str) -> bool:
        """Start a build; False when one runs already or builds are off."""
        with self._lock:
            if self.run_build is None or self._status.state == "running":
                return False
            self._status = Status("running", "building the marts", time.time(), None, by)
        self._thread = threading.Thread(target=self._run, name="fazhi-web-build", daemon=True)
        self._thread.start()
        return True

    def wait(self, timeout: float | None = None) -> Status:
        if self._thread is not None:
            self._thread.join(timeout)
        return self.status()

    def _run(self) -> None:
        try:
            state, message = self.run_build()
        except FazhiError as exc:
            state, message = ("busy" if exc.code == 5 else "failed"), str(exc)
        except Exception as exc:   # noqa: BLE001  the page shows it; the server goes on
            state, message = "failed", f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        with self._lock:
            self._status.state, self._status.message, self._status.finished = state, message, time.time()


def real_build(threshold: float | None = None):
    """A function for Builder: the marts' build under the writer lock, without waiting for it (a
    running ingest or build makes it say busy), then the web role's grants made again (a first
    build creates schemas the role had no rights on)."""
    def run() -> tuple[str, str]:
        from fazhi.warehouse import engine
        from fazhi.warehouse.dbt import build_marts
        from fazhi.warehouse.lock import warehouse_lock
        from fazhi.warehouse.roles import grant_web_rights

        with warehouse_lock("web build", wait=False):
            code = build_marts(["build"], quiet=True, threshold=threshold)
            if code == 0:
                with engine().begin() as conn:
                    grant_web_rights(conn)
        if code != 0:
            return "failed", f"dbt failed (exit {code}); the previous marts are still in place"
        return "done", "the marts are built"
    return run


async def start_build(request: Request):
    await checked_form(request)
    builder: Builder = request.app.state.builder
    started = await run_in_threadpool(builder.start, request.session["reviewer"])
    flash = "build started: the page shows when it is done" if started else \
        "a build is running already" if builder.status().state == "running" else "builds are off in this server"
    return redirect("/queue", flash, request)


def build_status(request: Request):
    s = request.app.state.builder.status()
    return JSONResponse({"state": s.state, "message": s.message, "started": s.started, "finished": s.finished,
                         "by": s.by})


routes = [Route("/build", start_build, methods=["POST"]), Route("/build/status", build_status)]
