"""The district report (报告): a PDF made with QGIS print layouts.

Two summary pages (district map with the counts table; case charts and indicators),
then one atlas page per street (街道) with the map of its violations and its own
counts. The same function serves the plugin and the headless ``urbangrid report``.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile

from qgis.core import (
    QgsFeature,
    QgsField,
    QgsLayout,
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutItemShape,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLegendStyle,
    QgsPrintLayout,
    QgsProject,
    QgsRectangle,
    QgsScaleBarSettings,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication, QMarginsF, QSizeF, QVariant
from qgis.PyQt.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

from ..errors import InputError
from ..progress import Progress, ensure_progress
from .i18n import TR_CONTEXT
from .one_map import _project_crs, load_project_layers
from .stats import ProjectStats, project_stats

FONT = "Noto Sans CJK SC"
PAGE_W, PAGE_H = 297.0, 210.0  # A4 landscape, mm
SUMMARY_PAGES = 2
STREET_FIELDS = ("cells", "components", "cand_new", "cand_permitted", "cand_known",
                 "cand_rebuilt", "cases", "open", "closed", "overdue")


def tr(text: str) -> str:
    """Translate in the report's context."""
    return QCoreApplication.translate(TR_CONTEXT, text)


def column_titles() -> dict[str, str]:
    """Table column titles in the user's language."""
    return {
        "name": tr("Street"), "cells": tr("Grid cells"), "components": tr("Components"),
        "cand_new": tr("New candidates"), "cand_permitted": tr("Permitted"),
        "cand_known": tr("Known"), "cand_rebuilt": tr("Rebuilt"), "cases": tr("Cases"),
        "open": tr("Open"), "closed": tr("Closed"), "overdue": tr("Overdue"),
        "closure_rate": tr("Closure rate"), "overdue_rate": tr("Overdue rate"),
    }


def build_report(
    project_path: str | os.PathLike,
    output: str | os.PathLike,
    *,
    title: str | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> dict[str, object]:
    """Write the PDF report for ``project_path`` to ``output``.

    Returns ``{"output", "pages", "streets", "summary_pages"}``. Raises
    :class:`InputError` when the project has no street or community layer (the
    atlas needs one page per street).
    """
    from .qgis_env import ensure_qgis_app

    ensure_qgis_app()
    progress = ensure_progress(progress)
    output = os.path.abspath(os.fspath(output))
    stats = project_stats(project_path, now)
    if stats.streets.empty:
        raise InputError("the project has no streets yet; build the grid from communities first",
                         source=os.fspath(project_path))
    progress.info(tr("Counting per street: {n} streets").format(n=len(stats.streets)))
    project = QgsProject()
    project.setCrs(_project_crs(project_path))
    layers = load_project_layers(project_path, project, progress.sub(0, 20))
    coverage = _coverage_layer(stats, layers)
    project.addMapLayer(coverage, False)
    title = title or tr("UrbanGrid district report")
    with tempfile.TemporaryDirectory(prefix="ug-report-") as tmp:
        chart = os.path.join(tmp, "charts.png")
        render_case_charts(stats, chart)
        progress.set_percent(30)
        summary = _summary_layout(project, layers, stats, title, chart, project_path)
        atlas_layout = _atlas_layout(project, layers, coverage, title)
        progress.set_percent(40)
        pages = _write_pdf(output, [summary], atlas_layout, progress.sub(40, 100))
    project.clear()
    return {"output": output, "pages": pages, "streets": len(stats.streets),
            "summary_pages": SUMMARY_PAGES}


# --- data ------------------------------------------------------------------------------


def _coverage_layer(stats: ProjectStats, layers: dict[str, QgsVectorLayer]) -> QgsVectorLayer:
    """A memory copy of the streets carrying each street's counts: the atlas coverage."""
    source = layers.get("street") or layers.get("community")
    if source is None:
        raise InputError("the project has no street layer for the atlas")
    crs = source.crs().authid() or "EPSG:4547"
    layer = QgsVectorLayer(f"MultiPolygon?crs={crs}", tr("Streets"), "memory")
    fields = [QgsField("street_code", QVariant.String), QgsField("name", QVariant.String)]
    fields += [QgsField(f, QVariant.Int) for f in STREET_FIELDS]
    fields += [QgsField("closure_rate", QVariant.Double), QgsField("overdue_rate", QVariant.Double)]
    provider = layer.dataProvider()
    provider.addAttributes(fields)
    layer.updateFields()
    rows = stats.streets.set_index("street_code")
    geoms: dict[str, object] = {}
    for feature in source.getFeatures():
        code = feature["street_code"]
        geom = feature.geometry()
        geoms[code] = geom if code not in geoms else geoms[code].combine(geom)
    features = []
    for code, row in rows.iterrows():
        if code not in geoms:
            continue
        f = QgsFeature(layer.fields())
        f.setGeometry(geoms[code])
        attrs = [code, str(row.get("name", code))]
        attrs += [int(row.get(col, 0)) for col in STREET_FIELDS]
        attrs += [float(row.get("closure_rate", 0.0)), float(row.get("overdue_rate", 0.0))]
        f.setAttributes(attrs)
        features.append(f)
    provider.addFeatures(features)
    layer.updateExtents()
    return layer


def render_case_charts(stats: ProjectStats, path: str) -> str:
    """Cases per state and per month as one PNG (matplotlib, CJK font)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    from .styles import STATE_COLOURS, state_titles

    # matplotlib sees only the first face of the Noto CJK collection (JP); its Han
    # glyphs cover Chinese labels.
    have = {f.name for f in font_manager.fontManager.ttflist}
    plt.rcParams["font.family"] = [n for n in (FONT, "Noto Sans CJK JP") if n in have] + [
        "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2), dpi=150)
    titles = state_titles()
    states = [s for s in STATE_COLOURS if s in stats.cases_by_state.index]
    values = [int(stats.cases_by_state[s]) for s in states]
    ax1.bar([titles[s] for s in states], values, color=[STATE_COLOURS[s] for s in states])
    ax1.set_title(tr("Cases per state"))
    ax1.tick_params(axis="x", rotation=45)
    for i, v in enumerate(values):
        ax1.text(i, v, str(v), ha="center", va="bottom", fontsize=8)
    months = list(stats.cases_by_month.index)
    ax2.bar(months, [int(v) for v in stats.cases_by_month.values], color="#1f78b4")
    ax2.set_title(tr("Cases per month"))
    ax2.tick_params(axis="x", rotation=45)
    if not states:
        ax1.text(0.5, 0.5, tr("No cases yet"), ha="center", transform=ax1.transAxes)
    for ax in (ax1, ax2):
        ax.spines[["top", "right"]].set_visible(False)
        ax.yaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


# --- layout helpers --------------------------------------------------------------------


def _font(size: float, bold: bool = False) -> QFont:
    font = QFont(FONT)
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


def _label(layout: QgsLayout, text: str, x: float, y: float, w: float, h: float,
           size: float = 10, bold: bool = False, html: bool = False, page: int = 0) -> QgsLayoutItemLabel:
    item = QgsLayoutItemLabel(layout)
    item.setText(text)
    if html:
        item.setMode(QgsLayoutItemLabel.ModeHtml)
    else:
        item.setFont(_font(size, bold))
    layout.addLayoutItem(item)
    item.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters), page=page)
    item.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    return item


def _header(layout: QgsLayout, title: str, subtitle: str, page: int = 0) -> None:
    band = QgsLayoutItemShape(layout)
    band.setShapeType(QgsLayoutItemShape.Rectangle)
    symbol = band.symbol().clone()
    symbol.setColor(QColor("#24527a"))
    symbol.symbolLayer(0).setStrokeStyle(0)
    band.setSymbol(symbol)
    layout.addLayoutItem(band)
    band.attemptMove(QgsLayoutPoint(0, 0, QgsUnitTypes.LayoutMillimeters), page=page)
    band.attemptResize(QgsLayoutSize(PAGE_W, 16, QgsUnitTypes.LayoutMillimeters))
    head = _label(layout, title, 10, 2.5, 200, 8, 15, True, page=page)
    head.setFontColor(QColor("white"))
    sub = _label(layout, subtitle, 10, 10, 270, 5, 8, page=page)
    sub.setFontColor(QColor("#dce6f0"))


def _map_item(layout: QgsLayout, layers: list, extent: QgsRectangle, x: float, y: float,
              w: float, h: float, page: int = 0) -> QgsLayoutItemMap:
    item = QgsLayoutItemMap(layout)
    item.setLayers(layers)
    item.setKeepLayerSet(True)
    item.setFrameEnabled(True)
    layout.addLayoutItem(item)
    padded = QgsRectangle(extent)
    padded.scale(1.08)
    # A new item has no extent and zoomToExtent alone keeps it empty; setExtent needs a
    # sized item but reshapes it to the extent, so: size, set, size again, then fit.
    item.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters), page=page)
    item.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    item.setExtent(padded)
    item.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    item.zoomToExtent(padded)
    return item


def _legend(layout: QgsLayout, map_item: QgsLayoutItemMap, x: float, y: float, page: int = 0):
    legend = QgsLayoutItemLegend(layout)
    legend.setTitle(tr("Legend"))
    legend.setLinkedMap(map_item)
    legend.setLegendFilterByMapEnabled(True)
    for style in (QgsLegendStyle.Title, QgsLegendStyle.Group, QgsLegendStyle.Subgroup,
                  QgsLegendStyle.SymbolLabel):
        legend.setStyleFont(style, _font(9 if style == QgsLegendStyle.Title else 7,
                                         style != QgsLegendStyle.SymbolLabel))
    legend.setSymbolHeight(2.6)
    legend.setSymbolWidth(4.5)
    legend.setColumnCount(2)
    legend.setSplitLayer(True)
    legend.setEqualColumnWidth(False)
    layout.addLayoutItem(legend)
    legend.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters), page=page)
    return legend


def _scalebar(layout: QgsLayout, map_item: QgsLayoutItemMap, x: float, y: float, page: int = 0):
    bar = QgsLayoutItemScaleBar(layout)
    bar.setStyle("Single Box")
    bar.setLinkedMap(map_item)
    bar.setUnits(QgsUnitTypes.DistanceMeters)
    bar.setNumberOfSegments(3)
    bar.setNumberOfSegmentsLeft(0)
    bar.setUnitsPerSegment(100)
    bar.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeFitWidth)
    bar.setMinimumBarWidth(30)
    bar.setMaximumBarWidth(60)
    bar.setUnitLabel("m")
    bar.applyDefaultSize()
    layout.addLayoutItem(bar)
    bar.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters), page=page)
    return bar


def _html_table(headers: list[str], rows: list[list[str]], font_pt: float = 8) -> str:
    """A plain HTML table for a layout label (QtWebKit-free rich text)."""
    style = (f"font-family:'{FONT}'; font-size:{font_pt}pt; border-collapse:collapse;")
    cell = "border:1px solid #9fb3c8; padding:2px 5px;"
    head = "".join(f"<th style='{cell} background:#dce6f0'>{h}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td style='{cell} text-align:{'left' if i == 0 else 'right'}'>{v}</td>"
                         for i, v in enumerate(row)) + "</tr>"
        for row in rows)
    return f"<table style=\"{style}\" width='100%'><tr>{head}</tr>{body}</table>"


def _pct(value: float) -> str:
    return f"{100.0 * float(value):.1f}%"


def _ordered_layers(layers: dict[str, QgsVectorLayer], keys: tuple[str, ...]) -> list:
    return [layers[k] for k in keys if k in layers]


MAP_KEYS = ("case_overdue", "case_state", "candidate_new", "permit", "known_violation",
            "demolished", "grid_cell", "community", "street")


def _summary_layout(project: QgsProject, layers: dict[str, QgsVectorLayer], stats: ProjectStats,
                    title: str, chart_png: str, project_path=None) -> QgsPrintLayout:
    """Page 1: district map and the per-street table; page 2: charts and indicators."""
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.pageCollection().page(0).setPageSize(QgsLayoutSize(PAGE_W, PAGE_H))
    from qgis.core import QgsLayoutItemPage

    page2 = QgsLayoutItemPage(layout)
    page2.setPageSize(QgsLayoutSize(PAGE_W, PAGE_H))
    layout.pageCollection().addPage(page2)
    today = dt.date.today().isoformat()
    _header(layout, title, tr("District overview · generated {date}").format(date=today))
    extent = QgsRectangle()
    for key in ("street", "community", "grid_cell"):
        if key in layers:
            extent = layers[key].extent()
            break
    map_item = _map_item(layout, _ordered_layers(layers, MAP_KEYS), extent, 10, 20, 175, 122)
    _scalebar(layout, map_item, 12, 144)
    _legend(layout, map_item, 190, 20)
    cols = ["name", *STREET_FIELDS, "closure_rate"]
    titles = column_titles()
    rows = []
    for _, row in stats.streets.iterrows():
        rows.append([str(row["name"])] + [str(int(row.get(c, 0))) for c in STREET_FIELDS]
                    + [_pct(row.get("closure_rate", 0))])
    total = [tr("Total")] + [str(int(stats.totals.get(c, 0))) for c in STREET_FIELDS]
    total.append(_pct(stats.totals.get("closure_rate", 0)))
    rows.append([f"<b>{v}</b>" for v in total])
    _label(layout, _html_table([titles[c] for c in cols], rows), 10, 152, 277, 52, html=True)

    _header(layout, title, tr("Cases: states, months and indicators"), page=1)
    picture = QgsLayoutItemPicture(layout)
    picture.setPicturePath(chart_png)
    picture.setResizeMode(QgsLayoutItemPicture.Zoom)
    layout.addLayoutItem(picture)
    picture.attemptMove(QgsLayoutPoint(10, 22, QgsUnitTypes.LayoutMillimeters), page=1)
    picture.attemptResize(QgsLayoutSize(277, 106, QgsUnitTypes.LayoutMillimeters))
    t = stats.totals
    indicators = [
        [tr("Cases"), str(int(t.get("cases", 0)))],
        [tr("Open cases"), str(int(t.get("open", 0)))],
        [tr("Closed cases"), str(int(t.get("closed", 0)))],
        [tr("Closure rate"), _pct(t.get("closure_rate", 0))],
        [tr("Overdue cases"), str(int(t.get("overdue", 0)))],
        [tr("Overdue rate of open cases"), _pct(t.get("overdue_rate", 0))],
        [tr("New candidates (imagery)"), str(int(t.get("cand_new", 0)))],
        [tr("Candidates confirmed by auditors"), str(int(t.get("cand_confirmed", 0)))],
    ]
    _label(layout, _html_table([tr("Indicator"), tr("Value")], indicators, 9),
           10, 134, 110, 66, html=True, page=1)
    departments = department_indicators(project_path)
    if departments:
        headers, rows = departments
        _label(layout, tr("Handling departments (GB/T 30428.4 indicators)"), 126, 131, 161, 5, 9,
               True, page=1)
        _label(layout, _html_table(headers, rows, 7.5), 126, 137, 161, 50, html=True, page=1)
    else:
        _label(layout, tr("No department indicators yet: no case has been dispatched."),
               126, 134, 161, 8, 8, page=1)
    note = tr("Closure rate = closed cases / all cases. Overdue = a running case past its "
              "deadline (closed, voided and suspended cases do not run).")
    _label(layout, note, 126, 190, 161, 12, 7, page=1)
    return layout


def department_indicators(project_path) -> tuple[list[str], list[list[str]]] | None:
    """专业部门 indicators over the whole case history, from the cases capability.

    Returns table headers and rows, or None when the capability or the data is missing.
    """
    try:
        from ..cases.indicators import compute_indicators
        from ..cases.store import CaseStore
    except ImportError:
        return None
    try:
        store = CaseStore(project_path)
        cases, events = store.list_cases(), store.events()
    except Exception:  # an older project without the case tables: nothing to show
        return None
    if not events:
        return None
    start = min(e["at"] for e in events)
    end = store.now()
    rows = compute_indicators(cases, events, start, end, now=end).get("department", [])
    if not rows:
        return None
    columns = [("专业部门", tr("Department")), ("立案数", tr("Cases")),
               ("应处置数", tr("Due")), ("按期处置率", tr("On-time rate")),
               ("结案率", tr("Closure rate")), ("返工率", tr("Rework rate")),
               ("综合指标值", tr("Score")), ("等级", tr("Grade"))]
    out = []
    for row in rows[:8]:
        cells = []
        for key, _title in columns:
            value = row.get(key)
            if isinstance(value, float) and key.endswith("率"):
                cells.append(f"{value:.1f}%")  # the cases capability reports percent
            elif isinstance(value, float):
                cells.append(f"{value:.1f}")
            else:
                cells.append("—" if value in (None, "") else str(value))
        out.append(cells)
    return [title for _key, title in columns], out


def _atlas_layout(project: QgsProject, layers: dict[str, QgsVectorLayer],
                  coverage: QgsVectorLayer, title: str) -> QgsPrintLayout:
    """One page per street: its violations map and its own counts."""
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.pageCollection().page(0).setPageSize(QgsLayoutSize(PAGE_W, PAGE_H))
    _header(layout, title, tr("Street sheet"))
    street_title = _label(layout, "[% \"name\" %] ([% \"street_code\" %])", 10, 19, 180, 8, 13, True)
    street_title.setFontColor(QColor("#24527a"))
    keys = tuple(k for k in MAP_KEYS if k != "street")
    map_layers = [coverage] + _ordered_layers(layers, keys)
    _style_atlas_coverage(coverage)
    map_item = _map_item(layout, map_layers, coverage.extent(), 10, 29, 180, 170)
    # The export loop zooms this map to each street: an atlas-driven map would reshape
    # the item to the street's aspect ratio and run off the page.
    layout.setCustomProperty("ug_map_uuid", map_item.uuid())
    _scalebar(layout, map_item, 12, 192)
    _legend(layout, map_item, 196, 112)
    titles = column_titles()
    rows = [[titles[c], f"[% \"{c}\" %]"] for c in STREET_FIELDS]
    rows.append([titles["closure_rate"], "[% format_number(100 * \"closure_rate\", 1) %]%"])
    rows.append([titles["overdue_rate"], "[% format_number(100 * \"overdue_rate\", 1) %]%"])
    _label(layout, _html_table([tr("Count"), tr("Value")], rows, 8), 196, 29, 91, 80, html=True)
    atlas = layout.atlas()
    atlas.setCoverageLayer(coverage)
    atlas.setEnabled(True)
    atlas.setSortFeatures(True)
    atlas.setSortExpression("\"street_code\"")
    atlas.setPageNameExpression("\"name\"")
    return layout


def _style_atlas_coverage(layer: QgsVectorLayer) -> None:
    """The page's street in a bold outline; the other streets veiled in white."""
    from qgis.core import QgsFillSymbol, QgsRuleBasedRenderer

    root = QgsRuleBasedRenderer.Rule(None)
    current = QgsFillSymbol.createSimple({"color": "0,0,0,0", "outline_color": "#24527a",
                                          "outline_width": "1.2"})
    others = QgsFillSymbol.createSimple({"color": "255,255,255,170", "outline_color": "#9e9e9e",
                                         "outline_width": "0.4"})
    root.appendChild(QgsRuleBasedRenderer.Rule(current, 0, 0, "$id = @atlas_featureid",
                                               tr("This street")))
    root.appendChild(QgsRuleBasedRenderer.Rule(others, 0, 0, "ELSE", tr("Other streets")))
    layer.setRenderer(QgsRuleBasedRenderer(root))


# --- export ----------------------------------------------------------------------------


def _write_pdf(output: str, layouts: list[QgsPrintLayout], atlas_layout: QgsPrintLayout,
               progress: Progress) -> int:
    """Paint the summary layouts then every atlas page into one PDF; return the page count."""
    os.makedirs(os.path.dirname(output), exist_ok=True)
    tmp = output + ".part"
    writer = QPdfWriter(tmp)
    writer.setResolution(200)
    # Qt normalises page sizes to portrait; landscape is an orientation.
    writer.setPageLayout(QPageLayout(
        QPageSize(QSizeF(min(PAGE_W, PAGE_H), max(PAGE_W, PAGE_H)), QPageSize.Millimeter),
        QPageLayout.Landscape if PAGE_W > PAGE_H else QPageLayout.Portrait, QMarginsF(0, 0, 0, 0)))
    writer.setTitle("UrbanGrid")
    painter = QPainter()
    if not painter.begin(writer):
        raise InputError("cannot write the PDF", source=output)
    pages = 0
    try:
        for layout in layouts:
            _prepare(layout, writer.resolution())
            exporter = QgsLayoutExporter(layout)
            for page in range(layout.pageCollection().pageCount()):
                if pages:
                    writer.newPage()
                exporter.renderPage(painter, page)
                pages += 1
        atlas = atlas_layout.atlas()
        _prepare(atlas_layout, writer.resolution())
        if not atlas.beginRender():
            raise InputError("the report atlas has no streets to print")
        count = atlas.count()
        exporter = QgsLayoutExporter(atlas_layout)
        map_item = atlas_layout.itemByUuid(atlas_layout.customProperty("ug_map_uuid"))
        for i in range(count):
            progress.step(i, count)
            atlas.seekTo(i)
            feature_id = atlas_layout.reportContext().feature().id()
            bbox = atlas.coverageLayer().getFeature(feature_id).geometry().boundingBox()
            bbox.scale(1.1)
            map_item.zoomToExtent(bbox)
            atlas_layout.refresh()
            writer.newPage()
            exporter.renderPage(painter, 0)
            pages += 1
        atlas.endRender()
    finally:
        painter.end()
    os.replace(tmp, output)
    return pages


def _prepare(layout: QgsPrintLayout, dpi: float) -> None:
    """Vector-friendly print settings, as QgsLayoutExporter uses for PDF."""
    from qgis.core import QgsLayoutRenderContext

    context = layout.renderContext()
    context.setDpi(dpi)
    context.setFlag(QgsLayoutRenderContext.FlagAntialiasing, True)
    context.setFlag(QgsLayoutRenderContext.FlagForceVectorOutput, True)
    context.setFlag(QgsLayoutRenderContext.FlagUseAdvancedEffects, True)
    layout.refresh()
