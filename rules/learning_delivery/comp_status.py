"""Rules about an aim's completion status (CompStatus) and how it fits the end date and outcome."""

import datetime as dt

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
              "clear the actual end date.")
def comp_status_02(aim):
    if aim.comp_status != CONTINUING or aim["LearnActEndDate"] is None:
        return False
    return not (aim.aim_type == 1 and _is_standard(aim))


@rule("CompStatus_03", severity=ERROR, entity="LearningDelivery", fields=("CompStatus",),
      message="The completion status is {CompStatus} but there is no actual end date. Enter the date the "
              "learning ended, or set the completion status to 1 (continuing) if the learner is still learning.")
def comp_status_03(aim):
    return aim["LearnActEndDate"] is None and aim.comp_status is not None and aim.comp_status != CONTINUING


@rule("CompStatus_04", severity=ERROR, entity="LearningDelivery", fields=("CompStatus",),
      message="The completion status is {CompStatus} but there is no outcome. Enter the outcome of the aim, or "
              "set the completion status to 1 (continuing) if the learner is still learning.")
def comp_status_04(aim):
    return aim["Outcome"] is None and aim.comp_status is not None and aim.comp_status != CONTINUING


@rule("CompStatus_05", severity=ERROR, entity="LearningDelivery", fields=("Outcome",),
      message="The completion status is 1 (continuing) but an outcome ({Outcome}) is recorded. Clear the outcome "
              "while the learner is still learning, or correct the completion status.")
def comp_status_05(aim):
    if aim.comp_status != CONTINUING or aim["Outcome"] is None:
        return False
    return not (_is_standard(aim) or _is_skills_bootcamp(aim))


@rule("CompStatus_06", severity=ERROR, entity="LearningDelivery", fields=("Outcome",),
      message="The outcome is {Outcome} but the completion status is {CompStatus} (withdrawn or break in "
              "learning). A learner who withdrew or is on a break cannot have achieved or be awaiting a result: "
              "check the completion status and the outcome.")
def comp_status_06(aim):
    return (aim.comp_status in (WITHDRAWN, BREAK) and aim.outcome in (1, 8) and not _is_skills_bootcamp(aim))


@rule("CompStatus_07", severity=ERROR, entity="LearningDelivery", fields=("CompStatus",), fund_models=(36,),
      message="This apprenticeship standard programme aim has an achievement date ({AchDate}) but the completion "
              "status is {CompStatus}. Set the completion status to 2 (completed), or clear the achievement date.")
def comp_status_07(aim):
    return (aim.aim_type == 1 and aim.prog_type == 25 and aim["AchDate"] is not None
            and aim.act_end is not None and aim.act_end >= ACH_DATE_ENDS_FROM and aim.comp_status != COMPLETED)


@rule("CompStatus_08", severity=ERROR, entity="LearningDelivery", fields=("CompStatus",), fund_models=(37,),
      message="This Skills Bootcamp programme aim has an achievement date ({AchDate}) but the completion status "
              "is {CompStatus}. Set the completion status to 2 (completed), or clear the achievement date.")
def comp_status_08(aim):
    return (aim.aim_type == 1 and aim.prog_type == 32 and aim["AchDate"] is not None
            and aim.comp_status != COMPLETED)


@rule("CompStatus_09", severity=WARNING, entity="LearningDelivery", fields=("CompStatus",),
      message="The Skills Bootcamp event aim {LearnAimRef} has completion status {CompStatus}. An event is "
              "normally recorded once it has taken place, with completion status 2 (completed): check it.")
def comp_status_09(aim):
    return aim["LearnAimRef"] in BOOTCAMP_EVENT_AIMS and aim.comp_status != COMPLETED
