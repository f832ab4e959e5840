"""Excel on the web and Mac: the same five actions as xlwings Server scripts, plus the Office add-in.

``router`` is mounted by the server app (``app.include_router(router, prefix="/xlwings")``). It serves

- ``manifest.xml``: the Office add-in manifest, an "ILR" ribbon tab with the same buttons as the desktop
  add-in; every URL in it is https, built from ``ILRKIT_PUBLIC_URL`` (the address users reach the server at);
- ``taskpane.html``, ``commands.html``, ``message.html`` (the ribbon buttons' outcome), ``ilrkit.js`` and icons: the browser side, which sends the workbook
  as xlwings' JSON payload and applies the actions that come back;
- ``POST validate|clear|export|import|new-template``: the scripts, run on xlwings' remote engine.

xlwings Server is part of xlwings PRO and needs ``XLWINGS_LICENSE_KEY`` on the server (``noncommercial`` only
for use under the PolyForm Noncommercial licence; see docs/addin.md); the desktop add-in needs none. Request
bodies are never logged.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import struct
import threading
import zlib
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from xml.sax.saxutils import escape

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from ilrkit.addin import actions
from ilrkit.addin.remote import open_book
from ilrkit.converter.errors import InputError

log = logging.getLogger("ilrkit.addin.web")
router = APIRouter(tags=["excel add-in"])

# One workbook at a time: xlwings' remote engine keeps its open books in a process-wide list.
_lock = threading.Lock()

BUTTONS = (  # id, label, tooltip, kind, function or task-pane action
    ("Validate", "Validate", "Colour cells with errors and list them on the 'ILR errors' sheet.", "function",
     "ilrkitValidate"),
    ("Clear", "Clear highlights", "Remove ilrkit's colours, notes and errors sheet.", "function", "ilrkitClear"),
    ("Export", "Export ILR XML", "Make the ILR XML file for the funding agency.", "taskpane", "export"),
    ("Import", "Import ILR XML", "Load an ILR XML file into this workbook.", "taskpane", "import"),
    ("NewTemplate", "New template", "Start a new, empty ILR workbook.", "taskpane", "new-template"),
)
ADDIN_ID = "5a0c8f0e-7a53-4d35-9a3e-1c7b7f2a9d41"  # fixed: Office identifies the add-in by it


def _static(name: str, folder: str = "static") -> bytes:
    return resources.files("ilrkit.addin").joinpath(folder, name).read_bytes()


def public_url(request: Request, route: str, **params) -> str:
    """The https address of one of our routes, as users reach it (``ILRKIT_PUBLIC_URL`` when set)."""
    url = str(request.url_for(route, **params))
    base = os.environ.get("ILRKIT_PUBLIC_URL", "").strip().rstrip("/")
    parts = urlsplit(url)
    if base:
        b = urlsplit(base)
        # the public base replaces scheme and host; its path (a reverse-proxy prefix) goes in front
        return urlunsplit(("https", b.netloc, b.path.rstrip("/") + parts.path, parts.query, ""))
    return urlunsplit(("https", parts.netloc, parts.path, parts.query, ""))  # Office only loads https


# -- icons: small solid squares, drawn here so that no binary file needs shipping ---------------------------

def _png(size: int, rgb=(0x1F, 0x5F, 0x9F)) -> bytes:
    row = b"\x00" + bytes(rgb) * size
    raw = row * size

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


@router.get("/icon-{size}.png", name="ilrkit_icon")
def icon(size: int) -> Response:
    if size not in (16, 32, 64, 80):
        return Response(status_code=404)
    return Response(_png(size), media_type="image/png")


# -- the browser side --------------------------------------------------------------------------------------

@router.get("/taskpane.html", name="ilrkit_taskpane")
def taskpane() -> Response:
    return Response(_static("taskpane.html"), media_type="text/html")


@router.get("/commands.html", name="ilrkit_commands")
def commands() -> Response:
    return Response(_static("commands.html"), media_type="text/html")


@router.get("/message.html", name="ilrkit_message")
def message() -> Response:
    """The dialog the ribbon's Validate and Clear buttons open to say what they did."""
    return Response(_static("message.html"), media_type="text/html")


@router.get("/ilrkit.js", name="ilrkit_js")
def script() -> Response:
    return Response(_static("ilrkit.js"), media_type="text/javascript")


@router.get("/manifest.xml", name="ilrkit_manifest")
def manifest(request: Request) -> Response:
    return Response(manifest_xml(request), media_type="application/xml")


def manifest_xml(request: Request) -> str:
    def url(route: str, **params) -> str:
        return escape(public_url(request, route, **params), {'"': "&quot;"})

    template = _static("manifest.xml", "manifest").decode("utf-8")
    origin = urlsplit(public_url(request, "ilrkit_taskpane"))
    resources_urls = []
    controls = []
    for key, label, tip, kind, target in BUTTONS:
        if kind == "function":
            action = f'<Action xsi:type="ExecuteFunction"><FunctionName>{target}</FunctionName></Action>'
        else:
            resources_urls.append(f'<bt:Url id="Url.{key}" DefaultValue="{url("ilrkit_taskpane")}?action={target}"/>')
            action = (f'<Action xsi:type="ShowTaskpane"><TaskpaneId>ilrkitPane</TaskpaneId>'
                      f'<SourceLocation resid="Url.{key}"/></Action>')
        controls.append(
            f'<Control xsi:type="Button" id="ilrkit{key}"><Label resid="Label.{key}"/>'
            f'<Supertip><Title resid="Label.{key}"/><Description resid="Tip.{key}"/></Supertip>'
            f'<Icon><bt:Image size="16" resid="Icon.16"/><bt:Image size="32" resid="Icon.32"/>'
            f'<bt:Image size="80" resid="Icon.80"/></Icon>{action}</Control>')
    labels = "".join(f'<bt:String id="Label.{k}" DefaultValue="{escape(lbl)}"/>' for k, lbl, *_ in BUTTONS)
    tips = "".join(f'<bt:String id="Tip.{k}" DefaultValue="{escape(tip)}"/>' for k, _, tip, *_ in BUTTONS)
    return (template
            .replace("{ID}", ADDIN_ID)
            .replace("{APP_DOMAIN}", escape(f"https://{origin.netloc}"))
            .replace("{TASKPANE_URL}", url("ilrkit_taskpane"))
            .replace("{COMMANDS_URL}", url("ilrkit_commands"))
            .replace("{ICON_32}", url("ilrkit_icon", size=32))
            .replace("{ICON_64}", url("ilrkit_icon", size=64))
            .replace("{ICON_16}", url("ilrkit_icon", size=16))
            .replace("{ICON_80}", url("ilrkit_icon", size=80))
            .replace("{CONTROLS}", "".join(controls))
            .replace("{URLS}", "".join(resources_urls))
            .replace("{LABELS}", labels)
            .replace("{TIPS}", tips))


# -- the scripts -----------------------------------------------------------------------------------------

def _answer(outcome: actions.Outcome, book) -> dict:
    body = {"ok": outcome.ok, "message": outcome.message, "actions": book.json()["actions"]}
    if outcome.question:
        body["question"] = outcome.question
    if outcome.content is not None and outcome.filename:
        body["download"] = {"filename": outcome.filename,
                            "content_base64": base64.b64encode(outcome.content).decode("ascii")}
    return body


async def _run(request: Request, work) -> JSONResponse:
    try:
        body = await request.json()
    except ValueError:
        return JSONResponse({"ok": False, "message": "The request was not JSON. Reload the add-in."}, 400)
    if not isinstance(body, dict):
        return JSONResponse({"ok": False, "message": "The request had no workbook. Reload the add-in."}, 400)
    from starlette.concurrency import run_in_threadpool

    def guarded():
        with _lock:
            book = open_book(body.get("book"))
            try:
                return _answer(work(book, body), book)
            finally:
                book.close()

    try:
        return JSONResponse(await run_in_threadpool(guarded))
    except InputError as exc:
        return JSONResponse({"ok": False, "message": str(exc), "actions": []})
    except Exception as exc:  # noqa: BLE001 - the user sees a short message; support sees the type only
        log.error("add-in action failed: %s", exc.__class__.__name__)
        return JSONResponse({"ok": False, "actions": [],
                             "message": f"Sorry, that did not work ({exc.__class__.__name__}). Try again, or ask "
                                        "your ilrkit administrator to check the server log."}, 500)


@router.post("/validate", name="ilrkit_validate")
async def validate_script(request: Request) -> JSONResponse:
    return await _run(request, lambda book, body: actions.validate_action(book))


@router.post("/clear", name="ilrkit_clear")
async def clear_script(request: Request) -> JSONResponse:
    return await _run(request, lambda book, body: actions.clear_action(book))


@router.post("/export", name="ilrkit_export")
async def export_script(request: Request) -> JSONResponse:
    return await _run(request, lambda book, body: actions.export_action(
        book, None, confirmed=bool(body.get("confirmed")), write=False))


def _xml_from(body: dict):
    from ilrkit.converter.xml_reader import read_xml

    try:
        content = base64.b64decode(body.get("xml_base64") or "", validate=True)
    except (binascii.Error, ValueError):
        raise InputError("The chosen file could not be read. Choose the ILR XML file again.") from None
    if not content:
        raise InputError("Choose an ILR XML file to import first.")
    return read_xml(content, str(body.get("xml_name") or "the XML file")[:200])


@router.post("/import", name="ilrkit_import")
async def import_script(request: Request) -> JSONResponse:
    return await _run(request, lambda book, body: actions.import_action(
        book, _xml_from(body), confirmed=bool(body.get("confirmed"))))


@router.post("/new-template", name="ilrkit_new_template")
async def new_template_script(request: Request) -> JSONResponse:
    def work(book, body):
        import tempfile

        with tempfile.TemporaryDirectory(prefix="ilrkit-template-") as tmp:
            path = actions.new_template(Path(tmp) / "ILR workbook.xlsx", body.get("year"))
            content = path.read_bytes()
        return actions.Outcome("Opened a new, empty ILR workbook. Save it where you keep your ILR files.",
                               filename="ILR workbook.xlsx", content=content)

    return await _run(request, work)
