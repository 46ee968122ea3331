"""Step 2, parse: a `Document` -> a `ParsedReport` (pure: no database, no network).

`parse_document` finds the title, year, publication date and issuer (metadata.py, fields.py), the
place (jurisdiction.py against the GB/T 2260 codes since 1981, townships.py), the kind of
document (classify.py), the numbered measures (measures.py) with their topics and keywords
(tagging.py, tokenize.py), and asks step 3 (`ingest.extract`) for the figures. `parse_file`
reads and parses one file within the input limits; `pipeline.run` parses many in parallel.
"""
from .report import ParsedReport, load_tables, parse_bytes, parse_document, parse_file, parse_json

__all__ = ["ParsedReport", "load_tables", "parse_bytes", "parse_document", "parse_file", "parse_json"]
