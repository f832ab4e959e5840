"""The agency's validation rules and the engine that runs them, with cell-addressed findings."""

from ilrkit.rules.findings import ERROR, WARNING, Finding  # noqa: F401
from ilrkit.rules.registry import Hit, rule  # noqa: F401


def validate(data, **kwargs):
    """Validate an ``IlrData``; see ``ilrkit.rules.engine.validate``."""
    from ilrkit.rules.engine import validate as _validate

    return _validate(data, **kwargs)
