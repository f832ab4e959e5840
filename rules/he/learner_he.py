"""Rules about the learner's HE record (LearnerHE) and HE financial support, across the learner's aims."""

from collections import defaultdict

from ilrkit.rules.columns import children
from ilrkit.rules.he.common import AUG_2013, he_hit, started_on_or_after, valid_to_dates
from ilrkit.rules.registry import ERROR, Hit, rule
from ilrkit.rules.values import as_int
from ilrkit.rules.year import spec_of

SINGLE_FINTYPES = frozenset({1, 2, 3, 4})  # cash, near cash, accommodation discounts, other
FULL_TIME = 1  # MODESTUD: full-time and sandwich


@rule("LearnerHE_02", severity=ERROR, entity="LearnerHE", scope="learner", fields=(),
      message="This learner has HE learner data (UCAS personal ID or term-time accommodation) but none of "
              "their aims has HE data. Fill in the HE fields on the HE aim, or clear the learner's HE data "
              "if they are not an HE learner.")
def learnerhe_02(learner):
    if learner.he is None or any(aim.he is not None for aim in learner.aims):
        return None
    return Hit(record=learner.he, entity="LearnerHE")


@rule("FINTYPE_02", severity=ERROR, entity="LearnerHEFinancialSupport", scope="learner", fields=("FINTYPE",),
      message="This learner has {count} HE financial support records of type {value}; each of the types cash "
              "(1), near cash (2), accommodation discounts (3) and other (4) may appear only once. Add the "
              "amounts together into one record and delete the others.")
def fintype_02(learner):
    if len(learner.he_financial) < 2:
        return None
    by_type = defaultdict(list)
    for row in learner.he_financial:
        fin_type = as_int(row.get("FINTYPE"))
        if fin_type in SINGLE_FINTYPES:
            by_type[fin_type].append(row)
    return [Hit(record=row, field="FINTYPE", entity="LearnerHEFinancialSupport", values={"count": len(found)})
            for found in by_type.values() if len(found) > 1 for row in found[1:]]


@rule("TTACCOM_02", severity=ERROR, entity="LearnerHE", scope="learner", fields=("TTACCOM",),
      message="The term-time accommodation code {value} could only be used for learners whose first aim "
              "started on or before {valid_to}, but this learner's earliest aim started on {earliest}. Choose "
              "a current accommodation code.")
def ttaccom_02(learner):
    if learner.he is None:
        return None
    valid_to = valid_to_dates("LearnerHE.TTACCOM", spec_of(learner).year).get(as_int(learner.he.get("TTACCOM")))
    earliest = learner.earliest_start
    if valid_to is None or earliest is None or earliest <= valid_to:
        return None
    return Hit(record=learner.he, field="TTACCOM", entity="LearnerHE",
               values={"valid_to": valid_to.isoformat(), "earliest": earliest.isoformat()})


@rule("TTACCOM_04", severity=ERROR, entity="LearnerHE", scope="learner", fields=("TTACCOM",),
      message="This learner studies full-time or sandwich (MODESTUD 1) but has no term-time accommodation "
              "(TTACCOM). Fill in where the learner lives during term.")
def ttaccom_04(learner):
    if learner.he is not None and learner.he.get("TTACCOM") is not None:
        return None
    earliest = learner.earliest_start
    if earliest is None or earliest < AUG_2013:
        return None
    if not any(aim.he is not None and as_int(aim.he.get("MODESTUD")) == FULL_TIME for aim in learner.aims):
        return None
    # no LearnerHE record at all counts as an unknown TTACCOM; point at the learner's row then
    return Hit(record=learner.he if learner.he is not None else learner, field="TTACCOM", entity="LearnerHE")


@rule("UCASSCHEMECODE_01", severity=ERROR, entity="LearningDeliveryHE", scope="aim", fields=("UCASSCHEMECODE",),
      message="The learner has a UCAS personal ID but this HE aim, started on {LearnStartDate}, "
              "has no UCAS scheme code. Fill in the UCAS scheme code from the learner's UCAS application.",
      when=children("LearningDeliveryHE").at_least(1))
def ucasschemecode_01(aim):
    learner_he = aim.learner.he
    if aim.he is None or learner_he is None or learner_he.get("UCASPERID") is None:
        return None
    if aim.he.get("UCASSCHEMECODE") is not None or not started_on_or_after(aim, AUG_2013):
        return None
    return he_hit(aim, "UCASSCHEMECODE")
