"""ILR year packs: the specification as data, and the model read from it."""

from ilrkit.schemas.spec import (  # noqa: F401
    DEFAULT_YEAR, Code, CodeList, Entity, FamType, Field, Spec, UnknownYear, available_years, load_spec,
    normalise_year, year_for_namespace,
)
