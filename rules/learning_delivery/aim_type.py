"""Rules about an aim's type (AimType) and its sequence number (AimSeqNumber)."""

import datetime as dt

from ilrkit.rules.columns import date, has_fam, number, where
from ilrkit.rules.registry import ERROR, Hit, rule

CORE_AIM = 5
SOF_105_CORE_AIM_FROM = dt.date(2017, 8, 1)


def _foundation_year_class(ref: str | None) -> bool:
    return ref is not None and ref.upper().startswith("ZTPR")


@rule("AimType_05", severity=ERROR, entity="LearningDelivery", fields=("AimType",),
      message="The aim type is 5 (core aim), which is only used for 16-19 funding (funding model 25 or 82), but "
              "this aim has funding model {FundModel}. Check the aim type and the funding model.",
      when=number("AimType").isin(CORE_AIM) & number("FundModel").notin(25, 82))
def aim_type_05(aim):
    return True


@rule("AimType_07", severity=ERROR, entity="LearningDelivery", fields=("AimType",),
      message="The aim type is 5 (core aim), but the aim's source of funding is 105 (adult funding). A core aim "
              "is for 16-19 study programmes: check the aim type and the source of funding.",
      when=(number("AimType").isin(CORE_AIM) & date("LearnStartDate").compare(">=", SOF_105_CORE_AIM_FROM)
      & number("ProgType").notin(24) & has_fam("SOF", "105")))
def aim_type_07(aim):
    return True


@rule("AimType_09", severity=ERROR, entity="LearningDelivery", fields=("AimType",),
      message="The learning aim {LearnAimRef} is a T Level Foundation Year class code, so it must be recorded as "
              "the core aim (aim type 5), not aim type {AimType}. Change the aim type to 5.",
      when=where("LearnAimRef", _foundation_year_class, "is a ZTPR class code") & number("AimType").notin(CORE_AIM))
def aim_type_09(aim):
    return True


@rule("AimSeqNumber_02", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("AimSeqNumber",),
      message="The aim sequence number {AimSeqNumber} is higher than the number of aims this learner has "
              "({aim_count}). Number the learner's aims 1, 2, 3 ... with no gaps.")
def aim_seq_number_02(learner):
    count = len(learner.aims)
    values = {"aim_count": count}
    return [Hit(record=a, values=values) for a in learner.aims
            if (n := a.int("AimSeqNumber")) is not None and n > count]
