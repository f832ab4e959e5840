"""Rules about which apprenticeship financial records (AppFinRecord) an aim must or must not have.

TNP records are prices (1 total training price, 2 total assessment price, 3 residual training price,
4 residual assessment price); PMR records are payments (1 training, 2 assessment, 3 employer reimbursement).
"""

from ilrkit.rules.columns import blank, children, filled, number
from ilrkit.rules.registry import ERROR, WARNING, Hit, rule
from ilrkit.rules.values import as_date, as_int

FIN = "AppFinRecord"


def records(aim, fin_type: str, *codes: int) -> list[dict]:
    """The aim's financial records of a type, limited to some codes when given."""
    return [r for r in aim.financial
            if r.get("AFinType") == fin_type and (not codes or as_int(r.get("AFinCode")) in codes)]


def has(aim, fin_type: str, *codes: int) -> bool:
    return any(r.get("AFinType") == fin_type and (not codes or as_int(r.get("AFinCode")) in codes)
               for r in aim.financial)


def _is_standard_programme(aim) -> bool:
    return aim.aim_type == 1 and aim.prog_type == 25


@rule("AFinType_01", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",), fund_models=(81,),
      message="This apprenticeship standard programme aim (funding model 81) has no total training price. "
              "Add a financial record of type TNP, code 1, with the agreed training price.")
def afin_type_01(aim):
    return _is_standard_programme(aim) and not has(aim, "TNP", 1)


@rule("AFinType_04", severity=ERROR, entity="LearningDelivery", fields=("AFinType",),
      message="This aim has apprenticeship financial records, but they belong only on an apprenticeship "
              "programme aim (aim type 1, funding model 36, or funding model 81 with programme type 25). "
              "Move the records to the programme aim or remove them.",
      when=children("AppFinRecord").at_least(1))
def afin_type_04(aim):
    if not aim.financial or aim.aim_type == 1 and (
            aim.fund_model == 36 or (aim.fund_model == 81 and aim.prog_type == 25)):
        return False
    return Hit(record=aim.financial[0], entity=FIN)


@rule("AFinType_07", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",),
      message="This apprenticeship standard programme aim records an assessment payment (PMR 2) but has no "
              "assessment price. Add a financial record of type TNP with code 2 (total assessment price) or 4 "
              "(residual assessment price).",
      when=number("AimType").isin(1) & number("ProgType").isin(25) & children("AppFinRecord").at_least(1))
def afin_type_07(aim):
    # the CSV text says TNP 2 for the payment; the agency's full description says PMR 2 (a payment)
    return _is_standard_programme(aim) and has(aim, "PMR", 2) and not has(aim, "TNP", 2, 4)


@rule("AFinType_08", severity=ERROR, entity="LearningDelivery", fields=("AFinCode",),
      message="A residual price (TNP {AFinCode}) is recorded on an aim with funding model {FundModel}. Residual "
              "prices are only used for apprenticeships funded by funding model 36: check the funding model or "
              "remove the record.",
      when=number("FundModel").notin(36) & children("AppFinRecord").at_least(1))
def afin_type_08(aim):
    if aim.fund_model == 36:
        return False
    return [Hit(record=r, entity=FIN, values={"FundModel": aim["FundModel"]}) for r in records(aim, "TNP", 3, 4)]


@rule("AFinType_10", severity=WARNING, entity="LearningDelivery", fields=("LearnAimRef",),
      message="This apprenticeship standard programme aim has no end-point assessment price. Add a financial "
              "record of type TNP with code 2 (total assessment price) or 4 (residual assessment price).")
def afin_type_10(aim):
    # the agency's full description leaves out non-funded standards (funding model 99)
    return (_is_standard_programme(aim) and aim.fund_model != 99 and not has(aim, "TNP", 2, 4))


@rule("AFinType_12", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",), fund_models=(36,),
      message="This apprenticeship programme aim (funding model 36) has no price record. Add a financial record "
              "of type TNP with the agreed price.")
def afin_type_12(aim):
    return aim.aim_type == 1 and not has(aim, "TNP")


@rule("AFinType_13", severity=ERROR, entity="LearningDelivery", fields=("LearnStartDate",), fund_models=(36,),
      message="This apprenticeship programme aim (funding model 36) has no price record dated on its start date "
              "{LearnStartDate}. Add a TNP record whose financial date is the learning start date, or correct "
              "the date of the first price.")
def afin_type_13(aim):
    if aim.aim_type != 1 or aim.start is None:
        return False
    return not any(as_date(r.get("AFinDate")) == aim.start for r in records(aim, "TNP"))


@rule("AFinType_14", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",),
      message="This programme aim records a training payment (PMR 1) but has no training price. Add a financial "
              "record of type TNP with code 1 (total training price) or 3 (residual training price).",
      when=number("AimType").isin(1) & children("AppFinRecord").at_least(1))
def afin_type_14(aim):
    return aim.aim_type == 1 and has(aim, "PMR", 1) and not has(aim, "TNP", 1, 3)


@rule("EPAOrgID_02", severity=ERROR, entity="LearningDelivery", fields=("EPAOrgID",),
      message="This aim has an end-point assessment price (TNP 2 or 4) but no end-point assessment "
              "organisation. Enter the organisation's EPA ID (it starts 'EPA').",
      when=blank("EPAOrgID") & children("AppFinRecord").at_least(1))
def epa_org_id_02(aim):
    return aim["EPAOrgID"] is None and has(aim, "TNP", 2, 4)


@rule("EPAOrgID_03", severity=ERROR, entity="LearningDelivery", fields=("EPAOrgID",),
      message="The end-point assessment organisation {EPAOrgID} is recorded but the aim has no assessment price. "
              "Add a financial record of type TNP with code 2 (total assessment price) or 4 (residual "
              "assessment price).",
      when=filled("EPAOrgID"))
def epa_org_id_03(aim):
    return aim["EPAOrgID"] is not None and not has(aim, "TNP", 2, 4)
