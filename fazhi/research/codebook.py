"""The codebook for researchers (`fazhi codebook`): every indicator with its definition, unit,
plausible range, the phrasings the extractor reads it by and the views that use it, then the rule
that chooses each value and every view's columns, as HTML and Markdown.

Read from the sources the warehouse is built from, so it never drifts from them: the catalogue
(ingest/extract/indicators.yaml), the dbt project (dbt_project.yml's rates and switches, each
model's .yml descriptions, the shared descriptions in _docs.md). No database needed.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

import yaml

from .labels import indicator_column, short_name

# The views a researcher reads, in the order the codebook lists them.
VIEW_FOLDERS = ("marts", "marts_zh")
RULE_MODELS = ("int_chosen_values", "int_lineage_year_values", "int_rate_values")
_DOC = re.compile(r"\{\{\s*doc\(['\"](\w+)['\"]\)\s*\}\}")
_DOC_BLOCK = re.compile(r"\{%\s*docs\s+(\w+)\s*%\}(.*?)\{%\s*enddocs\s*%\}", re.S)


@dataclass
class View:
    name: str            # as a reader queries it: marts.cmp_loss_rate, marts_zh."败诉率"
    model: str
    description: str
    columns: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Indicator:
    code: str
    name_zh: str
    unit: str
    kind: str
    core: bool
    definition: str
    low: object
    high: object
    phrasings: list[str]
    uses: list[str] = field(default_factory=list)   # "view: column (role)"


def catalogue() -> list[Indicator]:
    raw = yaml.safe_load(resources.files("ingest.extract").joinpath("indicators.yaml").read_text(encoding="utf-8"))
    ranges = raw.get("ranges", {})
    found = []
    for item in raw["indicators"]:
        low, high = item.get("range") or ranges.get(item["unit"]) or (None, None)
        phrasings = [t["re"].replace("{w}", "…") for t in item.get("triggers", [])]
        found.append(Indicator(item["code"], item["name_zh"], item["unit"], item["kind"], bool(item.get("core")),
                               item.get("definition", ""), low, high, phrasings))
    return found


def _docs(dbt_dir: Path) -> dict[str, str]:
    blocks = {}
    for path in sorted((dbt_dir / "models").rglob("*.md")):
        blocks.update((k, v.strip()) for k, v in _DOC_BLOCK.findall(path.read_text(encoding="utf-8")))
    return blocks


def _resolve(text: str | None, docs: dict[str, str]) -> str:
    return _DOC.sub(lambda m: docs.get(m.group(1), m.group(0)), " ".join((text or "").split()))


def models(dbt_dir: Path) -> dict[str, tuple[str, dict]]:
    """model name -> (folder, its .yml entry with descriptions resolved)."""
    docs = _docs(dbt_dir)
    found = {}
    for path in sorted((dbt_dir / "models").rglob("*.yml")):
        for m in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            m["description"] = _resolve(m.get("description"), docs)
            for c in m.get("columns", []):
                c["description"] = _resolve(c.get("description"), docs)
            found[m["name"]] = (path.parent.relative_to(dbt_dir / "models").parts[0], m)
    return found


def _alias(dbt_dir: Path, folder: str, model: str) -> str:
    sql = (dbt_dir / "models" / folder / f"{model}.sql").read_text(encoding="utf-8")
    alias = re.search(r"alias\s*=\s*['\"]([^'\"]+)['\"]", sql)
    return f'{folder}."{alias.group(1)}"' if alias else f"{folder}.{model}"


def project_vars(dbt_dir: Path) -> dict:
    return yaml.safe_load((dbt_dir / "dbt_project.yml").read_text(encoding="utf-8")).get("vars", {})


def build(dbt_dir: Path) -> tuple[list[Indicator], list[View], dict, dict[str, str]]:
    """The indicators (with the views that use them), the views, the project's vars and the
    choice rules' descriptions."""
    indicators = catalogue()
    found = models(dbt_dir)
    views = [View(_alias(dbt_dir, folder, name), name, m["description"],
                  [(c["name"], c["description"]) for c in m.get("columns", [])])
             for name, (folder, m) in found.items() if folder in VIEW_FOLDERS]
    variables = project_vars(dbt_dir)
    zh = {v.model: v.name for v in views if v.name.startswith("marts_zh.")}
    zh_of = {"indicator_panel": "zh_panel", "indicator_panel_wide": "zh_panel_wide", "fct_metric": "zh_figures",
             "audit_rate_discrepancy": "zh_rate_discrepancy"}
    for i in indicators:
        i.uses += ["marts.fct_metric (indicator_code)", "marts.indicator_panel (indicator_code)"]
        i.uses += [f"{zh.get(zh_of['fct_metric'], '')} (指标代码)", f"{zh.get(zh_of['indicator_panel'], '')} (指标代码)"]
        if i.core:
            i.uses += [f"marts.indicator_panel_wide ({i.code.replace('.', '__')})",
                       f"{zh.get(zh_of['indicator_panel_wide'], '')} ({i.name_zh})"]
        for r in variables.get("rates", []):
            role = ("rate" if i.code == r["code"] else "numerator" if i.code == r["numerator"]
                    else "denominator" if i.code in r["denominators"] else None)
            if role:
                mart = r["mart"]
                i.uses.append(f"marts.{mart} ({role})")
                zh_mart = zh.get("zh_" + mart.removeprefix("cmp_"))
                if zh_mart:
                    i.uses.append(f"{zh_mart} ({role})")
                i.uses.append(f"marts.audit_rate_discrepancy ({role} of {r['code']})")
        i.uses = [u for u in dict.fromkeys(i.uses) if not u.startswith(" ")]
    rules = {name: found[name][1]["description"] for name in RULE_MODELS if name in found}
    return indicators, views, variables, rules


def _range(i: Indicator) -> str:
    if i.low is None and i.high is None:
        return "—"
    return f"{i.low if i.low is not None else '−∞'} – {i.high if i.high is not None else '∞'} {i.unit}"


def _export_name(i: Indicator) -> str:
    """Its column in `fazhi export --wide` (CSV, Parquet and Stata alike); the long panel has it as
    a value of indicator_code."""
    return short_name(indicator_column(i.code)) if i.core else "— (long panel only: indicator_code)"


def _rate_lines(variables: dict) -> list[str]:
    return [f"{r['code']} = {r['numerator']} / {' | '.join(r['denominators'])} (marts.{r['mart']})"
            for r in variables.get("rates", [])]


def _md_cell(text: str) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown(indicators, views, variables, rules) -> str:
    out = ["# fazhi codebook 指标与视图说明", "", f"Generated {date.today():%Y-%m-%d} by `fazhi codebook`.", "",
           "## 取值规则 How each value is chosen", ""]
    out += [f"- **{_md_cell(name)}**: {_md_cell(text)}" for name, text in rules.items()]
    out += ["", "Rates (numerator / denominators in order of preference; the first one stated is the base):", ""]
    out += [f"- `{_md_cell(line)}`" for line in _rate_lines(variables)]
    out += ["", f"- recompute_rates: `{variables.get('recompute_rates')}` (false: stated values only, everywhere)",
            f"- min_confidence: `{variables.get('min_confidence')}` (figures below it are compared only when a "
            "researcher corrects or confirms them)", "", "## 指标 Indicators", ""]
    for i in indicators:
        out += [f"### {_md_cell(i.name_zh)} `{_md_cell(i.code)}`", "",
                "| | |", "|---|---|",
                f"| 定义 Definition | {_md_cell(i.definition)} |",
                f"| 单位 Unit | {_md_cell(i.unit)} ({_md_cell(i.kind)}{', core' if i.core else ''}) |",
                f"| 合理范围 Plausible range | {_md_cell(_range(i))} |",
                f"| 表述 Phrasings | {'<br>'.join('`' + _md_cell(p) + '`' for p in i.phrasings) or '—'} |",
                f"| 视图 Used in | {'<br>'.join(_md_cell(u) for u in i.uses)} |",
                f"| 导出列名 Export name | {_md_cell(_export_name(i))} |", ""]
    out += ["## 视图 Views", ""]
    for v in views:
        out += [f"### `{_md_cell(v.name)}`", "", _md_cell(v.description), "", "| column | description |", "|---|---|"]
        out += [f"| `{_md_cell(c)}` | {_md_cell(d)} |" for c, d in v.columns]
        out.append("")
    return "\n".join(out)


def html_page(indicators, views, variables, rules) -> str:
    e = html.escape

    def table(rows) -> str:
        return "<table>" + "".join(f"<tr><th>{e(k)}</th><td>{v}</td></tr>" for k, v in rows) + "</table>"

    parts = ["<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>fazhi codebook</title>",
             "<style>body{font-family:'Noto Sans CJK SC',sans-serif;max-width:70em;margin:2em auto;line-height:1.5}"
             "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;"
             "text-align:left;vertical-align:top}code{background:#f4f4f4}</style></head><body>",
             "<h1>fazhi codebook 指标与视图说明</h1>",
             f"<p>Generated {date.today():%Y-%m-%d} by <code>fazhi codebook</code>.</p>",
             "<h2 id='rules'>取值规则 How each value is chosen</h2><ul>"]
    parts += [f"<li><b>{e(name)}</b>: {e(text)}</li>" for name, text in rules.items()]
    parts += ["</ul><p>Rates (numerator / denominators in order of preference):</p><ul>"]
    parts += [f"<li><code>{e(line)}</code></li>" for line in _rate_lines(variables)]
    parts += [f"</ul><p>recompute_rates: <code>{e(str(variables.get('recompute_rates')))}</code>; "
              f"min_confidence: <code>{e(str(variables.get('min_confidence')))}</code></p>",
              "<h2 id='indicators'>指标 Indicators</h2>"]
    for i in indicators:
        parts.append(f"<h3 id='{e(i.code)}'>{e(i.name_zh)} <code>{e(i.code)}</code></h3>")
        parts.append(table([
            ("定义 Definition", e(i.definition)),
            ("单位 Unit", e(f"{i.unit} ({i.kind}{', core' if i.core else ''})")),
            ("合理范围 Plausible range", e(_range(i))),
            ("表述 Phrasings", "<br>".join(f"<code>{e(p)}</code>" for p in i.phrasings) or "—"),
            ("视图 Used in", "<br>".join(e(u) for u in i.uses)),
            ("导出列名 Export name", e(_export_name(i)))]))
    parts.append("<h2 id='views'>视图 Views</h2>")
    for v in views:
        parts.append(f"<h3><code>{e(v.name)}</code></h3><p>{e(v.description)}</p>")
        parts.append("<table><tr><th>column</th><th>description</th></tr>"
                     + "".join(f"<tr><td><code>{e(c)}</code></td><td>{e(d)}</td></tr>" for c, d in v.columns)
                     + "</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_codebook(dbt_dir: Path, out_dir: Path) -> tuple[Path, Path, int, int]:
    """Write codebook.html and codebook.md into out_dir; returns their paths and the numbers of
    indicators and views."""
    indicators, views, variables, rules = build(dbt_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    page, md = out_dir / "codebook.html", out_dir / "codebook.md"
    page.write_text(html_page(indicators, views, variables, rules), encoding="utf-8")
    md.write_text(markdown(indicators, views, variables, rules), encoding="utf-8")
    return page, md, len(indicators), len(views)
