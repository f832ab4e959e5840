"""HE tuition fee rules: gross and net fees, the student support number and the major source of fees."""

import datetime as dt

from ilrkit.rules.columns import children
from ilrkit.rules.he.common import AUG_2012, AUG_2021, AUG_2025, he_hit, he_int, started_on_or_after, valid_to_dates
from ilrkit.rules.registry import ERROR, WARNING, rule
from ilrkit.rules.year import spec_of

# MSTUFEE codes: 2 English or Welsh LEA award, 3 SAAS, 4 DELNI/NIELB, 10 SLC, 52-54 mixes with the learner
STUDENT_SUPPORT_TO_2025 = frozenset({2, 3, 4, 52, 53, 54})
STUDENT_SUPPORT_FROM_2025 = frozenset({3, 10})
LAST_DAY_2024_25 = dt.date(2025, 7, 31)  # fixed in MSTUFEE_06's text: it does not move with the collection year
FEE_NAMES = {"NETFEE": "the net tuition fee (NETFEE)", "GROSSFEE": "the gross tuition fee (GROSSFEE)"}


@rule("GROSSFEE_01", severity=ERROR, entity="LearningDeliveryHE", scope="aim", fields=("GROSSFEE",),
      message="The net tuition fee is filled in ({NETFEE}) but the gross tuition fee is empty. Fill in the "
              "gross fee: the full fee before any discounts or waivers.",
      when=children("LearningDeliveryHE").at_least(1))
def grossfee_01(aim):
    he = aim.he
    return he is not None and he.get("NETFEE") is not None and he.get("GROSSFEE") is None and he_hit(
        aim, "GROSSFEE")


@rule("GROSSFEE_02", severity=ERROR, entity="LearningDeliveryHE", scope="aim", fields=("GROSSFEE",),
      message="The gross tuition fee ({value}) is less than the net tuition fee ({NETFEE}). The gross fee is "
              "the fee before discounts, so it cannot be smaller: check both amounts.",
      when=children("LearningDeliveryHE").at_least(1))
def grossfee_02(aim):
    if aim.he is None:
        return None
    gross, net = he_int(aim, "GROSSFEE"), he_int(aim, "NETFEE")
    return gross is not None and net is not None and gross < net and he_hit(aim, "GROSSFEE")


@rule("NETFEE_01", severity=ERROR, entity="LearningDeliveryHE", scope="aim", fields=("NETFEE",),
      message="This HE aim started on {LearnStartDate} has neither a student support number nor a net tuition "
              "fee. Fill in the net tuition fee (the fee after discounts), or the student support number if "
              "the learner has one.",
      when=children("LearningDeliveryHE").at_least(1))
def netfee_01(aim):
    he = aim.he
    if he is None or he.get("SSN") is not None or he.get("NETFEE") is not None:
        return None
    return started_on_or_after(aim, AUG_2012) and he_hit(aim, "NETFEE")


@rule("SSN_03", severity=ERROR, entity="LearningDeliveryHE", scope="aim", fields=("NETFEE", "GROSSFEE"),
      message="This HE aim started on {LearnStartDate} has no student support number, so both the net and the "
              "gross tuition fee must be filled in, but {missing_field} is empty. Fill in the fee, or the "
              "student support number if the learner has one.",
      when=children("LearningDeliveryHE").at_least(1))
def ssn_03(aim):
    he = aim.he
    if he is None or he.get("SSN") is not None or not started_on_or_after(aim, AUG_2021):
        return None
    return [he_hit(aim, f, {"missing_field": name}) for f, name in FEE_NAMES.items() if he.get(f) is None]


@rule("MSTUFEE_02", severity=ERROR, entity="LearningDeliveryHE", scope="aim", fields=("MSTUFEE",),
      message="The major source of tuition fees code {value} could only be used for aims started on or before "
              "{valid_to}, but this aim started on {LearnStartDate}. Choose a current code.",
      when=children("LearningDeliveryHE").at_least(1))
def mstufee_02(aim):
    if aim.he is None or aim.start is None:
        return None
    valid_to = valid_to_dates("LearningDeliveryHE.MSTUFEE", spec_of(aim).year).get(he_int(aim, "MSTUFEE"))
    return valid_to is not None and aim.start > valid_to and he_hit(aim, "MSTUFEE",
                                                                   {"valid_to": valid_to.isoformat()})


def _country_fee_clash(aim, countries: frozenset[str], codes: frozenset[int]):
    he = aim.he
    if he is None or he.get("PERMADDCOUNTRY") not in countries or he_int(aim, "MSTUFEE") not in codes:
        return None
    return he_hit(aim, "MSTUFEE")


@rule("MSTUFEE_03", severity=WARNING, entity="LearningDeliveryHE", scope="aim", fields=("MSTUFEE",),
      message="The learner's permanent address is in Scotland (XH) but the major source of tuition fees is "
              "{value} (an English or Welsh, or a Northern Irish, award). Check the fee source and the "
              "country.",
      when=children("LearningDeliveryHE").at_least(1))
def mstufee_03(aim):
    return _country_fee_clash(aim, frozenset({"XH"}), frozenset({2, 4}))


@rule("MSTUFEE_04", severity=WARNING, entity="LearningDeliveryHE", scope="aim", fields=("MSTUFEE",),
      message="The learner's permanent address is in Northern Ireland (XG) but the major source of tuition "
              "fees is {value} (an English or Welsh, or a Scottish, award). Check the fee source and the "
              "country.",
      when=children("LearningDeliveryHE").at_least(1))
def mstufee_04(aim):
    return _country_fee_clash(aim, frozenset({"XG"}), frozenset({2, 3}))


@rule("MSTUFEE_05", severity=WARNING, entity="LearningDeliveryHE", scope="aim", fields=("MSTUFEE",),
      message="The learner's permanent address is in England or Wales ({PERMADDCOUNTRY}) but the major source "
              "of tuition fees is {value} (a Scottish or a Northern Irish award). Check the fee source and the "
              "country.",
      when=children("LearningDeliveryHE").at_least(1))
def mstufee_05(aim):
    return _country_fee_clash(aim, frozenset({"XF", "XI"}), frozenset({3, 4}))


@rule("MSTUFEE_06", severity=WARNING, entity="LearningDeliveryHE", scope="aim", fields=("SSN",),
      message="The major source of tuition fees ({MSTUFEE}) is a student support award, so for aims started "
              "between 2021-08-01 and 2025-07-31 the student support number is expected, but it is empty. "
              "Fill in the learner's student support number.",
      when=children("LearningDeliveryHE").at_least(1))
def mstufee_06(aim):
    he = aim.he
    if he is None or he.get("SSN") is not None or he_int(aim, "MSTUFEE") not in STUDENT_SUPPORT_TO_2025:
        return None
    return started_on_or_after(aim, AUG_2021) and aim.start <= LAST_DAY_2024_25 and he_hit(aim, "SSN")


@rule("MSTUFEE_07", severity=WARNING, entity="LearningDeliveryHE", scope="aim", fields=("SSN",),
      message="The major source of tuition fees ({MSTUFEE}) is the Student Awards Agency for Scotland or the "
              "Student Loans Company, so the student support number is expected, but it is empty. Fill in the "
              "learner's student support number.",
      when=children("LearningDeliveryHE").at_least(1))
def mstufee_07(aim):
    he = aim.he
    if he is None or he.get("SSN") is not None or he_int(aim, "MSTUFEE") not in STUDENT_SUPPORT_FROM_2025:
        return None
    return started_on_or_after(aim, AUG_2025) and he_hit(aim, "SSN")
