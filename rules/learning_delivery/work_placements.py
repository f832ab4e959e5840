"""Rules about work placement records (LearningDeliveryWorkPlacement) and the aims that need them."""

import datetime as dt

from ilrkit.rules.columns import children, number, where
from ilrkit.rules.registry import ERROR, Hit, rule
from ilrkit.rules.values import as_date

PLACEMENT = "LearningDeliveryWorkPlacement"
INDUSTRY_PLACEMENT, T_LEVEL_PLACEMENT = "ZWRKX002", "ZWRKX003"
# work experience, supported internship and industry placement aims that must have a placement record
NEEDS_PLACEMENT = frozenset({"Z0007834", "Z0007835", "Z0007836", "Z0007837", "Z0007838", "Z0002347",
                             "ZWRKX001", INDUSTRY_PLACEMENT})
# the only aims that may have placement records at all
MAY_HAVE_PLACEMENT = NEEDS_PLACEMENT | {T_LEVEL_PLACEMENT}
PLACEMENTS_REQUIRED_FROM = dt.date(2014, 8, 1)


def _aim_ref(aim) -> str:
    return (aim["LearnAimRef"] or "").upper()


def _needs_placement(ref: str | None) -> bool:
    return (ref or "").upper() in NEEDS_PLACEMENT


def _is_placement_aim(ref: str | None) -> bool:
    return (ref or "").upper() in (INDUSTRY_PLACEMENT, T_LEVEL_PLACEMENT)


def _is_t_level_placement(ref: str | None) -> bool:
    return (ref or "").upper() == T_LEVEL_PLACEMENT


@rule("WorkPlaceEndDate_01", severity=ERROR, entity=PLACEMENT, scope="aim",
      fields=("WorkPlaceEndDate", "WorkPlaceStartDate"),
      message="The work placement end date {value} is before its start date {WorkPlaceStartDate}. Check both "
              "dates; the placement must end on or after the day it starts.",
      when=children("LearningDeliveryWorkPlacement").at_least(1))
def workplaceenddate_01(aim):
    hits = []
    for wp in aim.work_placements:
        start, end = as_date(wp.get("WorkPlaceStartDate")), as_date(wp.get("WorkPlaceEndDate"))
        if start is not None and end is not None and end < start:
            hits.append(Hit(record=wp, field="WorkPlaceEndDate", entity=PLACEMENT))
    return hits


@rule("WorkPlaceEndDate_02", severity=ERROR, entity=PLACEMENT, scope="aim",
      fields=("WorkPlaceEndDate",),
      message="The work placement end date {value} is after the aim's learning actual end date "
              "{LearnActEndDate}. A placement cannot go on after the aim has ended: correct one of the dates.",
      when=children("LearningDeliveryWorkPlacement").at_least(1))
def workplaceenddate_02(aim):
    act_end = aim.act_end
    if act_end is None:
        return False
    hits = []
    for wp in aim.work_placements:
        end = as_date(wp.get("WorkPlaceEndDate"))
        if end is not None and end > act_end:
            hits.append(Hit(record=wp, field="WorkPlaceEndDate", entity=PLACEMENT,
                            values={"LearnActEndDate": aim["LearnActEndDate"]}))
    return hits


@rule("WorkPlaceStartDate_01", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",),
      message="The aim {value} is a work experience, supported internship or industry placement aim but has "
              "no work placement record. Add a work placement with its start date, hours and mode.",
      when=where("LearnAimRef", _needs_placement, "needs a work placement"))
def workplacestartdate_01(aim):
    return (not aim.work_placements and _aim_ref(aim) in NEEDS_PLACEMENT
            and aim.start is not None and aim.start >= PLACEMENTS_REQUIRED_FROM)


@rule("WorkPlaceStartDate_02", severity=ERROR, entity=PLACEMENT, scope="aim", fields=("WorkPlaceStartDate",),
      message="The work placement start date {value} is before the aim's learning start date "
              "{LearnStartDate}. A placement cannot begin before the aim: correct one of the dates.",
      when=children("LearningDeliveryWorkPlacement").at_least(1))
def workplacestartdate_02(aim):
    start = aim.start
    if start is None:
        return False
    hits = []
    for wp in aim.work_placements:
        wp_start = as_date(wp.get("WorkPlaceStartDate"))
        if wp_start is not None and wp_start < start:
            hits.append(Hit(record=wp, field="WorkPlaceStartDate", entity=PLACEMENT,
                            values={"LearnStartDate": aim["LearnStartDate"]}))
    return hits


@rule("WorkPlaceStartDate_03", severity=ERROR, entity=PLACEMENT, scope="aim", fields=("WorkPlaceStartDate",),
      message="This work placement is recorded on the aim {LearnAimRef}, which is not a work experience, "
              "supported internship or industry placement aim. Remove the placement, or move it to the "
              "work experience aim it belongs to.",
      when=children("LearningDeliveryWorkPlacement").at_least(1))
def workplacestartdate_03(aim):
    if not aim.work_placements or _aim_ref(aim) in MAY_HAVE_PLACEMENT:
        return False
    return [Hit(record=wp, field="WorkPlaceStartDate", entity=PLACEMENT,
                values={"LearnAimRef": aim["LearnAimRef"]}) for wp in aim.work_placements]


@rule("WorkPlaceStartDate_04", severity=ERROR, entity="LearningDelivery", fields=("FundModel", "LearnAimRef"),
      message="The aim {LearnAimRef} is an industry placement or T Level work placement aim, which must be "
              "funded as 16-19 provision (FundModel 25), but its funding model is {value}. Set the funding "
              "model to 25 (or 99 if the aim is not funded).",
      when=where("LearnAimRef", _is_placement_aim, "is a placement aim") & number("FundModel").notin(25, 99))
def workplacestartdate_04(aim):
    return _aim_ref(aim) in (INDUSTRY_PLACEMENT, T_LEVEL_PLACEMENT) and aim.fund_model not in (25, 99)


@rule("WorkPlacement_01", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",),
      message="The aim {value} is a T Level industry placement but has no work placement record. Add a work "
              "placement with its start date, hours and mode.",
      when=where("LearnAimRef", _is_t_level_placement, "is the T Level placement aim"))
def workplacement_01(aim):
    return _aim_ref(aim) == T_LEVEL_PLACEMENT and not aim.work_placements
