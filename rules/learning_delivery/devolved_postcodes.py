"""The learner's postcode at the start of learning against the devolved postcodes file (``DevolvedPostcodes``).

Read as the agency's own implementation of these rules does (see docs/refdata.md): an aim is wrong when its
postcode is in a devolved area but its source of funding (SOF) is not that area's, when the area's funding was
not in effect on the start date, or when it is funded by a combined authority (DD35) from a postcode outside
every devolved area. Postcodes the file does not list are fine for the agency's own funding.
"""

import datetime as dt

from ilrkit.rules.derived import dd35_devolved_funding
from ilrkit.rules.learning_delivery._organisations import ORGANISATIONS, provider_org_value
from ilrkit.rules.refsets import DEVOLVED, UNKNOWN_POSTCODE, devolved_areas
from ilrkit.rules.registry import ERROR, rule

FROM_2019, FROM_2021, FROM_2024 = dt.date(2019, 8, 1), dt.date(2021, 8, 1), dt.date(2024, 8, 1)


def _wrong_area(aim) -> bool:
    postcode = aim["LSDPostcode"]
    if postcode is None or postcode.strip().upper() == UNKNOWN_POSTCODE:
        return False
    if aim.is_restart or aim.has_fam("DAM", "001"):
        return False
    areas = devolved_areas(aim.ctx, postcode)
    for sof in aim.fam_codes("SOF"):
        matching = [(start, end) for code, start, end in areas if code == sof]
        if not areas and dd35_devolved_funding(aim):
            return True
        if areas and not matching:
            return True
        if matching and not any((start is None or start <= aim.start) and (end is None or aim.start <= end)
                                for start, end in matching):
            return True
    return False


@rule("LSDPostcode_04", severity=ERROR, entity="LearningDelivery", fields=("LSDPostcode",), needs=(DEVOLVED,),
      fund_models=(35, 10),
      message="The postcode at the start of learning ({LSDPostcode}) does not match the source of funding: it is "
              "in a devolved authority's area (which funds learners living there), or the aim is funded by a "
              "devolved authority the postcode is outside. Check the postcode and the SOF code.")
def lsdpostcode_04(aim):
    return aim.start is not None and FROM_2021 <= aim.start < FROM_2024 and _wrong_area(aim)


@rule("LSDPostcode_06", severity=ERROR, entity="LearningDelivery", fields=("LSDPostcode",), needs=(DEVOLVED,),
      fund_models=(38, 11),
      message="The postcode at the start of learning ({LSDPostcode}) does not match the source of funding: it is "
              "in a devolved authority's area (which funds learners living there), or the aim is funded by a "
              "devolved authority the postcode is outside. Check the postcode and the SOF code.")
def lsdpostcode_06(aim):
    return aim.start is not None and aim.start >= FROM_2024 and _wrong_area(aim)


def _long_term_residential_college(ctx) -> bool:
    """The organisations list marks the provider as a long-term residential college (LongTermResid 1)."""
    return (provider_org_value(ctx, "LongTermResid") or "").upper() in ("1", "Y", "YES", "TRUE")


@rule("LSDPostcode_02", severity=ERROR, entity="LearningDelivery", fields=("LSDPostcode",),
      needs=(DEVOLVED, ORGANISATIONS), fund_models=(35, 10),
      message="The postcode at the start of learning ({LSDPostcode}) does not match the source of funding: it is "
              "in a devolved authority's area (which funds learners living there), or the aim is funded by a "
              "devolved authority the postcode is outside. Check the postcode and the SOF code.")
def lsdpostcode_02(aim):
    # programme aims and their components (ProgType known), OLASS aims (LDM 034) and long-term residential
    # colleges are left out
    return (aim.start is not None and FROM_2019 <= aim.start < FROM_2021 and aim.prog_type is None
            and not aim.has_fam("LDM", "034") and not _long_term_residential_college(aim.ctx) and _wrong_area(aim))
