"""Employment status monitoring that depends on the learner's aims (apprenticeships, bootcamps, 16-19)."""

from __future__ import annotations

import datetime as dt

from ilrkit.rules.derived import dd07_is_apprenticeship
from ilrkit.rules.employment._common import EMPLOYED, NOT_EMPLOYED, has_esm
from ilrkit.rules.registry import ERROR, Hit, rule

LOU_FROM = dt.date(2012, 8, 1)
LOE_FROM = dt.date(2013, 8, 1)
# 16-19 (excluding apprenticeships), other 16-19 and Skills Bootcamps do not collect length of unemployment
NO_LOU_FUND_MODELS = frozenset({25, 82, 37})
# framework (2, 3, 20-23) and standard (25) apprenticeships
APPRENTICESHIP_PROG_TYPES = frozenset({2, 3, 20, 21, 22, 23, 25})
SBWA_BENEFITS = frozenset({1, 4, 5})  # JSA, Universal Credit, ESA (all categories)


@rule("ESMType_08", severity=ERROR, scope="learner", entity="LearnerEmploymentStatus",
      fields=("EmpStat", "DateEmpStatApp"),
      message="The employment status from {DateEmpStatApp} says the learner is unemployed and looking for work "
              "(11) but no length of unemployment (LOU) is recorded. Add the LOU code for how long the learner "
              "has been unemployed.")
def esmtype_08(learner):
    # the agency leaves out learners on 16-19 or Skills Bootcamp provision
    if learner.fund_models & NO_LOU_FUND_MODELS:
        return None
    return [Hit(record=s, field="EmpStat") for s in learner.employment
            if s.emp_stat == 11 and s.applies_from is not None and s.applies_from >= LOU_FROM
            and not has_esm(s, "LOU")]


@rule("ESMType_09", severity=ERROR, scope="learner", entity="LearnerEmploymentStatus",
      fields=("EmpStat", "DateEmpStatApp"),
      message="The learner is in paid employment at the start of their apprenticeship (status from "
              "{DateEmpStatApp}) but no length of employment (LOE) is recorded. Add the LOE code for how long "
              "they have worked for the employer.")
def esmtype_09(learner):
    flagged = []
    for aim in learner.aims:
        if aim.aim_type != 1 or not dd07_is_apprenticeship(aim.prog_type):
            continue
        status = aim.employment_at_start
        if (status is not None and status.emp_stat == EMPLOYED and status.applies_from >= LOE_FROM
                and not has_esm(status, "LOE") and status not in flagged):
            flagged.append(status)
    return [Hit(record=s, field="EmpStat") for s in flagged]


@rule("ESMType_16", severity=ERROR, scope="learner", entity="LearnerEmploymentStatus", fields=("EmpStat",),
      message="The employment status from {DateEmpStatApp} is {EmpStat} (not in paid employment) but records a "
              "small employer (SEM 1). An apprentice's small employer can only be recorded while they are "
              "employed: correct the status or remove SEM 1.")
def esmtype_16(learner):
    found = [s for s in learner.employment if s.emp_stat in NOT_EMPLOYED and has_esm(s, "SEM", 1)]
    if not found or not any(a.prog_type == 25 for a in learner.aims):
        return None
    return [Hit(record=s, field="EmpStat") for s in found]


@rule("ESMType_17", severity=ERROR, scope="aim", fields=("LearnStartDate",),
      message="This aim is marked as sector-based work academy pre-employment training (LDM 375), so the "
              "employment status that applies on the start date {LearnStartDate} must record the benefit the "
              "learner receives: BSI 1 (JSA), 4 (Universal Credit) or 5 (ESA). Add or correct the BSI code.")
def esmtype_17(aim):
    if not aim.has_fam("LDM", "375") or aim.start is None:
        return None
    status = aim.employment_at_start
    if status is not None and set(status.esm_codes("BSI")) & SBWA_BENEFITS:
        return None
    fam = next(f for f in aim.fams if f.get("LearnDelFAMType") == "LDM" and f.get("LearnDelFAMCode") == "375")
    return Hit(record=fam, field="LearnDelFAMCode", entity="LearningDeliveryFAM",
               values={"LearnStartDate": aim["LearnStartDate"]})


@rule("EmpId_14", severity=ERROR, scope="learner", entity="LearnerEmploymentStatus", fields=("EmpId",),
      message="The employment status from {DateEmpStatApp} says the learner is not in paid employment "
              "({EmpStat}) but gives an employer ({EmpId}). For an apprentice, remove the employer identifier "
              "from a status that is not employed, or correct the status.")
def empid_14(learner):
    found = [s for s in learner.employment if s.emp_stat in NOT_EMPLOYED and s["EmpId"] is not None]
    if not found or not any(a.prog_type in APPRENTICESHIP_PROG_TYPES for a in learner.aims):
        return None
    return [Hit(record=s, field="EmpId") for s in found]
