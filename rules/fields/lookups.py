"""Valid-code rules: a field's value must be one of the year's codes (the agency's ILR_* lookups).

The rules here say only "valid lookup", with no dates, so a code passes if it is in the year's list at all.
Codes of whole-number fields are compared as numbers (``031`` is code 31; its length is FD_*_AL's
business); a value that is not a number is left to ILR_NumberFormat. Code lists that the year pack marks
as uncertain (known to be partial) are not used to reject a value: a real code missing from our list must
never cost a learner their funding.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from ilrkit.rules.fields import masks
from ilrkit.rules.fields.base import field_rule
from ilrkit.schemas import Spec, load_spec


@cache
def valid_codes(year: str, key: str, numeric: bool) -> frozenset[str]:
    found = load_spec(year).codelist(key)
    if found is None:
        return frozenset()
    return frozenset(str(int(c.code)) if numeric and c.code.isdigit() else c.code for c in found.codes)


def _short_list(key: str) -> str:
    found = load_spec().codelist(key)
    return ", ".join(c.code for c in found.codes) if found else ""


def not_in_list(entity: str, field: str, key: str, any_case: frozenset[str] = frozenset()):
    """A ``fails`` test: the value is a well-formed code that is not in the year's list ``key``.

    ``any_case``: upper-case values that also pass, however they are written (``NONE``).
    """

    def fails(s: pd.Series, spec: Spec) -> pd.Series:
        numeric = spec.entity(entity).field(field).is_numeric
        codes = valid_codes(spec.year, key, numeric)
        missing = ~masks.text(s).isin(codes)
        if any_case:
            missing &= ~masks.text(s).str.upper().isin(any_case)
        if numeric and missing.any():
            # only unusual spellings of numbers ("031") need a second look
            odd = s[missing]
            missing[missing] = (masks.is_int(odd) & ~masks.int_text(odd).isin(codes)).to_numpy()
        return missing

    return fails


def lookup(code: str, entity: str, field: str, message: str, key: str | None = None,
           any_case: frozenset[str] = frozenset()):
    return field_rule(code, entity, field, not_in_list(entity, field, key or f"{entity}.{field}", any_case),
                      message=message)


lookup("Ethnicity_01", "Learner", "Ethnicity",
       "Ethnicity code {value} is not one of the ILR ethnicity codes. Pick the learner's ethnic group from the "
       "list (31 to 47, 98 for any other group, or 99 if the learner chose not to say).")
lookup("Sex_01", "Learner", "Sex",
       "Sex \"{value}\" is not a valid value. Enter F or M, as a capital letter.")
lookup("LLDDHealthProb_01", "Learner", "LLDDHealthProb",
       "Has learning difficulty or disability: {value} is not a valid answer. Enter 1 (yes), 2 (no) or "
       "9 (not provided).")
lookup("Accom_01", "Learner", "Accom",
       f"Accommodation code {{value}} is not valid. The only code is {_short_list('Learner.Accom')} (living "
       "away from home); leave the cell blank otherwise.")
# "NONE" is accepted in any case, as the agency does; grades must match the list exactly
_NONE = frozenset({"NONE"})
lookup("MathGrade_02", "Learner", "MathGrade",
       "GCSE maths grade \"{value}\" is not a GCSE grade. Enter the grade as on the certificate (9 to 1, A* to "
       "G, U, or a double award such as AB), or NONE if the learner has no GCSE maths.", any_case=_NONE)
lookup("EngGrade_02", "Learner", "EngGrade",
       "GCSE English grade \"{value}\" is not a GCSE grade. Enter the grade as on the certificate (9 to 1, A* "
       "to G, U, or a double award such as AB), or NONE if the learner has no GCSE English.", any_case=_NONE)
lookup("PriorAttain_03", "PriorAttain", "PriorLevel",
       "Prior attainment level {value} is not a valid level code. Pick the learner's highest level from the "
       "list (1 to 10, or 97, 98 or 99).")
lookup("LLDDCat_01", "LLDDandHealthProblem", "LLDDCat",
       "Difficulty or disability category {value} is not a valid category code. Pick the category from the "
       "list.")
lookup("PrimaryLLDD_02", "LLDDandHealthProblem", "PrimaryLLDD",
       f"Primary difficulty or disability must be {_short_list('LLDDandHealthProblem.PrimaryLLDD')} on the "
       "learner's main category, or blank; {value} is not valid.")
lookup("ProvSpecLearnMonOccur_01", "ProviderSpecLearnerMonitoring", "ProvSpecLearnMonOccur",
       "Provider learner monitoring slot \"{value}\" is not valid. Use A or B (capital letters).",
       key="ProviderSpecLearnerMonitoring.ProvSpecLearnMonOccur")
lookup("EmpStat_05", "LearnerEmploymentStatus", "EmpStat",
       "Employment status {value} is not a valid code. Use 10 (in paid employment), 11 (not employed, looking "
       "for work), 12 (not employed, not looking) or 98 (not known / not provided).")
lookup("TTACCOM_01", "LearnerHE", "TTACCOM",
       "Term-time accommodation code {value} is not valid. Pick the code from the list.")
lookup("FINTYPE_01", "LearnerHEFinancialSupport", "FINTYPE",
       "HE financial support type {value} is not valid. Use 1 (cash), 2 (near cash), 3 (accommodation "
       "discount) or 4 (other).")
lookup("AimType_01", "LearningDelivery", "AimType",
       "Aim type {value} is not a valid code. Use 1 (programme aim), 3 (component of a programme), 4 (not part "
       "of a programme) or 5 (core aim).")
lookup("FundModel_01", "LearningDelivery", "FundModel",
       "Funding model {value} is not a valid code. Pick the funding model from the list (for example 35, 36 "
       "or 99).")
lookup("CompStatus_01", "LearningDelivery", "CompStatus",
       "Completion status {value} is not a valid code. Use 1 (continuing), 2 (completed), 3 (withdrawn) or "
       "6 (break in learning).")
lookup("WithdrawReason_02", "LearningDelivery", "WithdrawReason",
       "Withdrawal reason {value} is not a valid code. Pick the reason from the list.")
lookup("Outcome_01", "LearningDelivery", "Outcome",
       "Outcome {value} is not a valid code. Use 1 (achieved), 2 (partial achievement), 3 (no achievement) "
       "or 8 (learning activities complete, outcome not yet known).")
lookup("Tlout_02", "LearningDelivery", "TLOut",
       "Tailored learning outcome {value} is not a valid code. Pick the outcome from the list (1 to 11).")
lookup("WorkPlaceMode_01", "LearningDeliveryWorkPlacement", "WorkPlaceMode",
       "Work placement mode {value} is not valid. Use 1 (internal or simulated) or 2 (external).")
lookup("ProvSpecDelMonOccur_01", "ProviderSpecDeliveryMonitoring", "ProvSpecDelMonOccur",
       "Provider aim monitoring slot \"{value}\" is not valid. Use A, B, C or D (capital letters).")
lookup("SEC_01", "LearningDeliveryHE", "SEC",
       "Socio-economic classification {value} is not a valid code. Use a code from 1 to 9.")
lookup("FUNDLEV_01", "LearningDeliveryHE", "FUNDLEV",
       "Level for HE funding {value} is not a valid code. Pick the level from the list.")
lookup("ELQ_02", "LearningDeliveryHE", "ELQ",
       "Equivalent or lower qualification code {value} is not valid. Use 1, 2, 3 or 9.")
