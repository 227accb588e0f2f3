"""Case store and closed-loop workflow on a real project GeoPackage."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from zoneinfo import ZoneInfo

import pyogrio
import pytest

from urban_grid_plugin.cases.schema import STATES, TABLES
from urban_grid_plugin.cases.store import CaseStore
from urban_grid_plugin.cases.workflow import ACTIONS, WorkflowError, allowed_actions
from urban_grid_plugin.errors import InputError
from urban_grid_plugin.project import create_project

TZ = ZoneInfo("Asia/Shanghai")
START = dt.datetime(2026, 11, 23, 9, 0, tzinfo=TZ)  # a Monday

#: Actions that reach each state from a new case.
PATH_TO = {
    "collecting": [],
    "filed": ["file"],
    "voided": ["void"],
    "dispatched": ["file", "dispatch"],
    "handling": ["file", "dispatch", "accept"],
    "postponed": ["file", "dispatch", "accept", "postpone"],
    "returned": ["file", "dispatch", "return"],
    "suspended": ["file", "dispatch", "accept", "suspend"],
    "feedback": ["file", "dispatch", "accept", "feedback"],
    "verifying": ["file", "dispatch", "accept", "feedback", "send_check"],
    "closed": ["file", "dispatch", "accept", "feedback", "send_check", "check", "close"],
    "rework": ["file", "dispatch", "accept", "feedback", "send_check", "check", "rework"],
}


class Clock:
    """Strictly increasing step times, 10 minutes apart."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(minutes=10)
        return self.now


def step(store, case_id, action, clock, **kw):
    act = ACTIONS[action]
    assignee = kw.pop("assignee", None)
    if act.needs_assignee and assignee is None:
        assignee = "环境卫生管理处" if action == "dispatch" else "监督员甲"
    return store.transition(case_id, action, actor=f"{act.roles[0]}-1", role=act.roles[0],
                            at=clock(), assignee=assignee, **kw)


def new_case(store, clock, **spec):
    spec = {"class_code": "0102", "x": 500050.0, "y": 3450050.0, "description": "暴露垃圾", **spec}
    return store.create_case(actor="监督员甲", role="inspector", at=clock(), **spec)


def reach(store, state, clock, **spec):
    case = new_case(store, clock, **spec)
    for action in PATH_TO[state]:
        step(store, case["case_id"], action, clock)
    assert store.get(case["case_id"])["state"] == state
    return case["case_id"]


def dump(path) -> dict:
    """Every case-table row, to prove an illegal action changed nothing."""
    with sqlite3.connect(path) as con:
        return {t.name: sorted(map(tuple, con.execute(f"SELECT * FROM {t.name}"))) for t in TABLES}


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "project.gpkg"
    create_project(path, profile="2013", district_code="320508")
    return CaseStore(path)


def test_tables_are_real_geopackage_layers(store):
    layers = dict(pyogrio.list_layers(store.project))
    assert layers["ug_case"] == "Point"
    assert layers["ug_case_event"] is None and layers["ug_case_attachment"] is None
    case = new_case(store, Clock())
    frame = pyogrio.read_dataframe(store.project, layer="ug_case")
    assert frame.crs.to_epsg() == 4547
    assert frame.loc[0, "case_id"] == case["case_id"]
    assert (frame.geometry.x[0], frame.geometry.y[0]) == (500050.0, 3450050.0)
    # Re-opening is idempotent.
    CaseStore(store.project)
    assert len(store.list_cases()) == 1


def test_new_case_fields_and_first_event(store):
    clock = Clock()
    case = new_case(store, clock, urgency="urgent")
    assert case["state"] == "collecting"
    assert case["department"] == "环境卫生管理处"  # the class's default department
    assert case["deadline"] == "2026-11-23T10:10:00+08:00"  # 立案 1 工作时 from 09:10
    (event,) = store.events(case["case_id"])
    assert (event["from_state"], event["to_state"], event["action"]) == (None, "collecting", "report")
    assert (event["actor"], event["role"], event["at"]) == ("监督员甲", "inspector", "2026-11-23T09:10:00+08:00")


@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_legal_transition(store, action):
    """Each action from each state it allows lands in its target state and is logged."""
    act = ACTIONS[action]
    for from_state in act.from_states:
        clock = Clock()
        case_id = reach(store, from_state, clock)
        if action in ("close", "rework"):
            step(store, case_id, "check", clock)  # 结案 / 返工 follow the on-site check
        before = len(store.events(case_id))
        event = step(store, case_id, action, clock)
        case = store.get(case_id)
        assert case["state"] == (act.to_state or from_state)
        events = store.events(case_id)
        assert len(events) == before + 1
        assert events[-1]["event_id"] == event["event_id"]
        assert (events[-1]["from_state"], events[-1]["to_state"]) == (from_state, case["state"])
        assert events[-1]["role"] == act.roles[0] and events[-1]["actor"] == f"{act.roles[0]}-1"
        assert case["updated_at"] == events[-1]["at"]


def test_illegal_transitions_are_refused_and_change_nothing(store):
    clock = Clock()
    cases = {state: reach(store, state, clock) for state in STATES}
    snapshot = dump(store.project)
    refused = 0
    for state, case_id in cases.items():
        for action, act in ACTIONS.items():
            if state in act.from_states:
                continue
            with pytest.raises(WorkflowError) as err:
                step(store, case_id, action, clock)
            message = str(err.value)
            assert case_id in message and STATES[state] in message and act.label in message
            allowed = allowed_actions(state)
            for a in allowed:
                assert a.label in message
            if not allowed:
                assert "final" in message
            refused += 1
    assert refused > 100
    assert dump(store.project) == snapshot


def test_close_and_rework_wait_for_the_check(store):
    clock = Clock()
    case_id = reach(store, "verifying", clock)
    snapshot = dump(store.project)
    for action in ("close", "rework"):
        with pytest.raises(WorkflowError, match="waits for the inspector's on-site check"):
            step(store, case_id, action, clock)
    assert dump(store.project) == snapshot
    step(store, case_id, "check", clock)
    step(store, case_id, "rework", clock)
    for action in ("dispatch", "feedback", "send_check"):
        step(store, case_id, action, clock)
    # The earlier check belongs to the earlier 核查派发: a new check is needed.
    with pytest.raises(WorkflowError, match="on-site check"):
        step(store, case_id, "close", clock)
    step(store, case_id, "check", clock)
    step(store, case_id, "close", clock)
    assert store.get(case_id)["state"] == "closed"


def test_wrong_role_is_refused(store):
    clock = Clock()
    case_id = reach(store, "collecting", clock)
    snapshot = dump(store.project)
    with pytest.raises(WorkflowError, match="needs role shift_leader 值班长; 张三 acts as dispatcher 派遣员"):
        store.transition(case_id, "file", actor="张三", role="dispatcher", at=clock())
    with pytest.raises(WorkflowError, match="unknown role"):
        store.transition(case_id, "file", actor="张三", role="boss", at=clock())
    with pytest.raises(WorkflowError, match="cannot report"):
        store.create_case(actor="x", role="department", class_code="0102", x=1, y=2)
    assert dump(store.project) == snapshot


def test_chinese_action_labels_and_time_order(store):
    clock = Clock()
    case_id = reach(store, "collecting", clock)
    store.transition(case_id, "立案", actor="值班长甲", role="shift_leader", at=clock())
    assert store.get(case_id)["state"] == "filed"
    with pytest.raises(WorkflowError, match="earlier than its last step"):
        store.transition(case_id, "派遣", actor="d", role="dispatcher", at=START)
    with pytest.raises(InputError, match="no case"):
        store.transition("nope", "file", actor="x", role="shift_leader")


def test_full_loop_with_postpone_return_suspend_and_rework(store):
    clock = Clock()
    case = new_case(store, clock, class_code="0101")  # 私搭乱建: 处置 20 工作日
    cid = case["case_id"]
    for action in ("file", "dispatch"):
        step(store, cid, action, clock)
    step(store, cid, "return", clock, note="不属于本部门")  # 回退
    step(store, cid, "dispatch", clock, assignee="城管执法大队")
    assert store.get(cid)["department"] == "城管执法大队"
    step(store, cid, "accept", clock)
    due = store.get(cid)["deadline"]
    step(store, cid, "postpone", clock, extension=(3, "工作日"))  # 延期
    assert store.get(cid)["deadline"] > due
    step(store, cid, "suspend", clock)  # 挂账
    assert store.get(cid)["deadline"] is None
    step(store, cid, "resume", clock)
    for action in ("feedback", "send_check", "check", "rework", "dispatch", "accept", "feedback",
                   "send_check", "check", "close"):
        step(store, cid, action, clock)
    events = store.events(cid)
    assert [e["to_state"] for e in events] == [
        "collecting", "filed", "dispatched", "returned", "dispatched", "handling", "postponed",
        "suspended", "handling", "feedback", "verifying", "verifying", "rework", "dispatched",
        "handling", "feedback", "verifying", "verifying", "closed"]
    assert store.get(cid)["state"] == "closed" and store.get(cid)["deadline"] is None


def test_postpone_default_extension_adds_one_handling_limit(store):
    clock = Clock()
    cid = reach(store, "handling", clock)  # 0102: 处置 4 工作时
    due = store.get(cid)["deadline"]
    step(store, cid, "postpone", clock)
    cal = store.calendar
    from urban_grid_plugin.cases.calendar import parse_ts

    assert parse_ts(store.get(cid)["deadline"]) == cal.add(parse_ts(due), 4, "工作时")


def test_hotline_case_goes_through_confirmation(store):
    clock = Clock()
    case = store.create_case(actor="受理员甲", role="call_taker", at=clock(), class_code="0503",
                             x=1.0, y=2.0, source="hotline")
    assert case["deadline"] == "2026-11-23T10:10:00+08:00"  # 核实派发 1 工作时
    with pytest.raises(WorkflowError, match="needs an assignee"):
        store.transition(case["case_id"], "send_confirm", actor="受理员甲", role="call_taker", at=clock())
    step(store, case["case_id"], "send_confirm", clock, assignee="监督员乙")
    step(store, case["case_id"], "confirm", clock)
    step(store, case["case_id"], "file", clock)
    assert [e["action"] for e in store.events(case["case_id"])] == ["report", "send_confirm", "confirm", "file"]


def test_create_validates_codes_before_writing(store):
    snapshot = dump(store.project)
    good = {"class_code": "0102", "x": 1.0, "y": 2.0}
    bad_specs = [
        ({"class_code": "9999"}, "class_code"),
        ({"class_code": "06001"}, "class_code"),  # a 2026 code in a 2013 project
        ({"kind": "component", "class_code": "0101", "component_id": "32050801010000"}, "component_id"),
        ({"kind": "component", "class_code": "0101", "component_id": "3205080102000001"}, "component_id"),
        ({"source": "twitter"}, "source"),
        ({"urgency": "asap"}, "urgency"),
        ({"x": None}, "x"),
    ]
    for patch, field in bad_specs:
        with pytest.raises(InputError) as err:
            store.create_cases([good, {**good, **patch}], actor="a", role="inspector")
        assert err.value.row == 2 and err.value.field == field
    assert dump(store.project) == snapshot
    comp = store.create_case(actor="a", role="inspector", kind="component", class_code="0101",
                             component_id="3205080101000001", x=1.0, y=2.0, at=START)
    assert comp["department"] == "供水公司"
    store.transition(comp["case_id"], "file", actor="l", role="shift_leader", at=START)
    event = store.transition(comp["case_id"], "dispatch", actor="d", role="dispatcher", at=START)
    # A component 0101 (上水井盖) gets the component limit, not event 0101 私搭乱建's 20 工作日.
    assert event["deadline"] == "2026-11-25T09:00:00+08:00"  # 2 工作日
    other = store.create_case(actor="a", role="inspector", profile="2026", class_code="06001", x=1.0, y=2.0)
    assert other["profile"] == "2026"


def test_attachments_round_trip_and_detect_corruption(store, tmp_path):
    clock = Clock()
    cid = reach(store, "collecting", clock)
    photo = bytes(range(256)) * 40
    path = tmp_path / "现场照片.jpg"
    path.write_bytes(photo)
    row = store.add_attachment(cid, path)
    store.add_attachment(cid, b"%PDF-1.4 fake", name="report.pdf")
    assert row["mime"] == "image/jpeg" and row["sha256"] == hashlib.sha256(photo).hexdigest()
    got = store.attachments(cid)
    assert [a["name"] for a in got] == ["现场照片.jpg", "report.pdf"]
    assert got[0]["data"] == photo and got[1]["mime"] == "application/pdf"
    with pytest.raises(InputError, match="no case"):
        store.add_attachment("missing", b"x", name="x.png")
    with sqlite3.connect(store.project) as con:
        con.execute("UPDATE ug_case_attachment SET data = X'00' WHERE name = 'report.pdf'")
    with pytest.raises(InputError, match="corrupt"):
        store.attachments(cid)


def test_overdue_flags_follow_deadlines(store):
    clock = Clock()
    late = reach(store, "handling", clock)  # 处置 4 工作时 from ~09:30
    parked = reach(store, "suspended", clock)
    done = reach(store, "closed", clock)
    deadline = store.get(late)["deadline"]
    assert [c["case_id"] for c in store.flag_overdue("2026-11-23T12:00:00+08:00")] == []
    overdue = store.flag_overdue("2026-11-24T12:00:00+08:00")
    assert [c["case_id"] for c in overdue] == [late]
    assert store.get(late)["overdue"] == 1 and store.get(late)["deadline"] == deadline
    assert store.get(parked)["overdue"] == 0 and store.get(done)["overdue"] == 0
    # Re-evaluating at an earlier time clears the flag again.
    assert store.flag_overdue("2026-11-23T12:00:00+08:00") == []
    assert store.get(late)["overdue"] == 0


def test_transition_many_is_all_or_nothing(store):
    clock = Clock()
    a, b = reach(store, "collecting", clock), reach(store, "filed", clock)
    snapshot = dump(store.project)
    when = clock()
    steps = [dict(case_id=a, action="file", actor="l", role="shift_leader", at=when),
             dict(case_id=b, action="file", actor="l", role="shift_leader", at=when)]  # b is filed already
    with pytest.raises(WorkflowError, match=b):
        store.transition_many(steps)
    assert dump(store.project) == snapshot
    steps[1]["action"] = "dispatch"
    steps[1]["role"] = "dispatcher"
    events = store.transition_many(steps)
    assert [e["to_state"] for e in events] == ["filed", "dispatched"]
    assert store.get(a)["state"] == "filed" and store.get(b)["state"] == "dispatched"


def test_project_carries_its_own_calendar_and_time_limits(store, tmp_path, capsys):
    import json

    from urban_grid_plugin.cli import main

    cal = tmp_path / "city.json"
    cal.write_text(json.dumps({"name": "夜班城市", "working_hours": [["09:00", "17:00"]], "weekend": ["Sun"]}),
                   encoding="utf-8")
    limits = tmp_path / "limits.csv"
    limits.write_text("profile,class_code,urgency,stage,value,unit\n*,*,*,立案,3,工作时\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("profile,class_code,urgency,stage,value,unit\n*,*,*,立案,-3,工作时\n", encoding="utf-8")
    assert main(["-q", "cases", "config", str(store.project), "--time-limits", str(bad)]) == 1
    assert "row 2" in capsys.readouterr().err
    assert main(["-q", "cases", "config", str(store.project), "--calendar", str(cal),
                 "--time-limits", str(limits)]) == 0
    assert "09:00-17:00" in capsys.readouterr().out
    fresh = CaseStore(store.project)
    # Saturday 16:00 + 3 工作时 with 09:00-17:00 and only Sunday off: 1 h Sat, 2 h Monday.
    case = fresh.create_case(actor="a", role="inspector", class_code="0102", x=1.0, y=2.0,
                             at=dt.datetime(2026, 11, 28, 16, tzinfo=TZ))
    assert case["deadline"] == "2026-11-30T11:00:00+08:00"
