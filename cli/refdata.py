"""``ilr refdata``: load the agency's reference data (LARS, your contracts, postcodes, ...) so more rules run."""

from __future__ import annotations

from pathlib import Path

import typer

from ilrkit.converter.errors import InputError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Load reference data (LARS, your contracts, postcodes, ...) so the rules that need it run.")

ADD_HELP = """Load reference data files into your ilrkit data folder (each replaces the same set loaded before).

Which set a file is, is worked out from its contents:

\b
- LARS: the "download the learning aims data set" CSV zip (or a folder of its LARS_*.csv files)
- Contracts: a CSV of your funding contracts (ContractAllocationNumber, FundingStreamPeriodCode, DeliveryUKPRN,
  StartDate, EndDate, StopNewStartsFromDate; for Skills Bootcamps also DeliverableCode, ILRContractRefNumber)
- Postcodes: the ONS Postcode Directory zip, or a CSV extract with a pcds column
- DevolvedPostcodes: the devolved-authority postcodes CSV (Postcode, Area, SourceOfFunding, EffectiveFrom, ...)
- Organisations: a CSV with a UKPRN column (and LegalOrgType, LongTermResid)
- OfSProviders: the Office for Students register as CSV (UKPRN and a Registration ... column)
- EPAOrganisations: a CSV of EPAOrgID, StandardCode, EffectiveFrom, EffectiveTo
"""


def _fail(exc: InputError) -> typer.Exit:
    typer.echo(f"Error: {exc}", err=True)
    return typer.Exit(2)


@app.command(help=ADD_HELP)
def add(files: list[Path] = typer.Argument(..., help="Reference data files (.zip or .csv) or a LARS folder.")) -> None:
    from ilrkit.refdata import add as load, default_folder

    try:
        done = load(files)
    except InputError as exc:
        raise _fail(exc)
    except OSError as exc:
        raise _fail(InputError(f"Cannot write to {default_folder()} ({exc.strerror or exc.__class__.__name__})."))
    for refset, path, counts in done:
        rows = sum(counts.values())
        typer.echo(f"{refset.name}: {rows:,} rows in {len(counts)} table(s) -> {path}")


@app.command("list")
def list_(refdata: Path = typer.Option(None, "--refdata", help="A folder of reference data (default: yours)."),
          ) -> None:
    """Show what reference data is loaded: each set, its version and date, and how many rows."""
    from ilrkit.refdata import NOT_LOADABLE, SETS, default_folder, listing

    folder = refdata or default_folder()
    try:
        items = listing(folder)
    except InputError as exc:
        raise _fail(exc)
    from ilrkit.rules.engine import uk_dates
    from ilrkit.rules.registry import registry

    loaded = {m["name"] for m in items}
    rules = registry().values()
    for meta in items:
        tables = meta.get("tables", {})
        uses = sorted(r.code for r in rules if meta["name"] in r.needs)
        typer.echo(uk_dates(f"{meta['name']:<18} {sum(tables.values()):>10,} rows  "
                            f"version {meta.get('version') or '-'}  dated {meta.get('date') or '-'}  "
                            f"from {meta.get('source') or '-'}  (loaded {meta.get('loaded', '-')})"))
        if uses:  # `ilr rules CODE` explains each
            more = f" and {len(uses) - 8} more" if len(uses) > 8 else ""
            typer.echo(f"{'':<18} used by {len(uses)} rule(s): {', '.join(uses[:8])}{more}")
    missing = [s for s in SETS if s not in loaded]
    if not items:
        typer.echo(f"No reference data loaded in {folder}.")
    if missing:
        typer.echo(f"Not loaded: {', '.join(missing)}. Load them with `ilr refdata add FILE` "
                   "(`ilr refdata add --help` lists the files).")
    typer.echo("Not available to load (no published file): " + "; ".join(NOT_LOADABLE.values()) + ".")


@app.command()
def remove(name: str = typer.Argument(..., help="The set to remove, as `ilr refdata list` names it (e.g. LARS).")
           ) -> None:
    """Remove a loaded reference data set from your ilrkit data folder."""
    from ilrkit.refdata import remove_set

    path = remove_set(name)
    if path is None:
        typer.echo(f"Error: no reference data set {name!r} is loaded; `ilr refdata list` shows what is.", err=True)
        raise typer.Exit(2)
    typer.echo(f"Removed {path}")
