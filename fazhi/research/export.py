"""Export the indicator panel for statistics packages: CSV, Parquet, Stata 118 (.dta).

Every format gets the same column names (labels.short_name: at most 32 characters) and the same
values: the panel's chosen values (int_chosen_values, the rule cmp_* and `fazhi plot` share),
with how each was arrived at (chosen_source) and the corrections behind them. Columns keep the
warehouse's types even when every cell is empty: numbers stay float64 (Parquet double, Stata
double), never a null or string column. Stata gets Chinese variable labels, a Chinese data label
and value labels for the codes of kind, scope, level and chosen_source. Beside the file,
<name>.columns.csv lists each export name with its mart column, Chinese label and type.
"""
from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from .csvcells import neutralise
from .labels import LABELS_ZH, VALUE_LABELS, fit_label, indicator_column, short_names

FORMATS = ("csv", "parquet", "dta")
STATA_STR_LIMIT = 2045   # bytes of a fixed-width Stata string; longer text is written as strL

# Postgres type oids -> what the column is, so an all-empty column keeps its type.
_FLOAT = {700, 701, 1700}
_INT = {20, 21, 23}
_BOOL = {16}
_DATE = {1082}
_TIMESTAMP = {1114, 1184}


def read_view(conn, view: str):
    """The view as a DataFrame typed by its columns' types, not by the values it happens to hold."""
    import pandas as pd
    from sqlalchemy import text

    result = conn.execute(text(f"select * from {view}"))
    types = {d.name: d.type_code for d in result.cursor.description}
    df = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    for col, oid in types.items():
        if oid in _FLOAT:
            df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
        elif oid in _INT:
            df[col] = df[col].astype("Int64")
        elif oid in _BOOL:
            df[col] = df[col].astype("boolean")
        elif oid in _DATE:
            df[col] = pd.to_datetime(df[col])
        elif oid in _TIMESTAMP:
            stamps = pd.to_datetime(df[col], utc=True)
            df[col] = stamps.dt.tz_localize(None)    # UTC, as Stata (%tc) and every reader take it
        else:
            df[col] = df[col].astype("string")
    return df


def _normalise(df):
    """Frames built by hand (tests) or by older readers: Decimal -> float, date -> datetime."""
    import pandas as pd

    for col in df.columns:
        if df[col].dtype == object:
            cells = df[col].dropna()
            if len(cells) and cells.map(lambda v: isinstance(v, Decimal)).all():
                df[col] = pd.to_numeric(df[col]).astype("float64")
            elif len(cells) and cells.map(lambda v: isinstance(v, date)).all():
                df[col] = pd.to_datetime(df[col])
            else:
                df[col] = df[col].astype("string")
    return df


def indicator_labels(conn) -> dict[str, str]:
    """The wide panel's indicator columns -> their Chinese name and unit (marts.dim_indicator)."""
    if conn is None:
        return {}
    from sqlalchemy import text

    rows = conn.execute(text("select indicator_code, name_zh, unit from marts.dim_indicator")).all()
    return {indicator_column(code): f"{name} ({unit})" for code, name, unit in rows}


def data_label(wide: bool) -> str:
    return "法治政府建设年度报告指标" + ("宽面板 (地区 x 年份)" if wide else "长面板 (地区 x 年份 x 指标 x 口径)") \
        + f", fazhi 导出 {date.today():%Y-%m-%d}"


def export_panel(conn, fmt: str, out: Path, wide: bool = False) -> int:
    """Write marts.indicator_panel (or the wide view) to `out`, and the column mapping beside it.
    Returns the row count."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    df = _normalise(read_view(conn, "marts.indicator_panel_wide" if wide else "marts.indicator_panel"))
    names = short_names(df.columns)
    labels = {**LABELS_ZH, **indicator_labels(conn)}
    column_labels = {names[c]: labels.get(c, c) for c in df.columns}
    df = df.rename(columns=names)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_mapping(mapping_path(out), names, column_labels, df)
    if fmt == "csv":
        _write_csv(df, out)
    elif fmt == "parquet":
        df.to_parquet(out, index=False)
    else:
        _write_stata(df, out, column_labels, data_label(wide))
    return len(df)


def mapping_path(out: Path) -> Path:
    return out.with_name(out.stem + ".columns.csv")


def write_mapping(path: Path, names: dict, labels: dict, df) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["name", "column", "label_zh", "type"])
        for column, name in names.items():
            w.writerow([name, column, labels[name], str(df[name].dtype)])


def _write_csv(df, out: Path) -> None:
    import pandas as pd

    for col in df.columns:   # names and evidence come from the reports: no formula reaches Excel
        if pd.api.types.is_string_dtype(df[col]) and not pd.api.types.is_bool_dtype(df[col]):
            df[col] = df[col].astype(object).map(neutralise)
    df.to_csv(out, index=False, encoding="utf-8-sig")  # BOM so Excel shows Chinese


def _write_stata(df, out: Path, labels: dict, title: str) -> None:
    """Stata 118 stores UTF-8: Chinese names, labels and evidence survive."""
    import pandas as pd

    value_labels, strl = {}, []
    for col in df.columns:
        if col in VALUE_LABELS and pd.api.types.is_string_dtype(df[col]):
            known = dict(VALUE_LABELS[col])
            for v in df[col].dropna().unique():
                known.setdefault(v, v)
            codes = {v: i for i, v in enumerate(known, start=1)}
            df[col] = df[col].map(codes, na_action="ignore").astype("Int32")
            value_labels[col] = {i: fit_label(known[v]) for v, i in codes.items()}
        elif pd.api.types.is_bool_dtype(df[col]):
            df[col] = df[col].astype("Int8")
        elif pd.api.types.is_integer_dtype(df[col]):
            df[col] = df[col].astype("float64") if df[col].isna().any() else df[col].astype("int64")
        elif pd.api.types.is_string_dtype(df[col]):
            df[col] = df[col].fillna("").astype(object)
            if df[col].map(lambda s: len(s.encode("utf-8"))).max() > STATA_STR_LIMIT:
                strl.append(col)
    df.to_stata(out, write_index=False, version=118, data_label=fit_label(title),
                variable_labels={c: fit_label(labels[c]) for c in df.columns},
                value_labels=value_labels or None, convert_strl=strl or None)
