"""The learner's prior attainment records (level and the date it applies from)."""

from collections import defaultdict

from ilrkit.rules.columns import children
from ilrkit.rules.registry import ERROR, Hit, rule

NO_PRIOR_ATTAINMENT_NEEDED = frozenset({10, 99, 25, 82, 11})
LEVEL_4_AND_ABOVE = frozenset({"7", "8", "9", "10"})
FRAMEWORK_APPRENTICESHIPS = frozenset({2, 3, 20})


@rule("PriorAttain_01", severity=ERROR, entity="Learner", fields=("LearnRefNumber",),
      message="The learner has no prior attainment record, but aim {AimSeqNumber} (funding model {FundModel}) "
              "needs one. Add a prior attainment record with the learner's highest qualification level and the "
              "date it applies from.")
def prior_attain_01(learner):
    if any(p.get("PriorLevel") is not None for p in learner.prior):
        return None
    for aim in learner.aims:
        if aim.fund_model not in NO_PRIOR_ATTAINMENT_NEEDED:
            return Hit(record=learner, field="LearnRefNumber", entity="Learner",
                       values={"AimSeqNumber": aim["AimSeqNumber"], "FundModel": aim["FundModel"]})
    return None


@rule("PriorAttain_04", severity=ERROR, entity="LearningDelivery", fields=("ProgType",), fund_models=(35,),
      message="Aim {AimSeqNumber} is an adult skills funded apprenticeship framework (ProgType {ProgType}), but "
              "the learner's prior attainment is level 4 or above, which this funding does not allow. Check "
              "the prior attainment level and the programme type.")
def prior_attain_04(aim):
    return (aim.prog_type in FRAMEWORK_APPRENTICESHIPS
            and any(p.get("PriorLevel") in LEVEL_4_AND_ABOVE for p in aim.learner.prior))


@rule("PriorAttain_10", severity=ERROR, entity="PriorAttain", scope="learner", fields=("DateLevelApp",),
      message="The learner has {count} prior attainment records dated {DateLevelApp}; only one may apply from "
              "each date. Delete the duplicate or correct its date.",
      when=children("PriorAttain").at_least(2))
def prior_attain_10(learner):
    by_date: dict = defaultdict(list)
    for row in learner.prior:
        if row.get("DateLevelApp") is not None:
            by_date[row["DateLevelApp"]].append(row)
    return [Hit(record=r, field="DateLevelApp", entity="PriorAttain", values={"count": len(rows)})
            for rows in by_date.values() if len(rows) > 1 for r in rows[1:]]
