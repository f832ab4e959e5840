"""Say plainly when the server's port cannot be used, before uvicorn tries (its own error is a raw OSError)."""

from __future__ import annotations

import errno
import socket

from ilrkit.converter.errors import InputError


def ensure_free(host: str, port: int) -> None:
    """Raise ``InputError`` when nothing could listen on ``host:port`` (in use, not this computer's, or
    not allowed); the socket is closed again at once, so the server can take the port."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        raise InputError(f"{host} is not an address this computer knows. Use 127.0.0.1 (this computer only) or "
                         "0.0.0.0 (the network).") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        if hasattr(socket, "SO_REUSEADDR") and not hasattr(socket, "SO_EXCLUSIVEADDRUSE"):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                other = port + 1 if port < 65535 else 8000
                raise InputError(f"Port {port} on {host} is already in use, perhaps by another `ilr serve`. Stop "
                                 f"that program, or choose another port, e.g. --port {other}.") from None
            if exc.errno == errno.EACCES:
                raise InputError(f"This account is not allowed to listen on port {port}. Use a port above 1023, "
                                 "e.g. --port 8000.") from None
            raise InputError(f"Cannot listen on {host} port {port} ({exc.strerror or exc.__class__.__name__}). "
                             "Check the --host address belongs to this computer.") from None
