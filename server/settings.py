"""What the server is allowed to do: tokens, upload limits, CORS. Read from the environment (and a tokens file).

Environment variables (all optional):

- ``ILRKIT_TOKENS``: comma-separated API tokens (or ``sha256:<hex>`` hashes of tokens);
- ``ILRKIT_TOKENS_FILE``: a file with one token or ``sha256:<hex>`` hash per line (``#`` starts a comment);
  the server reads it again when it changes, so added tokens work and removed ones stop without a restart;
- ``ILRKIT_MAX_UPLOAD_MB`` (50): the largest workbook or XML upload;
- ``ILRKIT_MAX_BATCH_MB`` (200): the largest zip upload to ``/v1/batch``;
- ``ILRKIT_MAX_ADDIN_MB`` (100): the largest request from the Excel add-in (``/xlwings/*``: the workbook's
  values as JSON, refused with 413 before it is parsed);
- ``ILRKIT_MAX_ZIP_MEMBERS`` (200), ``ILRKIT_MAX_ZIP_TOTAL_MB`` (1000), ``ILRKIT_MAX_ZIP_RATIO`` (100): what a
  batch zip may hold once expanded;
- ``ILRKIT_MAX_CONCURRENT`` (4): uploads processed at once (more wait their turn);
- ``ILRKIT_CORS_ORIGINS``: comma-separated origins allowed to call the API from a browser (none by default);
- ``ILRKIT_TMPDIR``: where uploads are held while they are processed (the system's temporary folder by default).

Authentication is never switched off by the environment: only ``ilr serve --dev`` does that (see serve.py).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import os
import re
import secrets
import socket
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path

MB = 1024 * 1024
MIN_TOKEN_LENGTH = 16
_HASHED = re.compile(r"^sha256:([0-9a-fA-F]{64})$")
LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost")
log = logging.getLogger("ilrkit.server")


class SettingsError(ValueError):
    """The server's configuration cannot be used. The message says what to change."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A fresh random API token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def is_loopback(host: str) -> bool:
    """True when listening on ``host`` reaches this computer only: a loopback address, or a name (localhost)
    whose every address is one (a hosts file may point "localhost" elsewhere)."""
    host = host.strip().strip("[]")
    if not host:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    if host.lower() not in LOOPBACK_NAMES:
        return False
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return False
    return bool(found) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in found)


def _parse_token(entry: str, where: str) -> str:
    """The sha256 hex digest for one token entry (a plain token or ``sha256:<hex>``)."""
    entry = entry.strip()
    match = _HASHED.match(entry)
    if match:
        return match.group(1).lower()
    if len(entry) < MIN_TOKEN_LENGTH or any(c.isspace() for c in entry):
        raise SettingsError(f"A token in {where} is too short or contains spaces; tokens must be at least "
                            f"{MIN_TOKEN_LENGTH} characters. Make a strong one with `ilr token`.")
    return hash_token(entry)


def read_tokens_file(path: str | Path) -> set[str]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SettingsError(f"The tokens file {path} does not exist. Create it with "
                            f"`ilr token --tokens-file {path}`.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"Cannot read the tokens file {path} ({exc.__class__.__name__}).") from None
    hashes = set()
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            hashes.add(_parse_token(entry, f"the tokens file {path}"))
    return hashes


class TokensFile:
    """A tokens file, read again whenever it changes (its size, time or identity), so a token added with
    `ilr token --tokens-file` works and a line deleted stops working without restarting the server.

    A file that can no longer be read (deleted, a bad line) grants nothing until it is fixed: failing closed
    locks users out, but never lets a removed token in."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._seen: tuple | None = None
        self._hashes: frozenset = frozenset()
        self._problem: str | None = None

    def _signature(self) -> tuple | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_ctime_ns

    def hashes(self) -> frozenset:
        with self._lock:
            seen = self._signature()
            if seen is None or seen != self._seen:  # missing: tried again each time, until it is back
                self._seen = seen
                try:
                    self._hashes, problem = frozenset(read_tokens_file(self.path)), None
                except SettingsError as exc:
                    self._hashes, problem = frozenset(), str(exc)
                    if problem != self._problem:
                        log.warning("no token from the tokens file is accepted until it is fixed: %s", problem)
                self._problem = problem
            return self._hashes

    def __eq__(self, other) -> bool:
        return isinstance(other, TokensFile) and other.path == self.path

    def __hash__(self) -> int:
        return hash(self.path)

    def __repr__(self) -> str:
        return f"TokensFile({str(self.path)!r})"


def tokens_file_is_private(path: str | Path) -> bool:
    """False when others on the machine could read the tokens file."""
    try:
        mode = Path(path).stat().st_mode
    except OSError:
        return True
    return not (mode & (stat.S_IRWXG | stat.S_IRWXO))


def append_token(path: str | Path, token: str, label: str | None = None) -> Path:
    """Add the hash of ``token`` to a tokens file (created readable by its owner only)."""
    import datetime as dt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    comment = f"added {dt.date.today().isoformat()}" + (f", {' '.join(label.split())}" if label else "")
    line = f"sha256:{hash_token(token)}  # {comment.replace('#', '')}\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    if hasattr(os, "fchmod"):  # a file that was there already keeps its mode unless told: owner only
        os.fchmod(fd, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        fh.write(line)
    return path


def _int_env(env: dict, name: str, default: int, minimum: int = 1) -> int:
    raw = env.get(name)
    if raw is None or not str(raw).strip():
        return default
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}.")
    return value


@dataclass(frozen=True)
class Settings:
    token_hashes: frozenset = field(default_factory=frozenset)  # from ILRKIT_TOKENS (fixed at start)
    tokens_file: TokensFile | None = None  # read again when it changes
    dev: bool = False  # no authentication: only from `ilr serve --dev` on loopback (serve.py checks the host)
    max_upload_bytes: int = 50 * MB
    max_batch_bytes: int = 200 * MB
    max_addin_bytes: int = 100 * MB
    max_zip_members: int = 200
    max_zip_total_bytes: int = 1000 * MB
    max_zip_ratio: int = 100
    max_concurrent: int = 4
    cors_origins: tuple = ()
    tmp_dir: str | None = None
    refdata_dir: str | None = None  # reference data (LARS, contracts, ...) for the rules; None: none

    @property
    def auth_required(self) -> bool:
        return not self.dev

    def known_hashes(self) -> frozenset:
        """Every token hash accepted now (the tokens file as it is at this moment)."""
        return self.token_hashes | (self.tokens_file.hashes() if self.tokens_file is not None else frozenset())

    def check_token(self, token: str | None) -> bool:
        if not token:
            return False
        digest = hash_token(token)
        ok = False
        for known in self.known_hashes():  # compare with every one, in constant time
            ok |= hmac.compare_digest(digest, known)
        return ok

    def validate(self) -> "Settings":
        if self.dev and (self.token_hashes or self.tokens_file is not None):
            raise SettingsError("--dev turns authentication off, but API tokens are configured (--tokens-file, "
                                "ILRKIT_TOKENS or ILRKIT_TOKENS_FILE). Leave out --dev to use the tokens, or "
                                "remove the token settings to try ilrkit without them.")
        if not self.dev and not self.known_hashes():
            raise SettingsError("No API tokens are set, so nobody could use the server. Make one with "
                                "`ilr token --tokens-file tokens.txt` and start with --tokens-file tokens.txt "
                                "(or set ILRKIT_TOKENS). For a quick try on this computer only, use --dev.")
        if self.tmp_dir and not Path(self.tmp_dir).is_dir():
            raise SettingsError(f"ILRKIT_TMPDIR={self.tmp_dir} is not a folder.")
        if self.refdata_dir and not Path(self.refdata_dir).is_dir():
            raise SettingsError(f"ILRKIT_REFDATA_DIR={self.refdata_dir} is not a folder. Give the folder of "
                                "reference data (`ilr refdata add` stores it in <data folder>/refdata).")
        return self

    @classmethod
    def from_env(cls, env: dict | None = None, *, tokens_file: str | Path | None = None,
                 dev: bool = False) -> "Settings":
        env = dict(os.environ if env is None else env)
        hashes: set[str] = set()
        for entry in (env.get("ILRKIT_TOKENS") or "").split(","):
            if entry.strip():
                hashes.add(_parse_token(entry, "ILRKIT_TOKENS"))
        tokens_file = tokens_file or env.get("ILRKIT_TOKENS_FILE") or None
        if tokens_file:
            read_tokens_file(tokens_file)  # a missing or bad file stops the start with a clear message
            tokens_file = TokensFile(tokens_file)
        origins = tuple(o.strip().rstrip("/") for o in (env.get("ILRKIT_CORS_ORIGINS") or "").split(",")
                        if o.strip())
        if "*" in origins:
            raise SettingsError("ILRKIT_CORS_ORIGINS=* would let any web site call the API with a user's "
                                "token; list the exact origins instead (https://app.example.org).")
        return cls(
            token_hashes=frozenset(hashes), tokens_file=tokens_file or None, dev=dev,
            max_upload_bytes=_int_env(env, "ILRKIT_MAX_UPLOAD_MB", 50) * MB,
            max_batch_bytes=_int_env(env, "ILRKIT_MAX_BATCH_MB", 200) * MB,
            max_addin_bytes=_int_env(env, "ILRKIT_MAX_ADDIN_MB", 100) * MB,
            max_zip_members=_int_env(env, "ILRKIT_MAX_ZIP_MEMBERS", 200),
            max_zip_total_bytes=_int_env(env, "ILRKIT_MAX_ZIP_TOTAL_MB", 1000) * MB,
            max_zip_ratio=_int_env(env, "ILRKIT_MAX_ZIP_RATIO", 100, minimum=2),
            max_concurrent=_int_env(env, "ILRKIT_MAX_CONCURRENT", 4),
            cors_origins=origins,
            tmp_dir=(env.get("ILRKIT_TMPDIR") or None),
            refdata_dir=(env.get("ILRKIT_REFDATA_DIR") or None),
        )
