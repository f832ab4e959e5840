"""Rules about the subcontracted or partnership UKPRN (PartnerUKPRN)."""

from ilrkit.rules.columns import filled, number
from ilrkit.rules.registry import ERROR, rule


@rule("PartnerUKPRN_02", severity=ERROR, entity="LearningDelivery", fields=("PartnerUKPRN", "AimType"),
      message="A subcontractor UKPRN ({value}) is filled in on a programme aim (AimType 1). Programme aims "
              "never carry a partner UKPRN: clear it here and record it on the component aims the "
              "subcontractor delivers.",
      when=number("AimType").isin(1) & filled("PartnerUKPRN"))
def partnerukprn_02(aim):
    return True
