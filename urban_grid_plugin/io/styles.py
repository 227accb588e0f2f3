"""Default QML styles stored inside the project GeoPackage.

QGIS's OGR provider applies the style marked ``useAsDefault`` in a GeoPackage's
``layer_styles`` table when it opens a layer, so a project opens styled without a
.qgz. Every capability stores its packaged ``layers/*.qml`` here.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Mapping

LAYERS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "layers")

_LAYER_STYLES_DDL = """CREATE TABLE IF NOT EXISTS layer_styles (
    id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), f_table_schema TEXT(256),
    f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT,
    styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30),
    update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))"""


def packaged_styles(tables: Iterable[str], layers_dir: str = LAYERS_DIR) -> dict[str, str]:
    """The QML text of ``layers/<table>.qml`` for each table that has one.

    A missing file (e.g. a stripped install) is skipped: the layer then opens unstyled.
    """
    styles = {}
    for table in tables:
        path = os.path.join(layers_dir, f"{table}.qml")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                styles[table] = handle.read()
    return styles


def store_default_styles(project_path: str | os.PathLike, styles: Mapping[str, str]) -> int:
    """Make each QML in ``styles`` (table → QML text) its table's default style; return how many.

    All styles are written in one transaction, replacing earlier UrbanGrid defaults.
    """
    if not styles:
        return 0
    con = sqlite3.connect(os.fspath(project_path), timeout=30)
    try:
        with con:
            con.execute(_LAYER_STYLES_DDL)
            con.execute(
                "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
                "VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS layer styles', "
                "strftime('%Y-%m-%dT%H:%M:%fZ','now'))"
            )
            for table, qml in styles.items():
                con.execute("DELETE FROM layer_styles WHERE f_table_name = ? AND styleName = ?", (table, table))
                con.execute("UPDATE layer_styles SET useAsDefault = 0 WHERE f_table_name = ?", (table,))
                con.execute(
                    "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
                    "styleName, styleQML, styleSLD, useAsDefault, description, owner, ui, update_time) "
                    "VALUES ('', '', ?, 'geom', ?, ?, '', 1, 'UrbanGrid default style', '', '', "
                    "strftime('%Y-%m-%dT%H:%M:%fZ','now'))",
                    (table, table, qml),
                )
    finally:
        con.close()
    return len(styles)
