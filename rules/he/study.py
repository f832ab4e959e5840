"""HE mode of study, special fee indicator and type of instance year rules."""

from ilrkit.rules.columns import children
from ilrkit.rules.he.common import AUG_2009, he_hit, he_int, invalid_code, lookup_codes, started_on_or_after
from ilrkit.rules.registry import ERROR, rule
from ilrkit.rules.values import teaching_year_start
from ilrkit.rules.year import spec_of

PART_TIME, SANDWICH_YEAR_OUT = 3, 2
SANDWICH_PLACEMENT = 1
SHORT_FINAL_YEAR = frozenset({4, 5})  # SPECFEE: final year of a full-time course under 24 weeks
COMPLETED_YEAR = 1  # FUNDCOMP
WITHIN_ONE_YEAR = 1  # TYPEYR


def _invalid(aim, field: str, codes: frozenset[int]):
    return aim.he is not None and invalid_code(aim.he.get(field), codes) and he_hit(aim, field)


@rule("MODESTUD_01", severity=ERROR, entity="LearningDeliveryHE", scope="aim", fields=("MODESTUD",),
      message="The mode of study {value} is not a valid code. Use 1 (full-time and sandwich), 2 (sandwich year "
              "out), 3 (part-time) or 99 (not in the HESES population).",
      when=children("LearningDeliveryHE").at_least(1))
def modestud_01(aim):
    return _invalid(aim, "MODESTUD", lookup_codes("LearningDeliveryHE.MODESTUD", spec_of(aim).year))


@rule("SPECFEE_01", severity=ERROR, entity="LearningDeliveryHE", scope="aim", fields=("SPECFEE",),
      message="The special fee indicator {value} is not a valid code. Use one of the codes in the list "
              "(0 for a standard fee, 9 for other fees).",
      when=children("LearningDeliveryHE").at_least(1))
def specfee_01(aim):
    return _invalid(aim, "SPECFEE", lookup_codes("LearningDeliveryHE.SPECFEE", spec_of(aim).year))


@rule("TYPEYR_01", severity=ERROR, entity="LearningDeliveryHE", scope="aim", fields=("TYPEYR",),
      message="The type of instance year {value} is not a valid code. Use a code from 1 to 5.",
      when=children("LearningDeliveryHE").at_least(1))
def typeyr_01(aim):
    return _invalid(aim, "TYPEYR", lookup_codes("LearningDeliveryHE.TYPEYR", spec_of(aim).year))


@rule("MODESTUD_03", severity=ERROR, entity="LearningDeliveryHE", scope="aim", fields=("MODESTUD",),
      message="The special fee indicator is {SPECFEE} (final year of a full-time course lasting less than 24 "
              "weeks), so the mode of study must be part-time (3), but it is {value}. Correct the mode of "
              "study or the special fee indicator.",
      when=children("LearningDeliveryHE").at_least(1))
def modestud_03(aim):
    if aim.he is None or he_int(aim, "SPECFEE") not in SHORT_FINAL_YEAR:
        return None
    mode = he_int(aim, "MODESTUD")
    return mode is not None and mode != PART_TIME and started_on_or_after(aim, AUG_2009) and he_hit(
        aim, "MODESTUD")


@rule("SPECFEE_02", severity=ERROR, entity="LearningDeliveryHE", scope="aim", fields=("SPECFEE",),
      message="The mode of study is sandwich year out (2), so the special fee indicator must be sandwich "
              "placement (1), but it is {value}. Correct the special fee indicator or the mode of study.",
      when=children("LearningDeliveryHE").at_least(1))
def specfee_02(aim):
    if aim.he is None or he_int(aim, "MODESTUD") != SANDWICH_YEAR_OUT:
        return None
    fee = he_int(aim, "SPECFEE")
    return fee is not None and fee != SANDWICH_PLACEMENT and started_on_or_after(aim, AUG_2009) and he_hit(
        aim, "SPECFEE")


@rule("TYPEYR_02", severity=ERROR, entity="LearningDeliveryHE", scope="aim", fields=("TYPEYR",),
      last_year="2025-26",  # FUNDCOMP is not collected from 2026-27
      message="This aim started ({LearnStartDate}) and ended ({LearnActEndDate}) in the same teaching year and "
              "the year was completed (FUNDCOMP 1), so the type of instance year must be 1, but it is {value}. "
              "Change it to 1.",
      when=children("LearningDeliveryHE").at_least(1))
def typeyr_02(aim):
    if aim.he is None or he_int(aim, "FUNDCOMP") != COMPLETED_YEAR:
        return None
    start, end = aim.start, aim.act_end
    if start is None or end is None or not started_on_or_after(aim, AUG_2009):
        return None
    year = he_int(aim, "TYPEYR")
    return (year is not None and year != WITHIN_ONE_YEAR and teaching_year_start(start) == teaching_year_start(end)
            and he_hit(aim, "TYPEYR"))
