"""The ``ilr`` command line.

Exit codes: 0 done (warnings allowed); 1 the ILR has errors (or the XML could not be produced because of
them); 2 the input cannot be used (not a workbook, damaged, wrong year, output exists, ...).
"""

from __future__ import annotations

import logging
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from ilrkit.converter.errors import InputError

# plain help (rich_markup_mode=None): the rich layout shows a type such as <bool> after every plain flag
app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None,
                  help="Keep ILR learner data in Excel, validate it, and produce the ILR XML return.")
log = logging.getLogger("ilrkit")


class Format(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _fail(exc: InputError) -> typer.Exit:
    _err(f"Error: {exc}")
    return typer.Exit(2)


def prepared_line(result) -> str:
    """Which preparation date the XML holds, and that an older one in the source was not used."""
    line = f"The file is dated {result.prepared:%d/%m/%Y %H:%M}, when it was made (its preparation date and time)"
    if result.replaced:
        old = result.replaced
        old = f"{old[8:10]}/{old[5:7]}/{old[:4]}" if len(old) == 10 else old
        return f"{line}; the earlier date {old} on the Provider sheet (or in the source file) is not used."
    return line + "."


def _want_xlsx(output: Path) -> None:
    """A workbook is written only under an .xlsx name: Excel refuses an .xlsx file called .csv or .xls."""
    if output.suffix.lower() != ".xlsx":
        raise InputError(f"{output} does not end in .xlsx, but what is written is an Excel workbook, which "
                         f"Excel will not open under that name. Use {output.with_suffix('.xlsx')} instead.")


@app.callback()
def _setup(log_level: str = typer.Option(os.environ.get("ILRKIT_LOG_LEVEL", "WARNING"), "--log-level",
                                         help="Logging detail: DEBUG, INFO, WARNING or ERROR.")) -> None:
    level = getattr(logging, log_level.upper(), None)
    if not isinstance(level, int):
        _err(f"Unknown log level {log_level!r}; use DEBUG, INFO, WARNING or ERROR.")
        raise typer.Exit(2)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_ClerkFormatter())
    logging.basicConfig(level=level, handlers=[handler])


class _ClerkFormatter(logging.Formatter):
    """Messages as a clerk reads them ("Warning: ..."); the logger's name only at DEBUG, for developers."""

    LEADS = {logging.WARNING: "Warning: ", logging.ERROR: "Error: ", logging.CRITICAL: "Error: "}

    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        if record.levelno <= logging.DEBUG:
            return f"DEBUG {record.name}: {text}"
        return self.LEADS.get(record.levelno, "") + text


REFDATA_HELP = ("A folder of reference data (LARS, contracts, ...: stored sets or the published files) for the "
                "rules that need it. Default: what `ilr refdata add` loaded.")


def _reference(data, folder: Optional[Path]):
    """The reference data for this file: from ``folder`` if given (it must exist and be readable), else the
    user's store (if that cannot be read, the check goes on without it and says so)."""
    from ilrkit.refdata import for_data

    if folder is not None and not folder.is_dir():
        raise InputError(f"--refdata {folder}: no such folder. Give a folder of reference data files, or leave "
                         "--refdata out to use what `ilr refdata add` loaded.")
    try:
        return for_data(data, folder)
    except InputError as exc:
        if folder is not None:
            raise
        _err(f"Warning: your loaded reference data was not used ({exc}); the rules that need it are not checked.")
        return None


def _year_or_default(year: str | None) -> str:
    """The year the user gave (checked), or the current collection year; a note when that is not installed."""
    from ilrkit.schemas import UnknownYear, available_years, normalise_year
    from ilrkit.schemas.collection import default_year

    if year is None:
        chosen, note = default_year()
        if note:
            _err(note)
        return chosen
    chosen = normalise_year(year)
    if chosen not in available_years():
        raise UnknownYear(f"There is no ILR year pack for {year!r}. Years installed: {', '.join(available_years())}.")
    return chosen


@app.command()
def template(output: Path = typer.Option(..., "-o", "--output", help="The .xlsx file to create."),
             year: Optional[str] = typer.Option(None, "--year", help="Collection year, e.g. 2026-27 (default: "
                                                                      "the year providers return now)."),
             force: bool = typer.Option(False, "--force", help="Replace the file if it exists.")) -> None:
    """Write an empty provider workbook (the template) for a collection year."""
    from ilrkit.schemas import UnknownYear
    from ilrkit.templates.workbook_writer import write_workbook

    try:
        _want_xlsx(output)
        path = write_workbook(output, _year_or_default(year), None, force=force)
    except (InputError, UnknownYear) as exc:
        raise _fail(InputError(str(exc)))
    log.info("template written")
    typer.echo(str(path))


@app.command()
def convert(workbook: Path = typer.Argument(..., help="The provider workbook (.xlsx)."),
            out_dir: Optional[Path] = typer.Option(None, "-o", "--out-dir",
                                                   help="Folder for the XML (default: beside the workbook)."),
            serial: Optional[str] = typer.Option(None, "--serial", help="Serial number 01-99 for the file name."),
            force: bool = typer.Option(False, "--force", help="Replace an existing file of the same name."),
            refdata: Optional[Path] = typer.Option(None, "--refdata", help=REFDATA_HELP)) -> None:
    """Convert a workbook to ILR XML named as the agency requires, and print its path."""
    from ilrkit.converter.api import convert as do_convert
    from ilrkit.converter.io import load
    from ilrkit.rules.report import as_text, headline

    try:
        if out_dir is not None and out_dir.suffix.lower() == ".xml" and not out_dir.is_dir():
            raise InputError(f"-o is the folder for the XML file, which ilrkit names as the agency requires "
                             f"(ILR-<UKPRN>-<year>-...xml); {out_dir} looks like a file name. Give a folder, for "
                             f"example -o {out_dir.parent / 'returns'}.")
        data = load(workbook)
        result = do_convert(workbook, out_dir, serial=serial, force=force, data=data,
                            reference=_reference(data, refdata))
    except InputError as exc:
        raise _fail(exc)
    if not result.written:
        _err(f"The XML was not written: {len(result.blocked)} value(s) would break the agency's schema. "
             "Fix the cells listed (on standard output) first. Exit code 1: the data has errors.")
        # the list quotes the values, so it is the user's report (stdout), never the log stream (stderr);
        # its summary is the whole report's, the one `ilr validate` prints, above the cells that block
        typer.echo(as_text(result.report, only=result.blocked))
        raise typer.Exit(1)
    typer.echo(str(result.path))
    _err(prepared_line(result))
    log.info("converted")
    if result.report.has_errors:
        _err(f"Written, but the data has {headline(result.report)} The agency will not fund learners with "
             "errors: run `ilr validate` to see them. Exit code 1: the data has errors.")
        raise typer.Exit(1)


@app.command("import")
def import_(xml_file: Path = typer.Argument(..., help="An ILR XML file."),
            output: Path = typer.Option(..., "-o", "--output", help="The new workbook (.xlsx) to write."),
            force: bool = typer.Option(False, "--force", help="Replace the workbook if it exists.")) -> None:
    """Read an ILR XML file (from any system) into a new workbook."""
    from ilrkit.converter.api import import_xml

    try:
        _want_xlsx(output)
        path = import_xml(xml_file, output, force=force)
    except InputError as exc:
        raise _fail(exc)
    typer.echo(str(path))


def _outputs_usable(data, output: Optional[Path], annotate: Optional[Path], force: bool) -> None:
    """Refuse, before validating, the outputs `ilr validate` could not write in the end."""
    from ilrkit.converter.errors import OutputExists

    if annotate is not None and data.origin != "workbook":
        raise InputError("--annotate needs a workbook; this is an XML file. Import it first (ilr import).")
    for target in (output, annotate):
        if target is not None and target.exists() and not force:
            raise OutputExists(f"{target} already exists. Choose another name or folder, or use --force to "
                               "replace it.")


@app.command()
def validate(path: Path = typer.Argument(..., help="A workbook (.xlsx) or an ILR XML file."),
             fmt: Format = typer.Option(Format.text, "--format", help="text, json or csv."),
             output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write the report to this file."),
             annotate: Optional[Path] = typer.Option(None, "--annotate",
                                                     help="Also write a copy of the workbook with bad cells "
                                                          "highlighted and an errors sheet."),
             force: bool = typer.Option(False, "--force", help="Replace output files that exist."),
             refdata: Optional[Path] = typer.Option(None, "--refdata", help=REFDATA_HELP)) -> None:
    """Check a workbook or ILR XML file against the agency's rules."""
    from ilrkit.converter.io import load
    from ilrkit.converter.xml_writer import write_atomic
    from ilrkit.rules.engine import validate as run
    from ilrkit.rules.report import as_csv, as_json, as_text

    try:
        data = load(path)
        _outputs_usable(data, output, annotate, force)  # before the report, not after it
        report = run(data, reference=_reference(data, refdata))
        text = {Format.json: lambda: as_json(report), Format.csv: lambda: as_csv(report, data),
                Format.text: lambda: as_text(report)}[fmt]()
        if output is not None:
            from ilrkit.converter.xml_writer import refuse_overwriting

            refuse_overwriting(output, path)
            write_atomic(output, text.encode("utf-8"), force=force)
        else:
            typer.echo(text)
        if annotate is not None:
            if data.origin != "workbook":
                raise InputError("--annotate needs a workbook; this is an XML file. Import it first (ilr import).")
            from ilrkit.addin.annotate import annotate_workbook

            annotate_workbook(path, annotate, report, force=force)
            _err(f"Annotated copy: {annotate}")
    except InputError as exc:
        raise _fail(exc)
    log.info("validated: %d findings", len(report.findings))
    raise typer.Exit(1 if report.has_errors else 0)


@app.command()
def rules(code: Optional[str] = typer.Argument(None, help="A rule code, e.g. ULN_04, to explain one rule."),
          fmt: Format = typer.Option(Format.text, "--format", help="text, json or csv."),
          not_checked: bool = typer.Option(False, "--not-checked",
                                           help="List the agency's rules we do not run, and why."),
          year: Optional[str] = typer.Option(None, "--year", help="Collection year, e.g. 2026-27 (default: the "
                                                                   "year providers return now).")) -> None:
    """List every rule we check in a collection year, or explain one."""
    import json

    from ilrkit.rules.engine import uk_dates
    from ilrkit.rules.registry import get_rule, rules_for_year
    from ilrkit.schemas import UnknownYear

    try:
        year = _year_or_default(year)
    except UnknownYear as exc:
        raise _fail(InputError(str(exc)))
    if not_checked:
        from ilrkit.rules.engine import agency_rules, deleted_by_agency, not_checked_rules

        for code, reason in not_checked_rules(year).items():
            typer.echo(f"{code:<28} {reason}")
        deleted = sorted((c for c in deleted_by_agency() if c in agency_rules(year)), key=str.casefold)
        if deleted:
            typer.echo(f"\nNot counted: {', '.join(deleted)} (the agency's rules CSV lists them, but its rules "
                       "workbook deletes them).")
        return

    if code:
        found = get_rule(code)
        if found is None:
            _err(f"No rule {code!r}. Run `ilr rules` to list them.")
            raise typer.Exit(2)
        if not found.applies_to(year):
            _err(f"Note: {found.code} is not part of the {year} rules.")
        items = [found]
    else:
        items = sorted(rules_for_year(year).values(), key=lambda r: r.code.casefold())
    if fmt == Format.json:
        typer.echo(json.dumps([{"code": r.code, "severity": r.severity, "scope": r.scope, "entity": r.entity,
                                "fields": list(r.fields), "needs": list(r.needs), "message": uk_dates(r.message)}
                               for r in items], indent=2))
        return
    if fmt == Format.csv:
        import csv
        import io

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(("code", "severity", "scope", "entity", "fields", "needs", "message"))
        for r in items:
            writer.writerow((r.code, r.severity, r.scope, r.entity, " ".join(r.fields), " ".join(r.needs),
                             uk_dates(r.message)))
        typer.echo(buf.getvalue(), nl=False)
        return
    for r in items:
        if code:
            typer.echo(f"{r.code} ({r.severity}, checked per {r.scope}, {r.entity})")
            typer.echo(f"  Fields: {', '.join(r.fields) or '-'}")
            if r.needs:
                typer.echo(f"  Needs reference data: {', '.join(r.needs)}")
            if r.fund_models:
                typer.echo(f"  Applies to funding models: {', '.join(map(str, r.fund_models))}")
            if r.years or r.first_year or r.last_year:
                typer.echo(f"  Collection years: {_rule_years(r)}")
            typer.echo(f"  Message: {uk_dates(r.message)}")
            doc = (r.func.__doc__ or "").strip()
            if doc:
                typer.echo(f"  About: {' '.join(doc.split())}")
        else:
            typer.echo(f"{r.code:<28} {r.severity:<7} {r.scope:<10} {uk_dates(r.message)}")


def _rule_years(r) -> str:
    if r.years is not None:
        return ", ".join(r.years)
    if r.first_year and r.last_year:
        return f"{r.first_year} to {r.last_year}"
    return f"from {r.first_year}" if r.first_year else f"up to {r.last_year}"


@app.command()
def serve(host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (127.0.0.1: this computer "
                                                                "only; 0.0.0.0: the network)."),
          port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
          dev: bool = typer.Option(False, "--dev", help="No tokens needed: for trying it on this computer only "
                                                        "(loopback addresses only)."),
          tokens_file: Optional[Path] = typer.Option(None, "--tokens-file",
                                                     help="File of API tokens (made with `ilr token`); or set "
                                                          "ILRKIT_TOKENS."),
          workers: int = typer.Option(1, "--workers", min=1, help="Server processes (for more uploads at once)."),
          ssl_certfile: Optional[Path] = typer.Option(None, "--ssl-certfile", help="HTTPS certificate (PEM)."),
          ssl_keyfile: Optional[Path] = typer.Option(None, "--ssl-keyfile", help="HTTPS private key (PEM).")) -> None:
    """Start the HTTP server: the API, the upload page at / and the API documentation at /docs."""
    from ilrkit.cli.port import ensure_free
    from ilrkit.server.serve import run

    try:
        ensure_free(host, port)
        run(host=host, port=port, dev=dev, tokens_file=tokens_file, workers=workers, ssl_certfile=ssl_certfile,
            ssl_keyfile=ssl_keyfile)
    except InputError as exc:
        raise _fail(exc)
    except SystemExit as exc:  # uvicorn could not start (it has logged why, e.g. the port was taken meanwhile)
        if exc.code in (0, None):
            raise
        raise _fail(InputError(f"The server could not start on {host} port {port} (see the message above). "
                               "Check the port is free and the address belongs to this computer.")) from None


@app.command()
def token(tokens_file: Optional[Path] = typer.Option(None, "--tokens-file",
                                                     help="Also add the token's hash to this file (created "
                                                          "readable by you only)."),
          label: Optional[str] = typer.Option(None, "--label", help="A note kept beside the hash, e.g. who has it.")
          ) -> None:
    """Make a new API token for the server and print it (once: the tokens file keeps only its hash)."""
    from ilrkit.server.settings import append_token, new_token

    value = new_token()
    if tokens_file is not None:
        try:
            append_token(tokens_file, value, label)
        except OSError as exc:
            raise _fail(InputError(f"Cannot write {tokens_file} ({exc.strerror or exc.__class__.__name__})."))
        _err(f"Added to {tokens_file}. Give the token below to its user; it is not shown again. A server "
             "using this file accepts it at once.")
    else:
        _err("A new token: give it to its user, and to the server in ILRKIT_TOKENS or a tokens file "
             "(`ilr token --tokens-file FILE` stores only its hash).")
    typer.echo(value)


@app.command()
def batch(in_dir: Path = typer.Argument(..., help="Folder of workbooks (.xlsx) to convert."),
          out_dir: Path = typer.Argument(..., help="Folder for the XML files, annotated copies and summary.csv."),
          workers: Optional[int] = typer.Option(None, "--workers", min=1,
                                                help="Workbooks converted at once (default: one per CPU)."),
          scheduler: Optional[str] = typer.Option(None, "--scheduler",
                                                  help="Run on a Dask cluster instead, e.g. tcp://HOST:8786."),
          annotate: bool = typer.Option(True, "--annotate/--no-annotate",
                                        help="Also write annotated copies of workbooks with findings."),
          serial: Optional[str] = typer.Option(None, "--serial", help="Serial number 01-99 for every file name."),
          force: bool = typer.Option(False, "--force", help="Replace output files that exist."),
          refdata: Optional[Path] = typer.Option(None, "--refdata", help=REFDATA_HELP)) -> None:
    """Convert every workbook in a folder, in parallel; one bad workbook never stops the others."""
    from ilrkit.server.batch import main as run_batch_command

    raise typer.Exit(run_batch_command(in_dir, out_dir, workers=workers, scheduler=scheduler, annotate=annotate,
                                       serial=serial, force=force, refdata=refdata))


@app.command()
def generate(learners: int = typer.Option(..., "--learners", "-n", min=1, help="How many learners to make."),
             output: Path = typer.Option(..., "-o", "--output",
                                         help="A .xlsx workbook, a .xml file, or a folder (agency-named XML)."),
             seed: int = typer.Option(1, "--seed", help="The same seed always gives the same file."),
             error_rate: float = typer.Option(0.0, "--error-rate", min=0.0, max=1.0,
                                              help="Share of learners given one known fault each (0 to 1); "
                                                   "the faults are listed in FILE.faults.csv."),
             ukprn: str = typer.Option("10000001", "--ukprn", help="The provider's UKPRN in the file."),
             year: Optional[str] = typer.Option(None, "--year", help="Collection year, e.g. 2026-27 (default: the "
                                                                          "year providers return now). A seed always "
                                                                          "gives the same file, except that a year "
                                                                          "still running is prepared on the day it is "
                                                                          "made."),
             force: bool = typer.Option(False, "--force", help="Replace files that exist.")) -> None:
    """Make a synthetic ILR (made-up learners, no real people) for testing, training and benchmarks."""
    import datetime as dt

    from ilrkit.generate import generate as make, preparation_day
    from ilrkit.generate.output import write
    from ilrkit.schemas import UnknownYear

    try:
        chosen = _year_or_default(year)
        made = make(learners, seed, error_rate=error_rate, ukprn=ukprn, year=chosen,
                    as_of=preparation_day(chosen, dt.date.today()))
        path, side = write(made, output, force=force)
    except (InputError, ValueError, UnknownYear) as exc:
        raise _fail(InputError(str(exc)))
    typer.echo(str(path))
    if side is not None:
        _err(f"{len(made.faults)} planted fault(s) listed in {side}")
    log.info("generated %d learners", learners)


from ilrkit.cli.refdata import app as _refdata_app  # noqa: E402 - a sub-command in its own module

app.add_typer(_refdata_app, name="refdata")


def _mount_optional() -> None:
    """Sub-commands from other parts of ilrkit, mounted when they are installed."""
    try:
        from ilrkit.addin.cli import app as addin_app
    except ImportError:
        return
    app.add_typer(addin_app, name="addin", help="Build and install the Excel add-in.")


_mount_optional()

from ilrkit.cli import migrate as _migrate, schema as _schema  # noqa: E402  (commands in their own modules)
app.add_typer(_schema.app, name="schema"); app.command("migrate")(_migrate.migrate)  # noqa: E702


def _stop_cleanly_on_sigterm() -> None:
    """Treat SIGTERM (a service stop, `kill`) like Ctrl+C, so temporary files are removed on the way out."""
    import signal

    def stop(signum, frame):
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, stop)
    except (ValueError, OSError, AttributeError):  # not the main thread, or no SIGTERM on this platform
        pass


STOPPED = "Stopped. Nothing was left half-written."


def _interrupted(exc: BaseException) -> bool:
    """Whether ``exc`` came from a Ctrl+C or SIGTERM (a KeyboardInterrupt somewhere in its chain), not from a
    command that stopped on its own and said so (``ilr batch``)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def main() -> None:
    _stop_cleanly_on_sigterm()
    try:
        app()
        code = 0
    except KeyboardInterrupt:
        _err(STOPPED)
        code = 130
    except SystemExit as exc:  # typer turns Ctrl+C (and our SIGTERM) into a silent exit 130
        if exc.code == 130 and _interrupted(exc):
            _err(STOPPED)
        code = exc.code
    except InputError as exc:
        _err(f"Error: {exc}")
        code = 2
    except Exception as exc:  # never a traceback for users; the type only, since messages may hold data
        if os.environ.get("ILRKIT_DEBUG"):
            raise
        _err(f"ilrkit hit an internal problem ({exc.__class__.__name__}). Nothing you had was changed. "
             "Please report it with the command you ran (not your data); set ILRKIT_DEBUG=1 for details.")
        code = 3
    _leave(code)


def _leave(code) -> None:
    """Exit with ``code`` without Python freeing every object of a large return one by one on the way out
    (about 0.3 s after 20,000 learners). What must happen at exit still does: the atexit handlers (log
    handlers flushed, worker processes joined, temporary files removed) run first, then the output is
    flushed."""
    import atexit

    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message"): the message, then exit code 1
        _err(str(code))
        code = 1
    try:
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe (| head): nothing more can be said there
                pass
        os._exit(code)


if __name__ == "__main__":
    main()
