"""Steps of dashboard.py that run inside Superset's own virtual environment.

    python sstool.py admin                        admin user's password on stdin
    python sstool.py import BUNDLE.zip            the warehouse reader's password on stdin
    python sstool.py render URL OUT.png CHARTS [WIDTH]   admin password on stdin; CHARTS: how many to wait for
    python sstool.py export BUNDLE_DIR             the dashboard back into the bundle's YAML

Secrets come on stdin, never on a command line. All but `render` need SUPERSET_CONFIG_PATH
(superset_config.py) and FAZHI_SUPERSET_STATE, as dashboard.py sets them.
"""
from __future__ import annotations

import re
import sys
import time
import zipfile
from pathlib import Path

import yaml  # Superset's venv has PyYAML (a Superset requirement)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from querycontext import query_context  # noqa: E402  (bi/superset/querycontext.py)

ADMIN = "admin"
DATABASE_FILE = "databases/fazhi.yaml"  # the bundle's one database: its password goes here
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


def read_secret() -> str:
    secret = sys.stdin.readline().rstrip("\r\n")
    if not secret:
        sys.exit("sstool: expected a password on standard input")
    return secret


def app_context():
    from superset.app import create_app

    return create_app().app_context()


def set_admin(password: str) -> None:
    """Create the admin user, or give the existing one this password (re-runs stay in step)."""
    from superset import security_manager

    user = security_manager.find_user(username=ADMIN)
    if user is None:
        role = security_manager.find_role("Admin")
        if not security_manager.add_user(ADMIN, "fazhi", "admin", "admin@localhost", role, password=password):
            sys.exit("sstool: could not create the admin user")
    else:
        security_manager.reset_password(user.id, password)


def import_bundle(path: str, password: str) -> None:
    """Import the bundle as admin, with the warehouse reader's password, overwriting everything.

    ImportAssetsCommand, not ImportDashboardsCommand: the latter keeps an existing database,
    dataset or chart as it was, so a changed URI, column or chart would never reach Superset.
    It wants metadata type `assets`; the bundle says Dashboard, so that the same ZIP also
    imports by hand under Dashboards > Import.
    """
    from superset import security_manager
    from superset.commands.importers.v1.assets import ImportAssetsCommand
    from superset.commands.importers.v1.utils import get_contents_from_bundle
    from superset.utils.core import override_user

    with zipfile.ZipFile(path) as bundle:
        contents = get_contents_from_bundle(bundle)
    if DATABASE_FILE not in contents:
        sys.exit(f"sstool: {path} has no {DATABASE_FILE}")
    metadata = yaml.safe_load(contents["metadata.yaml"])
    contents["metadata.yaml"] = yaml.safe_dump({**metadata, "type": "assets"})
    with override_user(security_manager.find_user(username=ADMIN)):
        ImportAssetsCommand(contents, passwords={DATABASE_FILE: password}).run()


# Exporting: Superset writes Chinese as \u escapes and names files after its own ids; the bundle
# keeps readable YAML under stable names (matched by uuid) and its own database file.
KEEP = ("metadata.yaml", "databases/")


class ReadableDumper(yaml.SafeDumper):
    """Multi-line strings (the dashboard's Markdown) as literal blocks."""


ReadableDumper.add_representer(str, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None))


def readable_yaml(doc: dict) -> str:
    return yaml.dump(doc, Dumper=ReadableDumper, allow_unicode=True, sort_keys=False, width=110)


def keep_order(old: dict, new: dict) -> dict:
    """Columns and metrics in the order the bundle had them (Superset's own order is arbitrary)."""
    for key, name in (("columns", "column_name"), ("metrics", "metric_name")):
        rank = {item[name]: i for i, item in enumerate(old.get(key) or [])}
        (new.get(key) or []).sort(key=lambda item: rank.get(item[name], len(rank)))
    return new


def bundle_paths(bundle: Path) -> dict[str, Path]:
    """uuid -> file, for every YAML file of the bundle."""
    found = {}
    for path in bundle.rglob("*.yaml"):
        match = re.search(r"(?m)^uuid: (\S+)$", path.read_text(encoding="utf-8"))
        if match:
            found[match.group(1)] = path
    return found


def export_bundle(bundle: Path) -> None:
    from superset import db, security_manager
    from superset.commands.dashboard.export import ExportDashboardsCommand
    from superset.models.dashboard import Dashboard
    from superset.utils.core import override_user

    known = bundle_paths(bundle)
    ids = [i for (i,) in db.session.query(Dashboard.id).all()]
    with override_user(security_manager.find_user(username=ADMIN)):
        for name, content in ExportDashboardsCommand(ids).run():
            if name.startswith(KEEP):
                continue
            doc = yaml.safe_load(content())
            if "dataset_uuid" in doc:  # a chart: its context from its params, its dataset by uuid
                doc["query_context"] = query_context(doc)
            dest = known.get(str(doc.get("uuid"))) or bundle / name
            if dest.exists():
                doc = keep_order(yaml.safe_load(dest.read_text(encoding="utf-8")), doc)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(readable_yaml(doc), encoding="utf-8")
            print(dest.relative_to(bundle))


# Rendering: what Superset's dashboard shows while a chart loads or when it failed.
LOADING = ".loading, [data-test='loading-indicator'], [aria-label='loading'], .ant-skeleton"
ERRORS = ("[data-test='dashboard-component-chart-holder'] .ant-alert-error, "
          "[data-test='filter-bar'] .ant-form-item-has-error")
CHART = "[data-test-chart-id]"


def log_in(page, base: str, password: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name='username'], #username", ADMIN)
    page.fill("input[name='password'], #password", password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url, timeout=60_000)


def wait_for_charts(page, expected: int, timeout: float = 180.0) -> None:
    """Until `expected` charts are on the page and none has been loading for 2 s."""
    deadline = time.monotonic() + timeout
    settled_since = None
    while time.monotonic() < deadline:
        charts = page.locator(CHART).count()
        loading = page.locator(LOADING).count()
        if charts >= expected and loading == 0:
            settled_since = settled_since or time.monotonic()
            if time.monotonic() - settled_since >= 2:
                return
        else:
            settled_since = None
        time.sleep(0.5)
    raise SystemExit(f"sstool: timed out: {page.locator(CHART).count()} of {expected} charts on the page, "
                     f"{page.locator(LOADING).count()} still loading")


def chart_errors(page) -> list[str]:
    return [' '.join(t.split())[:300] for t in page.locator(ERRORS).all_inner_texts() if t.strip()]


def shrink(path: str) -> None:
    """Lossless recompression: Chromium writes fast, large PNGs."""
    from PIL import Image

    with Image.open(path) as im:
        im.load()
    im.save(path, optimize=True)


def render(url: str, out: str, expected: int, password: str, width: int = 1600) -> None:
    from urllib.parse import urlsplit

    from playwright.sync_api import sync_playwright

    parts = urlsplit(url)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 1200}, locale="zh-CN")
            log_in(page, f"{parts.scheme}://{parts.netloc}", password)
            page.goto(url)
            wait_for_charts(page, expected)
            errors = chart_errors(page)
            page.screenshot(path=out, full_page=True)
        finally:
            browser.close()
    shrink(out)
    if errors:
        sys.exit("sstool: charts failed (screenshot written anyway):\n  " + "\n  ".join(errors))


def main(argv: list[str]) -> None:
    if argv[:1] == ["admin"] and len(argv) == 1:
        with app_context():
            set_admin(read_secret())
    elif argv[:1] == ["import"] and len(argv) == 2:
        with app_context():
            import_bundle(argv[1], read_secret())
    elif argv[:1] == ["render"] and len(argv) in (4, 5):
        render(argv[1], argv[2], int(argv[3]), read_secret(), *map(int, argv[4:]))
    elif argv[:1] == ["export"] and len(argv) == 2:
        with app_context():
            export_bundle(Path(argv[1]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
