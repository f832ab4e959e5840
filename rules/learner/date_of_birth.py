"""Rules about the learner's date of birth: when it must be given, and minimum ages for the funding.

Each rule reports once per learner, on the date of birth, naming the first aim that triggers it.
"""

from ilrkit.rules.columns import blank, filled, text_in
from ilrkit.rules.learner._common import TEMPORARY_ULN, is_olass, teaching_year_end
from ilrkit.rules.registry import ERROR, WARNING, Hit, rule

FUNDED_NEEDS_DOB = frozenset({25, 82, 35, 36, 37, 38, 81})
LOCAL_OR_NON_FUNDED = frozenset({10, 99, 11})
ADULT_FUNDING = frozenset({37, 38})


def _missing_dob(learner, aim_applies):
    """The first aim that needs a date of birth, when the learner has none."""
    if learner["DateOfBirth"] is not None:
        return None
    for aim in learner.aims:
        if aim_applies(aim):
            return Hit(record=learner, field="DateOfBirth",
                       values={"AimSeqNumber": aim["AimSeqNumber"], "FundModel": aim["FundModel"]})
    return None


def _too_young(learner, aim_applies, age_of, minimum):
    """The first applying aim for which the learner's age (``age_of(aim)``) is below ``minimum``."""
    if learner.dob is None:
        return None
    for aim in learner.aims:
        if aim_applies(aim):
            age = age_of(aim)
            if age is not None and age < minimum:
                return Hit(record=learner, field="DateOfBirth",
                           values={"age": age, "AimSeqNumber": aim["AimSeqNumber"], "FundModel": aim["FundModel"],
                                   "LearnStartDate": aim["LearnStartDate"]})
    return None


@rule("DateOfBirth_01", severity=ERROR, entity="Learner", fields=("DateOfBirth",),
      message="The date of birth is missing. It must be given for a learner on funded provision (aim "
              "{AimSeqNumber}, funding model {FundModel}). Add the date of birth from the enrolment form.",
      when=blank("DateOfBirth"))
def date_of_birth_01(learner):
    return _missing_dob(learner, lambda a: a.fund_model in FUNDED_NEEDS_DOB and not is_olass(a))


@rule("DateOfBirth_02", severity=WARNING, entity="Learner", fields=("DateOfBirth",),
      message="The date of birth is missing (aim {AimSeqNumber}, funding model {FundModel}). It should be given "
              "for community learning, tailored learning and non-funded learners too: add it if you have it.",
      when=blank("DateOfBirth"))
def date_of_birth_02(learner):
    return _missing_dob(learner, lambda a: a.fund_model in LOCAL_OR_NON_FUNDED and not a.has_fam("ADL"))


@rule("DateOfBirth_23", severity=ERROR, entity="Learner", fields=("DateOfBirth",),
      message="The date of birth is missing, but aim {AimSeqNumber} is financed by an Advanced Learner Loan, "
              "which needs it. Add the date of birth from the enrolment form.",
      when=blank("DateOfBirth"))
def date_of_birth_23(learner):
    return _missing_dob(learner, lambda a: a.fund_model == 99 and a.has_fam("ADL") and not is_olass(a))


@rule("DateOfBirth_24", severity=ERROR, entity="Learner", fields=("DateOfBirth",),
      message="The date of birth is missing although the learner has a ULN ({ULN}). Add the date of birth; "
              "every learner with a real ULN must have one.",
      when=blank("DateOfBirth") & filled("ULN") & ~text_in("ULN", TEMPORARY_ULN))
def date_of_birth_24(learner):
    return True


@rule("DateOfBirth_05", severity=WARNING, entity="Learner", fields=("DateOfBirth",),
      message="The learner was {age} when aim {AimSeqNumber} started on {LearnStartDate}; community learning "
              "and non-funded learners should be at least 4. Check the date of birth {DateOfBirth}.")
def date_of_birth_05(learner):
    return _too_young(learner, lambda a: a.fund_model in (10, 99), lambda a: a.age_at_start, 4)


@rule("DateOfBirth_06", severity=WARNING, entity="Learner", fields=("DateOfBirth",),
      message="The learner was {age} on 31 August at the start of this teaching year, but learners on 16-19 "
              "funding (aim {AimSeqNumber}) should be at least 13 then. Check the date of birth {DateOfBirth}.")
def date_of_birth_06(learner):
    return _too_young(learner, lambda a: a.fund_model in (25, 82), lambda a: learner.age_on_31_august, 13)


@rule("DateOfBirth_13", severity=WARNING, entity="Learner", fields=("DateOfBirth",),
      message="The learner will be only {age} on 31 July at the end of this teaching year, but aim "
              "{AimSeqNumber} is funded by the Office for Students, whose learners should be 16 or over. "
              "Check the date of birth {DateOfBirth} and the source of funding.")
def date_of_birth_13(learner):
    end = teaching_year_end(learner)
    return _too_young(learner, lambda a: a.fund_model == 99 and a.has_fam("SOF", "1"),
                      lambda a: learner.age_on(end), 16)


@rule("DateOfBirth_14", severity=WARNING, entity="Learner", fields=("DateOfBirth",),
      message="The learner was {age} when aim {AimSeqNumber} started on {LearnStartDate}, but it is recorded "
              "as learning for an offender in custody (LDM 034), who should be 18 or over. Check the date of "
              "birth {DateOfBirth} and the LDM code.")
def date_of_birth_14(learner):
    return _too_young(learner, lambda a: a.fund_model in (35, 81) and is_olass(a), lambda a: a.age_at_start, 18)


@rule("DateOfBirth_25", severity=ERROR, entity="Learner", fields=("DateOfBirth",),
      message="The learner was {age} on 31 August at the start of this teaching year, but aim {AimSeqNumber} "
              "(funding model {FundModel}) is adult funding, which needs the learner to be 19 or over then. "
              "Check the date of birth {DateOfBirth} and the funding model.")
def date_of_birth_25(learner):
    def applies(aim):
        adult = (aim.fund_model == 35 and not aim.is_apprenticeship) or aim.fund_model in ADULT_FUNDING
        return adult and not is_olass(aim)

    return _too_young(learner, applies, lambda a: learner.age_on_31_august, 19)


@rule("DateOfBirth_26", severity=ERROR, entity="Learner", fields=("DateOfBirth",),
      message="The learner was {age} when aim {AimSeqNumber} started on {LearnStartDate}, but it is financed "
              "by an Advanced Learner Loan, which needs the learner to be 19 or over at the start. Check the "
              "date of birth {DateOfBirth} and the loan record (ADL).")
def date_of_birth_26(learner):
    return _too_young(learner, lambda a: a.fund_model == 99 and a.has_fam("ADL"), lambda a: a.age_at_start, 19)


@rule("DateOfBirth_12", severity=ERROR, entity="LearningDeliveryFAM", scope="aim", fund_models=(10,),
      last_year="2025-26",  # ASL and FundModel 10 close in 2026-27
      fields=("LearnDelFAMCode",),
      message="Aim {AimSeqNumber} is community learning coded as {LearnDelFAMType} {LearnDelFAMCode} "
              "(personal and community development or neighbourhood learning), but the learner was only {age} "
              "at the start. These codes are for learners aged 19 or over: check the date of birth or the "
              "ASL code.")
def date_of_birth_12(aim):
    age = aim.age_at_start
    if age is None or age >= 19:
        return None
    return [Hit(record=f, field="LearnDelFAMCode", entity="LearningDeliveryFAM", values={"age": age})
            for f in aim.fams_of("ASL") if f.get("LearnDelFAMCode") in ("1", "2")]
