"""Processing algorithms for the unit grid (单元网格): thin wrappers over ``urban_grid_plugin.grid``."""

from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingOutputVectorLayer,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..urban_grid_plugin.grid.barrier import DEFAULT_TARGET_AREA, DEFAULT_TOLERANCE
from .base import FILE_FORMATS, UrbanGridAlgorithm, file_layer_path, project_parameter, tr
from .feedback import FeedbackProgress, processing_errors

GROUP, GROUP_ID = QT_TRANSLATE_NOOP("@default", "Unit grid"), "grid"
MODES = ["lattice", "barrier"]  # the core's mode ids, in the order of mode_labels()


def mode_labels() -> list[str]:
    """The MODE options as the dialog shows them (index = position in ``MODES``)."""
    return [tr("Lattice (regular grid clipped to the community)"),
            tr("Barrier lines (follow roads, rivers, walls)")]


def _layer_source(algorithm, parameters, name, context, feedback) -> tuple[str, str | None]:
    """A file path (and layer name) the core can read; non-file layers are exported first."""
    path, layer = algorithm.parameterAsCompatibleSourceLayerPathAndLayerName(
        parameters, name, context, FILE_FORMATS, "gpkg", feedback)
    return path, (layer or None)


class _GridAlgorithm(UrbanGridAlgorithm):
    GROUP, GROUP_ID = GROUP, GROUP_ID


class BuildGrid(_GridAlgorithm):
    """Generate the unit grid inside each community and store it in the project."""

    def name(self) -> str:
        return "buildgrid"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Build unit grid")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Generates 15-digit coded unit grid cells (GB/T 30428.1) inside each community polygon, "
                  "either as a regular lattice clipped to the community or following barrier lines "
                  "(roads, rivers, walls) with small pieces merged and large ones split until cells are "
                  "near the target area. Cells never cross a community boundary and are numbered "
                  "west→east, north→south. Re-building keeps the codes of unchanged cells, retires the "
                  "others (termination date) and never reuses a code. The project GeoPackage is "
                  "created if missing; bad input changes nothing stored.")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        self.addParameter(QgsProcessingParameterFileDestination(
            "PROJECT", tr("Project GeoPackage"), fileFilter="GeoPackage (*.gpkg)"))
        self.addParameter(QgsProcessingParameterVectorLayer(
            "COMMUNITIES", tr("Communities with 12-digit codes"), [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterString(
            "CODE_FIELD", tr("Community code field (blank = community_code/code)"), optional=True))
        self.addParameter(QgsProcessingParameterVectorLayer(
            "STREETS", tr("Streets with 9-digit codes, for names"), [QgsProcessing.TypeVectorPolygon],
            optional=True))
        self.addParameter(QgsProcessingParameterEnum("MODE", tr("Mode"), options=mode_labels(), defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            "TARGET_AREA", tr("Target cell area (m²)"), QgsProcessingParameterNumber.Double,
            defaultValue=DEFAULT_TARGET_AREA, minValue=1))
        self.addParameter(QgsProcessingParameterNumber(
            "TOLERANCE", tr("Area tolerance (fraction, barrier mode)"), QgsProcessingParameterNumber.Double,
            defaultValue=DEFAULT_TOLERANCE, minValue=0.01, maxValue=0.99))
        self.addParameter(QgsProcessingParameterNumber(
            "CELL_SIZE", tr("Lattice cell size (m, 0 = √target area)"), QgsProcessingParameterNumber.Double,
            defaultValue=0, minValue=0))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            "BARRIERS", tr("Barrier lines (roads, rivers, walls)"), QgsProcessing.TypeVectorAnyGeometry, optional=True))
        self.addParameter(QgsProcessingParameterString(
            "DATE", tr("Date (YYYY-MM-DD, blank = today)"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            "REASON", tr("Reason (recorded in grid history)"), optional=True))
        self.addOutput(QgsProcessingOutputVectorLayer("CELLS", tr("Unit grid cells")))
        self.addOutput(QgsProcessingOutputNumber("ACTIVE", tr("Active cells")))
        self.addOutput(QgsProcessingOutputNumber("CREATED", tr("Cells created")))
        self.addOutput(QgsProcessingOutputNumber("RETIRED", tr("Cells retired")))
        self.addOutput(QgsProcessingOutputString("SUMMARY", tr("Summary")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API name
        from ..urban_grid_plugin.grid.build import build_grid

        project = self.parameterAsFileOutput(parameters, "PROJECT", context)
        path, layer = _layer_source(self, parameters, "COMMUNITIES", context, feedback)
        barriers = []
        for i, item in enumerate(self.parameterAsLayerList(parameters, "BARRIERS", context) or []):
            barriers.append(file_layer_path(item, f"barrier_{i}", context, feedback))
        streets = None
        if self.parameterAsVectorLayer(parameters, "STREETS", context) is not None:
            spath, slayer = _layer_source(self, parameters, "STREETS", context, feedback)
            streets = f"{spath}|{slayer}" if slayer else spath
        mode = MODES[self.parameterAsEnum(parameters, "MODE", context)]
        cell_size = self.parameterAsDouble(parameters, "CELL_SIZE", context) or None
        with processing_errors():
            result = build_grid(
                project, path, layer=layer, code_field=self.parameterAsString(parameters, "CODE_FIELD", context) or None,
                mode=mode, target_area=self.parameterAsDouble(parameters, "TARGET_AREA", context),
                tolerance=self.parameterAsDouble(parameters, "TOLERANCE", context), cell_size=cell_size,
                barrier_paths=barriers, streets_path=streets, create_missing=True, date=self.parameterAsString(parameters, "DATE", context) or None,
                reason=self.parameterAsString(parameters, "REASON", context) or None,
                progress=FeedbackProgress(feedback))
        stats = result.area_stats()
        summary = tr("{active} active cells in {communities} communities; created {created}, kept {kept}, "
                     "retired {retired}; area m² min {low} median {median} max {high}, {within}% within "
                     "tolerance").format(
            active=result.active, communities=result.communities, created=result.created, kept=result.kept,
            retired=result.retired, low=f"{stats['min']:.0f}", median=f"{stats['median']:.0f}",
            high=f"{stats['max']:.0f}", within=f"{stats['within'] * 100:.1f}")
        feedback.pushInfo(summary)
        return {"CELLS": f"{project}|layername=grid_cell", "ACTIVE": result.active, "CREATED": result.created,
                "RETIRED": result.retired, "SUMMARY": summary}


class CheckGrid(_GridAlgorithm):
    """Check the stored grid; problems as the grid_check layer and as a list in the log."""

    def name(self) -> str:
        return "checkgrid"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Check unit grid")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Checks the project's active unit grid and reports each problem with its cell code and "
                  "location: gaps and overlaps, cells outside or crossing their community, code prefix ≠ "
                  "community code, duplicate codes, malformed codes, invalid geometry and area outliers. "
                  "The problems are stored as the grid_check point layer and listed in the log.")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        self.addParameter(project_parameter())
        self.addParameter(QgsProcessingParameterNumber(
            "LOW", tr("Area outlier below (× target)"), QgsProcessingParameterNumber.Double, defaultValue=0.2, minValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            "HIGH", tr("Area outlier above (× target)"), QgsProcessingParameterNumber.Double, defaultValue=3.0, minValue=1))
        self.addOutput(QgsProcessingOutputVectorLayer("PROBLEMS", tr("Grid problems (grid_check)")))
        self.addOutput(QgsProcessingOutputNumber("COUNT", tr("Problems found")))
        self.addOutput(QgsProcessingOutputString("LIST", tr("Problem list")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API name
        from ..urban_grid_plugin.grid.check import check_project
        from ..urban_grid_plugin.grid.commands import format_problem

        project = self.parameterAsFile(parameters, "PROJECT", context)
        with processing_errors():
            problems = check_project(project, low=self.parameterAsDouble(parameters, "LOW", context),
                                     high=self.parameterAsDouble(parameters, "HIGH", context),
                                     progress=FeedbackProgress(feedback))
        lines = [format_problem(row) for _, row in problems.iterrows()]
        feedback.pushInfo(tr("{count} problem(s)").format(count=len(problems)))
        for line in lines:
            feedback.pushInfo(line)
        return {"PROBLEMS": f"{project}|layername=grid_check", "COUNT": len(problems), "LIST": "\n".join(lines)}


class RetireCells(_GridAlgorithm):
    """Retire cells: set their termination date; their codes are never reused."""

    def name(self) -> str:
        return "retirecells"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Retire grid cells")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Sets the termination date of the given active cells and records the reason in "
                  "grid_history. Retired cells stay in the project and their codes are never given out again.")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        self.addParameter(project_parameter())
        self.addParameter(QgsProcessingParameterString("CODES", tr("Cell codes (comma or space separated)")))
        self.addParameter(QgsProcessingParameterString("REASON", tr("Reason")))
        self.addParameter(QgsProcessingParameterString(
            "DATE", tr("Date (YYYY-MM-DD, blank = today)"), optional=True))
        self.addOutput(QgsProcessingOutputNumber("RETIRED", tr("Cells retired")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API name
        from ..urban_grid_plugin.grid.edit import retire_cells

        project = self.parameterAsFile(parameters, "PROJECT", context)
        codes = self.parameterAsString(parameters, "CODES", context).replace(",", " ").split()
        with processing_errors():
            count = retire_cells(project, codes, reason=self.parameterAsString(parameters, "REASON", context),
                                 date=self.parameterAsString(parameters, "DATE", context) or None)
        feedback.pushInfo(tr("Retired {count} cell(s)").format(count=count))
        return {"RETIRED": count}


def algorithms() -> list[QgsProcessingAlgorithm]:
    """The grid algorithms for the UrbanGrid provider."""
    return [BuildGrid(), CheckGrid(), RetireCells()]
