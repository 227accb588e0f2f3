"""Code run inside the real QGIS desktop to show UrbanGrid at work (tests, demo, README).

:func:`showcase_code` returns the body of ``user_code(iface, facts)`` for the desktop
harness (``tests/desktop.py``): it opens the UrbanGrid panel on a project GeoPackage,
adds the one-map layers to the map, opens the review window on the first candidate,
and records what a test needs to check in ``facts``.
"""

from __future__ import annotations

import textwrap


def showcase_code(project: str, *, review: bool = True, decide: int = 0) -> str:
    """The desktop code: open the dock on ``project``; optionally review ``decide`` candidates."""
    return SETTLE.strip() + "\n" + textwrap.dedent(f"""
        import qgis.utils
        from qgis.core import QgsProject, QgsRectangle

        from urban_grid.urban_grid_plugin.mapping.one_map import build_one_map

        plugin = qgis.utils.plugins["urban_grid"]
        dock = plugin.show_dock(True)
        dock.setMinimumWidth(400)
        dock.set_project({project!r})
        # The one map, opened as a project: what the panel's 一张图 button does.
        one_map = build_one_map({project!r}, dock.one_map_path())
        iface.addProject(one_map["output"])
        layers = {{lyr.name(): lyr for lyr in QgsProject.instance().mapLayers().values()}}
        canvas = iface.mapCanvas()
        extent = QgsRectangle(QgsProject.instance().viewSettings().defaultViewExtent())
        extent.scale(1.08)
        canvas.setExtent(extent)
        canvas.refresh()
        layers = one_map["layers"]
        facts["dock_visible"] = dock.isVisible()
        facts["dock_title"] = dock.windowTitle()
        facts["dock_buttons"] = {{k: b.text() for k, b in dock.buttons.items()}}
        facts["status"] = {{k: lab.text() for k, lab in dock.status_labels.items()}}
        facts["layers"] = sorted(layers)
        facts["project_layers"] = len(QgsProject.instance().mapLayers())
        facts["translation"] = plugin.translation
        if {review!r} and "change_candidate" in dock.status.get("tables", set()):
            dialog = dock.open_review()
            facts["review_title"] = dialog.windowTitle()
            facts["review_candidates"] = len(dialog.session.candidates)
            for _ in range({decide!r}):
                dialog.decide("confirmed")
            dialog.move(iface.mainWindow().width() - dialog.width() - 420, 180)
            facts["review_pending_after"] = dialog.session.pending_count()
        settle(canvas)
    """).strip()


SETTLE = """
import time

from qgis.PyQt.QtCore import QCoreApplication


def settle(canvas, seconds=2.0):
    # Let queued refreshes start, then wait for every map render, so a grab shows maps.
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.05)
    canvas.waitWhileRendering()
    QCoreApplication.processEvents()
"""
