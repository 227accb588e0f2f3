"""The administrative hierarchy 区 → 街道 → 社区 (district → street → community).

Communities (社区) come from the user as polygons with a 12-digit code; streets
(街道) are dissolved from them, so the two can never disagree. Every check that can
reject the input runs here, before anything is written to the project.
"""

from __future__ import annotations

import os

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import InputError
from ..io.vector import LINEAR, POLYGONAL, describe_source, read_vector
from ..progress import Progress, ensure_progress
from .codes import (
    COMMUNITY_CODE_LEN,
    DISTRICT_CODE_LEN,
    STREET_CODE_LEN,
    code_problem,
)
from .lattice import GRID_PRECISION

# Accepted names for the community code column, most specific first (Shapefile
# truncates names to 10 characters).
CODE_FIELDS = ("community_code", "community_", "sqdm", "SQDM", "code", "CODE")
NAME_FIELDS = ("name", "NAME", "sqmc", "SQMC", "mc", "MC")
STREET_NAME_FIELDS = ("street_name", "street_nam", "STREET_NAME", "jdmc", "JDMC")

# Overlaps smaller than this (m²) are digitising noise, not a second community.
OVERLAP_TOLERANCE_M2 = 0.01


def _pick(frame: pd.DataFrame, wanted: str | None, choices: tuple[str, ...], source: str,
          what: str, required: bool = True) -> str | None:
    if wanted:
        if wanted not in frame.columns:
            raise InputError(f"{what} field not found; fields are: {', '.join(map(str, frame.columns.drop('geometry')))}",
                             source=source, field=wanted)
        return wanted
    for name in choices:
        if name in frame.columns:
            return name
    if required:
        raise InputError(
            f"no {what} field; name it one of {', '.join(choices)} or pass it explicitly "
            f"(fields are: {', '.join(map(str, frame.columns.drop('geometry')))})",
            source=source,
        )
    return None


def load_communities(
    path: str | os.PathLike,
    *,
    layer: str | None = None,
    code_field: str | None = None,
    name_field: str | None = None,
    street_name_field: str | None = None,
    target_crs=None,
    progress: Progress | None = None,
) -> gpd.GeoDataFrame:
    """Read and check community polygons (社区).

    Returns a GeoDataFrame with ``community_code``, ``name``, ``street_code``,
    ``district_code``, ``street_name`` and MultiPolygon geometry in ``target_crs``,
    one row per community (features sharing a code are dissolved).

    Raises :class:`InputError` for an empty layer, a missing CRS, non-polygon
    geometry, codes that are not 12 digits, or communities that overlap.
    """
    progress = ensure_progress(progress)
    source = describe_source(path, layer)
    frame = read_vector(path, layer=layer, geometry_types=POLYGONAL, target_crs=target_crs,
                        progress=progress, what="community layer")
    code_col = _pick(frame, code_field, CODE_FIELDS, source, "community code")
    name_col = _pick(frame, name_field, NAME_FIELDS, source, "community name", required=False)
    street_col = _pick(frame, street_name_field, STREET_NAME_FIELDS, source, "street name", required=False)
    codes = frame[code_col].map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip())
    for i, code in enumerate(codes):
        problem = code_problem(code, COMMUNITY_CODE_LEN)
        if problem:
            raise InputError(problem, source=source, row=i + 1, field=code_col)
    geoms = frame.geometry.values
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        progress.warning(f"{source}: {int(invalid.sum())} invalid community polygon(s) repaired with make_valid")
        fixed = shapely.make_valid(geoms[invalid])
        geoms[invalid] = [shapely.union_all(shapely.get_parts(g)[np.isin(shapely.get_type_id(shapely.get_parts(g)), [3, 6])])
                          for g in fixed]
    geoms = shapely.set_precision(geoms, GRID_PRECISION)
    out = gpd.GeoDataFrame(
        {
            "community_code": codes.values,
            "name": frame[name_col].astype(object).values if name_col else None,
            "street_name": frame[street_col].astype(object).values if street_col else None,
            "row": np.arange(1, len(frame) + 1),
        },
        geometry=gpd.GeoSeries(geoms, crs=frame.crs),
    )
    check_no_overlaps(out, source)
    if out["community_code"].duplicated().any():
        progress.info(f"{source}: features sharing a community code were merged into one community")
        out = out.dissolve(by="community_code", aggfunc="first", as_index=False)
    out["street_code"] = out["community_code"].str[:STREET_CODE_LEN]
    out["district_code"] = out["community_code"].str[:DISTRICT_CODE_LEN]
    out["geometry"] = [shapely.MultiPolygon(shapely.get_parts(g)) if g.geom_type == "Polygon" else g
                       for g in out.geometry]
    out = out.sort_values("community_code", kind="stable").reset_index(drop=True)
    return out[["community_code", "name", "street_code", "district_code", "street_name", "geometry"]]


def check_no_overlaps(frame: gpd.GeoDataFrame, source: str) -> None:
    """Raise :class:`InputError` naming the first two overlapping communities and where."""
    geoms = frame.geometry.values
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    if not len(left):
        return
    area = shapely.area(shapely.intersection(geoms[left], geoms[right]))
    bad = np.flatnonzero(area > OVERLAP_TOLERANCE_M2)
    if not len(bad):
        return
    i, j = left[bad[0]], right[bad[0]]
    where = shapely.point_on_surface(shapely.intersection(geoms[i], geoms[j]))
    codes = frame["community_code"].values
    rows = frame["row"].values
    raise InputError(
        f"communities {codes[i]} (row {rows[i]}) and {codes[j]} (row {rows[j]}) overlap by "
        f"{area[bad[0]]:.1f} m² near x={where.x:.1f} y={where.y:.1f}; "
        f"{len(bad)} overlapping pair(s) in all. Fix the community boundaries first",
        source=source,
        row=int(rows[i]),
        field="geometry",
    )


def dissolve_streets(communities: gpd.GeoDataFrame, names: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """Street polygons (街道) dissolved from communities.

    Names come from ``names`` (``street_code``, ``name``, e.g. a street layer) or
    else from the communities' street-name column.
    """
    streets = communities.dissolve(by="street_code", aggfunc={"street_name": "first", "district_code": "first"},
                                   as_index=False)
    streets = streets.rename(columns={"street_name": "name"})
    if names is not None:
        lookup = dict(zip(names["street_code"], names["name"], strict=True))
        streets["name"] = [lookup.get(c) or n for c, n in zip(streets["street_code"], streets["name"], strict=True)]
    streets["geometry"] = [shapely.MultiPolygon(shapely.get_parts(g)) if g.geom_type == "Polygon" else g
                           for g in streets.geometry]
    return streets[["street_code", "name", "district_code", "geometry"]]


STREET_CODE_FIELDS = ("street_code", "jddm", "JDDM", "code", "CODE")
# A community may stick out of its street polygon by this share of its area
# (digitising differences) before the user is warned.
STREET_SLACK = 0.01


def load_streets(
    path: str | os.PathLike,
    communities: gpd.GeoDataFrame,
    *,
    layer: str | None = None,
    code_field: str | None = None,
    name_field: str | None = None,
    target_crs=None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Read street polygons (街道) to name the streets and cross-check the communities.

    Street codes must be 9 digits and every community's street (its first 9
    digits) must be in the layer; otherwise :class:`InputError`. A community lying
    partly outside its street polygon is reported as a warning, since the street
    outline used in the project is always the union of its communities.
    Returns ``street_code`` and ``name``.
    """
    progress = ensure_progress(progress)
    source = describe_source(path, layer)
    frame = read_vector(path, layer=layer, geometry_types=POLYGONAL, target_crs=target_crs,
                        progress=progress, what="street layer")
    code_col = _pick(frame, code_field, STREET_CODE_FIELDS, source, "street code")
    name_col = _pick(frame, name_field, NAME_FIELDS + ("jdmc", "JDMC"), source, "street name", required=False)
    codes = [str(v).strip() if v is not None else "" for v in frame[code_col]]
    for i, code in enumerate(codes):
        problem = code_problem(code, STREET_CODE_LEN)
        if problem:
            raise InputError(problem, source=source, row=i + 1, field=code_col)
    known = set(codes)
    missing = sorted(set(communities["street_code"]) - known)
    if missing:
        raise InputError(f"street(s) {', '.join(missing)} of the communities are not in the street layer",
                         source=source, field=code_col)
    outlines = dict(zip(codes, frame.geometry.values, strict=True))
    for _, community in communities.iterrows():
        street = outlines[community["street_code"]]
        outside = community.geometry.difference(street).area
        if outside > STREET_SLACK * community.geometry.area:
            progress.warning(f"{source}: community {community['community_code']} lies {outside:.0f} m² outside "
                             f"street {community['street_code']}; the street outline is taken from its communities")
    names = frame[name_col].astype(object).values if name_col else [None] * len(frame)
    return pd.DataFrame({"street_code": codes, "name": names}).drop_duplicates("street_code")


def load_barriers(
    paths: list[str | os.PathLike],
    *,
    target_crs=None,
    progress: Progress | None = None,
) -> np.ndarray:
    """Read barrier lines (roads, rivers, walls) from any number of layers.

    Polygon layers are accepted too (a river drawn as an area): their outlines
    become barriers. Returns an array of line geometries in ``target_crs``.
    """
    progress = ensure_progress(progress)
    lines = []
    for path in paths:
        layer = None
        text = os.fspath(path)
        if "|" in text:
            text, layer = text.split("|", 1)
        frame = read_vector(text, layer=layer, geometry_types=LINEAR + POLYGONAL, target_crs=target_crs,
                            progress=progress, what="barrier layer")
        geoms = frame.geometry.values
        polygonal = np.isin(shapely.get_type_id(geoms), [3, 6])
        geoms = np.where(polygonal, shapely.boundary(geoms), geoms)
        lines.append(shapely.get_parts(geoms))
    if not lines:
        return np.array([], dtype=object)
    return np.concatenate(lines)
