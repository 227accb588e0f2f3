"""Processing algorithms for imagery epochs and change candidates (thin wrappers over the core)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterCrs,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from .base import UrbanGridAlgorithm, file_layer_path, project_parameter, tr
from .feedback import FeedbackProgress, processing_errors

GROUP, GROUP_ID = QT_TRANSLATE_NOOP("@default", "Imagery"), "imagery"
SENSORS = ["satellite", "drone", "aerial"]  # the core's sensor ids, in the order of sensor_labels()


def sensor_labels() -> list[str]:
    """The SENSOR options as the dialog shows them (index = position in ``SENSORS``)."""
    return [tr("Satellite"), tr("Drone"), tr("Aerial")]


def _layer_path(alg, parameters, name, context, feedback) -> str | None:
    layer = alg.parameterAsVectorLayer(parameters, name, context)
    return file_layer_path(layer, name.lower(), context, feedback) if layer is not None else None


class _ImageryAlgorithm(UrbanGridAlgorithm):
    GROUP, GROUP_ID = GROUP, GROUP_ID


class RegisterEpoch(_ImageryAlgorithm):
    """Register an imagery epoch (影像时相) in the project."""

    def name(self) -> str:
        return "imagery_register_epoch"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Register imagery epoch")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Checks a satellite or drone image (CRS, readable pixels, bands) and records it in the "
                  "project's imagery_epoch table with its date, resolution, CRS, footprint and optional DSM.")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        self.addParameter(project_parameter())
        self.addParameter(QgsProcessingParameterRasterLayer("RASTER", tr("Image (GeoTIFF)")))
        self.addParameter(QgsProcessingParameterEnum("SENSOR", tr("Sensor"), options=sensor_labels(),
                                                     defaultValue=0))
        self.addParameter(QgsProcessingParameterString("DATE", tr("Acquisition date (YYYY-MM-DD)")))
        self.addParameter(QgsProcessingParameterString("NAME", tr("Epoch name"), optional=True))
        self.addParameter(QgsProcessingParameterRasterLayer("DSM", tr("DSM of the same epoch"), optional=True))
        self.addOutput(QgsProcessingOutputString("EPOCH_ID", tr("Epoch id")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API name
        from ..urban_grid_plugin.imagery.epochs import register_epoch

        project = self.parameterAsFile(parameters, "PROJECT", context)
        raster = self.parameterAsRasterLayer(parameters, "RASTER", context).source()
        dsm_layer = self.parameterAsRasterLayer(parameters, "DSM", context)
        with processing_errors():
            row = register_epoch(project, raster, sensor=SENSORS[self.parameterAsEnum(parameters, "SENSOR", context)],
                                 date=self.parameterAsString(parameters, "DATE", context),
                                 name=self.parameterAsString(parameters, "NAME", context) or None,
                                 dsm_path=dsm_layer.source() if dsm_layer else None)
        feedback.pushInfo(tr("Registered {name} ({resolution} m/px)").format(
            name=row["name"], resolution=row["resolution_m"]))
        return {"EPOCH_ID": row["epoch_id"]}


class AlignPair(_ImageryAlgorithm):
    """Align two images on one grid (overlap only) with co-registration and normalisation."""

    def name(self) -> str:
        return "imagery_align"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Align imagery pair")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Reprojects both images onto a common grid in the target CRS at the chosen resolution "
                  "(overlap only; finer images are area-averaged), finds the sub-pixel shift of the later "
                  "image by phase correlation and applies it, and histogram-matches the later image to the "
                  "earlier one. Writes before.tif, after.tif and align.json into the output folder.")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        self.addParameter(QgsProcessingParameterRasterLayer("BEFORE", tr("Earlier image")))
        self.addParameter(QgsProcessingParameterRasterLayer("AFTER", tr("Later image")))
        self.addParameter(QgsProcessingParameterCrs("CRS", tr("Target CRS"), defaultValue="EPSG:4547"))
        self.addParameter(QgsProcessingParameterNumber(
            "RESOLUTION", tr("Resolution (m; 0 = the coarser image's)"), QgsProcessingParameterNumber.Double,
            defaultValue=0.0, minValue=0.0))
        self.addParameter(QgsProcessingParameterFolderDestination("OUTPUT", tr("Output folder")))
        self.addOutput(QgsProcessingOutputString("SHIFT", tr("Shift found (dx, dy px)")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API name
        from ..urban_grid_plugin.imagery.align import align_pair

        before = self.parameterAsRasterLayer(parameters, "BEFORE", context).source()
        after = self.parameterAsRasterLayer(parameters, "AFTER", context).source()
        crs = self.parameterAsCrs(parameters, "CRS", context).authid() or "EPSG:4547"
        res = self.parameterAsDouble(parameters, "RESOLUTION", context) or None
        out = self.parameterAsString(parameters, "OUTPUT", context)
        with processing_errors():
            result = align_pair(before, after, out, crs=crs, resolution=res, progress=FeedbackProgress(feedback))
        return {"OUTPUT": out, "SHIFT": f"{result.shift_px[0]:.3f}, {result.shift_px[1]:.3f}"}


class DetectNewConstruction(_ImageryAlgorithm):
    """All in one: align, detect, polygons, list comparison, chips → change_candidate."""

    def name(self) -> str:
        return "imagery_detect"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Detect new construction")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr("For two registered epochs: aligns them, runs the training-free building-change detector "
                  "(or a user ONNX model), turns the change into polygons (minimum area in m²), attaches "
                  "grid code, street and community, compares with permits, known and demolished "
                  "violations, writes before/after chips and stores the candidates in the project's "
                  "change_candidate layer.")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        self.addParameter(project_parameter())
        self.addParameter(QgsProcessingParameterString("BEFORE", tr("Earlier epoch (name)")))
        self.addParameter(QgsProcessingParameterString("AFTER", tr("Later epoch (name)")))
        self.addParameter(QgsProcessingParameterFolderDestination("WORK", tr("Work folder (rasters, chips)")))
        self.addParameter(QgsProcessingParameterNumber(
            "RESOLUTION", tr("Resolution (m; 0 = the coarser epoch's)"), QgsProcessingParameterNumber.Double,
            defaultValue=0.0, minValue=0.0))
        self.addParameter(QgsProcessingParameterNumber(
            "MIN_AREA", tr("Minimum area (m²)"), QgsProcessingParameterNumber.Double, defaultValue=20.0,
            minValue=0.0))
        self.addParameter(QgsProcessingParameterFile("MODEL", tr("ONNX model (optional)"), extension="onnx",
                                                     optional=True))
        for name, label in (("PERMITS", tr("Permits")), ("KNOWN", tr("Known violations")),
                            ("DEMOLISHED", tr("Demolished violations"))):
            self.addParameter(QgsProcessingParameterVectorLayer(
                name, label, [QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterBoolean("CHIPS", tr("Write evidence chips"), defaultValue=True))
        self.addOutput(QgsProcessingOutputNumber("CANDIDATES", tr("Candidates")))
        self.addOutput(QgsProcessingOutputNumber("NEW", tr("New candidates")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API name
        from ..urban_grid_plugin.imagery.pipeline import run_pipeline

        project = self.parameterAsFile(parameters, "PROJECT", context)
        with processing_errors():
            summary = run_pipeline(
                project,
                self.parameterAsString(parameters, "BEFORE", context),
                self.parameterAsString(parameters, "AFTER", context),
                self.parameterAsString(parameters, "WORK", context),
                resolution=self.parameterAsDouble(parameters, "RESOLUTION", context) or None,
                model=self.parameterAsFile(parameters, "MODEL", context) or None,
                min_area_m2=self.parameterAsDouble(parameters, "MIN_AREA", context),
                permits=_layer_path(self, parameters, "PERMITS", context, feedback),
                known=_layer_path(self, parameters, "KNOWN", context, feedback),
                demolished=_layer_path(self, parameters, "DEMOLISHED", context, feedback),
                chips=self.parameterAsBool(parameters, "CHIPS", context),
                progress=FeedbackProgress(feedback),
            )
        feedback.pushInfo(tr("{count} candidates; lists: {lists}").format(
            count=summary["candidates"], lists=summary["lists"]))
        return {"CANDIDATES": summary["candidates"], "NEW": summary["lists"]["new"],
                "WORK": self.parameterAsString(parameters, "WORK", context)}


def algorithms() -> list[QgsProcessingAlgorithm]:
    """The imagery algorithms for the UrbanGrid provider."""
    return [RegisterEpoch(), AlignPair(), DetectNewConstruction()]
