"""Each bad input gets a clear message and leaves the stored project untouched."""

from __future__ import annotations

import os

import geopandas as gpd
import pytest
import shapely
from grid_helpers import file_digest, new_project, small_district, table_rows

from urban_grid_plugin.cli import main
from urban_grid_plugin.errors import InputError
from urban_grid_plugin.grid.build import build_grid


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    district = small_district(folder)
    project = new_project(folder)
    build_grid(project, folder / "district.gpkg", layer="community", mode="lattice", date="2026-01-01")
    communities = gpd.read_file(folder / "district.gpkg", layer="community")
    return folder, project, communities, district


def _overlapping(frame, folder):
    bad = frame.copy()
    bad.loc[0, "geometry"] = bad.geometry[0].buffer(30)
    path = folder / "overlap.gpkg"
    bad.to_file(path)
    return path, "overlap"


def _empty(frame, folder):
    path = folder / "empty.gpkg"
    frame.iloc[0:0].to_file(path)
    return path, "is empty"


def _lines(frame, folder):
    bad = frame.copy()
    bad["geometry"] = bad.geometry.boundary
    path = folder / "lines.geojson"
    bad.to_file(path)
    return path, "must hold Polygon/MultiPolygon geometries, found"


def _no_crs(frame, folder):
    path = folder / "nocrs.shp"
    frame.to_file(path)
    os.unlink(folder / "nocrs.prj")
    return path, "has no CRS"


def _short_code(frame, folder):
    bad = frame.copy()
    bad.loc[2, "community_code"] = bad.loc[2, "community_code"][:11]
    path = folder / "short.gpkg"
    bad.to_file(path)
    return path, "has 11 digits, expected 12"


@pytest.mark.parametrize("make", [_overlapping, _empty, _lines, _no_crs, _short_code],
                         ids=["overlapping", "empty", "wrong-geometry", "no-crs", "code-length"])
def test_bad_communities_leave_the_project_as_it_was(setup, make, capsys):
    folder, project, communities, _ = setup
    digest, rows = file_digest(project), table_rows(project)
    path, message = make(communities, folder)
    with pytest.raises(InputError, match=message) as info:
        build_grid(project, path, mode="lattice")
    assert os.path.basename(str(path)) in str(info.value)
    assert main(["-q", "grid", "build", str(project), "--communities", str(path)]) == 1
    err = capsys.readouterr().err
    assert message.split(",")[0] in err and "Traceback" not in err
    assert file_digest(project) == digest
    assert table_rows(project) == rows


def test_overlap_message_names_both_communities_and_where(setup):
    folder, project, communities, _ = setup
    path, _ = _overlapping(communities, folder)
    with pytest.raises(InputError) as info:
        build_grid(project, path)
    text = str(info.value)
    assert communities["community_code"][0] in text and "x=" in text and "y=" in text
    assert info.value.row == 1


def test_code_length_message_names_row_and_field(setup):
    folder, project, communities, _ = setup
    path, _ = _short_code(communities, folder)
    with pytest.raises(InputError) as info:
        build_grid(project, path)
    assert info.value.row == 3 and info.value.field == "community_code"


def test_bad_barriers_and_parameters_change_nothing(setup):
    folder, project, communities, district = setup
    digest = file_digest(project)
    points = gpd.GeoDataFrame({"kind": ["x"]}, geometry=[shapely.Point(500_100, 3_430_100)], crs="EPSG:4547")
    points.to_file(folder / "points.gpkg")
    source = folder / "district.gpkg"
    with pytest.raises(InputError, match="barrier layer must hold"):
        build_grid(project, source, layer="community", mode="barrier", barrier_paths=[str(folder / "points.gpkg")])
    with pytest.raises(InputError, match="tolerance"):
        build_grid(project, source, layer="community", tolerance=1.5)
    with pytest.raises(InputError, match="grid mode"):
        build_grid(project, source, layer="community", mode="hexagon")
    with pytest.raises(InputError, match="999"):
        build_grid(project, source, layer="community", cell_size=10.0)
    assert file_digest(project) == digest


def test_a_failure_half_way_through_writing_rolls_everything_back(setup, monkeypatch):
    folder, project, _, _ = setup
    from urban_grid_plugin.grid import store

    rows = table_rows(project)
    real = store._sql

    def failing(ds, statement):
        if statement.startswith('INSERT INTO "grid_history"'):
            raise RuntimeError("disk full (simulated)")
        return real(ds, statement)

    monkeypatch.setattr(store, "_sql", failing)
    with pytest.raises(RuntimeError, match="simulated"):
        build_grid(project, folder / "district.gpkg", layer="community", mode="barrier",
                   barrier_paths=[f"{folder / 'district.gpkg'}|barrier"], date="2026-05-05")
    assert table_rows(project) == rows
    assert not [p for p in os.listdir(folder) if p.startswith(".ug-grid-")]


def test_street_layer_names_streets_and_must_cover_every_community_street(setup, tmp_path):
    folder, project, communities, district = setup
    from urban_grid_plugin.grid import store

    copy = tmp_path / "copy.gpkg"
    copy.write_bytes(project.read_bytes())
    streets = gpd.read_file(folder / "district.gpkg", layer="street")
    streets["name"] = ["东街道", "西街道"][: len(streets)]
    streets.to_file(tmp_path / "streets.geojson")
    build_grid(copy, folder / "district.gpkg", layer="community", streets_path=str(tmp_path / "streets.geojson"))
    stored = store.read_table(copy, store.STREET)
    assert set(stored["name"]) == set(streets["name"])
    digest = file_digest(copy)
    streets.iloc[:1].to_file(tmp_path / "one_street.geojson")
    with pytest.raises(InputError, match="not in the street layer"):
        build_grid(copy, folder / "district.gpkg", layer="community", streets_path=str(tmp_path / "one_street.geojson"))
    streets.loc[0, "street_code"] = "32050800"
    streets.to_file(tmp_path / "short_street.geojson")
    with pytest.raises(InputError, match="row 1.*8 digits, expected 9"):
        build_grid(copy, folder / "district.gpkg", layer="community", streets_path=str(tmp_path / "short_street.geojson"))
    assert file_digest(copy) == digest
