"""Rules about the contract reference number (ConRefNumber)."""

from ilrkit.rules.columns import filled
from ilrkit.rules.registry import ERROR, rule

NO_CONTRACT_REFERENCE = (10, 11, 25, 35, 38, 81, 82, 99)


@rule("ConRefNumber_03", severity=ERROR, entity="LearningDelivery", fields=("ConRefNumber",),
      fund_models=NO_CONTRACT_REFERENCE,
      message="A contract reference number ({ConRefNumber}) is recorded, but it is not used for funding model "
              "{FundModel}. Clear the contract reference number.",
      when=filled("ConRefNumber"))
def con_ref_number_03(aim):
    return True
