"""Per-class time limits (工作时限) and deadlines on the working calendar.

The time-limit table ``data/codes/time_limits.csv`` (city-editable) has the header::

    profile,kind,class_code,urgency,stage,value,unit,note

- ``profile``: ``2013``, ``2026`` or ``*``.
- ``kind``: ``event`` (事件), ``component`` (部件) or ``*``; the column may be left out
  (then ``*``). Needed because 2013 event and component codes overlap (0101 is both
  私搭乱建 and 上水井盖).
- ``class_code``: a full class code (``0101``), a 2-digit major class (``04``) or ``*``.
- ``urgency``: ``normal``, ``urgent`` or ``*``.
- ``stage``: one of :data:`STAGES` (Chinese label or ASCII id).
- ``value`` + ``unit``: the limit, unit ∈ 工作时 / 工作日 / 自然时 (自然日 also accepted).

The most specific row wins: exact class over major class over ``*``, then exact
urgency over ``*``, then exact kind over ``*``, then exact profile over ``*``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass
from importlib import resources

from ..errors import InputError
from .calendar import UNITS, WorkingCalendar, format_ts, parse_ts

#: Workflow stages that carry a time limit: ASCII id -> Chinese label.
STAGES: dict[str, str] = {
    "dispatch_confirm": "核实派发",
    "confirm": "核实",
    "file": "立案",
    "dispatch": "派遣",
    "handle": "处置",
    "dispatch_check": "核查派发",
    "check": "核查",
    "close": "结案",
}
_STAGE_BY_LABEL = {v: k for k, v in STAGES.items()}


@dataclass(frozen=True)
class TimeLimit:
    """One row of the time-limit table."""

    profile: str
    class_code: str
    urgency: str
    stage: str
    value: float
    unit: str
    note: str = ""
    kind: str = "*"

    @property
    def label(self) -> str:
        """Human form, e.g. ``'5 工作日'``."""
        value = int(self.value) if float(self.value).is_integer() else self.value
        return f"{value} {self.unit}"


def default_time_limits_path() -> str:
    """Path of the packaged time-limit table."""
    return str(resources.files(__package__.rsplit(".", 1)[0]).joinpath("data", "codes", "time_limits.csv"))


class TimeLimitTable:
    """The time-limit table plus a calendar: answers "when is this stage due?"."""

    def __init__(self, limits: list[TimeLimit], calendar: WorkingCalendar | None = None) -> None:
        self.limits = limits
        self.calendar = calendar or WorkingCalendar.load()
        self._index: dict[tuple[str, str, str, str, str], TimeLimit] = {
            (t.profile, t.kind, t.class_code, t.urgency, t.stage): t for t in limits
        }

    @classmethod
    def load(
        cls, path: str | os.PathLike | None = None, calendar: WorkingCalendar | None = None
    ) -> TimeLimitTable:
        """Read the CSV (the packaged table when ``path`` is None)."""
        path = os.fspath(path) if path is not None else default_time_limits_path()
        return cls(read_time_limits(path), calendar)

    def limit(self, profile: str, class_code: str, urgency: str, stage: str, kind: str = "event") -> TimeLimit:
        """The most specific time limit for a class (of ``kind``), urgency and stage."""
        stage = stage_id(stage)
        for c in (class_code, class_code[:2], "*"):
            for u in (urgency, "*"):
                for k in (kind, "*"):
                    for p in (profile, "*"):
                        hit = self._index.get((p, k, c, u, stage))
                        if hit is not None:
                            return hit
        raise InputError(
            f"no time limit for stage {stage} {STAGES[stage]}, class {class_code}, urgency {urgency}; "
            "add a row (or a '*' default) to the time-limit table"
        )

    def deadline(
        self, start: dt.datetime | str, profile: str, class_code: str, urgency: str, stage: str,
        kind: str = "event",
    ) -> dt.datetime:
        """Deadline of ``stage`` for a case whose stage began at ``start``."""
        limit = self.limit(profile, class_code, urgency, stage, kind)
        return self.calendar.add(parse_ts(start), limit.value, limit.unit)

    def deadline_text(self, start, profile, class_code, urgency, stage, kind: str = "event") -> str:
        """:meth:`deadline` as a stored ISO timestamp."""
        return format_ts(self.deadline(start, profile, class_code, urgency, stage, kind))


def stage_id(stage: str) -> str:
    """ASCII stage id for an id or a Chinese label."""
    if stage in STAGES:
        return stage
    if stage in _STAGE_BY_LABEL:
        return _STAGE_BY_LABEL[stage]
    raise InputError(f"unknown stage {stage!r}; use one of {', '.join(STAGES.values())}", field="stage")


def read_time_limits(path: str, text: str | None = None) -> list[TimeLimit]:
    """Read and validate a time-limit CSV (or its ``text``); errors name the row and field.

    ``path`` names the source in error messages when ``text`` is given.
    """
    if text is None and not os.path.exists(path):
        raise InputError("time-limit table not found", source=path)
    out: list[TimeLimit] = []
    seen: set[tuple[str, str, str, str, str]] = set()
    fh_cm = io.StringIO(text.lstrip("\ufeff")) if text is not None else open(path, newline="", encoding="utf-8-sig")
    with fh_cm as fh:
        reader = csv.DictReader(fh)
        missing = {"class_code", "stage", "value", "unit"} - set(reader.fieldnames or [])
        if missing:
            raise InputError(f"time-limit table lacks column(s) {', '.join(sorted(missing))}", source=path, row=1)
        for row_no, raw in enumerate(reader, start=2):
            row = {k: (v or "").strip() for k, v in raw.items() if k}
            if not any(row.values()):
                continue
            profile = row.get("profile") or "*"
            if profile not in ("2013", "2026", "*"):
                raise InputError(f"bad profile {profile!r}", source=path, row=row_no, field="profile")
            kind = row.get("kind") or "*"
            if kind not in ("event", "component", "*"):
                raise InputError(f"bad kind {kind!r}; use event, component or *", source=path,
                                 row=row_no, field="kind")
            code = row["class_code"] or "*"
            if code != "*" and not code.isdigit():
                raise InputError(f"bad class code {code!r}", source=path, row=row_no, field="class_code")
            urgency = row.get("urgency") or "*"
            if urgency not in ("normal", "urgent", "*"):
                raise InputError(f"bad urgency {urgency!r}; use normal, urgent or *", source=path,
                                 row=row_no, field="urgency")
            try:
                stage = stage_id(row["stage"])
            except InputError as exc:
                raise InputError(exc.message, source=path, row=row_no, field="stage") from exc
            try:
                value = float(row["value"])
            except ValueError as exc:
                raise InputError(f"bad value {row['value']!r}", source=path, row=row_no, field="value") from exc
            if value < 0:
                raise InputError("a time limit cannot be negative", source=path, row=row_no, field="value")
            if row["unit"] not in UNITS:
                raise InputError(f"bad unit {row['unit']!r}; use one of {', '.join(UNITS)}", source=path,
                                 row=row_no, field="unit")
            key = (profile, kind, code, urgency, stage)
            if key in seen:
                raise InputError("duplicate time-limit row", source=path, row=row_no, field="class_code")
            seen.add(key)
            out.append(TimeLimit(profile, code, urgency, stage, value, row["unit"], row.get("note", ""), kind))
    return out


def is_overdue(deadline: str | dt.datetime | None, now: dt.datetime | str, state: str) -> bool:
    """True when a case in ``state`` has passed its current-stage ``deadline`` at ``now``."""
    from .schema import NO_DEADLINE_STATES

    if deadline is None or deadline == "" or state in NO_DEADLINE_STATES:
        return False
    return parse_ts(now) > parse_ts(deadline)
