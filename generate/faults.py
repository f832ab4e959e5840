"""Known single faults to plant in clean learners, each tied to the agency rule that must catch it.

A fault is the kind of slip admin staff make (a mistyped ULN, dates the wrong way round, a code that
is not in the list, a missing field). ``inject`` gives about ``rate`` of the learners one fault each and
returns what it did, so a test (or a person) can check that validation finds every one at the right
learner. Faults keep the file schema-valid, so the XML can still be written and the agency's rules
(not the schema) are what catches them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from ilrkit.generate.dates import Calendar, iso
from ilrkit.generate.identifiers import bad_uln

FUNDED = {"25", "35", "36", "37", "38", "81"}


@dataclass(frozen=True)
class Fault:
    """One planted fault: the learner (and aim) it is in, what it is, and the rule that must report it."""

    learn_ref: str
    fault: str
    rule: str
    aim_seq: str | None = None
    description: str = ""


@dataclass(frozen=True)
class Kind:
    name: str
    rule: str
    description: str
    plant: Callable[[random.Random, dict, Calendar], str | None | bool]  # False: cannot apply to this learner


def _models(learner: dict) -> set[str]:
    return {a["FundModel"] for a in learner["aims"]}


def _pick_aim(rng: random.Random, learner: dict, ok: Callable[[dict], bool]) -> dict | None:
    aims = [a for a in learner["aims"] if ok(a)]
    return rng.choice(aims) if aims else None


def _sof(aim: dict) -> str | None:
    return next((f["LearnDelFAMCode"] for f in aim["fams"] if f["LearnDelFAMType"] == "SOF"), None)


# -- the faults -------------------------------------------------------------------------------------------
# Each returns the AimSeqNumber it changed ("" for a learner-level fault), or False when it does not fit.

def _uln(rng, learner, cal):
    learner["ULN"] = bad_uln(learner["ULN"])
    return ""


def _plan_end_before_start(rng, learner, cal):
    aim = _pick_aim(rng, learner, lambda a: a["AimType"] == "4")
    if aim is None:
        return False
    start = dt.date.fromisoformat(aim["LearnStartDate"])
    aim["LearnPlanEndDate"] = iso(start - dt.timedelta(days=rng.randint(1, 60)))
    return aim["AimSeqNumber"]


def _act_end_before_start(rng, learner, cal):
    aim = _pick_aim(rng, learner, lambda a: a.get("LearnActEndDate") and a["AimType"] == "4")
    if aim is None:
        return False
    start = dt.date.fromisoformat(aim["LearnStartDate"])
    aim["LearnActEndDate"] = iso(start - dt.timedelta(days=rng.randint(1, 30)))
    return aim["AimSeqNumber"]


def _no_dob(rng, learner, cal):
    if not _models(learner) & FUNDED:
        return False
    del learner["DateOfBirth"]
    return ""


def _no_address(rng, learner, cal):
    del learner["AddLine1"]
    return ""


def _bad_ethnicity(rng, learner, cal):
    learner["Ethnicity"] = rng.choice(("30", "48", "50"))
    return ""


def _bad_comp_status(rng, learner, cal):
    aim = _pick_aim(rng, learner, lambda a: a["CompStatus"] == "1")
    if aim is None:
        return False
    aim["CompStatus"] = rng.choice(("4", "5"))
    return aim["AimSeqNumber"]


def _duplicate_aim_seq(rng, learner, cal):
    if len(learner["aims"]) < 2:
        return False
    first, second = learner["aims"][0], learner["aims"][1]
    second["AimSeqNumber"] = first["AimSeqNumber"]
    return first["AimSeqNumber"]


def _no_sof(rng, learner, cal):
    aim = _pick_aim(rng, learner, lambda a: a["FundModel"] in FUNDED and _sof(a))
    if aim is None:
        return False
    aim["fams"] = [f for f in aim["fams"] if f["LearnDelFAMType"] != "SOF"]
    return aim["AimSeqNumber"]


def _no_ni_number(rng, learner, cal):
    # only an apprentice under ACT 1 must have one (NINumber_02); others may carry one the year collects
    levy = any(f.get("LearnDelFAMType") == "ACT" and f.get("LearnDelFAMCode") == "1"
               for a in learner["aims"] for f in a.get("fams") or ())
    if "NINumber" not in learner or not levy:
        return False
    del learner["NINumber"]
    return ""


def _first_start(learner: dict) -> dt.date:
    return min(dt.date.fromisoformat(a["LearnStartDate"]) for a in learner["aims"])


def _age_on(learner: dict, day: dt.date) -> int | None:
    if not learner.get("DateOfBirth"):
        return None
    born = dt.date.fromisoformat(learner["DateOfBirth"])
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _lldd_without_record(rng, learner, cal):
    # the rule lets off non-funded learners and those 25 or over when they started
    if learner["LLDDHealthProb"] != "1" or "99" in _models(learner) or _age_on(learner, _first_start(learner)) >= 25:
        return False
    learner.pop("lldd", None)
    return ""


def _no_prior(rng, learner, cal):
    if not _models(learner) & {"35", "36", "38"} or not learner.get("prior"):
        return False
    del learner["prior"]
    return ""


def _start_after_year(rng, learner, cal):
    aim = _pick_aim(rng, learner, lambda a: a["AimType"] == "4" and a["CompStatus"] == "1")
    if aim is None:
        return False
    start = cal.year_end + dt.timedelta(days=rng.randint(5, 40))
    aim.update(LearnStartDate=iso(start), LearnPlanEndDate=iso(start + dt.timedelta(days=120)))
    return aim["AimSeqNumber"]


def _no_planned_hours(rng, learner, cal):
    # learners whose aims have all ended are let off (nothing is planned any more)
    open_aims = [a for a in learner["aims"] if not a.get("LearnActEndDate")]
    if "PlanLearnHours" not in learner or "36" in _models(learner) or not open_aims:
        return False
    del learner["PlanLearnHours"]
    return ""


def _ended_without_date(rng, learner, cal):
    aim = _pick_aim(rng, learner, lambda a: a["CompStatus"] == "2" and a["AimType"] == "4")
    if aim is None:
        return False
    aim.pop("LearnActEndDate")
    aim.pop("Outcome", None)
    return aim["AimSeqNumber"]


def _no_math_grade(rng, learner, cal):
    if "MathGrade" not in learner:
        return False
    del learner["MathGrade"]
    return ""


def _achieved_before_end(rng, learner, cal):
    aim = _pick_aim(rng, learner, lambda a: a.get("AchDate") and a["FundModel"] == "36")
    if aim is None:
        return False
    end = dt.date.fromisoformat(aim["LearnActEndDate"])
    aim["AchDate"] = iso(end - dt.timedelta(days=rng.randint(1, 20)))
    for fam in aim["fams"]:
        if fam["LearnDelFAMType"] == "ACT":
            fam["LearnDelFAMDateTo"] = aim["AchDate"]
    return aim["AimSeqNumber"]


def _postcode_letter_o(rng, learner, cal):
    # not a postcode typed without its space: the workbook reader reads that one way only (a warning)
    outward, inward = learner["Postcode"].split(" ")
    learner["Postcode"] = f"{outward} O{inward[1:]}"
    return ""


def _bad_placement_employer(rng, learner, cal):
    placements = [(a, p) for a in learner["aims"] for p in a.get("work_placements", ()) if p.get("WorkPlaceEmpId")]
    if not placements:
        return False
    aim, placement = rng.choice(placements)
    good = placement["WorkPlaceEmpId"]
    placement["WorkPlaceEmpId"] = good[:8] + str((int(good[8]) + 1) % 10)
    return aim["AimSeqNumber"]


def _no_employment_status(rng, learner, cal):
    if "38" not in _models(learner) or not learner.get("employment"):
        return False
    del learner["employment"]
    return ""


def _no_assessment_price(rng, learner, cal):
    aim = _pick_aim(rng, learner, lambda a: a["FundModel"] == "36" and a["AimType"] == "1")
    if aim is None:
        return False
    aim["financial"] = [f for f in aim["financial"] if (f["AFinType"], f["AFinCode"]) != ("TNP", "2")]
    return aim["AimSeqNumber"]


CATALOGUE: tuple[Kind, ...] = (
    Kind("uln_check_digit", "ULN_04", "ULN with a wrong check digit (a typing slip)", _uln),
    Kind("planned_end_before_start", "LearnPlanEndDate_02", "planned end date before the start date",
         _plan_end_before_start),
    Kind("actual_end_before_start", "LearnActEndDate_01", "actual end date before the start date",
         _act_end_before_start),
    Kind("missing_date_of_birth", "DateOfBirth_01", "date of birth left blank for a funded learner", _no_dob),
    Kind("missing_address", "AddLine1_03", "first address line left blank", _no_address),
    Kind("invalid_ethnicity", "Ethnicity_01", "ethnicity code that is not in the list", _bad_ethnicity),
    Kind("invalid_completion_status", "CompStatus_01", "completion status that is not in the list",
         _bad_comp_status),
    Kind("duplicate_aim_seq", "R_07", "two aims with the same aim sequence number", _duplicate_aim_seq),
    Kind("missing_source_of_funding", "LearnDelFAMType_01", "funded aim without a SOF record", _no_sof),
    Kind("missing_ni_number", "NINumber_02", "apprentice without a National Insurance number",
         _no_ni_number),
    Kind("lldd_without_category", "LLDDHealthProb_06", "LLDD declared but no category recorded",
         _lldd_without_record),
    Kind("missing_prior_attainment", "PriorAttain_01", "adult or apprentice without prior attainment",
         _no_prior),
    Kind("start_after_year_end", "LearnStartDate_03", "aim starting after the teaching year ends",
         _start_after_year),
    Kind("missing_planned_hours", "PlanLearnHours_01", "planned learning hours left blank", _no_planned_hours),
    Kind("completed_without_end_date", "CompStatus_03", "completed aim with no actual end date",
         _ended_without_date),
    Kind("missing_maths_grade", "MathGrade_01", "16-19 learner without a GCSE maths grade", _no_math_grade),
    Kind("achieved_before_end", "AchDate_05", "apprenticeship achievement date before its end date",
         _achieved_before_end),
    Kind("postcode_letter_o", "Postcode_15", "home postcode with the letter O typed for a digit",
         _postcode_letter_o),
    Kind("placement_employer_check_digit", "WorkPlaceEmpId_02", "work placement employer id with a wrong "
         "check digit", _bad_placement_employer),
    Kind("missing_employment_status", "EmpStat_21", "Adult Skills Fund learner with no employment status",
         _no_employment_status),
    Kind("missing_assessment_price", "EPAOrgID_03", "apprenticeship with an assessment organisation but no "
         "assessment price",
         _no_assessment_price),
)
BY_NAME = {k.name: k for k in CATALOGUE}


def plant(kind: Kind, rng: random.Random, learner: dict, cal: Calendar) -> Fault | None:
    """Plant one fault of ``kind`` in ``learner`` (changed in place); ``None`` if it does not fit."""
    result = kind.plant(rng, learner, cal)
    if result is False:
        return None
    return Fault(learner["LearnRefNumber"], kind.name, kind.rule, result or None, kind.description)


def inject(learners: list[dict], rate: float, rng: random.Random, cal: Calendar,
           kinds: tuple[Kind, ...] = CATALOGUE) -> list[Fault]:
    """Give ``round(rate * len(learners))`` learners (at least one when ``rate`` > 0) one fault each."""
    if rate <= 0 or not learners:
        return []
    count = min(len(learners), max(1, round(rate * len(learners))))
    faults = []
    for index in sorted(rng.sample(range(len(learners)), count)):
        learner = learners[index]
        for kind in rng.sample(kinds, len(kinds)):  # a random fault that fits this learner
            fault = plant(kind, rng, learner, cal)
            if fault is not None:
                faults.append(fault)
                break
    return faults
