"""A QGIS application for headless work (CLI report, one map, render bench).

Inside the QGIS desktop or a pytest-qgis session an application already exists and is
reused. From the command line one is started offscreen, once, and shut down at exit
after every layer reference is gone (QGIS segfaults at exit otherwise).
"""

from __future__ import annotations

import atexit
import gc
import os
import sys

_STARTED = None
QGIS_PLUGINS = "/usr/share/qgis/python/plugins"


def ensure_qgis_app():
    """Return the running ``QgsApplication``, starting a headless one if needed."""
    global _STARTED
    from qgis.core import QgsApplication

    app = QgsApplication.instance()
    if app is not None:
        return app
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    runtime = os.environ.setdefault("XDG_RUNTIME_DIR", f"/tmp/runtime-{os.getuid()}")
    os.makedirs(runtime, mode=0o700, exist_ok=True)
    if QGIS_PLUGINS not in sys.path:
        sys.path.append(QGIS_PLUGINS)
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    _STARTED = app
    atexit.register(_shutdown)
    return app


def _shutdown() -> None:
    """Exit the application we started, after dropping layer references."""
    global _STARTED
    if _STARTED is None:
        return
    from qgis.core import QgsProject

    QgsProject.instance().clear()
    gc.collect()
    _STARTED.exitQgis()
    _STARTED = None
