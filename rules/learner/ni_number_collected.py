"""The NI number for the funding models whose collection requirements name it, from the year pack.

Our own rule (``ILR_*``): from 2026-27 the specification adds Skills Bootcamps (FundModel 37) to the NI
number's collection requirements (year.yaml ``ni_number_fund_models``). No agency rule code or severity was
published, so it warns rather than blocks; NINumber_02 (apprentices under ACT 1) stays an error.
"""

from __future__ import annotations

from ilrkit.rules.registry import WARNING, Hit, rule
from ilrkit.rules.year import spec_of


def _fund_models(learner) -> frozenset[int]:
    return frozenset(int(fm) for fm in spec_of(learner).facts.get("ni_number_fund_models") or ())


@rule("ILR_NINumber_FundModel", severity=WARNING, entity="Learner", fields=("NINumber",), first_year="2026-27",
      message="The National Insurance number is blank, but it is collected for learners on funding model "
              "{fund_model} in this collection year. Add it from the learner's records if you have it.")
def ilr_ninumber_fundmodel(learner):
    if learner["NINumber"] is not None:
        return None
    wanted = _fund_models(learner) & learner.fund_models
    if not wanted:
        return None
    return Hit(record=learner, field="NINumber", values={"fund_model": min(wanted)})
