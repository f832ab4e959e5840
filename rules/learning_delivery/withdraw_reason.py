"""Rules about the withdrawal reason (WithdrawReason) and when it may be used."""

from ilrkit.rules.columns import blank, filled, has_fam, number
from ilrkit.rules.registry import ERROR, rule

WITHDRAWN = 3
NOT_WITHDRAWN = (1, 2, 6)  # continuing, completed, break in learning
OLASS_WITHDRAWN, INDUSTRY_PLACEMENT_WITHDRAWN = 28, 48
INDUSTRY_PLACEMENT_AIM = "ZWRKX002"


@rule("WithdrawReason_03", severity=ERROR, entity="LearningDelivery", fields=("WithdrawReason", "CompStatus"),
      message="The learner is recorded as withdrawn (CompStatus 3) but the withdrawal reason is blank. Pick "
              "the reason the learner left from the dropdown (98 if it is not known).",
      when=number("CompStatus").isin(WITHDRAWN) & blank("WithdrawReason"))
def withdrawreason_03(aim):
    return True


@rule("WithdrawReason_04", severity=ERROR, entity="LearningDelivery", fields=("WithdrawReason", "CompStatus"),
      message="A withdrawal reason ({value}) is filled in but the completion status is {CompStatus}, not 3 "
              "(withdrawn). Clear the withdrawal reason, or set the completion status to 3 if the learner "
              "withdrew.",
      when=number("CompStatus").isin(*NOT_WITHDRAWN) & filled("WithdrawReason"))
def withdrawreason_04(aim):
    return True


@rule("WithdrawReason_05", severity=ERROR, entity="LearningDelivery", fields=("WithdrawReason",),
      message="Withdrawal reason 28 is only for OLASS (offenders in custody) aims, but this aim has no "
              "LDM 034 (OLASS) indicator. Choose a different withdrawal reason, or add the LDM 034 record if "
              "the aim is OLASS provision.",
      when=number("WithdrawReason").isin(OLASS_WITHDRAWN) & ~has_fam("LDM", "034"))
def withdrawreason_05(aim):
    return True


@rule("WithdrawReason_06", severity=ERROR, entity="LearningDelivery", fields=("WithdrawReason", "LearnAimRef"),
      message="Withdrawal reason 48 is only for industry placement aims (ZWRKX002), but this aim is "
              "{LearnAimRef}. Choose a different withdrawal reason.",
      when=number("WithdrawReason").isin(INDUSTRY_PLACEMENT_WITHDRAWN))
def withdrawreason_06(aim):
    return (aim["LearnAimRef"] or "").upper() != INDUSTRY_PLACEMENT_AIM
