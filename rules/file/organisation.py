"""Filename_3: the provider's UKPRN must be a known organisation (reference set ``Organisations``)."""

from ilrkit.rules.file._header import header_record
from ilrkit.rules.refsets import ORGANISATIONS, known_ukprn
from ilrkit.rules.registry import ERROR, Hit, rule


@rule("Filename_3", severity=ERROR, scope="file", entity="Header", fields=("UKPRN",), needs=(ORGANISATIONS,),
      message="Your UKPRN {UKPRN} is not a known organisation. Check the UKPRN on the Provider sheet against the "
              "UK Register of Learning Providers.")
def filename_3(ctx):
    ukprn = ctx.data.header.get("UKPRN")
    if ukprn is None or known_ukprn(ctx, ukprn):
        return None
    return Hit(record=header_record(ctx.data, "UKPRN"), field="UKPRN", entity="Header")
