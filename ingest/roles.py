"""A read-only role for dashboards: reads marts and marts_zh, nothing else, writes nothing."""
from __future__ import annotations

import re

from sqlalchemy import Connection, text

READER_SCHEMAS = ("marts", "marts_zh")


def grant_reader(conn: Connection, name: str, password: str | None = None) -> None:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise ValueError("role name: lower-case letters, digits and _ only")
    exists = conn.execute(text("select 1 from pg_roles where rolname = :n"), {"n": name}).first()
    verb = "alter" if exists else "create"
    # Role DDL takes no bind parameters; the password is quoted by the server's quote_literal.
    pw = conn.execute(text("select quote_literal(:p)"), {"p": password}).scalar() if password else "null"
    conn.execute(text(f"{verb} role {name} login nosuperuser nocreatedb nocreaterole password {pw}"))
    db = conn.execute(text("select current_database()")).scalar()
    conn.execute(text(f'grant connect on database "{db}" to {name}'))
    conn.execute(text(f"revoke create on schema public from {name}"))
    for schema in READER_SCHEMAS:
        conn.execute(text(f"create schema if not exists {schema}"))
        conn.execute(text(f"grant usage on schema {schema} to {name}"))
        conn.execute(text(f"grant select on all tables in schema {schema} to {name}"))
        # dbt replaces views on every run: new views get the grant too.
        conn.execute(text(f"alter default privileges in schema {schema} grant select on tables to {name}"))
    conn.execute(text(f"alter role {name} set default_transaction_read_only = on"))
