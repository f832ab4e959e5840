"""Findings as JSON, as the agency's Rule Violation Report CSV, or as a readable summary."""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict

from ilrkit.converter.model import IlrData
from ilrkit.converter.textcells import SafeCsvWriter
from ilrkit.rules.engine import Report
from ilrkit.rules.findings import Finding
from ilrkit.rules.registry import registry

JSON_KEYS = ("rule", "severity", "learn_ref", "aim_seq", "entity", "field", "value", "message", "sheet", "row",
             "column")
CSV_COLUMNS = ("Error/Warning", "Learner Ref", "ULN", "Family Name", "Given Names", "Rule Name", "Field Values",
               "Error Message", "Aim Sequence Number", "Aim Reference Number", "Software Supplier Aim ID",
               "Funding Model", "Subcontracted UKPRN", "Provider Specified Learner Monitoring A",
               "Provider Specified Learner Monitoring B", "Provider Specified Delivery Monitoring A",
               "Provider Specified Delivery Monitoring B", "Provider Specified Delivery Monitoring C",
               "Provider Specified Delivery Monitoring D", "OFFICIAL-SENSITIVE")


def ordered(findings: list[Finding]) -> list[Finding]:
    """Errors before warnings, then by rule, learner and aim (a stable order for every format)."""
    return sorted(findings, key=lambda f: (not f.is_error, f.rule, f.learn_ref or "", _num(f.aim_seq),
                                           f.sheet or "", f.row or 0))


def _num(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def as_json(report: Report) -> str:
    doc = {"file": report.file, "year": report.year, "summary": report.summary,
           "findings": [{k: getattr(f, k) for k in JSON_KEYS} for f in ordered(report.findings)],
           "not_checked": [{"rule": code, "reason": report.not_checked_reasons.get(code, "")}
                           for code in report.rules_not_checked]}
    return json.dumps(doc, indent=2, ensure_ascii=False)


class _Lookup:
    """Rows a report line needs (the learner's names, the aim's reference), found from the finding's ids."""

    def __init__(self, data: IlrData | None):
        self.learners = self._rows(data, "Learner")
        self.aims = self._rows(data, "LearningDelivery")
        self.pslm = self._children(data, "ProviderSpecLearnerMonitoring", "ProvSpecLearnMonOccur",
                                   "ProvSpecLearnMon")
        self.psdm = self._children(data, "ProviderSpecDeliveryMonitoring", "ProvSpecDelMonOccur", "ProvSpecDelMon")

    @staticmethod
    def _rows(data, entity) -> dict:
        if data is None or entity not in data.tables:
            return {}
        return {r["_id"]: r for r in data.tables[entity].to_dict("records")}

    @staticmethod
    def _children(data, entity, occur, value) -> dict:
        out: dict = defaultdict(dict)
        if data is None or entity not in data.tables:
            return out
        for r in data.tables[entity].to_dict("records"):
            out[r["_parent"]].setdefault(r.get(occur), r.get(value))
        return out


def _field_values(f: Finding, learner: dict, aim: dict) -> str:
    rule = registry().get(f.rule)
    names = rule.fields if rule and rule.fields else ((f.field,) if f.field else ())
    parts = []
    for name in names:
        value = f.value if name == f.field else aim.get(name, learner.get(name))
        parts.append(f"{name}={'' if value is None else value}|")
    return "".join(parts)


def as_csv(report: Report, data: IlrData | None = None) -> str:
    """The agency's Rule Violation Report layout. It holds personal data: handle it as OFFICIAL-SENSITIVE.
    Cells a spreadsheet would read as a formula are escaped (``SafeCsvWriter``)."""
    look = _Lookup(data)
    buf = io.StringIO()
    writer = SafeCsvWriter(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for f in ordered(report.findings):
        learner = look.learners.get(f.learner, {}) if f.learner is not None else {}
        aim = look.aims.get(f.aim, {}) if f.aim is not None else {}
        pslm = look.pslm.get(f.learner, {}) if f.learner is not None else {}
        psdm = look.psdm.get(f.aim, {}) if f.aim is not None else {}
        writer.writerow([
            "Error" if f.is_error else "Warning", f.learn_ref or "", learner.get("ULN") or "",
            learner.get("FamilyName") or "", learner.get("GivenNames") or "", f.rule, _field_values(f, learner, aim),
            f.message, f.aim_seq or "", aim.get("LearnAimRef") or "", aim.get("SWSupAimId") or "",
            aim.get("FundModel") or "", aim.get("PartnerUKPRN") or "", pslm.get("A") or "", pslm.get("B") or "",
            psdm.get("A") or "", psdm.get("B") or "", psdm.get("C") or "", psdm.get("D") or "",
            "OFFICIAL-SENSITIVE",
        ])
    return buf.getvalue()


def _errors_where(report: Report) -> str:
    """The error count, and where the errors are: in how many learners, and how many belong to the file as a
    whole (the header, the provider) rather than to any learner."""
    s = report.summary
    count, people = s["errors"], s["learners_with_errors"]
    text = f"{count} error{'s' if count != 1 else ''}"
    if not count:
        return text
    in_learners = count - s["errors_in_file"]
    learners = f"{people} learner{'s' if people != 1 else ''}"
    if in_learners == count:
        return f"{text} in {learners}"
    if not in_learners:
        return f"{text} in the file as a whole (not in any learner)"
    return f"{text}: {in_learners} in {learners}, {count - in_learners} in the file as a whole"


def summary_line(report: Report) -> str:
    s = report.summary
    errors = _errors_where(report)
    warnings = f"{s['warnings']} warning{'s' if s['warnings'] != 1 else ''}"
    return f"{errors}, {warnings} ({s['learners']} learners checked against {s['rules_run']} rules)"


def headline(report: Report) -> str:
    """The one summary of a report, said the same by every command: the counts, then the rules not run."""
    text = f"{summary_line(report)}."
    return f"{text} {not_checked_line(report)}" if report.rules_not_checked else text


MIN_WIDTH = 60


def as_text(report: Report, first: int = 3, width: int | None = None, only: list[Finding] | None = None) -> str:
    """A readable report that fits the terminal: per rule, the first few findings, each led by its cell
    (``sheet!cell``) and learner, with the message wrapped below them rather than cut.

    ``only``: list just these findings (the ones that stop the XML being written); the summary at the top
    is still the whole report's, so it matches `ilr validate`.
    """
    import shutil
    import textwrap

    width = max(MIN_WIDTH, width or shutil.get_terminal_size((100, 24)).columns)
    title = f"{report.file or 'ILR'} ({report.year}): {headline(report)}"
    lines = textwrap.wrap(title, width, break_on_hyphens=False)
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in ordered(report.findings if only is None else only):
        groups[f.rule].append(f)
    shown = [f for items in groups.values() for f in items[:first]]
    where_width = max((len(_where(f)) for f in shown), default=0)
    who_width = max((len(f.learn_ref or "") for f in shown), default=0)
    if where_width + who_width + 24 > width:  # a long sheet name: the learner goes on the next line
        who_width = 0
    indent = " " * 4
    for code, items in groups.items():
        kind = "error" if items[0].is_error else "warning"
        lines.append("")
        lines.append(f"{code} ({kind}, {len(items)} {'cell' if len(items) == 1 else 'cells'})"
                     if any(f.cell for f in items) else f"{code} ({kind}, {len(items)})")
        listed = items[:first]
        for i, f in enumerate(listed):
            where = _where(f)
            learner = f.learn_ref or ""
            if who_width:
                lines.append(f"  {where.ljust(where_width)}  {learner.ljust(who_width)}".rstrip())
            else:
                lines.append(f"  {where}")
                if learner:
                    lines.append(f"  learner {learner}")
            if i + 1 < len(listed) and listed[i + 1].message == f.message:
                continue  # cells with the same message are listed together, above it
            lines.extend(textwrap.wrap(f.message, width, initial_indent=indent, subsequent_indent=indent,
                                       break_on_hyphens=False, break_long_words=True))
        if len(items) > first:
            more = len(items) - first
            lines.append(f"  ... and {more} more {code} ({'ilr validate --format csv lists them all'})")
    return visible("\n".join(lines)) + "\n"


_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f]")


def visible(text: str) -> str:
    """Control characters copied into a cell shown as ``\\x1b``: printed raw, one could clear or recolour the
    clerk's terminal (learner text is data, never instructions to the screen)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def not_checked_line(report: Report) -> str:
    """One sentence on the agency rules we did not run, grouped by why: which reference data sets were missing
    (and the command that loads them), or left out on purpose."""
    from ilrkit.refdata.sets import missing_sets_hint

    needs: dict[str, int] = defaultdict(int)
    other: dict[str, int] = defaultdict(int)
    for code in report.rules_not_checked:
        reason = report.not_checked_reasons.get(code, "not checked")
        if reason.startswith("needs reference data") and ":" in reason:
            # the set names, without the note in brackets after each ("EDRS_employers (... not published)")
            for name in re.sub(r"\((?:[^()]|\([^()]*\))*\)", "", reason.split(":", 1)[1]).split(","):
                needs[name.strip()] += 1
            other["need reference data"] += 1
        elif reason.startswith("not implemented yet"):
            other["not built yet"] += 1
        else:
            other["left out on purpose (ilr rules --not-checked says why)"] += 1
    detail = missing_sets_hint(needs)
    if detail:  # which sets, and the command that loads them, right after the count they explain
        other[f"need reference data ({detail})"] = other.pop("need reference data")
    parts = [f"{n} {why}" for why, n in sorted(other.items(), key=lambda kv: -kv[1])]
    return (f"{len(report.rules_not_checked)} of the agency's rules were not checked here (the agency will still "
            f"run them): {'; '.join(parts)}.")


def _where(f: Finding) -> str:
    if f.cell:
        return f.cell
    return f"aim {f.aim_seq}" if f.aim_seq else ("learner" if f.learn_ref else "file")
