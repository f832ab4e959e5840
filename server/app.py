"""The ilrkit HTTP server: validate, convert, annotate and batch-convert ILR workbooks over HTTP.

Learner data is OFFICIAL-SENSITIVE, so:

- every ``/v1`` call needs a bearer token (unless the server was started with ``--dev`` on loopback);
- uploads stream into a private temporary folder that is removed when the response is done, on every path;
- uploads and zip expansion are limited in size;
- the log holds only method, path, status and time, and internal errors only their type (never a value);
- no CORS unless origins are configured; pages are served with a strict Content-Security-Policy.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
import time
import zipfile
from importlib import metadata, resources
from pathlib import Path
from urllib.parse import quote

import anyio
from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.staticfiles import StaticFiles

from ilrkit.converter.errors import InputError
from ilrkit.server.settings import Settings
from ilrkit.server.uploads import Upload, UploadError, ZipLimits, receive, sniff, unpack_workbooks

log = logging.getLogger("ilrkit.server")
access_log = logging.getLogger("ilrkit.server.access")

STATIC = Path(str(resources.files("ilrkit.server") / "static"))
XML_TYPE = "application/xml"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSM_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.12"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SUMMARY_HEADERS = ("X-ILR-Learners", "X-ILR-Errors", "X-ILR-Warnings", "X-ILR-Summary", "X-ILR-Written",
                   "Content-Disposition")


def _version() -> str:
    try:
        return metadata.version("ilrkit")
    except metadata.PackageNotFoundError:
        return "0"


class ApiError(Exception):
    """A request that cannot be served; the message says what is wrong and what to do."""

    def __init__(self, status: int, message: str, headers: dict | None = None, extra: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.headers, self.extra = status, message, headers, extra


def _error(status: int, message: str, headers: dict | None = None, extra: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": message, **(extra or {})}, status_code=status, headers=headers)


# ------------------------------------------------------------------------------------------- authentication

def _presented_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "").strip()
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip() or None
    return header if " " not in header else None  # xlwings sends the token as it is


def require_token(request: Request) -> None:
    """FastAPI dependency: the request carries one of the server's API tokens (not checked with --dev)."""
    settings: Settings = request.app.state.settings
    if not settings.auth_required:
        return
    token = _presented_token(request)
    if token is None:
        raise ApiError(401, "This server needs an API token. Send it as the header 'Authorization: Bearer "
                            "<token>' (on the upload page, paste it into the Token box). Ask the server's "
                            "administrator for a token.", headers={"WWW-Authenticate": "Bearer"})
    if not settings.check_token(token):
        raise ApiError(401, "The API token is not one this server knows. Check you copied all of it, or ask "
                            "the server's administrator for a new one.",
                       headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


def require_token_for_changes(request: Request) -> None:
    """For the add-in's routes: pages and scripts load freely; anything that sends data needs a token."""
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        require_token(request)


# --------------------------------------------------------------------------------- middleware and errors

class Guard:
    """Outermost layer: the access log (method, path, status, time: never queries or bodies), security
    headers, and a plain 500 for anything unexpected, logged by its type only (messages may hold data)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        method = scope.get("method", "?")
        path = _printable(scope.get("path", ""))
        state = {"status": 500, "started": False}
        ours = not path.startswith(("/xlwings", "/static"))

        async def send_wrapper(message):
            if message["type"] == "http.response.start":
                state["started"] = True
                state["status"] = message["status"]
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                if not path.startswith("/static"):
                    headers.setdefault("Cache-Control", "no-store")
                if ours:
                    headers.setdefault("X-Frame-Options", "DENY")
                    headers.setdefault("Content-Security-Policy", CSP)
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except ClientDisconnect:
            state["status"] = 499
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            log.error("%s %s: internal problem (%s)", method, path, exc.__class__.__name__)
            if os.environ.get("ILRKIT_DEBUG"):
                log.exception("details (ILRKIT_DEBUG is set: this may include learner data)")
            if not state["started"]:
                response = _error(500, f"The server hit an internal problem ({exc.__class__.__name__}). Nothing "
                                       "was kept. Try again; if it keeps happening, tell the server's "
                                       "administrator what you did (not your data).")
                try:
                    await response(scope, receive, send_wrapper)
                except Exception:  # noqa: BLE001 - the client has gone
                    pass
        finally:
            access_log.info("%s %s %s %.0fms", method, path, state["status"],
                            (time.perf_counter() - started) * 1000)


def _printable(path: str) -> str:
    path = "".join(c if c.isprintable() else "?" for c in path)
    return path if len(path) <= 200 else path[:200] + "…"


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return _error(exc.status, exc.message, exc.headers, exc.extra)

    @app.exception_handler(UploadError)
    async def _upload_error(request: Request, exc: UploadError):
        return _error(exc.status, exc.message, {"Connection": "close"} if exc.status == 413 else None)

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError):
        return _error(422, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        problems = []
        for e in exc.errors():  # the location and the rule broken, never the value sent
            where = " ".join(str(p) for p in e.get("loc", ()) if p not in ("body",))
            problems.append(f"{where}: {e.get('msg', 'not valid')}")
        return _error(400, "The request is not valid: " + "; ".join(problems) + ". See /docs for how to call "
                           "this server.")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        messages = {404: "There is nothing at this address. See /docs for the server's addresses.",
                    405: f"{request.method} is not allowed here. See /docs for how to call this address."}
        message = messages.get(exc.status_code) or (exc.detail if isinstance(exc.detail, str) else "Request "
                                                                                                      "refused.")
        return _error(exc.status_code, message, getattr(exc, "headers", None))


# --------------------------------------------------------------------------------------- the work itself

class Workspace:
    """A private temporary folder for one request; removed by ``close`` (or by the response that owns it)."""

    def __init__(self, settings: Settings):
        self.path = Path(tempfile.mkdtemp(prefix="ilrkit-req-", dir=settings.tmp_dir))
        self.detached = False
        self.refdata_dir = settings.refdata_dir

    def folder(self, name: str) -> Path:
        path = self.path / name
        path.mkdir()
        return path

    def close(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc) -> None:
        if not self.detached:
            self.close()


class WorkspaceFileResponse(FileResponse):
    """Sends a file from a workspace, then removes the workspace, whatever happened while sending."""

    def __init__(self, path: Path, workspace: Workspace, **kwargs):
        super().__init__(path, **kwargs)
        self.workspace = workspace
        workspace.detached = True

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.workspace.close()


def _clean(text: str, workspace: Workspace) -> str:
    for form in {str(workspace.path), str(workspace.path.resolve())}:
        text = text.replace(form + os.sep, "").replace(form, "")
    return text


async def _run(request: Request, func, *args):
    """Run blocking work in a thread, at most ``max_concurrent`` at once (the others wait their turn)."""
    app = request.app
    if getattr(app.state, "limiter", None) is None:
        app.state.limiter = anyio.CapacityLimiter(app.state.settings.max_concurrent)
    return await anyio.to_thread.run_sync(lambda: func(*args), limiter=app.state.limiter)


async def _receive_file(request: Request, ws: Workspace, *, workbook_only: bool = False) -> Upload:
    settings: Settings = request.app.state.settings
    upload = await receive(request, ws.folder("upload"), settings.max_upload_bytes, what="file")
    kind = sniff(upload.path)
    if kind == "other":
        raise ApiError(415, f"{upload.filename} is neither an Excel workbook (.xlsx) nor an ILR XML file. "
                            "Choose the workbook you keep your learners in.")
    if workbook_only and kind == "xml":
        raise ApiError(422, f"{upload.filename} is an ILR XML file; this needs a workbook (.xlsx). Import the "
                            "XML into a workbook first (ilr import).")
    if kind == "zip" and upload.path.suffix.lower() not in (".xlsx", ".xlsm"):
        upload.path = upload.path.rename(upload.path.with_name(upload.path.name + ".xlsx"))
    elif kind == "xml" and upload.path.suffix.lower() != ".xml":
        upload.path = upload.path.rename(upload.path.with_name(upload.path.name + ".xml"))
    return upload


def _load(upload: Upload, ws: Workspace):
    from ilrkit.converter.io import load

    try:
        return load(upload.path)
    except InputError as exc:
        message = _clean(str(exc), ws)
        if upload.path.name != upload.filename:  # the name it was saved under, for its kind: say the user's
            message = message.replace(upload.path.name, upload.filename)
        raise ApiError(422, message) from None


def _summary_headers(report, written: bool | None = None) -> dict:
    s = report.summary
    headers = {"X-ILR-Learners": str(s["learners"]), "X-ILR-Errors": str(s["errors"]),
               "X-ILR-Warnings": str(s["warnings"]), "X-ILR-Summary": json.dumps(s, separators=(",", ":"))}
    if written is not None:
        headers["X-ILR-Written"] = "true" if written else "false"
    return headers


def _attachment(name: str) -> str:
    ascii_name = re.sub(r'[^A-Za-z0-9._ ()-]', "_", name)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def _report_json(report) -> dict:
    from ilrkit.rules.report import as_json

    return json.loads(as_json(report))


def _name_for_rules(data, upload: Upload) -> dict:
    """The file name the rules see: the client's, or none (an XML file's name is checked by the Filename rules, so
    a stand-in name must not be)."""
    if upload.named:
        return {"filename": upload.filename}
    data.path = None
    return {"filename": None}


def _reference(data, ws: Workspace):
    """The configured reference data (ILRKIT_REFDATA_DIR) for this file's aims; none when not configured."""
    if not ws.refdata_dir:
        return None
    from ilrkit.refdata import for_data

    try:
        return for_data(data, Path(ws.refdata_dir))
    except InputError as exc:
        log.error("reference data in ILRKIT_REFDATA_DIR cannot be read: %s", exc)
        raise ApiError(500, "The server's reference data cannot be read; its administrator has been told "
                            "(see the server log).") from None


def _batch_refdata(ws: Workspace) -> Path | None:
    """The configured reference data folder, read once for the whole batch (never once per workbook)."""
    if not ws.refdata_dir:
        return None
    from ilrkit.server.batch import open_refdata

    try:
        return open_refdata(ws.refdata_dir)
    except InputError as exc:
        log.error("reference data in ILRKIT_REFDATA_DIR cannot be read: %s", exc)
        raise ApiError(500, "The server's reference data cannot be read; its administrator has been told "
                            "(see the server log).") from None


def _do_validate(upload: Upload, ws: Workspace, fmt: str) -> tuple[str, object]:
    from ilrkit.server.batch import warm_up
    from ilrkit.rules.engine import validate
    from ilrkit.rules.report import as_csv, as_json

    warm_up()
    data = _load(upload, ws)
    report = validate(data, reference=_reference(data, ws), **_name_for_rules(data, upload))
    return (as_csv(report, data) if fmt == "csv" else as_json(report)), report


def _do_convert(upload: Upload, ws: Workspace, serial: str | None):
    from ilrkit.converter.api import blocking, convert
    from ilrkit.server.batch import warm_up

    warm_up()
    data = _load(upload, ws)
    out = ws.folder("out")
    try:
        result = convert(upload.path, out, serial=serial, data=data, reference=_reference(data, ws))
    except InputError as exc:
        raise ApiError(422, _clean(str(exc), ws)) from None
    result.report.file = upload.filename
    if not result.written:
        doc = _report_json(result.report)
        raise ApiError(422, f"The XML was not written: {len(blocking(result.report))} value(s) would break the "
                            "agency's schema. Fix the cells listed under 'report' (rules starting FD_ or ILR_), "
                            "then convert again.",
                       headers=_summary_headers(result.report, False), extra={"report": doc})
    return result.path.name, result.path.read_bytes(), result.report


def _do_annotate(upload: Upload, ws: Workspace):
    from ilrkit.server.batch import warm_up
    from ilrkit.rules.engine import validate

    try:
        from ilrkit.addin.annotate import annotate_workbook
    except ImportError:
        raise ApiError(501, "Annotated workbooks are not available in this installation of ilrkit.") from None
    warm_up()
    data = _load(upload, ws)
    report = validate(data, reference=_reference(data, ws), **_name_for_rules(data, upload))
    stem, suffix = upload.filename.rsplit(".", 1) if "." in upload.filename else (upload.filename, "xlsx")
    suffix = suffix.lower() if suffix.lower() in ("xlsx", "xlsm") else "xlsx"
    name = f"{stem}-annotated.{suffix}"
    try:
        path = annotate_workbook(upload.path, ws.folder("out") / name, report)
    except InputError as exc:
        raise ApiError(422, _clean(str(exc), ws)) from None
    return name, path.read_bytes(), report, (XLSM_TYPE if suffix == "xlsm" else XLSX_TYPE)


def _do_batch(archive: Path, ws: Workspace, settings: Settings, serial: str | None) -> tuple[Path, dict]:
    from ilrkit.server.batch import FAILED, Outcome, process_workbook, summary_csv, warm_up

    warm_up()
    limits = ZipLimits(settings.max_zip_members, settings.max_zip_total_bytes, settings.max_zip_ratio)
    inbox = ws.folder("in")
    try:
        workbooks, skipped = unpack_workbooks(archive, inbox, limits)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise ApiError(422, f"The zip could not be unpacked ({exc.__class__.__name__}); it may be damaged. Zip "
                            "the workbooks again and resend.") from None
    archive.unlink()
    if not workbooks:
        raise ApiError(422, "The zip holds no workbooks (.xlsx). Put the workbooks themselves in the zip.")
    out = ws.path / "out"
    refdata = _batch_refdata(ws)
    outcomes = [process_workbook(p, out / "xml", annotated_dir=out / "annotated", serial=serial, refdata=refdata)
                for p in workbooks]
    outcomes += [Outcome(name, "skipped", message="Not a workbook (.xlsx), so it was left out.")
                 for name in skipped]
    for o in outcomes:
        if o.status == FAILED:
            kind = re.search(r"internal problem \((\w+)\)", o.message)
            log.error("batch: a workbook failed (%s)", kind.group(1) if kind else "internal problem")
    (out / "summary.csv").write_text(summary_csv(outcomes), encoding="utf-8")
    result = ws.path / "ilr-batch.zip"
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as zf:
        for folder in ("xml", "annotated"):
            for f in sorted((out / folder).glob("*")) if (out / folder).is_dir() else ():
                zf.write(f, f"{folder}/{f.name}")
        zf.write(out / "summary.csv", "summary.csv")
    shutil.rmtree(inbox, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    counts = {"X-ILR-Workbooks": str(len(workbooks)),
              "X-ILR-Converted": str(sum(1 for o in outcomes if o.xml)),
              "X-ILR-Not-Converted": str(sum(1 for o in outcomes if not o.xml and o.status != "skipped"))}
    return result, counts


def _rules_year(year: str | None) -> str:
    """The year asked for (checked), or the year providers return now, as `ilr rules --year` chooses."""
    from ilrkit.schemas import available_years, normalise_year
    from ilrkit.schemas.collection import default_year

    if year is None:
        return default_year()[0]
    if normalise_year(year) not in available_years():
        raise ApiError(422, f"There is no ILR year pack for {year!r}. Years installed: "
                            f"{', '.join(available_years())}.")
    return normalise_year(year)


def _rules_json(code: str | None, year: str) -> list[dict] | None:
    from ilrkit.rules.registry import get_rule, rules_for_year

    if code:
        found = get_rule(code)
        if found is None:
            return None
        items = [found]
    else:
        items = sorted(rules_for_year(year).values(), key=lambda r: r.code.casefold())
    return [{"code": r.code, "severity": r.severity, "scope": r.scope, "entity": r.entity, "fields": list(r.fields),
             "needs": list(r.needs), "message": r.message} for r in items]


# ------------------------------------------------------------------------------------------ OpenAPI bits

def _upload_body(description: str, *, zip_file: bool = False) -> dict:
    media = "application/zip" if zip_file else XLSX_TYPE
    return {"requestBody": {"required": True, "description": description, "content": {
        "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary"},
            **({} if zip_file else {"serial": {"type": "string", "description": "Serial number 01-99 (convert "
                                                                              "only)."}})}}},
        media: {"schema": {"type": "string", "format": "binary"}}}}}


def _err_responses(*codes: int) -> dict:
    text = {400: "Bad request (no file, malformed form)", 401: "No token, or not a known token",
            413: "Too large", 415: "Not a workbook or ILR XML file",
            422: "The file cannot be used (damaged, wrong template year, ...); the message says what to do"}
    return {c: {"description": text[c], "content": {"application/json": {"example": {"error": "what is wrong "
                                                                                             "and what to do"}}}}
            for c in codes}


# -------------------------------------------------------------------------------------------------- app

def create_app(settings: Settings | None = None) -> FastAPI:
    """The server as an ASGI app. Without ``settings``, they come from the environment (see ``settings``)."""
    from ilrkit.server.batch import warm_up

    if settings is None:
        settings = settings_from_environment()
    settings.validate()
    warm_up()  # the rule registry must be filled before request threads share it
    app = FastAPI(title="ilrkit server", version=_version(), docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json",
                  description="Validate ILR workbooks, convert them to the ILR XML return, annotate them and "
                              "convert whole batches. Every /v1 address needs `Authorization: Bearer <token>`. "
                              "Learner data is OFFICIAL-SENSITIVE: nothing you send is kept after the response.")
    app.state.settings = settings
    app.state.limiter = None
    app.state.addin_mounted = False
    _install_error_handlers(app)
    auth = [Depends(require_token)]

    @app.get("/healthz", tags=["server"], summary="Is the server up?")
    async def healthz() -> dict:
        return {"status": "ok", "version": _version(), "auth": settings.auth_required}

    @app.get("/v1/rules", tags=["rules"], dependencies=auth, summary="Every rule checked, or one rule",
             responses=_err_responses(401))
    async def rules(code: str | None = Query(None, max_length=60, description="A rule code, e.g. ULN_04"),
                    year: str | None = Query(None, max_length=10, description="Collection year, e.g. 2026-27 "
                                             "(default: the year providers return now)")):
        items = _rules_json(code, _rules_year(year))
        if items is None:
            raise ApiError(404, f"There is no rule {code!r}. GET /v1/rules lists them all.")
        return items

    @app.post("/v1/validate", tags=["ILR"], dependencies=auth, summary="Check a workbook or ILR XML file",
              description="Upload a workbook (.xlsx) or an ILR XML file; the answer is the JSON of `ilr validate "
                          "--format json` (or the agency's Rule Violation Report CSV with `format=csv`).",
              openapi_extra=_upload_body("The workbook or ILR XML file"),
              responses={200: {"content": {"application/json": {}, "text/csv": {}}},
                         **_err_responses(400, 401, 413, 415, 422)})
    async def validate_file(request: Request, format: str = Query("json", pattern="^(json|csv)$")):
        with Workspace(settings) as ws:
            upload = await _receive_file(request, ws)
            text, report = await _run(request, _do_validate, upload, ws, format)
        headers = _summary_headers(report)
        if format == "csv":
            stem = upload.filename.rsplit(".", 1)[0]
            headers["Content-Disposition"] = _attachment(f"{stem}-rule-violations.csv")
            return Response(text, media_type="text/csv; charset=utf-8", headers=headers)
        return Response(text, media_type="application/json", headers=headers)

    @app.post("/v1/convert", tags=["ILR"], dependencies=auth, summary="Convert a workbook to ILR XML",
              description="Upload a workbook; the answer is the ILR XML file, named as the agency requires "
                          "(Content-Disposition), with the findings' counts in X-ILR-* headers. Ask with "
                          "`Accept: multipart/form-data` (or `report=true`) to get a multipart answer with the "
                          "full findings (`report`, JSON) and the file (`xml`). When values would break the "
                          "agency's schema the XML is not written: 422 with the findings under `report`.",
              openapi_extra=_upload_body("The workbook (or an ILR XML file to re-check and re-name)"),
              responses={200: {"content": {XML_TYPE: {}, "multipart/form-data": {}}},
                         **_err_responses(400, 401, 413, 415, 422)})
    async def convert_file(request: Request, serial: str | None = Query(None, max_length=2, pattern=r"^\d{1,2}$"),
                           report: bool = Query(False, description="Answer multipart: findings and XML")):
        with Workspace(settings) as ws:
            upload = await _receive_file(request, ws)
            serial = serial or (upload.fields.get("serial") or "").strip() or None
            name, content, result = await _run(request, _do_convert, upload, ws, serial)
        headers = {**_summary_headers(result, True), "Content-Disposition": _attachment(name)}
        if report or "multipart/form-data" in request.headers.get("accept", ""):
            return _multipart(result, name, content, headers)
        return Response(content, media_type=XML_TYPE, headers=headers)

    @app.post("/v1/annotate", tags=["ILR"], dependencies=auth, summary="An annotated copy of a workbook",
              description="Upload a workbook; the answer is a copy with every problem cell highlighted, a note "
                          "on each, and an 'ILR errors' sheet linking to them.",
              openapi_extra=_upload_body("The workbook"),
              responses={200: {"content": {XLSX_TYPE: {}}}, **_err_responses(400, 401, 413, 415, 422)})
    async def annotate_file(request: Request):
        with Workspace(settings) as ws:
            upload = await _receive_file(request, ws, workbook_only=True)
            name, content, report, media = await _run(request, _do_annotate, upload, ws)
        return Response(content, media_type=media,
                        headers={**_summary_headers(report), "Content-Disposition": _attachment(name)})

    @app.post("/v1/batch", tags=["ILR"], dependencies=auth, summary="Convert a zip of workbooks",
              description="Upload a zip of workbooks; the answer is a zip with `xml/` (the ILR XML files), "
                          "`annotated/` (annotated copies of workbooks with findings) and `summary.csv` (one row "
                          "per workbook: what happened and what to do). One bad workbook never stops the others.",
              openapi_extra=_upload_body("A zip of workbooks (.xlsx)", zip_file=True),
              responses={200: {"content": {"application/zip": {}}}, **_err_responses(400, 401, 413, 415, 422)})
    async def batch(request: Request, serial: str | None = Query(None, max_length=2, pattern=r"^\d{1,2}$")):
        ws = Workspace(settings)
        try:
            upload = await receive(request, ws.folder("upload"), settings.max_batch_bytes, what="zip file")
            if sniff(upload.path) != "zip":
                raise ApiError(415, f"{upload.filename} is not a zip file. Put the workbooks in a zip (in Windows: "
                                    "select them, right-click, Send to > Compressed folder) and send that.")
            result, counts = await _run(request, _do_batch, upload.path, ws, settings, serial)
            return WorkspaceFileResponse(result, ws, media_type="application/zip",
                                         headers={**counts, "Content-Disposition": _attachment("ilr-batch.zip")})
        finally:
            if not ws.detached:
                ws.close()

    @app.get("/", include_in_schema=False)
    async def page():
        return HTMLResponse((STATIC / "index.html").read_text(encoding="utf-8"))

    @app.get("/docs", include_in_schema=False)
    async def docs():
        return HTMLResponse((STATIC / "docs.html").read_text(encoding="utf-8"))

    _tidy_openapi(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _mount_addin(app)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_credentials=False,
                           allow_methods=["GET", "POST"], allow_headers=["Authorization", "Content-Type",
                                                                         "X-Filename"],
                           expose_headers=list(SUMMARY_HEADERS) + ["X-ILR-Workbooks", "X-ILR-Converted",
                                                                   "X-ILR-Not-Converted"])
    app.add_middleware(Guard)
    return app


def _tidy_openapi(app: FastAPI) -> None:
    """Say in the OpenAPI description what really happens: a bad parameter is a 400 JSON error, not a 422."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = build()
            for methods in schema.get("paths", {}).values():
                for op in methods.values():
                    answers = op.get("responses", {})
                    if answers.get("422", {}).get("description") == "Validation Error":
                        del answers["422"]
                        answers.setdefault("400", {"description": "A parameter is not valid", "content": {
                            "application/json": {"example": {"error": "what is wrong and what to do"}}}})
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi


def _multipart(report, name: str, content: bytes, headers: dict) -> Response:
    import secrets

    from ilrkit.rules.report import as_json

    boundary = "ilrkit-" + secrets.token_hex(12)
    report_bytes = as_json(report).encode("utf-8")
    disposition = _attachment(name).replace("attachment;", "form-data; name=\"xml\";")
    body = b"".join([
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"report\"\r\n"
        f"Content-Type: application/json; charset=utf-8\r\n\r\n".encode(), report_bytes, b"\r\n",
        f"--{boundary}\r\nContent-Disposition: {disposition}\r\nContent-Type: {XML_TYPE}\r\n\r\n".encode(),
        content, f"\r\n--{boundary}--\r\n".encode()])
    headers = {k: v for k, v in headers.items() if k != "Content-Disposition"}
    headers["X-ILR-Filename"] = name
    return Response(body, media_type=f"multipart/form-data; boundary={boundary}", headers=headers)


def _mount_addin(app: FastAPI) -> None:
    """The add-in's xlwings Server scripts and Office manifest, under /xlwings, when that part is installed."""
    try:
        from ilrkit.addin.webapp import router
    except ModuleNotFoundError as exc:
        if exc.name not in ("ilrkit.addin.webapp", "ilrkit.addin"):
            log.warning("the add-in's web routes could not be loaded (%s: %s is missing)",
                        exc.__class__.__name__, exc.name)
        return
    except Exception as exc:  # noqa: BLE001 - the server still serves the API
        log.warning("the add-in's web routes could not be loaded (%s)", exc.__class__.__name__)
        return
    app.include_router(router, prefix="/xlwings", dependencies=[Depends(require_token_for_changes)])
    app.state.addin_mounted = True


# ---------------------------------------------------------------------------- for `uvicorn --factory`

def settings_from_environment() -> Settings:
    """Settings from the environment, for `uvicorn --factory` and `ilr serve --workers`: always with
    authentication. Dev mode comes only from `ilr serve --dev`, which passes its settings in."""
    return Settings.from_env(dev=False)
