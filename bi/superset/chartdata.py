"""The chart-data API check of dashboard.py: every chart of the imported bundle fetched the way
alerts, reports, embedding and CSV downloads fetch it (`GET /api/v1/chart/ID/data`, the query
context saved with the chart), as admin with a JWT from `/api/v1/security/login`. Each must answer
200; Superset answers 400 for a chart without a saved query context (querycontext.py).
Standard library only (dashboard.py runs under the system python3).
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request


def check_chart_data(port: int, admin_password: str, expected: int) -> list[str]:
    """GET /api/v1/chart/ID/data for every chart, as alerts, reports and embedding do: each must
    answer 200 (400 when a chart has no saved query context). Returns the failures."""
    base = f"http://127.0.0.1:{port}/api/v1"

    def call(path: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if body:  # a GET with a JSON content type and no body is a 400 by itself
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(base + path, data=json.dumps(body).encode() if body else None,
                                         headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=120) as r:
                return r.status, json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")

    status, login = call("/security/login", {"username": "admin", "password": admin_password, "provider": "db"})
    if status != 200:
        return [f"chart-data API: log-in answered {status}"]
    token = login["access_token"]
    status, listed = call("/chart/?q=(page_size:100)", token=token)
    charts = sorted((c["id"], c["slice_name"]) for c in listed.get("result", []))
    failures = []
    for chart_id, name in charts:
        status, answer = call(f"/chart/{chart_id}/data/", token=token)
        rows = sum(q.get("rowcount", 0) for q in answer.get("result", [])) if status == 200 else None
        print(f"   {status}  chart {chart_id:>3} {name} ({rows} rows)" if rows is not None else
              f"   {status}  chart {chart_id:>3} {name}: {answer.get('message', answer)}", flush=True)
        if status != 200:
            failures.append(f"chart-data API: {name!r} answered {status}")
    print(f"== chart-data API: {len(charts) - len(failures)} of {len(charts)} charts answered 200")
    if len(charts) < expected:
        failures.append(f"chart-data API: only {len(charts)} charts in Superset")
    return failures
