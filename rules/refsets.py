"""Look-ups in the non-LARS reference sets (contracts, postcodes, organisations, EPA organisations).

Tables and columns are those of docs/refdata.md (``ilrkit.refdata``). Each table is turned into a small index
once per validation (``Context.once``), so a rule's look-up is a dict or set access. Postcodes are compared in
upper case without spaces, UKPRNs and EPA organisation ids without surrounding spaces (ids in upper case).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from ilrkit.refdata.dates import ref_date

CONTRACTS, POSTCODES, ORGANISATIONS, EPA = "Contracts", "Postcodes", "Organisations", "EPAOrganisations"
DEVOLVED = "DevolvedPostcodes"
UNKNOWN_POSTCODE = "ZZ99 9ZZ"  # the agency's "postcode not known" value


def _rows(ctx, set_name: str, table: str) -> list[dict]:
    tables = ctx.reference.get(set_name) or {}
    df = tables.get(table)
    if df is None or df.empty:
        return []
    cols = list(df.columns)
    return [dict(zip(cols, values)) for values in zip(*(df[c].tolist() for c in cols))]


def _postcode(value) -> str:
    return str(value).upper().replace(" ", "")


def known_postcode(ctx, value: str | None) -> bool:
    """The postcode is on the complete list of UK postcodes loaded (ONS_Postcode.pcds)."""
    if value is None:
        return False
    index = ctx.once("refsets.postcodes", lambda c: {_postcode(r["pcds"]) for r in _rows(c, POSTCODES, "ONS_Postcode")
                                                     if r.get("pcds")})
    return _postcode(value) in index


def postcode_ok(ctx, value: str | None) -> bool:
    """Blank, the "not known" postcode ZZ99 9ZZ, or a postcode on the loaded list."""
    return value is None or _postcode(value) == _postcode(UNKNOWN_POSTCODE) or known_postcode(ctx, value)


def devolved_areas(ctx, postcode: str | None) -> list[tuple[str, dt.date | None, dt.date | None]]:
    """The devolved postcodes file's rows for a postcode: (SourceOfFunding, EffectiveFrom, EffectiveTo)."""
    def build(c) -> dict[str, list[tuple]]:
        out: dict[str, list[tuple]] = defaultdict(list)
        for r in _rows(c, DEVOLVED, "DevolvedPostcode"):
            if r.get("Postcode") and r.get("SourceOfFunding"):
                out[_postcode(r["Postcode"])].append((str(r["SourceOfFunding"]).strip(), ref_date(r.get("EffectiveFrom")),
                                                      ref_date(r.get("EffectiveTo"))))
        return out

    if postcode is None:
        return []
    return ctx.once("refsets.devolved", build).get(_postcode(postcode), [])


def known_ukprn(ctx, value: str | None) -> bool:
    """The UKPRN is in the loaded organisations list."""
    index = ctx.once("refsets.ukprns", lambda c: {str(r["UKPRN"]).strip() for r in _rows(c, ORGANISATIONS,
                                                                                          "Organisation")
                                                  if r.get("UKPRN")})
    return value is not None and str(value).strip() in index


@dataclass(frozen=True, slots=True)
class Contract:
    """One contract allocation (FCS ContractAllocation) of the provider."""

    stream: str
    start: dt.date | None
    end: dt.date | None
    stop_new_starts: dt.date | None
    number: str = ""


def _contract_index(ctx) -> dict[str, list[Contract]]:
    """The file's provider's contract allocations by funding stream period code."""
    def build(c) -> dict[str, list[Contract]]:
        ukprn = str((c.data.header or {}).get("UKPRN") or "").strip()
        out: dict[str, list[Contract]] = defaultdict(list)
        for r in _rows(c, CONTRACTS, "ContractAllocation"):
            if str(r.get("DeliveryUKPRN") or "").strip() != ukprn or not r.get("FundingStreamPeriodCode"):
                continue
            stream = r["FundingStreamPeriodCode"].strip().upper()
            out[stream].append(Contract(stream, ref_date(r.get("StartDate")), ref_date(r.get("EndDate")),
                                        ref_date(r.get("StopNewStartsFromDate")),
                                        str(r.get("ContractAllocationNumber") or "").strip().upper()))
        return out

    return ctx.once("refsets.contracts", build)


def contracts(ctx, streams: frozenset[str]) -> list[Contract]:
    """The file's provider's contract allocations in any of ``streams`` (FundingStreamPeriodCode)."""
    index = _contract_index(ctx)
    return [c for s in streams for c in index.get(s, ())]


def contract_numbered(ctx, number: str | None) -> Contract | None:
    """The provider's contract allocation with this ContractAllocationNumber (an aim's ConRefNumber)."""
    if number is None:
        return None
    index = ctx.once("refsets.contracts.by_number",
                     lambda c: {k.number: k for ks in _contract_index(c).values() for k in ks if k.number})
    return index.get(str(number).strip().upper())


def latest_contract(ctx, streams: frozenset[str]) -> Contract | None:
    """The contract in ``streams`` with the latest start date (the one whose stop-new-starts date counts)."""
    found = contracts(ctx, streams)
    if not found:
        return None
    return max(found, key=lambda c: c.start or dt.date.min)


def epa_valid(ctx, org_id: str | None, std_code: str | None, day: dt.date | None) -> bool:
    """The EPA organisation is registered for the standard on ``day``."""
    def build(c) -> dict[tuple[str, str], list[tuple]]:
        out: dict[tuple[str, str], list[tuple]] = defaultdict(list)
        for r in _rows(c, EPA, "EPAOrganisation"):
            if r.get("EPAOrgID") and r.get("StandardCode"):
                out[(r["EPAOrgID"].strip().upper(), _code(r["StandardCode"]))].append(
                    (ref_date(r.get("EffectiveFrom")), ref_date(r.get("EffectiveTo"))))
        return out

    if org_id is None or std_code is None or day is None:
        return False
    periods = ctx.once("refsets.epa", build).get((str(org_id).strip().upper(), _code(std_code)), ())
    return any((start is None or start <= day) and (end is None or day <= end) for start, end in periods)


def _code(value) -> str:
    text = str(value).strip()
    try:
        return str(int(float(text)))
    except ValueError:
        return text.upper()


@dataclass(frozen=True)
class BootcampContracts:
    """The provider's Skills Bootcamp contracts: allocation number -> its deliverable codes (empty when the
    contracts list gives none), and the Skills Bootcamps contract reference numbers (ILRContractRefNumber)."""

    deliverables: dict[str, frozenset[str]]
    ilr_refs: frozenset[str]


def bootcamp_contracts(ctx, streams: frozenset[str]) -> BootcampContracts:
    def build(c) -> BootcampContracts:
        ukprn = str((c.data.header or {}).get("UKPRN") or "").strip()
        deliverables: dict[str, set[str]] = defaultdict(set)
        refs = set()
        for r in _rows(c, CONTRACTS, "ContractAllocation"):
            if r.get("ILRContractRefNumber"):
                refs.add(str(r["ILRContractRefNumber"]).strip().upper())
            if (str(r.get("DeliveryUKPRN") or "").strip() != ukprn or not r.get("ContractAllocationNumber")
                    or str(r.get("FundingStreamPeriodCode") or "").strip().upper() not in streams):
                continue
            codes = deliverables[str(r["ContractAllocationNumber"]).strip().upper()]
            if r.get("DeliverableCode"):
                codes.add(str(r["DeliverableCode"]).strip().upper())
        return BootcampContracts({k: frozenset(v) for k, v in deliverables.items()}, frozenset(refs))

    return ctx.once("refsets.bootcamps", build)
