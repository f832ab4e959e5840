"""``ilr serve``: check the settings, say clearly how the server is protected, and run it under uvicorn."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ilrkit.converter.errors import InputError
from ilrkit.server.settings import Settings, SettingsError, is_loopback, tokens_file_is_private

# uvicorn's own access log is off (it would show query strings); ours shows method, path, status and time.
LOG_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}},
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"level": "INFO"},
        "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "ilrkit.server": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}


class ServeError(InputError):
    """The server cannot start with these options; the message says what to change."""


def _banner(lines: list[str], style: str, console=None) -> None:
    """A boxed notice; each item of ``lines`` is a paragraph, wrapped to the terminal's width."""
    from rich.console import Console
    from rich.panel import Panel

    console = console or Console(stderr=True, highlight=False)
    console.print(Panel("\n".join(lines), style=style, expand=False))


def dev_banner(url: str) -> list[str]:
    """The --dev warning, a paragraph a line: the terminal wraps each to its width, whatever the URL's length."""
    return ["DEVELOPMENT MODE: NO AUTHENTICATION.",
            f"Anyone or any program on this computer that can reach {url} can send learner data and read the "
            "results. Use --dev only to try ilrkit out, never on a shared computer with real data.",
            "For real use, make a token (`ilr token --tokens-file tokens.txt`) and start without --dev."]


def check(host: str, dev: bool, tokens_file: Path | None, ssl_certfile: Path | None,
          ssl_keyfile: Path | None, workers: int = 1) -> Settings:
    """The settings to serve with. Authentication is off only with ``--dev``, on the loopback address actually
    listened on (``host``), with no tokens configured: never from the environment."""
    if dev and not is_loopback(host):
        raise ServeError(f"--dev turns authentication off, so it only listens on this computer, not {host}. Use "
                         "--host 127.0.0.1, or leave out --dev and use tokens (`ilr token`).")
    if dev and workers > 1:
        raise ServeError("--dev is for trying ilrkit on this computer and runs one server process: leave out "
                         "--workers, or leave out --dev and use tokens (`ilr token`).")
    if bool(ssl_certfile) != bool(ssl_keyfile):
        raise ServeError("HTTPS needs both --ssl-certfile and --ssl-keyfile.")
    for f in (ssl_certfile, ssl_keyfile):
        if f is not None and not Path(f).is_file():
            raise ServeError(f"Cannot find {f}.")
    try:
        return Settings.from_env(tokens_file=tokens_file, dev=dev).validate()
    except SettingsError as exc:
        raise ServeError(str(exc)) from None


def run(*, host: str = "127.0.0.1", port: int = 8000, dev: bool = False, tokens_file: Path | None = None,
        workers: int = 1, ssl_certfile: Path | None = None, ssl_keyfile: Path | None = None) -> None:
    import uvicorn

    from ilrkit.server.app import create_app

    settings = check(host, dev, tokens_file, ssl_certfile, ssl_keyfile, workers)
    scheme = "https" if ssl_certfile else "http"
    shown = f"[{host}]" if ":" in host else host
    url = f"{scheme}://{shown}:{port}"
    if dev:
        _banner(dev_banner(url), "bold white on red")
    else:
        source = tokens_file or os.environ.get("ILRKIT_TOKENS_FILE")
        if source and not tokens_file_is_private(source):
            print(f"Warning: {source} can be read by other users on this computer. Restrict it: "
                  f"chmod 600 {source}", file=sys.stderr)
        lines = [f"ilrkit server: upload page {url}/  API documentation {url}/docs",
                 f"{len(settings.known_hashes())} API token(s) accepted; nothing sent to the server is kept."]
        if settings.tokens_file is not None:
            lines.append(f"Tokens added to or removed from {settings.tokens_file.path} count at once; no restart.")
        if not is_loopback(host) and not ssl_certfile:
            lines.append("Learner data will cross the network unencrypted: put HTTPS in front (a reverse proxy, "
                         "or --ssl-certfile/--ssl-keyfile).")
        _banner(lines, "bold")
    options = dict(host=host, port=port, log_config=LOG_CONFIG, access_log=False, server_header=False,
                   proxy_headers=False, limit_concurrency=100, timeout_graceful_shutdown=10,
                   ssl_certfile=str(ssl_certfile) if ssl_certfile else None,
                   ssl_keyfile=str(ssl_keyfile) if ssl_keyfile else None)
    if workers > 1:  # each worker process builds the app from the environment (never in dev mode)
        if tokens_file:
            os.environ["ILRKIT_TOKENS_FILE"] = str(Path(tokens_file).resolve())
        uvicorn.run("ilrkit.server.app:create_app", factory=True, workers=workers, **options)
    else:
        uvicorn.run(create_app(settings), **options)
