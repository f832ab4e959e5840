"""Rules about the learner's unique learner number (ULN)."""

from ilrkit.rules.columns import where
from ilrkit.rules.derived import uln_passes_checksum
from ilrkit.rules.registry import ERROR, rule


def _fails_check_digit(uln: str | None) -> bool:
    return uln is not None and uln.isdigit() and not uln_passes_checksum(uln)


@rule("ULN_04", severity=ERROR, entity="Learner", fields=("ULN",),
      message="The ULN {ULN} fails the check-digit test, so it cannot be a real ULN. Copy it again from the "
              "learner's Learning Records Service record (a typing slip is the usual cause).",
      when=where("ULN", _fails_check_digit, "fails the check digit"))
def uln_04(learner):
    return True
