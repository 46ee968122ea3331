"""Alembic environment: target metadata from ingest.load.models, URL from fazhi.warehouse.config."""
from alembic import context
from sqlalchemy import create_engine, pool, text

from fazhi.warehouse.config import database_url, sqlalchemy_url
from ingest.load.models import Base, SCHEMA

target_metadata = Base.metadata


def include_name(name, type_, parent_names):
    # Only the core schema is ours; dbt owns the rest.
    if type_ == "schema":
        return name == SCHEMA
    return True


def run_migrations_online() -> None:
    connectable = context.config.attributes.get("connection")
    if connectable is None:
        engine = create_engine(sqlalchemy_url(database_url()), poolclass=pool.NullPool)
        with engine.connect() as connection:
            _run(connection)
    else:
        _run(connectable)


def _run(connection) -> None:
    connection.execute(text(f"create schema if not exists {SCHEMA}"))
    connection.commit()
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        version_table_schema=SCHEMA,
        include_schemas=True,
        include_name=include_name,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("fazhi migrations run online only (they need the database).")
run_migrations_online()
