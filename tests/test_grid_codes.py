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


def test_an_existing_legacy_grid_is_imported_with_15_digit_codes(tmp_path, capsys):
    from grid_helpers import new_project, small_district

    from urban_grid_plugin.grid import store
    from urban_grid_plugin.grid.build import build_grid

    small_district(tmp_path)
    built = new_project(tmp_path, "built.gpkg")
    build_grid(built, tmp_path / "district.gpkg", layer="community")
    legacy = store.read_active_cells(built)
    legacy["BGID"] = legacy["code"].str[:12] + legacy["code"].str[-2:]  # CJ/T 213: 2-digit sequence
    legacy[["BGID", "geometry"]].to_crs("EPSG:4326").to_file(tmp_path / "old_grid.geojson")
    project = new_project(tmp_path, "imported.gpkg")
    assert main(["-q", "grid", "import", str(project), str(tmp_path / "old_grid.geojson"),
                 "--communities", f"{tmp_path / 'district.gpkg'}|community", "--date", "2020-01-01"]) == 0
    assert f"{len(legacy)} legacy 14-digit codes converted" in capsys.readouterr().out
    cells = store.read_active_cells(project)
    assert sorted(cells["code"]) == sorted(legacy["code"])
    assert main(["-q", "grid", "check", str(project), "--strict"]) == 0
    # A second import, or a duplicate code, is refused and changes nothing.
    assert main(["-q", "grid", "import", str(project), str(tmp_path / "old_grid.geojson"),
                 "--communities", f"{tmp_path / 'district.gpkg'}|community"]) == 1
    assert "already has a unit grid" in capsys.readouterr().err
    legacy.loc[1, "BGID"] = legacy.loc[0, "BGID"]
    legacy[["BGID", "geometry"]].to_file(tmp_path / "dup.gpkg")
    other = new_project(tmp_path, "other.gpkg")
    with pytest.raises(InputError, match="row 2.*appears more than once"):
        from urban_grid_plugin.grid.importer import import_cells

        import_cells(other, tmp_path / "dup.gpkg", tmp_path / "district.gpkg", communities_layer="community")
    assert "grid_cell" not in store.list_tables(other)
