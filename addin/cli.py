"""``ilr addin ...``: build and install the Excel add-in (mounted by the main CLI as a Typer sub-app)."""

from __future__ import annotations

from pathlib import Path

import typer

from ilrkit.converter.errors import InputError

app = typer.Typer(help="The Excel add-in: an ILR tab with Validate, Clear highlights, Export, Import and "
                       "New template.", no_args_is_help=True, rich_markup_mode=None)


def _fail(exc: InputError) -> None:
    typer.echo(str(exc), err=True)
    raise typer.Exit(getattr(exc, "exit_code", 2))


@app.command()
def build(out: Path = typer.Option(Path("."), "-o", "--out", help="Folder to write ilrkit.xlam into."),
          force: bool = typer.Option(False, "--force", help="Replace an existing ilrkit.xlam.")) -> None:
    """Make the desktop add-in file, ilrkit.xlam."""
    from ilrkit.addin.build import build_addin

    try:
        path = build_addin(out, force=force)
    except InputError as exc:
        _fail(exc)
    typer.echo(f"Wrote {path}. Install it on a Windows or Mac computer with 'ilr addin install', or copy it "
               "into Excel's XLSTART folder.")


@app.command()
def install(startup_dir: Path = typer.Option(None, "--startup-dir",
                                             help="Excel's startup folder, if not the usual one."),
            python: str = typer.Option(None, "--python", help="The Python that has ilrkit (default: this one).")
            ) -> None:
    """Install the add-in for you in desktop Excel (Windows or macOS) and say what was done."""
    from ilrkit.addin.install import install as do_install

    try:
        done = do_install(startup_dir=startup_dir, python=python)
    except InputError as exc:
        _fail(exc)
    for n, step in enumerate(done.steps, start=1):
        typer.echo(f"{n}. {step}")


@app.command()
def uninstall(startup_dir: Path = typer.Option(None, "--startup-dir",
                                               help="Excel's startup folder, if not the usual one.")) -> None:
    """Remove the add-in from Excel's startup folder."""
    from ilrkit.addin.install import uninstall as do_uninstall

    for line in do_uninstall(startup_dir=startup_dir):
        typer.echo(line)
