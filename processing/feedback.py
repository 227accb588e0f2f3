"""Adapters between Processing and the core: progress, cancellation and errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from qgis.core import QgsProcessingException, QgsProcessingFeedback

from ..urban_grid_plugin.errors import UrbanGridError
from ..urban_grid_plugin.progress import Progress


class FeedbackProgress(Progress):
    """Report core progress to a Processing dialog or qgis_process; honour Cancel."""

    def __init__(self, feedback: QgsProcessingFeedback | None) -> None:
        # Processing may pass None (e.g. processing.run without feedback).
        self.feedback = feedback if feedback is not None else QgsProcessingFeedback()

    def set_percent(self, percent: float) -> None:
        self.feedback.setProgress(max(0.0, min(100.0, float(percent))))

    def info(self, message: str) -> None:
        self.feedback.pushInfo(message)

    def warning(self, message: str) -> None:
        self.feedback.pushWarning(message)

    def is_cancelled(self) -> bool:
        return self.feedback.isCanceled()


@contextmanager
def processing_errors() -> Iterator[None]:
    """Turn core errors into ``QgsProcessingException`` with the core's message.

    Processing shows a ``QgsProcessingException`` as a clean error line (and
    ``qgis_process`` exits non-zero) instead of a Python traceback, so the user
    sees e.g. "communities.gpkg: row 3, field 'community_code': ..." — in their
    language when the plugin's translation lists the message (English otherwise).
    Wrap the core call inside ``processAlgorithm``::

        with processing_errors():
            result = core_function(..., progress=FeedbackProgress(feedback))
    """
    try:
        yield
    except UrbanGridError as exc:
        from ..urban_grid_plugin.gui.core_messages import translate_error

        raise QgsProcessingException(translate_error(exc)) from exc
