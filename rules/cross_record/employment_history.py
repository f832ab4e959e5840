"""The learner's run of employment status records, read in date order."""

from __future__ import annotations

from ilrkit.rules.registry import WARNING, Hit, rule


def _monitoring(status) -> frozenset:
    return frozenset((m.get("ESMType"), m.get("ESMCode")) for m in status.monitoring)


@rule("R_97", severity=WARNING, scope="learner", entity="LearnerEmploymentStatus", fields=("DateEmpStatApp",),
      message="The employment status from {DateEmpStatApp} repeats the one before it: same status, employer and "
              "monitoring codes. A new employment status record is only needed when something changes: remove "
              "it, or record what changed.")
def r_97(learner):
    found = []
    statuses = learner.employment_by_date
    for before, status in zip(statuses, statuses[1:]):
        if (status.applies_from != before.applies_from and status["EmpStat"] == before["EmpStat"]
                and status["EmpId"] == before["EmpId"] and _monitoring(status) == _monitoring(before)):
            found.append(Hit(record=status))
    return found
