"""A crawler's provenance sidecar (<file>.source.json) is read with its file, never as a file."""
from __future__ import annotations

import hashlib
import json

from ingest.read import discover, read_path
from ingest.read.origin import read_origin

PAGE = "<html><head><title>某县2023年法治政府建设年度报告</title></head><body><p>某县2023年法治政府建设年度报告</p></body></html>"


def _saved(tmp_path, sha=None):
    f = tmp_path / "t1-abcdef12.html"
    f.write_text(PAGE, encoding="utf-8")
    side = tmp_path / "t1-abcdef12.html.source.json"
    side.write_text(json.dumps({"url": "http://www.example.gov.cn/t1.html", "page": "http://www.example.gov.cn/index.html",
                                "sha256": sha or hashlib.sha256(f.read_bytes()).hexdigest()}), encoding="utf-8")
    return f, side


def test_the_sidecar_names_where_the_file_came_from(tmp_path):
    f, _ = _saved(tmp_path)
    doc = read_path(f)
    assert doc.origin == {"url": "http://www.example.gov.cn/t1.html", "page": "http://www.example.gov.cn/index.html"}
    assert doc.context["url"] == "http://www.example.gov.cn/t1.html"


def test_a_sidecar_of_other_bytes_is_ignored(tmp_path):
    f, _ = _saved(tmp_path, sha="0" * 64)
    assert read_path(f).origin is None


def test_a_broken_sidecar_costs_only_the_provenance(tmp_path):
    f, side = _saved(tmp_path)
    side.write_text("{not json", encoding="utf-8")
    assert read_path(f).origin is None
    assert read_origin(tmp_path / "missing.html", "x") is None


def test_discover_passes_sidecars_over(tmp_path):
    f, side = _saved(tmp_path)
    lone = tmp_path / "notes.source.json"     # no file beside it: an input like any other
    lone.write_text("{}", encoding="utf-8")
    assert [x.path for x in discover([tmp_path])] == [lone, f]
