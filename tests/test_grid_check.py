"""Grid check: every planted problem is found with the right code and location."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from grid_helpers import new_project

from urban_grid_plugin.cli import main
from urban_grid_plugin.demo.district import write_demo_district
from urban_grid_plugin.grid import store
from urban_grid_plugin.grid.build import build_grid
from urban_grid_plugin.grid.check import check_cells, check_project


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("check")
    district = write_demo_district(folder / "district.gpkg", nx=2, ny=2, size=(2400.0, 1600.0))
    project = new_project(folder)
    build_grid(project, folder / "district.gpkg", layer="community", mode="lattice", date="2026-11-01")
    return project, store.read_active_cells(project), store.read_table(project, store.COMMUNITY), district


def test_own_grid_has_no_problems(built):
    project, cells, communities, _ = built
    assert len(check_cells(cells, communities)) == 0
    # Ring orientation is not a problem: clockwise and counter-clockwise cells mix.
    flipped = cells.set_geometry(shapely.reverse(cells.geometry.values))
    mixed = cells.copy()
    mixed.loc[::2, "geometry"] = flipped.geometry[::2]
    assert len(check_cells(mixed, communities)) == 0


def _interior(cells, communities, count, exclude=()):
    """Full square cells well inside their community, far from each other."""
    comm = dict(zip(communities["community_code"], communities.geometry.values, strict=True))
    chosen = []
    for i, row in cells.iterrows():
        g = row.geometry
        if i in exclude or abs(g.area - 10_000) > 1e-6:
            continue
        if not comm[row["community_code"]].buffer(-120).contains(g):
            continue
        if all(g.distance(cells.geometry[j]) > 250 for j in chosen + list(exclude)):
            chosen.append(i)
        if len(chosen) == count:
            return chosen
    raise AssertionError("not enough interior cells to plant problems in")


def _problems_of(problems, kind):
    return problems[problems["problem"] == kind]


def test_each_planted_problem_is_found_with_code_and_location(built):
    _, cells, communities, _ = built
    cells = cells.copy()
    gap_i, overlap_i, dup_i, prefix_i, invalid_i, outlier_i = _interior(cells, communities, 6)
    geoms = cells.geometry.values.copy()

    # A gap: a hole punched into one cell.
    gap_cell = geoms[gap_i]
    hole = shapely.box(*gap_cell.centroid.buffer(10).bounds)
    geoms[gap_i] = gap_cell.difference(hole)
    # An overlap: one cell grown 5 m into its neighbours.
    overlap_cell = geoms[overlap_i]
    geoms[overlap_i] = overlap_cell.buffer(5, join_style="mitre")
    # Invalid geometry: a bow-tie with its crossing at the cell centre.
    x0, y0, x1, y1 = geoms[invalid_i].bounds
    geoms[invalid_i] = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])
    # An area outlier: a cell far larger than 10,000 m², with its neighbours removed.
    big = geoms[outlier_i].buffer(100, join_style="mitre")
    covered = [j for j in range(len(geoms)) if j != outlier_i and shapely.area(shapely.intersection(big, geoms[j])) > 1]
    assert all(cells["community_code"].iloc[j] == cells["community_code"].iloc[outlier_i] for j in covered)
    geoms[outlier_i] = big
    cells = cells.set_geometry(geoms)
    # A duplicate code and a code whose prefix is not the community's.
    dup_code = cells.loc[dup_i, "code"]
    twin = cells.index[(cells["community_code"] == cells.loc[dup_i, "community_code"]) & (cells.index != dup_i)][0]
    cells.loc[twin, "code"] = dup_code
    other_comm = next(c for c in communities["community_code"] if c != cells.loc[prefix_i, "community_code"])
    cells.loc[prefix_i, "code"] = other_comm + "999"
    cells = cells.drop(index=covered).reset_index(drop=True)

    problems = check_cells(cells, communities, target_area=10_000)

    gaps = _problems_of(problems, "gap")
    in_hole = gaps[[hole.contains(p) for p in gaps.geometry]]
    assert len(in_hole) == 1
    assert in_hole["code"].iloc[0] == built[1].loc[gap_i, "code"]
    assert abs(in_hole["area_m2"].iloc[0] - hole.area) < 1
    # The bow-tie leaves two triangles of its old square uncovered: gaps as well.
    bowtie_square = built[1].geometry[invalid_i]
    assert all(bowtie_square.contains(p) for p in gaps.drop(index=in_hole.index).geometry)

    overlap_code = built[1].loc[overlap_i, "code"]
    overlaps = _problems_of(problems, "overlap")
    assert len(overlaps) >= 4
    assert all(overlap_code in (a, b) for a, b in zip(overlaps["code"], overlaps["other_code"], strict=True))
    grown = overlap_cell.buffer(5, join_style="mitre")
    assert all(grown.buffer(0.01).contains(p) and not overlap_cell.buffer(-0.01).contains(p) for p in overlaps.geometry)

    dups = _problems_of(problems, "duplicate_code")
    assert sorted(dups["code"]) == [dup_code, dup_code]

    prefix = _problems_of(problems, "prefix_mismatch")
    assert list(prefix["code"]) == [other_comm + "999"]
    assert built[1].geometry[prefix_i].contains(prefix.geometry.iloc[0])

    invalid = _problems_of(problems, "invalid_geometry")
    assert list(invalid["code"]) == [built[1].loc[invalid_i, "code"]]
    centre = built[1].geometry[invalid_i].centroid
    assert invalid.geometry.iloc[0].distance(centre) < 0.01
    assert "Self-intersection" in invalid["detail"].iloc[0]

    outliers = _problems_of(problems, "area_outlier")
    assert built[1].loc[outlier_i, "code"] in set(outliers["code"])


def test_cells_outside_or_crossing_their_community(built):
    _, cells, communities, _ = built
    cells = cells.copy()
    comm = communities.set_index("community_code").geometry
    # A boundary cell shifted 30 m outward crosses its community.
    edge = next(i for i, r in cells.iterrows()
                if i > 0 and r.geometry.area > 9_000 and r.geometry.intersects(comm[r["community_code"]].boundary))
    g = cells.geometry[edge]
    community = comm[cells.loc[edge, "community_code"]]
    shifted = None
    for dx, dy in ((30, 0), (-30, 0), (0, 30), (0, -30)):
        candidate = shapely.affinity.translate(g, dx, dy)
        if candidate.difference(community).area > 10:
            shifted = candidate
            break
    assert shifted is not None
    far = shapely.affinity.translate(cells.geometry[0], 50_000, 0)
    cells = cells.set_geometry(np.array([shifted if i == edge else far if i == 0 else x
                                         for i, x in enumerate(cells.geometry.values)], dtype=object))
    problems = check_cells(cells, communities)
    crossing = _problems_of(problems, "crosses_community")
    assert cells.loc[edge, "code"] in set(crossing["code"])
    row = crossing[crossing["code"] == cells.loc[edge, "code"]].iloc[0]
    assert not community.contains(row.geometry) and shifted.buffer(0.01).contains(row.geometry)
    outside = _problems_of(problems, "outside_community")
    assert list(outside["code"]) == [cells.loc[0, "code"]]
    assert far.contains(outside.geometry.iloc[0])


def test_check_stores_a_layer_and_lists_problems(built, tmp_path, capsys):
    project, _, _, _ = built
    copy = tmp_path / "copy.gpkg"
    copy.write_bytes(project.read_bytes())
    cells = store.read_cells(copy)
    victim = cells["code"].iloc[5]
    cells = cells[cells["code"] != victim]
    store.write_tables(copy, {store.GRID_CELL: cells})
    assert main(["-q", "grid", "check", str(copy)]) == 0
    out = capsys.readouterr().out
    assert "gap" in out and "缝隙" in out and "x=" in out
    layer = store.read_table(copy, store.GRID_CHECK)
    assert list(layer["problem"]) == ["gap"]
    assert layer.geom_type.iloc[0] == "Point"
    assert abs(layer["area_m2"].iloc[0] - built[1].geometry[5].area) < 1
    assert main(["-q", "grid", "check", str(copy), "--strict"]) == 3
    again = check_project(copy, write=False)
    assert isinstance(again, pd.DataFrame) and len(again) == 1
