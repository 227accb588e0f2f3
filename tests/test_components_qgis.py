"""Component layers in real QGIS: styles with scale-dependent rules, icons render, Processing algorithms."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely
from test_components_import import X0, Y0, write_grid

from urban_grid_plugin.components.census import census
from urban_grid_plugin.components.importer import import_components

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path):
    path = str(tmp_path / "project.gpkg")
    write_grid(path)
    frame = gpd.GeoDataFrame({
        "class_code": ["0101", "0209", "0305", "0401", "0501", "0113", "0211", "0405"],
        "obj_state": ["完好", "破损", "完好", "完好", "完好", "丢失", "完好", "完好"],
        "init_date": ["2024-01-01"] * 8,
    }, geometry=[shapely.Point(X0 + 20 + 40 * i, Y0 + 50) for i in range(6)]
        + [shapely.LineString([(X0 + 10, Y0 + 80), (X0 + 200, Y0 + 80)]), shapely.box(X0 + 10, Y0 + 10, X0 + 60, Y0 + 30)],
        crs="EPSG:4547")
    src = tmp_path / "survey.gpkg"
    frame.to_file(src, engine="pyogrio")
    import_components(path, str(src))
    census(path)
    return path


def load(project, layer, qml):
    from qgis.core import QgsVectorLayer

    vl = QgsVectorLayer(f"{project}|layername={layer}", layer, "ogr")
    assert vl.isValid(), layer
    message, ok = vl.loadNamedStyle(str(REPO / "layers" / qml))
    assert ok, message
    return vl


def render(layer, extent, size=400):
    """Render one layer to an image with QGIS's map renderer."""
    from qgis.core import QgsMapRendererSequentialJob, QgsMapSettings
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setOutputSize(QSize(size, size))
    settings.setOutputDpi(96)
    settings.setBackgroundColor(QColor(255, 255, 255))
    settings.setExtent(extent)
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    return job.renderedImage(), settings.scale()


def colour_pixels(image, rgb, tol=40) -> int:
    """Pixels close to ``rgb`` (sampled every 2 px)."""
    from qgis.PyQt.QtGui import QColor

    n = 0
    for x in range(0, image.width(), 2):
        for y in range(0, image.height(), 2):
            c = QColor(image.pixel(x, y))
            if abs(c.red() - rgb[0]) < tol and abs(c.green() - rgb[1]) < tol and abs(c.blue() - rgb[2]) < tol:
                n += 1
    return n


def test_point_style_draws_class_icons_only_when_zoomed_in(qgis_app, project):
    from qgis.core import QgsRectangle

    layer = load(project, "component_point", "component_point.qml")
    renderer = layer.renderer()
    assert renderer.type() == "RuleRenderer"
    labels = [r.label() for r in renderer.rootRule().children()]
    assert labels[0].startswith("01") and any("非完好" in label for label in labels)
    assert all(r.minimumScale() == 10000 for r in renderer.rootRule().children())
    assert layer.hasScaleBasedVisibility()
    assert layer.isInScaleRange(2000) and not layer.isInScaleRange(200000)
    image, scale = render(layer, QgsRectangle(X0, Y0, X0 + 260, Y0 + 100))
    image.save(os.environ.get("UG_STYLE_SNAPSHOT", "/dev/null/none.png"))
    assert scale < 10000
    assert colour_pixels(image, (31, 120, 180)) > 8  # 01 公用设施 icon fill, blue
    assert colour_pixels(image, (255, 127, 0)) > 8  # 02 道路交通 icon, orange
    assert colour_pixels(image, (227, 26, 28)) > 5  # red ring on 破损/丢失
    far, scale = render(layer, QgsRectangle(X0 - 20000, Y0 - 20000, X0 + 20000, Y0 + 20000))
    assert scale > 10000
    assert colour_pixels(far, (31, 120, 180)) == 0  # nothing drawn at city scale
    del layer


def test_census_style_is_the_zoomed_out_counterpart(qgis_app, project):
    layer = load(project, "component_census_cell", "component_census.qml")
    assert layer.renderer().type() == "graduatedSymbol"
    assert layer.renderer().classAttribute() == "total"
    assert layer.isInScaleRange(500000) and not layer.isInScaleRange(2000)
    for qml, name in (("component_line.qml", "component_line"), ("component_polygon.qml", "component_polygon")):
        other = load(project, name, qml)
        assert other.renderer().type() == "RuleRenderer"
        assert other.isInScaleRange(5000) and not other.isInScaleRange(1_000_000)
        del other
    del layer


@pytest.fixture
def algorithms(qgis_processing, plugin_package):
    import importlib

    module = importlib.import_module(f"{plugin_package.__name__}.processing.components_algorithms")
    return {alg.name(): alg for alg in module.algorithms()}


def test_processing_import_and_census(qgis_app, algorithms, tmp_path):
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    path = str(tmp_path / "p.gpkg")
    write_grid(path)
    src = tmp_path / "batch.gpkg"
    gpd.GeoDataFrame({"class_code": ["0101", "9999"], "init_date": ["2024-01-01"] * 2},
                     geometry=[shapely.Point(X0 + 5, Y0 + 5), shapely.Point(X0 + 15, Y0 + 5)],
                     crs="EPSG:4547").to_file(src, engine="pyogrio")
    assert {"componentsimport", "componentscensus", "componentsduplicates", "componentsasof"} <= set(algorithms)
    context, feedback = QgsProcessingContext(), QgsProcessingFeedback()
    alg = algorithms["componentsimport"].create()
    out = alg.run({"PROJECT": path, "INPUT": str(src), "MAPPING": None, "EXTENSION": None}, context, feedback)[0]
    assert out["INSERTED"] == 1 and out["QUARANTINED"] == 1
    alg = algorithms["componentscensus"].create()
    out = alg.run({"PROJECT": path}, context, feedback)[0]
    assert out["TOTAL"] == 1
    assert "component_census_cell" in {n for n, _ in pyogrio.list_layers(path)}
    alg = algorithms["componentsreassign"].create()
    out = alg.run({"PROJECT": path, "REASON": "test"}, context, feedback)[0]
    assert (out["CHANGED"], out["OUTSIDE"]) == (0, 0)
    alg = algorithms["componentsasof"].create()
    target = str(tmp_path / "asof.gpkg")
    out = alg.run({"PROJECT": path, "DATE": "2024-06-01", "OUTPUT": target}, context, feedback)[0]
    assert out["COUNT"] == 1 and len(pyogrio.read_dataframe(target, layer="component_point")) == 1
    alg = algorithms["componentsimport"].create()
    bad = {"PROJECT": path, "INPUT": str(tmp_path / "missing.gpkg"), "MAPPING": None, "EXTENSION": None}
    with pytest.raises(Exception, match="missing.gpkg"):
        alg.run(bad, context, feedback, catchExceptions=False)


def test_qgis_process_imports_components(tmp_path):
    """The packaged plugin, run by qgis_process.bin, imports a survey file."""
    import desktop

    package = desktop.build_package(tmp_path / "dist")
    staging = desktop.unzip_plugin(package, tmp_path / "staging")
    profiles = desktop.make_profile(tmp_path / "profiles", plugins={"urban_grid": staging}, link=False)
    path = str(tmp_path / "p.gpkg")
    write_grid(path)
    src = tmp_path / "batch.geojson"
    gpd.GeoDataFrame({"class_code": ["0101", "0118", "0101"], "init_date": ["2024-01-01"] * 3},
                     geometry=[shapely.Point(X0 + 5, Y0 + 5), shapely.Point(X0 + 15, Y0 + 5),
                               shapely.Point(X0 - 500, Y0)],
                     crs="EPSG:4547").to_crs("EPSG:4326").to_file(src, driver="GeoJSON", engine="pyogrio")
    result = desktop.qgis_process(profiles, "run", "urbangrid:componentsimport", "--", f"PROJECT={path}",
                                  f"INPUT={src}", json_output=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    outputs = desktop.process_json(result)["results"]
    assert (outputs["INSERTED"], outputs["QUARANTINED"]) == (2, 1)
    assert len(pyogrio.read_dataframe(path, layer="component_point")) == 2


def test_project_layers_open_with_their_default_styles(qgis_app, project):
    """QGIS applies the styles stored in the project: icons for points, fitted classes for the census."""
    from qgis.core import QgsVectorLayer

    points = QgsVectorLayer(f"{project}|layername=component_point", "component_point", "ogr")
    assert points.renderer().type() == "RuleRenderer" and points.hasScaleBasedVisibility()
    census_layer = QgsVectorLayer(f"{project}|layername=component_census_cell", "census", "ogr")
    renderer = census_layer.renderer()
    assert renderer.type() == "graduatedSymbol"
    ranges = renderer.ranges()
    assert len(ranges) == 7 and ranges[0].label() == "0"
    totals = sorted(f["total"] for f in census_layer.getFeatures())
    assert ranges[-1].upperValue() >= totals[-1]  # the classes fit this project's counts
    assert ranges[-1].label().startswith("> ")
    del points, census_layer
