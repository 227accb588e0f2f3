"""Grid codes: 15-digit GB/T 30428.1, legacy 14-digit CJ/T 213 and their conversion."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from urban_grid_plugin.cli import main
from urban_grid_plugin.errors import InputError
from urban_grid_plugin.grid import codes


def test_fifteen_digit_code_parses_into_its_levels():
    parsed = codes.parse_grid_code("320508019044007")
    assert (parsed.district, parsed.street, parsed.community, parsed.sequence) == ("320508", "019", "044", 7)
    assert parsed.street_code == "320508019"
    assert parsed.community_code == "320508019044"
    assert str(parsed) == "320508019044007"
    assert codes.is_grid_code("320508019044007")


def test_legacy_fourteen_digit_code_is_read_and_converted():
    assert codes.is_legacy_grid_code("32050801904407")
    assert codes.convert_legacy_code("32050801904407") == "320508019044007"
    assert codes.normalize_grid_code("32050801904407") == "320508019044007"
    assert codes.parse_grid_code("32050801904407").sequence == 7
    # A legacy whole-community grid (sequence 00) keeps sequence 000.
    assert codes.convert_legacy_code("32050801904400") == "320508019044000"


@pytest.mark.parametrize("bad", ["32050801904400712", "3205080190440", "", "32050801904400A", "990508019044007"])
def test_bad_grid_codes_are_rejected_with_a_reason(bad):
    with pytest.raises(InputError) as info:
        codes.normalize_grid_code(bad, source="cells.gpkg", row=3, field="code")
    text = str(info.value)
    assert "cells.gpkg" in text and "row 3" in text and "'code'" in text


def test_wrong_length_names_both_lengths():
    problem = codes.code_problem("3205080190", codes.COMMUNITY_CODE_LEN)
    assert "10 digits" in problem and "expected 12" in problem
    with pytest.raises(InputError, match="has 13 digits"):
        codes.validate_code("3205080190441", 12, row=1)


def test_make_grid_code_refuses_more_than_999_cells():
    assert codes.make_grid_code("320508019044", 12) == "320508019044012"
    with pytest.raises(InputError, match="001-999"):
        codes.make_grid_code("320508019044", 1000)


def test_convert_codes_command_rewrites_a_layer(tmp_path, capsys):
    source = tmp_path / "old_grid.geojson"
    gpd.GeoDataFrame({"code": ["32050801904401", "320508019044002"]},
                     geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)], crs="EPSG:4547").to_file(source)
    target = tmp_path / "new_grid.gpkg"
    assert main(["-q", "grid", "convert-codes", str(source), str(target)]) == 0
    out = gpd.read_file(target)
    assert list(out["code"]) == ["320508019044001", "320508019044002"]
    assert out["legacy_code"].iloc[0] == "32050801904401"
    assert "converted 1" in capsys.readouterr().out


def test_convert_codes_reports_the_bad_row(tmp_path, capsys):
    source = tmp_path / "old_grid.geojson"
    gpd.GeoDataFrame({"code": ["32050801904401", "3205080190"]},
                     geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)], crs="EPSG:4547").to_file(source)
    target = tmp_path / "new_grid.gpkg"
    assert main(["-q", "grid", "convert-codes", str(source), str(target)]) == 1
    err = capsys.readouterr().err
    assert "row 2" in err and "10 digits" in err
    assert not target.exists()
