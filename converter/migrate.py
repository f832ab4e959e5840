"""Year-end migration: the part of one year's ILR that the next year's return must hold, in the new layout.

Which records move follows the agency's migration appendix (Appendix B of each year's ILR specification):

- an aim moves when it is still open (no actual end date), ends on or after the new year's 1 August, is on an
  agreed break in learning (CompStatus 6), or has an outcome still to record (Outcome blank or 8);
- the aims of an apprenticeship or other programme move with its programme aim (AimType 1), even when a
  component is closed, and a moving component brings its programme aim; a continuing 16-19 study programme
  brings its core aim (AimType 5);
- a learner moves, with all their learner-level records, when at least one of their aims moves;
- everything else (aims closed and fully recorded in the old year, learners with nothing left) stays in the
  old year's final return and is dropped here.

What changed between the two year packs is applied as the data moves: fields the new year no longer has are
dropped, rows holding a withdrawn code or FAM type (LLDDCat 1-3, EII 1-4, ASL) are dropped, and a moving aim
whose funding model or programme type has closed (FundModel 10) is kept and flagged for the user to decide,
as is a learner who now needs a field the old year did not ask for (an NI number for Skills Bootcamps).
Every learner and aim carried or dropped, and every change, is listed with its reason.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from ilrkit.converter.errors import InputError
from ilrkit.converter.model import IlrData, data_entities, frame
from ilrkit.schemas import Spec, load_spec

CARRIED, DROPPED, CHANGED, CHECK = "Carried", "Dropped", "Changed", "Check"
# fields of the file header that describe the old file, not the provider: the new file sets its own
_HEADER_DROPPED = ("Year", "FilePreparationDate", "DateTime")
# child rows identified by a code in one field (LLDD) or by a type and a code (FAM and ESM records)
_TYPED = {"LearnerFAM": ("LearnFAMType", "LearnFAMCode"),
          "LearningDeliveryFAM": ("LearnDelFAMType", "LearnDelFAMCode"),
          "EmploymentStatusMonitoring": ("ESMType", "ESMCode"),
          "AppFinRecord": ("AFinType", "AFinCode")}


@dataclass(frozen=True)
class Entry:
    """One line of the migration report."""

    learner: str
    aim: str  # AimSeqNumber, or "" for a learner-level line
    aim_ref: str
    record: str  # what the line is about: Learner, Aim, a field or a child record
    action: str  # Carried, Dropped, Changed or Check
    reason: str


@dataclass
class Migration:
    data: IlrData
    entries: list[Entry] = field(default_factory=list)
    from_year: str = ""

    def count(self, record: str, action: str) -> int:
        return sum(1 for e in self.entries if e.record == record and e.action == action)

    @property
    def summary(self) -> str:
        return (f"Carried {self.count('Learner', CARRIED)} learner(s) with {self.count('Aim', CARRIED)} aim(s) "
                f"from {self.from_year} to {self.data.year}; left {self.count('Learner', DROPPED)} learner(s) and "
                f"{self.count('Aim', DROPPED)} aim(s) in {self.from_year}; "
                f"{sum(1 for e in self.entries if e.action == CHANGED)} change(s) for the new year; "
                f"{sum(1 for e in self.entries if e.action == CHECK)} item(s) to check.")


def _text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def _int(value) -> int | None:
    try:
        return int(_text(value))
    except ValueError:
        return None


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(_text(value)[:10])
    except ValueError:
        return None


def _show(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def aim_reason(aim: dict, new_start: dt.date, old_year: str) -> tuple[bool, str]:
    """Whether an aim must be in the new year's return on its own account, and why (in plain words)."""
    end_text = _text(aim.get("LearnActEndDate"))
    end = _date(end_text)
    comp, outcome = _int(aim.get("CompStatus")), _text(aim.get("Outcome"))
    if not end_text:
        return True, "still open: no actual end date"
    if end is None:
        return True, f"the actual end date {end_text!r} is not a date: carried so it can be corrected"
    if end >= new_start:
        return True, f"ends on {_show(end)}, in the new year"
    if comp == 6:
        return True, "on an agreed break in learning: returned until the learner restarts or withdraws"
    if outcome in ("", "8"):
        return True, (f"ended on {_show(end)} but the outcome is still to record"
                      f"{' (Outcome 8)' if outcome == '8' else ''}")
    return False, f"ended on {_show(end)} with outcome {outcome}: it stays in the {old_year} return"


def _programme_key(aim: dict) -> tuple:
    return (_text(aim.get("ProgType")), _text(aim.get("StdCode")), _text(aim.get("FworkCode")),
            _text(aim.get("PwayCode")))


def select_aims(aims: list[dict], new_start: dt.date, old_year: str) -> dict[int, tuple[bool, str]]:
    """For each aim (by ``_id``) of one learner: carried or not, and why."""
    out = {a["_id"]: aim_reason(a, new_start, old_year) for a in aims}
    programmes = [a for a in aims if _int(a.get("AimType")) == 1]
    for prog in programmes:
        members = [a for a in aims if _int(a.get("AimType")) == 3 and _programme_key(a) == _programme_key(prog)]
        if out[prog["_id"]][0]:
            for a in members:
                if not out[a["_id"]][0]:
                    out[a["_id"]] = (True, f"part of the programme of aim {_text(prog.get('AimSeqNumber'))}, "
                                           "which continues")
        elif any(out[a["_id"]][0] for a in members):
            out[prog["_id"]] = (True, "programme aim of a component aim that continues")
    # a 16-19 study programme always has its core aim (AimType 5) in the return (rule R_63)
    if any(out[a["_id"]][0] and _int(a.get("FundModel")) == 25 for a in aims):
        for core in aims:
            if _int(core.get("AimType")) == 5 and _int(core.get("FundModel")) == 25 and not out[core["_id"]][0]:
                out[core["_id"]] = (True, "core aim of a 16-19 study programme that continues")
    return out


@dataclass
class _Changes:
    """What differs between the two packs, as the migration needs it."""

    fields_removed: dict[str, list[str]]
    entities_removed: list[str]
    codes_removed: dict[tuple[str, str], set[str]]  # (entity, field or FAM type) -> codes no longer valid
    types_removed: dict[str, set[str]]  # typed entity -> FAM/ESM types no longer valid
    closed: dict[tuple[str, str], dict[str, tuple[dt.date, str]]]  # LearningDelivery field -> code -> (to, label)


def pack_changes(old: Spec, new: Spec) -> _Changes:
    fields_removed = {}
    for name, entity in old.entities.items():
        if name in new.entities:
            kept = {f.name for f in new.entity(name).fields}
            gone = [f.name for f in entity.fields if f.name not in kept]
            if gone:
                fields_removed[name] = gone
    codes_removed: dict[tuple[str, str], set[str]] = {}
    for key, before in old.codelists.items():
        after = new.codelists.get(key)
        if after is None:
            continue  # the whole list went: its field or type went too, and is handled as such
        gone = {c.code for c in before.codes} - {c.code for c in after.codes}
        if gone:
            entity, name = key.split(".", 1)
            codes_removed[(entity, name)] = gone
    types_removed = {}
    for entity, types in old.fam_types.items():
        now = {t.type for t in new.fam_types.get(entity, ())}
        gone = {t.type for t in types} - now
        if gone:
            types_removed[entity] = gone
    for entity, (type_field, _) in _TYPED.items():  # the type code lists say so too (LearnDelFAMType ASL)
        gone = codes_removed.pop((entity, type_field), set())
        if gone:
            types_removed.setdefault(entity, set()).update(gone)
    closed: dict[tuple[str, str], dict[str, tuple[dt.date, str]]] = defaultdict(dict)
    for f in new.entity("LearningDelivery").fields:
        codes = new.codelist(f.qualified)
        for c in (codes.codes if codes else ()):
            if c.valid_to is not None and c.valid_to < new.teaching_year_start:
                closed[("LearningDelivery", f.name)][c.code] = (c.valid_to, c.label)
    return _Changes(fields_removed, [e for e in old.entities if e not in new.entities], codes_removed,
                    types_removed, dict(closed))


class _Migrator:
    def __init__(self, data: IlrData, new: Spec):
        self.data, self.old, self.new = data, data.spec, new
        self.changes = pack_changes(self.old, new)
        self.entries: list[Entry] = []
        self.rows = {e: data.table(e).to_dict("records") for e in data_entities(self.old)}
        self.refs: dict[int, str] = {}  # learner _id -> LearnRefNumber
        self.aims: dict[int, dict] = {}  # aim _id -> aim row

    def note(self, learner_id, aim: dict | None, record: str, action: str, reason: str) -> None:
        self.entries.append(Entry(self.refs.get(learner_id, ""), _text(aim.get("AimSeqNumber")) if aim else "",
                                  _text(aim.get("LearnAimRef")) if aim else "", record, action, reason))

    def run(self) -> tuple[dict[str, list[dict]], list[Entry]]:
        new_start = self.new.teaching_year_start
        learners = self.rows["Learner"]
        self.refs = {r["_id"]: _text(r.get("LearnRefNumber")) for r in learners}
        by_learner = defaultdict(list)
        for aim in self.rows["LearningDelivery"]:
            by_learner[aim["_learner"]].append(aim)
        kept_learners, kept_aims = set(), set()
        for learner in learners:
            lid = learner["_id"]
            aims = by_learner.get(lid, [])
            decisions = select_aims(aims, new_start, self.old.year)
            carried = [a for a in aims if decisions[a["_id"]][0]]
            if carried:
                kept_learners.add(lid)
                self.note(lid, None, "Learner", CARRIED,
                          f"{len(carried)} of {len(aims)} aim(s) continue into {self.new.year}")
                self._newly_collected(learner, carried)
            else:
                self.note(lid, None, "Learner", DROPPED,
                          "no learning aims" if not aims else
                          f"every aim ended and was recorded in {self.old.year}: nothing left for {self.new.year}")
            for aim in aims:
                keep, why = decisions[aim["_id"]]
                if keep and carried:
                    kept_aims.add(aim["_id"])
                    self.aims[aim["_id"]] = aim
                self.note(lid, aim, "Aim", CARRIED if keep else DROPPED, why)
            self._renumber_aims(lid, carried)
        rows = self._copy(kept_learners, kept_aims)
        order = {ref: i for i, ref in enumerate(self.refs.values())}
        kinds = {"Learner": 0, "Aim": 1}
        self.entries.sort(key=lambda e: (order.get(e.learner, -1), _int(e.aim) or 0, kinds.get(e.record, 2)))
        return rows, self.entries

    def _newly_collected(self, learner: dict, carried: list[dict]) -> None:
        """Fields the new year collects for more learners than the old one did (NINumber for FundModel 37)."""
        now = {str(m) for m in self.new.facts.get("ni_number_fund_models") or ()}
        before = {str(m) for m in self.old.facts.get("ni_number_fund_models") or ()}
        models = sorted({_text(a.get("FundModel")) for a in carried} & (now - before))
        if models and not _text(learner.get("NINumber")):
            self.note(learner["_id"], None, "Learner.NINumber", CHECK,
                      f"from {self.new.year} the National Insurance number is collected for funding model "
                      f"{', '.join(models)}: add it from the learner's records")

    def _renumber_aims(self, lid, carried: list[dict]) -> None:
        """Aims are numbered 1, 2, 3 ... within a learner (AimSeqNumber_02), so the carried ones are renumbered
        in their order; the old number stays in the report."""
        self.seq: dict[int, str] = getattr(self, "seq", {})
        for n, aim in enumerate(carried, start=1):
            old = _text(aim.get("AimSeqNumber"))
            self.seq[aim["_id"]] = str(n)
            if old != str(n):
                self.note(lid, aim, "LearningDelivery.AimSeqNumber", CHANGED,
                          f"aim {old} is aim {n} in {self.new.year}: the carried aims are numbered 1, 2, 3 ... "
                          "with no gaps")

    def _keep(self, entity: str, row: dict, kept_learners: set, kept_aims: set, kept: dict[str, set]) -> bool:
        if entity == "SourceFile":
            return False
        if entity == "Learner":
            return row["_id"] in kept_learners
        if entity == "LearningDelivery":
            return row["_id"] in kept_aims
        parent_entity = self.old.entity(entity).parent
        return row.get("_parent") in kept.get(parent_entity, set())

    def _copy(self, kept_learners: set, kept_aims: set) -> dict[str, list[dict]]:
        kept: dict[str, set] = {}
        out: dict[str, list[dict]] = {}
        if self.rows.get("SourceFile"):
            self.entries.append(Entry("", "", "", "SourceFile", DROPPED,
                                      "source file records describe files merged into the old year's return"))
        for entity in data_entities(self.old):
            kept[entity] = set()
            for row in self.rows.get(entity, ()):
                if not self._keep(entity, row, kept_learners, kept_aims, kept):
                    continue
                if entity in self.changes.entities_removed:
                    self.note(row.get("_learner"), self._aim_of(entity, row), entity, DROPPED,
                              f"{entity} is not part of the {self.new.year} ILR")
                    continue
                if not self._mapped(entity, row):
                    continue
                kept[entity].add(row["_id"])
                aim = self._aim_of(entity, row)
                if aim is not None:
                    row = {**row, "AimSeqNumber": self.seq[aim["_id"]]}
                out.setdefault(entity, []).append(row)
        return out

    def _aim_of(self, entity: str, row: dict) -> dict | None:
        if entity == "LearningDelivery":
            return row
        if self.old.entity(entity).parent == "LearningDelivery":
            return self.aims.get(row.get("_parent"))
        return None

    def _mapped(self, entity: str, row: dict) -> bool:
        """Apply the year's changes to one carried row; False when the row itself must go."""
        learner, aim = row.get("_learner"), self._aim_of(entity, row)
        if entity == "Learner":
            learner = row["_id"]
        if entity in _TYPED:
            type_field, code_field = _TYPED[entity]
            type_, code = _text(row.get(type_field)), _text(row.get(code_field))
            if type_ in self.changes.types_removed.get(entity, ()):
                self.note(learner, aim, f"{entity} {type_}", DROPPED,
                          f"{type_} {code} dropped: the {type_} type is not part of the {self.new.year} ILR")
                return False
            if code in self.changes.codes_removed.get((entity, type_), ()):
                self.note(learner, aim, f"{entity} {type_}", DROPPED,
                          f"{type_} {code} dropped: the code was withdrawn; record the current "
                          f"{type_} code if one applies")
                return False
        for (ent, name), codes in self.changes.codes_removed.items():
            if ent != entity or entity in _TYPED:
                continue
            value = _text(row.get(name))
            if value and value in codes:
                if entity == "LLDDandHealthProblem":
                    primary = _text(row.get("PrimaryLLDD")) == "1"
                    self.note(learner, aim, f"{entity}.{name}", DROPPED,
                              f"{name} {value} dropped: the category was withdrawn. Record the learner's current "
                              "category" + (" and mark one category as primary (this one was)." if primary else "."))
                    return False
                self.note(learner, aim, f"{entity}.{name}", CHECK,
                          f"{name} {value} is not a {self.new.year} code: choose a current one")
        for name in self.changes.fields_removed.get(entity, ()):
            value = _text(row.get(name))
            if value:
                self.note(learner, aim, f"{entity}.{name}", CHANGED,
                          f"{name} {value} dropped: the field is not part of the {self.new.year} ILR")
        for (ent, name), codes in self.changes.closed.items():
            if ent == entity and _text(row.get(name)) in codes:
                to, label = codes[_text(row.get(name))]
                self.note(learner, aim, f"{entity}.{name}", CHECK,
                          f"{name} {_text(row.get(name))} ({label}) closed on {_show(to)} and is not accepted in "
                          f"the {self.new.year} return. Carried unchanged so nothing is lost: record the aim under "
                          "the funding model that pays for it now (ask your funder) before converting")
        return True


def _renumber(spec: Spec, rows: dict[str, list[dict]]) -> dict[str, pd.DataFrame]:
    """Tables for the new year: ids from 0 again, parents and learners re-pointed, workbook places cleared."""
    new_ids: dict[str, dict] = {}
    learner_ids: dict = {}
    tables = {}
    for entity in data_entities(spec):
        source = rows.get(entity, [])
        new_ids[entity] = {r["_id"]: i for i, r in enumerate(source)}
        parent_entity = spec.entity(entity).parent
        out = []
        for i, r in enumerate(source):
            row = dict(r)
            row["_id"] = i
            if entity == "Learner":
                learner_ids[r["_id"]] = i
                row["_learner"] = i
            elif r.get("_learner") is not None:
                row["_learner"] = learner_ids.get(r["_learner"])
            if r.get("_parent") is not None and parent_entity in new_ids:
                row["_parent"] = new_ids[parent_entity].get(r["_parent"])
            row["_sheet"] = row["_row"] = None
            out.append(row)
        if out:
            tables[entity] = frame(spec, entity, out)  # frame keeps only the new year's columns
    return tables


def migrate(data: IlrData, to_year: str) -> Migration:
    """The new year's ILR for ``data`` and the report of what moved, what stayed and what changed."""
    new = load_spec(to_year)
    if new.teaching_year_start <= data.spec.teaching_year_start:
        raise InputError(f"The file is for {data.year}; it can only be moved on to a later year, not to "
                         f"{new.year}.")
    rows, entries = _Migrator(data, new).run()
    header = {k: v for k, v in data.header.items() if k not in _HEADER_DROPPED}
    result = IlrData(new.year, header, _renumber(new, rows), origin="xml")
    return Migration(result, entries, data.year)


REPORT_SHEET = "Migration"
REPORT_COLUMNS = ("LearnRefNumber", "AimSeqNumber", "LearnAimRef", "Record", "Action", "Reason")


def _report_sheet(entries: list[Entry], from_year: str, to_year: str):
    def write(wb, formats) -> None:
        ws = wb.add_worksheet(REPORT_SHEET)
        ws.write_string(0, 0, f"What moved from {from_year} to {to_year}, what stayed behind and what changed. "
                              "Check the lines marked Check before your first return.", formats.header)
        for c, name in enumerate(REPORT_COLUMNS):
            ws.write_string(2, c, name, formats.header)
        for r, e in enumerate(entries, start=3):
            # learner text is data: always written as text, never a formula or a number
            for c, value in enumerate((e.learner, e.aim, e.aim_ref, e.record, e.action, e.reason)):
                ws.write_string(r, c, value)
        for c, width in enumerate((16, 13, 14, 30, 10, 110)):
            ws.set_column(c, c, width)
        ws.autofilter(2, 0, max(2, len(entries) + 2), len(REPORT_COLUMNS) - 1)
        ws.freeze_panes(3, 0)
    return write


def migrate_file(source, output, to_year: str, *, force: bool = False) -> Migration:
    """Read ``source`` (workbook or ILR XML), write the new year's workbook with its report sheet to
    ``output``. The source is only read; ``output`` is never the source and is replaced only with ``force``."""
    from pathlib import Path

    from ilrkit.converter.io import load
    from ilrkit.converter.xml_writer import refuse_overwriting, write_atomic
    from ilrkit.templates.layout import load_layout
    from ilrkit.templates.workbook_writer import build_workbook

    source, output = Path(source), Path(output)
    refuse_overwriting(output, source)
    if output.exists() and not force:
        from ilrkit.converter.errors import OutputExists

        raise OutputExists(f"{output} already exists. Choose another name, or add --force to replace it.")
    result = migrate(load(source), to_year)
    content = build_workbook(load_layout(result.data.year), result.data,
                             extra=_report_sheet(result.entries, result.from_year, result.data.year))
    write_atomic(output, content, force=force)
    return result
