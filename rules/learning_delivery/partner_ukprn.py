"""Rules about the subcontracted or partnership UKPRN (PartnerUKPRN)."""

from ilrkit.rules.registry import ERROR, rule


@rule("PartnerUKPRN_02", severity=ERROR, entity="LearningDelivery", fields=("PartnerUKPRN", "AimType"),
      message="A subcontractor UKPRN ({value}) is filled in on a programme aim (AimType 1). Programme aims "
              "never carry a partner UKPRN: clear it here and record it on the component aims the "
              "subcontractor delivers.")
def partnerukprn_02(aim):
    return aim.aim_type == 1 and aim["PartnerUKPRN"] is not None
