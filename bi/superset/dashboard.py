#!/usr/bin/env python3
"""Render fazhi's Superset dashboard to PNG, from the bundle in bi/superset/bundle.

    python3 bi/superset/dashboard.py [--fazhi-home DIR] [--out FILE.png] [--port N] [--keep-running]
    python3 bi/superset/dashboard.py --zip-only FILE.zip [--db-uri URI]   # the bundle, for import by hand
    python3 bi/superset/dashboard.py --export                  # edits made in Superset -> bundle YAML

Steps (each safe to repeat): a virtual environment for Superset (bi/superset/.venv, pinned in
requirements.txt; never fazhi's venv), Superset's own metadata store (SQLite in
bi/superset/.state), its admin user, a read-only warehouse role `superset` (`fazhi grant-reader
superset --password-stdin`, a new password each run), the bundle zipped with the warehouse's
socket URL (or --db-uri) and imported (overwriting the previous import), Superset on
127.0.0.1:PORT, every chart's data fetched through Superset's chart-data API (each must answer
200), then headless Chromium logs in, opens each dashboard, waits for every chart and writes the
PNGs (FILE.png, and FILE-place.png for the place profile). Superset is stopped at the end unless
--keep-running.

Passwords go to the programs that need them on stdin; none is put on a command line or printed.
The admin password is kept in bi/superset/.state/admin.password (mode 0600).
Needs: python3 (3.11), Debian's chromium and fonts-noto-cjk, fazhi installed (./dev build).
"""
from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from chartdata import check_chart_data  # noqa: E402  (bi/superset/chartdata.py)

REPO = HERE.parent.parent
BUNDLE = HERE / "bundle"
REQUIREMENTS = HERE / "requirements.txt"
READER = "superset"
MASK = "XXXXXXXXXX"  # what Superset's import format puts where a password was
# slug -> (bundle file, suffix of its PNG): the overview, and one place's profile
DASHBOARDS = {"fazhi": ("fazhi.yaml", ""), "fazhi-place": ("fazhi_place.yaml", "-place")}
DASHBOARD_SLUG = "fazhi"
DB_URI_SETTING = "FAZHI_SUPERSET_DB_URI"


def fail(message: str) -> None:
    sys.exit(f"dashboard.py: {message}")


def step(message: str) -> None:
    print(f"== {message}", flush=True)


def options(argv=None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--fazhi-home", type=Path, default=os.environ.get("FAZHI_HOME") or REPO / ".fazhi",
                    help="the warehouse (FAZHI_HOME; default $FAZHI_HOME, else .fazhi in the repo)")
    ap.add_argument("--out", type=Path, default=Path("dashboard.png"), help="PNG to write (default dashboard.png)")
    ap.add_argument("--port", type=int, default=8089, help="Superset's port on 127.0.0.1 (default 8089)")
    ap.add_argument("--width", type=int, default=1600, help="page width in pixels (default 1600)")
    ap.add_argument("--fazhi", default=None, help="the fazhi command (default: the repo's .venv/bin/fazhi)")
    ap.add_argument("--venv", type=Path, default=HERE / ".venv", help="Superset's virtual environment")
    ap.add_argument("--state", type=Path, default=HERE / ".state", help="Superset's metadata store and secrets")
    ap.add_argument("--keep-running", action="store_true", help="leave Superset running after the PNG (Ctrl-C stops it)")
    ap.add_argument("--export", action="store_true", help="write the dashboard as Superset now has it "
                    "(after edits with --keep-running) back into bi/superset/bundle, and exit")
    ap.add_argument("--zip-only", type=Path, metavar="ZIP", help="only write the bundle as ZIP and exit; its "
                    "database is --db-uri, else the warehouse's Unix socket as role superset")
    ap.add_argument("--db-uri", default=os.environ.get(DB_URI_SETTING) or None, metavar="URI",
                    help=f"the warehouse as Superset should reach it, e.g. postgresql://superset@127.0.0.1:5433/fazhi "
                         f"(for `fazhi serve --port 5433`); any password in it is dropped, the role is always "
                         f"superset (default ${DB_URI_SETTING}, else the socket of --fazhi-home)")
    return ap.parse_args(argv)


# --- the bundle ---------------------------------------------------------------------------------

def zip_bundle(dest: Path, uri: str | None = None) -> Path:
    """The bundle's YAML as Superset's import ZIP (one top folder); `uri` replaces the database's."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(BUNDLE.rglob("*.yaml")):
            rel = path.relative_to(BUNDLE).as_posix()
            body = path.read_text(encoding="utf-8")
            if uri and rel.startswith("databases/"):
                body, n = re.subn(r"(?m)^sqlalchemy_uri: .*$", lambda _: f"sqlalchemy_uri: {uri}", body)
                if n != 1:
                    fail(f"{path}: expected one sqlalchemy_uri line")
            zf.writestr(f"fazhi_dashboard/{rel}", body)
    return dest


def expected_charts(slug: str = DASHBOARD_SLUG) -> int:
    """Charts a dashboard lays out (the renderer waits for as many)."""
    text = (BUNDLE / "dashboards" / DASHBOARDS[slug][0]).read_text(encoding="utf-8")
    return len(re.findall(r"(?m)^\s+type: CHART$", text))


# --- Superset's environment ---------------------------------------------------------------------

def ensure_venv(venv: Path) -> Path:
    """Superset's venv with the pinned requirements (reinstalled when requirements.txt changes)."""
    py = venv / "bin" / "python"
    stamp = venv / ".requirements"
    if stamp.exists() and stamp.read_text() == REQUIREMENTS.read_text():
        return py
    step(f"installing Superset into {venv} (a few minutes; log: {venv}/pip.log)")
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    with open(venv / "pip.log", "w") as log:
        done = subprocess.run([str(py), "-m", "pip", "install", "-r", str(REQUIREMENTS)], stdout=log, stderr=log)
    if done.returncode:
        fail(f"pip install failed; see {venv}/pip.log")
    shutil.copyfile(REQUIREMENTS, stamp)
    return py


def private_file(path: Path, make) -> str:
    """A secret kept in a 0600 file, made once by `make()`."""
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(make() + "\n")
    return path.read_text().strip()


def superset_env(state: Path, venv: Path) -> dict[str, str]:
    env = dict(os.environ, SUPERSET_CONFIG_PATH=str(HERE / "superset_config.py"),
               FAZHI_SUPERSET_STATE=str(state), FLASK_APP="superset", PYTHONUNBUFFERED="1")
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    # Superset must not find fazhi's venv (or any other) through the caller's environment.
    for name in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"):
        env.pop(name, None)
    return env


def run(cmd: list[str], env: dict, log: Path, stdin: str | None = None, what: str = "") -> None:
    with open(log, "a") as out:
        done = subprocess.run(cmd, env=env, input=stdin, text=True, stdout=out, stderr=out)
    if done.returncode:
        fail(f"{what or cmd[0]} failed (exit {done.returncode}); see {log}")


def init_metadata(venv: Path, state: Path, env: dict) -> None:
    """Superset's metadata store, upgraded and initialised once per installed Superset."""
    stamp = state / ".initialised"
    installed = (venv / ".requirements").read_text()
    if stamp.exists() and stamp.read_text() == installed:
        return
    step("initialising Superset's metadata store")
    superset = str(venv / "bin" / "superset")
    run([superset, "db", "upgrade"], env, state / "setup.log", what="superset db upgrade")
    run([superset, "init"], env, state / "setup.log", what="superset init")
    stamp.write_text(installed)


# --- the warehouse ------------------------------------------------------------------------------

def fazhi_command(given: str | None) -> str:
    for candidate in (given, REPO / ".venv" / "bin" / "fazhi", shutil.which("fazhi")):
        if candidate and Path(candidate).exists():
            return str(candidate)
    fail("fazhi not found: run ./dev build first, or pass --fazhi PATH")


def grant_reader(fazhi: str, home: Path, password: str) -> str:
    """(Re)create the read-only role; returns its socket URL's Superset form, password masked."""
    env = dict(os.environ, FAZHI_HOME=str(home))
    env.pop("DATABASE_URL", None)  # the embedded warehouse in `home`, never another server
    done = subprocess.run([fazhi, "grant-reader", READER, "--password-stdin"], env=env, input=password + "\n",
                          text=True, capture_output=True)
    if done.returncode:
        fail(f"fazhi grant-reader failed (exit {done.returncode}):\n{done.stderr.strip()}")
    urls = [line for line in done.stdout.splitlines() if line.startswith("postgresql://")]
    if not urls:
        fail("fazhi grant-reader printed no URL")
    return superset_uri(urls[0])


def superset_uri(url: str) -> str:
    """postgresql://user:pw@HOST:PORT/db or @/db?host=SOCKETDIR&port=N -> Superset's psycopg2 URI as
    role superset, the password masked (given at import time, never in the bundle)."""
    scheme, sep, _ = url.partition("://")
    if not sep or scheme.split("+")[0] not in ("postgresql", "postgres"):
        fail(f"--db-uri must be a postgresql:// URL, got {scheme or url!r}")
    parts = urlsplit(url)
    try:
        host, port = parts.hostname or "", parts.port
    except ValueError as exc:
        fail(f"--db-uri is not a valid URL: {exc}")
    query = parse_qs(parts.query)
    if host:
        where = f"@[{host}]" if ":" in host else f"@{host}"
        where += f":{port}" if port else ""
        tail = ""
    elif query.get("host"):
        where = "@"
        tail = f"?host={quote(query['host'][0], safe='')}&port={query.get('port', ['5432'])[0]}"
    else:
        fail("--db-uri names no host: give HOST:PORT or ?host=SOCKETDIR")
    return f"postgresql+psycopg2://{READER}:{MASK}{where}{parts.path or '/fazhi'}{tail}"


def socket_uri(fazhi: str, home: Path) -> str:
    """The warehouse's socket URL (the same however it is served: fazhi serve --port does not move
    the socket), as role superset; starts the embedded server like any fazhi command."""
    env = dict(os.environ, FAZHI_HOME=str(home))
    env.pop("DATABASE_URL", None)
    done = subprocess.run([fazhi, "db-url"], env=env, text=True, capture_output=True)
    if done.returncode or not done.stdout.startswith("postgresql://"):
        fail(f"fazhi db-url failed (exit {done.returncode}): {done.stderr.strip()}; or give --db-uri")
    return superset_uri(done.stdout.strip())


# --- Superset's server --------------------------------------------------------------------------

def port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def start_superset(venv: Path, env: dict, port: int, log: Path) -> subprocess.Popen:
    """gunicorn on 127.0.0.1 in its own process group (stopped as a group)."""
    if not port_free(port):
        fail(f"port {port} on 127.0.0.1 is taken (another Superset?); pick one with --port")
    step(f"starting Superset on http://127.0.0.1:{port} (log: {log})")
    cmd = [str(venv / "bin" / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "1",
           "--worker-class", "gthread", "--threads", "8", "--timeout", "120", "superset.app:create_app()"]
    out = open(log, "a")
    return subprocess.Popen(cmd, env=env, stdout=out, stderr=out, stdin=subprocess.DEVNULL, start_new_session=True)


def wait_healthy(proc: subprocess.Popen, port: int, log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            fail(f"Superset exited (code {proc.returncode}); see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    fail(f"Superset did not answer on port {port} within {timeout:.0f} s; see {log}")


def stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass


def check_browser() -> None:
    """Chromium and a Chinese font: without one, every label renders as empty boxes."""
    if not Path("/usr/bin/chromium").exists():
        fail("needs Debian's chromium: apt-get install chromium fonts-noto-cjk")
    fonts = shutil.which("fc-list") and subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True,
                                                        text=True).stdout.strip()
    if not fonts:
        fail("no Chinese font for Chromium: apt-get install fonts-noto-cjk")


# --- main ---------------------------------------------------------------------------------------

def prepare(args) -> tuple[Path, dict, str]:
    """Venv, state, metadata store, admin user: everything that does not depend on the warehouse."""
    py = ensure_venv(args.venv)
    args.state.mkdir(mode=0o700, parents=True, exist_ok=True)
    for log in ("setup.log", "superset.log"):  # this run's logs only
        (args.state / log).write_text("")
    private_file(args.state / "secret_key", lambda: secrets.token_urlsafe(48))
    admin_password = private_file(args.state / "admin.password", lambda: secrets.token_urlsafe(18))
    env = superset_env(args.state, args.venv)
    init_metadata(args.venv, args.state, env)
    run([str(py), str(HERE / "sstool.py"), "admin"], env, args.state / "setup.log", admin_password, "admin user")
    return py, env, admin_password


def warehouse(home: Path) -> Path:
    home = home.resolve()
    if not (home / "pgdata").is_dir():
        # fazhi would make an empty warehouse there, and every chart would fail.
        fail(f"no warehouse in {home}: build one first (FAZHI_HOME={home} fazhi build [REPORTS...])")
    return home


def import_warehouse(args, py: Path, env: dict) -> None:
    home = warehouse(args.fazhi_home)
    step(f"read-only role {READER!r} in the warehouse {home}")
    password = secrets.token_urlsafe(24)
    uri = grant_reader(fazhi_command(args.fazhi), home, password)
    uri = superset_uri(args.db_uri) if args.db_uri else uri
    bundle = zip_bundle(args.state / "fazhi_dashboard.zip", uri)
    step(f"importing {bundle.name} ({uri})")
    run([str(py), str(HERE / "sstool.py"), "import", str(bundle)], env, args.state / "setup.log", password,
        "import of the bundle")


def png_path(out: Path, slug: str) -> Path:
    return out.with_name(f"{out.stem}{DASHBOARDS[slug][1]}{out.suffix}")


def render(args, py: Path, env: dict, admin_password: str) -> list[str]:
    """Every dashboard to its PNG; the ones that failed (each is tried)."""
    failed = []
    for slug in DASHBOARDS:
        out = png_path(args.out.resolve(), slug)
        out.parent.mkdir(parents=True, exist_ok=True)
        url = f"http://127.0.0.1:{args.port}/superset/dashboard/{slug}/?standalone=1"
        step(f"rendering {url} to {out}")
        done = subprocess.run([str(py), str(HERE / "sstool.py"), "render", url, str(out), str(expected_charts(slug)),
                               str(args.width)], env=env, input=admin_password + "\n", text=True)
        if done.returncode:
            failed.append(f"rendering {slug} failed (exit {done.returncode})")
    return failed


def export(args) -> None:
    """Superset's dashboard, datasets and charts back into the bundle (the database file is kept)."""
    if not (args.state / "superset.db").exists():
        fail(f"no Superset state in {args.state}: run dashboard.py (with --keep-running to edit) first")
    env = superset_env(args.state, args.venv)
    done = subprocess.run([str(args.venv / "bin" / "python"), str(HERE / "sstool.py"), "export", str(BUNDLE)], env=env)
    if done.returncode:
        fail(f"export failed (exit {done.returncode})")


def main(argv=None) -> None:
    args = options(argv)
    if args.zip_only:
        if not args.db_uri and not (args.fazhi_home / "pgdata").is_dir():
            fail(f"no warehouse in {args.fazhi_home.resolve()} to take the socket URL from: give --db-uri URI "
                 f"(or ${DB_URI_SETTING}), or --fazhi-home DIR")
        uri = superset_uri(args.db_uri) if args.db_uri else socket_uri(fazhi_command(args.fazhi), args.fazhi_home)
        print(f"{zip_bundle(args.zip_only.resolve(), uri)} (database: {uri})")
        return
    if args.export:
        export(args)
        return
    check_browser()
    warehouse(args.fazhi_home)
    started = time.monotonic()
    py, env, admin_password = prepare(args)
    import_warehouse(args, py, env)
    proc = start_superset(args.venv, env, args.port, args.state / "superset.log")
    # SIGTERM (e.g. from a timeout) ends the run through `finally`, so Superset goes too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        wait_healthy(proc, args.port, args.state / "superset.log")
        failures = check_chart_data(args.port, admin_password, len(list((BUNDLE / "charts").glob("*.yaml"))))
        failures += render(args, py, env, admin_password)
        if failures:
            fail("\n  ".join(["failed:", *failures]))
        step(f"done in {time.monotonic() - started:.0f} s: {', '.join(str(png_path(args.out, s)) for s in DASHBOARDS)}")
        if args.keep_running:
            print(f"Superset runs on http://127.0.0.1:{args.port}/superset/dashboard/{DASHBOARD_SLUG}/ "
                  f"(user admin, password in {args.state / 'admin.password'}); Ctrl-C stops it", flush=True)
            proc.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop(proc)


if __name__ == "__main__":
    main()
