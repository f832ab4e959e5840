"""Financial records (AppFinRecord) of apprenticeship frameworks (any ProgType but 25, standards).

Frameworks closed to new starts long ago and their ProgType codes are no longer in the 2025-26 list, but an
older learner's record brought in from another system may still carry one: these rules say what is wrong.
"""

from ilrkit.rules.learning_delivery.financial_records import FIN, records
from ilrkit.rules.registry import ERROR, Hit, rule
from ilrkit.rules.values import as_date

STANDARD = 25


def _framework(aim) -> bool:
    return aim.prog_type is not None and aim.prog_type != STANDARD


@rule("AFinDate_04", severity=ERROR, entity="AppFinRecord", scope="aim", fields=("AFinDate",),
      message="This apprenticeship framework's price record is dated {AFinDate}, after the programme's actual "
              "end date {LearnActEndDate}. Check the record's date and the actual end date.")
def afin_date_04(aim):
    end = aim.act_end
    if not aim.financial or end is None or not _framework(aim):
        return False
    return [Hit(record=r, entity=FIN, values={"LearnActEndDate": aim["LearnActEndDate"]})
            for r in records(aim, "TNP") if (day := as_date(r.get("AFinDate"))) is not None and day > end]


@rule("AFinType_11", severity=ERROR, entity="AppFinRecord", scope="aim", fields=("AFinCode",), fund_models=(36,),
      message="This apprenticeship framework has an assessment price (TNP {AFinCode}). Frameworks have no "
              "assessment price: remove the TNP 2 and TNP 4 records, or correct the programme type.")
def afin_type_11(aim):
    if not aim.financial or not _framework(aim):
        return False
    return [Hit(record=r, entity=FIN) for r in records(aim, "TNP", 2, 4)]
