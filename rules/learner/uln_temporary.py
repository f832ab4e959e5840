"""When the temporary ULN 9999999999 may not be used.

Most of these depend on the file preparation date in the header (from 1 January of the teaching year a
real ULN is expected) and on how long ago the aim started, so they run over the whole file.
"""

from __future__ import annotations

from ilrkit.rules.learner._common import TEMPORARY_ULN, days_between, first_january, is_olass
from ilrkit.rules.registry import ERROR, WARNING, Hit, rule
from ilrkit.rules.values import as_date

AGENCY_FUNDED_06 = frozenset({25, 82, 35, 37, 38, 36, 81})
AGENCY_FUNDED_07 = AGENCY_FUNDED_06 | {70}
LENIENCY_DAYS = 60  # a new learner's ULN may take a while to arrive from the Learning Records Service


def _temporary_uln_learners(ctx) -> list:
    return ctx.once("learners with the temporary ULN",
                    lambda c: [lr for lr in c.learners if lr["ULN"] == TEMPORARY_ULN])


def _file_preparation_date(ctx):
    # a workbook has no preparation date until it is exported, which happens today
    return as_date(ctx.data.header.get("FilePreparationDate")) or ctx.today


def _after_new_year(ctx) -> bool:
    return _file_preparation_date(ctx) >= first_january(ctx.spec.teaching_year_start)


def _levy_apprenticeship(aim) -> bool:
    return aim.has_fam("ACT", "1")


def _lasts_5_days(aim) -> bool:
    planned = days_between(aim.start, aim.plan_end)
    actual = days_between(aim.start, aim.act_end)
    return (planned is not None and planned >= 5) or (actual is not None and actual >= 5)


def _hits(ctx, aim_applies) -> list[Hit]:
    """One finding on the ULN of each learner with the temporary ULN and an aim ``aim_applies`` accepts."""
    prepared = _file_preparation_date(ctx)
    out = []
    for learner in _temporary_uln_learners(ctx):
        for aim in learner.aims:
            if aim_applies(aim, prepared):
                out.append(Hit(record=learner, field="ULN", entity="Learner",
                               values={"AimSeqNumber": aim["AimSeqNumber"], "LearnStartDate": aim["LearnStartDate"],
                                       "FilePreparationDate": prepared.isoformat()}))
                break
    return out


def _started_days_ago(aim, prepared) -> int | None:
    return days_between(aim.start, prepared)


def _funded_07(aim) -> bool:
    return aim.fund_model in AGENCY_FUNDED_07 or (aim.fund_model == 99 and aim.has_fam("ADL", "1"))


def _funded_06(aim) -> bool:
    return aim.fund_model in AGENCY_FUNDED_06 or (aim.fund_model == 99 and aim.has_fam("ADL", "1"))


def _office_for_students(aim) -> bool:
    return aim.fund_model == 99 and aim.has_fam("SOF", "1")


@rule("ULN_02", severity=WARNING, entity="Learner", fields=("ULN",),
      message="The ULN is the temporary 9999999999. Community learning, tailored learning and non-funded "
              "learners should have their real ULN too: look it up in the Learning Records Service.")
def uln_02(learner):
    if learner["ULN"] != TEMPORARY_ULN:
        return False
    return any(a.fund_model in (99, 10, 11) and not a.has_fam("SOF", "1") for a in learner.aims)


@rule("ULN_12", severity=ERROR, entity="Learner", fields=("ULN",),
      message="The ULN is the temporary 9999999999, but the learner is on an apprenticeship funded through a "
              "contract for services with the employer (ACT 1), which always needs the real ULN. Look it up "
              "in the Learning Records Service.")
def uln_12(learner):
    return learner["ULN"] == TEMPORARY_ULN and any(_levy_apprenticeship(a) for a in learner.aims)


@rule("ULN_03", severity=WARNING, scope="table", entity="Learner", fields=("ULN",),
      message="The ULN is the temporary 9999999999. Use the learner's real ULN where you have it: look it up "
              "in the Learning Records Service (from 1 January the temporary ULN is only allowed for "
              "learners who started recently).")
def uln_03(ctx):
    if _after_new_year(ctx):
        return None
    return [Hit(record=lr, field="ULN", entity="Learner") for lr in _temporary_uln_learners(ctx)
            if lr.aims and not any(_levy_apprenticeship(a) for a in lr.aims)]


@rule("ULN_06", severity=WARNING, scope="table", entity="Learner", fields=("ULN",),
      message="The ULN is the temporary 9999999999. Aim {AimSeqNumber} started on {LearnStartDate}, within 60 "
              "days of the file preparation date {FilePreparationDate}; get the real ULN from the Learning "
              "Records Service soon, as after 60 days this becomes an error.")
def uln_06(ctx):
    if not _after_new_year(ctx):
        return None

    def applies(aim, prepared):
        ago = _started_days_ago(aim, prepared)
        return (not is_olass(aim) and not _levy_apprenticeship(aim) and _funded_06(aim) and _lasts_5_days(aim)
                and ago is not None and ago <= LENIENCY_DAYS)

    return _hits(ctx, applies)


@rule("ULN_07", severity=ERROR, scope="table", entity="Learner", fields=("ULN",),
      message="The ULN is the temporary 9999999999, but aim {AimSeqNumber} started on {LearnStartDate}, more "
              "than 60 days before the file preparation date {FilePreparationDate}. A funded learner needs "
              "their real ULN by now: look it up in the Learning Records Service.")
def uln_07(ctx):
    if not _after_new_year(ctx):
        return None

    def applies(aim, prepared):
        ago = _started_days_ago(aim, prepared)
        return (not is_olass(aim) and not _levy_apprenticeship(aim) and _funded_07(aim) and _lasts_5_days(aim)
                and ago is not None and ago > LENIENCY_DAYS)

    return _hits(ctx, applies)


@rule("ULN_09", severity=WARNING, scope="table", entity="Learner", fields=("ULN",),
      message="The ULN is the temporary 9999999999 for a learner in custody (aim {AimSeqNumber}, LDM 034). "
              "From 1 January their real ULN should be used: look it up in the Learning Records Service.")
def uln_09(ctx):
    if not _after_new_year(ctx):
        return None
    return _hits(ctx, lambda aim, prepared: is_olass(aim))


@rule("ULN_10", severity=WARNING, scope="table", entity="Learner", fields=("ULN",),
      message="The ULN is the temporary 9999999999 for an Office for Students funded learner. Aim "
              "{AimSeqNumber} started on {LearnStartDate}, within 60 days of the file preparation date "
              "{FilePreparationDate}; get the real ULN soon, as after 60 days this becomes an error.")
def uln_10(ctx):
    if not _after_new_year(ctx):
        return None

    def applies(aim, prepared):
        ago = _started_days_ago(aim, prepared)
        return (_office_for_students(aim) and not is_olass(aim) and _lasts_5_days(aim)
                and ago is not None and ago <= LENIENCY_DAYS)

    return _hits(ctx, applies)


@rule("ULN_11", severity=ERROR, scope="table", entity="Learner", fields=("ULN",),
      message="The ULN is the temporary 9999999999 for an Office for Students funded learner, but aim "
              "{AimSeqNumber} started on {LearnStartDate}, more than 60 days before the file preparation date "
              "{FilePreparationDate}. Use the learner's real ULN from the Learning Records Service.")
def uln_11(ctx):
    if not _after_new_year(ctx):
        return None

    def applies(aim, prepared):
        ago = _started_days_ago(aim, prepared)
        return (_office_for_students(aim) and not is_olass(aim) and _lasts_5_days(aim)
                and ago is not None and ago > LENIENCY_DAYS)

    return _hits(ctx, applies)
