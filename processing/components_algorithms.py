"""Processing algorithms for components (部件): thin wrappers over ``urban_grid_plugin.components``."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from .base import UrbanGridAlgorithm, project_parameter, tr
from .feedback import FeedbackProgress, processing_errors

GROUP, GROUP_ID = QT_TRANSLATE_NOOP("@default", "Components"), "components"


class _ComponentsAlgorithm(UrbanGridAlgorithm):
    GROUP, GROUP_ID = GROUP, GROUP_ID


class ImportComponents(_ComponentsAlgorithm):
    """Import a survey file: validate, assign to grid cells, code, quarantine bad rows."""

    def name(self) -> str:
        return "componentsimport"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Import components")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Imports components from a GeoPackage, Shapefile, GeoJSON or CSV (x/y) in any CRS. "
                  "A YAML/JSON mapping file maps your column names to the standard fields. Every row is "
                  "validated (class code, geometry type, inside a grid cell, required fields, dates, ID); "
                  "bad rows go to component_quarantine with file, row and reason. Valid rows are assigned "
                  "to their grid cell and community and get a standard ID (division + class + serial). "
                  "Re-importing the same file changes nothing.")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        self.addParameter(project_parameter())
        self.addParameter(QgsProcessingParameterFile(
            "INPUT", tr("Survey file (GeoPackage, Shapefile, GeoJSON, CSV)")))
        self.addParameter(QgsProcessingParameterFile(
            "MAPPING", tr("Field-mapping file (YAML/JSON)"), optional=True))
        self.addParameter(QgsProcessingParameterFile(
            "EXTENSION", tr("Local code-table extension (CSV)"), extension="csv", optional=True))
        self.addParameter(QgsProcessingParameterString(
            "REASON", tr("Change reason for updated components"), optional=True))
        for key, label in (("INSERTED", tr("New components")), ("UPDATED", tr("Changed components")),
                           ("UNCHANGED", tr("Unchanged components")), ("QUARANTINED", tr("Rows in quarantine"))):
            self.addOutput(QgsProcessingOutputNumber(key, label))
        self.addOutput(QgsProcessingOutputString("SUMMARY", tr("Summary")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API name
        from ..urban_grid_plugin.components.importer import import_components

        project = self.parameterAsFile(parameters, "PROJECT", context)
        source = self.parameterAsFile(parameters, "INPUT", context)
        mapping = self.parameterAsFile(parameters, "MAPPING", context) or None
        extension = self.parameterAsFile(parameters, "EXTENSION", context) or None
        reason = self.parameterAsString(parameters, "REASON", context) or None
        with processing_errors():
            result = import_components(project, source, mapping=mapping, codes_extension=extension,
                                       reason=reason, progress=FeedbackProgress(feedback))
        feedback.pushInfo(result.summary())
        return {"INSERTED": result.inserted, "UPDATED": result.updated, "UNCHANGED": result.unchanged,
                "QUARANTINED": result.quarantine_count, "SUMMARY": result.summary()}


class ComponentCensus(_ComponentsAlgorithm):
    """Counts per cell, class, state and department; writes the census grid layer."""

    def name(self) -> str:
        return "componentscensus"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Component census")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Counts components per grid cell, class, state and department into the table "
                  "component_census and the polygon layer component_census_cell (total and per major "
                  "class per cell), styled as a choropleth by layers/component_census.qml.")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        self.addParameter(project_parameter())
        self.addParameter(QgsProcessingParameterFileDestination(
            "CSV", tr("Census table (CSV)"), fileFilter="CSV (*.csv)", optional=True, createByDefault=False))
        self.addOutput(QgsProcessingOutputNumber("TOTAL", tr("Components counted")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API name
        from ..urban_grid_plugin.components.census import census

        project = self.parameterAsFile(parameters, "PROJECT", context)
        out = self.parameterAsFileOutput(parameters, "CSV", context)
        with processing_errors():
            table = census(project, progress=FeedbackProgress(feedback))
        if out:
            table.to_csv(out, index=False)
        total = int(table["count"].sum())
        feedback.pushInfo(tr("{total} components in {cells} cells").format(
            total=total, cells=table["grid_code"].nunique()))
        return {"TOTAL": total, "CSV": out}


class FindDuplicates(_ComponentsAlgorithm):
    """Same-class components closer than a tolerance."""

    def name(self) -> str:
        return "componentsduplicates"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Find duplicate components")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Lists pairs of components of the same class closer than the tolerance into the table "
                  "component_duplicate, for review.")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        self.addParameter(project_parameter())
        self.addParameter(QgsProcessingParameterNumber("TOLERANCE", tr("Tolerance (m)"),
                                                       QgsProcessingParameterNumber.Double, 0.5, minValue=0.001))
        self.addOutput(QgsProcessingOutputNumber("PAIRS", tr("Duplicate pairs")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API name
        from ..urban_grid_plugin.components.census import find_duplicates

        project = self.parameterAsFile(parameters, "PROJECT", context)
        tol = self.parameterAsDouble(parameters, "TOLERANCE", context)
        with processing_errors():
            pairs = find_duplicates(project, tolerance=tol)
        feedback.pushInfo(tr("{pairs} duplicate pairs within {tolerance} m").format(pairs=len(pairs), tolerance=tol))
        return {"PAIRS": len(pairs)}


class ComponentsAsOf(_ComponentsAlgorithm):
    """Components as they were on a date, written to a GeoPackage."""

    def name(self) -> str:
        return "componentsasof"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Components as of a date")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Writes every component as it was on the given date (YYYY-MM-DD), using the change "
                  "history (component_history): components created later are left out, changed ones "
                  "appear in the version valid on that day.")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        self.addParameter(project_parameter())
        self.addParameter(QgsProcessingParameterString("DATE", tr("Date (YYYY-MM-DD)")))
        self.addParameter(QgsProcessingParameterFileDestination("OUTPUT", tr("Output GeoPackage"),
                                                                fileFilter="GeoPackage (*.gpkg)"))
        self.addOutput(QgsProcessingOutputNumber("COUNT", tr("Components on that date")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API name
        import pyogrio

        from ..urban_grid_plugin.components.store import as_of

        project = self.parameterAsFile(parameters, "PROJECT", context)
        date = self.parameterAsString(parameters, "DATE", context)
        out = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        with processing_errors():
            frame = as_of(project, date)
        for kind in ("point", "line", "polygon"):
            part = frame[frame["layer"] == kind]
            if len(part):
                pyogrio.write_dataframe(part, out, layer=f"component_{kind}", driver="GPKG",
                                        promote_to_multi=kind != "point")
        feedback.pushInfo(tr("{count} components as of {date}").format(count=len(frame), date=date))
        return {"COUNT": len(frame), "OUTPUT": out}


class ReassignComponents(_ComponentsAlgorithm):
    """Re-assign stored components after the grid changed."""

    def name(self) -> str:
        return "componentsreassign"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Re-assign components to the grid")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr("After the unit grid changed, assigns every stored component to its current active grid "
                  "cell and community. Components that moved keep their old version in component_history; "
                  "components now outside every cell keep their codes and are reported.")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        self.addParameter(project_parameter())
        self.addParameter(QgsProcessingParameterString("REASON", tr("Change reason"),
                                                       defaultValue=tr("grid re-assignment")))
        self.addOutput(QgsProcessingOutputNumber("CHANGED", tr("Components moved to another cell")))
        self.addOutput(QgsProcessingOutputNumber("OUTSIDE", tr("Components outside every cell")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API name
        from ..urban_grid_plugin.components.store import reassign

        project = self.parameterAsFile(parameters, "PROJECT", context)
        reason = self.parameterAsString(parameters, "REASON", context) or "grid re-assignment"
        with processing_errors():
            res = reassign(project, reason=reason, progress=FeedbackProgress(feedback))
        feedback.pushInfo(tr("Checked {checked}: {changed} moved, {outside} outside every cell").format(
            checked=res["checked"], changed=res["changed"], outside=res["outside"]))
        return {"CHANGED": res["changed"], "OUTSIDE": res["outside"]}


def algorithms() -> list[QgsProcessingAlgorithm]:
    """The component algorithms for the UrbanGrid provider."""
    return [ImportComponents(), ComponentCensus(), FindDuplicates(), ComponentsAsOf(), ReassignComponents()]
