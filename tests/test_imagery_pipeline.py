"""The whole imagery run into a real project GeoPackage: epochs, candidates, lists, chips, CLI, QGIS."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely
from shapely.geometry import box

from urban_grid_plugin.cli import main as cli
from urban_grid_plugin.errors import InputError
from urban_grid_plugin.imagery.epochs import list_epochs, register_epoch
from urban_grid_plugin.imagery.pipeline import run_pipeline
from urban_grid_plugin.imagery.store import CANDIDATE_COLUMNS
from urban_grid_plugin.imagery.synthetic import make_pair
from urban_grid_plugin.project import create_project

REPO = Path(__file__).resolve().parents[1]
BOUNDS = (500000, 3400000, 500300, 3400200)


def write_grid(project: Path) -> None:
    """A 2 × 2 unit grid (单元网格) over the scene, in the contract shape."""
    cells, codes = [], []
    for i, (x, y) in enumerate([(0, 0), (150, 0), (0, 100), (150, 100)]):
        cells.append(box(BOUNDS[0] + x, BOUNDS[1] + y, BOUNDS[0] + x + 150, BOUNDS[1] + y + 100))
        codes.append(f"110101001001{i + 1:03d}")
    frame = gpd.GeoDataFrame({
        "code": codes, "community_code": ["110101001001"] * 4, "street_code": ["110101001"] * 4,
        "district_code": ["110101"] * 4, "area_m2": [15000.0] * 4, "init_date": ["2025-01-01"] * 4,
        "term_date": [None] * 4, "note": [""] * 4,
    }, geometry=cells, crs="EPSG:4547")
    frame["term_date"] = frame["term_date"].astype(object)
    pyogrio.write_dataframe(frame, project, layer="grid_cell", driver="GPKG", geometry_type="Polygon")


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scene")
    pair = make_pair(folder / "raw", bounds=BOUNDS, resolution=0.5, buildings=10, seed=42)
    project = folder / "project.gpkg"
    create_project(project)
    write_grid(project)
    register_epoch(project, pair["before"], sensor="satellite", date="2025-03-01", name="sat2025")
    register_epoch(project, pair["after"], sensor="drone", date="2026-03-01", name="uav2026")
    lists = {}
    for i, name in enumerate(("permits", "known", "demolished")):
        path = folder / f"{name}.gpkg"
        gpd.GeoDataFrame({"id": [f"{name}-1"]}, geometry=[pair["buildings"][i + 1].buffer(2)],
                         crs="EPSG:4547").to_crs("EPSG:4490" if name == "known" else "EPSG:4547").to_file(path)
        lists[name] = str(path)
    return {"folder": folder, "project": project, "pair": pair, "lists": lists}


status_list = {"permitted": "permits", "known": "known", "rebuilt": "demolished"}


def candidates(project) -> gpd.GeoDataFrame:
    return pyogrio.read_dataframe(project, layer="change_candidate")


def test_epochs_are_registered_with_footprints(scene):
    epochs = list_epochs(scene["project"])
    assert list(epochs["name"]) == ["sat2025", "uav2026"]
    assert set(epochs["sensor"]) == {"satellite", "drone"}
    assert (epochs["resolution_m"] == 0.5).all() and (epochs["crs"] == "EPSG:4547").all()
    assert epochs.geometry.area.round().tolist() == [60000.0, 60000.0]
    with pytest.raises(InputError, match="already registered"):
        register_epoch(scene["project"], scene["pair"]["before"], sensor="satellite", date="2025-03-01",
                       name="sat2025")
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        register_epoch(scene["project"], scene["pair"]["before"], sensor="satellite", date="March")


def test_run_writes_candidates_lists_grid_and_chips(scene):
    summary = run_pipeline(scene["project"], "sat2025", "uav2026", scene["folder"] / "work",
                           permits=scene["lists"]["permits"], known=scene["lists"]["known"],
                           demolished=scene["lists"]["demolished"])
    frame = candidates(scene["project"])
    assert summary["candidates"] == len(frame) >= 7
    assert set(CANDIDATE_COLUMNS) <= set(frame.columns)
    assert (frame.geometry.geom_type == "Polygon").all()
    assert (frame["area_m2"] >= 20).all()
    assert frame["confidence"].between(0, 1).all()
    assert frame["case_id"].isna().all() and (frame["review_status"] == "pending").all()
    assert frame["grid_code"].str.fullmatch(r"110101001001\d{3}").all()
    assert (frame["street_code"] == "110101001").all()
    counts = summary["lists"]
    assert counts["permitted"] >= 1 and counts["known"] >= 1 and counts["rebuilt"] >= 1, counts
    assert counts["new"] == len(frame) - counts["permitted"] - counts["known"] - counts["rebuilt"] >= 4
    for status, building in zip(("permitted", "known", "rebuilt"), scene["pair"]["buildings"][1:4], strict=True):
        hit = frame[frame.intersects(building)]
        assert len(hit) >= 1 and (hit["list_status"] == status).all(), (status, hit["list_status"].tolist())
        assert hit["list_ref"].str.contains(f"{status_list[status]}-1").all()
    for column in ("chip_before", "chip_after"):
        for path in frame[column]:
            assert Path(path).is_file() and Path(path).read_bytes()[:4] == b"\x89PNG"
    epochs = list_epochs(scene["project"])
    assert set(frame["epoch_before"]) == {epochs.loc[0, "epoch_id"]}


def test_rerun_keeps_reviewed_candidates(scene):
    project = scene["project"]
    before = candidates(project)
    reviewed = before["candidate_id"].iloc[0]
    from osgeo import gdal

    ds = gdal.OpenEx(str(project), gdal.OF_VECTOR | gdal.OF_UPDATE)
    ds.ExecuteSQL("UPDATE change_candidate SET review_status='confirmed', reviewed_by='auditor' "
                  f"WHERE candidate_id='{reviewed}'")
    ds = None
    run_pipeline(project, "sat2025", "uav2026", scene["folder"] / "work", chips=False)
    after = candidates(project)
    assert reviewed in set(after["candidate_id"])
    assert (after["review_status"] == "pending").sum() == len(before)  # replaced, not doubled
    assert len(after) == len(before) + 1  # the confirmed one stays next to its re-detection


def test_cli_register_run_and_errors(scene, tmp_path, capsys):
    project = tmp_path / "cli.gpkg"
    create_project(project)
    pair = scene["pair"]
    assert cli(["-q", "imagery", "register", str(project), pair["before"], "--sensor", "satellite",
                "--date", "2025-03-01", "--name", "a"]) == 0
    assert cli(["-q", "imagery", "register", str(project), pair["after"], "--sensor", "satellite",
                "--date", "2026-03-01", "--name", "b"]) == 0
    assert cli(["-q", "imagery", "run", str(project), "--before", "a", "--after", "b",
                "--work", str(tmp_path / "w"), "--min-area", "50"]) == 0
    out = capsys.readouterr().out
    assert "change candidates" in out and "新增" in out
    assert (candidates(project)["area_m2"] >= 50).all()
    assert cli(["-q", "imagery", "run", str(project), "--before", "a", "--after", "nope",
                "--work", str(tmp_path / "w")]) == 1
    assert "no imagery epoch 'nope'" in capsys.readouterr().err
    assert cli(["-q", "imagery", "detect", pair["before"], str(tmp_path / "missing.tif"),
                "--out", str(tmp_path / "c.tif")]) == 1
    assert not (tmp_path / "c.tif").exists()


def test_candidate_layer_opens_in_qgis_with_style(qgis_app, scene):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(f"{scene['project']}|layername=change_candidate", "candidates", "ogr")
    assert layer.isValid() and layer.featureCount() > 0
    assert layer.crs().authid() == "EPSG:4547"
    message, ok = layer.loadNamedStyle(str(REPO / "layers" / "change_candidate.qml"))
    assert ok, message
    assert layer.renderer().classAttribute() == "list_status"
    epochs = QgsVectorLayer(f"{scene['project']}|layername=imagery_epoch", "epochs", "ogr")
    assert epochs.isValid() and epochs.featureCount() == 2
    del layer, epochs


def test_processing_algorithm_runs(qgis_processing, plugin_package, scene, tmp_path):
    import importlib

    from qgis.core import QgsApplication

    import processing

    module = importlib.import_module(f"{plugin_package.__name__}.processing.provider")
    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("urbangrid")
    added = provider is None
    if added:
        provider = module.UrbanGridProvider()
        registry.addProvider(provider)
    from qgis.core import QgsFeatureRequest, QgsVectorLayer

    # The permit list as a memory layer, as a planner might pass a selection from the session.
    on_disk = QgsVectorLayer(str(scene["lists"]["permits"]), "permits", "ogr")
    permits = on_disk.materialize(QgsFeatureRequest())
    assert permits.providerType() == "memory" and permits.featureCount() == on_disk.featureCount() > 0
    try:
        result = processing.run("urbangrid:imagery_detect", {
            "PROJECT": str(scene["project"]), "BEFORE": "sat2025", "AFTER": "uav2026",
            "WORK": str(tmp_path / "work"), "MIN_AREA": 20.0, "CHIPS": False, "PERMITS": permits,
        })
        assert result["CANDIDATES"] >= 7
        frame = candidates(scene["project"])
        assert shapely.area(frame.geometry.values).min() >= 20
        assert (frame["list_status"] == "permitted").sum() >= 1
    finally:
        del on_disk, permits
        if added:
            registry.removeProvider(provider)


def test_qgis_process_runs_the_detection(scene, tmp_path):
    """The same algorithm from the standalone ``qgis_process.bin`` (no QGIS GUI)."""
    import json
    import shutil

    import desktop

    project = tmp_path / "qp.gpkg"
    shutil.copy(scene["project"], project)
    profiles = desktop.make_profile(tmp_path / "profiles")
    result = desktop.qgis_process(profiles, "run", "urbangrid:imagery_detect", "--",
                                  f"PROJECT={project}", "BEFORE=sat2025", "AFTER=uav2026",
                                  f"WORK={tmp_path / 'work'}", "MIN_AREA=30", "CHIPS=false",
                                  f"PERMITS={scene['lists']['permits']}", json_output=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    outputs = json.loads(result.stdout[result.stdout.find("{"):])["results"]
    frame = candidates(project)
    pending = frame[frame["review_status"] == "pending"]
    assert outputs["CANDIDATES"] == len(pending) >= 7
    assert (pending["area_m2"] >= 30).all()
    assert (pending["list_status"] == "permitted").sum() >= 1

    bad = desktop.qgis_process(profiles, "run", "urbangrid:imagery_detect", "--", f"PROJECT={project}",
                               "BEFORE=sat2025", "AFTER=missing", f"WORK={tmp_path / 'w2'}")
    assert bad.returncode != 0
    assert "no imagery epoch 'missing'" in bad.stdout + bad.stderr


def test_lists_read_named_layers_and_reject_points(tmp_path):
    from shapely.geometry import Point

    from urban_grid_plugin.imagery.lists import compare_lists

    cands = gpd.GeoDataFrame({"candidate_id": ["a", "b", "c"]},
                             geometry=[box(0, 0, 10, 10), box(20, 0, 30, 10), box(40, 0, 50, 10)],
                             crs="EPSG:4547")
    lists = tmp_path / "lists.gpkg"
    gpd.GeoDataFrame({"permit_no": ["规许-7"]}, geometry=[box(-1, -1, 11, 11)], crs="EPSG:4547").to_file(
        lists, layer="permits")
    gpd.GeoDataFrame({"id": ["D1"]}, geometry=[box(20, 0, 22, 10)], crs="EPSG:4547").to_file(
        lists, layer="demolished")
    out = compare_lists(cands, permits=f"{lists}|layername=permits", demolished=f"{lists}|demolished")
    assert out["list_status"].tolist() == ["permitted", "new", "new"]  # 20 % overlap < 30 %
    assert out.loc[0, "list_ref"] == "permits: 规许-7"
    out = compare_lists(cands, demolished=f"{lists}|demolished", min_overlap=0.1)
    assert out["list_status"].tolist() == ["new", "rebuilt", "new"]
    points = tmp_path / "points.gpkg"
    gpd.GeoDataFrame({"id": [1]}, geometry=[Point(5, 5)], crs="EPSG:4547").to_file(points)
    with pytest.raises(InputError, match="Polygon") as err:
        compare_lists(cands, known=str(points))
    assert "points.gpkg" in str(err.value) and "row 1" in str(err.value)
