"""The one map (一张图): every project layer, grouped and styled, in one QGIS project.

:func:`build_one_map` reads the project GeoPackage (项目库), adds each layer of the
shared data contract that exists (grid, communities, components, the three violation
lists, new candidates, cases by state and overdue cases) in four groups, styles each
from ``layers/*.qml`` and writes a ``.qgz`` a planner opens with a double click.
Layers that do not exist yet are skipped and reported, never an error.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsLayerTreeGroup,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication

from ..errors import InputError
from ..progress import Progress, ensure_progress
from . import styles
from .i18n import TR_CONTEXT

#: Cases still running whose deadline has passed. SQLite understands the ISO offsets.
OVERDUE_SQL = (
    "\"deadline\" IS NOT NULL AND julianday(\"deadline\") < julianday('now') "
    "AND \"state\" NOT IN ('closed', 'voided', 'suspended')"
)


def tr(text: str) -> str:
    """Translate in the one map's context."""
    return QCoreApplication.translate(TR_CONTEXT, text)


@dataclass(frozen=True)
class LayerSpec:
    """One layer of the one map.

    ``tables`` are GeoPackage layer names tried in order (capabilities may name
    them differently); ``styles`` are QML files in ``layers/`` tried in order, the
    first that exists wins; ``fallback`` styles it when none exists.
    """

    key: str
    group: str
    tables: tuple[str, ...]
    styles: tuple[str, ...]
    fallback: Callable[[QgsVectorLayer], None]
    subset: str | None = None
    visible: bool = True


def group_titles() -> dict[str, str]:
    """Group key -> title in the user's language, in drawing order (top first)."""
    return {
        "cases": tr("Cases"),
        "imagery": tr("Imagery change (violations)"),
        "components": tr("Components"),
        "base": tr("Unit grid"),
    }


def layer_titles() -> dict[str, str]:
    """Layer key -> title in the user's language."""
    return {
        "case_overdue": tr("Overdue cases"),
        "case_state": tr("Cases by state"),
        "candidate_new": tr("New candidates"),
        "candidate_listed": tr("Listed candidates"),
        "permit": tr("Planning permits"),
        "known_violation": tr("Known violations"),
        "demolished": tr("Demolished violations"),
        "component_point": tr("Point components"),
        "component_line": tr("Line components"),
        "component_polygon": tr("Area components"),
        "component_census": tr("Component census per cell"),
        "grid_cell": tr("Unit grid cells"),
        "community": tr("Communities"),
        "street": tr("Streets"),
    }


def layer_specs() -> list[LayerSpec]:
    """Every layer the one map knows, top of the legend first."""
    s = styles
    return [
        LayerSpec("case_overdue", "cases", ("ug_case",), ("map_case_overdue.qml",),
                  s.style_case_overdue, subset=OVERDUE_SQL),
        LayerSpec("case_state", "cases", ("ug_case",), ("case.qml", "ug_case.qml", "map_case_state.qml"),
                  s.style_case_state),
        LayerSpec("candidate_new", "imagery", ("change_candidate",),
                  ("map_candidate_new.qml",), s.style_candidate_new,
                  subset="\"list_status\" = 'new'"),
        LayerSpec("candidate_listed", "imagery", ("change_candidate",),
                  ("map_candidate_listed.qml",), s.style_candidate_listed,
                  subset="\"list_status\" <> 'new'", visible=False),
        LayerSpec("permit", "imagery", ("permit", "permits", "planning_permit"),
                  ("permit.qml", "map_permit.qml"), s.style_violation_list("#33a02c")),
        LayerSpec("known_violation", "imagery", ("known_violation", "known_violations", "known"),
                  ("known_violation.qml", "map_known_violation.qml"),
                  s.style_violation_list("#ff7f00")),
        LayerSpec("demolished", "imagery", ("demolished", "demolished_violation",
                                            "demolished_violations"),
                  ("demolished.qml", "map_demolished.qml"), s.style_violation_list("#6a3d9a")),
        LayerSpec("component_point", "components", ("component_point", "component"),
                  ("component_point.qml", "map_component_point.qml"), s.style_component("point")),
        LayerSpec("component_line", "components", ("component_line",),
                  ("component_line.qml", "map_component_line.qml"), s.style_component("line")),
        LayerSpec("component_polygon", "components", ("component_polygon",),
                  ("component_polygon.qml", "map_component_polygon.qml"),
                  s.style_component("polygon")),
        LayerSpec("component_census", "components", ("component_census_cell",),
                  ("map_component_census.qml", "component_census_cell.qml", "component_census.qml"), s.style_census),
        LayerSpec("grid_cell", "base", ("grid_cell",), ("grid_cell.qml", "map_grid_cell.qml"),
                  s.style_grid_cell, subset="\"term_date\" IS NULL"),
        LayerSpec("community", "base", ("community",), ("community.qml", "map_community.qml"),
                  s.style_community),
        LayerSpec("street", "base", ("street",), ("street.qml", "map_street.qml"),
                  s.style_street),
    ]


def project_tables(project_path: str | os.PathLike) -> dict[str, str | None]:
    """Layer name -> geometry type of every table in the project GeoPackage."""
    import pyogrio

    if not os.path.exists(project_path):
        raise InputError("project GeoPackage not found", source=os.fspath(project_path))
    try:
        return {name: geom for name, geom in pyogrio.list_layers(os.fspath(project_path))}
    except Exception as exc:  # pyogrio raises DataSourceError for non-GeoPackages
        raise InputError(f"not a readable GeoPackage ({exc})", source=os.fspath(project_path)) from exc


def open_layer(project_path: str | os.PathLike, table: str, title: str,
               subset: str | None = None) -> QgsVectorLayer:
    """Open one GeoPackage table as a vector layer (OGR provider)."""
    uri = f"{os.path.abspath(os.fspath(project_path))}|layername={table}"
    if subset:
        uri += f"|subset={subset}"
    return QgsVectorLayer(uri, title, "ogr")


def apply_style(layer: QgsVectorLayer, spec: LayerSpec) -> str:
    """Style ``layer`` from the first QML of ``spec`` that exists; return what was used."""
    for name in spec.styles:
        path = os.path.join(styles.LAYERS_DIR, name)
        if os.path.exists(path):
            _msg, ok = layer.loadNamedStyle(path)
            if ok:
                return name
    spec.fallback(layer)
    return "builtin"


def load_project_layers(
    project_path: str | os.PathLike,
    project: QgsProject,
    progress: Progress | None = None,
    lists: dict[str, str] | None = None,
) -> dict[str, QgsVectorLayer]:
    """Add every available one-map layer to ``project`` in its group; return them by key.

    Missing tables are reported through ``progress`` and skipped. ``lists`` maps
    ``permit`` / ``known_violation`` / ``demolished`` to the user's own list files
    (any OGR source, ``path`` or ``path|layername=x``) when they are not in the project.
    """
    lists = {k: v for k, v in (lists or {}).items() if v}
    progress = ensure_progress(progress)
    tables = project_tables(project_path)
    root = project.layerTreeRoot()
    groups: dict[str, QgsLayerTreeGroup] = {}
    for key, title in group_titles().items():
        groups[key] = root.findGroup(title) or root.addGroup(title)
    titles = layer_titles()
    added: dict[str, QgsVectorLayer] = {}
    specs = layer_specs()
    for i, spec in enumerate(specs):
        progress.step(i, len(specs))
        table = next((t for t in spec.tables if t in tables and tables[t]), None)
        if table is None and spec.key in lists:
            layer = QgsVectorLayer(os.path.abspath(lists[spec.key]) if "|" not in lists[spec.key]
                                   else lists[spec.key], titles[spec.key], "ogr")
            if not layer.isValid():
                raise InputError("cannot open this list layer", source=lists[spec.key])
            apply_style(layer, spec)
            project.addMapLayer(layer, False)
            groups[spec.group].addLayer(layer).setExpanded(False)
            added[spec.key] = layer
            continue
        if table is None:
            if spec.key not in ("component_line", "component_polygon", "component_census",
                                "candidate_listed"):
                progress.info(tr("Skipped {title}: no layer {table} in the project yet").format(
                    title=titles[spec.key], table=spec.tables[0]))
            continue
        layer = open_layer(project_path, table, titles[spec.key], spec.subset)
        if not layer.isValid():
            progress.warning(tr("Could not open {table}").format(table=table))
            continue
        apply_style(layer, spec)
        if spec.key == "component_census":
            styles.classify_census(layer)
        if spec.key == "grid_cell":
            if not layer.labelsEnabled():
                styles.label_grid_codes(layer)
            if not layer.hasScaleBasedVisibility():
                # At city scale 100 m cells are a couple of pixels: draw them from 1:60,000.
                layer.setScaleBasedVisibility(True)
                layer.setMinimumScale(styles.GRID_OUTLINE_SCALE)
        project.addMapLayer(layer, False)
        node = groups[spec.group].addLayer(layer)
        node.setItemVisibilityChecked(spec.visible)
        node.setExpanded(False)
        added[spec.key] = layer
    for group in groups.values():
        if not group.children():
            root.removeChildNode(group)
    _switch_components_by_density(added, progress)
    return added


#: At most about this many component features on a 1600 × 1000 px screen.
MAX_POINTS_ON_SCREEN = 30_000
NICE_SCALES = (500, 1000, 1500, 2000, 2500, 3000, 5000, 7500, 10000)


def component_switch_scale(n_features: int, area_m2: float, max_scale: float = 10000) -> float:
    """The scale (1:N) below which component features are drawn, from their density.

    Chosen so that a full screen (1600 × 1000 px at 96 dpi, 0.1115·N² m² of ground)
    holds at most :data:`MAX_POINTS_ON_SCREEN` features; never more zoomed out than
    ``max_scale`` (the components' own QML rules), rounded down to a round number.
    """
    if n_features <= 0 or area_m2 <= 0:
        return max_scale
    scale = (MAX_POINTS_ON_SCREEN * area_m2 / (n_features * 0.1115)) ** 0.5
    nice = [s for s in NICE_SCALES if s <= min(scale, max_scale)]
    return float(nice[-1] if nice else NICE_SCALES[0])


def _switch_components_by_density(layers: dict[str, QgsVectorLayer], progress: Progress) -> None:
    """Draw single components only where few enough fit on screen; the census elsewhere."""
    keys = [k for k in ("component_point", "component_line", "component_polygon") if k in layers]
    if not keys:
        return
    base = next((layers[k] for k in ("grid_cell", "community", "street") if k in layers), None)
    extent = base.extent() if base is not None else layers[keys[0]].extent()
    area = extent.width() * extent.height()
    total = sum(max(layers[k].featureCount(), 0) for k in keys)
    scale = component_switch_scale(total, area)
    for key in keys:
        layers[key].setScaleBasedVisibility(True)
        layers[key].setMinimumScale(scale)  # hidden when zoomed out beyond 1:scale
    if "component_census" in layers:
        census = layers["component_census"]
        census.setScaleBasedVisibility(True)
        census.setMaximumScale(scale)  # shown only when zoomed out beyond 1:scale
        census.setMinimumScale(0)
    progress.info(tr("Components drawn one by one from 1:{scale} (the census above)").format(
        scale=f"{scale:,.0f}"))


def full_extent(layers: dict[str, QgsVectorLayer]) -> QgsRectangle:
    """The extent of the base layers (streets, else grid, else everything)."""
    for key in ("street", "community", "grid_cell"):
        if key in layers and not layers[key].extent().isEmpty():
            return QgsRectangle(layers[key].extent())
    extent = QgsRectangle()
    for layer in layers.values():
        extent.combineExtentWith(layer.extent())
    return extent


def build_one_map(
    project_path: str | os.PathLike,
    output: str | os.PathLike,
    *,
    progress: Progress | None = None,
    lists: dict[str, str] | None = None,
) -> dict[str, object]:
    """Write the one-map QGIS project ``output`` (.qgz) for ``project_path``.

    ``lists`` adds the user's permit / known / demolished list files (see
    :func:`load_project_layers`).

    Returns a summary: the output path, the layer keys added and the groups. Layer
    paths are stored relative to the .qgz, so the pair can be copied together.
    """
    from .qgis_env import ensure_qgis_app

    ensure_qgis_app()
    progress = ensure_progress(progress)
    output = os.path.abspath(os.fspath(output))
    if not output.lower().endswith((".qgz", ".qgs")):
        raise InputError("the one map must be written to a .qgz or .qgs file", source=output)
    project_tables(project_path)  # a missing or broken file fails here, clearly
    project = QgsProject()
    project.setTitle(tr("UrbanGrid one map"))
    crs = _project_crs(project_path)
    project.setCrs(crs)
    project.writeEntryBool("Paths", "/Absolute", False)
    layers = load_project_layers(project_path, project, progress.sub(0, 90), lists)
    if not layers:
        raise InputError("the project has no map layers yet; build the grid first",
                         source=os.fspath(project_path))
    extent = full_extent(layers)
    project.viewSettings().setDefaultViewExtent(
        _reference_extent(extent, crs))
    os.makedirs(os.path.dirname(output), exist_ok=True)
    if not project.write(output):
        raise InputError(f"could not write the QGIS project: {project.error()}", source=output)
    progress.set_percent(100)
    summary = {"output": output, "layers": list(layers), "extent": extent.toString(1)}
    project.clear()
    return summary


def _project_crs(project_path: str | os.PathLike) -> QgsCoordinateReferenceSystem:
    """The project's working CRS from ``ug_project``, EPSG:4547 if not recorded."""
    from ..project import read_project_meta

    try:
        wkt = read_project_meta(project_path).get("crs", "EPSG:4547")
    except (InputError, sqlite3.DatabaseError):
        wkt = "EPSG:4547"
    crs = QgsCoordinateReferenceSystem(wkt)
    return crs if crs.isValid() else QgsCoordinateReferenceSystem("EPSG:4547")


def _reference_extent(extent: QgsRectangle, crs: QgsCoordinateReferenceSystem):
    from qgis.core import QgsReferencedRectangle

    return QgsReferencedRectangle(extent, crs)
