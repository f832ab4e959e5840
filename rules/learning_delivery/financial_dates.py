"""Rules about the dates of apprenticeship financial records (AppFinRecord.AFinDate)."""

from ilrkit.rules.columns import children, number
from ilrkit.rules.learning_delivery.financial_records import FIN, records
from ilrkit.rules.registry import ERROR, Hit, rule
from ilrkit.rules.values import add_years, as_date


def _later_total_than_residual(aim, total: int, residual: int):
    residual_dates = [d for d in (as_date(r.get("AFinDate")) for r in records(aim, "TNP", residual)) if d]
    if not residual_dates:
        return None
    latest = max(residual_dates)
    for r in records(aim, "TNP", total):
        day = as_date(r.get("AFinDate"))
        if day is not None and day > latest:
            return Hit(record=r, entity=FIN, values={"residual_date": latest.isoformat()})
    return None


def _total_on_residual_date(aim, total: int, residual: int):
    residual_dates = {as_date(r.get("AFinDate")) for r in records(aim, "TNP", residual)} - {None}
    for r in records(aim, "TNP", total):
        if as_date(r.get("AFinDate")) in residual_dates:
            return Hit(record=r, entity=FIN)
    return None


@rule("AFinDate_05", severity=ERROR, entity="AppFinRecord", scope="aim", fields=("AFinDate",),
      message="The total training price (TNP 1) is dated {AFinDate}, after the residual training price (TNP 3) "
              "dated {residual_date}. Once a residual price is recorded, any total training price must be dated "
              "before it: check the dates of both records.",
      when=children("AppFinRecord").at_least(1))
def afin_date_05(aim):
    return aim.financial and _later_total_than_residual(aim, 1, 3)


@rule("AFinDate_06", severity=ERROR, entity="AppFinRecord", scope="aim", fields=("AFinDate",),
      message="The total assessment price (TNP 2) is dated {AFinDate}, after the residual assessment price "
              "(TNP 4) dated {residual_date}. Once a residual price is recorded, any total assessment price must "
              "be dated before it: check the dates of both records.",
      when=children("AppFinRecord").at_least(1))
def afin_date_06(aim):
    return aim.financial and _later_total_than_residual(aim, 2, 4)


@rule("AFinDate_07", severity=ERROR, entity="AppFinRecord", scope="aim", fields=("AFinDate",),
      message="A total training price (TNP 1) and a residual training price (TNP 3) are both dated {AFinDate}. "
              "They cannot start on the same day: keep the one that applies from that date and correct the "
              "other.",
      when=children("AppFinRecord").at_least(1))
def afin_date_07(aim):
    return aim.financial and _total_on_residual_date(aim, 1, 3)


@rule("AFinDate_08", severity=ERROR, entity="AppFinRecord", scope="aim", fields=("AFinDate",),
      message="A total assessment price (TNP 2) and a residual assessment price (TNP 4) are both dated "
              "{AFinDate}. They cannot start on the same day: keep the one that applies from that date and "
              "correct the other.",
      when=children("AppFinRecord").at_least(1))
def afin_date_08(aim):
    return aim.financial and _total_on_residual_date(aim, 2, 4)


@rule("AFinDate_09", severity=ERROR, entity="AppFinRecord", scope="aim", fields=("AFinDate",),
      message="The financial record date {AFinDate} is more than one year before the programme's learning start "
              "date {LearnStartDate}. Check the financial date and the start date.",
      when=children("AppFinRecord").at_least(1) & number("AimType").isin(1) & number("ProgType").isin(25))
def afin_date_09(aim):
    if not aim.financial or aim.aim_type != 1 or aim.prog_type != 25 or aim.start is None:
        return False
    earliest = add_years(aim.start, -1)
    return [Hit(record=r, entity=FIN, values={"LearnStartDate": aim["LearnStartDate"]}) for r in aim.financial
            if (day := as_date(r.get("AFinDate"))) is not None and day < earliest]


@rule("AFinDate_12", severity=ERROR, entity="AppFinRecord", scope="aim", fields=("AFinDate",),
      message="The financial record date {AFinDate} is more than two years after the programme's actual end "
              "date {LearnActEndDate}. Check the financial date and the actual end date.",
      when=children("AppFinRecord").at_least(1) & number("AimType").isin(1) & number("ProgType").isin(25))
def afin_date_12(aim):
    if not aim.financial or aim.aim_type != 1 or aim.prog_type != 25 or aim.act_end is None:
        return False
    latest = add_years(aim.act_end, 2)
    return [Hit(record=r, entity=FIN, values={"LearnActEndDate": aim["LearnActEndDate"]}) for r in aim.financial
            if (day := as_date(r.get("AFinDate"))) is not None and day > latest]


@rule("AFinDate_13", severity=ERROR, entity="AppFinRecord", scope="aim", fields=("AFinDate",),
      message="The price record (TNP {AFinCode}) is dated {AFinDate}, after the {end_name} {end_date}. A price "
              "cannot apply from after the apprenticeship was achieved or the learner withdrew: check the "
              "dates.",
      when=children("AppFinRecord").at_least(1) & number("ProgType").isin(25))
def afin_date_13(aim):
    if not aim.financial or aim.prog_type != 25:
        return False
    if aim.ach is not None:
        end, name = aim.ach, "achievement date"
    elif aim["WithdrawReason"] is not None and aim.act_end is not None:
        end, name = aim.act_end, "actual end date"
    else:
        return False
    return [Hit(record=r, entity=FIN, values={"end_name": name, "end_date": end.isoformat()})
            for r in records(aim, "TNP") if (day := as_date(r.get("AFinDate"))) is not None and day > end]


@rule("AFinDate_14", severity=ERROR, entity="AppFinRecord", scope="table", fields=("AFinDate",),
      message="The payment record (PMR {AFinCode}) is dated {AFinDate}, after the file preparation date "
              "{file_date}. A payment can only be recorded once it has been made: check the date.")
def afin_date_14(ctx):
    prepared = as_date(ctx.data.header.get("FilePreparationDate"))
    if prepared is None:
        return None
    values = {"file_date": prepared.isoformat()}
    return [Hit(record=r, entity=FIN, values=values) for r in ctx.records(FIN)
            if r.get("AFinType") == "PMR" and (day := as_date(r.get("AFinDate"))) is not None and day > prepared]
