"""Score fazhi on the real-text development set (devset/): overall, per family, per document
kind, metadata, and confidence calibration; optionally write the calibration.

    python bench/devset.py                  # scores and tables
    python bench/devset.py -v               # and every miss and extra, per passage
    python bench/devset.py --calibrate      # write ingest/extract/confidence.yaml from the dev set
    python bench/devset.py --folds 5        # calibration table out of fold (honest figures)

The passages are read from devset/cache/ (git-ignored; see devset/README.md to rebuild it).
Scoring follows the shared scorer (tests/fixtures/shared/tools/score.py): a prediction matches a
fact of its passage with the same indicator (or an `alt`) and value; breakdowns and listed
places are neither hits nor false positives; optional facts are never misses.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
import warnings
from collections import defaultdict
from pathlib import Path

warnings.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "devset"
SCORE = ROOT / "tests" / "fixtures" / "shared" / "tools" / "score.py"
BINS = [0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001]
COMPARABLE = ("annual_report", "other_report", "statistics")


def _score_module():
    spec = importlib.util.spec_from_file_location("score", SCORE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def load_devset():
    index, gold = {}, defaultdict(list)
    for path in sorted((DEVSET / "index").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                index[r["doc"]] = r
    reports = {}
    for path in sorted((DEVSET / "gold").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                g = json.loads(line)
                (gold[g["doc"]].append(g) if g["kind"] == "metric" else reports.__setitem__(g["doc"], g))
    return index, gold, reports


def parse_all(index):
    from ingest.parse import parse_file
    from ingest.parse.report import load_tables

    load_tables(False)
    out, missing = {}, []
    for doc in index:
        path = DEVSET / "cache" / doc
        if not path.exists():
            missing.append(doc)
            continue
        out[doc] = parse_file(path, with_keywords=False)
    return out, missing


def match(sc, parsed, facts):
    """[(metric, verdict)] for each scored prediction (verdict True/False; None when it matched an
    optional fact) and the facts missed."""
    from ingest.extract.confidence import features  # noqa: F401  (same process as the parse)

    seen, uniq = set(), []
    for m in parsed.metrics:
        if m.breakdown or m.place or m.scope not in ("jurisdiction", "government_as_party"):
            continue
        key = (m.indicator, float(m.value))
        if key not in seen:
            seen.add(key)
            uniq.append(m)
    used, verdict, missed = set(), {}, []
    for g in sorted(facts, key=lambda g: bool(g.get("optional"))):
        codes = [g["indicator"], *g.get("alt", [])]
        hit = next((i for i, m in enumerate(uniq) if i not in used and m.indicator in codes
                    and sc.same_value(float(m.value), g["value"])), None)
        if hit is not None:
            used.add(hit)
            verdict[hit] = None if g.get("optional") else True
        elif not g.get("optional"):
            missed.append(g)
    return [(m, verdict.get(i, False)) for i, m in enumerate(uniq)], missed


def feature_names(parsed, m):
    from ingest.extract.catalogue import load
    from ingest.extract.confidence import features

    return features(m, parsed.kind, load(), parsed.doc.text)


def fit(items, l2: float = 2.0, steps: int = 400):
    """L2-regularised logistic regression by Newton's method: (bias, {feature: weight})."""
    import numpy as np

    names = sorted({f for fs, _ in items for f in fs})
    col = {f: j for j, f in enumerate(names)}
    X = np.zeros((len(items), len(names) + 1))
    X[:, 0] = 1.0
    for i, (fs, _) in enumerate(items):
        for f in fs:
            X[i, col[f] + 1] = 1.0
    y = np.array([1.0 if ok else 0.0 for _, ok in items])
    w = np.zeros(X.shape[1])
    reg = np.full(X.shape[1], l2)
    reg[0] = 1e-6
    for _ in range(steps):
        p = 1 / (1 + np.exp(-X @ w))
        grad = X.T @ (p - y) + reg * w
        hess = (X * (p * (1 - p))[:, None]).T @ X + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return float(w[0]), {f: float(w[col[f] + 1]) for f in names}


def seed_items(sc):
    from ingest.parse import parse_file

    gold = defaultdict(list)
    for line in (ROOT / "tests" / "fixtures" / "shared" / "gold" / "seeds.jsonl").read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        if g["kind"] == "metric":
            gold[g["doc"]].append(g)
    items = []
    for path in sorted((ROOT / "ingest" / "samples").glob("*.txt")):
        p = parse_file(path, with_keywords=False)
        judged, _ = match(sc, p, gold[path.name])
        items += [(feature_names(p, m), ok) for m, ok in judged if ok is not None]
    return items


def calibration_table(rows):
    print("calibration: confidence bin   figures  mean conf  observed precision")
    for lo, hi in zip(BINS, BINS[1:]):
        inbin = [(c, ok) for c, ok in rows if lo <= c < hi]
        if inbin:
            mean = sum(c for c, _ in inbin) / len(inbin)
            prec = sum(ok for _, ok in inbin) / len(inbin)
            print(f"  [{lo:.2f}, {min(hi, 1):.2f}{']' if hi > 1 else ')'}      {len(inbin):7d}  {mean:9.3f}  {prec:18.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--calibrate", action="store_true", help="write ingest/extract/confidence.yaml")
    ap.add_argument("--folds", type=int, default=0, help="also print an out-of-fold calibration table")
    ap.add_argument("--threshold", type=float, default=None, help="comparison threshold (default: dbt's)")
    ap.add_argument("--only", help="score only passages whose id starts with this")
    args = ap.parse_args()

    sc = _score_module()
    from ingest.extract.catalogue import load
    core = {c for c, i in load().indicators.items() if i.core}
    index, gold, reports = load_devset()
    if args.only:
        index = {d: r for d, r in index.items() if r["id"].startswith(args.only)}
    parsed, missing = parse_all(index)
    if missing:
        print(f"{len(missing)} passages not in devset/cache (rebuild it: devset/README.md)")
    threshold = args.threshold if args.threshold is not None else _dbt_threshold()

    per_doc = {}
    tally = defaultdict(lambda: [0, 0, 0, 0])   # key -> tp, fp, fn (core figures); comparable: + fp held back
    calib, meta = [], defaultdict(lambda: [0, 0])
    for doc, p in parsed.items():
        judged, missed = match(sc, p, gold[doc])
        per_doc[doc] = (judged, missed)
        r = index[doc]
        keys = ["all", f"kind:{r['kind']}", f"level:{r['level']}"] + [f"family:{f}" for f in r["families"]]
        for m, ok in judged:
            if ok is None:
                continue
            calib.append((feature_names(p, m), ok, m.confidence, doc))   # fitted on every figure
            if m.indicator not in core:
                continue
            for k in keys:
                tally[k][0 if ok else 1] += 1
            if m.confidence is not None and m.confidence >= threshold:
                tally["at_threshold"][0 if ok else 1] += 1
            elif ok:
                tally["at_threshold"][2] += 1   # right, but held back by the threshold
            # What the comparison views use: annual and other reports and statistics pages
            # (news items and other texts never feed them), at or above the threshold.
            if p.kind in COMPARABLE:
                fed = m.confidence is not None and m.confidence >= threshold
                tally["comparable"][0 if ok and fed else 1 if fed else 2 if ok else 3] += 1
        for g in missed:
            if g["indicator"] in core:
                for k in keys:
                    tally[k][2] += 1
                tally["at_threshold"][2] += 1
                if p.kind in COMPARABLE:
                    tally["comparable"][2] += 1
        js, want = p.as_json(), reports.get(doc, {})
        for field in ("jurisdiction", "jurisdiction_code", "level", "issuer", "report_year", "title", "published_on"):
            if field in want:
                meta[field][1] += 1
                meta[field][0] += str(want[field]) == str(sc.pred_meta(js, field))

    docs = len(parsed)
    provinces = {index[d]["province"] for d in parsed}
    print(f"dev set: {docs} passages, {len(provinces)} provinces, "
          f"{sum(len(v) for d, v in gold.items() if d in parsed)} gold facts")
    print("core figures            passages  precision  recall     F1   (tp/fp/fn)")
    order = ["all", "at_threshold", "comparable"] + sorted(k for k in tally if k.startswith("family:")) + \
        sorted(k for k in tally if k.startswith("kind:")) + sorted(k for k in tally if k.startswith("level:"))
    for k in order:
        tp, fp, fn = tally[k][:3]
        n = "" if k in ("at_threshold", "comparable") else sum(1 for d in parsed if _has(index[d], k))
        label = {"at_threshold": f"at confidence >= {threshold:g}",
                 "comparable": "fed to comparisons"}.get(k, k)
        p_, r_, f_ = sc.prf(tp, fp, fn)
        print(f"  {label:22s} {str(n):>8s}  {p_:9.3f}  {r_:6.3f}  {f_:6.3f}   ({tp}/{fp}/{fn})")
    print("metadata (passages whose gold states the field):")
    for field, (ok, n) in meta.items():
        print(f"  {field:18s} {ok}/{n} = {ok / n:.3f}")
    calibration_table([(c, ok) for _, ok, c, _ in calib if c is not None])
    if args.folds:
        from ingest.extract.confidence import score

        oof = []
        for fold in range(args.folds):
            def in_fold(doc):
                return int(hashlib.sha256(doc.encode()).hexdigest(), 16) % args.folds == fold
            fitted = fit([(f, ok) for f, ok, _, d in calib if not in_fold(d)])
            oof += [(score(f, fitted), ok, d, f) for f, ok, _, d in calib if in_fold(d)]
        print(f"out of fold ({args.folds} folds by passage, every figure):")
        calibration_table([(c, ok) for c, ok, _, _ in oof])
        fed = [(c, ok) for c, ok, d, f in oof if "doc:report" in f or "doc:statistics" in f]
        print("  threshold   all figures: kept  precision   fed to comparisons: kept  precision  right kept")
        for t in (0.0, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95):
            kept = [ok for c, ok, _, _ in oof if c >= t]
            kept_fed = [ok for c, ok in fed if c >= t]
            right = sum(ok for _, ok in fed)
            print(f"  >= {t:.2f}   {len(kept):17d}  {(sum(kept) / len(kept) if kept else 0):9.3f}   "
                  f"{len(kept_fed):24d}  {(sum(kept_fed) / len(kept_fed) if kept_fed else 0):9.3f}  "
                  f"{sum(kept_fed)}/{right}")
    if args.calibrate:
        # The five bundled annual reports, with the team's gold, join the fit: the dev set has few
        # annual reports, and they are what the comparisons are built from.
        seeds = seed_items(sc)
        write_calibration(fit([(f, ok) for f, ok, _, _ in calib] + seeds), len(parsed), len(calib) + len(seeds))
    if args.verbose:
        for doc, (judged, missed) in sorted(per_doc.items()):
            for g in missed:
                print(f"  MISS  {doc} {g['indicator']}={g['value']}  «{g['evidence']}»")
            for m, ok in judged:
                if ok is False:
                    print(f"  EXTRA {doc} {m.indicator}={m.value} [{m.mechanism} {m.confidence}] «{m.evidence[:80]}»")
            want, js = reports.get(doc, {}), parsed[doc].as_json()
            for field in ("title", "jurisdiction", "jurisdiction_code", "issuer", "report_year"):
                if field in want and str(want[field]) != str(sc.pred_meta(js, field)):
                    print(f"  META  {doc} {field}: want {want[field]!r} got {sc.pred_meta(js, field)!r}")


def _has(row, key):
    kind, _, value = key.partition(":")
    if kind == "all":
        return True
    if kind == "family":
        return value in row["families"]
    return row.get(kind) == value


def _dbt_threshold() -> float:
    import yaml

    project = yaml.safe_load((ROOT / "dbt" / "dbt_project.yml").read_text(encoding="utf-8"))
    return float((project.get("vars") or {}).get("min_confidence", 0.75))


def write_calibration(fitted, passages: int, figures: int) -> None:
    bias, weights = fitted
    path = ROOT / "ingest" / "extract" / "confidence.yaml"
    lines = ["# Written by bench/devset.py --calibrate: the weights of ingest/extract/confidence.py's logistic",
             f"# model, fitted on {figures} figures: the real-text dev set ({passages} passages) and the five samples.",
             "# Do not edit by hand; refit after changing the extractor, its cues or the dev set.",
             f"bias: {bias:.4f}", "weights:"]
    for k in sorted(weights):
        lines.append(f"  {json.dumps(k, ensure_ascii=False)}: {weights[k]:.4f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)} ({len(weights)} features)", file=sys.stderr)


if __name__ == "__main__":
    main()
