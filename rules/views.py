"""Record views the rules read: a learner with its aims, employment statuses and other children.

Views wrap the table rows (plain dicts) without copying them; typed values and derived data are computed
on first use and cached, so each is worked out once per learner however many rules ask.
"""

from __future__ import annotations

import datetime as dt

from ilrkit.rules import derived
from ilrkit.rules.values import add_years, as_date, as_int, august_31_of_teaching_year, years_between



def has_code(by_type: dict, fam_type: str, code: str | None, code_field: str) -> bool:
    """Whether a record has a FAM of ``fam_type`` (with ``code``, when given). Asked hundreds of thousands of
    times on a large return, so no list of codes is made for the question."""
    found = by_type.get(fam_type)
    if not found:
        return False
    if code is None:
        return True
    for f in found:
        if f.get(code_field) == code:
            return True
    return False

class cached_property:  # noqa: N801 - a drop-in for functools.cached_property
    """Compute an attribute once per object. Unlike functools.cached_property on Python 3.11 it takes no
    lock, which matters when a hundred thousand views each compute a dozen of these."""

    def __init__(self, func):
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)
        return value


class Record:
    """A row of one entity; ``record["Field"]`` is the field's text or ``None``."""

    entity = ""
    __slots__ = ("row", "__dict__")

    def __init__(self, row: dict):
        self.row = row

    def __getitem__(self, name: str) -> str | None:
        return self.row.get(name)

    def get(self, name: str, default=None):
        value = self.row.get(name)
        return default if value is None else value

    def date(self, name: str) -> dt.date | None:
        return as_date(self.row.get(name))

    def int(self, name: str) -> int | None:
        return as_int(self.row.get(name))

    def __repr__(self) -> str:  # no field values: they may be personal data
        return f"<{self.entity} row {self.row.get('_row') or self.row.get('_id')}>"


class Employment(Record):
    entity = "LearnerEmploymentStatus"

    @property
    def ctx(self):
        """The validation's shared facts (see ``Learner.ctx``)."""
        return self.learner.ctx

    def __init__(self, row: dict, learner: Learner, monitoring: list[dict]):
        super().__init__(row)
        self.learner = learner
        self.monitoring = monitoring

    @cached_property
    def emp_stat(self) -> int | None:
        return self.int("EmpStat")

    @cached_property
    def applies_from(self) -> dt.date | None:
        return self.date("DateEmpStatApp")

    def esm_codes(self, esm_type: str) -> list[int | None]:
        return [as_int(m.get("ESMCode")) for m in self.monitoring if m.get("ESMType") == esm_type]


class Aim(Record):
    entity = "LearningDelivery"

    @property
    def ctx(self):
        """The validation's shared facts (see ``Learner.ctx``)."""
        return self.learner.ctx

    @property
    def reference(self):
        """The reference data given to this validation (``ilrkit.rules.reference.ReferenceData``)."""
        return self.learner.ctx.reference

    def __init__(self, row: dict, learner: Learner, children: dict[str, list[dict]]):
        super().__init__(row)
        self.learner = learner
        self.fams: list[dict] = children.get("LearningDeliveryFAM", [])
        self.financial: list[dict] = children.get("AppFinRecord", [])
        self.work_placements: list[dict] = children.get("LearningDeliveryWorkPlacement", [])
        self.monitoring: list[dict] = children.get("ProviderSpecDeliveryMonitoring", [])
        he = children.get("LearningDeliveryHE", [])
        self.he: dict | None = he[0] if he else None

    @cached_property
    def start(self) -> dt.date | None:
        return self.date("LearnStartDate")

    @cached_property
    def plan_end(self) -> dt.date | None:
        return self.date("LearnPlanEndDate")

    @cached_property
    def act_end(self) -> dt.date | None:
        return self.date("LearnActEndDate")

    @cached_property
    def ach(self) -> dt.date | None:
        return self.date("AchDate")

    @cached_property
    def fund_model(self) -> int | None:
        return self.int("FundModel")

    @cached_property
    def prog_type(self) -> int | None:
        return self.int("ProgType")

    @cached_property
    def aim_type(self) -> int | None:
        return self.int("AimType")

    @cached_property
    def comp_status(self) -> int | None:
        return self.int("CompStatus")

    @cached_property
    def outcome(self) -> int | None:
        return self.int("Outcome")

    @cached_property
    def fams_by_type(self) -> dict[str, list[dict]]:
        """The aim's FAM rows grouped by LearnDelFAMType, in file order (so each look-up is one dict get)."""
        grouped: dict[str, list[dict]] = {}
        for f in self.fams:
            grouped.setdefault(f.get("LearnDelFAMType"), []).append(f)
        return grouped

    def fam_codes(self, fam_type: str) -> list[str]:
        return [f.get("LearnDelFAMCode") for f in self.fams_by_type.get(fam_type, ())]

    def fams_of(self, fam_type: str) -> list[dict]:
        return list(self.fams_by_type.get(fam_type, ()))

    def has_fam(self, fam_type: str, code: str | None = None) -> bool:
        return has_code(self.fams_by_type, fam_type, code, "LearnDelFAMCode")

    @cached_property
    def is_restart(self) -> bool:
        return self.has_fam("RES", "1")

    @cached_property
    def is_apprenticeship(self) -> bool:
        return derived.dd07_is_apprenticeship(self.prog_type)

    @cached_property
    def age_at_start(self) -> int | None:
        """Whole years between the date of birth and the aim's start date."""
        dob, start = self.learner.dob, self.start
        return years_between(dob, start) if dob and start else None

    @cached_property
    def age_on_31_august_of_start_year(self) -> int | None:
        dob, start = self.learner.dob, self.start
        return years_between(dob, august_31_of_teaching_year(start)) if dob and start else None

    @cached_property
    def employment_at_start(self) -> Employment | None:
        """The employment status that applies on the aim's start date."""
        return self.learner.employment_on(self.start) if self.start else None


class Learner(Record):
    entity = "Learner"
    # The validation's ``ilrkit.rules.engine.Context`` (spec and year facts, reference data, today's date);
    # the engine sets it before any rule runs.
    ctx = None

    def __init__(self, row: dict, children: dict[str, list], aims: list[dict],
                 aim_children: dict[int, dict[str, list[dict]]], employment: list[dict],
                 esm: dict[int, list[dict]], teaching_year_start: dt.date):
        super().__init__(row)
        self.fams: list[dict] = children.get("LearnerFAM", [])
        self.lldd: list[dict] = children.get("LLDDandHealthProblem", [])
        self.prior: list[dict] = children.get("PriorAttain", [])
        self.monitoring: list[dict] = children.get("ProviderSpecLearnerMonitoring", [])
        he = children.get("LearnerHE", [])
        self.he: dict | None = he[0] if he else None
        self.he_financial: list[dict] = children.get("LearnerHEFinancialSupport", [])
        self.aims = [Aim(a, self, aim_children.get(a["_id"], {})) for a in aims]
        self.employment = [Employment(e, self, esm.get(e["_id"], [])) for e in employment]
        self.teaching_year_start = teaching_year_start

    @cached_property
    def dob(self) -> dt.date | None:
        return self.date("DateOfBirth")

    def age_on(self, day: dt.date | None) -> int | None:
        return years_between(self.dob, day) if self.dob and day else None

    @cached_property
    def age_on_31_august(self) -> int | None:
        """Age on 31 August at the start of the current teaching year."""
        return self.age_on(dt.date(self.teaching_year_start.year, 8, 31))

    def birthday(self, years: int) -> dt.date | None:
        return add_years(self.dob, years) if self.dob else None

    @cached_property
    def fams_by_type(self) -> dict[str, list[dict]]:
        """The learner's FAM rows grouped by LearnFAMType, in file order."""
        grouped: dict[str, list[dict]] = {}
        for f in self.fams:
            grouped.setdefault(f.get("LearnFAMType"), []).append(f)
        return grouped

    def fam_codes(self, fam_type: str) -> list[str]:
        return [f.get("LearnFAMCode") for f in self.fams_by_type.get(fam_type, ())]

    def has_fam(self, fam_type: str, code: str | None = None) -> bool:
        return has_code(self.fams_by_type, fam_type, code, "LearnFAMCode")

    @cached_property
    def employment_by_date(self) -> list[Employment]:
        dated = [e for e in self.employment if e.applies_from is not None]
        return sorted(dated, key=lambda e: e.applies_from)

    def employment_on(self, day: dt.date) -> Employment | None:
        """The latest employment status whose DateEmpStatApp is on or before ``day``."""
        found = None
        for status in self.employment_by_date:
            if status.applies_from <= day:
                found = status
            else:
                break
        return found

    @cached_property
    def earliest_start(self) -> dt.date | None:
        return derived.dd06_earliest_start(self)

    @cached_property
    def fund_models(self) -> set[int]:
        return {a.fund_model for a in self.aims if a.fund_model is not None}
