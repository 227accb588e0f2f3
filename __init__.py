"""QGIS plugin entry point for UrbanGrid (数字城管).

QGIS imports this folder as a package and calls :func:`classFactory`. Everything
lives in the subpackages: ``urban_grid_plugin`` (core + GUI) and ``processing``
(the Processing provider). Those are imported relatively, so the plugin's own
``processing`` never shadows QGIS's ``processing`` framework.
"""


def classFactory(iface):  # noqa: N802 - name fixed by QGIS
    """Create the plugin instance for QGIS."""
    from .urban_grid_plugin.plugin import UrbanGridPlugin

    return UrbanGridPlugin(iface)
