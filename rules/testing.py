"""Build an ``IlrData`` from a compact description: used by the rule tests-as-data and by examples.

A learner is a mapping of Learner fields plus optional children::

    {"LearnRefNumber": "L1", "ULN": "1061484016", ...,
     "fams": {"LSR": ["55"], "EDF": ["2"]},             # or a list of {LearnFAMType, LearnFAMCode}
     "lldd": [{"LLDDCat": "4", "PrimaryLLDD": "1"}],
     "prior": [{"PriorLevel": "2", "DateLevelApp": "2024-07-01"}],
     "monitoring": [{"ProvSpecLearnMonOccur": "A", "ProvSpecLearnMon": "X"}],
     "employment": [{"EmpStat": "10", "DateEmpStatApp": "2025-07-01", "esm": {"EII": "2"}}],
     "he": {"UCASPERID": ..., "financial": [{"FINTYPE": "1", "FINAMOUNT": "100"}]},
     "aims": [{"LearnAimRef": "ZPROG001", ..., "fams": {"SOF": "105"} or [{...dated...}],
               "financial": [...], "work_placements": [...], "monitoring": [...], "he": {...}}]}

Values may be given as numbers; they are turned into text as they would appear in XML.
With ``defaults=True`` every learner and aim starts from a plain, valid record so that a case only
states the fields it is about. The default dates (shown here for 2025-26) fall in the teaching year of
``year``: the aim runs from 1 September to 30 June, the file is prepared on 15 January.
"""

from __future__ import annotations

import copy
import datetime as dt

from ilrkit.converter.model import LEARNING_PROVIDER_UKPRN, IlrData, frame
from ilrkit.schemas import DEFAULT_YEAR, load_spec

DEFAULT_HEADER = {
    "FilePreparationDate": "2026-01-15", "UKPRN": "10000001", "SoftwareSupplier": "ilrkit",
    "SoftwarePackage": "ilrkit", "Release": "1", "SerialNo": "01", "DateTime": "2026-01-15T10:00:00",
}

DEFAULT_LEARNER = {
    "LearnRefNumber": "L1", "ULN": "1061484016", "FamilyName": "Testcase", "GivenNames": "Alex",
    "DateOfBirth": "2000-05-01", "Ethnicity": "31", "Sex": "F", "LLDDHealthProb": "2", "PostcodePrior": "B1 1AA",
    "Postcode": "B1 1AA",
}

DEFAULT_AIM = {
    "LearnAimRef": "60000001", "AimType": "4", "AimSeqNumber": "1", "LearnStartDate": "2025-09-01",
    "LearnPlanEndDate": "2026-06-30", "FundModel": "99", "DelLocPostCode": "B1 1AA", "CompStatus": "1",
}

def year_defaults(year: str = DEFAULT_YEAR) -> tuple[dict, dict]:
    """The default header and aim with their dates moved into ``year``'s teaching year."""
    start = load_spec(year).teaching_year_start
    shift = start.year - 2025
    if shift == 0:
        return DEFAULT_HEADER, DEFAULT_AIM

    def moved(values: dict) -> dict:
        return {k: (str(int(v[:4]) + shift) + v[4:] if k in _DATED else v) for k, v in values.items()}

    return moved(DEFAULT_HEADER), moved(DEFAULT_AIM)


def default_today(year: str = DEFAULT_YEAR) -> dt.date:
    """The day a test return is made: 15 January of the teaching year (the default file preparation date)."""
    return dt.date(load_spec(year).teaching_year_start.year + 1, 1, 15)


_DATED = {"FilePreparationDate", "DateTime", "LearnStartDate", "LearnPlanEndDate"}
_LEARNER_CHILD_KEYS = {"fams", "lldd", "prior", "monitoring", "employment", "he", "aims"}
_AIM_CHILD_KEYS = {"fams", "financial", "work_placements", "monitoring", "he"}


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _fams(spec_entity: str, fams, type_field: str, code_field: str) -> list[dict]:
    if fams is None:
        return []
    if isinstance(fams, dict):
        rows = []
        for fam_type, codes in fams.items():
            for code in codes if isinstance(codes, (list, tuple)) else [codes]:
                rows.append({type_field: fam_type, code_field: code})
        return rows
    return [dict(f) for f in fams]


def _one_or_many(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


class _Builder:
    def __init__(self, year: str):
        self.spec = load_spec(year)
        self.default_header, self.default_aim = year_defaults(self.spec.year)
        self.rows: dict[str, list[dict]] = {}

    def add(self, entity: str, values: dict, parent, learner, inherited: dict) -> int:
        rows = self.rows.setdefault(entity, [])
        row = {"_id": len(rows), "_parent": parent, "_learner": learner, **inherited}
        for k, v in values.items():
            row[k] = _text(v)
        if entity == "Learner":
            row["_learner"] = row["_id"]
        rows.append(row)
        return row["_id"]

    def learner(self, spec: dict, defaults: bool) -> None:
        values = {**(DEFAULT_LEARNER if defaults else {}), **{k: v for k, v in spec.items()
                                                              if k not in _LEARNER_CHILD_KEYS}}
        values = {k: v for k, v in values.items() if v is not None}
        lid = self.add("Learner", values, None, None, {})
        ref = {"LearnRefNumber": _text(values.get("LearnRefNumber"))}
        for entity, key in (("PriorAttain", "prior"), ("LLDDandHealthProblem", "lldd"),
                            ("ProviderSpecLearnerMonitoring", "monitoring")):
            for child in spec.get(key) or ():
                self.add(entity, child, lid, lid, ref)
        for fam in _fams("LearnerFAM", spec.get("fams"), "LearnFAMType", "LearnFAMCode"):
            self.add("LearnerFAM", fam, lid, lid, ref)
        for status in spec.get("employment") or ():
            esm = status.get("esm") or {}
            sid = self.add("LearnerEmploymentStatus", {k: v for k, v in status.items() if k != "esm"}, lid, lid, ref)
            for m in _fams("EmploymentStatusMonitoring", esm, "ESMType", "ESMCode"):
                self.add("EmploymentStatusMonitoring", m, sid, lid, ref)
        for he in _one_or_many(spec.get("he")):  # a list only to test FD_LearnerHE_EO
            hid = self.add("LearnerHE", {k: v for k, v in he.items() if k != "financial"}, lid, lid, ref)
            for fin in he.get("financial") or ():
                self.add("LearnerHEFinancialSupport", fin, hid, lid, ref)
        for n, aim in enumerate(spec.get("aims") or (), start=1):
            self.aim(aim, lid, ref, n, defaults)

    def aim(self, spec: dict, lid: int, ref: dict, n: int, defaults: bool) -> None:
        base = {**self.default_aim, "AimSeqNumber": str(n)} if defaults else {}
        values = {**base, **{k: v for k, v in spec.items() if k not in _AIM_CHILD_KEYS}}
        values = {k: v for k, v in values.items() if v is not None}
        aid = self.add("LearningDelivery", values, lid, lid, ref)
        aref = {**ref, "AimSeqNumber": _text(values.get("AimSeqNumber"))}
        for fam in _fams("LearningDeliveryFAM", spec.get("fams"), "LearnDelFAMType", "LearnDelFAMCode"):
            self.add("LearningDeliveryFAM", fam, aid, lid, aref)
        for entity, key in (("AppFinRecord", "financial"), ("LearningDeliveryWorkPlacement", "work_placements"),
                            ("ProviderSpecDeliveryMonitoring", "monitoring")):
            for child in spec.get(key) or ():
                self.add(entity, child, aid, lid, aref)
        for he in _one_or_many(spec.get("he")):
            self.add("LearningDeliveryHE", he, aid, lid, aref)


def build(learners: list[dict], *, header: dict | None = None, year: str = DEFAULT_YEAR,
          defaults: bool = True, source_files: list[dict] | None = None) -> IlrData:
    """An ``IlrData`` for the given learners (see the module docstring for the shape)."""
    builder = _Builder(year)
    for sf in source_files or ():
        builder.add("SourceFile", sf, None, None, {})
    for learner in copy.deepcopy(learners):
        builder.learner(learner, defaults)
    head = {**builder.default_header, **{k: _text(v) for k, v in (header or {}).items()}}
    head.setdefault(LEARNING_PROVIDER_UKPRN, head.get("UKPRN"))
    tables = {entity: frame(builder.spec, entity, rows) for entity, rows in builder.rows.items()}
    return IlrData(builder.spec.year, head, tables, origin="xml")
