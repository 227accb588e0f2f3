"""Generate the component QML styles in ``layers/`` with PyQGIS (run with /usr/bin/python3 or the venv).

Writes ``component_point.qml``, ``component_line.qml``, ``component_polygon.qml`` and
``component_census.qml``. Rendering must stay usable at 4 million components, so:

- component layers draw only when zoomed in (layer scale visibility plus the same
  limit on every rule): points below 1:10,000, lines below 1:25,000, polygons below
  1:50,000. QGIS then never fetches millions of features for a city overview;
- ``component_census_cell`` (counts per grid cell) draws only when zoomed out past
  1:10,000, as a graduated choropleth of ``total``, so the overview shows where
  components are without drawing them.

Point rules are per major class (大类) with the SVG icons from ``icons/components``,
embedded as ``base64:`` so the styles work wherever the plugin is installed; a red
ring marks components that are not intact (破损/丢失/占用/废弃).

Usage: ``QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/styles/components.py``
"""

from __future__ import annotations

import base64
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ICONS = os.path.join(REPO, "icons", "components")
LAYERS = os.path.join(REPO, "layers")

POINT_MAX_SCALE = 10_000  # scale denominators: show points when zoomed in beyond 1:10,000
LINE_MAX_SCALE = 25_000
POLYGON_MAX_SCALE = 50_000

#: (major code, label, icon file, colour) — 2013 names; 2026 majors 01–05 have the same meaning.
MAJORS = [
    ("01", "01 公用设施 / 市政公用设施", "01-public-utilities.svg", "#1f78b4"),
    ("02", "02 道路交通 / 交通设施", "02-roads-traffic.svg", "#ff7f00"),
    ("03", "03 市容环境 / 市容环卫设施", "03-city-appearance.svg", "#33a02c"),
    ("04", "04 园林绿化 / 园林绿化设施", "04-landscaping.svg", "#1b7837"),
    ("05", "05 房屋土地 / 其他管理部件", "05-buildings-land.svg", "#8c510a"),
    ("06", "06 其他设施", "06-other-facilities.svg", "#6a3d9a"),
]
LOCAL = ("扩展部件 (local classes)", "local-extension.svg", "#e7298a")
CENSUS_BREAKS = [(0, 0, "0"), (1, 5, "1–5"), (6, 10, "6–10"), (11, 20, "11–20"), (21, 50, "21–50"),
                 (51, 100, "51–100"), (101, 1_000_000, "> 100")]
CENSUS_COLOURS = ["#f7f7f7", "#fee5d9", "#fcbba1", "#fc9272", "#fb6a4a", "#de2d26", "#a50f15"]


def svg_data(name: str) -> str:
    """An SVG icon as a ``base64:`` path QGIS reads without a file."""
    with open(os.path.join(ICONS, name), "rb") as fh:
        return "base64:" + base64.b64encode(fh.read()).decode("ascii")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import (
        QgsApplication,
        QgsFillSymbol,
        QgsGraduatedSymbolRenderer,
        QgsLineSymbol,
        QgsMapLayer,
        QgsMarkerSymbol,
        QgsRendererRange,
        QgsRuleBasedRenderer,
        QgsSimpleMarkerSymbolLayer,
        QgsSvgMarkerSymbolLayer,
        QgsVectorLayer,
    )
    from qgis.PyQt.QtGui import QColor

    app = QgsApplication([], False)
    app.initQgis()
    fields = "field=major_code:string&field=class_code:string&field=obj_state:string"
    categories = QgsMapLayer.Symbology | QgsMapLayer.Rendering

    def rule_renderer(make_symbol, max_scale):
        root = QgsRuleBasedRenderer.Rule(None)
        for major, label, icon, colour in MAJORS:
            rule = QgsRuleBasedRenderer.Rule(make_symbol(icon, colour), 0, max_scale,
                                             f"\"major_code\" = '{major}'", label)
            root.appendChild(rule)
        root.appendChild(QgsRuleBasedRenderer.Rule(make_symbol(LOCAL[1], LOCAL[2]), 0, max_scale,
                                                   "ELSE", LOCAL[0], "", True))
        return root

    # points: class icons + a red ring on components that are not intact
    def marker(icon, colour):
        layer = QgsSvgMarkerSymbolLayer(svg_data(icon), 5.0)
        layer.setFillColor(QColor(colour))
        layer.setStrokeColor(QColor("#ffffff"))
        layer.setStrokeWidth(0.3)
        symbol = QgsMarkerSymbol()
        symbol.changeSymbolLayer(0, layer)  # transfers ownership to the symbol
        return symbol

    root = rule_renderer(marker, POINT_MAX_SCALE)
    ring = QgsSimpleMarkerSymbolLayer()
    ring.setSize(6.5)
    ring.setColor(QColor(0, 0, 0, 0))
    ring.setStrokeColor(QColor("#e31a1c"))
    ring.setStrokeWidth(0.6)
    ring_symbol = QgsMarkerSymbol()
    ring_symbol.changeSymbolLayer(0, ring)
    root.appendChild(QgsRuleBasedRenderer.Rule(ring_symbol, 0, POINT_MAX_SCALE,
                                               "\"obj_state\" <> '完好'", "非完好 (破损/丢失/占用/废弃)"))
    _save(QgsVectorLayer(f"Point?crs=EPSG:4547&{fields}", "component_point", "memory"),
          QgsRuleBasedRenderer(root), POINT_MAX_SCALE, 0, "component_point.qml", categories)

    def line_symbol(icon, colour):
        symbol = QgsLineSymbol.createSimple({"line_color": colour, "line_width": "0.8"})
        return symbol

    _save(QgsVectorLayer(f"MultiLineString?crs=EPSG:4547&{fields}", "component_line", "memory"),
          QgsRuleBasedRenderer(rule_renderer(line_symbol, LINE_MAX_SCALE)), LINE_MAX_SCALE, 0,
          "component_line.qml", categories)

    def fill_symbol(icon, colour):
        c = QColor(colour)
        return QgsFillSymbol.createSimple({"color": f"{c.red()},{c.green()},{c.blue()},90",
                                           "outline_color": colour, "outline_width": "0.4"})

    _save(QgsVectorLayer(f"MultiPolygon?crs=EPSG:4547&{fields}", "component_polygon", "memory"),
          QgsRuleBasedRenderer(rule_renderer(fill_symbol, POLYGON_MAX_SCALE)), POLYGON_MAX_SCALE, 0,
          "component_polygon.qml", categories)

    # census choropleth, drawn when zoomed out
    ranges = []
    for (low, high, label), colour in zip(CENSUS_BREAKS, CENSUS_COLOURS, strict=True):
        symbol = QgsFillSymbol.createSimple({"color": colour, "outline_color": "#bdbdbd", "outline_width": "0.05"})
        ranges.append(QgsRendererRange(low - 0.5 if low else -0.5, high + 0.5, symbol, label))
    census = QgsGraduatedSymbolRenderer("total", ranges)
    census_layer = QgsVectorLayer("Polygon?crs=EPSG:4547&field=total:integer", "component_census_cell", "memory")
    _save(census_layer, census, 0, POINT_MAX_SCALE, "component_census.qml", categories)
    app.exitQgis()
    return 0


def _save(layer, renderer, min_scale, max_scale, name, categories) -> None:
    """Apply renderer and scale range (QGIS: minimum = zoomed-out limit), write the QML."""
    layer.setRenderer(renderer)
    layer.setScaleBasedVisibility(True)
    layer.setMinimumScale(min_scale)
    layer.setMaximumScale(max_scale)
    path = os.path.join(LAYERS, name)
    message, ok = layer.saveNamedStyle(path, categories)
    if not ok:
        raise SystemExit(f"cannot write {path}: {message}")
    print(f"wrote {path}")


if __name__ == "__main__":
    sys.exit(main())
