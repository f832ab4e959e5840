"""Employer payments (PMR) on a trailblazer apprenticeship standard (FundModel 81, ProgType 25) must not exceed
the employer's share of the total negotiated price. Which share applies depends on the standard's core
government contribution cap in LARS (DD17)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from ilrkit.rules import lars
from ilrkit.rules.registry import ERROR, Hit, rule
from ilrkit.rules.values import as_date, as_int

FIN = "AppFinRecord"


def _programmes(learner) -> dict:
    """(ProgType, StdCode) -> the learner's FM81 standard programme aims."""
    groups: dict = {}
    for a in learner.aims:
        if a.fund_model == 81 and a.prog_type == 25 and a.aim_type == 1:
            groups.setdefault((a.prog_type, a["StdCode"]), []).append(a)
    return groups


def _latest_price(aims, code: str) -> int:
    found = [(as_date(f.get("AFinDate")), as_int(f.get("AFinAmount"))) for a in aims for f in a.financial
             if f.get("AFinType") == "TNP" and f.get("AFinCode") == code]
    found = [(d, amount) for d, amount in found if d is not None and amount is not None]
    return max(found, key=lambda da: da[0])[1] if found else 0


def _payments(aims) -> tuple[int, dict | None]:
    """Employer payments net of refunds (PMR 1 and 2 minus PMR 3), and the latest PMR record."""
    payments = [f for a in aims for f in a.financial if f.get("AFinType") == "PMR"]
    total = 0
    for f in payments:
        amount = as_int(f.get("AFinAmount")) or 0
        total += -amount if f.get("AFinCode") == "3" else amount if f.get("AFinCode") in ("1", "2") else 0
    latest = max(payments, key=lambda f: as_date(f.get("AFinDate")) or dt.date.min, default=None)
    return total, latest


def core_government_cap(aims) -> Decimal | None:
    """DD17's cap: LARS_StandardFunding CoreGovContributionCap for the StdCode on the programme's earliest
    (original) start date; None when LARS has none."""
    starts = [a.date("OrigLearnStartDate") or a.start for a in aims]
    starts = [s for s in starts if s is not None]
    if not starts:
        return None
    first = min(starts)
    rows = [f for f in lars.standard_fundings(aims[0].ctx, aims[0]["StdCode"])
            if f.in_effect_on(first) and f["CoreGovContributionCap"] not in (None, "")]
    if not rows:
        return None
    try:
        return Decimal(max(rows, key=lambda f: f.effective_from or first)["CoreGovContributionCap"].strip())
    except InvalidOperation:
        return None


def _over_contribution(learner, above_cap: bool):
    found = []
    for aims in _programmes(learner).values():
        cap = core_government_cap(aims)
        if cap is None:
            continue
        price = _latest_price(aims, "1") + _latest_price(aims, "2")
        if (Decimal(2) * price / 3 > cap) != above_cap:  # DD17
            continue
        paid, latest = _payments(aims)
        share = Decimal(price) - cap if above_cap else Decimal(price) / 3
        if latest is not None and paid > share:
            found.append(Hit(record=latest, field="AFinAmount", entity=FIN,
                             values={"paid": paid, "price": price, "share": f"{share:.2f}"}))
    return found


@rule("R_72", severity=ERROR, scope="learner", entity=FIN, fields=("AFinAmount",), needs=("LARS",),
      message="The employer's payments on this apprenticeship standard (PMR, net {paid}) are more than a third "
              "of the total negotiated price ({price}), the most the employer contributes here ({share}). Check "
              "the payment records and the prices.")
def r_72(learner):
    return _over_contribution(learner, above_cap=False)


@rule("R_73", severity=ERROR, scope="learner", entity=FIN, fields=("AFinAmount",), needs=("LARS",),
      message="The employer's payments on this apprenticeship standard (PMR, net {paid}) are more than the total "
              "negotiated price ({price}) less the standard's core government contribution cap in LARS, the most "
              "the employer contributes here ({share}). Check the payment records and the prices.")
def r_73(learner):
    return _over_contribution(learner, above_cap=True)
