#!/usr/bin/env python3
"""The real-text development set: register fetched passages, check the gold, verify the cache.

The passages are the openings of public web pages as the search tool's `pages` corpus returns
them. Their text is never committed: it lives in `devset/cache/` (git-ignored), and the committed
index (`devset/index/*.jsonl`) says how to fetch each one again (query, URL) and how to know it is
the same text (chars, sha256).

    python3 devset/tool.py register --id a-001 --url URL --query Q --province 浙江 --level county \
        --kind report --families multi_place,vertical_table
    python3 devset/tool.py check            # gold against texts, index against cache
    python3 devset/tool.py missing          # index rows whose cache text is absent or changed
"""
import argparse
import hashlib
import json
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
CACHE = HERE / "cache"
HELDOUT = HERE.parent / "tests" / "fixtures" / "shared" / "data" / "heldout-pages.sha256"
CHECK_GOLD = HERE.parent / "tests" / "fixtures" / "shared" / "tools" / "check_gold.py"
LEVELS = {"national", "province", "city", "county", "township", "department", "court"}
KINDS = {"report", "summary", "statistics", "court", "news", "other"}
FAMILIES = {
    "multi_place": "pages and tables listing several places or bodies",
    "parts_totals": "parts read as totals, totals read as parts",
    "phrasing": "phrasings outside the catalogue",
    "lookalike": "look-alike counts",
    "period": "period and change words",
    "vertical_table": "vertical tables",
    "metadata": "issuer and place from header lines, openings, rule titles, page site",
    "plain": "ordinary phrasings",
    "no_facts": "a page with no catalogue figure for its own area",
}


def url_hash(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


def heldout() -> set[str]:
    if not HELDOUT.exists():
        sys.exit(f"missing {HELDOUT}: cannot tell held-out pages apart")
    return {l.strip() for l in HELDOUT.read_text().splitlines() if l.strip() and not l.startswith("#")}


def rows():
    for path in sorted((HERE / "index").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield path, json.loads(line)


def register(a):
    if url_hash(a.url) in heldout():
        sys.exit(f"refused: {a.url} is a held-out page")
    if any(r["url"] == a.url for _, r in rows()):
        sys.exit(f"refused: {a.url} is already in the index")
    if any(r["id"] == a.id for _, r in rows()):
        sys.exit(f"refused: id {a.id} is taken")
    if a.level not in LEVELS or a.kind not in KINDS:
        sys.exit(f"level must be one of {sorted(LEVELS)}, kind one of {sorted(KINDS)}")
    fams = [f for f in a.families.split(",") if f]
    if bad := [f for f in fams if f not in FAMILIES]:
        sys.exit(f"unknown families {bad}; known: {sorted(FAMILIES)}")
    text = (CACHE / f"{a.id}.txt").read_text(encoding="utf-8")
    row = {"id": a.id, "doc": f"{a.id}.txt", "query": a.query, "url": a.url, "url_sha256": url_hash(a.url),
           "province": a.province, "level": a.level, "kind": a.kind, "families": fams,
           "chars": len(text), "sha256": hashlib.sha256(text.encode()).hexdigest()}
    batch = HERE / "index" / f"{a.id.split('-')[0]}.jsonl"
    with batch.open("a", encoding="utf-8") as f:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"registered {a.id}: {len(text)} chars, {a.province}, {a.level}, {a.kind}")


def missing(_a=None) -> list[str]:
    out = []
    for _, r in rows():
        p = CACHE / r["doc"]
        if not p.exists() or hashlib.sha256(p.read_text(encoding="utf-8").encode()).hexdigest() != r["sha256"]:
            out.append(r["id"])
    if _a is not None:
        print("\n".join(out) if out else "cache complete")
    return out


def check(_a):
    held, problems = heldout(), []
    ids = set()
    for path, r in rows():
        if r["url_sha256"] in held or url_hash(r["url"]) in held:
            problems.append(f"{path.name}: {r['id']} is a held-out page")
        if r["id"] in ids:
            problems.append(f"{path.name}: duplicate id {r['id']}")
        ids.add(r["id"])
    problems += [f"cache: {i} absent or changed" for i in missing()]
    golds = sorted((HERE / "gold").glob("*.jsonl"))
    for g in golds:
        run = subprocess.run([sys.executable, str(CHECK_GOLD), "--gold", str(g), "--texts", str(CACHE)],
                             capture_output=True, text=True)
        if run.returncode:
            problems.append(f"{g.name}: {run.stdout.strip() or run.stderr.strip()}")
    docs = {json.loads(l)["doc"] for g in golds for l in g.read_text(encoding="utf-8").splitlines() if l.strip()}
    problems += [f"index: {i} has no gold line" for i in sorted(ids) if f"{i}.txt" not in docs]
    print("\n".join(problems) if problems else f"ok: {len(ids)} passages")
    sys.exit(1 if problems else 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("register", help="add a passage saved as devset/cache/ID.txt to the index")
    for k in ("id", "url", "query", "province", "level", "kind"):
        r.add_argument(f"--{k}", required=True)
    r.add_argument("--families", default="")
    r.set_defaults(fn=register)
    sub.add_parser("check").set_defaults(fn=check)
    sub.add_parser("missing").set_defaults(fn=missing)
    a = ap.parse_args()
    a.fn(a)


if __name__ == "__main__":
    main()
