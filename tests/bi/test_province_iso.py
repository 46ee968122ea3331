"""The one province code mapping (dbt/macros/province_iso.sql): every province-level division of
GB/T 2260 gets the code of its shape on Superset's China map (and `fazhi plot --map`)."""
from __future__ import annotations

import csv
import json
import re

from conftest import ROOT

MACRO = ROOT / "dbt" / "macros" / "province_iso.sql"
AREACODES = ROOT / "ingest" / "parse" / "data" / "areacodes.csv"
GEOJSON = ROOT / "fazhi" / "research" / "geodata" / "china.geojson"


def mapping() -> dict[str, str]:
    pairs = re.findall(r"'(\d\d)': '(CN-[A-Z0-9]{2})'", MACRO.read_text(encoding="utf-8"))
    assert len(pairs) == len(dict(pairs)), "a prefix mapped twice"
    return dict(pairs)


def test_every_province_level_code_has_its_map_code():
    with open(AREACODES, encoding="utf-8-sig", newline="") as f:
        provinces = {row["代码"][:2]: row["名称"] for row in csv.DictReader(f) if row["级别"] == "省级"}
    assert len(provinces) == 34
    codes = mapping()
    assert set(codes) == set(provinces), set(codes) ^ set(provinces)
    shapes = {f["properties"]["ISO"] for f in json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]}
    assert set(codes.values()) == shapes and len(shapes) == 34
    assert (codes["11"], codes["50"], codes["65"], codes["71"], codes["81"], codes["82"]) == (
        "CN-BJ", "CN-CQ", "CN-XJ", "CN-71", "CN-91", "CN-92")
