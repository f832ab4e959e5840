"""PartnerUKPRN_01: a subcontractor's UKPRN must be a real organisation (reference set ``Organisations``)."""

from ilrkit.rules.refsets import ORGANISATIONS, known_ukprn
from ilrkit.rules.registry import ERROR, rule


@rule("PartnerUKPRN_01", severity=ERROR, entity="LearningDelivery", fields=("PartnerUKPRN",),
      needs=(ORGANISATIONS,),
      message="The subcontractor UKPRN {PartnerUKPRN} is not a known organisation. Check the number on the UK "
              "Register of Learning Providers.")
def partnerukprn_01(aim):
    return aim["PartnerUKPRN"] is not None and not known_ukprn(aim.ctx, aim["PartnerUKPRN"])
