"""Processing algorithms for the report and the one map (一张图): thin wrappers over mapping."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..urban_grid_plugin.errors import UrbanGridError
from .base import UrbanGridAlgorithm, project_parameter, tr
from .feedback import FeedbackProgress


class _Base(UrbanGridAlgorithm):
    GROUP, GROUP_ID = QT_TRANSLATE_NOOP("@default", "Maps and reports"), "report"

    def _project_param(self) -> None:
        self.addParameter(project_parameter(tr("Project GeoPackage")))


class ReportAlgorithm(_Base):
    """urbangrid:report — the district PDF report with a street atlas."""

    def name(self) -> str:
        return "report"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("District report (PDF)")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Writes the district report: an overview map with counts per street, case "
                  "charts per state and per month with indicators, then one atlas page per "
                  "street with the map of its violations.")

    def initAlgorithm(self, config=None) -> None:  # noqa: N802 - QGIS API name
        self._project_param()
        self.addParameter(QgsProcessingParameterString(
            "TITLE", tr("Title"), optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT", tr("Report PDF"), fileFilter="PDF (*.pdf)"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API name
        from ..urban_grid_plugin.mapping.report import build_report

        project = self.parameterAsFile(parameters, "PROJECT", context)
        output = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        title = self.parameterAsString(parameters, "TITLE", context) or None
        try:
            result = build_report(project, output, title=title, progress=FeedbackProgress(feedback))
        except UrbanGridError as exc:
            raise QgsProcessingException(str(exc)) from exc
        return {"OUTPUT": result["output"], "PAGES": result["pages"]}


class OneMapAlgorithm(_Base):
    """urbangrid:onemap — the one-map QGIS project with grouped, styled layers."""

    def name(self) -> str:
        return "onemap"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("One map (一张图) project")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Writes a QGIS project with the unit grid, communities, components, the "
                  "violation lists, new candidates and cases by state and overdue, grouped "
                  "and styled from the plugin's QML styles.")

    def initAlgorithm(self, config=None) -> None:  # noqa: N802 - QGIS API name
        self._project_param()
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT", tr("QGIS project"), fileFilter="QGIS project (*.qgz)"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API name
        from ..urban_grid_plugin.mapping.one_map import build_one_map

        project = self.parameterAsFile(parameters, "PROJECT", context)
        output = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        try:
            result = build_one_map(project, output, progress=FeedbackProgress(feedback))
        except UrbanGridError as exc:
            raise QgsProcessingException(str(exc)) from exc
        return {"OUTPUT": result["output"]}


def algorithms() -> list[QgsProcessingAlgorithm]:
    """The report and one-map algorithms."""
    return [ReportAlgorithm(), OneMapAlgorithm()]
