"""Aim postcodes that must be real UK postcodes (reference set ``Postcodes``: the ONS Postcode Directory)."""

import datetime as dt

from ilrkit.rules.refsets import POSTCODES, UNKNOWN_POSTCODE, known_postcode, postcode_ok
from ilrkit.rules.registry import ERROR, WARNING, Hit, rule

LSD_POSTCODE_01_FROM = dt.date(2019, 8, 1)
LSD_POSTCODE_FROM = dt.date(2024, 8, 1)


@rule("DelLocPostCode_03", severity=ERROR, entity="LearningDelivery", fields=("DelLocPostCode",),
      needs=(POSTCODES,),
      message="The delivery postcode {DelLocPostCode} is not a UK postcode. Correct it, or use ZZ99 9ZZ if the "
              "place of delivery has no postcode.")
def dellocpostcode_03(aim):
    if aim.has_fam("LDM", "034"):  # offender learning (OLASS) is exempt
        return False
    return not postcode_ok(aim.ctx, aim["DelLocPostCode"])


@rule("LSDPostcode_05", severity=ERROR, entity="LearningDelivery", fields=("LSDPostcode",), needs=(POSTCODES,),
      fund_models=(38, 11),
      message="The learner's postcode at the start of learning ({LSDPostcode}) is missing or not a UK postcode. "
              "Enter the postcode where the learner lived when the aim started (ZZ99 9ZZ if not known).")
def lsdpostcode_05(aim):
    if aim.start is None or aim.start < LSD_POSTCODE_FROM or aim.aim_type == 3:
        return False
    value = aim["LSDPostcode"]
    if value is not None and value.strip().upper() == UNKNOWN_POSTCODE:
        return False
    return not known_postcode(aim.ctx, value)


@rule("HEPostCode_01", severity=WARNING, entity="LearningDeliveryHE", scope="aim", fields=("HEPostCode",),
      needs=(POSTCODES,),
      message="The HE centre postcode {HEPostCode} is not a UK postcode. Correct it, or use ZZ99 9ZZ.")
def hepostcode_01(aim):
    he = aim.he
    if not he or postcode_ok(aim.ctx, he.get("HEPostCode")):
        return False
    return Hit(record=he, field="HEPostCode", entity="LearningDeliveryHE")


@rule("LSDPostcode_01", severity=ERROR, entity="LearningDelivery", fields=("LSDPostcode",), needs=(POSTCODES,),
      fund_models=(35, 10),
      message="The learner's postcode at the start of learning ({LSDPostcode}) is missing or not a UK postcode. "
              "Enter the postcode where the learner lived when the aim started (ZZ99 9ZZ if not known).")
def lsdpostcode_01(aim):
    if aim.start is None or not LSD_POSTCODE_01_FROM <= aim.start < LSD_POSTCODE_FROM:
        return False
    if aim.aim_type == 3 or aim.prog_type == 24 or aim.is_apprenticeship:
        return False
    value = aim["LSDPostcode"]
    if value is not None and value.strip().upper() == UNKNOWN_POSTCODE:
        return False
    return not known_postcode(aim.ctx, value)
