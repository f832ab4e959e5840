"""Rules about the delivery location postcode (DelLocPostCode) that need no postcode look-up."""

import re

from ilrkit.rules.registry import ERROR, rule

# outward code: 1-2 letters, a digit, then an optional digit or letter; inward code: a digit and two letters
# (never C, I, K, M, O or V)
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?\s[0-9][ABD-HJLNP-UW-Z]{2}$")


@rule("DelLocPostCode_11", severity=ERROR, entity="LearningDelivery", fields=("DelLocPostCode",),
      message="The delivery location postcode {DelLocPostCode} is not in the right format. Write it in capitals "
              "with one space before the last three characters, such as B1 1AA.")
def del_loc_post_code_11(aim):
    postcode = aim["DelLocPostCode"]
    if postcode is None or POSTCODE.match(postcode):
        return False
    return not aim.has_fam("LDM", "034")  # offender learning (OLASS) aims are exempt
