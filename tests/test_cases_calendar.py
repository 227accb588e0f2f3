"""Working calendar and time-limit table: deadlines across lunch, weekends, holidays, 调休."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from urban_grid_plugin.cases.calendar import WorkingCalendar
from urban_grid_plugin.cases.deadlines import TimeLimitTable, is_overdue, read_time_limits
from urban_grid_plugin.codes import load_classes
from urban_grid_plugin.errors import InputError

TZ = ZoneInfo("Asia/Shanghai")


def t(y, m, d, hh, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return WorkingCalendar.load()


def test_default_calendar_shape(cal):
    assert cal.minutes_per_day == 450  # 08:30-12:00 + 13:30-17:30
    assert not cal.is_working_day(dt.date(2026, 10, 1))  # 国庆节
    assert cal.is_working_day(dt.date(2026, 10, 10))  # Saturday 调休上班
    assert not cal.is_working_day(dt.date(2026, 11, 28))  # ordinary Saturday
    assert cal.is_working_day(dt.date(2026, 11, 27))  # ordinary Friday


def test_working_hours_skip_lunch(cal):
    # 11:00 + 2 工作时: one hour before lunch, one after 13:30.
    assert cal.add(t(2026, 11, 25, 11), 2, "工作时") == t(2026, 11, 25, 14, 30)
    # A start during lunch begins counting at 13:30.
    assert cal.add(t(2026, 11, 25, 12, 30), 1, "工作时") == t(2026, 11, 25, 14, 30)
    # Ending exactly at 12:00 stays at 12:00, not 13:30.
    assert cal.add(t(2026, 11, 25, 11), 1, "工作时") == t(2026, 11, 25, 12)


def test_working_hours_skip_nights_and_weekends(cal):
    # Friday 17:00 + 1 工作时: 30 min on Friday, 30 min on Monday.
    assert cal.add(t(2026, 11, 27, 17), 1, "工作时") == t(2026, 11, 30, 9)
    # Saturday start counts from Monday 08:30.
    assert cal.add(t(2026, 11, 28, 10), 1, "工作时") == t(2026, 11, 30, 9, 30)


def test_holidays_and_makeup_workdays(cal):
    # Wed 2026-09-30 16:00 + 2 工作时: 1.5 h on Sep 30, then 国庆 Oct 1-7 off,
    # Thu Oct 8 08:30 + 0.5 h.
    assert cal.add(t(2026, 9, 30, 16), 2, "工作时") == t(2026, 10, 8, 9)
    # Friday 2026-02-13 17:00 + 1 工作时 ends on Saturday Feb 14, a 调休 workday.
    assert cal.add(t(2026, 2, 13, 17), 1, "工作时") == t(2026, 2, 14, 9)


def test_working_days_and_natural_hours(cal):
    # 1 工作日 = one day's working time: Tuesday 10:00 -> Wednesday 10:00.
    assert cal.add(t(2026, 11, 24, 10), 1, "工作日") == t(2026, 11, 25, 10)
    # 5 工作日 from Wednesday 10:00 -> next Wednesday 10:00 (weekend skipped).
    assert cal.add(t(2026, 11, 25, 10), 5, "工作日") == t(2026, 12, 2, 10)
    # 自然时 ignores the calendar entirely.
    assert cal.add(t(2026, 9, 30, 16), 24, "自然时") == t(2026, 10, 1, 16)
    assert cal.add(t(2026, 11, 27, 23), 2, "自然时") == t(2026, 11, 28, 1)


def test_working_minutes_between_inverse(cal):
    start = t(2026, 11, 27, 11)
    end = cal.add(start, 6, "工作时")
    assert cal.working_minutes_between(start, end) == 360
    assert cal.working_minutes_between(end, start) == -360


def test_naive_and_utc_inputs_are_localised(cal):
    utc = dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC)  # 11:00 in Shanghai
    assert cal.add(utc, 2, "工作时") == t(2026, 11, 25, 14, 30)
    assert cal.add(dt.datetime(2026, 11, 25, 11), 2, "工作时") == t(2026, 11, 25, 14, 30)


def test_custom_calendar_from_file(tmp_path):
    path = tmp_path / "cal.json"
    path.write_text(json.dumps({
        "timezone": "Asia/Shanghai", "working_hours": [["09:00", "17:00"]], "weekend": ["Sun"],
        "holidays": [{"from": "2026-12-01", "to": "2026-12-02", "name": "local"}],
        "workdays": [{"date": "2026-12-06", "name": "Sunday make-up"}],
    }), encoding="utf-8")
    cal = WorkingCalendar.load(path)
    assert cal.minutes_per_day == 480
    # Saturday works here; Monday 16:00 + 2 h -> Tuesday is a holiday -> Thursday 10:00.
    assert cal.add(t(2026, 11, 30, 16), 2, "工作时") == t(2026, 12, 3, 10)
    assert cal.is_working_day(dt.date(2026, 12, 5)) and cal.is_working_day(dt.date(2026, 12, 6))


@pytest.mark.parametrize("data, field", [
    ({"working_hours": [["12:00", "08:00"]]}, "working_hours"),
    ({"working_hours": [["08:00", "12:00"], ["11:00", "13:00"]]}, "working_hours"),
    ({"working_hours": [["8h", "12:00"]]}, "working_hours"),
    ({"weekend": ["Saturday"]}, "weekend"),
    ({"holidays": [{"from": "2026-13-01"}]}, "holidays"),
    ({"holidays": [{"from": "2026-10-01"}], "workdays": [{"date": "2026-10-01"}]}, "workdays"),
    ({"timezone": "Mars/Base"}, "timezone"),
])
def test_bad_calendar_names_the_field(tmp_path, data, field):
    base = {"working_hours": [["08:30", "12:00"]]}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**base, **data}), encoding="utf-8")
    with pytest.raises(InputError) as err:
        WorkingCalendar.load(path)
    assert err.value.field == field
    assert str(path) in str(err.value)


def test_time_limit_lookup_precedence():
    table = TimeLimitTable.load()
    assert table.limit("2013", "0101", "normal", "处置").label == "20 工作日"
    assert table.limit("2013", "0101", "urgent", "handle").label == "4 工作时"
    assert table.limit("2013", "0405", "normal", "处置").label == "24 自然时"  # major 04 row
    assert table.limit("2013", "0201", "normal", "处置").label == "5 工作日"  # '*' default
    assert table.limit("2026", "06001", "normal", "处置").label == "20 工作日"
    assert table.limit("2026", "09009", "urgent", "立案").label == "1 工作时"
    # 2013 event and component codes overlap: 0101 is 私搭乱建 and 上水井盖.
    assert table.limit("2013", "0101", "normal", "处置", kind="component").label == "2 工作日"
    assert table.limit("2013", "0305", "normal", "处置", kind="component").label == "5 工作日"


def test_deadline_on_calendar():
    table = TimeLimitTable.load()
    # 暴露垃圾 4 工作时 from Friday 15:00: 2.5 h on Friday, 1.5 h from Monday 08:30.
    got = table.deadline(t(2026, 11, 27, 15), "2013", "0102", "normal", "处置")
    assert got == t(2026, 11, 30, 10)


def test_packaged_time_limits_reference_real_classes():
    for row in read_time_limits(_default_path()):
        if row.class_code == "*":
            continue
        profiles = ("2013", "2026") if row.profile == "*" else (row.profile,)
        kinds = ("event", "component") if row.kind == "*" else (row.kind,)
        for profile, kind in ((p, k) for p in profiles for k in kinds):
            codes = load_classes(kind, profile)
            if len(row.class_code) == 2:
                assert any(c.startswith(row.class_code) for c in codes), row
            else:
                assert row.class_code in codes, row


def _default_path():
    from urban_grid_plugin.cases.deadlines import default_time_limits_path

    return default_time_limits_path()


def test_bad_time_limit_row_is_named(tmp_path):
    path = tmp_path / "tl.csv"
    path.write_text("profile,class_code,urgency,stage,value,unit,note\n"
                    "*,*,*,处置,5,工作日,\n"
                    "*,*,*,处置,3,工作周,\n", encoding="utf-8")  # no kind column: '*'

    with pytest.raises(InputError) as err:
        TimeLimitTable.load(path)
    assert err.value.row == 3 and err.value.field == "unit"


def test_missing_limit_is_a_clear_error(tmp_path):
    path = tmp_path / "tl.csv"
    path.write_text("profile,class_code,urgency,stage,value,unit\n*,*,*,处置,5,工作日\n", encoding="utf-8")
    with pytest.raises(InputError, match="no time limit for stage file 立案"):
        TimeLimitTable.load(path).limit("2013", "0101", "normal", "立案")


def test_overdue_rule():
    assert is_overdue("2026-11-25T10:00:00+08:00", t(2026, 11, 25, 10, 1), "handling")
    assert not is_overdue("2026-11-25T10:00:00+08:00", t(2026, 11, 25, 10), "handling")
    assert not is_overdue("2026-11-25T10:00:00+08:00", t(2026, 11, 26, 10), "suspended")
    assert not is_overdue(None, t(2026, 11, 26, 10), "closed")
