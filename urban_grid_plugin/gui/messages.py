"""Errors for people: a message-bar line in their language, the traceback in the log.

Core errors (:class:`UrbanGridError`) already name file, row and field; they are
shown under a translated heading. Anything else is a bug: the user gets a translated
sentence that points at the log panel, and the traceback goes to the log only.
"""

from __future__ import annotations

from qgis.core import Qgis, QgsMessageLog
from qgis.PyQt.QtCore import QCoreApplication

from ..errors import InputError, UrbanGridError
from ..mapping.i18n import TR_CONTEXT

LOG_TAG = "UrbanGrid"


def tr(text: str) -> str:
    """Translate in the GUI's context."""
    return QCoreApplication.translate(TR_CONTEXT, text)


def user_message(error: BaseException, action: str | None = None) -> str:
    """One line for the message bar, in the user's language; never a traceback."""
    from .core_messages import translate_error

    prefix = tr("{action} failed").format(action=action) if action else tr("Failed")
    if isinstance(error, InputError):
        return tr("{prefix}: please check the input. {detail}").format(
            prefix=prefix, detail=translate_error(error))
    if isinstance(error, UrbanGridError):
        return f"{prefix}: {translate_error(error)}"
    if isinstance(error, FileNotFoundError):
        return tr("{prefix}: file not found: {name}").format(prefix=prefix, name=error.filename)
    if isinstance(error, PermissionError):
        return tr("{prefix}: no permission to write {name}").format(prefix=prefix,
                                                                     name=error.filename)
    return tr("{prefix}: an unexpected error occurred. Details are in the Log Messages panel "
              "(UrbanGrid tab).").format(prefix=prefix)


def report_error(message_bar, error: BaseException, action: str | None = None,
                 details: str = "") -> str:
    """Show ``error`` on ``message_bar`` (if any) and log the details; return the text shown."""
    text = user_message(error, action)
    QgsMessageLog.logMessage(f"{text}\n{details}".strip(), LOG_TAG, Qgis.Critical,
                             notifyUser=False)
    if message_bar is not None:
        message_bar.pushMessage("UrbanGrid", text, Qgis.Critical, 10)
    return text
