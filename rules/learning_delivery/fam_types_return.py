"""Learning delivery monitoring codes that depend on the return (collection period) the file is made for."""

import datetime as dt

from ilrkit.rules.learning_delivery.fam_types_common import fam_hits
from ilrkit.rules.learning_delivery.fam_types_ldm import PROXY
from ilrkit.rules.registry import ERROR, rule
from ilrkit.rules.values import as_date


def after_year_end(aim) -> bool:
    """The file was prepared after its teaching year ended (1 August or later), so it can only be one of the
    year's last returns, R12 to R14 (R12 closes in August, R14 in October). A file prepared in July after R11
    closed is an R12 return too, but the file cannot tell that, so it is not counted here."""
    start = aim.learner.teaching_year_start
    # the same answer for every aim of the file: worked out once per validation
    return aim.ctx.once(("after year end", start), lambda ctx: _prepared_after(ctx, start))


def _prepared_after(ctx, start: dt.date) -> bool:
    prepared = as_date(ctx.data.header.get("FilePreparationDate"))
    return prepared is not None and prepared >= dt.date(start.year + 1, start.month, start.day)


@rule("LearnDelFAMType_16", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",),
      message="This file is prepared after the teaching year ended, so it is one of the year's final returns "
              "(R12 to R14), where the proxy learning aim code (LDM 118) may not be used. Replace the proxy aim "
              "with the real learning aim.")
def learndelfamtype_16(aim):
    return after_year_end(aim) and fam_hits(aim, "LDM", {PROXY})
