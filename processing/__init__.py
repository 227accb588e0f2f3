"""UrbanGrid's Processing provider (QGIS-facing).

Imported only as a subpackage of the plugin (``urban_grid.processing``); never put
the plugin folder itself on ``sys.path``, or this package would shadow QGIS's own
``processing`` framework.
"""
