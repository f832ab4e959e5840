"""Rules about the funding adjustment fields (OtherFundAdj, PriorLearnFundAdj)."""

from ilrkit.rules.registry import ERROR, rule


@rule("OtherFundAdj_01", severity=ERROR, entity="LearningDelivery", fields=("OtherFundAdj",),
      fund_models=(25, 82, 10),
      message="An other funding adjustment ({value}) is filled in on a 16-19 or community learning aim "
              "(FundModel {FundModel}), where it is not used. Clear the other funding adjustment.")
def otherfundadj_01(aim):
    return aim["OtherFundAdj"] is not None


@rule("PriorLearnFundAdj_01", severity=ERROR, entity="LearningDelivery", fields=("PriorLearnFundAdj",),
      fund_models=(25, 82, 10, 99),
      message="A funding adjustment for prior learning ({value}) is filled in on a 16-19, community learning "
              "or non-funded aim (FundModel {FundModel}) that is not financed by an Advanced Learner Loan. "
              "Clear the prior learning adjustment, or add the ADL indicator if the aim is loan-funded.")
def priorlearnfundadj_01(aim):
    # loan-financed aims (any ADL record) may carry the adjustment
    return aim["PriorLearnFundAdj"] is not None and not aim.has_fam("ADL")
