"""How a learner's aims fit together into programmes: programme aims, components, core aims, overlaps."""

from __future__ import annotations

from ilrkit.rules.derived import dd36_programme_end
from ilrkit.rules.registry import ERROR, Hit, rule

PROGRAMME, COMPONENT, CORE = 1, 3, 5
T_LEVEL_PROG_TYPES = frozenset({30, 31})


def _programme_key(aim) -> tuple:
    return aim.prog_type, aim.int("StdCode")


def _funded_key(aim) -> tuple:
    return aim.fund_model, aim.prog_type, aim.int("StdCode")


@rule("R_30", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("AimType",),
      message="This aim is recorded as a component of a programme (aim type 3), but the learner has no "
              "programme aim (aim type 1) with the same programme type ({ProgType}) and standard code "
              "({StdCode}). Add the programme aim, or record the aim as type 4 if it is not part of a programme.")
def r_30(learner):
    programmes = {_programme_key(a) for a in learner.aims if a.aim_type == PROGRAMME}
    return [Hit(record=a) for a in learner.aims if a.aim_type == COMPONENT and _programme_key(a) not in programmes]


@rule("R_31", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("AimType",),
      message="This open programme aim (programme type {ProgType}, standard {StdCode}) has no learning aims "
              "recorded within it. Add the programme's component aims, or close the programme if it has ended.")
def r_31(learner):
    # the agency's own service also counts 16-19 core aims (aim type 5) as belonging to the programme
    parts = {_programme_key(a) for a in learner.aims if a.aim_type in (COMPONENT, CORE)}
    return [Hit(record=a) for a in learner.aims
            if a.aim_type == PROGRAMME and a.act_end is None and _programme_key(a) not in parts]


@rule("R_56", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("FundModel",),
      message="This component aim is funded (funding model {FundModel}) but belongs to an open programme that is "
              "not funded (funding model 99). Components of a non-funded programme must also be recorded as "
              "not funded (99), or the programme's funding model is wrong.")
def r_56(learner):
    open_unfunded = {_programme_key(a) for a in learner.aims
                     if a.aim_type == PROGRAMME and a.fund_model == 99 and a.act_end is None}
    if not open_unfunded:
        return None
    return [Hit(record=a) for a in learner.aims if a.aim_type == COMPONENT and a.fund_model is not None
            and a.fund_model != 99 and _programme_key(a) in open_unfunded]


@rule("R_66", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("FundModel",),
      message="This funded component aim (funding model {FundModel}, programme type {ProgType}, standard "
              "{StdCode}) has no programme aim with the same funding model, programme type and standard code. "
              "Check these fields match the learner's programme aim.")
def r_66(learner):
    programmes = {_funded_key(a) for a in learner.aims if a.aim_type == PROGRAMME}
    return [Hit(record=a) for a in learner.aims if a.aim_type == COMPONENT and a.fund_model is not None
            and a.fund_model != 99 and _funded_key(a) not in programmes]


@rule("R_58", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("LearnStartDate",),
      message="This core aim starts on {LearnStartDate}, while another of the learner's core aims has not yet "
              "ended. A learner can have only one core aim at a time: close the earlier core aim (actual end "
              "date before this start) or correct the dates.")
def r_58(learner):
    core = sorted((a for a in learner.aims if a.aim_type == CORE and a.start is not None), key=lambda a: a.start)
    flagged = []
    for i, aim in enumerate(core):
        if any(e.act_end is None or e.act_end >= aim.start for e in core[:i]):
            flagged.append(Hit(record=aim))
    return flagged


@rule("R_63", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("AimType",),
      message="The learner has 16-19 funded aims (funding model 25) but no core aim (aim type 5). Record the "
              "aim that is the core of the study programme as aim type 5.")
def r_63(learner):
    # the agency does not apply this to aims funded under SOF 105
    funded = [a for a in learner.aims if a.fund_model == 25 and not a.has_fam("SOF", "105")]
    if not funded or any(a.aim_type == CORE for a in learner.aims):
        return None
    return Hit(record=funded[0])


@rule("R_124", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("LearnStartDate",),
      message="This programme aim starts on {LearnStartDate}, while another of the learner's programme aims is "
              "still running on that date. Programmes must not overlap: check the start date here and the end "
              "or achievement date of the other programme.")
def r_124(learner):
    programmes = [a for a in learner.aims if a.aim_type == PROGRAMME and a.start is not None]
    if len(programmes) < 2:
        return None
    return [Hit(record=a) for a in programmes
            if any(o is not a and o.start <= a.start <= dd36_programme_end(o) for o in programmes)]


@rule("R_125", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("AimType",),
      message="This T Level aim (programme type {ProgType}, funding model {FundModel}) has no T Level programme "
              "aim (aim type 1) with the same programme type and funding model. Add the programme aim or correct "
              "these fields.")
def r_125(learner):
    programmes = {(a.fund_model, a.prog_type) for a in learner.aims if a.aim_type == PROGRAMME}
    return [Hit(record=a) for a in learner.aims if a.aim_type in (COMPONENT, CORE)
            and a.prog_type in T_LEVEL_PROG_TYPES and (a.fund_model, a.prog_type) not in programmes]


@rule("R_126", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("AimType",),
      message="This T Level programme aim (programme type {ProgType}, funding model {FundModel}) has no core or "
              "component aims with the same programme type and funding model. Add the aims studied within it.")
def r_126(learner):
    parts = {(a.fund_model, a.prog_type) for a in learner.aims if a.aim_type in (COMPONENT, CORE)}
    return [Hit(record=a) for a in learner.aims if a.aim_type == PROGRAMME
            and a.prog_type in T_LEVEL_PROG_TYPES and (a.fund_model, a.prog_type) not in parts]


@rule("R_130", severity=ERROR, scope="learner", entity="Learner", fields=("PlanLearnHours", "PlanEEPHours"),
      message="All of this learner's aims are T Level aims, so planned hours must be left blank; "
              "{field} is {value}. Remove the planned hours (they are worked out for T Levels).")
def r_130(learner):
    if not learner.aims or not all(a.fund_model == 25 and a.prog_type == 31 for a in learner.aims):
        return None
    return [Hit(field=f, values={"field": f}) for f in ("PlanLearnHours", "PlanEEPHours") if learner[f] is not None]


@rule("R_137", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("ProgType",),
      message="The learner is on a T Level (programme type 31) but no occupational specialism aim (a learning "
              "aim reference starting ZTLOS) is recorded. Add the occupational specialism aim.")
def r_137(learner):
    t_level = [a for a in learner.aims if a.prog_type == 31]
    if not t_level:
        return None
    if any((a["LearnAimRef"] or "").upper().startswith("ZTLOS") for a in learner.aims):
        return None
    programme = next((a for a in t_level if a.aim_type == PROGRAMME), t_level[0])
    return Hit(record=programme)
