"""Rules about the dates on learning delivery FAM records (LearnDelFAMDateFrom and LearnDelFAMDateTo)."""

import datetime as dt

from ilrkit.rules.columns import blank, children, date, filled, has_fam, number, text_in
from ilrkit.rules.registry import ERROR, WARNING, Hit, rule
from ilrkit.rules.values import as_date

FAM = "LearningDeliveryFAM"
DATED_FROM_TYPES = frozenset({"LSF", "ACT", "ALB", "EVI"})
DATED_TO_TYPES = frozenset({"LSF", "ACT", "ALB"})
EVENTS_FROM = dt.date(2025, 8, 1)
ADULT_APPRENTICESHIP_NON_FUNDED = (35, 36, 38, 81, 99)
_ANY_FAM = children("LearningDeliveryFAM").any  # the aim has a FAM record that meets the condition


def _date_from(fam) -> dt.date | None:
    return as_date(fam.get("LearnDelFAMDateFrom"))


def _date_to(fam) -> dt.date | None:
    return as_date(fam.get("LearnDelFAMDateTo"))


def _hit(fam, field: str, **values) -> Hit:
    return Hit(record=fam, field=field, entity=FAM, values=values or None)


@rule("LearnDelFAMDateFrom_01", severity=ERROR, entity=FAM, scope="aim", fields=("LearnDelFAMDateFrom",),
      message="The {LearnDelFAMType} record (learning support funding or loans bursary) needs both a date "
              "applies from and a date applies to. Enter the missing date.",
      when=has_fam("LSF") | has_fam("ALB"))
def learn_del_fam_date_from_01(aim):
    hits = []
    for fam in aim.fams:
        if fam.get("LearnDelFAMType") in ("LSF", "ALB"):
            if fam.get("LearnDelFAMDateFrom") is None:
                hits.append(_hit(fam, "LearnDelFAMDateFrom"))
            elif fam.get("LearnDelFAMDateTo") is None:
                hits.append(_hit(fam, "LearnDelFAMDateTo"))
    return hits


@rule("LearnDelFAMDateFrom_02", severity=ERROR, entity=FAM, scope="aim", fields=("LearnDelFAMDateFrom",),
      fund_models=ADULT_APPRENTICESHIP_NON_FUNDED,
      message="The {LearnDelFAMType} record applies from {LearnDelFAMDateFrom}, before the aim's learning start "
              "date {LearnStartDate}. Change the date applies from to the start date or later.",
      when=date("LearnStartDate").known() & _ANY_FAM(date("LearnDelFAMDateFrom").known()))
def learn_del_fam_date_from_02(aim):
    if aim.start is None:
        return None
    return [_hit(fam, "LearnDelFAMDateFrom", LearnStartDate=aim["LearnStartDate"]) for fam in aim.fams
            if (day := _date_from(fam)) is not None and day < aim.start]


@rule("LearnDelFAMDateFrom_03", severity=ERROR, entity=FAM, scope="aim", fields=("LearnDelFAMDateFrom",),
      message="The {LearnDelFAMType} record has a date applies from ({LearnDelFAMDateFrom}), but only LSF, ACT, "
              "ALB and EVI records take dates. Clear the date.",
      when=_ANY_FAM(filled("LearnDelFAMDateFrom") & ~text_in("LearnDelFAMType", *DATED_FROM_TYPES)))
def learn_del_fam_date_from_03(aim):
    return [_hit(fam, "LearnDelFAMDateFrom") for fam in aim.fams
            if fam.get("LearnDelFAMDateFrom") is not None and fam.get("LearnDelFAMType") not in DATED_FROM_TYPES]


@rule("LearnDelFAMDateFrom_04", severity=ERROR, entity=FAM, scope="aim", fields=("LearnDelFAMDateFrom",),
      message="The apprenticeship contract type (ACT {LearnDelFAMCode}) record has no date applies from. Enter "
              "the date the contract type applies from.",
      when=children(FAM).any(text_in("LearnDelFAMType", "ACT") & blank("LearnDelFAMDateFrom")))
def learn_del_fam_date_from_04(aim):
    return [_hit(fam, "LearnDelFAMDateFrom") for fam in aim.fams
            if fam.get("LearnDelFAMType") == "ACT" and fam.get("LearnDelFAMDateFrom") is None]


@rule("LearnDelFAMDateFrom_05", severity=ERROR, entity=FAM, scope="aim", fields=("LearnDelFAMDateFrom",),
      message="The event indicator (EVI {LearnDelFAMCode}) record has no date applies from. Enter the date of "
              "the event.",
      when=has_fam("EVI"))
def learn_del_fam_date_from_05(aim):
    return [_hit(fam, "LearnDelFAMDateFrom") for fam in aim.fams
            if fam.get("LearnDelFAMType") == "EVI" and fam.get("LearnDelFAMDateFrom") is None]


@rule("LearnDelFAMDateFrom_06", severity=ERROR, entity=FAM, scope="aim", fields=("LearnDelFAMDateFrom",),
      message="The event indicator (EVI {LearnDelFAMCode}) applies from {LearnDelFAMDateFrom}, before 1 August "
              "2025 when event indicators began. Check the date of the event.",
      when=has_fam("EVI"))
def learn_del_fam_date_from_06(aim):
    return [_hit(fam, "LearnDelFAMDateFrom") for fam in aim.fams
            if fam.get("LearnDelFAMType") == "EVI" and (day := _date_from(fam)) is not None and day < EVENTS_FROM]


@rule("LearnDelFAMDateFrom_07", severity=ERROR, entity=FAM, scope="aim", fields=("LearnDelFAMDateFrom",),
      message="The event indicator (EVI {LearnDelFAMCode}) applies from {LearnDelFAMDateFrom}, outside the "
              "programme (start date {LearnStartDate}, actual end date {end}). The event must fall within the "
              "programme: check the date of the event and the programme's dates.",
      when=number("AimType").isin(1) & date("LearnStartDate").known() & has_fam("EVI"))
def learn_del_fam_date_from_07(aim):
    # event indicators sit on the programme aim (aim type 1), so its own dates bound them
    if aim.aim_type != 1 or aim.start is None:
        return None
    end = aim.act_end
    values = {"LearnStartDate": aim["LearnStartDate"], "end": aim["LearnActEndDate"] or "not yet recorded"}
    return [_hit(fam, "LearnDelFAMDateFrom", **values) for fam in aim.fams
            if fam.get("LearnDelFAMType") == "EVI" and (day := _date_from(fam)) is not None
            and (day < aim.start or (end is not None and day > end))]


@rule("LearnDelFAMDateTo_01", severity=ERROR, entity=FAM, scope="aim", fields=("LearnDelFAMDateTo",),
      message="The {LearnDelFAMType} record applies to {LearnDelFAMDateTo}, before it applies from "
              "({LearnDelFAMDateFrom}). Check both dates; a record cannot end before it begins.",
      when=_ANY_FAM(date("LearnDelFAMDateTo").compare("<", "LearnDelFAMDateFrom")))
def learn_del_fam_date_to_01(aim):
    return [_hit(fam, "LearnDelFAMDateTo") for fam in aim.fams
            if (to := _date_to(fam)) is not None and (start := _date_from(fam)) is not None and to < start]


@rule("LearnDelFAMDateTo_02", severity=WARNING, entity=FAM, scope="aim", fields=("LearnDelFAMDateTo",),
      message="The {LearnDelFAMType} record applies to {LearnDelFAMDateTo}, after the aim's planned end date "
              "{LearnPlanEndDate}. Check the date applies to.",
      when=date("LearnPlanEndDate").known() & _ANY_FAM(date("LearnDelFAMDateTo").known()))
def learn_del_fam_date_to_02(aim):
    if aim.plan_end is None:
        return None
    # an apprenticeship contract type may run on to the achievement date of the programme
    act_exempt = aim.aim_type == 1 and aim["AchDate"] is not None
    values = {"LearnPlanEndDate": aim["LearnPlanEndDate"]}
    return [_hit(fam, "LearnDelFAMDateTo", **values) for fam in aim.fams
            if (to := _date_to(fam)) is not None and to > aim.plan_end
            and not (act_exempt and fam.get("LearnDelFAMType") == "ACT")]


@rule("LearnDelFAMDateTo_03", severity=ERROR, entity=FAM, scope="aim", fields=("LearnDelFAMDateTo",),
      fund_models=ADULT_APPRENTICESHIP_NON_FUNDED,
      message="The {LearnDelFAMType} record applies to {LearnDelFAMDateTo}, after the aim's actual end date "
              "{LearnActEndDate}. Change the date applies to so it is on or before the actual end date.",
      when=date("LearnActEndDate").known() & _ANY_FAM(date("LearnDelFAMDateTo").known()))
def learn_del_fam_date_to_03(aim):
    if aim.act_end is None:
        return None
    values = {"LearnActEndDate": aim["LearnActEndDate"]}
    return [_hit(fam, "LearnDelFAMDateTo", **values) for fam in aim.fams
            if fam.get("LearnDelFAMType") != "ACT" and (to := _date_to(fam)) is not None and to > aim.act_end]


@rule("LearnDelFAMDateTo_04", severity=ERROR, entity=FAM, scope="aim", fields=("LearnDelFAMDateTo",),
      message="The {LearnDelFAMType} record has a date applies to ({LearnDelFAMDateTo}), but only LSF, ACT and "
              "ALB records take an end date. Clear the date.",
      when=_ANY_FAM(filled("LearnDelFAMDateTo") & ~text_in("LearnDelFAMType", *DATED_TO_TYPES)))
def learn_del_fam_date_to_04(aim):
    return [_hit(fam, "LearnDelFAMDateTo") for fam in aim.fams
            if fam.get("LearnDelFAMDateTo") is not None and fam.get("LearnDelFAMType") not in DATED_TO_TYPES]


@rule("LearnDelFAMDateTo_05", severity=ERROR, entity=FAM, scope="aim", fields=("LearnDelFAMDateTo",),
      fund_models=(36,),
      message="The apprenticeship contract type (ACT {LearnDelFAMCode}) applies to {LearnDelFAMDateTo}, after "
              "the aim's achievement date {AchDate}. Change the date applies to so it is on or before the "
              "achievement date.",
      when=date("AchDate").known() & has_fam("ACT"))
def learn_del_fam_date_to_05(aim):
    if aim.ach is None:
        return None
    values = {"AchDate": aim["AchDate"]}
    return [_hit(fam, "LearnDelFAMDateTo", **values) for fam in aim.fams
            if fam.get("LearnDelFAMType") == "ACT" and (to := _date_to(fam)) is not None and to > aim.ach]
