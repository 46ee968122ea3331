"""The corrections log: who, when, why, revoke; export and import as CSV with the code of
`fazhi corrections export` and `import` (fazhi.research.sharing), so the files are the same."""
from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fazhi.research.corrections import listing, revoke
from fazhi.research.sharing import export_csv, import_csv
from ingest.errors import FazhiError

from .access import checked_form
from .pages import redirect, render

MAX_IMPORT = 50 << 20   # bytes: a CSV of every correction of a national warehouse is far smaller


def log_page(request: Request, error: str | None = None, status_code: int = 200):
    revoked = request.query_params.get("all") == "1"
    with request.app.state.engine.connect() as conn:
        rows = listing(conn, revoked)
    return render(request, "log.html", status_code=status_code, rows=rows, all=revoked, error=error)


async def revoke_one(request: Request):
    await checked_form(request)
    correction_id = request.path_params["correction_id"]

    def run():
        with request.app.state.engine.begin() as conn:
            revoke(conn, correction_id, request.session["reviewer"])
    try:
        await run_in_threadpool(run)
    except FazhiError as exc:
        return await run_in_threadpool(log_page, request, str(exc), 400)
    return redirect("/corrections", f"correction {correction_id} revoked", request)


def export(request: Request):
    with tempfile.TemporaryDirectory(prefix="fazhi-web-") as folder:
        path = Path(folder) / "corrections.csv"
        with request.app.state.engine.connect() as conn:
            export_csv(conn, path)
        body = path.read_bytes()
    name = f"corrections-{datetime.now():%Y%m%d-%H%M}.csv"
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{name}"'})


async def import_file(request: Request):
    form = await checked_form(request)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        return await run_in_threadpool(log_page, request, "choose a CSV file to import", 400)
    data = await upload.read(MAX_IMPORT + 1)
    if len(data) > MAX_IMPORT:
        return await run_in_threadpool(log_page, request, f"the file is larger than {MAX_IMPORT >> 20} MB", 400)

    def run():
        with tempfile.TemporaryDirectory(prefix="fazhi-web-") as folder:
            path = Path(folder) / "import.csv"
            path.write_bytes(data)
            try:
                with request.app.state.engine.begin() as conn:
                    return import_csv(conn, path)
            except FazhiError as exc:   # its message names the temporary file: name the upload instead
                raise FazhiError(str(exc).replace(str(path), upload.filename or "the file"), exc.code) from None
    try:
        done = await run_in_threadpool(run)
    except FazhiError as exc:
        return await run_in_threadpool(log_page, request, str(exc), 400)
    return redirect("/corrections", f"{done.added} added, {done.revoked} revoked, {done.unchanged} already here",
                    request)


routes = [
    Route("/corrections", log_page),
    Route("/corrections/{correction_id:int}/revoke", revoke_one, methods=["POST"]),
    Route("/corrections/export.csv", export),
    Route("/corrections/import", import_file, methods=["POST"]),
]
