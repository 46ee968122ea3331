"""The warehouse's database: one engine on the one setting (config.py), the `core` schema kept at
the migrations' head (Alembic, migrations/), and what it holds, counted."""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Connection, Engine, create_engine, text

from .config import PROJECT_ROOT, database_url, sqlalchemy_url


@lru_cache(maxsize=4)
def _engine(url: str) -> Engine:
    return create_engine(sqlalchemy_url(url), pool_pre_ping=True)


def engine() -> Engine:
    return _engine(database_url())


def alembic_config():
    from alembic.config import Config

    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    return cfg


def check_revision(revision: str) -> str:
    """A revision `fazhi migrate` can upgrade to, or a one-line usage error naming the known ones."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    from ingest.errors import EXIT_USAGE, FazhiError

    script = ScriptDirectory.from_config(alembic_config())
    try:
        if revision.strip() and script.get_revisions(revision):
            return revision
    except CommandError:
        pass
    known = ", ".join(r.revision for r in script.walk_revisions("base", "heads"))
    raise FazhiError(f"unknown revision {revision!r}: fazhi migrate takes head (the default) or one of {known}",
                     EXIT_USAGE)


def migrate(revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(), revision)


def downgrade(revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(), revision)


def report_kinds(conn: Connection) -> dict[str, int]:
    """Documents per kind (annual_report, news...), most frequent first."""
    return dict(conn.execute(text("select kind, count(*) from core.report group by kind "
                                  "order by count(*) desc, kind")).all())


def table_counts(conn: Connection) -> dict[str, int]:
    return {t: conn.execute(text(f"select count(*) from core.{t}")).scalar()
            for t in ("jurisdiction", "indicator", "report", "report_source", "measure", "metric", "ingest_failure",
                      "correction")}
