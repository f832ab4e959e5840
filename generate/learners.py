"""One synthetic learner: personal details, support and monitoring, employment history and aims.

The result is the compact description ``ilrkit.rules.testing.build`` turns into tables, so the generator
and the rule tests share one way of making an ILR.
"""

from __future__ import annotations

import datetime as dt
import random

from ilrkit.generate import people
from ilrkit.generate.aims import AGES, BUILDERS, Needs, Site
from ilrkit.generate.dates import Calendar, add_months, between, iso
from ilrkit.generate.identifiers import emp_id, learn_ref, ni_number, ucas_personal_id, uln

# mostly 31 (White British), then the rest of the list, weighted roughly as in FE
_ETHNICITY = ("31",) * 14 + ("32", "34", "35", "36", "37", "38", "39", "40", "41", "42", "43", "44", "45",
                             "46", "47", "98", "99")
_LLDD_CATS = ("4", "5", "6", "7", "9", "10", "11", "12", "13", "14", "16", "17", "95")  # current categories
_GOOD_GRADES = ("4", "5", "6", "7", "8", "9")
# adult skills (35, 38) and community or tailored learning (10, 11): their aims record the learner's postcode
# at the start of learning (LSDPostcode)
_ADULT_FUNDING = frozenset({"10", "11", "35", "38"})


def make_learner(rng: random.Random, index: int, kind: str, cal: Calendar, site: Site) -> dict:
    """Learner number ``index`` on provision ``kind`` ("25", "36", ..., "HE"), drawn from ``rng``."""
    sex, given = people.sex_and_given(rng)
    family = people.family_name(rng)
    home = people.postcode(rng)
    line1, town = people.address(rng)
    needs = Needs(ucas=kind == "HE" and rng.random() < 0.5)
    aims = BUILDERS[kind](rng, cal, site, needs)
    for n, aim in enumerate(aims, start=1):
        aim["AimSeqNumber"] = str(n)
        if str(aim.get("FundModel")) in _ADULT_FUNDING and str(aim.get("AimType")) != "3":
            aim["LSDPostcode"] = home  # adult skills and community learning aims give the start postcode
    first_start = min(dt.date.fromisoformat(a["LearnStartDate"]) for a in aims)
    # ages count on 31 August before the first start, as funding rules do
    low, high = AGES[kind]
    dob = cal.birth_date(rng, low, high, on=dt.date(first_start.year - (first_start.month < 9), 8, 31))
    learner = {
        "LearnRefNumber": learn_ref(index), "ULN": uln(rng), "FamilyName": family, "GivenNames": given,
        "DateOfBirth": iso(dob), "Ethnicity": rng.choice(_ETHNICITY), "Sex": sex,
        "LLDDHealthProb": rng.choices(("1", "2", "9"), (15, 80, 5))[0],
        "PostcodePrior": home if rng.random() < 0.9 else people.postcode(rng), "Postcode": home,
        "AddLine1": line1, "AddLine2": town, "TelNo": people.phone(rng),
    }
    if rng.random() < 0.7:
        learner["Email"] = people.email(given, family, index)
    if learner["LLDDHealthProb"] == "1":
        cats = rng.sample(_LLDD_CATS, rng.choice((1, 1, 2, 3)))
        learner["lldd"] = [{"LLDDCat": c, **({"PrimaryLLDD": "1"} if i == 0 else {})} for i, c in enumerate(cats)]
        _support(rng, learner, kind, aims)
    if needs.employer:
        learner["NINumber"] = ni_number(rng)
    if needs.study_programme:
        _study_programme(rng, learner)
    else:
        learner["PlanLearnHours"] = str(_planned_hours(rng, aims))
        learner["prior"] = [{"PriorLevel": rng.choice(("1", "2", "3", "4", "9")),
                             "DateLevelApp": iso(between(rng, add_months(dob, 16 * 12), first_start))}]
    learner["employment"] = _employment(rng, cal, kind, dob, first_start, needs)
    if needs.he:
        learner["he"] = {"TTACCOM": rng.choice(("2", "4", "8", "9"))} if needs.full_time_he else {}
        if needs.ucas:
            learner["he"]["UCASPERID"] = ucas_personal_id(rng)
        if not learner["he"]:
            del learner["he"]
    if rng.random() < 0.3:
        learner["monitoring"] = [{"ProvSpecLearnMonOccur": "A", "ProvSpecLearnMon": f"COH{rng.randint(1, 40):02d}"}]
    learner["aims"] = aims
    return learner


def _support(rng: random.Random, learner: dict, kind: str, aims: list[dict]) -> None:
    """Extra support for some learners with a learning difficulty or disability: high-needs funding for
    16-19 learners with an education, health and care plan; learning support funding on adult aims."""
    if kind == "25" and rng.random() < 0.3:
        learner["fams"] = {"HNS": ["1"], "EHC": ["1"]}
    elif kind in ("38", "35") and rng.random() < 0.4:
        aim = aims[0]
        aim["fams"].append({"LearnDelFAMType": "LSF", "LearnDelFAMCode": "1",
                            "LearnDelFAMDateFrom": aim["LearnStartDate"],
                            "LearnDelFAMDateTo": aim.get("LearnActEndDate") or aim["LearnPlanEndDate"]})


def _planned_hours(rng: random.Random, aims: list[dict]) -> int:
    """Planned guided hours this teaching year: a few dozen per short course, more for long ones."""
    return sum(rng.randrange(30, 180, 5) for _ in aims)


def _study_programme(rng: random.Random, learner: dict) -> None:
    """16-19 learners: GCSE grades, planned hours, and the conditions of funding that follow."""
    math = rng.choice(_GOOD_GRADES) if rng.random() < 0.7 else rng.choice(("2", "3"))
    eng = rng.choice(_GOOD_GRADES) if rng.random() < 0.75 else rng.choice(("2", "3"))
    learner.update(MathGrade=math, EngGrade=eng, PlanLearnHours=str(rng.randrange(450, 640, 10)),
                   PlanEEPHours=str(rng.choice((0, 0, 30, 60, 100))))
    fams: dict[str, list[str]] = learner.get("fams", {})
    # below a grade 4 pass the learner must keep studying the subject: EDF 1 maths, EDF 2 English
    edf = [code for code, grade in (("1", math), ("2", eng)) if grade in ("2", "3")]
    if edf:
        fams["EDF"] = edf
    if rng.random() < 0.2:
        fams["LSR"] = ["55"]
    if rng.random() < 0.25:
        fams["FME"] = ["2"]
    learner["fams"] = fams


def _employment(rng: random.Random, cal: Calendar, kind: str, dob: dt.date, first_start: dt.date, needs: Needs) -> list[dict]:
    """Employment statuses from before the first aim; some learners' status changes during the year."""
    sixteen = add_months(dob, 16 * 12)
    before = between(rng, max(sixteen, first_start - dt.timedelta(days=400)), first_start - dt.timedelta(days=1))
    if needs.employer:
        return [{"EmpStat": "10", "DateEmpStatApp": iso(before), "EmpId": emp_id(rng),
                 "esm": {"EII": "8", "LOE": rng.choice(("1", "2", "3", "4"))}}]
    if kind == "25":  # at school until the summer: not in paid work
        return [{"EmpStat": "12", "DateEmpStatApp": iso(before)}]
    if rng.random() < 0.55:
        statuses = [{"EmpStat": "10", "DateEmpStatApp": iso(before),
                     "esm": {"EII": rng.choice(("5", "6", "7", "8"))}}]
    else:
        statuses = [{"EmpStat": "11", "DateEmpStatApp": iso(before),
                     "esm": {"LOU": rng.choice(("1", "2", "3")), "BSI": "4"} if rng.random() < 0.5
                     else {"LOU": rng.choice(("1", "2", "3", "4", "5"))}}]
        if rng.random() < 0.3:  # found work after starting the course
            later = first_start + dt.timedelta(days=rng.randint(30, 120))
            if later < cal.as_of:
                statuses.append({"EmpStat": "10", "DateEmpStatApp": iso(later), "esm": {"EII": "8"}})
    return statuses
