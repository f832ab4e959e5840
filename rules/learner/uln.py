"""Rules about the learner's unique learner number (ULN)."""

from ilrkit.rules.derived import uln_passes_checksum
from ilrkit.rules.registry import ERROR, rule


@rule("ULN_04", severity=ERROR, entity="Learner", fields=("ULN",),
      message="The ULN {ULN} fails the check-digit test, so it cannot be a real ULN. Copy it again from the "
              "learner's Learning Records Service record (a typing slip is the usual cause).")
def uln_04(learner):
    uln = learner["ULN"]
    return uln is not None and uln.isdigit() and not uln_passes_checksum(uln)
