"""Field rules: the agency's field-definition (FD) rules, one-field code and format rules, and our own
format rules, all checked in one lazy pandera run per validation (see ``schemas``)."""
