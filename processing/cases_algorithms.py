"""Processing algorithms for cases (案件): thin wrappers over ``urban_grid_plugin.cases``."""

from __future__ import annotations

import csv
import os

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..urban_grid_plugin.cases.calendar import parse_ts
from .base import UrbanGridAlgorithm, project_parameter, tr
from .feedback import FeedbackProgress, processing_errors

GROUP, GROUP_ID = QT_TRANSLATE_NOOP("@default", "Cases"), "cases"


class _CasesAlgorithm(UrbanGridAlgorithm):
    GROUP, GROUP_ID = GROUP, GROUP_ID


class CasesFromCandidates(_CasesAlgorithm):
    """Draft 私搭乱建 cases from confirmed imagery change candidates."""

    def name(self) -> str:
        return "cases_from_candidates"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Cases from imagery candidates")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Creates one draft case (state collecting, class illegal construction: 0101 in the 2013 "
                  "profile, 06001 in 2026) for every change_candidate that is confirmed and not on the "
                  "permit/known lists, attaches its before/after chips and writes the case_id back to the "
                  "candidate. Candidates that already have a case are skipped.")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        self.addParameter(project_parameter())
        self.addParameter(QgsProcessingParameterString("ACTOR", tr("Actor (who creates the drafts)"),
                                                       defaultValue="imagery"))
        self.addParameter(QgsProcessingParameterBoolean(
            "INCLUDE_PENDING", tr("Also candidates still pending review"), defaultValue=False))
        self.addOutput(QgsProcessingOutputNumber("CREATED", tr("Cases created")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API name
        from ..urban_grid_plugin.cases.from_candidate import cases_from_candidates
        from ..urban_grid_plugin.cases.store import CaseStore

        project = self.parameterAsFile(parameters, "PROJECT", context)
        actor = self.parameterAsString(parameters, "ACTOR", context) or "imagery"
        statuses = ("confirmed", "pending") if self.parameterAsBool(parameters, "INCLUDE_PENDING", context) \
            else ("confirmed",)
        with processing_errors():
            cases = cases_from_candidates(CaseStore(project), actor=actor, role="system",
                                          review_statuses=statuses, progress=FeedbackProgress(feedback))
        feedback.pushInfo(tr("{count} draft case(s) created").format(count=len(cases)))
        return {"CREATED": len(cases)}


class FlagOverdueCases(_CasesAlgorithm):
    """Flag cases past their current-stage deadline (超期)."""

    def name(self) -> str:
        return "cases_flag_overdue"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Flag overdue cases")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Sets ug_case.overdue for every open case whose current-stage deadline (computed from "
                  "the time-limit table on the working calendar) has passed at the given time.")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        self.addParameter(project_parameter())
        self.addParameter(QgsProcessingParameterString(
            "NOW", tr("Evaluate at (ISO time; empty = now)"), optional=True))
        self.addOutput(QgsProcessingOutputNumber("OVERDUE", tr("Overdue cases")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API name
        from ..urban_grid_plugin.cases.store import CaseStore

        project = self.parameterAsFile(parameters, "PROJECT", context)
        now = self.parameterAsString(parameters, "NOW", context) or None
        with processing_errors():
            overdue = CaseStore(project).flag_overdue(now)
        for case in overdue:
            feedback.pushInfo(tr("Overdue: {case_id} {state}, due {deadline}").format(
                case_id=case["case_id"], state=case["state"], deadline=case["deadline"]))
        return {"OVERDUE": len(overdue)}


class CaseIndicators(_CasesAlgorithm):
    """Indicators per department, street and role for a period, as CSV tables and a chart."""

    def name(self) -> str:
        return "cases_indicators"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Case indicators")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Computes the evaluation indicators (on-time disposal rate, closing rate, rework rate, "
                  "on-time and accurate filing, on-time closing, on-time and accurate dispatch, valid "
                  "report rate, on-time verification and on-time check rates) and the composite score "
                  "with A–E grades per department, street and role (GB/T 30428.4) for [FROM, TO), writes "
                  "one CSV per table and a PNG chart.")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        self.addParameter(project_parameter())
        self.addParameter(QgsProcessingParameterString("FROM", tr("Period start (ISO date)")))
        self.addParameter(QgsProcessingParameterString("TO", tr("Period end, exclusive (ISO date)")))
        self.addParameter(QgsProcessingParameterString(
            "NOW", tr("Evaluate at (ISO time; empty = now)"), optional=True))
        self.addParameter(QgsProcessingParameterFolderDestination("OUTPUT_FOLDER", tr("Folder for CSV tables")))
        self.addParameter(QgsProcessingParameterFileDestination(
            "CHART", tr("Chart"), fileFilter="PNG files (*.png)"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API name
        from ..urban_grid_plugin.cases.commands import indicators_for_store
        from ..urban_grid_plugin.cases.indicators import write_chart
        from ..urban_grid_plugin.cases.store import CaseStore
        from ..urban_grid_plugin.errors import InputError

        project = self.parameterAsFile(parameters, "PROJECT", context)
        folder = self.parameterAsString(parameters, "OUTPUT_FOLDER", context)
        chart = self.parameterAsFileOutput(parameters, "CHART", context)
        with processing_errors():
            try:
                start = parse_ts(self.parameterAsString(parameters, "FROM", context))
                end = parse_ts(self.parameterAsString(parameters, "TO", context))
            except ValueError as exc:
                raise InputError(f"bad period: {exc}", field="FROM/TO") from exc
            now = self.parameterAsString(parameters, "NOW", context) or None
            tables = indicators_for_store(CaseStore(project), start, end, now)
            os.makedirs(folder, exist_ok=True)
            for group, rows in tables.items():
                feedback.setProgressText(tr("{table}: {rows} row(s)").format(table=group, rows=len(rows)))
                with open(os.path.join(folder, f"indicators_{group}.csv"), "w", newline="",
                          encoding="utf-8-sig") as fh:
                    writer = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["(empty)"])
                    writer.writeheader()
                    writer.writerows(rows)
            write_chart(tables, chart, title=tr("Case indicators {start} – {end}").format(
                start=f"{start:%Y-%m-%d}", end=f"{end:%Y-%m-%d}"))
        return {"OUTPUT_FOLDER": folder, "CHART": chart}


def algorithms() -> list[QgsProcessingAlgorithm]:
    """The cases algorithms for the UrbanGrid provider."""
    return [CasesFromCandidates(), FlagOverdueCases(), CaseIndicators()]
