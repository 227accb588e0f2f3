"""The UrbanGrid Processing provider: every algorithm also runs from qgis_process."""

from __future__ import annotations

import importlib
import os

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

PLUGIN_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# One module per capability; each exposes ``algorithms() -> list[QgsProcessingAlgorithm]``.
# Modules not present yet are skipped so capabilities can land one at a time.
ALGORITHM_MODULES = (
    ".grid_algorithms",
    ".components_algorithms",
    ".imagery_algorithms",
    ".cases_algorithms",
    ".report_algorithms",
)


class UrbanGridProvider(QgsProcessingProvider):
    """Provider id ``urbangrid``; algorithm ids read ``urbangrid:<name>``."""

    def id(self) -> str:
        return "urbangrid"

    def name(self) -> str:
        return "UrbanGrid"

    def longName(self) -> str:  # noqa: N802 - QGIS API name
        return "UrbanGrid 数字城管"

    def icon(self) -> QIcon:
        return QIcon(os.path.join(PLUGIN_DIR, "icons", "urbangrid.svg"))

    def loadAlgorithms(self) -> None:  # noqa: N802 - QGIS API name
        for name in ALGORITHM_MODULES:
            try:
                module = importlib.import_module(name, __package__)
            except ModuleNotFoundError as exc:
                if exc.name == __package__ + name:
                    continue
                raise
            for algorithm in module.algorithms():
                self.addAlgorithm(algorithm)
