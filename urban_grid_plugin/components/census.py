"""Census (部件普查统计) and duplicate detection.

``census`` counts components per grid cell, class, state and department and writes
two outputs: the ``component_census`` table and the ``component_census_cell`` grid
layer (one polygon per active cell with ``total`` and per-major counts) for a
choropleth at small map scales, where drawing millions of points is pointless.
"""

from __future__ import annotations

import os

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from ..errors import InputError
from ..io.styles import LAYERS_DIR, packaged_styles, store_default_styles
from ..progress import Progress, ensure_progress
from .importer import read_cells
from .schema import CENSUS, CENSUS_CELL, LAYERS, connect, existing_layers
from .store import read_components

#: The plugin's ``layers/`` folder (QML styles), next to the package.

CENSUS_KEYS = ["grid_code", "class_code", "major_code", "obj_state", "dept_name1"]


def census(
    project_path: str | os.PathLike, *, write: bool = True, progress: Progress | None = None
) -> pd.DataFrame:
    """Counts per cell, class, state and department; optionally stored in the project."""
    progress = ensure_progress(progress)
    project_path = os.fspath(project_path)
    comps = read_components(project_path, columns=CENSUS_KEYS, geometry=False)
    if comps is None or not len(comps):
        raise InputError("project holds no components yet; run 'urbangrid components import' first",
                         source=project_path)
    progress.set_percent(40)
    table = (comps[CENSUS_KEYS].fillna("").groupby(CENSUS_KEYS, sort=True).size()
             .rename("count").reset_index())
    if write:
        cells = read_cells(project_path)
        per_cell = table.pivot_table(index="grid_code", columns="major_code", values="count",
                                     aggfunc="sum", fill_value=0)
        per_cell.columns = [f"count_{m}" for m in per_cell.columns]
        per_cell["total"] = per_cell.sum(axis=1)
        damaged = table[table["obj_state"] != "完好"].groupby("grid_code")["count"].sum()
        layer = cells[["code", "community_code", "street_code", "geometry"]].rename(columns={"code": "grid_code"})
        layer = layer.merge(per_cell, left_on="grid_code", right_index=True, how="left")
        layer["not_intact"] = layer["grid_code"].map(damaged).fillna(0).astype(np.int64)
        for col in [c for c in layer.columns if c.startswith("count_")] + ["total"]:
            layer[col] = layer[col].fillna(0).astype(np.int64)
        layer["area_m2"] = shapely.area(layer.geometry.to_numpy())
        layer["density_km2"] = layer["total"] / (layer["area_m2"] / 1e6)
        progress.set_percent(70)
        _write_replace(project_path, CENSUS_CELL, gpd.GeoDataFrame(layer, geometry="geometry"))
        qml = census_style_qml(layer["total"].to_numpy())
        if qml is not None:
            store_default_style(project_path, CENSUS_CELL, qml)
        with connect(project_path) as con:
            table.to_sql(CENSUS, con, if_exists="replace", index=False)
            con.execute("INSERT OR IGNORE INTO gpkg_contents(table_name, data_type, identifier, last_change) "
                        "VALUES (?, 'attributes', ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))", (CENSUS, CENSUS))
    progress.set_percent(100)
    return table


def _write_replace(project_path: str, layer: str, frame: gpd.GeoDataFrame) -> None:
    """Write a derived layer, replacing an earlier one (derived data, safe to rebuild)."""
    if layer in existing_layers(project_path):
        from osgeo import gdal

        ds = gdal.OpenEx(project_path, gdal.OF_VECTOR | gdal.OF_UPDATE)
        for i in range(ds.GetLayerCount()):
            if ds.GetLayerByIndex(i).GetName() == layer:
                ds.DeleteLayer(i)
                break
        ds = None
    pyogrio.write_dataframe(frame, project_path, layer=layer, driver="GPKG", geometry_type="Polygon")


def _nice(value: float) -> int:
    """Round up to two significant digits, so legend classes read naturally (14.2 → 15, 731 → 740)."""
    if value <= 10:
        return max(1, int(np.ceil(value)))
    step = 10 ** (int(np.floor(np.log10(value))) - 1)
    return int(np.ceil(value / step) * step)


def census_breaks(totals: np.ndarray, uppers: int = 5) -> list[int]:
    """Upper bounds of ``uppers`` count classes above zero, at the data's quantiles (the last class is open)."""
    nonzero = np.asarray(totals)[np.asarray(totals) > 0]
    if not len(nonzero):
        return list(range(1, uppers + 1))
    out: list[int] = []
    for q in np.quantile(nonzero, np.linspace(0, 1, uppers + 2)[1:-1]):
        u = _nice(q)
        out.append(max(u, out[-1] + 1) if out else u)
    return out


def census_style_qml(totals: np.ndarray) -> str | None:
    """``layers/component_census.qml`` with its classes fitted to these counts (None if not installed).

    The packaged style has fixed classes for a typical city (about 20 components per
    cell); fitting them keeps the choropleth readable for a dense survey too.
    """
    import re

    path = os.path.join(LAYERS_DIR, "component_census.qml")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as fh:
        qml = fh.read()
    ranges = re.findall(r"<range\b.*?/>", qml)  # one per line; labels may hold a raw '>'
    uppers = census_breaks(totals, uppers=len(ranges) - 2)
    bounds = [(-0.5, 0.5, "0")]
    low = 1
    for u in uppers:
        bounds.append((low - 0.5, u + 0.5, f"{low}–{u}" if u > low else f"{u}"))
        low = u + 1
    bounds.append((low - 0.5, max(float(np.max(totals)), low) + 0.5, f"&gt; {low - 1}"))
    for i, (old, (lo, hi, label)) in enumerate(zip(ranges, bounds, strict=True)):
        qml = qml.replace(old, f'<range lower="{lo:.6f}" render="true" upper="{hi:.6f}" symbol="{i}" '
                               f'label="{label}"/>', 1)
    return qml


def store_default_style(project_path: str | os.PathLike, table: str, qml: str) -> None:
    """Make ``qml`` the default style QGIS applies when it opens ``table`` from the project."""
    store_default_styles(project_path, {table: qml})


def install_component_styles(project_path: str | os.PathLike) -> int:
    """Store the packaged component layer styles as the layers' default styles; return how many."""
    present = [layer for layer in LAYERS.values() if layer in existing_layers(project_path)]
    return store_default_styles(project_path, packaged_styles(present, LAYERS_DIR))


def census_summary(table: pd.DataFrame, by: str = "major_code") -> pd.DataFrame:
    """Totals of a census table by one key (major class, state, department, ...)."""
    return table.groupby(by)["count"].sum().sort_values(ascending=False).rename("count").reset_index()


def find_duplicates(
    project_path: str | os.PathLike, *, tolerance: float = 0.5, write: bool = True
) -> pd.DataFrame:
    """Pairs of point components of the same class closer than ``tolerance`` metres.

    Lines and polygons are compared by their representative points. The result is
    stored as the ``component_duplicate`` table when ``write`` is True.
    """
    if tolerance <= 0:
        raise InputError("duplicate tolerance must be positive (metres)", field="tolerance")
    comps = read_components(project_path, columns=["obj_id", "class_code"])
    cols = ["obj_id_a", "obj_id_b", "class_code", "distance_m"]
    if comps is None or not len(comps):
        return pd.DataFrame(columns=cols)
    pts = shapely.point_on_surface(comps.geometry.to_numpy())
    tree = shapely.STRtree(pts)
    a, b = tree.query(pts, predicate="dwithin", distance=tolerance)
    keep = a < b
    a, b = a[keep], b[keep]
    cls = comps["class_code"].to_numpy(object)
    same = cls[a] == cls[b]
    a, b = a[same], b[same]
    out = pd.DataFrame({
        "obj_id_a": comps["obj_id"].to_numpy(object)[a],
        "obj_id_b": comps["obj_id"].to_numpy(object)[b],
        "class_code": cls[a],
        "distance_m": shapely.distance(pts[a], pts[b]).round(3),
    })
    if write:
        with connect(project_path) as con:
            out.to_sql("component_duplicate", con, if_exists="replace", index=False)
            con.execute("INSERT OR IGNORE INTO gpkg_contents(table_name, data_type, identifier, last_change) "
                        "VALUES ('component_duplicate', 'attributes', 'component_duplicate', "
                        "strftime('%Y-%m-%dT%H:%M:%fZ','now'))")
    return out
