"""Exit codes and the one-line errors fazhi ends with instead of a traceback.

Exit status of every command (README, "Exit codes"):
  0  everything asked for was done
  1  the run finished but some files failed (listed in the summary, recorded in core.ingest_failure)
  2  the command line was wrong (unknown option, missing argument)
  3  fazhi could not run at all (database unreachable, disk full, read-only or unusable FAZHI_HOME,
     unsupported DATABASE_URL, the embedded server failed to start); for `fazhi serve` also: its
     server stopped under it (for a service manager to restart it), or another serve runs on
     FAZHI_HOME; `db-stop` while a serve runs it (without --force)
  4  dbt failed (the previous marts stay in place)
  5  another fazhi run holds the warehouse lock and --no-wait was given
"""
from __future__ import annotations

import errno
from pathlib import Path

EXIT_OK = 0
EXIT_FILES_FAILED = 1
EXIT_USAGE = 2
EXIT_CANNOT_RUN = 3
EXIT_DBT_FAILED = 4
EXIT_BUSY = 5


class FazhiError(Exception):
    """A problem fazhi explains in one line; `code` is the process exit status."""

    def __init__(self, message: str, code: int = EXIT_CANNOT_RUN):
        super().__init__(message)
        self.code = code


def os_error(exc: OSError, folder: str | Path, what: str = "write to") -> FazhiError:
    """An OSError on fazhi's own folders as one line naming the folder and the fix."""
    where = f"{folder}"
    if exc.errno == errno.ENOSPC:
        return FazhiError(f"disk full: cannot {what} {where}; free some space or set FAZHI_HOME to a folder on a bigger disk")
    if exc.errno == errno.EDQUOT:
        return FazhiError(f"disk quota exceeded: cannot {what} {where}; free some space or set FAZHI_HOME elsewhere")
    if exc.errno == errno.EROFS:
        return FazhiError(f"read-only file system: cannot {what} {where}; set FAZHI_HOME to a writable folder")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return FazhiError(f"permission denied: cannot {what} {where}; fix its permissions or set FAZHI_HOME "
                          f"to a folder you own")
    return FazhiError(f"cannot {what} {where}: {exc.strerror or exc}")
