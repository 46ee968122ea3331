"""fazhi: the warehouse around the flow in `ingest` (read -> parse -> extract -> load).

cli/        the `fazhi` command: one Typer app, one module per group of commands
warehouse/  the one database setting, the embedded Postgres and its service, roles, the lock,
            migrations and dbt builds
research/   tools on what is loaded: corrections, the panel export, charts
"""
