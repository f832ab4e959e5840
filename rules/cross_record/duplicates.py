"""Records that must not be repeated: the same key twice in the file, for a learner or for an aim."""

from __future__ import annotations

from ilrkit.rules.columns import children, filled, text_in
from ilrkit.rules.cross_record._common import hits, repeated
from ilrkit.rules.derived import TEMPORARY_ULN
from ilrkit.rules.registry import ERROR, rule
# dated FAM types may legitimately repeat a code over several periods
R52_REPEATABLE = frozenset({"LSF", "ACT", "ALB"})


@rule("R_06", severity=ERROR, scope="file", entity="Learner", fields=("LearnRefNumber",),
      message="The learner reference {LearnRefNumber} is used by more than one learner in the file. Give each "
              "learner their own reference, or merge the records if they are the same person.")
def r_06(ctx):
    return hits(repeated(ctx.learners, lambda l: l["LearnRefNumber"]), "LearnRefNumber")


@rule("R_59", severity=ERROR, scope="file", entity="Learner", fields=("ULN",),
      message="The ULN {ULN} is recorded for more than one learner in the file. A ULN belongs to one person: "
              "check each learner's ULN with the Learning Records Service, or merge the records.")
def r_59(ctx):
    def uln(learner):
        value = learner["ULN"]
        return None if value == TEMPORARY_ULN else value
    return hits(repeated(ctx.learners, uln), "ULN")


@rule("R_07", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("AimSeqNumber",),
      message="The aim sequence number {AimSeqNumber} is used for more than one of this learner's aims. Number "
              "the learner's aims 1, 2, 3, ... with each number used once.",
      when=children("LearningDelivery").at_least(2))
def r_07(learner):
    return hits(repeated(learner.aims, lambda a: a["AimSeqNumber"]), "AimSeqNumber")


@rule("R_43", severity=ERROR, scope="learner", entity="LearnerEmploymentStatus", fields=("DateEmpStatApp",),
      message="The learner has more than one employment status applying from {DateEmpStatApp}. Keep one status "
              "for that date, or correct the date of the other.",
      when=children("LearnerEmploymentStatus").at_least(2))
def r_43(learner):
    return hits(repeated(learner.employment, lambda s: s["DateEmpStatApp"]), "DateEmpStatApp")


@rule("R_45", severity=ERROR, scope="learner", entity="LLDDandHealthProblem", fields=("LLDDCat",),
      message="The LLDD and health problem category {LLDDCat} is recorded more than once for this learner. "
              "Record each category once.",
      when=children("LLDDandHealthProblem").at_least(2))
def r_45(learner):
    return hits(repeated(learner.lldd, lambda r: r.get("LLDDCat")), "LLDDCat", "LLDDandHealthProblem")


@rule("R_49", severity=ERROR, scope="learner", entity="ProviderSpecLearnerMonitoring",
      fields=("ProvSpecLearnMonOccur",),
      message="The learner has more than one provider monitoring record with occurrence {ProvSpecLearnMonOccur}. "
              "Use occurrence A and B once each.",
      when=children("ProviderSpecLearnerMonitoring").at_least(2))
def r_49(learner):
    return hits(repeated(learner.monitoring, lambda r: r.get("ProvSpecLearnMonOccur")), "ProvSpecLearnMonOccur",
                "ProviderSpecLearnerMonitoring")


@rule("R_50", severity=ERROR, scope="aim", entity="ProviderSpecDeliveryMonitoring", fields=("ProvSpecDelMonOccur",),
      message="This aim has more than one provider monitoring record with occurrence {ProvSpecDelMonOccur}. Use "
              "each occurrence (A to D) once.",
      when=children("ProviderSpecDeliveryMonitoring").at_least(2))
def r_50(aim):
    return hits(repeated(aim.monitoring, lambda r: r.get("ProvSpecDelMonOccur")), "ProvSpecDelMonOccur",
                "ProviderSpecDeliveryMonitoring")


@rule("R_51", severity=ERROR, scope="learner", entity="LearnerFAM", fields=("LearnFAMCode",),
      message="The learner FAM {LearnFAMType} {LearnFAMCode} is recorded more than once. Remove the repeat.",
      when=children("LearnerFAM").at_least(2))
def r_51(learner):
    def key(fam):
        return (fam.get("LearnFAMType"), fam.get("LearnFAMCode")) if fam.get("LearnFAMType") else None
    return hits(repeated(learner.fams, key), "LearnFAMCode", "LearnerFAM")


@rule("R_52", severity=ERROR, scope="aim", entity="LearningDeliveryFAM", fields=("LearnDelFAMCode",),
      message="This aim has the funding and monitoring code {LearnDelFAMType} {LearnDelFAMCode} more than once. "
              "Remove the repeat.",
      when=children("LearningDeliveryFAM").at_least(
          2, filled("LearnDelFAMType") & ~text_in("LearnDelFAMType", *R52_REPEATABLE)))
def r_52(aim):
    def key(fam):
        fam_type = fam.get("LearnDelFAMType")
        if not fam_type or fam_type in R52_REPEATABLE:
            return None
        return fam_type, fam.get("LearnDelFAMCode")
    return hits(repeated(aim.fams, key), "LearnDelFAMCode", "LearningDeliveryFAM")


@rule("R_67", severity=ERROR, scope="aim", entity="LearningDeliveryWorkPlacement", fields=("WorkPlaceStartDate",),
      message="This aim has more than one work placement starting {WorkPlaceStartDate} with the same employer "
              "({WorkPlaceEmpId}). Record each placement once.",
      when=children("LearningDeliveryWorkPlacement").at_least(2))
def r_67(aim):
    def key(wp):
        start = wp.get("WorkPlaceStartDate")
        return None if start is None else (start, wp.get("WorkPlaceEmpId"))
    return hits(repeated(aim.work_placements, key), "WorkPlaceStartDate", "LearningDeliveryWorkPlacement")


@rule("R_96", severity=ERROR, scope="learner", entity="LearningDeliveryWorkPlacement",
      fields=("WorkPlaceStartDate",),
      message="The learner has more than one work placement starting on {WorkPlaceStartDate}. A learner can only "
              "start one placement on a day: check the start dates.")
def r_96(learner):
    placements = [wp for aim in learner.aims for wp in aim.work_placements]
    return hits(repeated(placements, lambda wp: wp.get("WorkPlaceStartDate")), "WorkPlaceStartDate",
                "LearningDeliveryWorkPlacement")
