"""EPAOrgID_01: the end-point assessment organisation is registered for the standard (``EPAOrganisations``)."""

from ilrkit.rules.refsets import EPA, epa_valid
from ilrkit.rules.registry import WARNING, rule


@rule("EPAOrgID_01", severity=WARNING, entity="LearningDelivery", fields=("EPAOrgID", "StdCode"), needs=(EPA,),
      message="The end-point assessment organisation {EPAOrgID} is not on the register for standard {StdCode} "
              "on the planned end date. Check the organisation's EPA id and the standard code.")
def epaorgid_01(aim):
    if aim["EPAOrgID"] is None:
        return False
    return not epa_valid(aim.ctx, aim["EPAOrgID"], aim["StdCode"], aim.plan_end)
