"""Run core functions as QgsTasks: progress bar, cancel button, no frozen UI.

Every core job takes ``progress: Progress``; :class:`TaskProgress` adapts that to
``QgsTask.setProgress`` / ``isCanceled``, so the task manager's bar moves and its
cancel button raises :class:`Cancelled` at the next ``progress.check()``. Results
and errors come back on the main thread in :meth:`CoreTask.finished`, where errors
become message-bar messages (see :mod:`.messages`), never tracebacks.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsTask

from ..errors import Cancelled
from ..progress import Progress
from .messages import LOG_TAG, report_error, tr


class TaskProgress(Progress):
    """The core's Progress over a running QgsTask (called from the worker thread)."""

    def __init__(self, task: QgsTask) -> None:
        self.task = task

    def set_percent(self, percent: float) -> None:
        self.task.setProgress(max(0.0, min(100.0, float(percent))))

    def info(self, message: str) -> None:
        QgsMessageLog.logMessage(message, LOG_TAG, Qgis.Info, notifyUser=False)

    def warning(self, message: str) -> None:
        QgsMessageLog.logMessage(message, LOG_TAG, Qgis.Warning, notifyUser=False)
        self.task.warnings.append(message)

    def is_cancelled(self) -> bool:
        return self.task.isCanceled()


class CoreTask(QgsTask):
    """A QgsTask that calls ``function(*args, progress=..., **kwargs)`` in a worker thread.

    ``on_success(result)`` runs on the main thread when it returns; ``on_error(exc)``
    after the error has been shown. ``message_bar`` (``iface.messageBar()``) receives
    success, cancel and error messages; None keeps it quiet (tests, headless).
    """

    def __init__(
        self,
        description: str,
        function: Callable[..., Any],
        *args: Any,
        on_success: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        message_bar=None,
        success_message: str | Callable[[Any], str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(description, QgsTask.CanCancel)
        self.function, self.args, self.kwargs = function, args, kwargs
        self.on_success, self.on_error = on_success, on_error
        self.message_bar = message_bar
        self.success_message = success_message
        self.result: Any = None
        self.error: BaseException | None = None
        self.details = ""
        self.warnings: list[str] = []
        self.done = False

    def run(self) -> bool:  # worker thread: no widgets here
        try:
            self.result = self.function(*self.args, progress=TaskProgress(self), **self.kwargs)
            return True
        except Cancelled as exc:
            self.error = exc
            return False
        except Exception as exc:  # reported on the main thread in finished()
            self.error = exc
            self.details = traceback.format_exc()
            return False

    def finished(self, ok: bool) -> None:  # main thread
        self.done = True
        if ok:
            if self.message_bar is not None and self.success_message:
                text = self.success_message
                if callable(text):
                    text = text(self.result)
                self.message_bar.pushSuccess("UrbanGrid", text)
            if self.on_success is not None:
                try:
                    self.on_success(self.result)
                except Exception as exc:
                    report_error(self.message_bar, exc, self.description(),
                                 traceback.format_exc())
            return
        if self.error is None or isinstance(self.error, Cancelled) or self.isCanceled():
            if self.message_bar is not None:
                self.message_bar.pushInfo("UrbanGrid", tr("{task}: cancelled, nothing was changed")
                                          .format(task=self.description()))
            return
        report_error(self.message_bar, self.error, self.description(), self.details)
        if self.on_error is not None:
            self.on_error(self.error)


def start_task(task: CoreTask) -> CoreTask:
    """Hand ``task`` to QGIS's task manager (it shows progress and a cancel button)."""
    QgsApplication.taskManager().addTask(task)
    return task


def wait_for(task: CoreTask, timeout: float = 120.0) -> bool:
    """Process events until ``task`` has finished (tests and scripts); True if it did."""
    import time

    from qgis.PyQt.QtCore import QCoreApplication

    deadline = time.monotonic() + timeout
    while not task.done and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.01)
    return task.done
