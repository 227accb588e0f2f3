"""Indicator formulas (standards §5) on a hand-computed fixture of four cases.

Calendar: default (08:30–12:00, 13:30–17:30). Class 0102 暴露垃圾: 处置 4 工作时;
立案 / 派遣 / 核查派发 / 结案 1 工作时; 核实 / 核查 2 工作时. Monday 2026-11-23.

Case A (street S1, grid g1): reported 09:00 by 监督员 insp1; filed 09:30 (due 10:00, on
time); dispatched 10:00 to 环卫 (due 10:30, on time; 处置 due 15:30); feedback 15:00
(on time); 核查派发 16:10 by ct1 (due 16:00: late); checked 16:30 by insp1 (due Tue
09:10, on time); closed 17:00 (due 17:30, on time).

Case B (S1, g1): reported 09:00 by insp1; filed 11:00 (due 10:00: late); dispatched 11:10
(due 12:00; 处置 due 16:40); feedback Tue 09:00 (late); 核查派发 Tue 09:10 (due 10:00);
checked Tue 11:30 (due 11:10: late); 返工 Tue 11:40; re-dispatched Tue 13:30 (due 14:10;
处置 due Tue 17:30); feedback Tue 17:00 (on time); 核查派发 Tue 17:10 (due Wed 09:00);
checked Wed 09:00 (due Wed 10:10); closed Wed 09:30 (due 10:00).

Case C (S2, g2): reported 09:00 by insp2; filed 09:10; dispatched 09:20 to X部门 (due
10:10), 回退 10:00; dispatched 10:10 to 环卫 (due 11:00; 处置 due 15:40); never handled.

Case D (S2, g2): hotline, registered 09:00 by ct1 (核实派发 due 10:00); sent to insp2
09:30 (核实 due 11:30); confirmed 11:00; filed 11:30 (due 12:00); voided 11:40.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from urban_grid_plugin.cases.indicators import compute_indicators, format_table, grade, write_chart
from urban_grid_plugin.cases.store import CaseStore
from urban_grid_plugin.project import create_project

TZ = ZoneInfo("Asia/Shanghai")


def at(day: int, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hh, mm, tzinfo=TZ)


HANDLER = "环境卫生管理处"


def build(store: CaseStore) -> dict[str, str]:
    def case(actor, role, grid, street, source="inspector"):
        return store.create_case(actor=actor, role=role, at=at(23, 9), class_code="0102", x=1.0, y=1.0,
                                 source=source, grid_code=grid, street_code=street)["case_id"]

    def go(cid, action, role, actor, when, **kw):
        store.transition(cid, action, actor=actor, role=role, at=when, **kw)

    a = case("insp1", "inspector", "g1", "S1")
    go(a, "file", "shift_leader", "leader1", at(23, 9, 30))
    go(a, "dispatch", "dispatcher", "disp1", at(23, 10), assignee=HANDLER)
    go(a, "accept", "department", HANDLER, at(23, 10, 5))
    go(a, "feedback", "department", HANDLER, at(23, 15))
    go(a, "send_check", "call_taker", "ct1", at(23, 16, 10), assignee="insp1")
    go(a, "check", "inspector", "insp1", at(23, 16, 30))
    go(a, "close", "shift_leader", "leader1", at(23, 17))

    b = case("insp1", "inspector", "g1", "S1")
    go(b, "file", "shift_leader", "leader1", at(23, 11))
    go(b, "dispatch", "dispatcher", "disp1", at(23, 11, 10), assignee=HANDLER)
    go(b, "feedback", "department", HANDLER, at(24, 9))
    go(b, "send_check", "call_taker", "ct1", at(24, 9, 10), assignee="insp1")
    go(b, "check", "inspector", "insp1", at(24, 11, 30))
    go(b, "rework", "shift_leader", "leader1", at(24, 11, 40))
    go(b, "dispatch", "dispatcher", "disp1", at(24, 13, 30), assignee=HANDLER)
    go(b, "feedback", "department", HANDLER, at(24, 17))
    go(b, "send_check", "call_taker", "ct1", at(24, 17, 10), assignee="insp1")
    go(b, "check", "inspector", "insp1", at(25, 9))
    go(b, "close", "shift_leader", "leader1", at(25, 9, 30))

    c = case("insp2", "inspector", "g2", "S2")
    go(c, "file", "shift_leader", "leader1", at(23, 9, 10))
    go(c, "dispatch", "dispatcher", "disp1", at(23, 9, 20), assignee="X部门")
    go(c, "return", "dispatcher", "disp1", at(23, 10))
    go(c, "dispatch", "dispatcher", "disp1", at(23, 10, 10), assignee=HANDLER)

    d = case("ct1", "call_taker", "g2", "S2", source="hotline")
    go(d, "send_confirm", "call_taker", "ct1", at(23, 9, 30), assignee="insp2")
    go(d, "confirm", "inspector", "insp2", at(23, 11))
    go(d, "file", "shift_leader", "leader1", at(23, 11, 30))
    go(d, "void", "shift_leader", "leader1", at(23, 11, 40))
    return {"A": a, "B": b, "C": c, "D": d}


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    path = tmp_path_factory.mktemp("ind") / "project.gpkg"
    create_project(path, profile="2013")
    store = CaseStore(path)
    build(store)
    return compute_indicators(store.list_cases(), store.events(), at(23, 0), at(30, 0), now=at(30, 0))


def by(rows, key):
    return {r[key]: r for r in rows}


def test_fixture_deadlines_are_as_hand_computed(tmp_path):
    path = tmp_path / "p.gpkg"
    create_project(path)
    store = CaseStore(path)
    ids = build(store)
    c = store.get(ids["C"])
    assert c["state"] == "dispatched" and c["deadline"] == "2026-11-23T15:40:00+08:00"
    a_events = {e["action"]: e for e in store.events(ids["A"])}
    assert a_events["dispatch"]["deadline"] == "2026-11-23T15:30:00+08:00"
    assert a_events["send_check"]["deadline"] == "2026-11-24T09:10:00+08:00"


def test_department(tables):
    rows = by(tables["department"], "专业部门")
    assert set(rows) == {HANDLER}  # X部门's only task was returned (回退): not due
    r = rows[HANDLER]
    assert (r["立案数"], r["应处置数"], r["处置数"], r["按时处置数"], r["超时未处置数"]) == (3, 4, 3, 2, 1)
    assert (r["应结案数"], r["结案数"], r["返工数"]) == (4, 2, 1)
    assert (r["按期处置率"], r["结案率"], r["返工率"]) == (50.0, 50.0, 33.33)
    # 10 (立案数 ≤ 50) + 50×30% + 50×30% + (100 − 33.33)×30% = 60
    assert r["综合指标值"] == 60.0 and r["等级"] == "C"


def test_street(tables):
    rows = by(tables["street"], "街道")
    s1, s2 = rows["S1"], rows["S2"]
    assert (s1["立案数"], s1["应处置数"], s1["按时处置数"], s1["结案数"], s1["返工数"]) == (2, 3, 2, 2, 1)
    assert (s1["按期处置率"], s1["结案率"], s1["返工率"], s1["综合指标值"], s1["等级"]) == (
        66.67, 66.67, 33.33, 70.0, "C")
    assert (s2["应处置数"], s2["超时未处置数"], s2["按期处置率"], s2["返工率"]) == (1, 1, 0.0, None)
    assert (s2["综合指标值"], s2["等级"]) == (40.0, "D")


def test_inspectors(tables):
    rows = by(tables["inspector"], "监督员")
    i1, i2 = rows["insp1"], rows["insp2"]
    assert (i1["上报数"], i1["有效上报数"], i1["有效上报率"]) == (2, 2, 100.0)
    assert (i1["应核查数"], i1["按时核查数"], i1["按时核查率"], i1["按时核实率"]) == (3, 2, 66.67, None)
    assert (i1["漏报数"], i1["漏报率"]) == (0, 0.0)
    assert (i1["综合指标值"], i1["等级"]) == (93.33, "A")
    assert (i2["上报数"], i2["有效上报数"], i2["应核实数"], i2["按时核实率"]) == (1, 1, 1, 100.0)
    # The hotline case D was filed in insp2's cell g2: one 漏报 out of 2 filed there.
    assert (i2["漏报数"], i2["立案数"], i2["漏报率"]) == (1, 2, 50.0)
    assert (i2["综合指标值"], i2["等级"]) == (90.0, "A")


def test_call_taker_uses_the_check_rate_for_the_35_percent_term(tables):
    r = by(tables["call_taker"], "受理员")["ct1"]
    assert (r["受理数"], r["受理数分值"], r["核实按时派发率"], r["核查按时派发率"]) == (3, 0.0, 100.0, 66.67)
    # 0×25% + 100×40% + 66.67×35% = 63.33 (the repo bug would give 0 + 40 + 35 = 75).
    assert (r["综合指标值"], r["等级"]) == (63.33, "C")


def test_shift_leader(tables):
    r = by(tables["shift_leader"], "值班长")["leader1"]
    assert (r["立案数"], r["按时立案数"], r["作废数"], r["结案数"], r["按时结案数"]) == (4, 3, 1, 2, 2)
    assert (r["按时立案率"], r["准确立案率"], r["按时结案率"]) == (75.0, 75.0, 100.0)
    assert (r["综合指标值"], r["等级"]) == (83.75, "B")


def test_dispatcher(tables):
    r = by(tables["dispatcher"], "派遣员")["disp1"]
    assert (r["应派遣数"], r["按时派遣数"], r["返工数"]) == (5, 5, 1)
    assert (r["按时派遣率"], r["准确派遣率"], r["综合指标值"], r["等级"]) == (100.0, 80.0, 72.0, "C")


def test_period_excludes_outside_events(tmp_path):
    path = tmp_path / "p.gpkg"
    create_project(path)
    store = CaseStore(path)
    build(store)
    later = compute_indicators(store.list_cases(), store.events(), at(24, 0), at(30, 0))
    # Only B's re-dispatch (Tue) counts for the department.
    r = later["department"][0]
    assert (r["立案数"], r["应处置数"], r["按时处置数"], r["结案数"]) == (1, 1, 1, 1)
    assert by(later["shift_leader"], "值班长")["leader1"]["立案数"] == 0


def test_grades():
    assert [grade(s) for s in (95, 90, 89.99, 75, 60, 40, 39.9)] == ["A", "A", "B", "B", "C", "D", "E"]


def test_table_text_and_chart(tables, tmp_path):
    text = format_table(tables["department"])
    assert "按期处置率" in text and HANDLER in text
    png = write_chart(tables, tmp_path / "chart.png", title="绩效评价")
    data = open(png, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_nothing_due_yet_gets_no_grade():
    events = [
        {"case_id": "c", "action": "report", "role": "inspector", "actor": "i", "at": "2026-11-23T09:00:00+08:00",
         "deadline": "2026-11-23T10:00:00+08:00"},
        {"case_id": "c", "action": "dispatch", "role": "dispatcher", "actor": "d", "assignee": "部门",
         "at": "2026-11-23T09:30:00+08:00", "deadline": "2026-12-23T09:30:00+08:00"},
    ]
    cases = [{"case_id": "c", "street_code": "S", "source": "inspector", "grid_code": "g"}]
    out = compute_indicators(cases, events, at(23, 0), at(30, 0))
    (row,) = out["department"]
    assert (row["立案数"], row["应处置数"], row["按期处置率"], row["综合指标值"], row["等级"]) == (1, 0, None, None, "")
