"""The ilrkit HTTP server (``ilr serve``): the API, the upload page and the add-in's web routes in one app.

``create_app(settings)`` builds the FastAPI app; ``Settings.from_env()`` reads tokens and limits.
"""

from __future__ import annotations


def create_app(settings=None):
    from ilrkit.server.app import create_app as _create

    return _create(settings)


__all__ = ["create_app"]
