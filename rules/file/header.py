"""The file header: its preparation date and the provider's UKPRN."""

from ilrkit.rules.file._header import header_record
from ilrkit.rules.registry import ERROR, Hit, rule
from ilrkit.rules.values import as_date

LEARNING_PROVIDER_UKPRN = "LearningProvider.UKPRN"


@rule("Header_2", severity=ERROR, scope="file", entity="Header", fields=("FilePreparationDate",),
      message="The file preparation date {FilePreparationDate} is after today ({today}). Set it to the day the "
              "file was made.")
def header_2(ctx):
    prepared = as_date(ctx.data.header.get("FilePreparationDate"))
    if prepared is None or prepared <= ctx.today:
        return None
    return Hit(record=header_record(ctx.data, "FilePreparationDate"), field="FilePreparationDate",
               values={"today": ctx.today.isoformat()})


@rule("UKPRN_03", severity=ERROR, scope="file", entity="LearningProvider", fields=("UKPRN",),
      message="The provider's UKPRN {UKPRN} is not the UKPRN in the file header ({header_ukprn}). Both must be "
              "your organisation's UKPRN: correct the one that is wrong.")
def ukprn_03(ctx):
    provider = ctx.data.header.get(LEARNING_PROVIDER_UKPRN)
    in_header = ctx.data.header.get("UKPRN")
    if provider is None or in_header is None or provider.strip() == in_header.strip():
        return None
    record = header_record(ctx.data, LEARNING_PROVIDER_UKPRN)
    # shown as the provider's UKPRN, in the workbook cell that holds it (not the header's UKPRN cell)
    record.update({"UKPRN": provider, "_col": LEARNING_PROVIDER_UKPRN})
    return Hit(record=record, field="UKPRN", values={"header_ukprn": in_header})
