"""The project GeoPackage (项目库): one file holding grid, components, imagery and cases.

Each capability owns its own tables; this module owns only ``ug_project``, a
key/value table with the working CRS, code profile and schema versions, so any tool
(QGIS included) can open the file and know what it holds.
"""

from __future__ import annotations

import datetime as _dt
import os
import sqlite3
from contextlib import closing

from pyproj import CRS

from .errors import InputError
from .io.vector import resolve_working_crs

META_TABLE = "ug_project"
PROFILES = ("2013", "2026")  # GB/T 30428-2013 and GB/T 47678-2026 code profiles


def _connect(path: str | os.PathLike) -> sqlite3.Connection:
    con = sqlite3.connect(os.fspath(path), timeout=30)
    con.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    return con


def create_project(
    path: str | os.PathLike,
    *,
    crs: str | CRS | None = None,
    profile: str = "2013",
    district_code: str | None = None,
) -> dict[str, str]:
    """Create (or open) a project GeoPackage and record its CRS and code profile.

    An existing project keeps its settings; asking for a different CRS or profile
    is an error rather than a silent change, because stored geometry and codes
    depend on them.
    """
    if profile not in PROFILES:
        raise InputError(f"unknown code profile {profile!r}; use one of {', '.join(PROFILES)}")
    target = resolve_working_crs(crs)
    wanted = {"crs": target.to_string(), "profile": profile}
    if district_code:
        wanted["district_code"] = district_code
    existing = read_project_meta(path) if os.path.exists(path) else {}
    for key, value in wanted.items():
        if key in existing and existing[key] != value:
            raise InputError(
                f"project already uses {key}={existing[key]}, not {value}", source=os.fspath(path)
            )
    if not os.path.exists(path):
        _init_geopackage(path)
    wanted.setdefault("created", _dt.datetime.now().isoformat(timespec="seconds"))
    with closing(_connect(path)) as con, con:
        for key, value in wanted.items():
            con.execute(f"INSERT OR IGNORE INTO {META_TABLE}(key, value) VALUES (?, ?)", (key, value))
    return read_project_meta(path)


def _init_geopackage(path: str | os.PathLike) -> None:
    """Create an empty but valid GeoPackage (GDAL writes the gpkg_* tables)."""
    from osgeo import ogr

    driver = ogr.GetDriverByName("GPKG")
    ds = driver.CreateDataSource(os.fspath(path), options=["VERSION=1.2"])
    if ds is None:
        raise InputError("cannot create project GeoPackage", source=os.fspath(path))
    ds = None


def read_project_meta(path: str | os.PathLike) -> dict[str, str]:
    """All project settings as a dict; empty if the file is not a project yet."""
    if not os.path.exists(path):
        raise InputError("project GeoPackage not found", source=os.fspath(path))
    with closing(_connect(path)) as con:
        return dict(con.execute(f"SELECT key, value FROM {META_TABLE}"))


def set_project_meta(path: str | os.PathLike, **values: str) -> None:
    """Set project settings, e.g. a capability's schema version."""
    with closing(_connect(path)) as con, con:
        con.executemany(
            f"INSERT INTO {META_TABLE}(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
            list(values.items()),
        )


def project_crs(path: str | os.PathLike) -> CRS:
    """The project's working CRS."""
    meta = read_project_meta(path)
    if "crs" not in meta:
        raise InputError("not an UrbanGrid project (no ug_project table); create it first", source=os.fspath(path))
    return CRS.from_user_input(meta["crs"])
