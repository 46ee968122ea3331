"""Step 4, load: parsed reports -> Postgres, into the `core` schema that migrations/ owns.

`ingest_paths(engine, paths)` is the whole flow for many files: it parses them in parallel (each
worker reads, parses and prepares its file's rows in COPY format: prepare.py) and one Loader
writes them in batches (batch.py, write.py), each report all-or-nothing; a file that fails is
recorded with its reason and the batch goes on. A report is known by its text, not its file
(identity.py). models.py is the schema as SQLAlchemy models, the migrations' target metadata.
The database comes from the caller: this step never reads a setting or starts a server.
"""
from .batch import Loader, Outcome, Summary, ingest_one, ingest_paths
from .reference import sync_reference
from .write import load_report

__all__ = ["Loader", "Outcome", "Summary", "ingest_one", "ingest_paths", "load_report", "sync_reference"]
