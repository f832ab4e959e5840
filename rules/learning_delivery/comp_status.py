"""Rules about an aim's completion status (CompStatus) and how it fits the end date and outcome."""

import datetime as dt

from ilrkit.rules.columns import blank, date, filled, number, text_in
from ilrkit.rules.registry import ERROR, WARNING, rule

CONTINUING, COMPLETED, WITHDRAWN, BREAK = 1, 2, 3, 6
ACH_DATE_ENDS_FROM = dt.date(2019, 8, 1)
BOOTCAMP_EVENT_AIMS = frozenset({"Z0059747", "Z0059748", "Z0059749"})


def _is_skills_bootcamp(aim) -> bool:
    return aim.fund_model == 37 and aim.prog_type == 32


def _is_standard(aim) -> bool:
    return aim.fund_model in (36, 99) and aim.prog_type == 25


@rule("CompStatus_02", severity=ERROR, entity="LearningDelivery", fields=("CompStatus",),
      message="The completion status is 1 (continuing) but an actual end date ({LearnActEndDate}) is recorded. "
              "If the learner has finished, withdrawn or is on a break, change the completion status; otherwise "
              "clear the actual end date.",
      when=number("CompStatus").isin(CONTINUING) & filled("LearnActEndDate"))
def comp_status_02(aim):
    return not (aim.aim_type == 1 and _is_standard(aim))


@rule("CompStatus_03", severity=ERROR, entity="LearningDelivery", fields=("CompStatus",),
      message="The completion status is {CompStatus} but there is no actual end date. Enter the date the "
              "learning ended, or set the completion status to 1 (continuing) if the learner is still learning.",
      when=blank("LearnActEndDate") & number("CompStatus").notin(None, CONTINUING))
def comp_status_03(aim):
    return True


@rule("CompStatus_04", severity=ERROR, entity="LearningDelivery", fields=("CompStatus",),
      message="The completion status is {CompStatus} but there is no outcome. Enter the outcome of the aim, or "
              "set the completion status to 1 (continuing) if the learner is still learning.",
      when=blank("Outcome") & number("CompStatus").notin(None, CONTINUING))
def comp_status_04(aim):
    return True


@rule("CompStatus_05", severity=ERROR, entity="LearningDelivery", fields=("Outcome",),
      message="The completion status is 1 (continuing) but an outcome ({Outcome}) is recorded. Clear the outcome "
              "while the learner is still learning, or correct the completion status.",
      when=number("CompStatus").isin(CONTINUING) & filled("Outcome"))
def comp_status_05(aim):
    return not (_is_standard(aim) or _is_skills_bootcamp(aim))


@rule("CompStatus_06", severity=ERROR, entity="LearningDelivery", fields=("Outcome",),
      message="The outcome is {Outcome} but the completion status is {CompStatus} (withdrawn or break in "
              "learning). A learner who withdrew or is on a break cannot have achieved or be awaiting a result: "
              "check the completion status and the outcome.",
      when=number("CompStatus").isin(WITHDRAWN, BREAK) & number("Outcome").isin(1, 8))
def comp_status_06(aim):
    return not _is_skills_bootcamp(aim)


@rule("CompStatus_07", severity=ERROR, entity="LearningDelivery", fields=("CompStatus",), fund_models=(36,),
      message="This apprenticeship standard programme aim has an achievement date ({AchDate}) but the completion "
              "status is {CompStatus}. Set the completion status to 2 (completed), or clear the achievement date.",
      when=number("AimType").isin(1) & number("ProgType").isin(25) & filled("AchDate")
      & date("LearnActEndDate").compare(">=", ACH_DATE_ENDS_FROM) & number("CompStatus").notin(COMPLETED))
def comp_status_07(aim):
    return True


@rule("CompStatus_08", severity=ERROR, entity="LearningDelivery", fields=("CompStatus",), fund_models=(37,),
      message="This Skills Bootcamp programme aim has an achievement date ({AchDate}) but the completion status "
              "is {CompStatus}. Set the completion status to 2 (completed), or clear the achievement date.",
      when=number("AimType").isin(1) & number("ProgType").isin(32) & filled("AchDate")
      & number("CompStatus").notin(COMPLETED))
def comp_status_08(aim):
    return True


@rule("CompStatus_09", severity=WARNING, entity="LearningDelivery", fields=("CompStatus",),
      message="The Skills Bootcamp event aim {LearnAimRef} has completion status {CompStatus}. An event is "
              "normally recorded once it has taken place, with completion status 2 (completed): check it.",
      when=text_in("LearnAimRef", *BOOTCAMP_EVENT_AIMS) & number("CompStatus").notin(COMPLETED))
def comp_status_09(aim):
    return True
