"""Adapter from QgsProcessingFeedback to the core's Progress interface."""

from __future__ import annotations

from qgis.core import QgsProcessingFeedback

from ..urban_grid_plugin.progress import Progress


class FeedbackProgress(Progress):
    """Report core progress to a Processing dialog or qgis_process; honour Cancel."""

    def __init__(self, feedback: QgsProcessingFeedback | None) -> None:
        self.feedback = feedback or QgsProcessingFeedback()

    def set_percent(self, percent: float) -> None:
        self.feedback.setProgress(percent)

    def info(self, message: str) -> None:
        self.feedback.pushInfo(message)

    def warning(self, message: str) -> None:
        self.feedback.reportError(message, fatalError=False)

    def is_cancelled(self) -> bool:
        return self.feedback.isCanceled()
