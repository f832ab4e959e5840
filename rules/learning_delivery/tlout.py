"""Rules about the tailored learning outcome (TLOut)."""

from ilrkit.rules.registry import ERROR, rule


@rule("Tlout_01", severity=ERROR, entity="LearningDelivery", fields=("TLOut", "CompStatus"),
      fund_models=(11,),
      message="This tailored learning aim is recorded as completed or withdrawn (CompStatus {CompStatus}) but "
              "the tailored learning outcome is blank. Pick the outcome the learner gained from the dropdown "
              "(11 if none of the listed outcomes).")
def tlout_01(aim):
    return aim.comp_status in (2, 3) and aim["TLOut"] is None
