"""``ilr migrate``: start the new collection year's workbook from last year's."""

from __future__ import annotations

from pathlib import Path

import typer

from ilrkit.converter.errors import InputError


def migrate(source: Path = typer.Argument(..., help="Last year's workbook (.xlsx) or ILR XML file."),
            to: str = typer.Option(..., "--to", help="The new collection year, e.g. 2026-27."),
            output: Path = typer.Option(..., "-o", "--output", help="The new year's workbook (.xlsx) to write."),
            force: bool = typer.Option(False, "--force", help="Replace the output file if it exists.")) -> None:
    """Carry continuing learners into the new year's workbook, with a report sheet of what moved and why."""
    from ilrkit.converter.migrate import REPORT_SHEET, migrate_file
    from ilrkit.schemas import UnknownYear

    from ilrkit.cli.main import _want_xlsx

    try:
        _want_xlsx(output)
        result = migrate_file(source, output, to, force=force)
    except (InputError, UnknownYear) as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(2)
    typer.echo(str(output))
    typer.echo(result.summary)
    typer.echo(f"Every learner and aim, and why, is listed on the {REPORT_SHEET} sheet. {source.name} was not "
               "changed.")
