"""When the learner's family name, given names and first address line must be given.

Community learning (FundModel 10, or 99 with source of funding 108) is let off for short courses: the
rules look at whether ALL the learner's aims are community learning and at the planned learning hours.
"""

from ilrkit.rules.learner._common import TEMPORARY_ULN, all_community_learning, blank
from ilrkit.rules.registry import ERROR, rule


def _short_community_course(learner) -> bool:
    hours = learner.int("PlanLearnHours")
    return all_community_learning(learner) and hours is not None and hours <= 10


def _long_community_course(learner) -> bool:
    hours = learner.int("PlanLearnHours")
    return all_community_learning(learner) and hours is not None and hours > 10


@rule("FamilyName_01", severity=ERROR, entity="Learner", fields=("FamilyName",),
      message="The learner's family name is missing. Add the family name (surname) from the enrolment form.")
def family_name_01(learner):
    return blank(learner["FamilyName"]) and not all_community_learning(learner)


@rule("FamilyName_02", severity=ERROR, entity="Learner", fields=("FamilyName",),
      message="The learner's family name is missing. Community learning learners with more than 10 planned "
              "learning hours ({PlanLearnHours}) need one: add the family name from the enrolment form.")
def family_name_02(learner):
    return blank(learner["FamilyName"]) and _long_community_course(learner)


@rule("FamilyName_04", severity=ERROR, entity="Learner", fields=("FamilyName",),
      message="The learner's family name is missing. A community learning learner with a ULN ({ULN}) needs one "
              "even on a short course: add the family name from the enrolment form.")
def family_name_04(learner):
    return (blank(learner["FamilyName"]) and _short_community_course(learner)
            and learner["ULN"] != TEMPORARY_ULN)


@rule("GivenNames_01", severity=ERROR, entity="Learner", fields=("GivenNames",),
      message="The learner's given names are missing. Add the first name(s) from the enrolment form.")
def given_names_01(learner):
    return blank(learner["GivenNames"]) and not all_community_learning(learner)


@rule("GivenNames_02", severity=ERROR, entity="Learner", fields=("GivenNames",),
      message="The learner's given names are missing. Community learning learners with more than 10 planned "
              "learning hours ({PlanLearnHours}) need them: add the first name(s) from the enrolment form.")
def given_names_02(learner):
    return blank(learner["GivenNames"]) and _long_community_course(learner)


@rule("GivenNames_04", severity=ERROR, entity="Learner", fields=("GivenNames",),
      message="The learner's given names are missing. A community learning learner with a ULN ({ULN}) needs "
              "them even on a short course: add the first name(s) from the enrolment form.")
def given_names_04(learner):
    return (blank(learner["GivenNames"]) and _short_community_course(learner)
            and learner["ULN"] != TEMPORARY_ULN)


@rule("AddLine1_03", severity=ERROR, entity="Learner", fields=("AddLine1",),
      message="The first line of the learner's address is missing. Add it from the enrolment form (only "
              "community learning courses of 10 planned hours or fewer may leave it out).")
def add_line1_03(learner):
    return blank(learner["AddLine1"]) and not _short_community_course(learner)
