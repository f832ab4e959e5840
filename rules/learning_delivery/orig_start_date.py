"""Rules about the original learning start date of a restarted aim (OrigLearnStartDate)."""

import datetime as dt

from ilrkit.rules.columns import date, filled, has_fam
from ilrkit.rules.registry import ERROR, rule

APPRENTICESHIP_FUNDING_FROM = dt.date(2017, 5, 1)  # FundModel 36 began on 1 May 2017


@rule("OrigLearnStartDate_01", severity=ERROR, entity="LearningDelivery",
      fields=("OrigLearnStartDate", "LearnStartDate"),
      message="The original learning start date {value} is more than 10 years before the learning start "
              "date {LearnStartDate}. Check the original start date; a wrong year is the usual cause.",
      when=date("OrigLearnStartDate").compare("<", "LearnStartDate", years=-10))
def origlearnstartdate_01(aim):
    return True


@rule("OrigLearnStartDate_02", severity=ERROR, entity="LearningDelivery",
      fields=("OrigLearnStartDate", "LearnStartDate"),
      message="The original learning start date {value} is not before the learning start date "
              "{LearnStartDate}. For a restarted aim the original start date is the earlier date the learner "
              "first began: correct one of the two dates.",
      when=date("OrigLearnStartDate").compare(">=", "LearnStartDate"))
def origlearnstartdate_02(aim):
    return True


@rule("OrigLearnStartDate_03", severity=ERROR, entity="LearningDelivery", fields=("OrigLearnStartDate",),
      fund_models=(25, 82, 10),
      message="An original learning start date ({value}) is filled in on a 16-19 or community learning aim "
              "(FundModel {FundModel}), where it is not used. Clear the original learning start date.",
      when=filled("OrigLearnStartDate"))
def origlearnstartdate_03(aim):
    return True


@rule("OrigLearnStartDate_04", severity=ERROR, entity="LearningDelivery", fields=("OrigLearnStartDate",),
      message="An original learning start date ({value}) is filled in but the aim has no restart (RES) "
              "indicator. Add the RES learning delivery FAM if the learner restarted this aim; otherwise "
              "clear the original start date.",
      when=filled("OrigLearnStartDate") & ~has_fam("RES"))
def origlearnstartdate_04(aim):
    return True


@rule("OrigLearnStartDate_09", severity=ERROR, entity="LearningDelivery", fields=("OrigLearnStartDate",),
      fund_models=(36,),
      message="The original learning start date {value} is before 1 May 2017, when apprenticeship funding "
              "(FundModel 36) began. Check the date; an apprenticeship first started before then cannot be "
              "recorded as a restart under FundModel 36.",
      when=date("OrigLearnStartDate").compare("<", APPRENTICESHIP_FUNDING_FROM))
def origlearnstartdate_09(aim):
    return True
