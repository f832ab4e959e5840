"""The provider's own entry in the Organisations reference set (no rules are declared here)."""

from __future__ import annotations

from ilrkit.converter.model import LEARNING_PROVIDER_UKPRN

ORGANISATIONS = "Organisations"
SPECIALIST_DESIGNATED_COLLEGE = "USDC"


def _key(value) -> str | None:
    text = None if value is None else str(value).strip()
    return text or None


def provider_legal_org_type(ctx) -> str | None:
    """The LegalOrgType the loaded organisations list gives for the file's provider (LearningProvider.UKPRN),
    or None when the list has no such column or no row for the provider."""
    def compute(c):
        table = (c.reference.get(ORGANISATIONS) or {}).get("Organisation")
        ukprn = _key(c.data.header.get(LEARNING_PROVIDER_UKPRN))
        if table is None or ukprn is None or "LegalOrgType" not in table.columns or "UKPRN" not in table.columns:
            return None
        for row_ukprn, org_type in zip(table["UKPRN"].tolist(), table["LegalOrgType"].tolist()):
            if _key(row_ukprn) == ukprn:
                return (_key(org_type) or "").upper() or None
        return None

    return ctx.once("organisations:provider_legal_org_type", compute)


def known_not_specialist_college(ctx) -> bool:
    """The organisations list says what kind of organisation the provider is, and it is not a specialist
    designated college (USDC). Without that, rules that leave such colleges out cannot tell, so stay quiet."""
    org_type = provider_legal_org_type(ctx)
    return org_type is not None and org_type != SPECIALIST_DESIGNATED_COLLEGE


# DD27: the provider is a college or a grant-funded provider (these LegalOrgType codes)
COLLEGE_OR_GRANT_FUNDED = frozenset({"USFC", "USDC", "USAH", "USAD", "UGFE", "UHEO", "ULEA", "ULAD", "USCL", "LAFB",
                                     "UFES", "SSPS"})
HIGHER_EDUCATION_ORGANISATION = "UHEO"


def dd27_college_or_grant_funded(ctx) -> bool | None:
    """DD27 for the file's provider: True or False from its LegalOrgType, None when the list does not say."""
    org_type = provider_legal_org_type(ctx)
    return None if org_type is None else org_type in COLLEGE_OR_GRANT_FUNDED


def provider_org_value(ctx, column: str) -> str | None:
    """Another column of the provider's row in the organisations list (e.g. LongTermResid), or None."""
    table = (ctx.reference.get(ORGANISATIONS) or {}).get("Organisation")
    ukprn = _key(ctx.data.header.get(LEARNING_PROVIDER_UKPRN))
    if table is None or ukprn is None or column not in table.columns or "UKPRN" not in table.columns:
        return None
    for row_ukprn, value in zip(table["UKPRN"].tolist(), table[column].tolist()):
        if _key(row_ukprn) == ukprn:
            return _key(value)
    return None


OFS_PROVIDERS = "OfSProviders"


def provider_on_ofs_register(ctx) -> bool:
    """The file's provider (LearningProvider.UKPRN) is on the loaded Office for Students register."""
    def compute(c):
        table = (c.reference.get(OFS_PROVIDERS) or {}).get("OfSProvider")
        ukprn = _key(c.data.header.get(LEARNING_PROVIDER_UKPRN))
        if table is None or ukprn is None or "UKPRN" not in table.columns:
            return False
        return any(_key(v) == ukprn for v in table["UKPRN"].tolist())

    return ctx.once("organisations:provider_on_ofs_register", compute)
