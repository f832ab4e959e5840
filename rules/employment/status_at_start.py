"""What the employment status must be on the day certain aims start."""

from __future__ import annotations

import datetime as dt

from ilrkit.rules.derived import dd07_is_apprenticeship
from ilrkit.rules.employment._common import EMPLOYED, UNKNOWN
from ilrkit.rules.registry import ERROR, WARNING, Hit, rule

AUG_2016 = dt.date(2016, 8, 1)
# LDM 353 and 355 mark apprentices the agency lets start without an employer in place
NOT_EMPLOYED_ALLOWED = ("353", "355")


def _apprenticeship_programme(aim) -> bool:
    return aim.aim_type == 1 and dd07_is_apprenticeship(aim.prog_type)


def _allowed_not_employed(aim) -> bool:
    return any(code in NOT_EMPLOYED_ALLOWED for code in aim.fam_codes("LDM"))


@rule("EmpStat_12", severity=WARNING, scope="aim", fields=("LearnStartDate",),
      message="On the start date {LearnStartDate} of this apprenticeship programme the learner's employment "
              "status is {EmpStat} (from {DateEmpStatApp}), not employed (10). Apprentices are normally "
              "employed: check the employment status and its date.")
def empstat_12(aim):
    if not _apprenticeship_programme(aim) or _allowed_not_employed(aim):
        return None
    status = aim.employment_at_start
    if status is None or status.emp_stat is None or status.emp_stat == EMPLOYED:
        return None
    return Hit(record=status, field="EmpStat", entity="LearnerEmploymentStatus",
               values={"LearnStartDate": aim["LearnStartDate"]})


@rule("EmpStat_15", severity=ERROR, scope="aim", fields=("LearnStartDate",),
      message="On the start date {LearnStartDate} of this apprenticeship programme the learner's employment "
              "status (from {DateEmpStatApp}) is 98 'not known'. Record the apprentice's actual employment "
              "status.")
def empstat_15(aim):
    if (aim.start is None or aim.start < AUG_2016 or not _apprenticeship_programme(aim)
            or _allowed_not_employed(aim)):
        return None
    status = aim.employment_at_start
    if status is None or status.emp_stat != UNKNOWN:
        return None
    return Hit(record=status, field="EmpStat", entity="LearnerEmploymentStatus",
               values={"LearnStartDate": aim["LearnStartDate"]})


@rule("EmpStat_20", severity=ERROR, scope="aim", fields=("LearnStartDate",),
      message="This aim is marked for learners on low wages (LDM 363), but on its start date {LearnStartDate} "
              "the learner is not recorded as in paid employment (status found: {EmpStat}). Record the "
              "employment status that applied, or remove LDM 363.")
def empstat_20(aim):
    if not aim.has_fam("LDM", "363") or aim.start is None:
        return None
    status = aim.employment_at_start
    if status is not None and status.emp_stat == EMPLOYED:
        return None
    return Hit(values={"EmpStat": status["EmpStat"] if status is not None else "none"})
