"""The shape of the code as a newcomer meets it: modules, import depth, import cycles, and how
often following one file through the flow jumps back into a module it already left.

    python bench/layout.py [--root DIR] [--trace FILE]

Import graph: every `import` of a project module anywhere in a module (function bodies too), read
from the source with grimp (import-linter's graph). Depth: the longest chain of imports, counted
in modules, after each cycle is merged into one node; also at the level of packages. Trace: the
functions of the project called while one file is read, parsed, extracted and prepared for
loading (the work of one ingest worker), each function taken at its first call; the modules they
belong to in that order, consecutive repeats merged: "modules" is how many distinct modules the
path visits, "returns" how many times it comes back to a module it had left.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ingest", "fazhi")


def graph(root: Path):
    import grimp

    sys.path.insert(0, str(root))
    names = [p for p in PACKAGES if (root / p / "__init__.py").exists()]
    return grimp.build_graph(*names, cache_dir=None), names


def components(modules, deps):
    """Strongly connected components (Tarjan, iterative)."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = 0
    for start in sorted(modules):
        if start in index:
            continue
        work = [(start, iter(sorted(deps[start])))]
        index[start] = low[start] = counter; counter += 1
        stack.append(start); on.add(start)
        while work:
            node, it = work[-1]
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter; counter += 1
                    stack.append(nxt); on.add(nxt)
                    work.append((nxt, iter(sorted(deps[nxt]))))
                    break
                if nxt in on:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    comp = []
                    while True:
                        m = stack.pop(); on.discard(m); comp.append(m)
                        if m == node:
                            break
                    out.append(sorted(comp))
    return out


def depth(modules, deps) -> tuple[int, list[str]]:
    """The longest chain of imports (cycles merged into one node), and one such chain."""
    comps = components(modules, deps)
    of = {m: i for i, c in enumerate(comps) for m in c}
    level: dict[int, int] = {}
    below_of: dict[int, int | None] = {}
    for i, comp in enumerate(comps):   # Tarjan emits components in reverse topological order
        below = sorted({of[d] for m in comp for d in deps[m]} - {i}, key=lambda j: (-level[j], j))
        level[i] = 1 + (level[below[0]] if below else 0)
        below_of[i] = below[0] if below else None
    top = max(level, key=lambda i: (level[i], -i), default=None)
    chain = []
    while top is not None:
        chain.append("/".join(comps[top]))
        top = below_of[top]
    return len(chain), chain


def report_graph(root: Path) -> None:
    g, names = graph(root)
    modules = sorted(g.modules)
    deps = {m: set(g.find_modules_directly_imported_by(m)) & set(modules) for m in modules}
    cycles = [c for c in components(modules, deps) if len(c) > 1]
    # A step is a package directly below a root package (ingest.read, fazhi.cli); a module directly
    # in a root package (ingest.errors) is its own.
    step = lambda m: ".".join(m.split(".")[:2])
    steps = sorted({step(m) for m in modules})
    sdeps = {s: set() for s in steps}
    for m, ds in deps.items():
        sdeps[step(m)] |= {step(d) for d in ds} - {step(m)}
    # Through re-exports: an import of a package whose __init__ only re-exports counts as importing
    # the modules it re-exports, so depth counts the modules that hold code.
    inits = {m for m in modules if g.find_children(m) and _reexports_only(root, m)}
    def through(ds: set[str]) -> set[str]:
        out, todo = set(), list(ds)
        while todo:
            d = todo.pop()
            if d in inits:
                todo += [x for x in deps[d] if x not in out]
            else:
                out.add(d)
        return out
    code = [m for m in modules if m not in inits]
    cdeps = {m: through(deps[m]) - {m} for m in code}
    print(f"modules            {len(modules)} in {len(names)} root packages ({', '.join(names)}), "
          f"{len(inits)} of them __init__s that only re-export")
    (n, _), (n_code, chain), (n_steps, step_chain) = depth(modules, deps), depth(code, cdeps), depth(steps, sdeps)
    print(f"import depth       {n} modules, {n_code} through re-exports: {' > '.join(chain)}")
    print(f"                   {n_steps} steps: {' > '.join(step_chain)}")
    print(f"import cycles      {len(cycles)} between modules, "
          f"{sum(1 for c in components(steps, sdeps) if len(c) > 1)} between steps")
    for c in cycles:
        print("                   " + " <-> ".join(c))
    size = lambda m: sum(1 for _ in open(_file(root, m, g), encoding="utf-8"))
    largest = max(modules, key=size)
    print(f"largest module     {largest} ({size(largest)} lines)")


def _file(root: Path, module: str, g) -> Path:
    base = root / module.replace(".", "/")
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def _reexports_only(root: Path, package: str) -> bool:
    """An __init__ that holds no code of its own: a docstring, imports and __all__."""
    import ast

    tree = ast.parse((root / package.replace(".", "/") / "__init__.py").read_text(encoding="utf-8"))
    return all(isinstance(n, (ast.Import, ast.ImportFrom)) or (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))
               or (isinstance(n, ast.Assign) and [t.id for t in n.targets if isinstance(t, ast.Name)] == ["__all__"])
               for n in tree.body)


def trace(root: Path, file: Path) -> None:
    sys.path.insert(0, str(root))
    try:
        from ingest.load.prepare import parse_one  # the layout of issue 20
        from ingest.read.limits import Limits
    except ImportError:
        from ingest.limits import Limits
        from ingest.prepare import parse_one  # the flat layout before it
    limits = Limits()
    parse_one(file, "-", limits)   # warm: dictionaries and lazy imports are not the path
    prefix = str(root.resolve()) + "/"
    seen: set = set()
    path: list[str] = []

    def on(frame, event, arg):
        if event != "call":
            return
        code = frame.f_code
        if not code.co_filename.startswith(prefix) or (code.co_filename, code.co_firstlineno) in seen:
            return
        seen.add((code.co_filename, code.co_firstlineno))
        rel = code.co_filename[len(prefix):-3].replace("/", ".").removesuffix(".__init__")
        if not path or path[-1] != rel:
            path.append(rel)

    sys.setprofile(on)
    try:
        parse_one(file, "-", limits)
    finally:
        sys.setprofile(None)
    visits = Counter(path)
    returns = sum(n - 1 for n in visits.values())
    top = ", ".join(f"{m} {n - 1}" for m, n in visits.most_common(3) if n > 1)
    print(f"one file's path    {len(visits)} modules, {returns} returns to a module already left ({top})")
    steps = [".".join(m.split(".")[:2]) for m in path]
    steps = [s for i, s in enumerate(steps) if i == 0 or steps[i - 1] != s]
    print(f"                   by step: {' > '.join(steps)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    ap.add_argument("--trace", type=Path, help="report file to follow (default: the first bundled sample)")
    a = ap.parse_args()
    root = a.root.resolve()
    report_graph(root)
    samples = next(p for p in (root / "ingest" / "samples", root / "ingest" / "data" / "samples") if p.is_dir())
    trace(root, a.trace or sorted(samples.glob("*.txt"))[0])


if __name__ == "__main__":
    main()
