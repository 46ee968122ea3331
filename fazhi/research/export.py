"""Export the indicator panel for statistics packages: CSV, Parquet, Stata 118 (.dta)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from .csvcells import neutralise

FORMATS = ("csv", "parquet", "dta")


def read_view(conn, view: str):
    import pandas as pd
    from sqlalchemy import text

    result = conn.execute(text(f"select * from {view}"))
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def export_panel(conn, fmt: str, out: Path, wide: bool = False) -> int:
    """Write marts.indicator_panel (or the wide view) to `out`. Returns the row count."""
    import pandas as pd

    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    df = read_view(conn, "marts.indicator_panel_wide" if wide else "marts.indicator_panel")
    for col in df.columns:
        if df[col].dtype == object and df[col].map(lambda v: hasattr(v, "as_tuple")).any():
            df[col] = pd.to_numeric(df[col])  # Decimal -> float for every format
        elif df[col].dtype == object and df[col].map(lambda v: isinstance(v, date)).any():
            df[col] = pd.to_datetime(df[col])  # period: a date in Stata (%td) and Parquet, not text
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        for col in df.columns:   # names and evidence come from the reports: no formula reaches Excel
            if df[col].dtype == object or pd.api.types.is_string_dtype(df[col]):
                df[col] = df[col].map(neutralise)
        df.to_csv(out, index=False, encoding="utf-8-sig")  # BOM so Excel shows Chinese
    elif fmt == "parquet":
        df.to_parquet(out, index=False)
    else:
        # Stata 118 stores UTF-8, so Chinese names and evidence survive; names <= 32 chars.
        df = df.rename(columns=lambda c: c.replace("reconsideration", "recon")[:32])
        for col in df.columns:
            if df[col].dtype == object:
                df[col] = df[col].astype("string").fillna("")
            elif df[col].dtype == bool:
                df[col] = df[col].astype("int8")
        df.to_stata(out, write_index=False, version=118)
    return len(df)
