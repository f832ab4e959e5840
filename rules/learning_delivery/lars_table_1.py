"""LearnAimRef_88: an aim started before August 2021 started while LARS allowed new starts for it under the
validity category of its funding (the agency's "Table 1" of funding criteria and validity categories)."""

from __future__ import annotations

import datetime as dt

from ilrkit.rules import derived, lars
from ilrkit.rules.learning_delivery.lars_common import AUG_2021, FIELDS, LDM_1416, NEEDS, has_any_ldm, hit
from ilrkit.rules.registry import ERROR, rule


def table_1_categories(aim) -> list[str]:
    """The validity categories whose Table 1 funding criteria the aim meets. (Table 1's apprenticeship framework
    row needs DD07 and excludes ProgType 25, which DD07 now means, so no aim meets it; its category codes column
    is empty, so only validity categories are checked.)"""
    fm, restart = aim.fund_model, aim.is_restart
    out = []
    if not restart:
        if (fm == 35 and not aim.is_apprenticeship and not aim.has_fam("LDM", "034")
                and not derived.dd35_devolved_funding(aim) and not aim.has_fam("LDM", "378")):
            out.append(lars.ADULT_SKILLS)
        if fm in (25, 82):
            out.append(lars.EFA_1619)
        if fm == 10:
            out.append(lars.COMM_LEARN)
        if fm == 99 and aim.has_fam("ADL"):
            out.append(lars.ADV_LEARN_LOAN)
        if (fm in (81, 99, 37) or (fm == 36 and aim.prog_type == 25)) and not aim.has_fam("ADL"):
            out.append(lars.ANY)
        if derived.dd35_devolved_funding(aim) and not aim.has_fam("LDM", "378"):
            out.append(lars.MCA_GLA)
    if fm == 25 and has_any_ldm(aim, LDM_1416):
        out.append(lars.EFA_1416)
    return out


def _open_for_new_starts(validity: lars.Validity, day: dt.date) -> bool:
    return ((validity.start is None or validity.start <= day)
            and (validity.last_new_start is None or day <= validity.last_new_start))


@rule("LearnAimRef_88", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS,
      message="The aim {LearnAimRef} started on {LearnStartDate}, outside the dates LARS allowed new starts on it "
              "for its funding ({ValidityCategory}: from {ValidFrom}, last new start {LastNewStart}). Check the start "
              "date, the aim reference and the funding model.")
def learn_aim_ref_88(aim):
    if aim.start is None or aim.start >= AUG_2021:
        return None
    for category in table_1_categories(aim):
        found = lars.validities(aim, category)
        if found and not any(_open_for_new_starts(v, aim.start) for v in found):
            return hit(max(found, key=lambda v: v.start or dt.date.min))
    return None
