"""ingest: report files -> Postgres, one subpackage per step of the flow.

read/     a file's bytes -> `Document`: its text in any Chinese encoding, saved page, PDF, Word/WPS,
          OFD or page image, normalised so that offsets stay exact
parse/    `Document` -> `ParsedReport`: title, place, year, date, issuer, kind, measures with their
          topics and keywords, and the figures that extract/ finds in them
extract/  text and measures -> figures: indicator, value, unit, scope and the evidence they came from
load/     parsed reports -> the `core` schema: prepared in the parse workers, written in batches
text/     primitives below every step: numbers as reports write them, word tries
errors.py the one-line errors and exit codes every step may end a run with
samples/  the five bundled reports

Each package imports only those below it in load > parse > extract | read > text | errors
(extract runs on parse's measures but is called by parse); nothing here knows the CLI, the server
or dbt (the `fazhi` package). An import-linter contract checks both, see ARCHITECTURE.md.
"""
