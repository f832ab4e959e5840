"""How many FAM records of a type an aim may have, and whether each code was valid when the aim started."""

from ilrkit.rules.columns import children, date, fam_where, has_fam, text_in
from ilrkit.rules.learning_delivery.fam_types_common import CODE, TYPE, code_dates, extra_hits, fam_hit, fam_index
from ilrkit.rules.registry import ERROR, rule
from ilrkit.rules.year import spec_of

SINGLE_TYPES = frozenset({"SOF", "FFI", "EEF", "RES", "ADL", "ACL", "AFL", "ASL", "FLN"})
# COVID-19 codes that were allowed on aims started before the codes existed (LearnDelFAMType_104)
BACKDATED_LDM = frozenset({"368", "369"})


def _has_last_date(fam_type: str | None, code: str | None) -> bool:
    return code_dates().get((fam_type, code), (None, None))[1] is not None


def _ldm_with_first_date(fam_type: str | None, code: str | None) -> bool:
    return (fam_type == "LDM" and code not in BACKDATED_LDM
            and code_dates().get(("LDM", code), (None, None))[0] is not None)


@rule("LearnDelFAMType_18", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMType",),
      message="This aim has {count} {LearnDelFAMType} records, but only one is allowed. Keep the right one "
              "and delete the others.",
      when=children("LearningDeliveryFAM").at_least(2, text_in("LearnDelFAMType", *SINGLE_TYPES)))
def learndelfamtype_18(aim):
    if len(aim.fams) < 2:
        return None
    hits = []
    for fam_type, found in fam_index(aim).items():
        if len(found) > 1 and fam_type in SINGLE_TYPES:
            hits += extra_hits(aim, fam_type, 1)
    return hits


@rule("LearnDelFAMType_31", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMType",),
      message="This aim has {count} learning delivery monitoring (LDM) codes, but at most six are allowed. "
              "Keep the six that matter and delete the rest.",
      when=children("LearningDeliveryFAM").at_least(7))
def learndelfamtype_31(aim):
    return len(aim.fams) > 6 and extra_hits(aim, "LDM", 6)


@rule("LearnDelFAMType_77", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMType",),
      message="This aim has {count} devolved area monitoring (DAM) codes, but at most six are allowed. Keep "
              "the six that matter and delete the rest.",
      when=children("LearningDeliveryFAM").at_least(7))
def learndelfamtype_77(aim):
    return len(aim.fams) > 6 and extra_hits(aim, "DAM", 6)


@rule("LearnDelFAMType_06", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",),
      message="The {LearnDelFAMType} code {value} could only be used for aims that started on or before "
              "{valid_to}, but this aim started on {LearnStartDate}. Remove the code or use one that is "
              "current, and check the start date.",
      when=date("LearnStartDate").known() & ~has_fam("RES", "1") & fam_where(_has_last_date, "a code with a last date"))
def learndelfamtype_06(aim):
    # not triggered by restarts
    start = aim.start
    if start is None or not aim.fams or aim.is_restart:
        return None
    dates = code_dates(spec_of(aim).year)
    hits = []
    for f in aim.fams:
        valid_to = dates.get((f.get(TYPE), f.get(CODE)), (None, None))[1]
        if valid_to is not None and start > valid_to:
            hits.append(fam_hit(aim, f, values={"valid_to": valid_to.isoformat()}))
    return hits


@rule("LearnDelFAMType_104", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",),
      message="The learning delivery monitoring code LDM {value} only applies to aims that started on or "
              "after {valid_from}, but this aim started on {LearnStartDate}. Remove the code, or check the "
              "start date.",
      when=date("LearnStartDate").known() & fam_where(_ldm_with_first_date, "an LDM code with a first date"))
def learndelfamtype_104(aim):
    start = aim.start
    if start is None or not aim.fams:
        return None
    dates = code_dates(spec_of(aim).year)
    hits = []
    for f in aim.fams:
        if f.get(TYPE) != "LDM" or f.get(CODE) in BACKDATED_LDM:
            continue
        valid_from = dates.get(("LDM", f.get(CODE)), (None, None))[0]
        if valid_from is not None and start < valid_from:
            hits.append(fam_hit(aim, f, values={"valid_from": valid_from.isoformat()}))
    return hits
