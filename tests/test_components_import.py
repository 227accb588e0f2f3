"""Component import: mapping, validation → quarantine, assignment, IDs, idempotence, bad input."""

from __future__ import annotations

import json
import os
import sqlite3

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from urban_grid_plugin.components import store
from urban_grid_plugin.components.importer import import_components
from urban_grid_plugin.errors import InputError
from urban_grid_plugin.project import create_project

X0, Y0 = 500000.0, 3500000.0
DISTRICT = "320508"


def write_grid(path, profile: str = "2013") -> gpd.GeoDataFrame:
    """A 10 × 10 grid of 100 m cells in two communities, in the ``grid_cell`` contract shape."""
    create_project(path, profile=profile, district_code=DISTRICT)
    polys, codes = [], []
    for i in range(10):
        for j in range(10):
            polys.append(shapely.box(X0 + i * 100, Y0 + j * 100, X0 + (i + 1) * 100, Y0 + (j + 1) * 100))
            codes.append(f"{DISTRICT}001{1 + i // 5:03d}{j * 5 + i % 5 + 1:03d}")
    cells = gpd.GeoDataFrame({
        "code": codes, "community_code": [c[:12] for c in codes], "street_code": [c[:9] for c in codes],
        "district_code": DISTRICT, "area_m2": 1e4, "init_date": "2020-01-01",
        "term_date": pd.Series([None] * 100, dtype=object), "note": pd.Series([None] * 100, dtype=object),
    }, geometry=polys, crs="EPSG:4547")
    pyogrio.write_dataframe(cells, path, layer="grid_cell", driver="GPKG", geometry_type="Polygon")
    return cells


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "project.gpkg"
    write_grid(path)
    return str(path)


MAPPING = {"columns": {"class_code": "LBDM", "obj_id": "BJBM", "obj_state": "ZT", "init_date": "CSRQ"},
           "x": "ZBX", "y": "ZBY", "crs": "EPSG:4547"}


def survey_csv(tmp_path, n: int = 200, seed: int = 1, name: str = "batch.csv") -> tuple[str, str]:
    """A CSV in a city's own column names plus its JSON mapping file."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "LBDM": rng.choice(["0101", "0118", "0305"], n),
        "BJBM": "",
        "ZT": "完好",
        "CSRQ": "20240105",
        "ZBX": rng.uniform(X0 + 1, X0 + 999, n).round(3),
        "ZBY": rng.uniform(Y0 + 1, Y0 + 999, n).round(3),
    })
    csv = tmp_path / name
    frame.to_csv(csv, index=False)
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(MAPPING), encoding="utf-8")
    return str(csv), str(mapping)


def table(project: str, sql: str) -> list[tuple]:
    with sqlite3.connect(project) as con:
        return con.execute(sql).fetchall()


def test_csv_import_assigns_cells_and_generates_standard_ids(project, tmp_path):
    csv, mapping = survey_csv(tmp_path)
    result = import_components(project, csv, mapping=mapping)
    assert (result.read, result.inserted, result.quarantine_count) == (200, 200, 0)
    comps = store.read_components(project)
    assert len(comps) == 200 and set(comps["layer"]) == {"point"}
    assert comps["obj_id"].str.fullmatch(r"\d{16}").all()
    assert (comps["obj_id"].str.slice(0, 6) == DISTRICT).all()
    assert (comps["obj_id"].str.slice(6, 10) == comps["class_code"]).all()
    assert comps["obj_id"].is_unique
    # each point lies in the cell it was assigned to, and community/street follow the cell
    cells = pyogrio.read_dataframe(project, layer="grid_cell").set_index("code")
    inside = shapely.contains(cells.geometry.loc[comps["grid_code"]].to_numpy(), comps.geometry.to_numpy())
    assert inside.all()
    assert (comps["community_code"] == comps["grid_code"].str.slice(0, 12)).all()
    assert (comps["init_date"] == "2024-01-05").all()  # YYYYMMDD normalised
    assert (comps["obj_name"][comps["class_code"] == "0101"] == "上水井盖").all()
    assert comps["dept_name1"].notna().all()


def test_bad_rows_go_to_quarantine_with_file_row_and_field(project, tmp_path):
    csv, mapping = survey_csv(tmp_path, n=20)
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    frame.loc[0, "LBDM"] = "9999"  # unknown class
    frame.loc[1, "BJBM"] = "12345"  # malformed ID
    frame.loc[2, "ZBX"] = str(X0 - 5000)  # outside every cell
    frame.loc[3, "CSRQ"] = "2024-13-45"  # bad date
    frame.loc[4, "LBDM"] = ""  # missing required field
    frame.loc[5, "BJBM"] = f"{DISTRICT}0305000007"  # class part does not match LBDM
    frame.loc[5, "LBDM"] = "0101"
    frame.to_csv(csv, index=False)
    result = import_components(project, csv, mapping=mapping)
    assert result.inserted == 14 and result.quarantine_count == 6
    rows = table(project, "SELECT source_file, source_row, field, reason, value FROM component_quarantine "
                          "ORDER BY source_row")
    assert [r[1] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert all(r[0] == "batch.csv" for r in rows)
    by_row = {r[1]: r for r in rows}
    assert by_row[1][2:] == ("class_code", "unknown class code", "9999")
    assert by_row[2][2] == "obj_id" and "malformed ID" in by_row[2][3]
    assert by_row[3][2:4] == ("geometry", "outside every grid cell")
    assert by_row[4][2] == "init_date" and "bad date" in by_row[4][3]
    assert by_row[5][2:4] == ("class_code", "missing required field: class_code")
    assert "does not match the class code" in by_row[6][3]
    # re-import: the quarantine is replaced, not doubled, and nothing new is stored
    again = import_components(project, csv, mapping=mapping)
    assert (again.inserted, again.unchanged, again.quarantine_count) == (0, 14, 6)
    assert table(project, "SELECT count(*) FROM component_quarantine")[0][0] == 6
    assert len(store.read_components(project, geometry=False)) == 14


def test_reimport_is_idempotent_and_changes_make_history(project, tmp_path):
    csv, mapping = survey_csv(tmp_path, n=50)
    import_components(project, csv, mapping=mapping)
    before = store.read_components(project, geometry=False).set_index("import_key")["obj_id"]
    again = import_components(project, csv, mapping=mapping)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 50)
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    frame.loc[7, "ZT"] = "破损"
    frame.to_csv(csv, index=False)
    third = import_components(project, csv, mapping=mapping, change_date="2025-02-01", reason="复查")
    assert (third.inserted, third.updated, third.unchanged) == (0, 1, 49)
    after = store.read_components(project, geometry=False).set_index("import_key")["obj_id"]
    assert after.sort_index().equals(before.sort_index())  # IDs are stable
    changed = store.read_components(project, geometry=False, where="obj_state = '破损'")
    assert len(changed) == 1 and changed["change_date"].iloc[0] == "2025-02-01"
    hist = table(project, "SELECT obj_id, valid_to, reason FROM component_history")
    assert hist == [(changed["obj_id"].iloc[0], "2025-02-01", "复查")]


def test_valid_ids_are_kept_and_serials_never_reused(project, tmp_path):
    csv, mapping = survey_csv(tmp_path, n=3)
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    frame["LBDM"] = "0101"
    frame.loc[0, "BJBM"] = f"{DISTRICT}0101000041"
    frame.to_csv(csv, index=False)
    import_components(project, csv, mapping=mapping)
    ids = sorted(store.read_components(project, geometry=False)["obj_id"])
    assert ids == [f"{DISTRICT}0101000041", f"{DISTRICT}0101000042", f"{DISTRICT}0101000043"]
    # remove the newest component entirely; its serial must not come back
    with sqlite3.connect(project) as con:
        con.execute("DELETE FROM component_point WHERE obj_id = ?", (f"{DISTRICT}0101000043",))
    csv2, _ = survey_csv(tmp_path, n=1, seed=9, name="second.csv")
    f2 = pd.read_csv(csv2, dtype=str, keep_default_na=False)
    f2["LBDM"] = "0101"
    f2.to_csv(csv2, index=False)
    import_components(project, csv2, mapping=mapping)
    ids = set(store.read_components(project, geometry=False)["obj_id"])
    assert f"{DISTRICT}0101000044" in ids and f"{DISTRICT}0101000043" not in ids
    assert table(project, f"SELECT last_serial FROM component_serial WHERE prefix = '{DISTRICT}0101'") == [(44,)]


def test_geojson_in_wgs84_lines_and_polygons_take_the_majority_cell(project, tmp_path):
    line = shapely.LineString([(X0 + 10, Y0 + 50), (X0 + 180, Y0 + 50)])  # 90 m in cell 0, 80 m in cell 1
    poly = shapely.box(X0 + 160, Y0 + 10, X0 + 290, Y0 + 60)  # 40 m wide in column 2, 90 m in column 3
    frame = gpd.GeoDataFrame({"class_code": ["0211", "0405"], "init_date": ["2024-05-01", "2024-05-01"]},
                             geometry=[line, poly], crs="EPSG:4547").to_crs("EPSG:4326")
    path = tmp_path / "lines.geojson"
    frame.to_file(path, driver="GeoJSON", engine="pyogrio")
    result = import_components(project, str(path))
    assert result.inserted == 2
    comps = store.read_components(project).set_index("class_code")
    assert comps.loc["0211", "layer"] == "line" and comps.loc["0405", "layer"] == "polygon"
    cells = pyogrio.read_dataframe(project, layer="grid_cell").set_index("code")
    assert cells.geometry.loc[comps.loc["0211", "grid_code"]].contains(shapely.Point(X0 + 50, Y0 + 50))
    assert cells.geometry.loc[comps.loc["0405", "grid_code"]].contains(shapely.Point(X0 + 250, Y0 + 50))


def test_geometry_type_must_fit_class(project, tmp_path):
    frame = gpd.GeoDataFrame({"class_code": ["0405"], "init_date": ["2024-05-01"]},
                             geometry=[shapely.Point(X0 + 5, Y0 + 5)], crs="EPSG:4547")
    path = tmp_path / "green.gpkg"
    frame.to_file(path, engine="pyogrio")
    result = import_components(project, str(path))
    assert result.inserted == 0
    assert list(result.quarantined) == ["geometry type does not fit the class (needs polygon)"]


def test_shapefile_with_numeric_class_code_keeps_leading_zero(project, tmp_path):
    frame = gpd.GeoDataFrame({"class_code": [101, 305], "ordate": ["2024-05-01"] * 2},
                             geometry=[shapely.Point(X0 + 5, Y0 + 5), shapely.Point(X0 + 305, Y0 + 5)],
                             crs="EPSG:4547")
    path = tmp_path / "parts.shp"
    frame.to_file(path, engine="pyogrio")
    result = import_components(project, str(path))
    assert result.inserted == 2
    assert sorted(store.read_components(project, geometry=False)["class_code"]) == ["0101", "0305"]


def test_mapping_naming_a_missing_column_is_an_error(project, tmp_path):
    csv, mapping = survey_csv(tmp_path, n=5)
    data = json.loads(open(mapping).read())
    data["columns"]["obj_state"] = "STATE_COL"
    with open(mapping, "w") as fh:
        json.dump(data, fh)
    with pytest.raises(InputError) as info:
        import_components(project, csv, mapping=mapping)
    assert "mapping.json" in str(info.value) and "STATE_COL" in str(info.value)
    assert store.read_components(project) is None


def test_truncated_geopackage_is_an_error_and_keeps_stored_data(project, tmp_path):
    csv, mapping = survey_csv(tmp_path, n=30)
    import_components(project, csv, mapping=mapping)
    good = gpd.GeoDataFrame({"class_code": ["0101"] * 500, "init_date": ["2024-05-01"] * 500},
                            geometry=shapely.points(np.full(500, X0 + 5.0), np.linspace(Y0 + 1, Y0 + 999, 500)),
                            crs="EPSG:4547")
    path = tmp_path / "broken.gpkg"
    good.to_file(path, engine="pyogrio")
    data = open(path, "rb").read()
    with open(path, "wb") as fh:
        fh.write(data[: len(data) // 3])
    with pytest.raises(InputError) as info:
        import_components(project, str(path))
    assert "broken.gpkg" in str(info.value)
    assert len(store.read_components(project, geometry=False)) == 30


def test_broken_geojson_is_an_error(project, tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [{"type": "Feat', encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_components(project, str(path))
    assert "broken.geojson" in str(info.value)


def test_mixed_crs_batch_is_an_error(project, tmp_path):
    pts = gpd.GeoDataFrame({"class_code": ["0101"], "init_date": ["2024-05-01"]},
                           geometry=[shapely.Point(X0 + 5, Y0 + 5)], crs="EPSG:4547")
    a, b = tmp_path / "a.gpkg", tmp_path / "b.gpkg"
    pts.to_file(a, engine="pyogrio")
    pts.to_crs("EPSG:4326").to_file(b, engine="pyogrio")
    with pytest.raises(InputError, match="mixed CRS"):
        import_components(project, [str(a), str(b)])
    assert store.read_components(project) is None


def test_dry_run_writes_nothing(project, tmp_path):
    csv, mapping = survey_csv(tmp_path, n=10)
    result = import_components(project, csv, mapping=mapping, dry_run=True)
    assert result.inserted == 10 and result.dry_run
    assert store.read_components(project) is None
    assert os.path.exists(project)


def test_2026_profile_generates_17_digit_ids(tmp_path):
    path = str(tmp_path / "p2026.gpkg")
    write_grid(path, profile="2026")
    frame = gpd.GeoDataFrame({"class_code": ["01001", "03005"], "init_date": ["2026-08-01"] * 2},
                             geometry=[shapely.Point(X0 + 5, Y0 + 5), shapely.Point(X0 + 505, Y0 + 5)],
                             crs="EPSG:4547")
    src = tmp_path / "parts.gpkg"
    frame.to_file(src, engine="pyogrio")
    import_components(path, str(src))
    ids = sorted(store.read_components(path, geometry=False)["obj_id"])
    assert ids == [f"{DISTRICT}01001000001", f"{DISTRICT}03005000001"]


def test_chunked_import_matches_and_catches_duplicates_across_chunks(project, tmp_path):
    csv, mapping = survey_csv(tmp_path, n=40)
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    frame.loc[35, ["LBDM", "ZBX", "ZBY"]] = frame.loc[2, ["LBDM", "ZBX", "ZBY"]].to_numpy()  # same as row 3
    frame.loc[30, "BJBM"] = f"{DISTRICT}{frame.loc[30, 'LBDM']}000500"
    frame.loc[38, "BJBM"] = frame.loc[30, "BJBM"]  # the same ID twice, in different chunks
    frame.loc[38, "LBDM"] = frame.loc[30, "LBDM"]
    frame.to_csv(csv, index=False)
    result = import_components(project, csv, mapping=mapping, chunk_rows=7)
    assert result.read == 40 and result.inserted == 38
    assert result.quarantined == {"duplicate row in batch (same class at the same place)": 1,
                                  "duplicate ID in batch": 1}
    rows = dict(table(project, "SELECT source_row, reason FROM component_quarantine"))
    assert set(rows) == {36, 39}
    comps = store.read_components(project, geometry=False)
    assert comps["obj_id"].is_unique and sorted(comps["source_row"]) == [r for r in range(1, 41) if r not in (36, 39)]
    again = import_components(project, csv, mapping=mapping, chunk_rows=11)
    assert (again.inserted, again.unchanged, again.quarantine_count) == (0, 38, 2)


def test_failure_in_a_later_chunk_removes_earlier_chunks(project, tmp_path, monkeypatch):
    csv, mapping = survey_csv(tmp_path, n=30)
    import urban_grid_plugin.components.importer as importer

    calls = {"n": 0}
    real = importer._process_chunk

    def failing(frame, ctx):
        calls["n"] += 1
        if calls["n"] == 3:
            raise InputError("simulated failure while reading", source="batch.csv")
        return real(frame, ctx)

    monkeypatch.setattr(importer, "_process_chunk", failing)
    with pytest.raises(InputError, match="simulated"):
        import_components(project, csv, mapping=mapping, chunk_rows=10)
    assert len(store.read_components(project, geometry=False)) == 0
    assert table(project, "SELECT count(*) FROM component_serial") == [(0,)]


def test_bulk_written_layers_are_valid_geopackage_with_spatial_index(project, tmp_path):
    csv, mapping = survey_csv(tmp_path, n=300)
    import_components(project, csv, mapping=mapping, chunk_rows=120)
    from osgeo import gdal, ogr

    ds = gdal.OpenEx(project, gdal.OF_VECTOR)
    layer = ds.GetLayerByName("component_point")
    assert layer.GetFeatureCount() == 300 and layer.GetGeomType() == ogr.wkbPoint
    assert layer.TestCapability(ogr.OLCFastSpatialFilter)
    layer.SetSpatialFilterRect(X0, Y0, X0 + 500, Y0 + 500)
    via_index = {f.GetField("obj_id") for f in layer}
    comps = store.read_components(project)
    inside = comps.cx[X0:X0 + 500, Y0:Y0 + 500]
    assert via_index == set(inside["obj_id"]) and 0 < len(via_index) < 300
    xmin, xmax, ymin, ymax = layer.GetExtent()
    b = comps.total_bounds
    assert (xmin, ymin, xmax, ymax) == pytest.approx(tuple(b))
    ds = None
    with sqlite3.connect(project) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("SELECT count(*) FROM rtree_component_point_geom").fetchone() == (300,)
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
        assert {"rtree_component_point_geom_insert", "trigger_insert_feature_count_component_point"} <= names
    # and GDAL's own GeoPackage validation of the geometry blobs
    assert pyogrio.read_dataframe(project, layer="component_point").geometry.is_valid.all()


def test_lines_and_polygons_are_stored_unchanged_one_per_row(project, tmp_path):
    lines = [shapely.LineString([(X0 + 10 + 100 * i, Y0 + 20), (X0 + 60 + 100 * i, Y0 + 70)]) for i in range(3)]
    polys = [shapely.box(X0 + 5 + 100 * i, Y0 + 305, X0 + 40 + 100 * i, Y0 + 330) for i in range(2)]
    multi = shapely.MultiLineString([[(X0 + 500, Y0 + 500), (X0 + 520, Y0 + 500)],
                                     [(X0 + 530, Y0 + 500), (X0 + 560, Y0 + 500)]])
    frame = gpd.GeoDataFrame({"class_code": ["0211"] * 3 + ["0405"] * 2 + ["0211"],
                              "init_date": ["2024-05-01"] * 6},
                             geometry=lines + polys + [multi], crs="EPSG:4547")
    src = tmp_path / "shapes.gpkg"
    frame.to_file(src, engine="pyogrio")
    import_components(project, str(src))
    comps = store.read_components(project).sort_values("source_row")
    assert list(comps["layer"]) == ["line"] * 3 + ["polygon"] * 2 + ["line"]
    assert list(shapely.get_type_id(comps.geometry.to_numpy())) == [5, 5, 5, 6, 6, 5]
    for got, want in zip(comps.geometry, frame.geometry, strict=True):
        assert got.normalize().equals_exact(shapely.force_2d(want).normalize() if want.geom_type.startswith("Multi")
                                            else type(got)([want]).normalize(), 1e-6)


def test_import_into_a_component_layer_made_by_another_tool(project, tmp_path):
    legacy = gpd.GeoDataFrame({"obj_id": [f"{DISTRICT}0101000007"], "class_code": ["0101"],
                               "obj_state": ["完好"], "init_date": ["2019-01-01"]},
                              geometry=[shapely.Point(X0 + 5, Y0 + 5)], crs="EPSG:4547")
    pyogrio.write_dataframe(legacy, project, layer="component_point", driver="GPKG")
    csv, mapping = survey_csv(tmp_path, n=9)
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    frame["LBDM"] = "0101"
    frame.to_csv(csv, index=False)
    assert import_components(project, csv, mapping=mapping, dry_run=True).inserted == 9
    result = import_components(project, csv, mapping=mapping)
    assert result.inserted == 9
    comps = store.read_components(project, geometry=False)
    assert len(comps) == 10 and comps["obj_id"].is_unique
    # the other tool's ID counts as issued: new serials continue after it
    assert sorted(comps["obj_id"])[-1] == f"{DISTRICT}0101000016"
