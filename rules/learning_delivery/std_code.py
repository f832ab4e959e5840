"""Rules about the apprenticeship standard code (StdCode)."""

from ilrkit.rules.registry import ERROR, rule

APPRENTICESHIP_STANDARD = 25


@rule("StdCode_01", severity=ERROR, entity="LearningDelivery", fields=("StdCode", "ProgType"),
      message="The apprenticeship standard code is blank on an aim of an apprenticeship standard programme "
              "(ProgType 25). Enter the standard's code from the apprenticeship funding rules or LARS.")
def stdcode_01(aim):
    return aim.prog_type == APPRENTICESHIP_STANDARD and aim["StdCode"] is None


@rule("StdCode_03", severity=ERROR, entity="LearningDelivery", fields=("StdCode", "ProgType"),
      message="An apprenticeship standard code ({value}) is filled in but the aim's programme type is "
              "{ProgType}. Only aims of an apprenticeship standard programme (ProgType 25) have a standard "
              "code: clear the standard code, or correct the programme type.")
def stdcode_03(aim):
    return aim["StdCode"] is not None and aim.prog_type != APPRENTICESHIP_STANDARD
