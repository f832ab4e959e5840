"""Adult skills aims and the aim's LARS categories (LARS_LearningDeliveryCategory): licence to practise aims for
offenders and learners on other state benefits, and exceptional devolved Skills Bootcamp aims."""

from ilrkit.rules import lars
from ilrkit.rules.learning_delivery.lars_common import AUG_2015, AUG_2016, NEEDS
from ilrkit.rules.registry import ERROR, rule

FIELDS = ("LearnAimRef",)
LICENCE_TO_PRACTISE = 20
SECURITY_LICENCE_TO_PRACTISE = 22
EXCEPTIONAL_DEVOLVED_BOOTCAMPS = 67
OTHER_STATE_BENEFITS = 3  # ESMType BSI code


@rule("LearnAimRef_56", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS, fund_models=(35, 81),
      message="The aim {LearnAimRef} is a security licence to practise aim (LARS category 22), which adult skills "
              "funding does not pay for offender learners (LDM 034 or 328). Check the aim reference, the learning "
              "delivery monitoring or the funding model.")
def learn_aim_ref_56(aim):
    return (aim.start is not None and aim.start >= AUG_2015
            and (aim.has_fam("LDM", "034") or aim.has_fam("LDM", "328"))
            and lars.has_category(aim, SECURITY_LICENCE_TO_PRACTISE))


@rule("LearnAimRef_81", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS, fund_models=(35, 81),
      message="The aim {LearnAimRef} is a licence to practise aim (LARS category 20), which adult skills funding does "
              "not pay for a learner on other state benefits (BSI 3) at the start of the aim. Check the aim "
              "reference, the learner's employment status monitoring at {LearnStartDate}, or the funding model.")
def learn_aim_ref_81(aim):
    if aim.start is None or aim.start < AUG_2016:
        return False
    status = aim.employment_at_start
    if status is None or OTHER_STATE_BENEFITS not in status.esm_codes("BSI"):
        return False
    return lars.has_category(aim, LICENCE_TO_PRACTISE)


@rule("LearnAimRef_153", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS, fund_models=(35,),
      message="The aim {LearnAimRef} is an exceptional devolved Skills Bootcamp aim (LARS category 67), which cannot "
              "be funded through adult skills (funding model 35). Remove the aim from the return, or correct the aim "
              "reference or funding model.")
def learn_aim_ref_153(aim):
    return lars.has_category(aim, EXCEPTIONAL_DEVOLVED_BOOTCAMPS)
