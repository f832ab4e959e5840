"""Rules about the programme type (ProgType) and the aims and funding that go with it."""

from ilrkit.rules.columns import blank, filled, number, where
from ilrkit.rules.derived import dd35_devolved_funding
from ilrkit.rules.registry import ERROR, Hit, rule
from ilrkit.rules.year import spec_of

APPRENTICESHIP_STANDARD, T_LEVEL_FOUNDATION, T_LEVEL = 25, 30, 31
SKILLS_BOOTCAMP, COMBINED_AUTHORITY = 32, 33
T_LEVEL_PLACEMENT = "ZWRKX003"
OCCUPATIONAL_SPECIALISM_CLASS = "ZTLOS"  # class codes ZTLOSxxx
FOUNDATION_YEAR_CLASS = "ZTPR"  # class codes ZTPRxxxx


def _aim_ref(aim) -> str:
    return (aim["LearnAimRef"] or "").upper()


def _is_placement(ref: str | None) -> bool:
    return (ref or "").upper() == T_LEVEL_PLACEMENT


def _is_specialism(ref: str | None) -> bool:
    return (ref or "").upper().startswith(OCCUPATIONAL_SPECIALISM_CLASS)


def _is_foundation_year(ref: str | None) -> bool:
    return (ref or "").upper().startswith(FOUNDATION_YEAR_CLASS)


def _t_level_exempt(aim) -> bool:
    # the adult T Level pilot (LDM 384) and non-funded T Levels are not held to the T Level programme type
    return aim.fund_model == 99 or aim.has_fam("LDM", "384")


@rule("ProgType_01", severity=ERROR, entity="LearningDelivery", fields=("ProgType", "AimType"),
      message="The programme type is blank on an aim that is part of a programme (AimType {AimType}). Enter "
              "the programme type, for example 25 for an apprenticeship standard or 31 for a T Level.",
      when=number("AimType").isin(1, 3) & blank("ProgType"))
def progtype_01(aim):
    return True


@rule("ProgType_02", severity=ERROR, entity="LearningDelivery", fields=("ProgType", "AimType"),
      message="A programme type ({value}) is filled in on an aim that is not part of a programme (AimType 4). "
              "Clear the programme type, or correct the aim type if the aim belongs to a programme.",
      when=number("AimType").isin(4) & filled("ProgType"))
def progtype_02(aim):
    return True


@rule("ProgType_03", severity=ERROR, entity="LearningDelivery", fields=("ProgType", "LearnStartDate"),
      message="The programme type {value} is not a valid programme type for an aim starting on "
              "{LearnStartDate}. Pick the programme type from the dropdown ({codes}).",
      when=number("ProgType").known())
def progtype_03(aim):
    if aim.prog_type is None:  # blank, or not a number (the schema checks report that)
        return False
    prog_types = spec_of(aim).codelist("LearningDelivery.ProgType").by_code  # the data's year's list
    code = prog_types.get(str(aim.prog_type))
    if code is None or (aim.start is not None and not code.valid_on(aim.start)):
        return Hit(record=aim, field="ProgType", values={"codes": ", ".join(prog_types)})
    return None


@rule("ProgType_06", severity=ERROR, entity="LearningDelivery", fields=("FundModel", "ProgType"),
      message="This aim is part of an apprenticeship standard (ProgType 25) but its funding model is "
              "{value}. Apprenticeship standards are funded under FundModel 36 (or 81, or 99 if not funded): "
              "correct the funding model or the programme type.",
      when=number("ProgType").isin(APPRENTICESHIP_STANDARD) & number("FundModel").notin(36, 81, 99))
def progtype_06(aim):
    return True


@rule("ProgType_15", severity=ERROR, entity="LearningDelivery", fields=("ProgType", "LearnAimRef"),
      message="This is the T Level industry placement aim (ZWRKX003) but the programme type is {value}. "
              "Set the programme type to 31 (T Level programme).",
      when=where("LearnAimRef", _is_placement, "is ZWRKX003") & number("ProgType").notin(T_LEVEL))
def progtype_15(aim):
    return not _t_level_exempt(aim)


@rule("ProgType_17", severity=ERROR, entity="LearningDelivery", fields=("ProgType", "LearnAimRef"),
      message="The aim {LearnAimRef} is a T Level occupational specialism but the programme type is {value}. "
              "Set the programme type to 31 (T Level programme).",
      when=where("LearnAimRef", _is_specialism, "is a ZTLOS class code") & number("ProgType").notin(T_LEVEL))
def progtype_17(aim):
    return not _t_level_exempt(aim)


@rule("ProgType_18", severity=ERROR, scope="learner", entity="LearningDelivery",
      fields=("ProgType", "LearnAimRef", "AimType"),
      message="This aim is recorded as a T Level Foundation Year (ProgType 30) but the learner has no T Level "
              "Foundation Year core aim (a ZTPR learning aim with AimType 5). Add that aim, or correct the "
              "programme type.")
def progtype_18(learner):
    first = next((a for a in learner.aims if a.prog_type == T_LEVEL_FOUNDATION), None)
    if first is None:
        return False
    if any(a.aim_type == 5 and _aim_ref(a).startswith(FOUNDATION_YEAR_CLASS) for a in learner.aims):
        return False
    # the agency reports this once per learner, on the first Foundation Year aim
    return Hit(record=first, field="ProgType")


@rule("ProgType_20", severity=ERROR, entity="LearningDelivery", fields=("ProgType", "LearnAimRef"),
      message="The aim {LearnAimRef} is a T Level Foundation Year aim but the programme type is {value}. "
              "Set the programme type to 30 (T Level Foundation Year).",
      when=(where("LearnAimRef", _is_foundation_year, "is a ZTPR class code")
            & number("ProgType").notin(T_LEVEL_FOUNDATION)))
def progtype_20(aim):
    return True


@rule("ProgType_21", severity=ERROR, entity="LearningDelivery", fields=("FundModel", "ProgType"),
      message="This aim is a Skills Bootcamp (ProgType 32) but its funding model is {value}. Skills Bootcamps "
              "are funded under FundModel 37: correct the funding model or the programme type.",
      when=number("ProgType").isin(SKILLS_BOOTCAMP) & number("FundModel").notin(37))
def progtype_21(aim):
    return True


@rule("ProgType_22", severity=ERROR, entity="LearningDelivery", fields=("ProgType",),
      message="The programme type is 33 (combined authority programme) but the aim's source of funding (SOF) "
              "is not a mayoral combined authority or the Greater London Authority. Correct the SOF record or "
              "the programme type.",
      when=number("ProgType").isin(COMBINED_AUTHORITY))
def progtype_22(aim):
    return not dd35_devolved_funding(aim)
