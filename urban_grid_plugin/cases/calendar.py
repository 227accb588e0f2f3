"""Working calendar (工作日历): working hours, weekends, holidays and 调休 make-up workdays.

Case time limits are counted in 工作时 (working hours) and 工作日 (working days) on a
calendar the city maintains as a JSON file (``data/calendar_default.json`` is the
packaged default)::

    {"timezone": "Asia/Shanghai",
     "working_hours": [["08:30", "12:00"], ["13:30", "17:30"]],
     "weekend": ["Sat", "Sun"],
     "holidays": [{"from": "2026-10-01", "to": "2026-10-07", "name": "国庆节"}],
     "workdays": [{"date": "2026-10-10", "name": "国庆节调休上班"}]}

A make-up workday (调休上班) is a working day even on a weekend; a holiday is never a
working day. One 工作日 is one full day's working time, so "1 工作日" from Tuesday
10:00 ends Wednesday 10:00 (or the next working day at the same working-time offset).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import InputError

UNITS = {"工作时": "working_hours", "工作日": "working_days", "自然时": "natural_hours", "自然日": "natural_days"}
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MAX_SEARCH_DAYS = 3660  # a calendar without a working day for ten years is broken


def default_calendar_path() -> str:
    """Path of the packaged default calendar JSON."""
    return str(resources.files(__package__.rsplit(".", 1)[0]).joinpath("data", "calendar_default.json"))


@dataclass
class WorkingCalendar:
    """A city's working calendar; all arithmetic happens in its ``timezone``."""

    timezone: str = "Asia/Shanghai"
    working_hours: list[tuple[dt.time, dt.time]] = field(
        default_factory=lambda: [(dt.time(8, 30), dt.time(12, 0)), (dt.time(13, 30), dt.time(17, 30))]
    )
    weekend: frozenset[int] = frozenset({5, 6})
    holidays: dict[dt.date, str] = field(default_factory=dict)
    workdays: dict[dt.date, str] = field(default_factory=dict)
    name: str = ""

    def __post_init__(self) -> None:
        try:
            self.tz = ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InputError(f"unknown timezone {self.timezone!r}", field="timezone") from exc
        spans = sorted(self.working_hours)
        if not spans:
            raise InputError("calendar has no working hours", field="working_hours")
        for (a, b), nxt in zip(spans, spans[1:] + [None], strict=True):
            if not a < b or (nxt is not None and nxt[0] < b):
                raise InputError(f"working hours {a:%H:%M}-{b:%H:%M} are empty or overlap", field="working_hours")
        self.working_hours = spans

    # --- loading -------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | os.PathLike | None = None) -> WorkingCalendar:
        """Read a calendar JSON (the packaged default when ``path`` is None)."""
        path = os.fspath(path) if path is not None else default_calendar_path()
        if not os.path.exists(path):
            raise InputError("calendar file not found", source=path)
        try:
            with open(path, encoding="utf-8-sig") as fh:
                data = json.load(fh)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"calendar is not valid UTF-8 JSON: {exc}", source=path) from exc
        try:
            return cls.from_dict(data)
        except InputError as exc:
            raise InputError(exc.message, source=path, row=exc.row, field=exc.field) from exc

    @classmethod
    def from_dict(cls, data: dict) -> WorkingCalendar:
        """Build a calendar from the JSON structure described in the module docstring."""
        hours = []
        for i, span in enumerate(data.get("working_hours", []), start=1):
            try:
                a, b = (dt.time.fromisoformat(s) for s in span)
            except (TypeError, ValueError) as exc:
                raise InputError(f"bad working-hours span {span!r}; use [\"08:30\", \"12:00\"]",
                                 row=i, field="working_hours") from exc
            hours.append((a, b))
        weekend = set()
        for name in data.get("weekend", ["Sat", "Sun"]):
            if name not in _DAY_NAMES:
                raise InputError(f"unknown weekday {name!r}; use {', '.join(_DAY_NAMES)}", field="weekend")
            weekend.add(_DAY_NAMES.index(name))
        holidays: dict[dt.date, str] = {}
        for i, item in enumerate(data.get("holidays", []), start=1):
            first = _date(item.get("from") or item.get("date"), i, "holidays")
            last = _date(item.get("to") or item.get("from") or item.get("date"), i, "holidays")
            if last < first:
                raise InputError("holiday ends before it starts", row=i, field="holidays")
            day = first
            while day <= last:
                holidays[day] = item.get("name", "")
                day += dt.timedelta(days=1)
        workdays = {
            _date(item.get("date"), i, "workdays"): item.get("name", "")
            for i, item in enumerate(data.get("workdays", []), start=1)
        }
        clash = sorted(set(holidays) & set(workdays))
        if clash:
            raise InputError(f"{clash[0]} is both a holiday and a make-up workday", field="workdays")
        return cls(
            timezone=data.get("timezone", "Asia/Shanghai"),
            working_hours=hours,
            weekend=frozenset(weekend),
            holidays=holidays,
            workdays=workdays,
            name=data.get("name", ""),
        )

    # --- queries -------------------------------------------------------------------

    @property
    def minutes_per_day(self) -> float:
        """Working minutes in one working day (the length of one 工作日)."""
        return sum(_minutes(a, b) for a, b in self.working_hours)

    def is_working_day(self, day: dt.date) -> bool:
        """True for a normal weekday or a 调休 make-up day, False for weekends and holidays."""
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() not in self.weekend

    def localize(self, when: dt.datetime) -> dt.datetime:
        """``when`` in the calendar's timezone (naive values are taken as local time)."""
        if when.tzinfo is None:
            return when.replace(tzinfo=self.tz)
        return when.astimezone(self.tz)

    def _spans(self, day: dt.date):
        """Working spans of ``day`` as aware datetimes."""
        if not self.is_working_day(day):
            return []
        return [
            (dt.datetime.combine(day, a, self.tz), dt.datetime.combine(day, b, self.tz))
            for a, b in self.working_hours
        ]

    def add_working_minutes(self, start: dt.datetime, minutes: float) -> dt.datetime:
        """The instant ``minutes`` of working time after ``start``.

        Time outside working hours (lunch, nights, weekends, holidays) does not count;
        a start outside working hours begins at the next working span.
        """
        if minutes < 0:
            raise InputError("a time limit cannot be negative")
        current = self.localize(start)
        remaining = dt.timedelta(minutes=minutes)
        day = current.date()
        for _ in range(_MAX_SEARCH_DAYS):
            for a, b in self._spans(day):
                if b <= current:
                    continue
                begin = max(a, current)
                if begin + remaining <= b:
                    return begin + remaining
                remaining -= b - begin
                current = b
            day += dt.timedelta(days=1)
        raise InputError("calendar has no working day within ten years of the start")

    def working_minutes_between(self, start: dt.datetime, end: dt.datetime) -> float:
        """Working minutes from ``start`` to ``end`` (negative if ``end`` is earlier)."""
        a, b = self.localize(start), self.localize(end)
        if b < a:
            return -self.working_minutes_between(b, a)
        total = dt.timedelta()
        day = a.date()
        while day <= b.date():
            for s, e in self._spans(day):
                lo, hi = max(s, a), min(e, b)
                if hi > lo:
                    total += hi - lo
            day += dt.timedelta(days=1)
        return total.total_seconds() / 60.0

    def add(self, start: dt.datetime, value: float, unit: str) -> dt.datetime:
        """``start`` plus a time limit of ``value`` ``unit`` (工作时, 工作日, 自然时, 自然日)."""
        kind = UNITS.get(unit, unit)
        if kind == "working_hours":
            return self.add_working_minutes(start, value * 60)
        if kind == "working_days":
            return self.add_working_minutes(start, value * self.minutes_per_day)
        if kind == "natural_hours":
            return self.localize(start) + dt.timedelta(hours=value)
        if kind == "natural_days":
            return self.localize(start) + dt.timedelta(days=value)
        raise InputError(f"unknown time-limit unit {unit!r}; use one of {', '.join(UNITS)}", field="unit")


def _date(text, row: int, fieldname: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(text))
    except ValueError as exc:
        raise InputError(f"bad date {text!r}; use YYYY-MM-DD", row=row, field=fieldname) from exc


def _minutes(a: dt.time, b: dt.time) -> float:
    return (dt.datetime.combine(dt.date.min, b) - dt.datetime.combine(dt.date.min, a)).total_seconds() / 60


def parse_ts(text: str | dt.datetime | None) -> dt.datetime | None:
    """Parse a stored ISO timestamp (naive values are read as Asia/Shanghai local time)."""
    if text is None or text == "":
        return None
    value = text if isinstance(text, dt.datetime) else dt.datetime.fromisoformat(str(text))
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    return value


def format_ts(value: dt.datetime) -> str:
    """The stored form of a timestamp: ISO 8601, seconds, with UTC offset."""
    return value.isoformat(timespec="seconds")
