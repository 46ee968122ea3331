"""The marts' reader role cannot write corrections; the web role writes corrections and nothing
else (not core.metric, not the lock, not the marts)."""
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import ProgrammingError

from webkit import build, load_samples

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def urls(fresh_schema, tmp_path_factory):
    from fazhi.warehouse import engine
    from fazhi.warehouse.config import database_url, sqlalchemy_url, with_user
    from fazhi.warehouse.roles import grant_reader
    from fazhi.web.build import prepare

    load_samples(tmp_path_factory.mktemp("reports"))
    build()
    web_url = prepare(database_url())
    from fazhi.warehouse.lock import ensure_lock_table

    with engine().begin() as conn:
        grant_reader(conn, "dashboard", "reader-password-123")
        ensure_lock_table(conn)
    reader = create_engine(sqlalchemy_url(with_user(database_url(), "dashboard", "reader-password-123")))
    web = create_engine(sqlalchemy_url(web_url))
    yield {"reader": reader, "web": web}
    reader.dispose()
    web.dispose()


CORRECTION = """insert into core.correction (correction_uid, action, text_hash, kind, indicator_code, scope, value,
                reason, corrected_by)
                select gen_random_uuid()::text, 'confirm', text_hash, kind, 'legal_aid.cases', 'jurisdiction', 437,
                       'ok', 'someone' from core.report limit 1"""


def refused(engine, sql: str) -> None:
    with pytest.raises(ProgrammingError, match="permission denied|must be owner"):
        with engine.begin() as conn:
            conn.execute(text("set local default_transaction_read_only = off"))
            conn.execute(text(sql))


def test_reader_cannot_write_corrections(urls):
    refused(urls["reader"], CORRECTION)
    refused(urls["reader"], "update core.correction set reason = 'x'")
    with urls["reader"].connect() as conn:   # and it still reads the marts
        assert conn.execute(text("select count(*) from marts.fct_metric")).scalar() > 0


def test_web_role_writes_corrections_only(urls):
    web = urls["web"]
    with web.begin() as conn:
        conn.execute(text(CORRECTION))
        conn.execute(text("update core.correction set revoked_at = now(), revoked_by = 'someone'"))
    refused(web, "update core.metric set value = 1")
    refused(web, "insert into core.metric select * from core.metric limit 1")
    refused(web, "delete from core.metric")
    refused(web, "delete from core.correction")
    refused(web, "update core.correction set value = 1, reason = 'rewritten'")   # history stays as written
    refused(web, "update core.report set text = ''")
    refused(web, "insert into core.reviewer (name, password_hash) values ('eve', 'x')")
    refused(web, "lock table fazhi_lock.writer in exclusive mode")
    refused(web, "drop table marts.review_queue")
    refused(web, "create table marts.mine (x int)")
    with web.connect() as conn:   # what the pages read
        assert conn.execute(text("select count(*) from marts.review_queue")).scalar() >= 0
        assert conn.execute(text("select count(*) from core.metric")).scalar() > 0
