"""Learning aims for each funding model, with dates, completion and the FAMs/records each model needs.

Each ``*_aims`` function returns the aims of one learner (in the compact form ``ilrkit.rules.testing.build``
reads) and what the learner record must carry because of them (grades, planned hours, employer ...).
Aim references look like LARS references (8 characters); the generator never needs LARS itself.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from ilrkit.generate.dates import Calendar, add_months, between, iso
from ilrkit.generate.identifiers import emp_id, student_support_number, sw_sup_aim_id

PROGRAMME_AIM = "ZPROG001"
# qualification-like references by use (8 characters, as in LARS)
STUDY_CORE = ("60149735", "60311046", "60146242", "60301441", "60318012", "60302432")
WORK_EXPERIENCE = "ZWRKX001"
STUDY_OTHER = ("60061390", "60189463", "60308105", "60143215", "60178221", WORK_EXPERIENCE)
GCSE_RESIT = ("60038052", "60037655")  # English, maths
ADULT_AIMS = ("60145353", "40010089", "60068802", "60302652", "60310818", "60175862", "60306335", "60123456")
COMPONENTS = ("60347357", "60347369", "60323456", "60355171")  # maths, English, knowledge qualifications
ENGLISH_MATHS_COMPONENTS = COMPONENTS[:2]  # the components that carry the contract type (ACT)
BOOTCAMP_AIMS = ("60347540", "60347552", "60347564")
HE_AIMS = ("60304211", "60301211", "60327489", "60137220")
STANDARDS = (("28", 550), ("91", 420), ("18", 480), ("127", 560), ("275", 620), ("2", 300), ("301", 680))
EPA_ORGS = ("EPA0175", "EPA0021", "EPA0304", "EPA0112")
WITHDRAW_REASONS = ("2", "3", "29", "43", "44")


@dataclass
class Needs:
    """What a learner's record must hold because of the aims they are on."""

    employer: bool = False  # employed by an employer with an id (apprentices)
    study_programme: bool = False  # 16-19: grades and planned hours
    he: bool = False  # LearnerHE data
    ucas: bool = False  # applied through UCAS (a UCAS personal id and scheme codes)
    full_time_he: bool = False


@dataclass
class Site:
    """Where the provider teaches: the delivery postcodes its aims use."""

    postcodes: tuple[str, ...]

    def pick(self, rng: random.Random) -> str:
        return rng.choice(self.postcodes)


def _base(rng: random.Random, ref: str, aim_type: int, fund_model: int, start: dt.date, plan_end: dt.date,
          site: Site, fams: list[dict]) -> dict:
    return {"LearnAimRef": ref, "AimType": str(aim_type), "LearnStartDate": iso(start),
            "LearnPlanEndDate": iso(plan_end), "FundModel": str(fund_model), "DelLocPostCode": site.pick(rng),
            "CompStatus": "1", "SWSupAimId": sw_sup_aim_id(rng), "fams": fams}


def _finish(rng: random.Random, aim: dict, cal: Calendar, *, withdraw_share: float = 0.1,
            achieved_share: float = 0.85, ach_gap: tuple[int, int] | None = None, gateway: bool = False,
            end: dt.date | None = None) -> dict:
    """Set completion, end date and outcome as of the return date.

    ``ach_gap`` (days after the end) gives achieved programme aims an achievement date, and such an aim
    is only finished once that date can have passed. With ``gateway`` (apprenticeships) learning ends
    before the planned end date, at least a year after the start, and the end-point assessment that
    gives the achievement date falls by the planned end.
    """
    start = dt.date.fromisoformat(aim["LearnStartDate"])
    planned = dt.date.fromisoformat(aim["LearnPlanEndDate"])
    if end is None and rng.random() < withdraw_share and cal.as_of > start + dt.timedelta(days=50):
        last = min(planned, cal.as_of)
        left = between(rng, start + dt.timedelta(days=43), last)
        aim.update(CompStatus="3", LearnActEndDate=iso(left), WithdrawReason=rng.choice(WITHDRAW_REASONS),
                   Outcome="3")
        return aim
    finished = end if end is not None else planned
    if ach_gap is not None:
        if gateway:
            finished = max(start + dt.timedelta(days=366), finished - dt.timedelta(days=ach_gap[1]))
        if not cal.ended(finished + dt.timedelta(days=ach_gap[0])):
            return aim  # still learning, or waiting for the assessment
    elif not cal.ended(finished):
        return aim  # continuing
    finished = max(start, min(finished, cal.as_of))
    achieved = ach_gap is not None or rng.random() < achieved_share
    aim.update(CompStatus="2", LearnActEndDate=iso(finished), Outcome="1" if achieved else "3")
    if ach_gap is not None:
        low, high = ach_gap
        achieved_on = min(cal.as_of, finished + dt.timedelta(days=rng.randint(low, high)))
        aim["AchDate"] = iso(min(achieved_on, planned) if gateway else achieved_on)
    return aim


def study_programme_aims(rng: random.Random, cal: Calendar, site: Site, needs: Needs) -> list[dict]:
    """16-19 study programme (FM25): a core aim, often GCSE resits and another qualification."""
    second_year = rng.random() < 0.35
    year = cal.year_start.year - (1 if second_year else 0)
    start = dt.date(year, 9, rng.randint(1, 12))
    plan_end = dt.date(year + (2 if rng.random() < 0.5 or second_year else 1), 6, rng.randint(20, 30))
    sof = [{"LearnDelFAMType": "SOF", "LearnDelFAMCode": "107"}]
    aims = [_base(rng, rng.choice(STUDY_CORE), 5, 25, start, plan_end, site, list(sof))]
    for ref in rng.sample(STUDY_OTHER, rng.choice((1, 2, 2, 3))):  # qualifications alongside the core
        aims.append(_base(rng, ref, 4, 25, start, plan_end, site, list(sof)))
    for ref in rng.sample(GCSE_RESIT, rng.choice((0, 0, 1, 2))):
        aims.append(_base(rng, ref, 4, 25, start, dt.date(start.year + 1, 6, 15), site, list(sof)))
    for aim in aims:
        _finish(rng, aim, cal, withdraw_share=0.06)
        if aim["LearnAimRef"] == WORK_EXPERIENCE:
            _work_placement(rng, aim, cal)
    needs.study_programme = True
    return aims


def _work_placement(rng: random.Random, aim: dict, cal: Calendar) -> None:
    """A week or two with an employer (external, with the employer's id) or in the college's own setting,
    within the aim's dates."""
    first = dt.date.fromisoformat(aim["LearnStartDate"])
    last = min(cal.as_of, dt.date.fromisoformat(aim.get("LearnActEndDate") or aim["LearnPlanEndDate"]))
    start = between(rng, first + dt.timedelta(days=min(14, (last - first).days)),
                    max(first, last - dt.timedelta(days=12)))
    placement = {"WorkPlaceStartDate": iso(start), "WorkPlaceHours": str(rng.choice((30, 35, 60, 70))),
                 "WorkPlaceMode": "2" if rng.random() < 0.8 else "1"}
    if placement["WorkPlaceMode"] == "2":
        placement["WorkPlaceEmpId"] = emp_id(rng)
    end = min(last, start + dt.timedelta(days=rng.choice((4, 11))))
    if cal.ended(end):
        placement["WorkPlaceEndDate"] = iso(end)
    aim["work_placements"] = [placement]


def adult_continuing_aims(rng: random.Random, cal: Calendar, site: Site, needs: Needs) -> list[dict]:
    """Adult skills (FM35): courses started before August 2024 and still running into this year."""
    aims = []
    for _ in range(rng.choice((1, 2, 3, 3))):
        start = between(rng, dt.date(2023, 9, 1), dt.date(2024, 7, 15))
        plan_end = between(rng, max(cal.year_start + dt.timedelta(days=20), start + dt.timedelta(days=400)),
                           dt.date(2026, 12, 18))
        fams = [{"LearnDelFAMType": "SOF", "LearnDelFAMCode": "105"},
                {"LearnDelFAMType": "FFI", "LearnDelFAMCode": rng.choice("11112")}]
        aims.append(_finish(rng, _base(rng, rng.choice(ADULT_AIMS), 4, 35, start, plan_end, site, fams), cal))
    return aims


def adult_skills_fund_aims(rng: random.Random, cal: Calendar, site: Site, needs: Needs) -> list[dict]:
    """Adult Skills Fund (FM38): short and medium courses started this year, some devolved."""
    devolved = rng.random() < 0.3
    sof = rng.choice(("110", "112", "116", "119")) if devolved else "105"
    aims = []
    for _ in range(rng.choice((1, 2, 3, 3, 4, 4))):
        start = cal.start_in_year(rng)
        plan_end = add_months(start, rng.randint(2, 10))
        fams = [{"LearnDelFAMType": "SOF", "LearnDelFAMCode": sof},
                {"LearnDelFAMType": "FFI", "LearnDelFAMCode": rng.choice("11112")}]
        aims.append(_finish(rng, _base(rng, rng.choice(ADULT_AIMS), 4, 38, start, plan_end, site, fams), cal))
    return aims


def apprenticeship_aims(rng: random.Random, cal: Calendar, site: Site, needs: Needs) -> list[dict]:
    """Apprenticeship standard (FM36): the programme aim with its price and contract type, plus components.

    Since April 2021 every new apprenticeship is contracted through the apprenticeship service (ACT 1);
    employers that pay no levy co-invest 5%, recorded as a payment (PMR) when it is received.
    """
    std, hours = rng.choice(STANDARDS)
    start = between(rng, dt.date(2024, 3, 1), cal.as_of - dt.timedelta(days=45))
    plan_end = add_months(start, rng.randint(13, 30))
    act = {"LearnDelFAMType": "ACT", "LearnDelFAMCode": "1", "LearnDelFAMDateFrom": iso(start)}
    common = {"ProgType": "25", "StdCode": std}
    prog = _base(rng, PROGRAMME_AIM, 1, 36, start, plan_end, site,
                 [{"LearnDelFAMType": "SOF", "LearnDelFAMCode": "105"}, dict(act)])
    planned_hours = hours + rng.randint(0, 80)
    prog.update(common, PHours=str(planned_hours), EPAOrgID=rng.choice(EPA_ORGS))
    training = rng.randrange(5000, 18000, 250)
    assessment = rng.randrange(500, 2500, 50)
    prog["financial"] = [
        {"AFinType": "TNP", "AFinCode": "1", "AFinDate": iso(start), "AFinAmount": str(training)},
        {"AFinType": "TNP", "AFinCode": "2", "AFinDate": iso(start), "AFinAmount": str(assessment)},
    ]
    if rng.random() < 0.4:  # a non-levy employer's 5% co-investment, recorded when paid
        paid = min(cal.as_of, start + dt.timedelta(days=rng.randint(20, 90)))
        prog["financial"].append({"AFinType": "PMR", "AFinCode": "1", "AFinDate": iso(paid),
                                  "AFinAmount": str(round((training + assessment) * 0.05))})
    _finish(rng, prog, cal, withdraw_share=0.08, ach_gap=(7, 75), gateway=True)
    if prog.get("LearnActEndDate"):
        done = planned_hours if prog["CompStatus"] == "2" else rng.randint(0, planned_hours // 2)
        prog["OTJActHours"] = str(done)
    aims = [prog]
    for ref in rng.sample(COMPONENTS, rng.choice((1, 2, 3, 3))):
        comp_end = min(plan_end, add_months(start, rng.randint(6, 12)))
        comp = _base(rng, ref, 3, 36, start, comp_end, site, [{"LearnDelFAMType": "SOF", "LearnDelFAMCode": "105"}]
                     + ([dict(act)] if ref in ENGLISH_MATHS_COMPONENTS else []))
        comp.update(common)
        aims.append(comp)
    _close_components(rng, prog, aims[1:], cal)
    _close_act(aims)
    needs.employer = True
    return aims


def _close_components(rng: random.Random, prog: dict, components: list[dict], cal: Calendar) -> None:
    """Components end no later than their programme; leaving the programme ends any still running."""
    prog_end = dt.date.fromisoformat(prog["LearnActEndDate"]) if prog.get("LearnActEndDate") else None
    for comp in components:
        planned = dt.date.fromisoformat(comp["LearnPlanEndDate"])
        if prog.get("CompStatus") == "3" and planned >= prog_end:
            comp.update(CompStatus="3", LearnActEndDate=prog["LearnActEndDate"],
                        WithdrawReason=prog["WithdrawReason"], Outcome="3")
            continue
        end = planned if cal.ended(planned) else None
        if prog_end is not None:
            end = min(end or prog_end, prog_end)
        _finish(rng, comp, cal, withdraw_share=0.0, end=end)


def _close_act(aims: list[dict]) -> None:
    """The last contract type period ends on the achievement date, or else on the actual end date."""
    for aim in aims:
        until = aim.get("AchDate") or aim.get("LearnActEndDate")
        if until:
            for fam in aim["fams"]:
                if fam["LearnDelFAMType"] == "ACT":
                    fam["LearnDelFAMDateTo"] = until


def bootcamp_aims(rng: random.Random, cal: Calendar, site: Site, needs: Needs) -> list[dict]:
    """Skills Bootcamp (FM37): a programme aim and its component, 8 to 16 weeks."""
    start = cal.start_in_year(rng)
    plan_end = start + dt.timedelta(weeks=rng.randint(8, 16))
    sof = [{"LearnDelFAMType": "SOF", "LearnDelFAMCode": "105"}]
    prog = _base(rng, PROGRAMME_AIM, 1, 37, start, plan_end, site, list(sof))
    comp = _base(rng, rng.choice(BOOTCAMP_AIMS), 3, 37, start, plan_end, site, list(sof))
    for aim in (prog, comp):
        aim["ProgType"] = "32"
        aim["fams"].append({"LearnDelFAMType": "FFI", "LearnDelFAMCode": "1"})
    _finish(rng, prog, cal, withdraw_share=0.1, ach_gap=(0, 30))
    _close_components(rng, prog, [comp], cal)
    return [prog, comp]


def other_adult_aims(rng: random.Random, cal: Calendar, site: Site, needs: Needs) -> list[dict]:
    """Other adult funding (FM81)."""
    aims = []
    for _ in range(rng.choice((1, 2, 2))):
        start = cal.start_in_year(rng)
        plan_end = add_months(start, rng.randint(3, 9))
        # other adult provision is identified by its learning delivery monitoring code
        fams = [{"LearnDelFAMType": "SOF", "LearnDelFAMCode": "105"},
                {"LearnDelFAMType": "LDM", "LearnDelFAMCode": "347"}]
        aims.append(_finish(rng, _base(rng, rng.choice(ADULT_AIMS), 4, 81, start, plan_end, site, fams), cal))
    return aims


def non_funded_aims(rng: random.Random, cal: Calendar, site: Site, needs: Needs) -> list[dict]:
    """Not funded by the agency (FM99): full-cost courses, some paid for with an Advanced Learner Loan."""
    aims = []
    for _ in range(rng.choice((1, 2, 3, 3))):
        start = cal.start_in_year(rng)
        plan_end = add_months(start, rng.randint(3, 10))
        fams = [{"LearnDelFAMType": "ADL", "LearnDelFAMCode": "1"}] if rng.random() < 0.4 else []
        aims.append(_finish(rng, _base(rng, rng.choice(ADULT_AIMS), 4, 99, start, plan_end, site, fams), cal))
    return aims


def he_aims(rng: random.Random, cal: Calendar, site: Site, needs: Needs) -> list[dict]:
    """Higher education in a college (FM99, Office for Students funded), with the HE data fields."""
    full_time = rng.random() < 0.6
    first_year = rng.random() < 0.6
    start = dt.date(cal.year_start.year - (0 if first_year else 1), 9, rng.randint(15, 28))
    plan_end = dt.date(start.year + 2, 6, 30)
    fams = [{"LearnDelFAMType": "SOF", "LearnDelFAMCode": "1"}]
    aim = _base(rng, rng.choice(HE_AIMS), 4, 99, start, plan_end, site, fams)
    fee = rng.choice((6165, 7500, 8250, 9250))
    he = {"QUALENT3": rng.choice(("P50", "P80", "P41", "C20")), "TYPEYR": "1",
          "MODESTUD": "1" if full_time else "3", "FUNDLEV": "10", "FUNDCOMP": "3",
          "STULOAD": "100" if full_time else rng.choice(("50", "60", "75")), "YEARSTU": "1" if first_year else "2",
          "SPECFEE": "0", "ELQ": "3", "PERMADDCOUNTRY": "XF", "NETFEE": str(fee), "GROSSFEE": str(fee)}
    if rng.random() < 0.85:  # a student loan, from the Student Loans Company (10; LEA awards, 2, ended in 2024)
        he.update(MSTUFEE="10", SSN=student_support_number(rng))
    else:
        he["MSTUFEE"] = "1"  # paying their own fees
    if needs.ucas:  # UCAS passes on the applicant's background
        he.update(UCASSCHEMECODE=f"{rng.choice('ABCDEFGH')}{rng.choice('ABCDEFGH')}{rng.randint(10, 99)}",
                  SEC=rng.choice("12345679"), SOC=rng.choice(("2136", "3545", "4159", "6145", "7111", "9233")))
    aim["he"] = he
    _finish(rng, aim, cal, withdraw_share=0.05)
    needs.he = True
    needs.full_time_he = needs.full_time_he or full_time
    return [aim]


BUILDERS = {"25": study_programme_aims, "35": adult_continuing_aims, "36": apprenticeship_aims,
            "37": bootcamp_aims, "38": adult_skills_fund_aims, "81": other_adult_aims, "99": non_funded_aims,
            "HE": he_aims}
# the share of learners on each kind of provision in a typical mixed provider
MIX = (("25", 0.24), ("35", 0.06), ("36", 0.24), ("37", 0.06), ("38", 0.22), ("81", 0.05), ("99", 0.06),
       ("HE", 0.07))
# the age range of learners on each kind of provision, on 31 August before their first start
AGES = {"25": (16, 17), "35": (20, 59), "36": (16, 45), "37": (19, 55), "38": (19, 66), "81": (19, 60),
        "99": (19, 60), "HE": (18, 40)}
