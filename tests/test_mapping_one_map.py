"""The one map (一张图): grouped, styled layers from a project GeoPackage, drawn headless."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing

import pytest


@pytest.fixture(scope="module")
def sample(tmp_path_factory, plugin_package):
    from urban_grid.urban_grid_plugin.mapping.sample import build_sample_project

    return build_sample_project(tmp_path_factory.mktemp("onemap") / "city.gpkg")


class Recorder:
    """A Progress that keeps what it was told."""

    def __init__(self):
        from urban_grid.urban_grid_plugin.progress import Progress

        self.lines: list[str] = []
        outer = self

        class _P(Progress):
            def info(self, message):
                outer.lines.append(message)

        self.progress = _P()


def _read(qgz):
    from qgis.core import QgsProject

    project = QgsProject()
    assert project.read(str(qgz)), project.error()
    return project


def test_one_map_groups_styles_and_labels(qgis_app, sample, tmp_path):
    from qgis.core import QgsRuleBasedRenderer
    from urban_grid.urban_grid_plugin.mapping.one_map import build_one_map
    from urban_grid.urban_grid_plugin.mapping.styles import COMPONENT_DETAIL_SCALE, LABEL_SCALE

    out = tmp_path / "map" / "onemap.qgz"
    result = build_one_map(sample, out)
    assert out.is_file()
    project = _read(out)
    root = project.layerTreeRoot()
    assert [g.name() for g in root.children()] == [
        "Cases", "Imagery change (violations)", "Components", "Unit grid"]
    by_name = {layer.name(): layer for layer in project.mapLayers().values()}
    assert all(layer.isValid() for layer in by_name.values())
    assert set(result["layers"]) >= {"grid_cell", "community", "street", "component_point",
                                     "candidate_new", "case_state", "case_overdue"}
    assert project.crs().authid() == "EPSG:4547"

    grid = by_name["Unit grid cells"]
    assert grid.labelsEnabled()
    settings = grid.labeling().settings()
    assert settings.fieldName == "code" and settings.scaleVisibility
    # Codes only at large scales (the grid's own QML or ours decides how large).
    assert 0 < settings.minimumScale <= max(LABEL_SCALE, 10000)

    components = by_name["Point components"]
    renderer = components.renderer()
    assert isinstance(renderer, QgsRuleBasedRenderer)
    rules = renderer.rootRule().children()
    assert len(rules) >= 5 and all(r.filterExpression() for r in rules)
    assert any("major_code" in r.filterExpression() or "class_code" in r.filterExpression()
               for r in rules)
    # Points only at street scales; at city scale the per-cell census stands in.
    assert all(0 < r.minimumScale() <= COMPONENT_DETAIL_SCALE for r in rules)

    new = by_name["New candidates"]
    assert "'new'" in new.subsetString()
    with closing(sqlite3.connect(sample)) as con:
        n_new = con.execute("SELECT count(*) FROM change_candidate WHERE list_status='new'").fetchone()[0]
    assert new.featureCount() == n_new
    overdue = by_name["Overdue cases"]
    assert 0 < overdue.featureCount() < by_name["Cases by state"].featureCount()
    # Paths are relative so the .qgz travels with the GeoPackage.
    assert not project.readBoolEntry("Paths", "/Absolute", True)[0]
    project.clear()


def test_one_map_renders_at_city_and_street_scale(qgis_app, sample, tmp_path):
    from qgis.core import QgsRectangle
    from qgis.PyQt.QtGui import QImage
    from urban_grid.urban_grid_plugin.mapping.one_map import build_one_map
    from urban_grid.urban_grid_plugin.mapping.render import is_blank, render_project

    out = tmp_path / "onemap.qgz"
    build_one_map(sample, out)
    city = render_project(str(out), str(tmp_path / "city.png"))
    street = render_project(str(out), str(tmp_path / "street.png"),
                            extent=QgsRectangle(500000, 3449800, 500200, 3450000))
    for png in (city, street):
        image = QImage(png)
        assert image.width() == 1200 and not is_blank(image)

    # The component layer alone: drawn at street scale, left out at city scale.
    from qgis.core import QgsProject
    from urban_grid.urban_grid_plugin.mapping.render import map_settings, render

    project = QgsProject()
    project.read(str(out))
    points = next(lyr for lyr in project.mapLayers().values() if lyr.name() == "Point components")
    near, _ = render(map_settings([points], QgsRectangle(500000, 3449800, 500200, 3450000),
                                  (600, 600)))
    city = QgsRectangle(points.extent())
    city.scale(20)  # about 1:150,000
    far, _ = render(map_settings([points], city, (600, 600)))
    assert not is_blank(near, min_colours=2)
    assert is_blank(far, min_colours=2)
    project.clear()


def test_missing_layers_are_skipped_and_reported(qgis_app, tmp_path, plugin_package):
    from urban_grid.urban_grid_plugin.mapping.one_map import build_one_map
    from urban_grid.urban_grid_plugin.mapping.sample import build_sample_project

    path = build_sample_project(tmp_path / "grid-only.gpkg", with_rasters=False)
    from osgeo import gdal

    ds = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_UPDATE)
    for name in ("ug_case", "change_candidate", "component_point"):
        for i in range(ds.GetLayerCount()):
            if ds.GetLayerByIndex(i).GetName() == name:
                ds.DeleteLayer(i)
                break
    ds = None
    recorder = Recorder()
    result = build_one_map(path, tmp_path / "grid-only.qgz", progress=recorder.progress)
    assert set(result["layers"]) == {"grid_cell", "community", "street"}
    said = "\n".join(recorder.lines)
    assert "ug_case" in said and "change_candidate" in said and "component_point" in said


def test_one_map_refuses_bad_input(qgis_app, tmp_path, plugin_package):
    from urban_grid.urban_grid_plugin.errors import InputError
    from urban_grid.urban_grid_plugin.mapping.one_map import build_one_map
    from urban_grid.urban_grid_plugin.project import create_project

    with pytest.raises(InputError, match="not found"):
        build_one_map(tmp_path / "nope.gpkg", tmp_path / "x.qgz")
    empty = tmp_path / "empty.gpkg"
    create_project(empty)
    with pytest.raises(InputError, match="no map layers"):
        build_one_map(empty, tmp_path / "x.qgz")
    broken = tmp_path / "broken.gpkg"
    broken.write_bytes(b"this is not a geopackage")
    with pytest.raises(InputError):
        build_one_map(broken, tmp_path / "x.qgz")


def test_one_map_on_the_real_grid_capability(qgis_app, tmp_path, plugin_package):
    """The grid capability's own demo district and grid, drawn by the one map."""
    pytest.importorskip("urban_grid.urban_grid_plugin.demo.district")
    from urban_grid.urban_grid_plugin.demo.district import write_demo_district
    from urban_grid.urban_grid_plugin.mapping.one_map import build_one_map

    src = write_demo_district(tmp_path / "district.gpkg")
    project = tmp_path / "real.gpkg"
    cli = [sys.executable, "-m", "urban_grid_plugin.cli", "-q", "grid"]
    subprocess.run(cli + ["init", str(project)], check=True, capture_output=True)
    subprocess.run(cli + ["build", str(project), "--communities", src["community"]],
                   check=True, capture_output=True)
    result = build_one_map(project, tmp_path / "real.qgz")
    assert {"grid_cell", "community"} <= set(result["layers"])
    qgz = _read(tmp_path / "real.qgz")
    grid = next(lyr for lyr in qgz.mapLayers().values() if lyr.name() == "Unit grid cells")
    assert grid.featureCount() > 50 and grid.labelsEnabled()
    qgz.clear()


def test_user_violation_lists_join_the_one_map(qgis_app, sample, tmp_path):
    import geopandas as gpd
    from shapely.geometry import box
    from urban_grid.urban_grid_plugin.mapping.one_map import build_one_map

    lists = {}
    for key, name in (("permit", "permits"), ("known_violation", "known"),
                      ("demolished", "demolished")):
        path = tmp_path / f"{name}.gpkg"
        gpd.GeoDataFrame({"ref": [name]}, geometry=[box(500100, 3449900, 500130, 3449930)],
                         crs="EPSG:4547").to_file(path, layer=name)
        lists[key] = str(path)
    result = build_one_map(sample, tmp_path / "lists.qgz", lists=lists)
    assert {"permit", "known_violation", "demolished"} <= set(result["layers"])
    project = _read(tmp_path / "lists.qgz")
    names = {lyr.name() for lyr in project.mapLayers().values() if lyr.isValid()}
    assert {"Planning permits", "Known violations", "Demolished violations"} <= names
    project.clear()
