"""The reference data sets ilrkit can load: their tables, required columns and keys (docs/refdata.md).

Names are the publisher's own: LARS tables are the CSV file stems of the agency's "download the learning aims
data set" zip and their columns the header names, as in the LARS table and field definitions.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Table:
    name: str
    required: tuple[str, ...]
    keys: tuple[str, ...] = ()  # rows are loaded for the values of these the file uses; () = loaded whole


@dataclass(frozen=True)
class RefSet:
    name: str  # as rules name it in needs=(...)
    title: str  # what a clerk calls it
    source: str  # which file to load, for messages
    tables: tuple[Table, ...]
    agency_names: tuple[str, ...] = ()  # the agency's names for it in its rule classification
    optional: dict[str, tuple[str, ...]] = field(default_factory=dict)  # table -> known optional columns

    def table(self, name: str) -> Table | None:
        return next((t for t in self.tables if t.name == name), None)


AIM, STD = "LearnAimRef", "StandardCode"

LARS = RefSet(
    "LARS", "LARS (learning aims)", "the LARS \"download the learning aims data set\" CSV zip",
    (
        Table("LARS_LearningDelivery", (AIM, "LearnAimRefTitle", "LearnAimRefType", "NotionalNVQLevelv2",
                                        "EffectiveFrom", "EffectiveTo"), (AIM,)),
        Table("LARS_Validity", (AIM, "ValidityCategory", "StartDate", "EndDate", "LastNewStartDate"), (AIM,)),
        Table("LARS_LearningDeliveryCategory", (AIM, "CategoryRef", "EffectiveFrom", "EffectiveTo"), (AIM,)),
        Table("LARS_Funding", (AIM, "FundingCategory", "EffectiveFrom", "EffectiveTo", "WeightingFactor"), (AIM,)),
        Table("LARS_AnnualValue", (AIM, "EffectiveFrom", "EffectiveTo", "BasicSkills", "BasicSkillsType",
                                   "FullLevel2EntitlementCategory", "FullLevel3EntitlementCategory"), (AIM,)),
        Table("LARS_Standard", (STD, "NotionalEndLevel", "EffectiveFrom", "EffectiveTo"), (STD,)),
        Table("LARS_StandardFunding", (STD, "FundingCategory", "EffectiveFrom", "EffectiveTo"), (STD,)),
        Table("LARS_StandardCommonComponent", (STD, "CommonComponent", "EffectiveFrom", "EffectiveTo", "MinLevel"),
              (STD,)),
        Table("LARS_StandardAims", (STD, AIM, "EffectiveFrom", "EffectiveTo", "StandardComponentType"), (AIM, STD)),
        Table("LARS_StandardValidity", (STD, "ValidityCategory", "StartDate", "LastNewStartDate", "EndDate"), (STD,)),
        Table("LARS_Framework", ("FworkCode", "ProgType", "PwayCode", "EffectiveFrom", "EffectiveTo")),
        Table("LARS_FrameworkAims", ("FworkCode", "ProgType", "PwayCode", AIM, "EffectiveFrom", "EffectiveTo",
                                     "FrameworkComponentType"), (AIM,)),
        Table("LARS_FrameworkCmnComp", ("FworkCode", "ProgType", "PwayCode", "CommonComponent", "EffectiveFrom",
                                        "EffectiveTo", "MinLevel")),
    ),
    ("LARS",),
)

CONTRACTS = RefSet(
    "Contracts", "your funding contracts", "a contracts CSV (or the workbook's Contracts sheet)",
    (Table("ContractAllocation", ("ContractAllocationNumber", "FundingStreamPeriodCode", "DeliveryUKPRN",
                                  "StartDate", "EndDate")),),
    ("FCS_contracts",),
    {"ContractAllocation": ("StopNewStartsFromDate", "DeliverableCode", "ILRContractRefNumber")},
)

POSTCODES = RefSet(
    "Postcodes", "UK postcodes", "the ONS Postcode Directory (or an extract with a pcds column)",
    (Table("ONS_Postcode", ("pcds",), ("pcds",)),),
    ("ONS_postcodes",), {"ONS_Postcode": ("dointr", "doterm")},
)

DEVOLVED = RefSet(
    "DevolvedPostcodes", "devolved-authority postcodes", "the agency's devolved (MCA/GLA) postcodes file",
    (Table("DevolvedPostcode", ("Postcode", "Area", "SourceOfFunding", "EffectiveFrom"), ("Postcode",)),),
    ("devolved_postcodes",), {"DevolvedPostcode": ("EffectiveTo",)},
)

ORGANISATIONS = RefSet(
    "Organisations", "organisations (UKPRNs)", "a list of UKPRNs (a UKRLP or register extract with a UKPRN column)",
    (Table("Organisation", ("UKPRN",), ("UKPRN",)),),
    ("Organisations",), {"Organisation": ("Name", "LegalOrgType", "LongTermResid")},
)

OFS = RefSet(
    "OfSProviders", "the Office for Students register",
    "the Office for Students register of providers, saved as CSV (its UKPRN column and a registration column)",
    (Table("OfSProvider", ("UKPRN",), ("UKPRN",)),),
    ("OfSProviders",), {"OfSProvider": ("Name", "RegistrationCategory")},
)

EPA = RefSet(
    "EPAOrganisations", "end-point assessment organisations",
    "the register of end-point assessment organisations (EPAOrgID, StandardCode, EffectiveFrom, EffectiveTo)",
    (Table("EPAOrganisation", ("EPAOrgID", "StandardCode", "EffectiveFrom")),),
    ("EPA_organisations",), {"EPAOrganisation": ("EffectiveTo",)},
)

SETS: dict[str, RefSet] = {s.name: s for s in (LARS, CONTRACTS, POSTCODES, DEVOLVED, ORGANISATIONS, EPA, OFS)}

# sets the agency's rules need that no published or user-held file gives, and why
NOT_LOADABLE = {
    "EDRS_employers": "the employer register (EDRS) is not published",
    "ULN_register": "the Learning Records Service's register of ULNs is not published",
    "campus_identifiers": "the agency's campus identifier table is not published",
    "STFI_provider_LDM": "the agency's short-term funding initiative table is not published",
    "submission_history": "only the agency holds your earlier submissions",
}


def by_agency_name(name: str) -> RefSet | None:
    """The set the agency's rule classification means by ``name`` (FCS_contracts, ONS_postcodes, ...)."""
    return SETS.get(name) or next((s for s in SETS.values() if name in s.agency_names), None)


def missing_sets_hint(counts: dict[str, int]) -> str:
    """What a report says about reference data that was missing: per set, how many rules waited for it, and
    how to load it (``counts``: set name as a rule's ``needs`` or the agency names it -> rules)."""
    loadable: dict[str, int] = {}
    other: dict[str, int] = {}
    for name, n in counts.items():
        found = by_agency_name(name)
        if found is not None:
            loadable[found.title] = loadable.get(found.title, 0) + n
        else:
            other[name.replace("_", " ")] = other.get(name.replace("_", " "), 0) + n
    parts = []
    if loadable:
        items = ", ".join(f"{title} {n}" for title, n in sorted(loadable.items(), key=lambda kv: -kv[1]))
        parts.append(f"not loaded: {items} (load them with `ilr refdata add FILE`; `ilr refdata list` shows "
                     "what is loaded)")
    if other:
        items = ", ".join(f"{title} {n}" for title, n in sorted(other.items(), key=lambda kv: -kv[1]))
        parts.append(f"no file to load: {items}")
    return "; ".join(parts)
