"""Counts and indicators for the report and the dock panel, straight from the GeoPackage.

Plain SQL over the project file (SQLite), grouped by street, so a city of four
million components is counted without loading a single geometry.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field

import pandas as pd

#: States in which a case no longer runs against its deadline (see cases.schema).
STOPPED_STATES = ("closed", "voided", "suspended")
COMPONENT_TABLES = ("component_point", "component_line", "component_polygon", "component")


@dataclass
class ProjectStats:
    """Per-street counts and district-wide case series."""

    streets: pd.DataFrame  # one row per street_code, counts and indicator columns
    cases_by_state: pd.Series  # state -> count
    cases_by_month: pd.Series  # 'YYYY-MM' -> count of cases created
    totals: dict[str, float] = field(default_factory=dict)


def _tables(con: sqlite3.Connection) -> set[str]:
    return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table','view')")}


def _columns(con: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in con.execute(f'PRAGMA table_info("{table}")')}


def _count_by_street(con, table: str, where: str = "1=1") -> pd.Series:
    rows = con.execute(
        f'SELECT street_code, count(*) FROM "{table}" WHERE {where} GROUP BY street_code').fetchall()
    return pd.Series(dict(rows), dtype="int64")


def overdue_mask(cases: pd.DataFrame, now: dt.datetime | None = None) -> pd.Series:
    """True for running cases whose deadline has passed."""
    if cases.empty:
        return pd.Series([], dtype=bool)
    now = now or dt.datetime.now(dt.UTC)
    deadline = pd.to_datetime(cases["deadline"], utc=True, errors="coerce", format="ISO8601")
    return deadline.notna() & (deadline < pd.Timestamp(now)) & ~cases["state"].isin(STOPPED_STATES)


def read_cases(project_path: str | os.PathLike) -> pd.DataFrame:
    """The case table's attributes (no geometry); empty when there is no case layer yet."""
    cols = ["case_id", "street_code", "state", "deadline", "created_at", "source", "department"]
    with closing(sqlite3.connect(os.fspath(project_path))) as con:
        if "ug_case" not in _tables(con):
            return pd.DataFrame(columns=cols)
        have = [c for c in cols if c in _columns(con, "ug_case")]
        return pd.read_sql_query(f'SELECT {", ".join(have)} FROM ug_case', con)


def project_stats(project_path: str | os.PathLike, now: dt.datetime | None = None) -> ProjectStats:
    """Count grid cells, components, candidates and cases per street; case indicators."""
    path = os.fspath(project_path)
    with closing(sqlite3.connect(path)) as con:
        tables = _tables(con)
        if "street" in tables:
            streets = pd.read_sql_query(
                "SELECT street_code, name FROM street ORDER BY street_code", con)
        elif "community" in tables:
            streets = pd.read_sql_query(
                "SELECT DISTINCT street_code, street_code AS name FROM community ORDER BY 1", con)
        else:
            streets = pd.DataFrame(columns=["street_code", "name"])
        streets = streets.set_index("street_code")
        if "grid_cell" in tables:
            streets["cells"] = _count_by_street(con, "grid_cell", "term_date IS NULL")
        components = pd.Series(dtype="int64")
        for table in COMPONENT_TABLES:
            if table in tables and "street_code" in _columns(con, table):
                components = components.add(_count_by_street(con, table), fill_value=0)
        streets["components"] = components
        if "change_candidate" in tables:
            for status in ("new", "permitted", "known", "rebuilt"):
                streets[f"cand_{status}"] = _count_by_street(
                    con, "change_candidate", f"list_status = '{status}'")
            streets["cand_confirmed"] = _count_by_street(
                con, "change_candidate", "review_status = 'confirmed'")
    cases = read_cases(path)
    overdue = overdue_mask(cases, now)
    by_street = cases.groupby("street_code")
    streets["cases"] = by_street.size()
    streets["closed"] = cases[cases.state == "closed"].groupby("street_code").size()
    streets["open"] = cases[~cases.state.isin(("closed", "voided"))].groupby("street_code").size()
    streets["overdue"] = cases[overdue].groupby("street_code").size()
    streets = streets.fillna(0)
    for col in streets.columns:
        if col != "name":
            streets[col] = streets[col].astype("int64")
    streets["closure_rate"] = _rate(streets.get("closed"), streets.get("cases"))
    streets["overdue_rate"] = _rate(streets.get("overdue"), streets.get("open"))
    by_state = cases["state"].value_counts() if not cases.empty else pd.Series(dtype="int64")
    months = cases["created_at"].dropna().astype(str).str.slice(0, 7)
    by_month = months.value_counts().sort_index() if not months.empty else pd.Series(dtype="int64")
    totals = {col: float(streets[col].sum()) for col in streets.columns
              if col not in ("name", "closure_rate", "overdue_rate")}
    totals["closure_rate"] = _safe_div(totals.get("closed", 0), totals.get("cases", 0))
    totals["overdue_rate"] = _safe_div(totals.get("overdue", 0), totals.get("open", 0))
    return ProjectStats(streets.reset_index(), by_state, by_month, totals)


def _safe_div(a: float, b: float) -> float:
    return float(a) / float(b) if b else 0.0


def _rate(num: pd.Series | None, den: pd.Series | None) -> pd.Series:
    if num is None or den is None:
        return pd.Series(dtype="float64")
    return (num / den.where(den > 0)).fillna(0.0)


def overdue_count(project_path: str | os.PathLike, now: dt.datetime | None = None) -> int | None:
    """Number of overdue cases, or None when the project has no case layer."""
    with closing(sqlite3.connect(os.fspath(project_path))) as con:
        if "ug_case" not in _tables(con):
            return None
    return int(overdue_mask(read_cases(project_path), now).sum())
