"""Grid history: retire with a date, never reuse codes, keep unchanged codes, record reasons."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from grid_helpers import new_project, small_district

from urban_grid_plugin.cli import main
from urban_grid_plugin.errors import InputError
from urban_grid_plugin.grid import store
from urban_grid_plugin.grid.build import build_grid
from urban_grid_plugin.grid.edit import edit_cell, retire_cells


@pytest.fixture()
def built(tmp_path):
    small_district(tmp_path)
    project = new_project(tmp_path)
    build_grid(project, tmp_path / "district.gpkg", layer="community", mode="lattice", date="2026-01-01")
    return project, tmp_path / "district.gpkg"


def test_retired_cell_gets_a_termination_date_and_reason(built):
    project, _ = built
    code = store.read_active_cells(project)["code"].iloc[3]
    assert retire_cells(project, [code], reason="拆迁合并", date="2026-06-30") == 1
    cells = store.read_cells(project)
    row = cells[cells["code"] == code].iloc[0]
    assert row["term_date"] == "2026-06-30"
    assert code not in set(store.read_active_cells(project)["code"])
    history = store.read_table(project, store.GRID_HISTORY)
    last = history.iloc[-1]
    assert (last["code"], last["action"], last["reason"], last["date"]) == (code, "retired", "拆迁合并", "2026-06-30")
    with pytest.raises(InputError, match="already retired"):
        retire_cells(project, [code], reason="again")
    with pytest.raises(InputError, match="reason"):
        retire_cells(project, [store.read_active_cells(project)["code"].iloc[0]], reason=" ")


def _move_boundary(source, target, code: str):
    """Rewrite the communities with ``code`` trimmed at its east side and its neighbour grown."""
    frame = gpd.read_file(source, layer="community")
    i = frame.index[frame["community_code"] == code][0]
    g = frame.geometry[i]
    minx, miny, maxx, maxy = g.bounds
    cut = shapely.box(maxx - 60, miny - 1, maxx + 1, maxy + 1)
    piece = g.intersection(cut)
    frame.loc[i, "geometry"] = g.difference(cut)
    neighbours = [j for j in frame.index if j != i and frame.geometry[j].intersection(piece).length > 0]
    j = neighbours[0]
    frame.loc[j, "geometry"] = frame.geometry[j].union(piece)
    frame.to_file(target, layer="community", driver="GPKG")
    return frame.loc[j, "community_code"]


def test_regrid_keeps_codes_of_unchanged_cells_and_never_reuses_codes(built, tmp_path):
    project, district = built
    before = store.read_active_cells(project)
    changed = before["community_code"].iloc[0]
    neighbour = _move_boundary(district, tmp_path / "moved.gpkg", changed)
    result = build_grid(project, tmp_path / "moved.gpkg", layer="community", mode="lattice", date="2026-03-01",
                        reason="社区边界调整")
    after = store.read_active_cells(project)
    untouched = before[~before["community_code"].isin([changed, neighbour])]
    kept = after.merge(untouched[["code"]], on="code")
    assert len(kept) == len(untouched)  # every cell of an unchanged community keeps its code
    assert result.kept >= len(untouched) and result.created > 0 and result.retired > 0
    all_cells = store.read_cells(project)
    assert all_cells["code"].is_unique  # retired codes stay and are never handed out again
    retired = all_cells[all_cells["term_date"] == "2026-03-01"]
    assert len(retired) == result.retired
    new = all_cells[all_cells["init_date"] == "2026-03-01"]
    for community, group in new.groupby("community_code"):
        old_max = before[before["community_code"] == community]["code"].str[-3:].astype(int).max()
        assert group["code"].str[-3:].astype(int).min() > old_max
    history = store.read_table(project, store.GRID_HISTORY)
    latest = history[history["date"] == "2026-03-01"]
    assert set(latest["action"]) == {"created", "retired", "kept"}
    assert (latest["reason"] == "社区边界调整").all()


def test_building_twice_changes_nothing(built):
    project, district = built
    before = store.read_cells(project)
    result = build_grid(project, district, layer="community", mode="lattice", date="2026-02-01")
    assert result.created == 0 and result.retired == 0 and result.kept == len(before)
    after = store.read_cells(project)
    assert list(after["code"]) == list(before["code"])


def test_edits_are_recorded_with_their_reason(built, capsys):
    project, _ = built
    cells = store.read_active_cells(project)
    code = cells["code"].iloc[0]
    edit_cell(project, code, reason="设立学校", note="第一中学", date="2026-04-01")
    row = store.read_cells(project).set_index("code").loc[code]
    assert row["note"] == "第一中学"
    smaller = shapely.box(*cells.geometry.iloc[0].bounds).intersection(cells.geometry.iloc[0]).buffer(-1)
    assert main(["-q", "grid", "edit", str(project), code, "--reason", "修测", "--geometry-wkt", smaller.wkt]) == 0
    assert abs(store.read_cells(project).set_index("code").loc[code, "area_m2"] - smaller.area) < 1e-6
    assert main(["-q", "grid", "history", str(project), "--code", code]) == 0
    out = capsys.readouterr().out
    assert "设立学校" in out and "修测" in out and "edited" in out
    outside = shapely.affinity.translate(smaller, 5000, 0)
    with pytest.raises(InputError, match="crosses its community"):
        edit_cell(project, code, reason="x", geometry=outside)
