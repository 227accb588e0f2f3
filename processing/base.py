"""What every UrbanGrid Processing algorithm shares: its group, the project parameter, ``tr``."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingParameterFile,
    QgsProcessingUtils,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication

from ..urban_grid_plugin.mapping.i18n import TR_CONTEXT


def tr(text: str) -> str:
    """Translate ``text`` in the plugin's context.

    Every algorithm module calls this module-level ``tr("…")`` with a literal, so
    pylupdate5 files the strings under ``@default`` (:data:`TR_CONTEXT`) together
    with the GUI's. Placeholders are filled after translation:
    ``tr("{n} cells").format(n=3)``.
    """
    return QCoreApplication.translate(TR_CONTEXT, text)


class UrbanGridAlgorithm(QgsProcessingAlgorithm):
    """Base of the ``urbangrid:*`` algorithms; a subclass sets ``GROUP`` and ``GROUP_ID``.

    ``GROUP`` is the English source text, marked with
    ``QT_TRANSLATE_NOOP("@default", "…")`` so pylupdate5 extracts it;
    :meth:`group` translates it when QGIS asks.
    """

    GROUP = ""
    GROUP_ID = ""

    def group(self) -> str:
        return tr(self.GROUP) if self.GROUP else ""

    def groupId(self) -> str:  # noqa: N802 - QGIS API name
        return self.GROUP_ID

    def createInstance(self):  # noqa: N802 - QGIS API name
        return type(self)()


def project_parameter(description: str | None = None) -> QgsProcessingParameterFile:
    """The ``PROJECT`` input: an existing project GeoPackage (项目库)."""
    return QgsProcessingParameterFile("PROJECT", description or tr("Project GeoPackage"), extension="gpkg")


#: Vector formats the core reads directly; any other layer is exported to GeoPackage first.
FILE_FORMATS = ["gpkg", "shp", "geojson", "json"]


def file_layer_path(layer: QgsVectorLayer, base_name: str, context: QgsProcessingContext,
                    feedback: QgsProcessingFeedback) -> str:
    """``path`` or ``path|layer`` of a file the core can read for ``layer``.

    Memory, PostGIS and other non-file layers are exported to a temporary GeoPackage,
    because the core reads files, not QGIS providers.
    """
    path, layer_name = QgsProcessingUtils.convertToCompatibleFormatAndLayerName(
        layer, False, base_name, FILE_FORMATS, "gpkg", context, feedback)
    return f"{path}|{layer_name}" if layer_name else path
