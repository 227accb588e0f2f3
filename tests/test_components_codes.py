"""Code tables for both profiles, extensions, ID generation and the fast cell lookup."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from urban_grid_plugin.codes import load_classes
from urban_grid_plugin.components import ids
from urban_grid_plugin.components.assign import CellIndex, assign_geometries
from urban_grid_plugin.errors import InputError


def test_component_tables_of_both_profiles():
    c13 = load_classes("component", "2013")
    c26 = load_classes("component", "2026")
    assert len(c13) == 83 and len(c26) == 153
    assert c13["0101"].name == "上水井盖" and c13["0101"].major_name == "公用设施"
    assert c26["01001"].name == "供水井盖" and c26["01001"].minor == "001"
    assert all(len(code) == 4 for code in c13) and all(len(code) == 5 for code in c26)
    assert c13["0211"].geometry == "line" and c13["0405"].geometry == "polygon"
    assert c13["0305"].geometry == "point" and c26["02001"].geometry == "polygon"
    assert all(k.department and not k.local for k in c26.values())
    assert {k.major for k in c13.values()} == {"01", "02", "03", "04", "05", "06"}


def test_extension_adds_local_classes_and_overrides_departments(tmp_path):
    ext = tmp_path / "local.csv"
    ext.write_text("code,major,major_name,name,geometry,department,note\n"
                   "0101,,,,,姑苏区水务局,\n"
                   "0199,01,公用设施,智能井盖（自定义）,point,城管局,local\n", encoding="utf-8")
    classes = load_classes("component", "2013", ext)
    assert classes["0101"].department == "姑苏区水务局" and classes["0101"].name == "上水井盖"
    assert classes["0199"].local and classes["0199"].geometry == "point"


@pytest.mark.parametrize("row, field", [
    ("01011,01,x,name,point,d,", "code"),
    ("0299,01,x,name,point,d,", "major"),
    ("0298,02,x,name,cube,d,", "geometry"),
    ("0297,02,x,name,,d,", "geometry"),
])
def test_bad_extension_rows_name_row_and_field(tmp_path, row, field):
    ext = tmp_path / "bad.csv"
    ext.write_text("code,major,major_name,name,geometry,department,note\n" + row + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_classes("component", "2013", ext)
    assert info.value.row == 2 and info.value.field == field and "bad.csv" in str(info.value)


def test_unknown_kind_or_profile():
    with pytest.raises(InputError):
        load_classes("component", "2019")
    with pytest.raises(InputError):
        load_classes("thing", "2013")


def test_issue_ids_continue_after_registry_and_kept_ids():
    prefixes = np.array(["3205080101", "3205080101", "3205080305"], dtype=object)
    issued, changed = ids.issue_ids(prefixes, {"3205080101": 7}, np.array(["3205080305000100"], dtype=object))
    assert list(issued) == ["3205080101000008", "3205080101000009", "3205080305000101"]
    assert changed == {"3205080101": 9, "3205080305": 101}
    with pytest.raises(InputError, match="exhausted"):
        ids.issue_ids(np.array(["3205080101"], dtype=object), {"3205080101": ids.MAX_SERIAL})


def test_id_problems():
    frame = pd.DataFrame({"id": ["3205080101000001", "320508010100001", "3205080102000001", None,
                                 "3205080101000000"],
                          "cls": ["0101"] * 5})
    problems = ids.id_problems(frame["id"], frame["cls"], "2013")
    assert problems[0] == "" and problems[3] == ""
    assert "16 digits" in problems[1]
    assert "does not match" in problems[2]
    assert "000000" in problems[4]


def test_cell_index_matches_exact_point_in_polygon():
    rng = np.random.default_rng(3)
    # irregular cells with a hole and a cell filling it
    outer = shapely.Polygon([(0, 0), (300, 0), (300, 300), (0, 300)], holes=[[(100, 100), (200, 100), (200, 200), (100, 200)]])
    cells = np.array([
        outer,
        shapely.box(100, 100, 200, 200),
        shapely.Polygon([(300, 0), (520, 40), (480, 300), (300, 300)]),
        shapely.Polygon([(0, 300), (480, 300), (250, 520)]),
    ])
    index = CellIndex(cells)
    x = rng.uniform(-50, 600, 20000)
    y = rng.uniform(-50, 600, 20000)
    got = index.locate_xy(x, y)
    tree = shapely.STRtree(cells)
    pi, ci = tree.query(shapely.points(x, y), predicate="within")
    want = np.full(len(x), -1)
    want[pi] = ci
    assert (got == want).mean() > 0.9999  # only points exactly on an edge may differ
    assert (got == -1).sum() == (want == -1).sum()
    assert got[np.argmin(np.hypot(x - 150, y - 150))] == 1  # in the hole: the inner cell
    lines = np.array([shapely.LineString([(250, 250), (290, 250), (450, 250)])])
    assert list(assign_geometries(index, lines)) == [2]
