"""Shared fixtures: the plugin as QGIS sees it, the real sample data, PostGIS.

The repository root is never put on ``sys.path``: it holds a ``processing`` folder
that would shadow QGIS's Processing framework. Instead the plugin is linked into a
temporary plugin folder as ``urban_grid``, exactly as QGIS installs it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("UG_SHARED", REPO.parent / "shared"))
PLUGIN_NAME = "urban_grid"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp/runtime-root")
Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(mode=0o700, exist_ok=True)
QGIS_PLUGINS = "/usr/share/qgis/python/plugins"
# Test helper modules (e.g. tests/desktop.py) import by bare name under --import-mode=importlib.
if str(Path(__file__).parent) not in sys.path:
    sys.path.append(str(Path(__file__).parent))
if QGIS_PLUGINS not in sys.path:
    sys.path.append(QGIS_PLUGINS)


@pytest.fixture(scope="session")
def plugin_parent(tmp_path_factory) -> Path:
    """A folder holding the plugin as ``urban_grid`` (a symlink to the repo), on sys.path."""
    parent = tmp_path_factory.mktemp("plugins")
    (parent / PLUGIN_NAME).symlink_to(REPO, target_is_directory=True)
    sys.path.insert(0, str(parent))
    yield parent
    sys.path.remove(str(parent))


@pytest.fixture(scope="session")
def plugin_package(plugin_parent):
    """The plugin imported as QGIS imports it."""
    import importlib

    return importlib.import_module(PLUGIN_NAME)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real sample data in ../shared/data; fail loudly if it is missing."""
    data = SHARED / "data"
    assert data.is_dir(), f"shared sample data not found at {data}"
    return data


@pytest.fixture(scope="session")
def pg_dsn() -> str:
    """Connection string of the real local PostGIS cluster started by scripts/pg-start."""
    dsn = os.environ.get("UG_PG_DSN")
    if not dsn:
        import subprocess

        dsn = subprocess.run(
            [str(REPO / "scripts" / "pg-start")], check=True, capture_output=True, text=True
        ).stdout.strip()
        os.environ["UG_PG_DSN"] = dsn
    return dsn


@pytest.fixture(autouse=True, scope="session")
def _release_qgis_objects_before_exit(qgis_app):
    """Free every layer still alive before pytest-qgis calls ``exitQgis()``.

    When a Processing algorithm raises, sip keeps the exception (and so its traceback,
    whose frames hold the algorithm's parameters, layers included) referenced from C,
    where no Python code can release it. A layer destroyed after ``exitQgis()``
    segfaults the process at exit, failing the run with code 139 although every test
    passed. So every layer Python still owns is destroyed here, while QGIS is alive.
    Set up after ``qgis_app``, so torn down before it.
    """
    yield
    import gc

    from qgis.core import QgsMapLayer, QgsProject
    from qgis.PyQt import sip

    QgsProject.instance().removeAllMapLayers()
    QgsProject.instance().clear()
    gc.collect()
    for obj in gc.get_objects():
        if isinstance(obj, QgsMapLayer) and not sip.isdeleted(obj) and sip.ispyowned(obj):
            sip.delete(obj)
