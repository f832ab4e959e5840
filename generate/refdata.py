"""Synthetic reference data matching the generator's catalogue: ``examples/refdata/`` (``make_refdata.py``).

Every aim, standard and assessment organisation the generator can use gets rows in the official layouts
(LARS CSV file stems and headings, the contracts and EPA organisation layouts of docs/refdata.md), so a
generated or example return validates with reference data and tests run without downloads. Titles, levels
and dates are invented; no row is copied from the agency's files.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ilrkit.generate import aims as catalogue
from ilrkit.generate import people

OPEN_FROM = "2015-08-01"  # every synthetic aim is open for new starts from this date, with no end
STANDARD_FROM = "2017-05-01"
# validity categories the agency's rules name; each synthetic aim is valid in all of them
VALIDITY_CATEGORIES = ("ANY", "1416_EFA", "1619_EFA", "ADULT_SKILLS", "FCFJ_ADULT_SKILLS", "APPRENTICESHIPS",
                       "ADV_LEARN_LOAN", "COMM_LEARN", "MCA_GLA", "TAILORED_LEARNING", "OLASS_ADULT", "UNEMPLOYED")

# LARS_LearningDelivery headings as published (the learning aims data set download)
LEARNING_DELIVERY_COLUMNS = (
    "LearnAimRef", "EffectiveFrom", "LearnAimRefTitle", "LearnAimRefType", "NotionalNVQLevel",
    "NotionalNVQLevelv2", "AwardOrgAimRef", "OperationalStartDate", "OperationalEndDate", "EnglandFEHEStatus",
    "CreditBasedFwkType", "QltyAssAgencyType", "OfQualGlhMin", "OfQualGlhMax", "FrameworkCommonComponent",
    "EntrySubLevel", "SuccessRateMapCode", "EnglPrscID", "AwardOrgCode", "UnitType", "LearningDeliveryGenre",
    "OfQualOfferedEngland", "RgltnStartDate", "SourceQualType", "SourceSystemRef", "SourceURLRef",
    "SourceURLLinkType", "OccupationalIndicator", "AccessHEIndicator", "KeySkillsIndicator",
    "FunctionalSkillsIndicator", "GCEIndicator", "GCSEIndicator", "ASLevelIndicator", "A2LevelIndicator",
    "ALevelIndicator", "QCFIndicator", "QCFDiplomaIndicator", "QCFCertificateIndicator", "EFACOFType",
    "SFAFundedIndicator", "DanceAndDramaIndicator", "Note", "LearnDirectClassSystemCode1",
    "LearnDirectClassSystemCode2", "LearnDirectClassSystemCode3", "RegulatedCreditValue", "SectorSubjectAreaTier1",
    "SectorSubjectAreaTier2", "MI_NotionalNVQLevel", "MI_NotionalNVQLevelv2", "GuidedLearningHours",
    "TotalQualificationTime", "Created_On", "Created_By", "Modified_On", "Modified_By", "EffectiveTo",
    "CertificationEndDate",
)
AUDIT = {"Created_On": "2024-06-01", "Created_By": "ilrkit example", "Modified_On": "2024-06-01",
         "Modified_By": "ilrkit example"}
TABLE_COLUMNS = {
    "LARS_Validity": ("LearnAimRef", "ValidityCategory", "StartDate", "EndDate", "LastNewStartDate") + tuple(AUDIT),
    "LARS_LearningDeliveryCategory": ("LearnAimRef", "CategoryRef", "EffectiveFrom", "EffectiveTo") + tuple(AUDIT),
    "LARS_Funding": ("LearnAimRef", "FundingCategory", "EffectiveFrom", "EffectiveTo", "RateWeighted",
                     "RateUnWeighted", "WeightingFactor") + tuple(AUDIT),
    "LARS_AnnualValue": ("LearnAimRef", "EffectiveFrom", "EffectiveTo", "BasicSkills", "BasicSkillsType",
                         "BasicSkillsParticipation", "FullLevel2EntitlementCategory", "FullLevel2Percent",
                         "FullLevel3EntitlementCategory", "FullLevel3Percent", "SfaApprovalStatus") + tuple(AUDIT),
    "LARS_Standard": ("StandardCode", "Version", "StandardName", "StandardSectorCode", "NotionalEndLevel",
                      "EffectiveFrom", "LastDateStarts", "EffectiveTo", "SectorSubjectAreaTier1",
                      "SectorSubjectAreaTier2", "IntegratedDegreeStandard", "OtherBodyApprovalRequired")
                     + tuple(AUDIT),
    "LARS_StandardFunding": ("StandardCode", "FundingCategory", "EffectiveFrom", "EffectiveTo", "BandNumber",
                             "CoreGovContributionCap", "1618Incentive", "SmallBusinessIncentive",
                             "AchievementIncentive", "FundableWithoutEmployer") + tuple(AUDIT),
    "LARS_StandardCommonComponent": ("StandardCode", "CommonComponent", "EffectiveFrom", "EffectiveTo", "MinLevel")
                                    + tuple(AUDIT),
    "LARS_StandardAims": ("StandardCode", "LearnAimRef", "EffectiveFrom", "EffectiveTo", "StandardComponentType")
                         + tuple(AUDIT),
    "LARS_StandardValidity": ("StandardCode", "ValidityCategory", "StartDate", "LastNewStartDate", "EndDate")
                             + tuple(AUDIT),
    "LARS_Framework": ("FworkCode", "ProgType", "PwayCode", "PathwayName", "NASTitle", "EffectiveFrom",
                       "EffectiveTo", "SectorSubjectAreaTier1", "SectorSubjectAreaTier2") + tuple(AUDIT),
    "LARS_FrameworkAims": ("FworkCode", "ProgType", "PwayCode", "LearnAimRef", "EffectiveFrom", "EffectiveTo",
                           "FrameworkComponentType") + tuple(AUDIT),
    "LARS_FrameworkCmnComp": ("FworkCode", "ProgType", "PwayCode", "CommonComponent", "EffectiveFrom",
                              "EffectiveTo", "MinLevel") + tuple(AUDIT),
    "LARS_Version": ("MajorNumber", "MinorNumber", "MaintenanceNumber", "MainDataSchemaName", "RefDataSchemaName",
                     "ActivationDate", "ExpiryDate", "Description", "Comment") + tuple(AUDIT),
}
CONTRACT_COLUMNS = ("ContractAllocationNumber", "FundingStreamPeriodCode", "DeliveryUKPRN", "StartDate", "EndDate",
                    "StopNewStartsFromDate")
EPA_COLUMNS = ("EPAOrgID", "StandardCode", "EffectiveFrom", "EffectiveTo")
# an extract of the ONS Postcode Directory: its column names, only the columns rules read
POSTCODE_COLUMNS = ("pcds", "dointr", "doterm")
ORGANISATION_COLUMNS = ("UKPRN", "Name", "LegalOrgType")
POSTCODES_FROM = "198001"  # ONSPD dates are YYYYMM
PROVIDER_ORG_TYPE = "PLTD"  # a private company: not a college (DD27) nor a specialist designated college
# the provider's funding streams in 2025-26 (codes as the agency's rules name them)
FUNDING_STREAMS = ("ASFC-ASCL2526", "ASFC-FCFJ2526", "APPS2526", "ALLBC2526", "16-18NLAP2018", "ANLAP2018", "LEVY1799",
                   "SBC2526")


# English and maths (LARS BasicSkillsType 1: maths, 2: English, as the agency's English and maths lists count
# them): the apprenticeship maths and English components, and the adult catalogue's aims, which the generator
# funds fully (FFI 1) whatever the learner's age, as only English and maths may be
BASIC_SKILLS = {catalogue.COMPONENTS[0]: "1", catalogue.COMPONENTS[1]: "2",
                **{ref: ("1", "2")[i % 2] for i, ref in enumerate(catalogue.ADULT_AIMS)}}
BOOTCAMP_SUBJECT_CATEGORY = "62"
CATEGORIES = {ref: (BOOTCAMP_SUBJECT_CATEGORY,) for ref in catalogue.BOOTCAMP_AIMS}


def _aim_kinds() -> dict[str, tuple[str, str, str]]:
    """Each catalogue aim -> (kind for its title, LearnAimRefType, NotionalNVQLevelv2). Invented values."""
    out: dict[str, tuple[str, str, str]] = {}
    groups = ((catalogue.STUDY_CORE, "Level 3 study programme core", "0006", "3"),
              (catalogue.STUDY_OTHER, "Level 2 qualification", "0006", "2"),
              (catalogue.GCSE_RESIT, "Level 2 resit", "0006", "2"),
              (catalogue.ADULT_AIMS, "Adult level 2 qualification", "0006", "2"),
              (catalogue.COMPONENTS, "Apprenticeship component", "0006", "2"),
              (catalogue.BOOTCAMP_AIMS, "Skills Bootcamp", "0006", "3"),
              (catalogue.HE_AIMS, "Higher education qualification", "0006", "4"))
    for refs, kind, aim_type, level in groups:
        for ref in refs:
            out.setdefault(ref, (kind, aim_type, level))
    out[catalogue.PROGRAMME_AIM] = ("Programme aim", "1439", "X")
    out[catalogue.WORK_EXPERIENCE] = ("Work experience", "1410", "X")
    return out


def lars_tables(extra_aims: set[str] | None = None) -> dict[str, list[dict]]:
    """The synthetic LARS set: official table names -> rows (headings as published)."""
    kinds = _aim_kinds()
    for ref in sorted(extra_aims or ()):
        kinds.setdefault(ref, ("Example qualification", "0006", "2"))
    tables: dict[str, list[dict]] = {name: [] for name in ("LARS_LearningDelivery", *TABLE_COLUMNS)}
    for ref, (kind, aim_type, level) in sorted(kinds.items()):
        tables["LARS_LearningDelivery"].append({
            "LearnAimRef": ref, "EffectiveFrom": OPEN_FROM, "LearnAimRefTitle": f"{kind} (example aim {ref})",
            "LearnAimRefType": aim_type, "NotionalNVQLevel": level if level != "X" else "X", "NotionalNVQLevelv2": level,
            "AwardOrgCode": "EXAMPLE", "EnglandFEHEStatus": "F" if level not in ("4",) else "H",
            "LearningDeliveryGenre": "NA", "SectorSubjectAreaTier1": "15.00", "SectorSubjectAreaTier2": "15.30",
            "GuidedLearningHours": "120", **AUDIT})
        for category in VALIDITY_CATEGORIES:
            tables["LARS_Validity"].append({"LearnAimRef": ref, "ValidityCategory": category, "StartDate": OPEN_FROM,
                                            **AUDIT})
        tables["LARS_Funding"].append({"LearnAimRef": ref, "FundingCategory": "Matrix", "EffectiveFrom": OPEN_FROM,
                                       "RateWeighted": "1000.00000", "RateUnWeighted": "1000.00000",
                                       "WeightingFactor": "A", **AUDIT})
        basic = BASIC_SKILLS.get(ref)
        tables["LARS_AnnualValue"].append({"LearnAimRef": ref, "EffectiveFrom": OPEN_FROM,
                                           "BasicSkills": "1" if basic else "0", "BasicSkillsType": basic,
                                           "BasicSkillsParticipation": "0", **AUDIT})
        for category in CATEGORIES.get(ref, ()):
            tables["LARS_LearningDeliveryCategory"].append({"LearnAimRef": ref, "CategoryRef": category,
                                                            "EffectiveFrom": OPEN_FROM, **AUDIT})
    for code, _hours in catalogue.STANDARDS:
        tables["LARS_Standard"].append({"StandardCode": code, "Version": "1",
                                        "StandardName": f"Example apprenticeship standard {code}",
                                        "NotionalEndLevel": "3", "EffectiveFrom": STANDARD_FROM, **AUDIT})
        tables["LARS_StandardFunding"].append({"StandardCode": code, "FundingCategory": "Apprenticeship",
                                               "EffectiveFrom": STANDARD_FROM, "BandNumber": "20",
                                               "CoreGovContributionCap": "27000.00000", **AUDIT})
        tables["LARS_StandardValidity"].append({"StandardCode": code, "ValidityCategory": "APPRENTICESHIPS",
                                                "StartDate": STANDARD_FROM, **AUDIT})
    tables["LARS_Version"].append({"MajorNumber": "7", "MinorNumber": "0", "MaintenanceNumber": "1",
                                   "MainDataSchemaName": "Version_007", "ActivationDate": "2025-08-01",
                                   "Description": "Synthetic example LARS made by ilrkit", **AUDIT})
    return tables


def contracts(ukprn: str) -> list[dict]:
    """One 2025-26 contract allocation per funding stream, for the provider's own UKPRN (invented numbers)."""
    return [{"ContractAllocationNumber": f"EXMP-{i + 1:04d}", "FundingStreamPeriodCode": stream,
             "DeliveryUKPRN": ukprn, "StartDate": "2025-08-01", "EndDate": "2026-07-31"}
            for i, stream in enumerate(FUNDING_STREAMS)]


def epa_organisations() -> list[dict]:
    return [{"EPAOrgID": org, "StandardCode": code, "EffectiveFrom": STANDARD_FROM}
            for org in catalogue.EPA_ORGS for code, _hours in catalogue.STANDARDS]


def postcodes(found: set[str] | None) -> list[dict]:
    """An ONS-style extract (in use since 1980, not ended, in ``pcds`` form) of every postcode the generator can
    give and those given (the example workbook's)."""
    units = {" ".join(str(p).upper().split()) for p in (*people.all_postcodes(), *(found or ())) if str(p).strip()}
    return [{"pcds": unit, "dointr": POSTCODES_FROM} for unit in sorted(units)]


def organisations(ukprn: str, others: set[str] | None = None) -> list[dict]:
    """The provider (a private training company) and any other UKPRN the example names (invented names)."""
    rows = [{"UKPRN": ukprn, "Name": "Example Training Provider Ltd", "LegalOrgType": PROVIDER_ORG_TYPE}]
    for i, other in enumerate(sorted(set(others or ()) - {ukprn})):
        rows.append({"UKPRN": other, "Name": f"Example Partner Organisation {i + 1}"})
    return rows


def csv_text(columns: tuple[str, ...], rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n", extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return buf.getvalue()


def files(ukprn: str = "10000001", extra_aims: set[str] | None = None, postcode_units: set[str] | None = None,
          ukprns: set[str] | None = None) -> dict[str, str]:
    """Relative path -> CSV text for the whole example set (``postcode_units``, ``ukprns``: those the example
    workbook uses, for the postcode extract and the organisations list)."""
    out = {}
    for name, rows in lars_tables(extra_aims).items():
        columns = LEARNING_DELIVERY_COLUMNS if name == "LARS_LearningDelivery" else TABLE_COLUMNS[name]
        out[f"LARS/{name}.csv"] = csv_text(columns, rows)
    out["contracts.csv"] = csv_text(CONTRACT_COLUMNS, contracts(ukprn))
    out["epa-organisations.csv"] = csv_text(EPA_COLUMNS, epa_organisations())
    out["postcodes.csv"] = csv_text(POSTCODE_COLUMNS, postcodes(postcode_units))
    out["organisations.csv"] = csv_text(ORGANISATION_COLUMNS, organisations(ukprn, ukprns))
    return out


def example_keys(data) -> dict[str, set[str]]:
    """What the example set must cover from a generated ILR: its aims, its postcodes (the generator draws
    random units, so the postcode extract is taken from the file itself) and the UKPRNs it names."""
    aims: set[str] = set()
    units: set[str] = set()
    ukprns: set[str] = set()
    for df in data.tables.values():
        for col in df.columns:
            values = {str(v) for v in df[col].dropna() if str(v).strip()}
            if col == "LearnAimRef":
                aims |= values
            elif "postcode" in col.casefold():
                units |= values
            elif col.upper().endswith("UKPRN"):
                ukprns |= values
    return {"extra_aims": aims, "postcode_units": units, "ukprns": ukprns}


def write(folder: Path, **kwargs) -> list[Path]:
    written = []
    for rel, text in files(**kwargs).items():
        path = Path(folder) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written
