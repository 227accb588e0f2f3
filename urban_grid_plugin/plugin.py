"""The QGIS plugin shell: menu, toolbar, the dock panel and the Processing provider.

Thin by design: every action calls tested core code or a Processing algorithm. The
plugin's translation (``i18n/urban_grid_<locale>.qm``) is installed from the QGIS
locale before any widget is made, so every string appears in the user's language.
"""

from __future__ import annotations

import os

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from .mapping.i18n import TR_CONTEXT

PLUGIN_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MENU = "&UrbanGrid"


def tr(message: str) -> str:
    """Translate a user-visible string in the plugin's context."""
    return QCoreApplication.translate(TR_CONTEXT, message)


class UrbanGridPlugin:
    """Registered by :func:`classFactory`; owns the actions and the provider."""

    def __init__(self, iface) -> None:
        self.iface = iface
        self.provider = None
        self.actions: list[QAction] = []
        self.toolbar = None
        self.dock = None
        self.translation = None
        try:
            from .mapping.i18n import install_translator

            self.translation = install_translator()
        except Exception:  # a broken .qm must never stop the plugin; English remains
            self.translation = None

    def initProcessing(self) -> None:  # noqa: N802 - QGIS API name
        """Register the UrbanGrid Processing provider."""
        from ..processing.provider import UrbanGridProvider

        self.provider = UrbanGridProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self) -> None:  # noqa: N802 - QGIS API name
        """Create the menu, toolbar and provider."""
        self.initProcessing()
        self.toolbar = self.iface.addToolBar("UrbanGrid")
        self.toolbar.setObjectName("UrbanGridToolbar")
        icon = QIcon(os.path.join(PLUGIN_DIR, "icons", "urbangrid.svg"))
        action = QAction(icon, tr("UrbanGrid tools"), self.iface.mainWindow())
        action.setObjectName("UrbanGridOpenToolbox")
        action.triggered.connect(self.open_toolbox)
        self.iface.addPluginToMenu(MENU, action)
        self.toolbar.addAction(action)
        self.actions.append(action)

        panel = QAction(icon, tr("UrbanGrid panel"), self.iface.mainWindow())
        panel.setObjectName("UrbanGridShowDock")
        panel.setCheckable(True)
        panel.toggled.connect(self.show_dock)
        self.iface.addPluginToMenu(MENU, panel)
        self.toolbar.addAction(panel)
        self.actions.append(panel)
        self.dock_action = panel

    def show_dock(self, visible: bool = True):
        """Show (creating it once) or hide the UrbanGrid dock panel; return it."""
        if self.dock is None and visible:
            from .gui.dock import UrbanGridDock

            self.dock = UrbanGridDock(self.iface, self.iface.mainWindow())
            self.iface.addDockWidget(Qt.RightDockWidgetArea, self.dock)
            self.dock.visibilityChanged.connect(self._dock_visibility)
        if self.dock is not None:
            self.dock.setVisible(visible)
        return self.dock

    def _dock_visibility(self, visible: bool) -> None:
        action = getattr(self, "dock_action", None)
        if action is not None and action.isChecked() != visible:
            action.blockSignals(True)
            action.setChecked(visible)
            action.blockSignals(False)

    def unload(self) -> None:
        """Remove everything :meth:`initGui` added."""
        if self.dock is not None:
            if self.dock.review_dialog is not None:
                self.dock.review_dialog.close()
            self.iface.removeDockWidget(self.dock)
            self.dock.deleteLater()
            self.dock = None
        for action in self.actions:
            self.iface.removePluginMenu(MENU, action)
            if self.toolbar is not None:
                self.toolbar.removeAction(action)
            # Parented to the main window: without this every reload would add a duplicate.
            action.deleteLater()
        self.actions.clear()
        if self.toolbar is not None:
            self.toolbar.deleteLater()
            self.toolbar = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        try:
            from .mapping.i18n import remove_translator

            remove_translator()
        except Exception:
            pass
        _forget_plugin_modules()

    def open_toolbox(self) -> None:
        """Point the user at the UrbanGrid algorithms in the Processing toolbox."""
        self.iface.messageBar().pushInfo(
            "UrbanGrid", tr("UrbanGrid algorithms are in the Processing Toolbox under 'UrbanGrid'.")
        )


def _forget_plugin_modules() -> None:
    """Drop the plugin's submodules from ``sys.modules`` when QGIS unloads it.

    ``qgis.utils.unloadPlugin`` forgets only modules it saw imported through
    ``__import__``; parent packages and modules loaded with importlib (the Processing
    algorithms) would survive, and a reinstalled or reloaded plugin would keep
    running their old code. Outside a QGIS-managed load (tests, the CLI) nothing is
    touched.
    """
    import sys

    import qgis.utils

    package = __name__.split(".")[0]
    if package not in qgis.utils.plugins:
        return
    for name in [m for m in sys.modules if m.startswith(package + ".")]:
        del sys.modules[name]
