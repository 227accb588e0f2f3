"""The UrbanGrid Processing provider: every algorithm also runs from qgis_process."""

from __future__ import annotations

import importlib
import os
import traceback

from qgis.core import Qgis, QgsMessageLog, QgsProcessingProvider
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

    def __init__(self) -> None:
        super().__init__()
        self.load_errors: list[str] = []

    def id(self) -> str:
        return "urbangrid"

    def name(self) -> str:
        return "UrbanGrid"

    def longName(self) -> str:  # noqa: N802 - QGIS API name
        return "UrbanGrid 数字城管"

    def icon(self) -> QIcon:
        return QIcon(os.path.join(PLUGIN_DIR, "icons", "urbangrid.svg"))

    def loadAlgorithms(self) -> None:  # noqa: N802 - QGIS API name
        """Add every capability's algorithms; one broken module must not hide the others.

        A module that does not exist yet is skipped. A module that fails to import
        (e.g. a dependency missing from the QGIS Python) is logged to the QGIS
        message log and kept in :attr:`load_errors`, and the other modules still load.
        """
        self.load_errors = []
        for name in ALGORITHM_MODULES:
            try:
                module = importlib.import_module(name, __package__)
            except ModuleNotFoundError as exc:
                if exc.name == __package__ + name:
                    continue
                self._report_load_error(name, exc)
                continue
            except Exception as exc:  # any import failure is reported, not fatal
                self._report_load_error(name, exc)
                continue
            try:
                algorithms = list(module.algorithms())
            except Exception as exc:
                self._report_load_error(name, exc)
                continue
            for algorithm in algorithms:
                if not self.addAlgorithm(algorithm):
                    self._report_load_error(name, RuntimeError(f"could not add {algorithm.name()}"))

    def _report_load_error(self, module: str, exc: BaseException) -> None:
        """Log why a capability's algorithms are unavailable."""
        message = f"UrbanGrid algorithms in {module.lstrip('.')} not loaded: {exc!r}"
        self.load_errors.append(message)
        QgsMessageLog.logMessage(
            message + "\n" + "".join(traceback.format_exception(exc)), "UrbanGrid", Qgis.Critical
        )
