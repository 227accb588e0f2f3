"""The closed-loop case workflow (闭环流程): states, actions, roles and their rules.

Stages per the standards (§4): 信息收集 → 立案 / 作废 → 派遣 → 处置 (with 延期, 回退,
挂账) → 反馈 → 核查 → 结案 or 返工. Every action names the roles allowed to take it,
the states it may start from and the state it leads to, and which time limit
(:data:`~urban_grid_plugin.cases.deadlines.STAGES`) starts running afterwards.

Applications for 延期 / 回退 / 挂账 come from the 专业部门 but take effect when the
派遣员 approves them (派遣员-延时审批 / 回退审批 / 挂账审批), so those actions are the
dispatcher's. This module is pure: :func:`plan_transition` checks an action against
a case row and returns the new case fields and the event row; the store writes both
in one transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from ..errors import InputError
from .calendar import format_ts, parse_ts
from .deadlines import STAGES, TimeLimitTable
from .schema import ROLES, STATES, role_label, state_label


class WorkflowError(InputError):
    """An action that the workflow refuses: wrong state, wrong role or bad arguments."""


@dataclass(frozen=True)
class Action:
    """A workflow action (操作)."""

    id: str
    label: str
    roles: tuple[str, ...]
    from_states: tuple[str, ...]
    to_state: str | None  # None: stays in the same state (a recorded step, e.g. 核查)
    stage: str | None  # time limit that starts afterwards; None = no deadline; "keep" = unchanged
    needs_assignee: bool = False

    def describe(self) -> str:
        """``'dispatch 派遣'``."""
        return f"{self.id} {self.label}"


_HANDLING = ("handling", "postponed")

ACTIONS: dict[str, Action] = {
    a.id: a
    for a in (
        Action("send_confirm", "核实派发", ("call_taker",), ("collecting",), None, "confirm", True),
        Action("confirm", "核实", ("inspector",), ("collecting",), None, "file"),
        Action("file", "立案", ("shift_leader",), ("collecting",), "filed", "dispatch"),
        Action("void", "作废", ("shift_leader",), ("collecting", "filed", "returned"), "voided", None),
        Action("dispatch", "派遣", ("dispatcher",), ("filed", "returned", "rework"), "dispatched", "handle", True),
        Action("accept", "签收处置", ("department",), ("dispatched",), "handling", "keep"),
        Action("postpone", "延期", ("dispatcher",), _HANDLING, "postponed", "extend"),
        Action("return", "回退", ("dispatcher",), ("dispatched",) + _HANDLING, "returned", "dispatch"),
        Action("suspend", "挂账", ("dispatcher",), ("dispatched",) + _HANDLING, "suspended", None),
        Action("resume", "挂账恢复", ("dispatcher",), ("suspended",), "handling", "handle"),
        Action("feedback", "反馈", ("department",), ("dispatched",) + _HANDLING, "feedback", "dispatch_check"),
        Action("send_check", "核查派发", ("call_taker",), ("feedback",), "verifying", "check", True),
        Action("check", "核查", ("inspector",), ("verifying",), None, "close"),
        Action("close", "结案", ("shift_leader",), ("verifying",), "closed", None),
        Action("rework", "返工", ("shift_leader",), ("verifying",), "rework", "dispatch"),
    )
}
#: The creating action (上报 / 登记); not taken on an existing case.
REPORT = Action("report", "上报", ("inspector", "call_taker", "system"), (), "collecting", "file")
_LABELS = {a.label: a.id for a in ACTIONS.values()}


def action_id(action: str) -> str:
    """ASCII action id from an id or a Chinese label."""
    if action in ACTIONS:
        return action
    if action in _LABELS:
        return _LABELS[action]
    raise WorkflowError(
        f"unknown action {action!r}; actions are: " + ", ".join(a.describe() for a in ACTIONS.values())
    )


def allowed_actions(state: str, role: str | None = None) -> list[Action]:
    """Actions possible from ``state`` (for ``role`` if given), in workflow order."""
    return [
        a for a in ACTIONS.values() if state in a.from_states and (role is None or role in a.roles)
    ]


def check_role(role: str) -> None:
    """Refuse an unknown role."""
    if role not in ROLES:
        raise WorkflowError(f"unknown role {role!r}; roles are: " + ", ".join(role_label(r) for r in ROLES))


def plan_report(
    case_id: str, *, actor: str, role: str, at: dt.datetime, source: str, limits: TimeLimitTable,
    profile: str, class_code: str, urgency: str, note: str | None = None, kind: str = "event",
) -> tuple[dict, dict]:
    """Deadline and event row for a newly reported case (上报 or 热线登记).

    A hotline report registered by a 受理员 first needs an inspector's 核实, so its
    first deadline is the 核实派发 limit; everything else waits for 立案.
    """
    check_role(role)
    if role not in REPORT.roles:
        raise WorkflowError(
            f"role {role_label(role)} cannot report a case; allowed: "
            + ", ".join(role_label(r) for r in REPORT.roles)
        )
    stage = "dispatch_confirm" if source == "hotline" else "file"
    deadline = limits.deadline_text(at, profile, class_code, urgency, stage, kind)
    event = _event(case_id, None, "collecting", REPORT.id, actor, role, at, note, None, deadline)
    return {"state": "collecting", "deadline": deadline}, event


def plan_transition(
    case: dict,
    action: str,
    *,
    actor: str,
    role: str,
    at: dt.datetime,
    limits: TimeLimitTable,
    last_event_at: str | None = None,
    note: str | None = None,
    assignee: str | None = None,
    extension: tuple[float, str] | None = None,
    checked: bool | None = None,
) -> tuple[dict, dict]:
    """Check ``action`` on ``case`` and return ``(case_updates, event_row)``.

    ``checked`` says whether the inspector has reported the on-site 核查 since the
    last 核查派发; 结案 and 返工 wait for it (None skips that rule).

    Raises :class:`WorkflowError` naming the case, its state and the allowed actions
    when the action is illegal in that state, and the roles when the role is wrong.
    Nothing is written here.
    """
    act = ACTIONS[action_id(action)]
    check_role(role)
    state = case["state"]
    cid = case["case_id"]
    if state not in act.from_states:
        allowed = allowed_actions(state)
        choices = ", ".join(a.describe() for a in allowed) if allowed else "none (the case is final)"
        raise WorkflowError(
            f"case {cid} is in state {state_label(state)}; action {act.describe()} is not allowed "
            f"there. Allowed actions: {choices}"
        )
    if role not in act.roles:
        raise WorkflowError(
            f"case {cid}: action {act.describe()} needs role "
            + " or ".join(role_label(r) for r in act.roles)
            + f"; {actor} acts as {role_label(role)}"
        )
    if last_event_at is not None and parse_ts(at) < parse_ts(last_event_at):
        raise WorkflowError(
            f"case {cid}: {act.describe()} at {format_ts(at)} is earlier than its last step at {last_event_at}"
        )
    if act.id in ("close", "rework") and checked is False:
        raise WorkflowError(
            f"case {cid}: {act.describe()} waits for the inspector's on-site check; "
            f"next is {ACTIONS['check'].describe()} by {role_label('inspector')}"
        )
    if act.id == "dispatch":
        assignee = assignee or case.get("department")
    if act.needs_assignee and not assignee:
        what = "department (专业部门)" if act.id == "dispatch" else "inspector (监督员)"
        raise WorkflowError(f"case {cid}: {act.describe()} needs an assignee: the {what}")

    deadline = _next_deadline(case, act, at, limits, extension)
    to_state = act.to_state or state
    updates = {"state": to_state, "deadline": deadline, "updated_at": format_ts(at), "overdue": 0}
    if act.id == "dispatch":
        updates["department"] = assignee
    event = _event(cid, state, to_state, act.id, actor, role, at, note, assignee, deadline)
    return updates, event


def _next_deadline(case, act: Action, at, limits: TimeLimitTable, extension) -> str | None:
    """The deadline that runs after ``act``."""
    if act.stage is None:
        return None
    if act.stage == "keep":
        return case.get("deadline")
    key = (case["profile"], case["class_code"], case["urgency"])
    kind = case.get("kind") or "event"
    if act.stage == "extend":
        # 延期 pushes the handling deadline out; by default by one more handling limit.
        base = parse_ts(case.get("deadline")) or parse_ts(at)
        if extension is None:
            lim = limits.limit(*key, "handle", kind)
            extension = (lim.value, lim.unit)
        value, unit = extension
        return format_ts(limits.calendar.add(base, float(value), unit))
    if act.stage not in STAGES:
        raise ValueError(act.stage)
    return limits.deadline_text(at, *key, act.stage, kind)


def _event(case_id, from_state, to_state, action, actor, role, at, note, assignee, deadline) -> dict:
    if not actor:
        raise WorkflowError(f"case {case_id}: every step needs the actor's name")
    if to_state not in STATES:
        raise ValueError(to_state)
    return {
        "event_id": str(uuid.uuid4()),
        "case_id": case_id,
        "from_state": from_state,
        "to_state": to_state,
        "action": action,
        "actor": actor,
        "role": role,
        "at": format_ts(parse_ts(at)),
        "note": note,
        "assignee": assignee,
        "deadline": deadline,
    }
