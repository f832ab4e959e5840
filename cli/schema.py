"""``ilr schema``: load the agency's own schema (and rules list) for a year, without a new ilrkit release."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ilrkit.converter.errors import InputError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="The ILR year packs: load the agency's published schema, list what is installed.")


@app.command("import")
def import_(xsd: Path = typer.Argument(..., help="The agency's ILR schema file, e.g. schemafile26.xsd."),
            rules: Optional[Path] = typer.Option(None, "--rules",
                                                 help="The agency's validation rules list (.csv or .xlsx)."),
            out: Optional[Path] = typer.Option(None, "-o", "--data-dir",
                                               help="Data folder to put the pack in (for a server; it then needs "
                                                    "ILRKIT_DATA_DIR set to this folder). Default: your ilrkit "
                                                    "data folder.")) -> None:
    """Build (or update) the year pack for the schema's year from the agency's files, and say what changed."""
    from ilrkit.schemas.importer import import_schema
    from ilrkit.schemas.userdata import user_data_dir

    try:
        result = import_schema(xsd, rules=rules, data_dir=out)
    except InputError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(2)
    typer.echo(f"{'Updated' if result.replaced else 'Installed'} the {result.year} year pack from {xsd.name}: "
               f"{result.folder}")
    for line in result.diff.lines():
        typer.echo(line)
    if out is not None and Path(out).resolve() != user_data_dir().resolve():
        typer.echo(f"To use it, run ilrkit (or the server) with ILRKIT_DATA_DIR={out}.")
    else:
        typer.echo(f"ilr template, convert and validate now use it for {result.year}.")


@app.command("list")
def list_() -> None:
    """Show each year installed, where its pack comes from, and whether it is provisional."""
    from ilrkit.schemas.spec import load_spec, pack_folders

    for year in pack_folders():
        spec = load_spec(year)
        where = "shipped with ilrkit" if spec.root is None else f"loaded from {spec.folder}"
        status = "provisional (no agency schema loaded yet)" if spec.provisional else "official schema"
        typer.echo(f"{year}  {spec.namespace}  {status}; {where}")
