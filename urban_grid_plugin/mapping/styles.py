"""Styles of the one map (一张图), written once to ``layers/map_*.qml``.

The QML files in ``layers/`` are what QGIS loads; this module is where they come from,
so a style can be reviewed as code and regenerated with :func:`write_qml_files`. Each
builder takes a layer and sets its renderer (and labels); the field names are those of
the shared data contract.
"""

from __future__ import annotations

import os

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsRendererCategory,
    QgsRuleBasedRenderer,
    QgsSingleSymbolRenderer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QColor, QFont

from ..io.styles import LAYERS_DIR
from .i18n import TR_CONTEXT

#: Scale (1:N) below which grid codes and single components are drawn.
LABEL_SCALE = 3500
GRID_OUTLINE_SCALE = 60000
COMPONENT_DETAIL_SCALE = 10000  # same switch as the components' own QML

#: Case state colours: warm while the case waits on someone, green once closed.
STATE_COLOURS = {
    "collecting": "#9e9e9e", "filed": "#1f78b4", "voided": "#bdbdbd", "dispatched": "#6a3d9a",
    "handling": "#ff7f00", "postponed": "#fdbf6f", "returned": "#fb9a99", "suspended": "#8c6d31",
    "feedback": "#a6cee3", "verifying": "#33a02c", "closed": "#1b9e77", "rework": "#e31a1c",
}

#: Component major classes (大类, first two digits of the class code) and colours.
MAJOR_COLOURS = {
    "01": "#1f78b4", "02": "#6a3d9a", "03": "#b15928", "04": "#33a02c", "05": "#e31a1c",
    "06": "#ff7f00",
}


def tr(text: str) -> str:
    """Translate a style label (legend entry) in the map's context."""
    return QCoreApplication.translate(TR_CONTEXT, text)


def state_titles() -> dict[str, str]:
    """Legend titles of case states in the user's language."""
    return {
        "collecting": tr("Collecting"), "filed": tr("Filed"), "voided": tr("Voided"),
        "dispatched": tr("Dispatched"), "handling": tr("Handling"), "postponed": tr("Postponed"),
        "returned": tr("Returned"), "suspended": tr("Suspended"), "feedback": tr("Feedback"),
        "verifying": tr("Verifying"), "closed": tr("Closed"), "rework": tr("Rework"),
    }


def major_titles() -> dict[str, str]:
    """Legend titles of component major classes (GB/T 30428.2 大类)."""
    return {
        "01": tr("Public utilities"), "02": tr("Roads and traffic"),
        "03": tr("City appearance and sanitation"), "04": tr("Parks and greenery"),
        "05": tr("Buildings and land"), "06": tr("Other facilities"),
    }


def _fill(fill: str, outline: str, width: float = 0.26, style: str = "solid") -> QgsFillSymbol:
    return QgsFillSymbol.createSimple({
        "color": fill, "outline_color": outline, "outline_width": str(width), "style": style,
        "outline_width_unit": "MM",
    })


def _text_format(size: float, colour: str = "#202020", bold: bool = False) -> QgsTextFormat:
    fmt = QgsTextFormat()
    font = QFont("Noto Sans CJK SC")
    font.setBold(bold)
    fmt.setFont(font)
    fmt.setSize(size)
    fmt.setColor(QColor(colour))
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.8)
    buffer.setColor(QColor("white"))
    fmt.setBuffer(buffer)
    return fmt


def _labels(layer: QgsVectorLayer, field: str, size: float, max_scale_denominator: float | None,
            colour: str = "#202020", bold: bool = False) -> None:
    """Label ``layer`` with ``field``; only at scales larger than 1:max_scale_denominator."""
    settings = QgsPalLayerSettings()
    settings.fieldName = field
    settings.setFormat(_text_format(size, colour, bold))
    settings.placement = QgsPalLayerSettings.OverPoint
    if max_scale_denominator:
        settings.scaleVisibility = True
        settings.minimumScale = max_scale_denominator  # 'minimum' = most zoomed out
        settings.maximumScale = 0
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)


def style_street(layer: QgsVectorLayer) -> None:
    """Streets (街道): a bold outline and the street name."""
    layer.setRenderer(QgsSingleSymbolRenderer(_fill("#00000000", "#3b3b3b", 0.9, "no")))
    _labels(layer, "name", 11, None, "#3b3b3b", bold=True)


def style_community(layer: QgsVectorLayer) -> None:
    """Communities (社区): a pale fill and a dashed outline."""
    symbol = _fill("#f4f1e8", "#8c7b5a", 0.4)
    symbol.symbolLayer(0).setStrokeStyle(2)  # Qt.DashLine
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    _labels(layer, "name", 8.5, 20000, "#6b5b3a")


def style_grid_cell(layer: QgsVectorLayer) -> None:
    """Unit grid cells (单元网格): thin outlines, codes labelled at large scales."""
    layer.setRenderer(QgsSingleSymbolRenderer(_fill("#00000000", "#5b8db8", 0.2, "no")))
    label_grid_codes(layer)


def label_grid_codes(layer: QgsVectorLayer) -> None:
    """Label grid cells with their 15-digit code, only when zoomed in past 1:3500."""
    _labels(layer, "code", 6.5, LABEL_SCALE, "#24527a")


def style_candidate_new(layer: QgsVectorLayer) -> None:
    """New change candidates (新增图斑): the ones auditors must look at, in strong red."""
    layer.setRenderer(QgsSingleSymbolRenderer(_fill("#66e31a1c", "#e31a1c", 0.7)))


def style_candidate_listed(layer: QgsVectorLayer) -> None:
    """Candidates already on a list (permitted / known / rebuilt), by list status."""
    cats = []
    for value, colour, title in (("permitted", "#33a02c", tr("Permitted")),
                                 ("known", "#ff7f00", tr("Known violation")),
                                 ("rebuilt", "#6a3d9a", tr("Rebuilt after demolition"))):
        cats.append(QgsRendererCategory(value, _fill(colour + "00", colour, 0.6), title))
    layer.setRenderer(QgsCategorizedSymbolRenderer("list_status", cats))


def style_violation_list(colour: str):
    """A builder for one of the three user lists (permits, known, demolished)."""
    def build(layer: QgsVectorLayer) -> None:
        symbol = _fill(colour, colour, 0.5, "b_diagonal")
        layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    return build


def style_case_state(layer: QgsVectorLayer) -> None:
    """Cases (案件) coloured by workflow state."""
    titles = state_titles()
    cats = []
    for state, colour in STATE_COLOURS.items():
        symbol = QgsMarkerSymbol.createSimple({
            "name": "circle", "color": colour, "outline_color": "white", "size": "2.6",
            "outline_width": "0.3"})
        cats.append(QgsRendererCategory(state, symbol, titles[state]))
    layer.setRenderer(QgsCategorizedSymbolRenderer("state", cats))


def style_case_overdue(layer: QgsVectorLayer) -> None:
    """Overdue cases (超期案件): a red ring that stands out over the state colours."""
    symbol = QgsMarkerSymbol.createSimple({
        "name": "circle", "color": "#00000000", "outline_color": "#d7191c", "size": "4.6",
        "outline_width": "0.7"})
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))


def _component_symbol(geometry: str, colour: str):
    if geometry == "line":
        return QgsLineSymbol.createSimple({"color": colour, "width": "0.5"})
    if geometry == "polygon":
        return _fill(colour + "55", colour, 0.3)
    return QgsMarkerSymbol.createSimple({
        "name": "circle", "color": colour, "outline_color": "white", "size": "1.8",
        "outline_width": "0.2"})


def style_component(geometry: str = "point"):
    """Components (部件): rule-based by major class, drawn only at street scales."""
    def build(layer: QgsVectorLayer) -> None:
        root = QgsRuleBasedRenderer.Rule(None)
        titles = major_titles()
        for major, colour in MAJOR_COLOURS.items():
            rule = QgsRuleBasedRenderer.Rule(
                _component_symbol(geometry, colour), 0, COMPONENT_DETAIL_SCALE,
                f"left(\"class_code\", 2) = '{major}'", titles[major])
            root.appendChild(rule)
        other = QgsRuleBasedRenderer.Rule(
            _component_symbol(geometry, "#7f7f7f"), 0, COMPONENT_DETAIL_SCALE, "ELSE",
            tr("Extension classes"))
        root.appendChild(other)
        layer.setRenderer(QgsRuleBasedRenderer(root))
    return build


def style_census(layer: QgsVectorLayer) -> None:
    """Components per cell (部件普查) as a choropleth, drawn only at city scales.

    At small scales this layer stands in for the millions of component points, whose
    own rules start at 1:COMPONENT_DETAIL_SCALE, so the two never draw together.
    """
    from qgis.core import QgsGraduatedSymbolRenderer, QgsRendererRange

    ramp = ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
    bounds = (0, 10, 30, 60, 120, 10**9)
    ranges = []
    for i, colour in enumerate(ramp):
        low, high = bounds[i], bounds[i + 1]
        label = f"{low}–{high}" if i < len(ramp) - 1 else f"> {low}"
        ranges.append(QgsRendererRange(low, high, _fill(colour, "#00000000", 0, "solid"), label))
    renderer = QgsGraduatedSymbolRenderer("total", ranges)
    layer.setRenderer(renderer)
    layer.setOpacity(0.75)
    layer.setScaleBasedVisibility(True)
    layer.setMaximumScale(COMPONENT_DETAIL_SCALE)  # hidden when zoomed in past this
    layer.setMinimumScale(0)


def classify_census(layer: QgsVectorLayer, classes: int = 5) -> None:
    """Re-class the census choropleth on the layer's own counts (quantiles).

    Fixed breaks suit one city and not the next: a dense centre puts every cell in
    the top class. Quantiles of ``total`` always spread the cells over the ramp.
    """
    from qgis.core import (
        QgsClassificationQuantile,
        QgsGradientColorRamp,
        QgsGraduatedSymbolRenderer,
    )

    if layer.fields().indexOf("total") < 0 or layer.featureCount() <= 0:
        return
    renderer = QgsGraduatedSymbolRenderer("total")
    renderer.setSourceSymbol(_fill("#6baed6", "#00000000", 0, "solid"))
    renderer.setSourceColorRamp(QgsGradientColorRamp(QColor("#f7fbff"), QColor("#08306b")))
    renderer.setClassificationMethod(QgsClassificationQuantile())
    renderer.updateClasses(layer, classes)
    layer.setRenderer(renderer)
    layer.setOpacity(1.0)  # a translucent layer is composited separately: 10 % slower


def style_plain(layer: QgsVectorLayer) -> None:
    """The comparison style of the render bench: one symbol, no rules, no scale limits."""
    geom = layer.geometryType()
    colour = "#1f78b4"
    if geom == 0:
        symbol = QgsMarkerSymbol.createSimple({"name": "circle", "color": colour, "size": "1.8"})
    elif geom == 1:
        symbol = QgsLineSymbol.createSimple({"color": colour})
    else:
        symbol = _fill(colour, "#000000")
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    layer.setLabelsEnabled(False)


#: QML file -> (builder, geometry of the template layer). Generated by write_qml_files().
QML_BUILDERS = {
    "map_street.qml": (style_street, "MultiPolygon"),
    "map_community.qml": (style_community, "Polygon"),
    "map_grid_cell.qml": (style_grid_cell, "Polygon"),
    "map_candidate_new.qml": (style_candidate_new, "Polygon"),
    "map_candidate_listed.qml": (style_candidate_listed, "Polygon"),
    "map_permit.qml": (style_violation_list("#33a02c"), "Polygon"),
    "map_known_violation.qml": (style_violation_list("#ff7f00"), "Polygon"),
    "map_demolished.qml": (style_violation_list("#6a3d9a"), "Polygon"),
    "map_case_state.qml": (style_case_state, "Point"),
    "map_case_overdue.qml": (style_case_overdue, "Point"),
    "map_component_point.qml": (style_component("point"), "Point"),
    "map_component_line.qml": (style_component("line"), "LineString"),
    "map_component_polygon.qml": (style_component("polygon"), "Polygon"),
    "map_component_census.qml": (style_census, "Polygon"),
}


def write_qml_files(folder: str = LAYERS_DIR) -> list[str]:
    """(Re)write every ``map_*.qml`` from its builder; return the paths written."""
    written = []
    for name, (builder, geometry) in QML_BUILDERS.items():
        layer = QgsVectorLayer(
            f"{geometry}?crs=EPSG:4547&field=name:string&field=code:string&field=state:string"
            "&field=class_code:string&field=list_status:string&field=total:integer", "template", "memory")
        builder(layer)
        path = os.path.join(folder, name)
        _msg, ok = layer.saveNamedStyle(path)
        if not ok:
            raise RuntimeError(f"could not write {path}")
        written.append(path)
    return written
