"""Which employment status monitoring (ESM) types fit which employment status, on one status record."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import cache

from ilrkit.rules.columns import children, date, number, text_in
from ilrkit.rules.employment._common import EMPLOYED, NOT_EMPLOYED, esm_hits, esm_rows, has_esm
from ilrkit.rules.registry import ERROR, Hit, rule
from ilrkit.rules.year import spec_of
from ilrkit.schemas import load_spec

EII_FROM = dt.date(2012, 8, 1)  # employment intensity collected for statuses from this date
UNEMPLOYED_CHECKS_FROM = dt.date(2013, 8, 1)
SINGLE_TYPES = ("SEI", "EII", "LOU", "LOE", "BSI", "PEI", "SEM")
_ANY_ESM = children("EmploymentStatusMonitoring").any  # the status has a monitoring record that meets it


@cache
def closed_codes(year: str) -> dict[tuple[str, str], dt.date]:
    """(ESMType, ESMCode) -> the last date the code may be used, for codes that have been withdrawn."""
    spec = load_spec(year)
    types = spec.codelist("EmploymentStatusMonitoring.ESMType")
    out = {}
    for esm_type in (c.code for c in types.codes) if types else ():
        codes = spec.codelist(f"EmploymentStatusMonitoring.{esm_type}")
        for c in codes.codes if codes else ():
            if c.valid_to is not None:
                out[(esm_type, c.code)] = c.valid_to
    return out



@rule("ESMType_02", severity=ERROR, entity="LearnerEmploymentStatus", fields=("EmpStat", "DateEmpStatApp"),
      message="This employment status from {DateEmpStatApp} says the learner is in paid employment (10) but has "
              "no employment intensity (EII) recorded. Add the EII code for the hours the learner works.",
      when=number("EmpStat").isin(EMPLOYED) & date("DateEmpStatApp").compare(">=", EII_FROM))
def esmtype_02(status):
    return (status.emp_stat == EMPLOYED and status.applies_from is not None and status.applies_from >= EII_FROM
            and not has_esm(status, "EII"))


@rule("ESMType_05", severity=ERROR, entity="LearnerEmploymentStatus", fields=("EmpStat",),
      message="A length of unemployment (LOU {ESMCode}) is recorded on an employment status from {DateEmpStatApp} "
              "that says the learner is in paid employment. Remove the LOU code, or correct the employment "
              "status.",
      when=number("EmpStat").isin(EMPLOYED) & _ANY_ESM(text_in("ESMType", "LOU")))
def esmtype_05(status):
    if status.emp_stat == EMPLOYED:
        return esm_hits(status, esm_rows(status, "LOU"))
    return None


@rule("ESMType_07", severity=ERROR, entity="LearnerEmploymentStatus", fields=("EmpStat",),
      message="The employment status from {DateEmpStatApp} is {EmpStat} but the learner is recorded as self "
              "employed (SEI). A self-employed learner is in paid employment: set the status to 10, or remove "
              "the SEI code.",
      when=number("EmpStat").notin(None, EMPLOYED))
def esmtype_07(status):
    return status.emp_stat is not None and status.emp_stat != EMPLOYED and has_esm(status, "SEI")


@rule("ESMType_10", severity=ERROR, entity="LearnerEmploymentStatus", fields=("EmpStat",),
      message="A length of employment (LOE {ESMCode}) is recorded on an employment status from {DateEmpStatApp} "
              "that says the learner is not in paid employment ({EmpStat}). Remove the LOE code, or correct "
              "the employment status.",
      when=number("EmpStat").isin(*NOT_EMPLOYED))
def esmtype_10(status):
    if status.emp_stat in NOT_EMPLOYED:
        return esm_hits(status, esm_rows(status, "LOE"))
    return None


@rule("ESMType_11", severity=ERROR, entity="LearnerEmploymentStatus", fields=("DateEmpStatApp",),
      message="The monitoring code {ESMType} {ESMCode} was withdrawn on {valid_to}, but this employment status "
              "applies from {DateEmpStatApp}. Use one of the current codes for {ESMType}.")
def esmtype_11(status):
    day = status.applies_from
    if day is None:
        return None
    hits = []
    closed = closed_codes(spec_of(status).year)
    for m in status.monitoring:
        valid_to = closed.get((m.get("ESMType"), m.get("ESMCode")))
        if valid_to is not None and day > valid_to:
            hits.append(Hit(record=m, field="ESMCode", entity="EmploymentStatusMonitoring",
                            values={"DateEmpStatApp": status["DateEmpStatApp"], "valid_to": valid_to.isoformat()}))
    return hits


@rule("ESMType_12", severity=ERROR, entity="LearnerEmploymentStatus", fields=("EmpStat",),
      message="The employment status from {DateEmpStatApp} says the learner is not in paid employment "
              "({EmpStat}), yet {ESMType} (employment intensity or self employment) is recorded. Remove the "
              "{ESMType} code, or correct the employment status.",
      when=number("EmpStat").isin(*NOT_EMPLOYED) & date("DateEmpStatApp").compare(">=", UNEMPLOYED_CHECKS_FROM))
def esmtype_12(status):
    if (status.emp_stat in NOT_EMPLOYED and status.applies_from is not None
            and status.applies_from >= UNEMPLOYED_CHECKS_FROM):
        return esm_hits(status, esm_rows(status, "EII") + esm_rows(status, "SEI"))
    return None


@rule("ESMType_15", severity=ERROR, entity="LearnerEmploymentStatus", fields=("EmpStat",),
      message="The monitoring type {ESMType} is recorded more than once on the employment status from "
              "{DateEmpStatApp}. Keep only the one {ESMType} code that applies.",
      when=children("EmploymentStatusMonitoring").at_least(2))
def esmtype_15(status):
    counts = Counter(m.get("ESMType") for m in status.monitoring)
    repeated = [t for t in SINGLE_TYPES if counts[t] > 1]
    if not repeated:
        return None
    extra = [m for t in repeated for m in esm_rows(status, t)[1:]]
    return esm_hits(status, extra)


@rule("ESMType_18", severity=ERROR, entity="LearnerEmploymentStatus", fields=("EmpStat",),
      message="The employment status from {DateEmpStatApp} says the learner is in paid employment but also that "
              "they have been made redundant (OET 1). Remove OET 1, or record the status that applied after "
              "the redundancy.",
      when=number("EmpStat").isin(EMPLOYED) & _ANY_ESM(text_in("ESMType", "OET") & text_in("ESMCode", "1")))
def esmtype_18(status):
    if status.emp_stat == EMPLOYED:
        return esm_hits(status, [m for m in esm_rows(status, "OET") if m.get("ESMCode") == "1"], field="ESMCode")
    return None


@rule("ESMType_19", severity=ERROR, entity="LearnerEmploymentStatus", fields=("EmpStat",),
      message="The employment status from {DateEmpStatApp} is {EmpStat}, but it records a small or medium "
              "employer (OET 2), which is only for learners in paid employment. Set the status to 10, or "
              "remove OET 2.",
      when=number("EmpStat").notin(EMPLOYED))
def esmtype_19(status):
    return status.emp_stat != EMPLOYED and has_esm(status, "OET", 2)


@rule("ESMType_20", severity=ERROR, entity="LearnerEmploymentStatus", fields=("EmpStat",),
      message="The other employment type code OET {ESMCode} is recorded more than once on the employment status "
              "from {DateEmpStatApp}. Remove the repeated code.",
      when=children("EmploymentStatusMonitoring").at_least(2))
def esmtype_20(status):
    seen, extra = set(), []
    for m in esm_rows(status, "OET"):
        code = m.get("ESMCode")
        if code in seen:
            extra.append(m)
        seen.add(code)
    return esm_hits(status, extra, field="ESMCode")
