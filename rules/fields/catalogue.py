"""The agency's field-definition (FD) rules as data: code, entity.field, kind and limit.

Kinds: AL most characters; MA must be present; AR numeric range (from the spec); AP allowed pattern;
EO most rows of the entity per parent (``LearningDelivery`` min 1: every learner needs an aim).
Limits are the 2025-26 field definitions. Where the agency's rule text was copied from another rule,
the field's own definition decides (FD_UCASPERID_AL: 10, the length of the identifier; FD_EmpId_AL: 9;
FD_ProviderSpecDeliveryMonitoring_EO: 4; FD_AFinType_AP and FD_AddLine1_AP: the pattern).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FdRule:
    code: str
    entity: str
    field: str
    kind: str  # AL | MA | AR | AP | EO
    limit: int | None = None


_TABLE = """
FD_LearnRefNumber_AL Learner.LearnRefNumber AL 12
FD_LearnRefNumber_AP Learner.LearnRefNumber AP
FD_LearnRefNumber_MA Learner.LearnRefNumber MA
FD_PrevLearnRefNumber_AL Learner.PrevLearnRefNumber AL 12
FD_PrevLearnRefNumber_AP Learner.PrevLearnRefNumber AP
FD_PrevUKPRN_AL Learner.PrevUKPRN AL 8
FD_PrevUKPRN_AR Learner.PrevUKPRN AR
FD_PMUKPRN_AL Learner.PMUKPRN AL 8
FD_PMUKPRN_AR Learner.PMUKPRN AR
FD_CampId_AL Learner.CampId AL 8
FD_CampId_AP Learner.CampId AP
FD_ULN_AL Learner.ULN AL 10
FD_ULN_AR Learner.ULN AR
FD_ULN_MA Learner.ULN MA
FD_FamilyName_AL Learner.FamilyName AL 100
FD_FamilyName_AP Learner.FamilyName AP
FD_GivenNames_AL Learner.GivenNames AL 100
FD_GivenNames_AP Learner.GivenNames AP
FD_Ethnicity_AL Learner.Ethnicity AL 2
FD_Ethnicity_MA Learner.Ethnicity MA
FD_Sex_AL Learner.Sex AL 1
FD_Sex_AP Learner.Sex AP
FD_Sex_MA Learner.Sex MA
FD_LLDDHealthProb_AL Learner.LLDDHealthProb AL 1
FD_LLDDHealthProb_MA Learner.LLDDHealthProb MA
FD_NINumber_AL Learner.NINumber AL 9
FD_NINumber_AP Learner.NINumber AP
FD_Accom_AL Learner.Accom AL 1
FD_ALSCost_AL Learner.ALSCost AL 6
FD_ALSCost_AR Learner.ALSCost AR
FD_PlanLearnHours_AL Learner.PlanLearnHours AL 4
FD_PlanLearnHours_AR Learner.PlanLearnHours AR
FD_PlanEEPHours_AL Learner.PlanEEPHours AL 4
FD_PlanEEPHours_AR Learner.PlanEEPHours AR
FD_MathGrade_AL Learner.MathGrade AL 4
FD_MathGrade_AP Learner.MathGrade AP
FD_EngGrade_AL Learner.EngGrade AL 4
FD_EngGrade_AP Learner.EngGrade AP
FD_PostcodePrior_AL Learner.PostcodePrior AL 8
FD_PostcodePrior_AP Learner.PostcodePrior AP
FD_PostcodePrior_MA Learner.PostcodePrior MA
FD_Postcode_AL Learner.Postcode AL 8
FD_Postcode_AP Learner.Postcode AP
FD_Postcode_MA Learner.Postcode MA
FD_AddLine1_AL Learner.AddLine1 AL 50
FD_AddLine1_AP Learner.AddLine1 AP
FD_AddLine2_AL Learner.AddLine2 AL 50
FD_AddLine2_AP Learner.AddLine2 AP
FD_AddLine3_AL Learner.AddLine3 AL 50
FD_AddLine3_AP Learner.AddLine3 AP
FD_AddLine4_AL Learner.AddLine4 AL 50
FD_AddLine4_AP Learner.AddLine4 AP
FD_TelNo_AL Learner.TelNo AL 18
FD_TelNo_AP Learner.TelNo AP
FD_Email_AL Learner.Email AL 100
FD_Email_AP Learner.Email AP
FD_PriorLevel_MA PriorAttain.PriorLevel MA
FD_DateLevelApp_MA PriorAttain.DateLevelApp MA
FD_LLDDandHealthProblem_EO LLDDandHealthProblem.LLDDCat EO 22
FD_LLDDCat_AL LLDDandHealthProblem.LLDDCat AL 2
FD_LLDDCat_MA LLDDandHealthProblem.LLDDCat MA
FD_PrimaryLLDD_AL LLDDandHealthProblem.PrimaryLLDD AL 1
FD_LearnerFAM_EO LearnerFAM.LearnFAMType EO 17
FD_LearnFAMType_AL LearnerFAM.LearnFAMType AL 3
FD_LearnFAMType_AP LearnerFAM.LearnFAMType AP
FD_LearnFAMType_MA LearnerFAM.LearnFAMType MA
FD_LearnFAMCode_AL LearnerFAM.LearnFAMCode AL 3
FD_LearnFAMCode_MA LearnerFAM.LearnFAMCode MA
FD_ProviderSpecLearnerMonitoring_EO ProviderSpecLearnerMonitoring.ProvSpecLearnMonOccur EO 2
FD_ProvSpecLearnMonOccur_AL ProviderSpecLearnerMonitoring.ProvSpecLearnMonOccur AL 1
FD_ProvSpecLearnMonOccur_AP ProviderSpecLearnerMonitoring.ProvSpecLearnMonOccur AP
FD_ProvSpecLearnMonOccur_MA ProviderSpecLearnerMonitoring.ProvSpecLearnMonOccur MA
FD_ProvSpecLearnMon_AL ProviderSpecLearnerMonitoring.ProvSpecLearnMon AL 20
FD_ProvSpecLearnMon_AP ProviderSpecLearnerMonitoring.ProvSpecLearnMon AP
FD_ProvSpecLearnMon_MA ProviderSpecLearnerMonitoring.ProvSpecLearnMon MA
FD_EmpStat_AL LearnerEmploymentStatus.EmpStat AL 2
FD_EmpStat_MA LearnerEmploymentStatus.EmpStat MA
FD_DateEmpStatApp_MA LearnerEmploymentStatus.DateEmpStatApp MA
FD_EmpId_AL LearnerEmploymentStatus.EmpId AL 9
FD_EmploymentStatusMonitoring_EO EmploymentStatusMonitoring.ESMType EO 10
FD_ESMType_AL EmploymentStatusMonitoring.ESMType AL 3
FD_ESMType_AP EmploymentStatusMonitoring.ESMType AP
FD_ESMType_MA EmploymentStatusMonitoring.ESMType MA
FD_ESMCode_AL EmploymentStatusMonitoring.ESMCode AL 2
FD_ESMCode_MA EmploymentStatusMonitoring.ESMCode MA
FD_LearnerHE_EO LearnerHE.UCASPERID EO 1
FD_UCASPERID_AL LearnerHE.UCASPERID AL 10
FD_UCASPERID_AP LearnerHE.UCASPERID AP
FD_UCASPERID_AR LearnerHE.UCASPERID AR
FD_TTACCOM_AL LearnerHE.TTACCOM AL 1
FD_LearnerHEFinancialSupport_EO LearnerHEFinancialSupport.FINTYPE EO 4
FD_FINTYPE_AL LearnerHEFinancialSupport.FINTYPE AL 1
FD_FINAMOUNT_AL LearnerHEFinancialSupport.FINAMOUNT AL 6
FD_FINAMOUNT_AR LearnerHEFinancialSupport.FINAMOUNT AR
FD_FINAMOUNT_MA LearnerHEFinancialSupport.FINAMOUNT MA
FD_LearningDelivery_EO Learner.LearnRefNumber EO
FD_LearnAimRef_AL LearningDelivery.LearnAimRef AL 8
FD_LearnAimRef_AP LearningDelivery.LearnAimRef AP
FD_LearnAimRef_MA LearningDelivery.LearnAimRef MA
FD_AimType_AL LearningDelivery.AimType AL 1
FD_AimType_MA LearningDelivery.AimType MA
FD_AimSeqNumber_AL LearningDelivery.AimSeqNumber AL 2
FD_AimSeqNumber_AR LearningDelivery.AimSeqNumber AR
FD_AimSeqNumber_MA LearningDelivery.AimSeqNumber MA
FD_LearnStartDate_MA LearningDelivery.LearnStartDate MA
FD_LearnPlanEndDate_MA LearningDelivery.LearnPlanEndDate MA
FD_FundModel_AL LearningDelivery.FundModel AL 2
FD_FundModel_MA LearningDelivery.FundModel MA
FD_PHours_AL LearningDelivery.PHours AL 4
FD_PHours_AR LearningDelivery.PHours AR
FD_OTJActHours_AL LearningDelivery.OTJActHours AL 4
FD_OTJActHours_AR LearningDelivery.OTJActHours AR
FD_ProgType_AL LearningDelivery.ProgType AL 2
FD_StdCode_AL LearningDelivery.StdCode AL 5
FD_PartnerUKPRN_AL LearningDelivery.PartnerUKPRN AL 8
FD_PartnerUKPRN_AR LearningDelivery.PartnerUKPRN AR
FD_DelLocPostCode_AL LearningDelivery.DelLocPostCode AL 8
FD_DelLocPostCode_AP LearningDelivery.DelLocPostCode AP
FD_DelLocPostCode_MA LearningDelivery.DelLocPostCode MA
FD_LSDPostcode_AL LearningDelivery.LSDPostcode AL 8
FD_LSDPostcode_AP LearningDelivery.LSDPostcode AP
FD_AddHours_AL LearningDelivery.AddHours AL 4
FD_AddHours_AR LearningDelivery.AddHours AR
FD_PriorLearnFundAdj_AL LearningDelivery.PriorLearnFundAdj AL 2
FD_PriorLearnFundAdj_AR LearningDelivery.PriorLearnFundAdj AR
FD_OtherFundAdj_AL LearningDelivery.OtherFundAdj AL 3
FD_OtherFundAdj_AR LearningDelivery.OtherFundAdj AR
FD_ConRefNumber_AL LearningDelivery.ConRefNumber AL 20
FD_EPAOrgID_AL LearningDelivery.EPAOrgID AL 7
FD_EPAOrgID_AP LearningDelivery.EPAOrgID AP
FD_CompStatus_AL LearningDelivery.CompStatus AL 1
FD_CompStatus_MA LearningDelivery.CompStatus MA
FD_WithdrawReason_AL LearningDelivery.WithdrawReason AL 2
FD_Outcome_AL LearningDelivery.Outcome AL 1
FD_OutGrade_AL LearningDelivery.OutGrade AL 6
FD_OutGrade_AP LearningDelivery.OutGrade AP
FD_SWSupAimId_AL LearningDelivery.SWSupAimId AL 36
FD_SWSupAimId_AP LearningDelivery.SWSupAimId AP
FD_Tlout_AL LearningDelivery.TLOut AL 2
FD_LearnDelFAMType_AL LearningDeliveryFAM.LearnDelFAMType AL 3
FD_LearnDelFAMType_AP LearningDeliveryFAM.LearnDelFAMType AP
FD_LearnDelFAMType_MA LearningDeliveryFAM.LearnDelFAMType MA
FD_LearnDelFAMCode_AL LearningDeliveryFAM.LearnDelFAMCode AL 5
FD_LearnDelFAMCode_AP LearningDeliveryFAM.LearnDelFAMCode AP
FD_LearnDelFAMCode_MA LearningDeliveryFAM.LearnDelFAMCode MA
FD_WorkPlaceStartDate_MA LearningDeliveryWorkPlacement.WorkPlaceStartDate MA
FD_WorkPlaceHours_AL LearningDeliveryWorkPlacement.WorkPlaceHours AL 4
FD_WorkPlaceHours_AR LearningDeliveryWorkPlacement.WorkPlaceHours AR
FD_WorkPlaceHours_MA LearningDeliveryWorkPlacement.WorkPlaceHours MA
FD_WorkPlaceMode_AL LearningDeliveryWorkPlacement.WorkPlaceMode AL 1
FD_WorkPlaceMode_MA LearningDeliveryWorkPlacement.WorkPlaceMode MA
FD_WorkPlaceEmpId_AL LearningDeliveryWorkPlacement.WorkPlaceEmpId AL 9
FD_AFinType_AL AppFinRecord.AFinType AL 3
FD_AFinType_AP AppFinRecord.AFinType AP
FD_AFinType_MA AppFinRecord.AFinType MA
FD_AFinCode_AL AppFinRecord.AFinCode AL 2
FD_AFinCode_MA AppFinRecord.AFinCode MA
FD_AFinAmount_AL AppFinRecord.AFinAmount AL 6
FD_AFinAmount_AR AppFinRecord.AFinAmount AR
FD_AFinAmount_MA AppFinRecord.AFinAmount MA
FD_ProviderSpecDeliveryMonitoring_EO ProviderSpecDeliveryMonitoring.ProvSpecDelMonOccur EO 4
FD_ProvSpecDelMonOccur_AL ProviderSpecDeliveryMonitoring.ProvSpecDelMonOccur AL 1
FD_ProvSpecDelMonOccur_AP ProviderSpecDeliveryMonitoring.ProvSpecDelMonOccur AP
FD_ProvSpecDelMonOccur_MA ProviderSpecDeliveryMonitoring.ProvSpecDelMonOccur MA
FD_ProvSpecDelMon_AL ProviderSpecDeliveryMonitoring.ProvSpecDelMon AL 20
FD_ProvSpecDelMon_AP ProviderSpecDeliveryMonitoring.ProvSpecDelMon AP
FD_ProvSpecDelMon_MA ProviderSpecDeliveryMonitoring.ProvSpecDelMon MA
FD_LearningDeliveryHE_EO LearningDeliveryHE.SSN EO 1
FD_SSN_AL LearningDeliveryHE.SSN AL 13
FD_SSN_AP LearningDeliveryHE.SSN AP
FD_QUALENT3_AL LearningDeliveryHE.QUALENT3 AL 3
FD_QUALENT3_AP LearningDeliveryHE.QUALENT3 AP
FD_SOC_AL LearningDeliveryHE.SOC AL 4
FD_SEC_AL LearningDeliveryHE.SEC AL 1
FD_UCASSCHEMECODE_AL LearningDeliveryHE.UCASSCHEMECODE AL 9
FD_UCASSCHEMECODE_AP LearningDeliveryHE.UCASSCHEMECODE AP
FD_TYPEYR_AL LearningDeliveryHE.TYPEYR AL 1
FD_TYPEYR_MA LearningDeliveryHE.TYPEYR MA
FD_MODESTUD_AL LearningDeliveryHE.MODESTUD AL 2
FD_MODESTUD_MA LearningDeliveryHE.MODESTUD MA
FD_FUNDLEV_AL LearningDeliveryHE.FUNDLEV AL 2
FD_FUNDCOMP_AL LearningDeliveryHE.FUNDCOMP AL 1
FD_STULOAD_AL LearningDeliveryHE.STULOAD AL 5
FD_STULOAD_AR LearningDeliveryHE.STULOAD AR
FD_YEARSTU_AL LearningDeliveryHE.YEARSTU AL 2
FD_YEARSTU_AR LearningDeliveryHE.YEARSTU AR
FD_YEARSTU_MA LearningDeliveryHE.YEARSTU MA
FD_MSTUFEE_AL LearningDeliveryHE.MSTUFEE AL 2
FD_MSTUFEE_MA LearningDeliveryHE.MSTUFEE MA
FD_PCOLAB_AL LearningDeliveryHE.PCOLAB AL 5
FD_PCOLAB_AR LearningDeliveryHE.PCOLAB AR
FD_SPECFEE_AL LearningDeliveryHE.SPECFEE AL 1
FD_SPECFEE_MA LearningDeliveryHE.SPECFEE MA
FD_NETFEE_AL LearningDeliveryHE.NETFEE AL 6
FD_NETFEE_AR LearningDeliveryHE.NETFEE AR
FD_GROSSFEE_AL LearningDeliveryHE.GROSSFEE AL 6
FD_GROSSFEE_AR LearningDeliveryHE.GROSSFEE AR
FD_PERMADDCOUNTRY_AL LearningDeliveryHE.PERMADDCOUNTRY AL 2
FD_PERMADDCOUNTRY_AP LearningDeliveryHE.PERMADDCOUNTRY AP
FD_ELQ_AL LearningDeliveryHE.ELQ AL 1
FD_HEPostCode_AL LearningDeliveryHE.HEPostCode AL 8
FD_HEPostCode_AP LearningDeliveryHE.HEPostCode AP
"""


def _parse(table: str) -> tuple[FdRule, ...]:
    out = []
    for line in table.strip().splitlines():
        code, where, kind, *limit = line.split()
        entity, field = where.split(".")
        out.append(FdRule(code, entity, field, kind, int(limit[0]) if limit else None))
    return tuple(out)


FD_RULES: tuple[FdRule, ...] = _parse(_TABLE)
