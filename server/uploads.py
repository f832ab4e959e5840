"""Receive an upload straight into a private temporary folder, within size limits, and unpack batch zips safely.

Nothing is held in memory beyond one network chunk, nothing is written outside the request's own temporary
folder, and the caller removes that folder on every path (see ``app.workspace``).
"""

from __future__ import annotations

import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from ilrkit.server.batch import safe_name

MAX_FIELDS = 10
MAX_FIELD_BYTES = 1024
MAX_HEADER_BYTES = 8192
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
UPLOAD_SUFFIXES = WORKBOOK_SUFFIXES + (".xml",)
RAW_TYPES = ("application/octet-stream", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "application/vnd.ms-excel.sheet.macroenabled.12", "application/xml", "text/xml", "application/zip",
             "application/x-zip-compressed")


class UploadError(Exception):
    """The upload cannot be used. ``status`` is the HTTP status; the message is for the user."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Upload:
    path: Path
    filename: str  # the client's file name, made safe
    size: int
    fields: dict = field(default_factory=dict)
    named: bool = True  # False when the client sent no file name (then "upload" stands in for it)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def _too_big(limit: int, what: str) -> UploadError:
    return UploadError(413, f"The {what} is larger than the {_mb(limit)} this server accepts. Split the data "
                            "into smaller files, or ask the server's administrator to raise the limit "
                            "(ILRKIT_MAX_UPLOAD_MB / ILRKIT_MAX_BATCH_MB).")


def sniff(path: Path) -> str:
    """'zip' (a workbook or a zip archive), 'xml', 'ole' (old .xls or an encrypted workbook) or 'other'."""
    with path.open("rb") as fh:
        head = fh.read(512)
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "xml"
    return "other"


async def receive(request: Request, folder: Path, limit: int, *, what: str = "upload",
                  field_name: str = "file") -> Upload:
    """Stream the request's file into ``folder``: a multipart form field ``file`` or the raw request body."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit + 64 * 1024:  # room for the form's own lines
                raise _too_big(limit, what)
        except ValueError:
            raise UploadError(400, "The request's Content-Length header is not a number.") from None
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    ctype_text = ctype.decode("latin-1").lower()
    if ctype_text == "multipart/form-data":
        boundary = params.get(b"boundary")
        if not boundary:
            raise UploadError(400, "The form upload has no boundary. Send the file with curl -F "
                                   "'file=@workbook.xlsx' or from the upload page.")
        return await _receive_form(request, folder, limit, what, field_name, boundary)
    if ctype_text == "application/x-www-form-urlencoded":
        raise UploadError(400, f"No file was sent. Attach the file in the form field '{field_name}' "
                               f"(curl -F '{field_name}=@workbook.xlsx').")
    if ctype_text in ("", *RAW_TYPES) or ctype_text.startswith(("application/vnd.", "application/x-")):
        name = request.headers.get("x-filename") or request.query_params.get("filename")
        upload = await _receive_raw(request, folder, limit, what, safe_name(name))
        upload.named = safe_name(name, "") != ""
        return upload
    raise UploadError(415, f"Send the file as a form upload (multipart/form-data, field '{field_name}') or as "
                           f"the raw request body, not as {ctype_text}.")


async def _receive_raw(request: Request, folder: Path, limit: int, what: str, name: str) -> Upload:
    target = folder / name
    size = 0
    with target.open("wb") as fh:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise _too_big(limit, what)
            fh.write(chunk)
    if size == 0:
        raise UploadError(400, f"The {what} is empty. Choose the file again and resend it.")
    return Upload(target, name, size)


class _FormReader:
    """Callbacks for python-multipart: one file part written to disk, a few small text fields kept."""

    def __init__(self, folder: Path, limit: int, what: str, field_name: str):
        self.folder, self.limit, self.what, self.field_name = folder, limit, what, field_name
        self.fields: dict[str, str] = {}
        self.upload: Upload | None = None
        self.fh = None
        self.header_name = b""
        self.header_value = b""
        self.header_bytes = 0
        self.disposition = b""
        self.part_kind: str | None = None  # "file", "field" or "skip"
        self.part_name = ""
        self.field_data = bytearray()
        self.ended = False

    def on_part_begin(self) -> None:
        self.disposition = b""
        self.part_kind = None
        self.part_name = ""
        self.field_data = bytearray()
        self.header_bytes = 0

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]
        self._count_header(end - start)

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]
        self._count_header(end - start)

    def _count_header(self, n: int) -> None:
        self.header_bytes += n
        if self.header_bytes > MAX_HEADER_BYTES:
            raise UploadError(400, "The form upload's part headers are too long.")

    def on_header_end(self) -> None:
        if self.header_name.strip().lower() == b"content-disposition":
            self.disposition = self.header_value
        self.header_name = b""
        self.header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.disposition)
        self.part_name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in options:
            if self.part_name != self.field_name or self.upload is not None:
                raise UploadError(400, f"Send exactly one file, in the form field '{self.field_name}'.")
            given = options[b"filename"].decode("utf-8", "replace")
            name = safe_name(given)
            path = self.folder / name
            self.fh = path.open("wb")
            self.upload = Upload(path, name, 0, self.fields, named=safe_name(given, "") != "")
            self.part_kind = "file"
        else:
            if len(self.fields) >= MAX_FIELDS:
                raise UploadError(400, "The form has too many fields.")
            self.part_kind = "field"

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        n = end - start
        if self.part_kind == "file":
            self.upload.size += n
            if self.upload.size > self.limit:
                raise _too_big(self.limit, self.what)
            self.fh.write(data[start:end])
        elif self.part_kind == "field":
            if len(self.field_data) + n > MAX_FIELD_BYTES:
                raise UploadError(400, f"The form field '{self.part_name}' is too long.")
            self.field_data += data[start:end]

    def on_part_end(self) -> None:
        if self.part_kind == "file":
            self.fh.close()
            self.fh = None
        elif self.part_kind == "field" and self.part_name:
            self.fields[self.part_name] = self.field_data.decode("utf-8", "replace")

    def on_end(self) -> None:
        self.ended = True

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()
            self.fh = None


async def _receive_form(request: Request, folder: Path, limit: int, what: str, field_name: str,
                        boundary: bytes) -> Upload:
    reader = _FormReader(folder, limit, what, field_name)
    callbacks = {name: getattr(reader, name) for name in (
        "on_part_begin", "on_part_data", "on_part_end", "on_header_field", "on_header_value", "on_header_end",
        "on_headers_finished", "on_end")}
    try:
        parser = MultipartParser(boundary, callbacks)
        total = 0
        async for chunk in request.stream():
            total += len(chunk)
            if total > limit + 64 * 1024:
                raise _too_big(limit, what)
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError:
        raise UploadError(400, "The form upload is malformed. Send the file with curl -F 'file=@workbook.xlsx' "
                               "or from the upload page.") from None
    finally:
        reader.close()
    if reader.upload is None:
        raise UploadError(400, f"No file was sent. Attach the file in the form field '{field_name}' "
                               f"(curl -F '{field_name}=@workbook.xlsx').")
    if not reader.ended:
        raise UploadError(400, "The upload was cut short. Send the file again.")
    if reader.upload.size == 0:
        raise UploadError(400, f"The {what} is empty. Choose the file again and resend it.")
    return reader.upload


# ---------------------------------------------------------------- zip archives of workbooks (batch)

@dataclass
class ZipLimits:
    members: int
    total_bytes: int
    ratio: int


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    if "\x00" in name or name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "has an absolute path"
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if ".." in parts:
        return "points outside the zip's folder (..)"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "is a symbolic link"
    if info.flag_bits & 0x1:
        return "is password-protected"
    return None


def _wanted(info: zipfile.ZipInfo) -> bool:
    base = PurePosixPath(info.filename.replace("\\", "/"))
    if info.is_dir() or any(p.startswith(".") or p == "__MACOSX" for p in base.parts):
        return False
    return base.name.lower().endswith(WORKBOOK_SUFFIXES) and not base.name.startswith("~$")


def unpack_workbooks(archive: Path, dest: Path, limits: ZipLimits) -> tuple[list[Path], list[str]]:
    """Extract the workbooks in a zip into ``dest`` (flat, unique names), after checking the whole archive.

    Returns the workbook paths and the names of members that were skipped (not workbooks). Raises
    ``UploadError`` (400/413) for an archive that is unsafe or too large, before anything is extracted.
    """
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError):
        raise UploadError(422, "The upload is not a complete zip file (it may be damaged or cut short). "
                               "Zip the workbooks again and resend.") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.members:
            raise UploadError(413, f"The zip holds {len(infos)} entries; this server accepts at most "
                                   f"{limits.members} (ILRKIT_MAX_ZIP_MEMBERS). Send the workbooks in smaller "
                                   "batches.")
        for info in infos:
            problem = _member_problem(info)
            if problem:
                raise UploadError(400, f"The zip entry {safe_name(info.filename)!r} {problem}, so the zip is "
                                       "refused for safety. Zip just the workbooks, without folders that "
                                       "point elsewhere or passwords.")
        total = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos) or 1
        if total > limits.total_bytes:
            raise UploadError(413, f"The zip would expand to {_mb(total)}, more than the "
                                   f"{_mb(limits.total_bytes)} this server accepts (ILRKIT_MAX_ZIP_TOTAL_MB). "
                                   "Send the workbooks in smaller batches.")
        for info in infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > 1024 * 1024 and ratio > limits.ratio:
                raise UploadError(400, f"The zip entry {safe_name(info.filename)!r} is compressed {ratio:.0f} "
                                       f"times over (the limit is {limits.ratio}); real workbooks never are. "
                                       "It is refused for safety.")
        if total > 1024 * 1024 and total / packed > limits.ratio:
            raise UploadError(400, f"The zip is compressed {total / packed:.0f} times over (the limit is "
                                   f"{limits.ratio}); it is refused for safety.")
        paths: list[Path] = []
        skipped: list[str] = []
        used: set[str] = set()
        written = 0
        for info in infos:
            if info.is_dir():
                continue
            if not _wanted(info):
                skipped.append(safe_name(info.filename))
                continue
            name = _unique(safe_name(PurePosixPath(info.filename.replace("\\", "/")).name), used)
            target = dest / name
            with zf.open(info) as src, target.open("wb") as out:
                remaining = info.file_size
                while True:  # never trust the sizes in the archive: count what really comes out
                    chunk = src.read(64 * 1024)
                    if not chunk:
                        break
                    remaining -= len(chunk)
                    written += len(chunk)
                    if remaining < 0 or written > limits.total_bytes:
                        raise UploadError(400, "The zip holds more data than its directory says; it is "
                                               "refused for safety.")
                    out.write(chunk)
            paths.append(target)
        return paths, skipped


def _unique(name: str, used: set[str]) -> str:
    stem, dot, suffix = name.rpartition(".")
    candidate, n = name, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{stem} ({n}).{suffix}" if dot else f"{name} ({n})"
    used.add(candidate.lower())
    return candidate
