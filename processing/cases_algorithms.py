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

from ..urban_grid_plugin.cases.calendar import parse_ts
from .base import UrbanGridAlgorithm, project_parameter
from .feedback import FeedbackProgress, processing_errors

GROUP, GROUP_ID = "案件 Cases", "cases"


class _CasesAlgorithm(UrbanGridAlgorithm):
    GROUP, GROUP_ID = GROUP, GROUP_ID


class CasesFromCandidates(_CasesAlgorithm):
    """Draft 私搭乱建 cases from confirmed imagery change candidates."""

    def name(self) -> str:
        return "cases_from_candidates"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return "Cases from imagery candidates (图斑→案件)"

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return ("Creates one draft case (信息收集, class 私搭乱建: 0101 in the 2013 profile, 06001 in "
                "2026) for every change_candidate that is confirmed and not on the permit/known lists, "
                "attaches its before/after chips and writes the case_id back to the candidate. "
                "Candidates that already have a case are skipped.")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        self.addParameter(project_parameter())
        self.addParameter(QgsProcessingParameterString("ACTOR", "Actor (who creates the drafts)",
                                                       defaultValue="imagery"))
        self.addParameter(QgsProcessingParameterBoolean(
            "INCLUDE_PENDING", "Also candidates still pending review", defaultValue=False))
        self.addOutput(QgsProcessingOutputNumber("CREATED", "Cases created"))

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
        feedback.pushInfo(f"{len(cases)} draft case(s) created")
        return {"CREATED": len(cases)}


class FlagOverdueCases(_CasesAlgorithm):
    """Flag cases past their current-stage deadline (超期)."""

    def name(self) -> str:
        return "cases_flag_overdue"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return "Flag overdue cases (超期案件)"

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return ("Sets ug_case.overdue for every open case whose current-stage deadline (computed from "
                "the time-limit table on the working calendar) has passed at the given time.")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        self.addParameter(project_parameter())
        self.addParameter(QgsProcessingParameterString(
            "NOW", "Evaluate at (ISO time; empty = now)", optional=True))
        self.addOutput(QgsProcessingOutputNumber("OVERDUE", "Overdue cases"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API name
        from ..urban_grid_plugin.cases.store import CaseStore

        project = self.parameterAsFile(parameters, "PROJECT", context)
        now = self.parameterAsString(parameters, "NOW", context) or None
        with processing_errors():
            overdue = CaseStore(project).flag_overdue(now)
        for case in overdue:
            feedback.pushInfo(f"超期 {case['case_id']} {case['state']} due {case['deadline']}")
        return {"OVERDUE": len(overdue)}


class CaseIndicators(_CasesAlgorithm):
    """Indicators per department, street and role for a period, as CSV tables and a chart."""

    def name(self) -> str:
        return "cases_indicators"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return "Case indicators (绩效评价)"

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return ("Computes 按期处置率, 结案率, 返工率, 按时立案率, 准确立案率, 按时结案率, 按时派遣率, "
                "准确派遣率, 有效上报率, 按时核实率, 按时核查率 and the 综合指标值 with A–E grades per "
                "department, street and role (GB/T 30428.4) for [FROM, TO), writes one CSV per table "
                "and a PNG chart.")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        self.addParameter(project_parameter())
        self.addParameter(QgsProcessingParameterString("FROM", "Period start (ISO date)"))
        self.addParameter(QgsProcessingParameterString("TO", "Period end, exclusive (ISO date)"))
        self.addParameter(QgsProcessingParameterString(
            "NOW", "Evaluate at (ISO time; empty = now)", optional=True))
        self.addParameter(QgsProcessingParameterFolderDestination("OUTPUT_FOLDER", "Folder for CSV tables"))
        self.addParameter(QgsProcessingParameterFileDestination(
            "CHART", "Chart", fileFilter="PNG files (*.png)"))

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
                feedback.setProgressText(f"{group}: {len(rows)} row(s)")
                with open(os.path.join(folder, f"indicators_{group}.csv"), "w", newline="",
                          encoding="utf-8-sig") as fh:
                    writer = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["(empty)"])
                    writer.writeheader()
                    writer.writerows(rows)
            write_chart(tables, chart, title=f"绩效评价 {start:%Y-%m-%d} – {end:%Y-%m-%d}")
        return {"OUTPUT_FOLDER": folder, "CHART": chart}


def algorithms() -> list[QgsProcessingAlgorithm]:
    """The cases algorithms for the UrbanGrid provider."""
    return [CasesFromCandidates(), FlagOverdueCases(), CaseIndicators()]
