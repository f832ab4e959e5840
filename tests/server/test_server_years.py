"""The server follows the year of the uploaded file."""

from __future__ import annotations

import pytest

from ilrkit.converter.xml_writer import render_xml
from ilrkit.generate import calendar, header, learner_specs
from ilrkit.rules.testing import build
from ilrkit.schemas import available_years

from server_helpers import AUTH


@pytest.mark.parametrize("year, code", [("2025-26", "2526"), ("2026-27", "2627")])
def test_validate_and_convert_follow_the_files_year(client, tmp_path, year, code):
    if year not in available_years():
        pytest.skip(f"the {year} year pack is not installed")
    data = build(learner_specs(3, 2, year=year), header=header(calendar(year)), year=year, defaults=False)
    xml = tmp_path / f"ILR-10000001-{code}-20260630-090000-01.xml"
    xml.write_text(render_xml(data), encoding="utf-8")
    with xml.open("rb") as fh:
        response = client.post("/v1/validate", files={"file": (xml.name, fh)}, headers=AUTH)
    assert response.status_code == 200, response.text
    assert response.json()["year"] == year


def test_unknown_year_is_refused_naming_the_years(client, tmp_path):
    xml = tmp_path / "old.xml"
    xml.write_text(render_xml(build([{}])).replace("ESFA/ILR/2025-26", "ESFA/ILR/2019-20"), encoding="utf-8")
    with xml.open("rb") as fh:
        response = client.post("/v1/validate", files={"file": (xml.name, fh)}, headers=AUTH)
    assert response.status_code == 422
    assert "2019-20" in response.json()["error"] and "2025-26" in response.json()["error"]


@pytest.mark.parametrize("year, only_in_the_other", [("2025-26", "ILR_FundModel_NewCode"), ("2026-27", "PHours_01")])
def test_rules_lists_one_years_rules_like_ilr_rules_year(client, year, only_in_the_other):
    # GET /v1/rules gave every year's rules at once (PHours_01, removed in 2026-27, next to the new-code rules)
    if year not in available_years():
        pytest.skip(f"the {year} year pack is not installed")
    from ilrkit.rules.registry import rules_for_year

    listed = {r["code"] for r in client.get("/v1/rules", params={"year": year}, headers=AUTH).json()}
    assert listed == set(rules_for_year(year)) and only_in_the_other not in listed
    unknown = client.get("/v1/rules", params={"year": "2019-20"}, headers=AUTH)
    assert unknown.status_code == 422 and "2025-26" in unknown.json()["error"]
