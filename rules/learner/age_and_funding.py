"""Rules that tie the learner's age on 31 August to 16-19 funding, EHC plans and high needs.

"Age on 31 August" is the age on 31 August at the start of the current teaching year.
"""

from ilrkit.rules.columns import has_fam
from ilrkit.rules.learner._common import fam_hit_values, is_olass, learner_fams_of
from ilrkit.rules.registry import ERROR, Hit, rule

SOF_16_19 = "107"


def _sof_hits(aim, wrong, values=None):
    """The aim's source-of-funding rows whose code ``wrong(code)`` says is not allowed."""
    extra = {**fam_hit_values(aim), **(values or {})}
    return [Hit(record=f, field="LearnDelFAMCode", entity="LearningDeliveryFAM", values=extra)
            for f in aim.fams_of("SOF") if wrong(f.get("LearnDelFAMCode"))]


@rule("DateOfBirth_07", severity=ERROR, entity="LearningDeliveryFAM", scope="aim", fund_models=(25, 82),
      fields=("LearnDelFAMCode",),
      message="Aim {AimSeqNumber} has source of funding 107 (16-19 funding), but the learner was {age} on 31 "
              "August at the start of this teaching year; learners aged 25 or over cannot have 16-19 funding. "
              "Check the date of birth and the source of funding.")
def date_of_birth_07(aim):
    age = aim.learner.age_on_31_august
    if age is None or age < 25:
        return None
    return _sof_hits(aim, lambda code: code == SOF_16_19, {"age": age})


@rule("DateOfBirth_20", severity=ERROR, entity="LearningDeliveryFAM", scope="aim", fund_models=(25, 82),
      fields=("LearnDelFAMCode",),
      message="Aim {AimSeqNumber} is 16-19 funded and the learner was {age} on 31 August at the start of this "
              "teaching year, so its source of funding must be 107 (16-19 funding), not {LearnDelFAMCode}. "
              "Change the source of funding, or check the date of birth.")
def date_of_birth_20(aim):
    age = aim.learner.age_on_31_august
    if age is None or age >= 19:
        return None
    return _sof_hits(aim, lambda code: code != SOF_16_19, {"age": age})


@rule("DateOfBirth_30", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fund_models=(25, 82, 35, 38, 81), fields=("LearnDelFAMCode",),
      message="The learner has an education, health and care plan (EHC) and was {age} on 31 August at the start "
              "of this teaching year, so aim {AimSeqNumber} must be 16-19 funded (source of funding 107), not "
              "{LearnDelFAMCode}. Change the source of funding, or check the EHC record and date of birth.")
def date_of_birth_30(aim):
    learner = aim.learner
    age = learner.age_on_31_august
    if age is None or not 19 <= age <= 24 or not learner.has_fam("EHC"):
        return None
    if is_olass(aim) or aim.is_apprenticeship:
        return None
    return _sof_hits(aim, lambda code: code != SOF_16_19, {"age": age})


@rule("DateOfBirth_34", severity=ERROR, entity="LearnerFAM", scope="learner", fields=("LearnFAMType",),
      message="The learner is recorded as a high needs student (HNS) on 16-19 funding and was {age} on 31 "
              "August at the start of this teaching year, but has no education, health and care plan (EHC) "
              "record. Learners aged 19 to 24 need an EHC plan for this: add the EHC record, or check the HNS "
              "record and date of birth.",
      when=has_fam("HNS") & ~has_fam("EHC"))
def date_of_birth_34(learner):
    age = learner.age_on_31_august
    if age is None or not 19 <= age <= 24 or learner.has_fam("EHC"):
        return None
    hns = learner_fams_of(learner, "HNS")
    if not hns or not any(a.fund_model == 25 for a in learner.aims):
        return None
    return Hit(record=hns[0], field="LearnFAMType", entity="LearnerFAM", values={"age": age})
