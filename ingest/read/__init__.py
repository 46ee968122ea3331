"""Step 1, read: a file's bytes -> one `Document` (its text, normalised, with what the file says
about itself).

`read_path` refuses a file over the size limit before reading it, picks the reader by the
content (`readers/`: text in any Chinese encoding, saved pages, PDF, Word/WPS, OFD, page images),
and cleans what every format needs cleaned. A file that is not a readable report raises
`UnreadableFile` with a one-line reason. `discover` lists the files of a run, `shown` is how a
file's name is printed and stored.
"""
from .decode import cjk_count
from .document import Document, read_bytes, read_path
from .files import NOT_READ, SAMPLES, Found, content_hash, discover, file_hash, hidden, open_regular, shown
from .limits import FileTimeout, Limits, time_budget
from .readers.base import UnreadableFile

__all__ = ["NOT_READ", "SAMPLES", "Document", "FileTimeout", "Found", "Limits", "UnreadableFile", "cjk_count",
           "content_hash", "discover", "file_hash", "hidden", "open_regular", "read_bytes", "read_path", "shown",
           "time_budget"]
