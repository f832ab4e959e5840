"""Run every applicable rule over an ILR and collect cell-addressed findings."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import re
import sys
from pathlib import Path
import string
from collections import defaultdict
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache

import yaml

import pandas as pd

from ilrkit.converter.bulk import paused_gc
from ilrkit.converter.model import IlrData
from ilrkit.converter.processes import can_fork, forked_pool, held_stop_signals, stop_pool
from ilrkit.rules import columns
from ilrkit.rules.findings import ERROR, Finding
from ilrkit.rules.per_cell import one_per_cell
from ilrkit.rules.reference import EMPTY, ReferenceData
from ilrkit.rules.registry import Hit, Rule, get_rule, registry
from ilrkit.rules.views import Learner, Record

log = logging.getLogger(__name__)

LEARNER_CHILDREN = ("LearnerFAM", "LLDDandHealthProblem", "PriorAttain", "ProviderSpecLearnerMonitoring",
                    "LearnerHE")
AIM_CHILDREN = ("LearningDeliveryFAM", "AppFinRecord", "LearningDeliveryWorkPlacement",
                "ProviderSpecDeliveryMonitoring", "LearningDeliveryHE")


class StrictError(RuntimeError):
    """A rule raised while running in strict mode (tests)."""


@dataclass
class Context:
    """What file-level and table rules see: the whole return, plus shared, cached work."""

    data: IlrData
    filename: str | None
    reference: ReferenceData
    today: dt.date
    learners: list[Learner] = field(default_factory=list)
    cache: dict = field(default_factory=dict)

    @property
    def spec(self):
        # rules ask for it hundreds of thousands of times; ``IlrData.spec`` looks the year's pack up each time
        key = ("spec", self.data.year)
        spec = self.cache.get(key)
        if spec is None:
            spec = self.cache[key] = self.data.spec
        return spec

    def records(self, entity: str) -> list[dict]:
        if ("records", entity) not in self.cache:
            self.cache[("records", entity)] = _records(self.data, entity)
        return self.cache[("records", entity)]

    def once(self, key: str, compute):
        """Compute something several rules share (a pandera run, an index) once per validation."""
        if key not in self.cache:
            self.cache[key] = compute(self)
        return self.cache[key]


@dataclass
class Report:
    file: str | None
    year: str
    findings: list[Finding]
    learners: int
    rules_run: list[str]
    rules_not_checked: list[str]
    not_checked_reasons: dict[str, str] = field(default_factory=dict)
    # findings left out because another finding on the same cell says it better (rules.per_cell)
    folded: dict[Finding, list[Finding]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_error]

    @cached_property
    def learners_with_errors(self) -> int:
        return len({f.learn_ref for f in self.findings if f.is_error and f.learn_ref is not None})

    @property
    def summary(self) -> dict:
        return {"errors": len(self.errors), "warnings": len(self.warnings), "learners": self.learners,
                "learners_with_errors": self.learners_with_errors,
                "errors_in_file": sum(1 for f in self.errors if f.learn_ref is None), "rules_run": len(self.rules_run),
                "rules_not_checked": len(self.rules_not_checked)}

    @property
    def has_errors(self) -> bool:
        return any(f.is_error for f in self.findings)


def _records(data: IlrData, entity: str) -> list[dict]:
    """The table's rows as dicts (built from column lists: several times faster than DataFrame.to_dict)."""
    df = data.tables.get(entity)
    if df is None or df.empty:
        return []
    cols = list(df.columns)
    return [dict(zip(cols, values)) for values in zip(*(df[c].tolist() for c in cols))]


def _group(rows: list[dict], key: str) -> dict:
    grouped: dict = defaultdict(list)
    for row in rows:
        grouped[row.get(key)].append(row)
    return grouped


def build_learners(data: IlrData) -> list[Learner]:
    """A view per learner with its children attached, grouped in one pass over each table."""
    start = data.spec.teaching_year_start
    learner_children = {name: _group(_records(data, name), "_parent") for name in LEARNER_CHILDREN}
    he_fin = _records(data, "LearnerHEFinancialSupport")
    he_by_id = {row["_id"]: row for row in _records(data, "LearnerHE")}
    fin_by_learner = _group([{**r, "_he_learner": he_by_id.get(r["_parent"], {}).get("_parent")} for r in he_fin],
                            "_he_learner")
    aims = _group(_records(data, "LearningDelivery"), "_parent")
    aim_children_tables = {name: _group(_records(data, name), "_parent") for name in AIM_CHILDREN}
    employment = _group(_records(data, "LearnerEmploymentStatus"), "_parent")
    esm = _group(_records(data, "EmploymentStatusMonitoring"), "_parent")

    learners = []
    for row in _records(data, "Learner"):
        lid = row["_id"]
        children = {name: learner_children[name].get(lid, []) for name in LEARNER_CHILDREN}
        children["LearnerHEFinancialSupport"] = fin_by_learner.get(lid, [])
        my_aims = aims.get(lid, [])
        aim_children = {a["_id"]: {name: aim_children_tables[name].get(a["_id"], []) for name in AIM_CHILDREN}
                        for a in my_aims}
        learners.append(Learner(row, children, my_aims, aim_children, employment.get(lid, []), esm, start))
    return learners


class _SafeValues(dict):
    def __missing__(self, key):
        return "(blank)"


_FORMATTER = string.Formatter()


def render_message(template: str, values: dict, field: str | None = None) -> str:
    """The rule's message with the record's values written in; dates as the clerk types them (dd/mm/yyyy),
    both the values of date fields (``field``: the field ``{value}`` holds) and dates in the text itself."""
    template, names = _template(template)
    # only the values the message shows are written out (a row has dozens of fields, a message names a few)
    items = values.items() if names is None else ((k, values[k]) for k in names if k in values)
    safe = _SafeValues({k: ("(blank)" if v is None else _shown(k, v, field)) for k, v in items
                        if not k.startswith("_")})
    try:
        return _FORMATTER.vformat(template, (), safe)
    except (ValueError, IndexError, KeyError, AttributeError):
        return template


@lru_cache(maxsize=4096)
def _template(template: str) -> tuple[str, frozenset[str] | None]:
    """A message template with its dates written as the clerk types them, and the names of the values its
    fields read (``None``: a template we do not take apart, such as one with a nested format spec)."""
    text = uk_dates(template)
    names = set()
    try:
        for _, name, spec, _ in _FORMATTER.parse(text):
            if name is None:
                continue
            if spec and "{" in spec:
                return text, None
            names.add(_FIELD_HEAD.match(name)[0])
    except ValueError:
        return text, None
    return text, frozenset(names)


_FIELD_HEAD = re.compile(r"[^.\[]*")  # "{AimSeqNumber}", "{row.x}", "{row[0]}": the value's own name


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}:\d{2})(?::\d{2})?)?")
_ISO_DATE_IN_TEXT = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")


def _uk(m: re.Match) -> str:
    return f"{m[3]}/{m[2]}/{m[1]}"


def uk_dates(text: str) -> str:
    """``text`` with its ISO dates (2023-08-01) written as the clerk types them (01/08/2023)."""
    return _ISO_DATE_IN_TEXT.sub(_uk, text)


@cache
def _text_fields() -> frozenset[str]:
    """Names of fields that hold text (not dates): their values are quoted exactly as typed."""
    from ilrkit.schemas import load_spec

    spec = load_spec()
    return frozenset(f.name for e in spec.entities.values() for f in e.fields if f.type not in ("date", "dateTime"))


def _shown(key: str, value, field: str | None):
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M" if (value.hour, value.minute) != (0, 0) else "%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if not isinstance(value, str) or (field if key == "value" else key) in _text_fields():
        return value
    m = _ISO_DATE.fullmatch(value)
    if m is None:
        return value
    try:
        dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:  # not a real date: shown exactly as typed
        return value
    return _uk(m) + (f" {m[4]}" if m[4] and m[4] != "00:00" else "")


def _finding(rule: Rule, hit: Hit | None, default: Record | dict | None, data: IlrData) -> Finding:
    record = hit.record if hit is not None and hit.record is not None else default
    if isinstance(record, Record):
        row, entity = record.row, record.entity
    else:
        row, entity = (record or {}), None
    entity = (hit.entity if hit is not None and hit.entity else None) or entity or rule.entity
    field_name = (hit.field if hit is not None and hit.field else None) or rule.field
    value = row.get(field_name) if field_name else None
    values = dict(row)
    if hit is not None and hit.values:
        values.update(hit.values)
    values.setdefault("value", value)
    sheet, excel_row, column = data.location(row, field_name) if row else (None, None, None)
    learner_id = row.get("_id") if entity == "Learner" else row.get("_learner")
    if entity == "LearningDelivery":
        aim_id = row.get("_id")
    elif row.get("AimSeqNumber") is not None and entity not in ("Learner",):
        aim_id = row.get("_parent")
    else:
        aim_id = None
    return Finding(rule.code, rule.severity, render_message(rule.message, values, field_name), entity, field_name,
                   None if value is None else str(value), row.get("LearnRefNumber"),
                   row.get("AimSeqNumber"), sheet, excel_row, column, learner_id, aim_id)


class Engine:
    def __init__(self, rules: list[Rule], strict: bool = False):
        self.rules = rules
        self.strict = strict
        self.by_scope: dict[str, list[Rule]] = defaultdict(list)
        # rules with a ``when`` run a column at a time over the tables (ilrkit.rules.columns), the rest per record
        self.columnar, per_record = columns.split(rules)
        for r in per_record:
            self.by_scope[r.scope].append(r)
        # aim rules bucketed by the FundModels they apply to, so most aims meet few rules
        self.aim_any = [r for r in self.by_scope["aim"] if r.fund_models is None]
        self.aim_by_fm: dict[int, list[Rule]] = defaultdict(list)
        for r in self.by_scope["aim"]:
            for fm in r.fund_models or ():
                self.aim_by_fm[fm].append(r)
        self.failed: set[str] = set()

    def _failed(self, rule: Rule, exc: Exception) -> None:
        if self.strict:
            raise StrictError(f"{rule.code} raised {exc!r}") from exc
        if rule.code not in self.failed:
            self.failed.add(rule.code)
            log.warning("rule %s could not run (%s); it is reported as not checked", rule.code,
                        exc.__class__.__name__)

    def _record(self, rule: Rule, result, arg, data: IlrData, out: list[Finding]) -> None:
        default = arg if isinstance(arg, Record) else None
        if result is True:
            out.append(_finding(rule, None, default, data))
        elif isinstance(result, Hit):
            out.append(_finding(rule, result, default, data))
        else:
            for hit in result:
                out.append(_finding(rule, hit, default, data))

    def _apply(self, rules: list[Rule], arg, data: IlrData, out: list[Finding]) -> None:
        """Run ``rules`` on one record. This loop is the hot path (millions of calls on a large return), so
        the try block wraps the whole loop and a raising rule resumes it just after that rule."""
        start, count = 0, len(rules)
        while start < count:
            i = start
            try:
                for i in range(start, count):
                    result = rules[i].func(arg)
                    if result:
                        self._record(rules[i], result, arg, data, out)
                return
            except StrictError:
                raise
            except Exception as exc:  # a bug in one rule must not stop the others
                self._failed(rules[i], exc)
                start = i + 1

    def run(self, ctx: Context, learners: list[Learner] | None = None, whole_file: bool = True) -> list[Finding]:
        data = ctx.data
        out: list[Finding] = []
        if whole_file:
            self._apply(self.by_scope["file"] + self.by_scope["table"], ctx, data, out)
            columns.run(self, self.columnar, ctx, out)
        learner_rules = self.by_scope["learner"]
        employment_rules = self.by_scope["employment"]
        aim_any, aim_by_fm = self.aim_any, self.aim_by_fm
        for learner in ctx.learners if learners is None else learners:
            self._apply(learner_rules, learner, data, out)
            for status in learner.employment:
                self._apply(employment_rules, status, data, out)
            for aim in learner.aims:
                self._apply(aim_any, aim, data, out)
                fm = aim.fund_model
                if fm is not None and fm in aim_by_fm:
                    self._apply(aim_by_fm[fm], aim, data, out)
        return out


def validate(data: IlrData, *, filename: str | None = None, reference: ReferenceData | None = None,
             today: dt.date | None = None, codes: set[str] | None = None, strict: bool = False) -> Report:
    """Validate an ILR (read from a workbook or XML) against every rule we have for its year."""
    # the views and findings are millions of small objects: pausing the cyclic collector meanwhile saves
    # about a sixth of the time on a large return (see ilrkit.converter.bulk)
    with paused_gc():
        return _validate(data, filename=filename, reference=reference, today=today, codes=codes, strict=strict)


def _validate(data: IlrData, *, filename: str | None, reference: ReferenceData | None, today: dt.date | None,
              codes: set[str] | None, strict: bool) -> Report:
    reference = reference or EMPTY
    # only the rules that are part of the data's collection year
    all_rules = [r for r in registry().values() if (codes is None or r.code in codes) and r.applies_to(data.year)]
    runnable = [r for r in all_rules if all(reference.has(n) for n in r.needs)]
    runnable_codes = {r.code for r in runnable}  # a set: comparing Rule dataclasses pairwise was quadratic
    not_checked = sorted(r.code for r in all_rules if r.code not in runnable_codes)
    if filename is None and data.path is not None:
        filename = data.path.name
    today = today or dt.date.today()
    data = _as_converted(data, today)
    ctx = Context(data, filename, reference, today)
    ctx.learners = build_learners(data)
    for learner in ctx.learners:  # rules reach the year's facts and the reference data through their learner
        learner.ctx = ctx
    engine = Engine(runnable, strict)
    workers = _workers(len(ctx.learners), strict)
    try:
        if workers > 1:
            findings = list(data.problems) + _run_parallel(engine, ctx, workers)
        else:
            findings = list(data.problems) + engine.run(ctx)
    finally:
        release(ctx)
    not_checked = sorted(set(not_checked) | engine.failed)
    run = sorted(r.code for r in runnable if r.code not in engine.failed)
    reasons = {code: "raised an internal error" if code in engine.failed else "needs reference data: "
               + ", ".join(n for n in registry()[code].needs if not reference.has(n)) for code in not_checked}
    if codes is None:  # the agency's other live rules, so nobody mistakes "not checked" for "passed"
        for code, reason in not_checked_rules(data.year).items():
            reasons.setdefault(code, reason)
    learners = len(data.tables.get("Learner", pd.DataFrame()))
    findings, folded = one_per_cell(findings)
    return Report(filename, data.year, findings, learners, run, sorted(reasons, key=str.casefold), reasons,
                  folded)


def release(ctx: Context) -> None:
    """Break the views' reference cycles (a learner holds its aims, each aim its learner; the context holds
    the learners, each learner the context) once the rules have run, so the views are freed as the last
    reference to them goes instead of by a full pass of the cyclic collector over a million objects after
    the validation (about 0.6 CPU-seconds for 20,000 learners). The findings hold no view."""
    for learner in ctx.learners:
        for aim in learner.aims:
            aim.__dict__.clear()
        for status in learner.employment:
            status.__dict__.clear()
        learner.__dict__.clear()
    ctx.learners = []
    ctx.cache.clear()


def _as_converted(data: IlrData, today: dt.date) -> IlrData:
    """A workbook is checked as the file `ilr convert` makes from it today: that file's preparation date is
    the day it is made, whatever an imported workbook's Provider sheet still shows (the date of the file it
    came from). A date that is no date is left for the header check to report."""
    given = data.header.get("FilePreparationDate")
    if data.origin != "workbook" or (given is not None and _ISO_DATE.fullmatch(str(given)) is None):
        return data
    return dataclasses.replace(data, header={**data.header, "FilePreparationDate": today.isoformat()})


DERIVED_DATA = "Derived Data for validation"


def not_checked_rules(year: str = "2025-26") -> dict[str, str]:
    """The agency's live rules for the year that we have no implementation of, with the reason."""
    out = {}
    for code, entry in agency_rules(year).items():
        ours = get_rule(code)
        if ours is not None and not ours.applies_to(year):  # withdrawn that year: not live, so not listed
            continue
        if ours is None and entry.get("category") != DERIVED_DATA and code not in deleted_by_agency():
            # a reason written down for the rule says more than the data it needs
            out[code] = _UNIMPLEMENTED().get(code) or _needs_reason(entry.get("needs") or [])
    return out


def _needs_reason(needs: list[str]) -> str:
    """Why an agency rule we have no implementation of is not run: the data it needs has no file a provider
    can load, or (when it has) we have not built it yet."""
    from ilrkit.refdata.sets import NOT_LOADABLE, by_agency_name

    if not needs:
        return "not implemented yet"
    if all(by_agency_name(n) is not None for n in needs):
        return "not implemented yet (it needs reference data: " + ", ".join(needs) + ")"
    # each set no file gives, with why (not published, or only the agency holds it)
    return "needs reference data we do not have: " + ", ".join(
        f"{n} ({NOT_LOADABLE[n]})" if n in NOT_LOADABLE else n for n in needs if by_agency_name(n) is None)


@cache
def deleted_by_agency() -> dict[str, str]:
    """Rules the agency's CSV still lists but its own rules workbook deletes: not in force, so not listed as
    not checked (rules/deleted_by_agency.yaml)."""
    path = Path(__file__).with_name("deleted_by_agency.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {} if path.is_file() else {}


@cache
def _UNIMPLEMENTED() -> dict[str, str]:  # noqa: N802 - a cached constant
    path = Path(__file__).with_name("unimplemented.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {} if path.is_file() else {}


@cache
def agency_rules(year: str) -> dict[str, dict]:
    """The agency's live rules for the year (code, category, severity, reference data needed)."""
    from ilrkit.schemas import load_spec

    path = load_spec(year).folder / "agency_rules.yaml"
    if not path.is_file():
        return {}
    # the C loader where PyYAML has it: the pure-Python one takes a noticeable part of a small validation
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return (yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}).get("rules", {})


PARALLEL_MIN_LEARNERS = 4000
_FORKED: tuple | None = None  # (engine, ctx) inherited by forked workers; never pickled


def _workers(learners: int, strict: bool) -> int:
    """Worker processes for the per-learner rules: several only for large returns, and only where fork is
    cheap and safe (Linux, from a process running one thread: the server validates in threads, so it runs the
    rules in the calling thread). Elsewhere (Windows, macOS Excel) the rules run in this process."""
    if not sys.platform.startswith("linux") or not can_fork():
        return 1
    setting = os.environ.get("ILRKIT_WORKERS")
    if setting is not None:
        return max(1, int(setting)) if setting.isdigit() else 1
    if strict or learners < PARALLEL_MIN_LEARNERS:
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def _run_chunk(bounds: tuple[int, int]) -> tuple[list[Finding], set[str]]:
    engine, ctx = _FORKED
    start, stop = bounds
    return engine.run(ctx, ctx.learners[start:stop], whole_file=False), engine.failed


def _run_parallel(engine: Engine, ctx: Context, workers: int) -> list[Finding]:
    """Per-learner rules in forked processes (they inherit the built views without copying); whole-file
    rules here meanwhile. Findings come back in learner order, as a single process gives them.

    If a worker dies (killed, out of memory), its share of the rules runs here instead, so a lost worker
    never leaves the caller waiting."""
    global _FORKED

    n = len(ctx.learners)
    step = max(1, -(-n // (workers * 4)))
    chunks = [(i, min(n, i + step)) for i in range(0, n, step)]
    _FORKED = (engine, ctx)
    pool = forked_pool(workers)
    try:
        with held_stop_signals():  # the workers are forked by the first submit
            futures = [pool.submit(_run_chunk, chunk) for chunk in chunks]
        out = engine.run(ctx, [], whole_file=True)
        for chunk, future in zip(chunks, futures):
            try:
                findings, failed = future.result()
            except BrokenProcessPool:
                log.warning("a rule worker process stopped unexpectedly; its learners are checked here instead")
                findings, failed = engine.run(ctx, ctx.learners[chunk[0]:chunk[1]], whole_file=False), set()
            out.extend(findings)
            engine.failed |= failed
    except BaseException:
        stop_pool(pool)
        raise
    else:
        pool.shutdown(wait=True)  # the workers finish on their own: no signal is sent to them
    finally:
        _FORKED = None
    return out


__all__ = ["Context", "Engine", "Report", "validate", "ERROR"]
