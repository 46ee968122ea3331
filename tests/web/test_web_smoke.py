import pytest
from webkit import build, client_factory, load_samples, login, make_app, post, rows  # noqa: F401

pytestmark = pytest.mark.db


def test_smoke(fresh_schema, tmp_path, client_factory):
    load_samples(tmp_path)
    build()
    app = make_app()
    c = client_factory(app)
    r = login(c)
    assert r.status_code == 303, r.text
    q = c.get("/queue")
    assert q.status_code == 200, q.text
    print(q.text[:3000])
    rid = rows("select min(report_id) as r from core.report")[0]["r"]
    p = c.get(f"/report/{rid}")
    assert p.status_code == 200, p.text
    print(p.text[:2000])
