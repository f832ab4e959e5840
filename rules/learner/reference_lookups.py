"""Learner postcodes and UKPRNs that must be on the published lists (reference sets ``Postcodes`` and
``Organisations``)."""

from ilrkit.rules.refsets import ORGANISATIONS, POSTCODES, known_ukprn, postcode_ok
from ilrkit.rules.registry import ERROR, WARNING, rule


@rule("Postcode_14", severity=WARNING, entity="Learner", fields=("Postcode",), needs=(POSTCODES,),
      message="The learner's postcode {Postcode} is not a UK postcode. Correct it, or use ZZ99 9ZZ if it is not "
              "known.")
def postcode_14(learner):
    return not postcode_ok(learner.ctx, learner["Postcode"])


@rule("PostcodePrior_01", severity=ERROR, entity="Learner", fields=("PostcodePrior",), needs=(POSTCODES,),
      message="The postcode before enrolment {PostcodePrior} is not a UK postcode. Correct it, or use ZZ99 9ZZ "
              "if it is not known.")
def postcodeprior_01(learner):
    return not postcode_ok(learner.ctx, learner["PostcodePrior"])


@rule("PMUKPRN_01", severity=ERROR, entity="Learner", fields=("PMUKPRN",), needs=(ORGANISATIONS,),
      message="The pre-merger UKPRN {PMUKPRN} is not a known organisation. Check the number of the provider "
              "that merged into yours.")
def pmukprn_01(learner):
    return learner["PMUKPRN"] is not None and not known_ukprn(learner.ctx, learner["PMUKPRN"])


@rule("PrevUKPRN_01", severity=ERROR, entity="Learner", fields=("PrevUKPRN",), needs=(ORGANISATIONS,),
      message="Last year's UKPRN {PrevUKPRN} is not a known organisation. Check the number of the provider the "
              "learner was with last year.")
def prevukprn_01(learner):
    return learner["PrevUKPRN"] is not None and not known_ukprn(learner.ctx, learner["PrevUKPRN"])
