"""Screenshots of fazhi web (issue 22): the review queue, a report page (its figures highlighted at
their evidence, the first queue item's figure selected) and a place page, taken by the
distribution's Chromium from the real `fazhi web`.

    python bench/web_screens.py --samples                  # a throw-away warehouse of the five samples
    FAZHI_HOME=/tmp/n1k/home python bench/web_screens.py --label corpus-1000
                                                            # the warehouse of the environment, as it is
    python bench/national.py --reports 1000 --work /tmp/n1k --skip-jieba --skip-parse --skip-dashboard
                                                            # makes such a warehouse (bench/README.md)

Writes OUT/queue-LABEL.png, OUT/report-LABEL.png, OUT/place-LABEL.png (OUT: docs/screenshots).
The place shown is the one with values in the most years (then the most values). A reviewer `screens` is added (a new
password each run); nothing else is written to the warehouse.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

from webdrive import Browser, Server, add_reviewer, fazhi  # noqa: E402


def options(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "),
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--samples", action="store_true", help="build the bundled samples in a throw-away warehouse")
    ap.add_argument("--label", help="file name suffix (default: samples, or corpus)")
    ap.add_argument("--out", type=Path, default=BENCH.parent / "docs" / "screenshots")
    ap.add_argument("--width", type=int, default=1400)
    ap.add_argument("--height", type=int, default=900)
    return ap.parse_args(argv)


def richest_place() -> str:
    from sqlalchemy import text

    from fazhi.warehouse import engine

    with engine().connect() as conn:
        return conn.execute(text("""select lineage_id from marts.indicator_panel where lineage_id is not null
            group by lineage_id order by count(distinct report_year) desc, count(*) desc, lineage_id
            limit 1""")).scalar()


def shoot(out: Path, label: str, size: tuple[int, int]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    password = add_reviewer("screens")
    lineage = richest_place()
    shots = []
    with Server(Path(tempfile.gettempdir()) / f"fazhi-web-screens-{label}.log") as server, Browser(size) as browser:
        page = browser.login(server.url, "screens", password)
        shots.append(out / f"queue-{label}.png")
        page.screenshot(path=shots[-1])
        first = page.locator("#queue-table tr.queue-row").first
        if first.count():
            page.goto(server.url + first.get_attribute("data-href"))
        else:   # an empty queue: the first report
            page.goto(f"{server.url}/report/1")
        page.wait_for_load_state("load")
        shots.append(out / f"report-{label}.png")
        page.screenshot(path=shots[-1])
        page.goto(f"{server.url}/place/{lineage}")
        shots.append(out / f"place-{label}.png")
        page.screenshot(path=shots[-1], full_page=True)
    fazhi("web", "--remove-reviewer", "screens")
    return shots


def main(argv=None) -> None:
    args = options(argv)
    label = args.label or ("samples" if args.samples else "corpus")
    home = None
    if args.samples:
        home = Path(tempfile.mkdtemp(prefix="fazhi-screens-"))
        home.chmod(0o711)   # as root the embedded server runs as its own user and must pass through
        os.environ.pop("DATABASE_URL", None)
        os.environ["FAZHI_HOME"] = str(home / "home")
        print("building the samples in a throw-away warehouse ...", flush=True)
        fazhi("build", "--jobs", "1")
    try:
        for path in shoot(args.out, label, (args.width, args.height)):
            print(path)
    finally:
        if home is not None:
            fazhi("db-stop", check=False)
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
