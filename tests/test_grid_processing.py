"""Grid Processing algorithms through processing.run, and the styled project in QGIS."""

from __future__ import annotations

import importlib

import pytest
from grid_helpers import small_district

from urban_grid_plugin.grid import store


@pytest.fixture
def provider(qgis_processing, plugin_package):
    from qgis.core import QgsApplication

    module = importlib.import_module(f"{plugin_package.__name__}.processing.provider")
    registry = QgsApplication.processingRegistry()
    existing = registry.providerById("urbangrid")
    if existing is not None:
        registry.removeProvider(existing)
    provider = module.UrbanGridProvider()
    assert registry.addProvider(provider)
    yield provider
    registry.removeProvider(provider)


def test_build_check_retire_through_processing_run(provider, tmp_path):
    from qgis.core import QgsProcessingException, QgsVectorLayer

    import processing

    district = small_district(tmp_path)
    path, layer = district["community"].split("|")
    communities = QgsVectorLayer(f"{path}|layername={layer}", "community", "ogr")
    barriers = QgsVectorLayer(f"{path}|layername=barrier", "barrier", "ogr")
    streets = QgsVectorLayer(f"{path}|layername=street", "street", "ogr")
    assert communities.isValid() and barriers.isValid() and streets.isValid()
    project = str(tmp_path / "project.gpkg")
    out = processing.run("urbangrid:buildgrid", {
        "PROJECT": project, "COMMUNITIES": communities, "STREETS": streets, "MODE": 1, "BARRIERS": [barriers],
        "TARGET_AREA": 10_000, "TOLERANCE": 0.3, "DATE": "2026-01-01", "REASON": "首次划分"})
    cells = store.read_active_cells(project)
    assert out["ACTIVE"] == len(cells) == out["CREATED"] > 30
    assert out["CELLS"].endswith("layername=grid_cell")
    assert set(store.read_table(project, store.STREET)["name"]) == {"金阊街道", "虎丘街道"}

    out = processing.run("urbangrid:checkgrid", {"PROJECT": project})
    assert out["COUNT"] == 0

    victim = cells["code"].iloc[2]
    out = processing.run("urbangrid:retirecells", {"PROJECT": project, "CODES": victim, "REASON": "拆迁"})
    assert out["RETIRED"] == 1
    out = processing.run("urbangrid:checkgrid", {"PROJECT": project})
    assert out["COUNT"] == 1 and "gap" in out["LIST"]
    problems = QgsVectorLayer(out["PROBLEMS"], "grid_check", "ogr")
    assert problems.isValid() and problems.featureCount() == 1
    feature = next(problems.getFeatures())
    assert feature["problem"] == "gap" and feature["label"] == "缝隙"
    removed = cells[cells["code"] == victim].geometry.iloc[0]
    from shapely import wkt

    assert removed.contains(wkt.loads(feature.geometry().asWkt()))
    del problems, feature

    with pytest.raises(QgsProcessingException, match="already retired"):
        processing.run("urbangrid:retirecells", {"PROJECT": project, "CODES": victim, "REASON": "again"})
    del communities, barriers, streets


def test_qgis_opens_the_project_with_the_grid_styles(qgis_app, tmp_path):
    from qgis.core import QgsVectorLayer

    from urban_grid_plugin.grid.build import build_grid
    from urban_grid_plugin.grid.check import check_project
    from urban_grid_plugin.project import create_project

    small_district(tmp_path)
    project = tmp_path / "project.gpkg"
    create_project(project)
    build_grid(project, tmp_path / "district.gpkg", layer="community")
    check_project(project)
    for table in store.STYLED_TABLES:
        layer = QgsVectorLayer(f"{project}|layername={table}", table, "ogr")
        assert layer.isValid(), table
        if table != "grid_check":
            assert layer.featureCount() > 0
        assert layer.labelsEnabled(), f"{table} opened without its default style"
        del layer
    cells = QgsVectorLayer(f"{project}|layername=grid_cell", "grid_cell", "ogr")
    symbol = cells.renderer().symbol()
    assert symbol.symbolLayer(0).strokeColor().name() == "#e600e6"  # 品红色 outlines
    settings = cells.labeling().settings()
    assert settings.fieldName == "code" and settings.scaleVisibility
    del cells


def test_rejected_build_creates_no_project(provider, tmp_path):
    import geopandas as gpd
    from qgis.core import QgsProcessingException, QgsVectorLayer

    import processing

    small_district(tmp_path)
    frame = gpd.read_file(tmp_path / "district.gpkg", layer="community")
    frame.loc[1, "community_code"] = "32050800100"
    frame.to_file(tmp_path / "bad.gpkg")
    layer = QgsVectorLayer(str(tmp_path / "bad.gpkg"), "bad", "ogr")
    project = tmp_path / "new_project.gpkg"
    with pytest.raises(QgsProcessingException, match="row 2.*community_code.*11 digits"):
        processing.run("urbangrid:buildgrid", {"PROJECT": str(project), "COMMUNITIES": layer})
    assert not project.exists()
    del layer


def test_barriers_from_a_memory_layer_give_the_same_grid(provider, tmp_path):
    from qgis.core import QgsFeatureRequest, QgsVectorLayer

    import processing

    district = small_district(tmp_path)
    path, layer = district["community"].split("|")
    communities = QgsVectorLayer(f"{path}|layername={layer}", "community", "ogr")
    on_disk = QgsVectorLayer(f"{path}|layername=barrier", "barrier", "ogr")
    in_memory = on_disk.materialize(QgsFeatureRequest())
    assert in_memory.providerType() == "memory" and in_memory.featureCount() == on_disk.featureCount() > 0
    codes = {}
    for name, barriers in (("disk", on_disk), ("memory", in_memory)):
        project = str(tmp_path / f"{name}.gpkg")
        processing.run("urbangrid:buildgrid", {
            "PROJECT": project, "COMMUNITIES": communities, "MODE": 1, "BARRIERS": [barriers],
            "TARGET_AREA": 10_000, "TOLERANCE": 0.3, "DATE": "2026-01-01"})
        cells = store.read_active_cells(project)
        codes[name] = sorted(zip(cells["code"], cells.geometry.area.round(1), strict=True))
    assert codes["memory"] == codes["disk"]
    del communities, on_disk, in_memory
