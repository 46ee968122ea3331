"""Dashboard query times on the comparison marts and their Chinese twins.

Two queries a dashboard makes, on each of the four comparison marts (marts.cmp_*) and on the same
data under Chinese names (marts_zh):
- one province and one year, best rate first (a provincial page);
- the whole country for one year, best rate first (a national ranking).
The province and year are those with the most rows in the data. Queries run as a client's would:
a fresh connection pool (SQLAlchemy + psycopg), opened before timing, every row fetched.

    python bench/dashboard.py [--repeat 50]

The database is the one setting of fazhi/warehouse/config.py (DATABASE_URL, else the embedded server).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fazhi.warehouse.config import database_url, sqlalchemy_url  # noqa: E402

# mart -> (its Chinese view, the Chinese name of the chosen rate)
MARTS = {
    "cmp_head_appearance_rate": ("出庭应诉率", "出庭应诉率"),
    "cmp_correction_rate": ("复议纠错率", "复议纠错率"),
    "cmp_loss_rate": ("败诉率", "败诉率"),
    "cmp_mediation_success_rate": ("调解成功率", "调解成功率"),
}


def queries(mart: str) -> list[tuple[str, str]]:
    """(label, sql) for the two shapes, in marts and marts_zh; :province and :year bound."""
    zh, rate = MARTS[mart]
    return [
        (f"marts.{mart} province+year", f"select * from marts.{mart} where province = :province "
         "and report_year = :year order by chosen_rate desc nulls last"),
        (f"marts.{mart} country+year", f"select * from marts.{mart} where report_year = :year "
         "order by chosen_rate desc nulls last"),
        (f'marts_zh."{zh}" province+year', f'select * from marts_zh."{zh}" where "省份" = :province '
         f'and "年份" = :year order by "{rate}" desc nulls last'),
        (f'marts_zh."{zh}" country+year', f'select * from marts_zh."{zh}" where "年份" = :year '
         f'order by "{rate}" desc nulls last'),
    ]


def _busiest(conn, mart: str) -> dict:
    row = conn.execute(text(f"""select province, report_year from marts.{mart} where province is not null
                               group by 1, 2 order by count(*) desc, 2 desc limit 1""")).first()
    if row is None:
        raise SystemExit(f"marts.{mart} is empty: build the marts first")
    return {"province": row[0], "year": row[1]}


def _time(engine, sql: str, params: dict, repeat: int) -> tuple[list[float], int]:
    times, rows = [], 0
    for _ in range(repeat):
        with engine.connect() as conn:   # from the pool: the connection is already open
            start = time.perf_counter()
            rows = len(conn.execute(text(sql), params).all())
            times.append((time.perf_counter() - start) * 1000)
    return times, rows


def _pct(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(repeat: int = 50) -> list[dict]:
    """p50 and p95 in ms of every query, with the rows it returned and the values it used."""
    engine = create_engine(sqlalchemy_url(database_url()), pool_size=2)
    results = []
    try:
        with engine.connect() as conn:   # opens the pool's connection: set-up is not timed
            picks = {mart: _busiest(conn, mart) for mart in MARTS}
        for mart, params in picks.items():
            for label, sql in queries(mart):
                _time(engine, sql, params, 3)   # plans and caches warm, as on a dashboard in use
                times, rows = _time(engine, sql, params, repeat)
                results.append({"query": label, "province": params["province"], "year": params["year"],
                                "rows": rows, "p50_ms": round(statistics.median(times), 2),
                                "p95_ms": round(_pct(times, 0.95), 2)})
    finally:
        engine.dispose()
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=50)
    args = ap.parse_args()
    with create_engine(sqlalchemy_url(database_url())).connect() as conn:
        reports = conn.execute(text("select count(*) from core.report")).scalar()
    print(f"{reports:,} reports; {args.repeat} runs per query")
    print(f"{'query':<52} {'filter':<16} {'rows':>6} {'p50 ms':>8} {'p95 ms':>8}")
    for r in measure(args.repeat):
        where = f"{r['province'] if 'province' in r['query'] else ''} {r['year']}".strip()
        print(f"{r['query']:<52} {where:<16} {r['rows']:>6} {r['p50_ms']:>8.2f} {r['p95_ms']:>8.2f}")


if __name__ == "__main__":
    main()
