"""Shared helpers of the grid tests (small districts, fast)."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np
import shapely

from urban_grid_plugin.demo.district import write_demo_district
from urban_grid_plugin.project import create_project


def small_district(folder: Path) -> dict[str, str]:
    """Four communities in two streets, about 60 cells of 10,000 m²."""
    return write_demo_district(folder / "district.gpkg", nx=2, ny=2, size=(1000.0, 600.0))


def new_project(folder: Path, name: str = "project.gpkg") -> Path:
    path = folder / name
    create_project(path)
    return path


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def table_rows(path: Path) -> dict[str, list]:
    """Every row of every table, to compare a project before and after."""
    with sqlite3.connect(path) as con:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {n: sorted(map(repr, con.execute(f'SELECT * FROM "{n}"'))) for n in names}


def assert_exact_cover(cells, community, tol: float = 0.01):
    """Cells tile ``community``: no gaps, no overlaps, nothing outside."""
    geoms = np.asarray(cells, dtype=object)
    union = shapely.union_all(geoms)
    assert shapely.area(shapely.difference(community, union)) < tol, "gap in the cover"
    assert shapely.area(shapely.difference(union, community)) < tol, "cells leave the community"
    assert abs(shapely.area(geoms).sum() - community.area) < tol, "cells overlap"
