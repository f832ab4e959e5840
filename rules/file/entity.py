"""The file must hold at least one learner."""

from ilrkit.rules.registry import ERROR, rule


@rule("Entity_1", severity=ERROR, scope="file", entity="Learner", fields=(),
      message="The file has no learners. Add at least one learner, or check that you chose the right file.")
def entity_1(ctx):
    return not ctx.learners
