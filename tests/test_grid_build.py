"""Grid generation: both modes tile each community exactly; numbering is deterministic."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from grid_helpers import assert_exact_cover, new_project, small_district

from urban_grid_plugin.grid import store
from urban_grid_plugin.grid.build import build_grid
from urban_grid_plugin.grid.numbering import reading_order
from urban_grid_plugin.progress import Progress


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    return small_district(tmp_path_factory.mktemp("district"))


def _build(folder, district, mode, **kw):
    project = new_project(folder)
    path, layer = district["community"].split("|")
    result = build_grid(project, path, layer=layer, mode=mode, barrier_paths=[district["barrier"]],
                        date="2026-11-01", **kw)
    return project, result


@pytest.mark.parametrize("mode", ["lattice", "barrier"])
def test_cells_tile_each_community_exactly(tmp_path, district, mode):
    project, result = _build(tmp_path, district, mode)
    cells = store.read_active_cells(project)
    communities = store.read_table(project, store.COMMUNITY)
    assert result.active == len(cells) > 30
    assert set(cells["community_code"]) == set(communities["community_code"])
    for _, community in communities.iterrows():
        mine = cells[cells["community_code"] == community["community_code"]]
        assert_exact_cover(mine.geometry.values, community.geometry)
    # Never across a community boundary: each cell overlaps only its own community.
    tree = shapely.STRtree(communities.geometry.values)
    left, right = tree.query(cells.geometry.values, predicate="intersects")
    shared = shapely.area(shapely.intersection(cells.geometry.values[left], communities.geometry.values[right]))
    foreign = communities["community_code"].values[right] != cells["community_code"].values[left]
    assert shared[foreign].max(initial=0) < 0.01
    assert (cells.geom_type == "Polygon").all()
    assert cells["code"].is_unique
    assert (cells["code"].str[:12] == cells["community_code"]).all()


def test_barrier_cells_are_near_the_target_area(tmp_path, district):
    _, result = _build(tmp_path, district, "barrier", target_area=10_000, tolerance=0.3)
    stats = result.area_stats()
    assert stats["within"] >= 0.9
    assert 0.5 * 10_000 < stats["min"] and stats["max"] < 1.6 * 10_000


def test_barrier_cells_follow_the_barriers(tmp_path, district):
    project, _ = _build(tmp_path, district, "barrier")
    cells = store.read_active_cells(project)
    roads = gpd.read_file(district["barrier"].split("|")[0], layer="barrier")
    road = roads[roads["kind"] == "road"].geometry.iloc[0]
    # Most of a road's length inside the district runs along cell edges, not through cells.
    edges = shapely.union_all(shapely.boundary(cells.geometry.values))
    inside = road.intersection(shapely.union_all(cells.geometry.values))
    assert inside.length > 0
    assert inside.intersection(edges.buffer(0.01)).length / inside.length > 0.9


def test_lattice_cells_have_the_chosen_size(tmp_path, district):
    _, result = _build(tmp_path, district, "lattice", cell_size=80.0)
    areas = result.areas
    assert np.isclose(np.median(areas), 6400.0)
    assert areas.max() <= 6400.0 * 1.25 + 1e-6


def test_numbering_is_deterministic_and_reads_west_east_north_south(tmp_path, district):
    a, _ = _build(tmp_path / "a", district, "barrier") if (tmp_path / "a").mkdir() is None else None
    b, _ = _build(tmp_path / "b", district, "barrier") if (tmp_path / "b").mkdir() is None else None
    cells_a, cells_b = store.read_active_cells(a), store.read_active_cells(b)
    assert list(cells_a["code"]) == list(cells_b["code"])
    assert all(shapely.equals_exact(cells_a.geometry.values, cells_b.geometry.values, 1e-6))
    community = cells_a[cells_a["community_code"] == cells_a["community_code"].iloc[0]].sort_values("code")
    order = reading_order(community.geometry.values, 100.0, top=community.total_bounds[3])
    assert list(order) == list(range(len(community)))
    assert community["code"].str[-3:].tolist() == [f"{i:03d}" for i in range(1, len(community) + 1)]


def test_reading_order_is_west_to_east_then_north_to_south():
    cells = np.array([shapely.box(x, y, x + 10, y + 10) for y in (0, 10) for x in (20, 0, 10)], dtype=object)
    order = reading_order(cells, 10.0)
    corners = [(c.bounds[0], c.bounds[1]) for c in cells[order]]
    assert corners == [(0, 10), (10, 10), (20, 10), (0, 0), (10, 0), (20, 0)]


class _Recorder(Progress):
    def __init__(self):
        self.messages = []

    def info(self, message):
        self.messages.append(message)


@pytest.mark.parametrize("fmt", ["shp", "geojson"])
def test_shapefile_and_geojson_in_wgs84_are_reprojected_and_told(tmp_path, district, fmt):
    path, layer = district["community"].split("|")
    frame = gpd.read_file(path, layer=layer).to_crs("EPSG:4326")
    source = tmp_path / f"communities.{fmt}"
    frame.to_file(source)
    project = new_project(tmp_path)
    recorder = _Recorder()
    result = build_grid(project, source, mode="lattice", progress=recorder)
    assert result.communities == len(frame)
    assert any("geographic CRS" in m and "EPSG:4547" in m for m in recorder.messages)
    communities = store.read_table(project, store.COMMUNITY)
    original = gpd.read_file(path, layer=layer)
    assert abs(communities.area.sum() - original.area.sum()) < 1.0
    assert store.read_active_cells(project).crs.to_epsg() == 4547


@pytest.mark.parametrize("mode", ["lattice", "barrier"])
def test_cells_share_vertices_across_community_boundaries(tmp_path, district, mode):
    """One clean coverage: every edge is shared by two cells or lies on the district outline."""
    from urban_grid_plugin.grid.check import _unmatched_edges

    project, _ = _build(tmp_path, district, mode)
    cells = store.read_active_cells(project)
    outline = shapely.boundary(shapely.union_all(store.read_table(project, store.COMMUNITY).geometry.values))
    _, start, end = _unmatched_edges(np.asarray(cells.geometry.values, dtype=object))
    assert len(start) > 0
    for points in (start, end, (start + end) / 2):
        assert shapely.dwithin(outline, shapely.points(points), 1e-4).all()
