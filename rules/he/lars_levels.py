"""HE data against the aim's level and type in LARS: the HESES funding level (FUNDLEV) of undergraduate and
postgraduate aims, and no HE data on community or tailored learning at level 3 or below."""

from __future__ import annotations

from ilrkit.rules.he.common import AUG_2009, he_hit, he_int, started_on_or_after
from ilrkit.rules.learning_delivery._lars_terms import LEVEL_4_OR_ABOVE, aim_ref_type, level
from ilrkit.rules import lars
from ilrkit.rules.registry import ERROR, WARNING, rule

UNDERGRADUATE_TYPES = frozenset({"0394", "1406", "1407", "1408", "9000", "9002", "9107", "E007", "9112", "9111",
                                 "9110", "9113"})
POSTGRADUATE_TYPES = frozenset({"0393", "1410", "2001", "9100", "9101", "9109", "E008", "1411", "1412", "9103"})
NOT_IN_HESES = 99


def _fundlev_not(aim, types, allowed) -> bool:
    if aim.he is None or not started_on_or_after(aim, AUG_2009) or aim_ref_type(aim) not in types:
        return False
    value = he_int(aim, "FUNDLEV")
    return value is not None and value not in allowed


@rule("FUNDLEV_02", severity=WARNING, entity="LearningDeliveryHE", scope="aim", fields=("FUNDLEV",),
      needs=("LARS",),
      message="{LearnAimRef} is an undergraduate aim in LARS, so its HESES funding level (FUNDLEV {value}) should "
              "be undergraduate (10 or 11) or not in the HESES population (99). Check the funding level.")
def fundlev_02(aim):
    return _fundlev_not(aim, UNDERGRADUATE_TYPES, {10, 11, NOT_IN_HESES}) and he_hit(aim, "FUNDLEV")


@rule("FUNDLEV_03", severity=WARNING, entity="LearningDeliveryHE", scope="aim", fields=("FUNDLEV",),
      needs=("LARS",),
      message="{LearnAimRef} is a postgraduate aim in LARS, so its HESES funding level (FUNDLEV {value}) should "
              "be postgraduate (20, 21, 30 or 31) or not in the HESES population (99). Check the funding level.")
def fundlev_03(aim):
    return _fundlev_not(aim, POSTGRADUATE_TYPES, {20, 21, 30, 31, NOT_IN_HESES}) and he_hit(aim, "FUNDLEV")


def _he_below_level_4(aim) -> bool:
    return aim.he is not None and lars.aim_exists(aim) and level(aim) not in LEVEL_4_OR_ABOVE


@rule("LearningDeliveryHE_06", severity=ERROR, entity="LearningDeliveryHE", scope="aim", fields=(),
      fund_models=(10,), needs=("LARS",),
      message="This community learning aim ({LearnAimRef}) is level {level} in LARS, so it has no HE data. Clear "
              "the aim's HE fields, or check the learning aim reference.")
def learningdeliveryhe_06(aim):
    return _he_below_level_4(aim) and he_hit(aim, None, {"level": level(aim)})


@rule("LearningDeliveryHE_09", severity=ERROR, entity="LearningDeliveryHE", scope="aim", fields=(),
      fund_models=(11,), needs=("LARS",),
      message="This tailored learning aim ({LearnAimRef}) is level {level} in LARS, so it has no HE data. Clear "
              "the aim's HE fields, or check the learning aim reference.")
def learningdeliveryhe_09(aim):
    return _he_below_level_4(aim) and he_hit(aim, None, {"level": level(aim)})
