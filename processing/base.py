"""What every UrbanGrid Processing algorithm shares: its group and the project parameter."""

from __future__ import annotations

from qgis.core import QgsProcessingAlgorithm, QgsProcessingParameterFile


class UrbanGridAlgorithm(QgsProcessingAlgorithm):
    """Base of the ``urbangrid:*`` algorithms; a subclass sets ``GROUP`` and ``GROUP_ID``."""

    GROUP = ""
    GROUP_ID = ""

    def group(self) -> str:
        return self.GROUP

    def groupId(self) -> str:  # noqa: N802 - QGIS API name
        return self.GROUP_ID

    def createInstance(self):  # noqa: N802 - QGIS API name
        return type(self)()


def project_parameter(description: str = "Project GeoPackage (项目库)") -> QgsProcessingParameterFile:
    """The ``PROJECT`` input: an existing project GeoPackage."""
    return QgsProcessingParameterFile("PROJECT", description, extension="gpkg")
