"""Reports: the ``urbangrid report`` and ``urbangrid map`` commands (QGIS layouts in ..mapping)."""
