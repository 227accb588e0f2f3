"""The real QGIS desktop, under Xvfb, starts with UrbanGrid enabled in a fresh profile."""

from __future__ import annotations

from pathlib import Path

import desktop
import pytest

pytestmark = pytest.mark.desktop


@pytest.fixture(scope="module")
def session(tmp_path_factory) -> desktop.DesktopRun:
    """One desktop start with the repository linked in as the ``urban_grid`` plugin."""
    missing = desktop.tool_missing()
    assert missing is None, missing
    root = tmp_path_factory.mktemp("desktop")
    profiles = desktop.make_profile(root / "profiles")
    return desktop.run_desktop(profiles, root / "out", user_code=CYCLE_CODE)


# Run inside QGIS before the facts are collected: trigger the plugin's action, then unload
# and reload the plugin as the Plugin Manager does, recording what was left behind.
CYCLE_CODE = """
import sys
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QEvent
from qgis.PyQt.QtWidgets import QAction, QToolBar

mw = iface.mainWindow()
action = mw.findChild(QAction, "UrbanGridOpenToolbox")
slot_errors = []
hook = sys.excepthook
sys.excepthook = lambda *exc: slot_errors.append(repr(exc[1]))
try:
    action.trigger()
    QCoreApplication.processEvents()
finally:
    sys.excepthook = hook
facts["action_errors"] = slot_errors

facts["unloaded"] = qgis.utils.unloadPlugin("urban_grid")
QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
facts["after_unload"] = {
    "active": "urban_grid" in qgis.utils.active_plugins,
    "actions": [a.objectName() for a in mw.findChildren(QAction)
                if a.objectName().startswith("UrbanGrid")],
    "toolbars": [t.objectName() for t in mw.findChildren(QToolBar)
                 if t.objectName().startswith("UrbanGrid")],
    "provider": QgsApplication.processingRegistry().providerById("urbangrid") is not None,
    "modules": sorted(m for m in sys.modules if m.split(".")[0] == "urban_grid"),
}
facts["reloaded"] = qgis.utils.loadPlugin("urban_grid") and qgis.utils.startPlugin("urban_grid")
"""


def test_startup_script_ran_without_errors(session):
    assert session.facts["errors"] == [], session.facts["errors"]
    assert session.facts["qgis_version"].startswith("3.")
    assert session.facts["window_visible"] is True


def test_plugin_is_enabled_and_loaded_from_the_profile(session):
    facts = session.facts
    assert "urban_grid" in facts["available_plugins"]
    assert "urban_grid" in facts["active_plugins"], session.log[-3000:]
    plugin_file = Path(facts["plugin_file"])
    # Imported from the profile's plugin folder (a link to this checkout), not elsewhere.
    assert plugin_file.parent == Path(facts["home_plugin_path"]) / "urban_grid"
    assert plugin_file.resolve() == desktop.REPO / "__init__.py"


def test_the_action_runs_without_python_errors(session):
    assert session.facts["action_errors"] == []


def test_unloading_in_the_desktop_removes_everything(session):
    assert session.facts["unloaded"] is True
    assert session.facts["after_unload"] == {
        "active": False, "actions": [], "toolbars": [], "provider": False, "modules": [],
    }


def test_toolbar_and_menu_action_exist(session):
    # Collected after the unload/reload cycle, so this also proves the reload.
    assert session.facts["reloaded"] is True
    facts = session.facts
    assert "UrbanGridOpenToolbox" in facts["actions"]
    assert "UrbanGridToolbar" in facts["toolbars"]
    assert any("UrbanGrid" in text for text in facts["plugin_menu"]), facts["plugin_menu"]


def test_processing_provider_is_registered_in_the_desktop(session):
    assert "urbangrid" in session.facts["providers"]
    assert all(alg.startswith("urbangrid:") for alg in session.facts["algorithms"])


def test_screenshot_shows_the_main_window(session):
    assert session.screenshot is not None and session.screenshot.is_file()
    assert desktop.image_size(session.screenshot) == (1600, 1000)
    # A blank (all-black) screen has zero deviation; the QGIS window has plenty.
    assert desktop.image_stddev(session.screenshot) > 0.05
    assert session.window is not None
    width, height = desktop.image_size(session.window)
    assert width > 800 and height > 500
    assert desktop.image_stddev(session.window) > 0.05
