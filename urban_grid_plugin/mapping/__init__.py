"""QGIS-facing maps: the one map (一张图), the layout PDF report, styles, rendering, i18n."""
