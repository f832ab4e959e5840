"""When the learner's National Insurance number must be given."""

from ilrkit.rules.columns import blank, children, has_fam
from ilrkit.rules.registry import ERROR, rule


@rule("NINumber_02", severity=ERROR, entity="Learner", fields=("NINumber",),
      message="The National Insurance number is missing. Apprentices funded through a contract for services "
              "with the employer (ACT 1) must have one: add it from the learner's records or payslip.",
      when=blank("NINumber") & children("LearningDelivery").any(has_fam("ACT", "1")))
def ni_number_02(learner):
    return any(a.has_fam("ACT", "1") for a in learner.aims)
