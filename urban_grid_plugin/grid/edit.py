"""Retire and edit stored cells, recording each change with its reason."""

from __future__ import annotations

import os

import pandas as pd

from . import store
from .history import check_date, edit, retire


def _append_history(project_path, rows: pd.DataFrame) -> pd.DataFrame:
    old = store.read_table(project_path, store.GRID_HISTORY)
    if old is None or not len(old):
        return rows
    return pd.concat([old[store.HISTORY_COLUMNS], rows], ignore_index=True)


def retire_cells(project_path: str | os.PathLike, codes: list[str], *, reason: str, date: str | None = None) -> int:
    """Retire active cells (终止日期 = ``date``); returns how many were retired."""
    date = check_date(date)
    cells = store.read_cells(project_path)
    cells, history = retire(cells, list(codes), date, reason)
    store.write_tables(project_path, {store.GRID_CELL: cells, store.GRID_HISTORY: _append_history(project_path, history)})
    return len(history)


def edit_cell(project_path: str | os.PathLike, code: str, *, reason: str, note: str | None = None,
              geometry=None, date: str | None = None) -> None:
    """Change one active cell's note or geometry and record why."""
    date = check_date(date)
    cells = store.read_cells(project_path)
    community = None
    if geometry is not None:
        communities = store.read_table(project_path, store.COMMUNITY)
        match = cells.loc[cells["code"] == code, "community_code"]
        if communities is not None and len(match):
            hit = communities[communities["community_code"] == match.iloc[0]]
            community = hit.geometry.iloc[0] if len(hit) else None
    cells, history = edit(cells, code, date, reason, note=note, geometry=geometry, community_geometry=community)
    store.write_tables(project_path, {store.GRID_CELL: cells, store.GRID_HISTORY: _append_history(project_path, history)})
