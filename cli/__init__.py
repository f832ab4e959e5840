"""The ``ilr`` command line (``ilrkit.cli.main``)."""
