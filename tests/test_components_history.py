"""Change history (变更) with as-of-date queries, census counts and duplicate detection."""

from __future__ import annotations

import sqlite3

import geopandas as gpd
import pyogrio
import pytest
import shapely
from test_components_import import X0, Y0, write_grid

from urban_grid_plugin.components import store
from urban_grid_plugin.components.census import census, find_duplicates
from urban_grid_plugin.components.importer import import_components
from urban_grid_plugin.components.schema import connect
from urban_grid_plugin.errors import InputError


@pytest.fixture
def project(tmp_path):
    path = str(tmp_path / "project.gpkg")
    write_grid(path)
    frame = gpd.GeoDataFrame({
        "class_code": ["0101", "0101", "0118", "0305", "0101"],
        "obj_state": ["完好", "破损", "完好", "丢失", "完好"],
        "init_date": ["2023-01-01", "2023-01-01", "2023-06-01", "2024-01-01", "2023-01-01"],
    }, geometry=[shapely.Point(X0 + 10, Y0 + 10), shapely.Point(X0 + 20, Y0 + 20),
                 shapely.Point(X0 + 150, Y0 + 10), shapely.Point(X0 + 950, Y0 + 950),
                 shapely.Point(X0 + 10.3, Y0 + 10)],  # 0.3 m from the first: a duplicate
        crs="EPSG:4547")
    src = tmp_path / "survey.gpkg"
    frame.to_file(src, engine="pyogrio")
    import_components(path, str(src))
    return path


def the_id(project, x, y) -> str:
    comps = store.read_components(project)
    hit = comps[comps.geometry.distance(shapely.Point(x, y)) < 0.01]
    return hit["obj_id"].iloc[0]


def test_as_of_returns_the_version_valid_that_day(project):
    oid = the_id(project, X0 + 10, Y0 + 10)
    store.change_component(project, oid, {"obj_state": "破损"}, date="2024-03-01", reason="巡查发现破损")
    store.change_component(project, oid, {"obj_state": "完好", "note": "repaired"}, date="2024-06-01",
                           reason="维修完成")
    moved = shapely.Point(X0 + 120, Y0 + 10)  # into the neighbouring cell
    store.change_component(project, oid, {}, geometry=moved, date="2024-09-01", reason="迁移")

    def state_on(day):
        frame = store.as_of(project, day, [oid])
        return None if not len(frame) else (frame["obj_state"].iloc[0], frame["grid_code"].iloc[0])

    first_cell = state_on("2023-05-01")[1]
    assert state_on("2022-12-31") is None  # not built yet
    assert state_on("2023-05-01") == ("完好", first_cell)
    assert state_on("2024-03-01")[0] == "破损"
    assert state_on("2024-05-31")[0] == "破损"
    assert state_on("2024-07-01") == ("完好", first_cell)
    now = state_on("2025-01-01")
    assert now[0] == "完好" and now[1] != first_cell
    hist = store.history(project, oid)
    assert list(hist["reason"]) == ["巡查发现破损", "维修完成", "迁移", "current"]
    assert list(hist["valid_from"]) == ["2023-01-01", "2024-03-01", "2024-06-01", "2024-09-01"]
    # the whole city as of a date: the 2024 bin did not exist in mid-2023
    assert len(store.as_of(project, "2023-07-01")) == 4
    assert len(store.as_of(project, "2024-07-01")) == 5


def test_change_rejects_bad_requests_and_keeps_data(project):
    oid = the_id(project, X0 + 20, Y0 + 20)
    with pytest.raises(InputError, match="reason"):
        store.change_component(project, oid, {"obj_state": "完好"}, reason="")
    with pytest.raises(InputError, match="before"):
        store.change_component(project, oid, {"obj_state": "完好"}, date="2020-01-01", reason="x")
    with pytest.raises(InputError, match="outside"):
        store.change_component(project, oid, {}, geometry=shapely.Point(0, 0), reason="x", date="2025-01-01")
    with pytest.raises(InputError, match="no component"):
        store.change_component(project, "3205080101999999", {"obj_state": "完好"}, reason="x")
    assert len(store.read_components(project, geometry=False)) == 5
    assert store.read_full(project, [oid])["obj_state"].iloc[0] == "破损"


def test_census_counts_per_cell_class_state_and_department(project):
    table = census(project)
    assert table["count"].sum() == 5
    by_state = table.groupby("obj_state")["count"].sum().to_dict()
    assert by_state == {"完好": 3, "破损": 1, "丢失": 1}
    assert set(table["dept_name1"]) >= {"供水公司", "路灯管理处"}
    layer = pyogrio.read_dataframe(project, layer="component_census_cell")
    assert len(layer) == 100 and layer["total"].sum() == 5
    assert layer["count_01"].sum() == 4 and layer["count_03"].sum() == 1
    assert layer["not_intact"].sum() == 2
    with sqlite3.connect(project) as con:
        assert con.execute("SELECT sum(count) FROM component_census").fetchone()[0] == 5
    census(project)  # rebuilding replaces the layer
    assert len(pyogrio.read_dataframe(project, layer="component_census_cell")) == 100


def test_duplicates_same_class_within_tolerance(project):
    pairs = find_duplicates(project, tolerance=0.5)
    assert len(pairs) == 1 and pairs["class_code"].iloc[0] == "0101"
    assert pairs["distance_m"].iloc[0] == pytest.approx(0.3, abs=1e-3)
    assert len(find_duplicates(project, tolerance=0.1)) == 0
    assert len(find_duplicates(project, tolerance=20)) == 3  # three 0101 points, all within 14.2 m


def test_reassign_after_grid_change_moves_components_and_keeps_history(project):
    oid = the_id(project, X0 + 950, Y0 + 950)
    old_cell = store.read_full(project, [oid])["grid_code"].iloc[0]
    # the grid owner retires the corner cell and adds a replacement with a new code
    cells = pyogrio.read_dataframe(project, layer="grid_cell")
    corner = cells[cells["code"] == old_cell].copy()
    with connect(project) as con:  # the GeoPackage R-tree triggers need the ST_ functions
        con.execute("UPDATE grid_cell SET term_date = '2025-01-01' WHERE code = ?", (old_cell,))
    corner["code"] = old_cell[:12] + "999"
    corner["init_date"] = "2025-01-01"
    pyogrio.write_dataframe(corner, project, layer="grid_cell", append=True)
    result = store.reassign(project, date="2025-01-02")
    assert result == {"checked": 5, "changed": 1, "outside": 0}
    assert store.read_full(project, [oid])["grid_code"].iloc[0] == old_cell[:12] + "999"
    assert store.as_of(project, "2024-12-31", [oid])["grid_code"].iloc[0] == old_cell
    assert store.reassign(project, date="2025-01-03")["changed"] == 0
