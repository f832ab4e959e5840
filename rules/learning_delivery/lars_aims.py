"""LearnAimRef_01: the learning aim reference must be one LARS holds."""

from ilrkit.rules import lars
from ilrkit.rules.learning_delivery.lars_common import NEEDS
from ilrkit.rules.registry import ERROR, rule


@rule("LearnAimRef_01", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",), needs=NEEDS,
      message="The learning aim reference {LearnAimRef} is not in LARS, so the agency will not recognise the aim. "
              "Check the reference in Find a learning aim (8 characters, e.g. 6012345X or ZPROG001); if it is "
              "new, load a newer LARS download.")
def learn_aim_ref_01(aim):
    return aim["LearnAimRef"] is not None and not lars.aim_exists(aim)
