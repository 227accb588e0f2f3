"""Processing algorithms for the unit grid (单元网格): thin wrappers over ``urban_grid_plugin.grid``."""

from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingOutputVectorLayer,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsProcessingUtils,
)

from ..urban_grid_plugin.grid.barrier import DEFAULT_TARGET_AREA, DEFAULT_TOLERANCE
from .base import UrbanGridAlgorithm
from .feedback import FeedbackProgress, processing_errors

GROUP, GROUP_ID = "单元网格 Unit grid", "grid"
MODES = ["lattice", "barrier"]
FORMATS = ["gpkg", "shp", "geojson", "json"]


def _layer_source(algorithm, parameters, name, context, feedback) -> tuple[str, str | None]:
    """A file path (and layer name) the core can read; non-file layers are exported first."""
    path, layer = algorithm.parameterAsCompatibleSourceLayerPathAndLayerName(
        parameters, name, context, FORMATS, "gpkg", feedback)
    return path, (layer or None)


class _GridAlgorithm(UrbanGridAlgorithm):
    GROUP, GROUP_ID = GROUP, GROUP_ID


class BuildGrid(_GridAlgorithm):
    """Generate the unit grid inside each community and store it in the project."""

    def name(self) -> str:
        return "buildgrid"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return "Build unit grid (生成单元网格)"

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return ("Generates 15-digit coded unit grid cells (GB/T 30428.1) inside each community polygon, "
                "either as a regular lattice clipped to the community or following barrier lines "
                "(roads, rivers, walls) with small pieces merged and large ones split until cells are "
                "near the target area. Cells never cross a community boundary and are numbered "
                "west→east, north→south. Re-building keeps the codes of unchanged cells, retires the "
                "others (termination date) and never reuses a code. The project GeoPackage is "
                "created if missing; bad input changes nothing stored.")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        self.addParameter(QgsProcessingParameterFileDestination(
            "PROJECT", "Project GeoPackage (项目库)", fileFilter="GeoPackage (*.gpkg)"))
        self.addParameter(QgsProcessingParameterVectorLayer(
            "COMMUNITIES", "Communities (社区) with 12-digit codes", [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterString(
            "CODE_FIELD", "Community code field (blank = community_code/code)", optional=True))
        self.addParameter(QgsProcessingParameterVectorLayer(
            "STREETS", "Streets (街道) with 9-digit codes, for names", [QgsProcessing.TypeVectorPolygon],
            optional=True))
        self.addParameter(QgsProcessingParameterEnum("MODE", "Mode", options=MODES, defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            "TARGET_AREA", "Target cell area (m²)", QgsProcessingParameterNumber.Double,
            defaultValue=DEFAULT_TARGET_AREA, minValue=1))
        self.addParameter(QgsProcessingParameterNumber(
            "TOLERANCE", "Area tolerance (fraction, barrier mode)", QgsProcessingParameterNumber.Double,
            defaultValue=DEFAULT_TOLERANCE, minValue=0.01, maxValue=0.99))
        self.addParameter(QgsProcessingParameterNumber(
            "CELL_SIZE", "Lattice cell size (m, 0 = √target area)", QgsProcessingParameterNumber.Double,
            defaultValue=0, minValue=0))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            "BARRIERS", "Barrier lines (roads, rivers, walls)", QgsProcessing.TypeVectorAnyGeometry, optional=True))
        self.addParameter(QgsProcessingParameterString("DATE", "Date (YYYY-MM-DD, blank = today)", optional=True))
        self.addParameter(QgsProcessingParameterString("REASON", "Reason (recorded in grid history)", optional=True))
        self.addOutput(QgsProcessingOutputVectorLayer("CELLS", "Unit grid cells"))
        self.addOutput(QgsProcessingOutputNumber("ACTIVE", "Active cells"))
        self.addOutput(QgsProcessingOutputNumber("CREATED", "Cells created"))
        self.addOutput(QgsProcessingOutputNumber("RETIRED", "Cells retired"))
        self.addOutput(QgsProcessingOutputString("SUMMARY", "Summary"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API name
        from ..urban_grid_plugin.grid.build import build_grid

        project = self.parameterAsFileOutput(parameters, "PROJECT", context)
        path, layer = _layer_source(self, parameters, "COMMUNITIES", context, feedback)
        barriers = []
        for i, item in enumerate(self.parameterAsLayerList(parameters, "BARRIERS", context) or []):
            # Memory, PostGIS or other non-file layers are exported to a temporary file first.
            bpath, blayer = QgsProcessingUtils.convertToCompatibleFormatAndLayerName(
                item, False, f"barrier_{i}", FORMATS, "gpkg", context, feedback)
            barriers.append(f"{bpath}|{blayer}" if blayer else bpath)
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
        summary = (f"{result.active} active cells in {result.communities} communities; created {result.created}, "
                   f"kept {result.kept}, retired {result.retired}; area m² min {stats['min']:.0f} median "
                   f"{stats['median']:.0f} max {stats['max']:.0f}, {stats['within'] * 100:.1f}% within tolerance")
        feedback.pushInfo(summary)
        return {"CELLS": f"{project}|layername=grid_cell", "ACTIVE": result.active, "CREATED": result.created,
                "RETIRED": result.retired, "SUMMARY": summary}


class CheckGrid(_GridAlgorithm):
    """Check the stored grid; problems as the grid_check layer and as a list in the log."""

    def name(self) -> str:
        return "checkgrid"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return "Check unit grid (网格质检)"

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return ("Checks the project's active unit grid and reports each problem with its cell code and "
                "location: gaps and overlaps, cells outside or crossing their community, code prefix ≠ "
                "community code, duplicate codes, malformed codes, invalid geometry and area outliers. "
                "The problems are stored as the grid_check point layer and listed in the log.")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        self.addParameter(QgsProcessingParameterFile("PROJECT", "Project GeoPackage (项目库)", extension="gpkg"))
        self.addParameter(QgsProcessingParameterNumber(
            "LOW", "Area outlier below (× target)", QgsProcessingParameterNumber.Double, defaultValue=0.2, minValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            "HIGH", "Area outlier above (× target)", QgsProcessingParameterNumber.Double, defaultValue=3.0, minValue=1))
        self.addOutput(QgsProcessingOutputVectorLayer("PROBLEMS", "Grid problems (grid_check)"))
        self.addOutput(QgsProcessingOutputNumber("COUNT", "Problems found"))
        self.addOutput(QgsProcessingOutputString("LIST", "Problem list"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API name
        from ..urban_grid_plugin.grid.check import check_project
        from ..urban_grid_plugin.grid.commands import format_problem

        project = self.parameterAsFile(parameters, "PROJECT", context)
        with processing_errors():
            problems = check_project(project, low=self.parameterAsDouble(parameters, "LOW", context),
                                     high=self.parameterAsDouble(parameters, "HIGH", context),
                                     progress=FeedbackProgress(feedback))
        lines = [format_problem(row) for _, row in problems.iterrows()]
        feedback.pushInfo(f"{len(problems)} problem(s)")
        for line in lines:
            feedback.pushInfo(line)
        return {"PROBLEMS": f"{project}|layername=grid_check", "COUNT": len(problems), "LIST": "\n".join(lines)}


class RetireCells(_GridAlgorithm):
    """Retire cells: set their termination date; their codes are never reused."""

    def name(self) -> str:
        return "retirecells"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return "Retire grid cells (网格注销)"

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return ("Sets the termination date (终止日期) of the given active cells and records the reason in "
                "grid_history. Retired cells stay in the project and their codes are never given out again.")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        self.addParameter(QgsProcessingParameterFile("PROJECT", "Project GeoPackage (项目库)", extension="gpkg"))
        self.addParameter(QgsProcessingParameterString("CODES", "Cell codes (comma or space separated)"))
        self.addParameter(QgsProcessingParameterString("REASON", "Reason"))
        self.addParameter(QgsProcessingParameterString("DATE", "Date (YYYY-MM-DD, blank = today)", optional=True))
        self.addOutput(QgsProcessingOutputNumber("RETIRED", "Cells retired"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API name
        from ..urban_grid_plugin.grid.edit import retire_cells

        project = self.parameterAsFile(parameters, "PROJECT", context)
        codes = self.parameterAsString(parameters, "CODES", context).replace(",", " ").split()
        with processing_errors():
            count = retire_cells(project, codes, reason=self.parameterAsString(parameters, "REASON", context),
                                 date=self.parameterAsString(parameters, "DATE", context) or None)
        feedback.pushInfo(f"retired {count} cell(s)")
        return {"RETIRED": count}


def algorithms() -> list[QgsProcessingAlgorithm]:
    """The grid algorithms for the UrbanGrid provider."""
    return [BuildGrid(), CheckGrid(), RetireCells()]
