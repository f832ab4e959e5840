"""Our generated XSD: it matches spec.yaml, and it judges documents exactly as the official XSD does.

The official XSD and sample are Crown copyright, so they are read from ``../shared`` (see the
``esfa_dir`` fixture) and never copied here; the invalid documents are made in code from the sample.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest
import xmlschema
from lxml import etree

from ilrkit.schemas import load_spec
from ilrkit.schemas.xsd import generate_xsd, validator

YEAR = "2025-26"
NS = "ESFA/ILR/2025-26"
XSD_NAME = "schemafile25.xsd"
SAMPLE_NAME = "ILR-99999999-2526-20250108-094401.xml"


# --- our XSD on its own --------------------------------------------------------------------------

def test_shipped_xsd_matches_spec():
    spec = load_spec(YEAR)
    assert spec.xsd_path.read_bytes() == generate_xsd(spec), (
        "schemas/2025-26/ILR-2025-26.xsd is stale: run `python -m ilrkit.schemas.xsd --year 2025-26`")


def test_generation_is_deterministic():
    spec = load_spec(YEAR)
    assert generate_xsd(spec) == generate_xsd(spec)


def test_validator_is_cached_across_year_spellings():
    assert validator("2025-26") is validator("2526")
    assert isinstance(validator(YEAR), etree.XMLSchema)


def test_xsd_loads_in_xmlschema():
    schema = xmlschema.XMLSchema(str(load_spec(YEAR).xsd_path))
    assert schema.target_namespace == NS
    # Only the root may start a document, as in the official schema.
    assert set(schema.elements) == {"Message"}


# --- equivalence with the official XSD -----------------------------------------------------------

@pytest.fixture(scope="module")
def official(esfa_dir) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(esfa_dir / XSD_NAME)))


@pytest.fixture(scope="module")
def sample(esfa_dir) -> etree._ElementTree:
    return etree.parse(str(esfa_dir / SAMPLE_NAME))


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _first(root, path: str):
    """First element at a ``/``-separated path of local names below ``root``, e.g. ``Learner/ULN``."""
    found = root.find("/".join(_q(p) for p in path.split("/")))
    assert found is not None, path
    return found


def _set(path: str, value: str) -> Callable:
    def mutate(root):
        _first(root, path).text = value
    return mutate


def _remove(path: str) -> Callable:
    def mutate(root):
        el = _first(root, path)
        el.getparent().remove(el)
    return mutate


def _learner_fams(count: int) -> Callable:
    # Pad the first learner's LearnerFAM run with copies; the XSD caps it at 17.
    def mutate(root):
        fams = _first(root, "Learner").findall(_q("LearnerFAM"))
        last = fams[-1]
        for _ in range(count - len(fams)):
            last.addnext(copy.deepcopy(fams[0]))
    return mutate


def _swap_uln_first(root):
    learner = _first(root, "Learner")
    learner.insert(0, _first(learner, "ULN"))


def _unknown_element(root):
    etree.SubElement(_first(root, "Learner"), _q("Nickname")).text = "Jo"


def _wrong_namespace(root):
    for el in root.iter(etree.Element):
        el.tag = f"{{ESFA/ILR/2024-25}}{etree.QName(el).localname}"


def _learner_as_root(root):
    # A document whose root is not Message: only possible if an inner element were global.
    learner = _first(root, "Learner")
    root.clear()
    root.tag, root[:] = learner.tag, list(learner)


def _two_headers(root):
    _first(root, "Header").addnext(copy.deepcopy(_first(root, "Header")))


def _no_learners(root):
    for learner in root.findall(_q("Learner")):
        root.remove(learner)


HE = "Learner/LearningDelivery/LearningDeliveryHE"
# Learner 'HEFunded' is the only one with LearningDeliveryHE; find() on the path reaches it because
# earlier learners' deliveries have no such child.

INVALID = {
    "wrong element order": _swap_uln_first,
    "missing mandatory element": _remove("Learner/ULN"),
    "string too long": _set("Header/Source/SoftwareSupplier", "S" * 41),
    "bad pattern LearnRefNumber": _set("Learner/LearnRefNumber", "AB_1"),
    "empty LearnRefNumber": _set("Learner/LearnRefNumber", ""),
    "character outside RestrictedString": _set("Header/Source/ReferenceData", "a|b"),
    "digit in FamilyName": _set("Learner/FamilyName", "Sm1th"),
    "ULN out of range": _set("Learner/ULN", "123"),
    "UKPRN above max": _set("LearningProvider/UKPRN", "100000000"),
    "bad date": _set("Learner/DateOfBirth", "2009-02-30"),
    "date in UK format": _set("Learner/DateOfBirth", "27/02/2009"),
    "wrong Year enumeration": _set("Header/CollectionDetails/Year", "2425"),
    "too many LearnerFAM (18)": _learner_fams(18),
    "unknown element": _unknown_element,
    "wrong namespace": _wrong_namespace,
    "non-numeric int": _set("Learner/Ethnicity", "3a"),
    "int too many digits": _set("Learner/Ethnicity", "312"),
    "Sex length 2": _set("Learner/Sex", "FM"),
    "too many fraction digits STULOAD": _set(f"{HE}/STULOAD", "5.25"),
    "STULOAD below min": _set(f"{HE}/STULOAD", "0.0"),
    "root is not Message": _learner_as_root,
    "Header twice": _two_headers,
    "no Learner": _no_learners,
}

VALID = {
    "optional element removed": _remove("Learner/PMUKPRN"),
    "optional group removed": _remove("SourceFiles"),
    "max-length SoftwareSupplier": _set("Header/Source/SoftwareSupplier", "S" * 40),
    "max-length LearnRefNumber": _set("Learner/LearnRefNumber", "A1 " * 4),
    "pound and euro allowed": _set("Header/Source/ReferenceData", "£5 €5"),
    "ULN lowest": _set("Learner/ULN", "1000000000"),
    "ULN highest": _set("Learner/ULN", "9999999999"),
    "UKPRN lowest": _set("LearningProvider/UKPRN", "10000000"),
    "int with surrounding spaces": _set("Learner/Ethnicity", " 31 "),
    "STULOAD lowest": _set(f"{HE}/STULOAD", "0.1"),
    "STULOAD highest": _set(f"{HE}/STULOAD", "300.0"),
    "YEARSTU highest": _set(f"{HE}/YEARSTU", "98"),
    "17 LearnerFAM": _learner_fams(17),
}


def _mutated(sample, mutate: Callable) -> etree._ElementTree:
    doc = copy.deepcopy(sample)
    mutate(doc.getroot())
    # Round-trip through bytes so the verdict is on a document as a file would carry it.
    return etree.ElementTree(etree.fromstring(etree.tostring(doc)))


def test_sample_accepted_by_both(official, sample):
    ours = validator(YEAR)
    assert official.validate(sample), official.error_log
    assert ours.validate(sample), ours.error_log


@pytest.mark.parametrize(("mutate", "expected"),
                         [pytest.param(m, False, id=f"invalid: {k}") for k, m in INVALID.items()]
                         + [pytest.param(m, True, id=f"valid: {k}") for k, m in VALID.items()])
def test_same_verdict_as_official(official, sample, mutate, expected):
    doc = _mutated(sample, mutate)
    theirs, ours = official.validate(doc), validator(YEAR).validate(doc)
    assert theirs == ours, f"official={theirs} ours={ours}: {official.error_log or validator(YEAR).error_log}"
    assert ours is expected, validator(YEAR).error_log


def _signature(schema: xmlschema.XMLSchema) -> list:
    """Every element path with its occurrence and the full facet chain of its simple type."""
    out = []

    def facets(t) -> list:
        chain = []
        # Walk up to the XSD built-in, so RestrictedString's pattern is compared too.
        while not (t.name or "").startswith("{http://www.w3.org/2001/XMLSchema}"):
            own = {}
            for key, facet in t.facets.items():
                if key is None:
                    continue
                name = key.rsplit("}", 1)[-1]
                if name == "pattern":
                    own[name] = tuple(facet.regexps)
                elif name == "enumeration":
                    own[name] = tuple(facet.enumeration)
                else:
                    own[name] = facet.value
            chain.append(own)
            t = t.base_type
        return [*chain, t.name]

    def walk(el, path: str) -> None:
        path = f"{path}/{el.local_name}"
        if el.type.is_complex():
            out.append((path, el.min_occurs, el.max_occurs))
            for child in el.type.content.iter_elements():
                walk(child, path)
        else:
            out.append((path, el.min_occurs, el.max_occurs, facets(el.type)))

    for name in sorted(schema.elements):
        walk(schema.elements[name], "")
    return out


def test_structure_matches_official(esfa_dir):
    # A whole-schema check beside the sampled documents: same elements, order, occurrence and facets.
    theirs = xmlschema.XMLSchema(str(esfa_dir / XSD_NAME))
    ours = xmlschema.XMLSchema(str(load_spec(YEAR).xsd_path))
    assert _signature(ours) == _signature(theirs)


def test_xmlschema_accepts_sample(esfa_dir):
    ours = xmlschema.XMLSchema(str(load_spec(YEAR).xsd_path))
    ours.validate(str(esfa_dir / SAMPLE_NAME))
