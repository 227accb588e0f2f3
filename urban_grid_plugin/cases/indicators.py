"""Performance indicators (绩效评价指标) per department, street and role for a period.

Formulas follow GB/T 30428.4 / CJ/T 292 as recorded in the standards file (§5). All
counts come from the transition log (``ug_case_event``): each event stores the
deadline it set for the next step, so an action is on time (按时) when it happens no
later than the deadline the previous event set.

Definitions used (where the standard leaves room, the choice is written here):

- A dispatch task (派遣任务) is one ``dispatch`` event and what follows it until the
  next dispatch of the same case. It counts in the period when dispatched in it.
  Its deadline is the last one set within the task (延期 and 挂账恢复 move it).
  Tasks ended by 回退 (not that department's) or 挂账 (问题库) are not due.
- 处置数: tasks with a 反馈; 按时处置数: 反馈 on or before the deadline;
  超时未处置数: no 反馈 and the deadline passed before the evaluation time
  (``min(end, now)``); 应处置数 = 应结案数 = 处置数 + 超时未处置数.
- 结案数 / 返工数: handled tasks whose 反馈 was followed by 结案 / 返工.
- Department and street 立案数: distinct cases of those tasks.
- 监督员 漏报数: filed hotline cases in grid cells where the inspector reported in
  the period (their patrol area); 立案数 = 有效上报数 + 漏报数.
- 派遣员 返工数 (for 准确派遣率): dispatches the department returned (回退), i.e.
  sent to the wrong department; a 返工 after 核查 is the department's, not the
  dispatcher's.
- 受理员 综合指标值 = 受理数分值×25% + 核实按时派发率×40% + 核查按时派发率×35%
  (the public repository reuses 核实按时派发率 for the last term; that is a bug).
- 派遣数分值 has no published tiers; the 受理数 tiers are used.
- A rate with nothing due (zero denominator) is shown as empty; in a 综合指标值 it
  counts as no failure (100 % for a good rate, 0 % for 返工率 / 漏报率). A department
  or street with nothing due yet (应处置数 = 0) gets no 综合指标值 and no grade.

Grades: A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E < 40.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Iterable

from .calendar import parse_ts

GRADES = ((90.0, "A"), (75.0, "B"), (60.0, "C"), (40.0, "D"))
#: 受理数分值 tiers (count ≥ threshold -> score); also used for 派遣数分值.
COUNT_SCORE_TIERS = ((2001, 100.0), (1201, 90.0), (501, 75.0), (301, 60.0), (101, 40.0))
#: 专业部门 立案数分值 tiers, already weighted (count ≤ threshold -> score); fewer is better.
DEPT_FILED_TIERS = ((50, 10.0), (100, 9.0), (200, 7.5), (500, 6.0), (1000, 4.0))

GROUPS = {
    "department": "专业部门",
    "street": "街道",
    "inspector": "监督员",
    "call_taker": "受理员",
    "shift_leader": "值班长",
    "dispatcher": "派遣员",
}


def grade(score: float | None) -> str:
    """A–E grade of a 综合指标值."""
    if score is None:
        return ""
    for threshold, letter in GRADES:
        if score >= threshold:
            return letter
    return "E"


def count_score(n: int) -> float:
    """受理数分值 / 派遣数分值 from a count."""
    for threshold, score in COUNT_SCORE_TIERS:
        if n >= threshold:
            return score
    return 0.0


def dept_filed_score(n: int) -> float:
    """专业部门 立案数分值 (already ×10 %)."""
    for threshold, score in DEPT_FILED_TIERS:
        if n <= threshold:
            return score
    return 0.0


def rate(num: int, den: int) -> float | None:
    """``num / den`` in percent, or None when nothing was due."""
    return None if den == 0 else 100.0 * num / den


def _good(r: float | None) -> float:
    return 100.0 if r is None else r


def _bad(r: float | None) -> float:
    return 0.0 if r is None else r


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


# --- event bookkeeping ----------------------------------------------------------------


def _by_case(events: Iterable[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for e in events:
        e = dict(e, _at=parse_ts(e["at"]), _deadline=parse_ts(e.get("deadline")))
        out[e["case_id"]].append(e)
    for seq in out.values():
        seq.sort(key=lambda e: e["_at"])
    return out


def _on_time(seq: list[dict], i: int) -> bool:
    """Event ``i`` happened no later than the deadline the previous event set."""
    if i == 0 or seq[i - 1]["_deadline"] is None:
        return True
    return seq[i]["_at"] <= seq[i - 1]["_deadline"]


def dispatch_tasks(seq: list[dict], evaluation: dt.datetime) -> list[dict]:
    """Dispatch tasks of one case's event sequence (see the module docstring)."""
    tasks = []
    starts = [i for i, e in enumerate(seq) if e["action"] == "dispatch"]
    for n, i in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(seq)
        d = seq[i]
        task = {"event": d, "department": d.get("assignee"), "at": d["_at"], "deadline": d["_deadline"],
                "handled": False, "on_time": False, "returned": False, "suspended": False,
                "closed": False, "reworked": False, "overdue_unhandled": False}
        for e in seq[i + 1:stop]:
            act = e["action"]
            if act in ("postpone", "resume") and not task["handled"]:
                task["deadline"] = e["_deadline"]
                task["suspended"] = False
            elif act == "suspend" and not task["handled"]:
                task["suspended"] = True
            elif act == "return" and not task["handled"]:
                task["returned"] = True
            elif act == "feedback" and not task["handled"]:
                task["handled"] = True
                task["on_time"] = task["deadline"] is None or e["_at"] <= task["deadline"]
            elif act == "close" and task["handled"] and e["_at"] <= evaluation:
                task["closed"] = True
            elif act == "rework" and task["handled"] and e["_at"] <= evaluation:
                task["reworked"] = True
        if (not task["handled"] and not task["returned"] and not task["suspended"]
                and task["deadline"] is not None and task["deadline"] < evaluation):
            task["overdue_unhandled"] = True
        tasks.append(task)
    return tasks


def _in(when: dt.datetime, start: dt.datetime, end: dt.datetime) -> bool:
    return start <= when < end


# --- indicator tables ------------------------------------------------------------------


def compute_indicators(
    cases: Iterable[dict],
    events: Iterable[dict],
    start: dt.datetime | str,
    end: dt.datetime | str,
    now: dt.datetime | str | None = None,
) -> dict[str, list[dict]]:
    """All indicator tables for the period ``[start, end)``.

    Returns ``{group: rows}`` for the groups in :data:`GROUPS`; each row is a dict
    with Chinese indicator names as keys, ``综合指标值`` and ``等级``.
    """
    start, end = parse_ts(start), parse_ts(end)
    evaluation = min(end, parse_ts(now)) if now is not None else end
    case_by_id = {c["case_id"]: c for c in cases}
    seqs = _by_case(events)
    return {
        "department": _task_table(case_by_id, seqs, start, end, evaluation, "department"),
        "street": _task_table(case_by_id, seqs, start, end, evaluation, "street"),
        "inspector": _inspector_table(case_by_id, seqs, start, end, evaluation),
        "call_taker": _call_taker_table(seqs, start, end),
        "shift_leader": _shift_leader_table(seqs, start, end, evaluation),
        "dispatcher": _dispatcher_table(seqs, start, end, evaluation),
    }


def _task_table(case_by_id, seqs, start, end, evaluation, by: str) -> list[dict]:
    """专业部门 indicators, grouped by department or by the cases' street."""
    groups: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    cases_of: dict[str, set] = defaultdict(set)
    for case_id, seq in seqs.items():
        case = case_by_id.get(case_id, {})
        for t in dispatch_tasks(seq, evaluation):
            if not _in(t["at"], start, end) or t["returned"] or (t["suspended"] and not t["handled"]):
                continue
            key = (t["department"] if by == "department" else case.get("street_code")) or "(未知)"
            g = groups[key]
            cases_of[key].add(case_id)
            g["处置数"] += t["handled"]
            g["按时处置数"] += t["handled"] and t["on_time"]
            g["超时未处置数"] += t["overdue_unhandled"]
            g["结案数"] += t["closed"]
            g["返工数"] += t["reworked"]
    rows = []
    for key in sorted(groups):
        g = groups[key]
        filed = len(cases_of[key])
        due = g["处置数"] + g["超时未处置数"]
        on_time_rate = rate(g["按时处置数"], due)
        close_rate = rate(g["结案数"], due)
        rework_rate = rate(g["返工数"], g["处置数"])
        score = None if due == 0 else (
            dept_filed_score(filed) + _good(close_rate) * 0.3 + _good(on_time_rate) * 0.3
            + (100.0 - _bad(rework_rate)) * 0.3)
        rows.append({
            GROUPS[by]: key, "立案数": filed, "应处置数": due, "处置数": g["处置数"],
            "按时处置数": g["按时处置数"], "超时未处置数": g["超时未处置数"], "应结案数": due,
            "结案数": g["结案数"], "返工数": g["返工数"],
            "按期处置率": _r(on_time_rate), "结案率": _r(close_rate), "返工率": _r(rework_rate),
            "综合指标值": _r(score), "等级": grade(score),
        })
    return rows


def _inspector_table(case_by_id, seqs, start, end, evaluation) -> list[dict]:
    """监督员: 有效上报率, 漏报率, 按时核实率, 按时核查率."""
    g: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    grids: dict[str, set] = defaultdict(set)
    for case_id, seq in seqs.items():
        case = case_by_id.get(case_id, {})
        filed = any(e["action"] == "file" and e["_at"] <= evaluation for e in seq)
        for i, e in enumerate(seq):
            if not _in(e["_at"], start, end):
                continue
            if e["action"] == "report" and e["role"] == "inspector":
                g[e["actor"]]["上报数"] += 1
                g[e["actor"]]["有效上报数"] += filed
                if case.get("grid_code"):
                    grids[e["actor"]].add(case["grid_code"])
            elif e["action"] in ("send_confirm", "send_check") and e.get("assignee"):
                kind = "核实" if e["action"] == "send_confirm" else "核查"
                who = e["assignee"]
                g[who][f"应{kind}数"] += 1
                reply = "confirm" if kind == "核实" else "check"
                done = next((f for f in seq[i + 1:] if f["action"] == reply and f["actor"] == who), None)
                if done is not None and e["_deadline"] is not None and done["_at"] <= e["_deadline"]:
                    g[who][f"按时{kind}数"] += 1
    # 漏报: filed public reports in the inspector's patrol cells.
    for case_id, seq in seqs.items():
        case = case_by_id.get(case_id, {})
        first = seq[0]
        if (case.get("source") == "hotline" and _in(first["_at"], start, end)
                and any(e["action"] == "file" and e["_at"] <= evaluation for e in seq)):
            for who, cells in grids.items():
                if case.get("grid_code") in cells:
                    g[who]["漏报数"] += 1
    rows = []
    for who in sorted(g):
        c = g[who]
        valid = rate(c["有效上报数"], c["上报数"])
        filed = c["有效上报数"] + c["漏报数"]
        missed = rate(c["漏报数"], filed)
        confirm = rate(c["按时核实数"], c["应核实数"])
        check = rate(c["按时核查数"], c["应核查数"])
        score = _good(valid) * 0.4 + (100.0 - _bad(missed)) * 0.2 + _good(confirm) * 0.2 + _good(check) * 0.2
        rows.append({
            "监督员": who, "上报数": c["上报数"], "有效上报数": c["有效上报数"], "有效上报率": _r(valid),
            "立案数": filed, "漏报数": c["漏报数"], "漏报率": _r(missed),
            "应核实数": c["应核实数"], "按时核实数": c["按时核实数"], "按时核实率": _r(confirm),
            "应核查数": c["应核查数"], "按时核查数": c["按时核查数"], "按时核查率": _r(check),
            "综合指标值": _r(score), "等级": grade(score),
        })
    return rows


def _call_taker_table(seqs, start, end) -> list[dict]:
    """受理员: 受理数, 核实按时派发率, 核查按时派发率."""
    g: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    handled: dict[str, set] = defaultdict(set)
    for case_id, seq in seqs.items():
        for i, e in enumerate(seq):
            if e["role"] != "call_taker" or not _in(e["_at"], start, end):
                continue
            handled[e["actor"]].add(case_id)
            if e["action"] in ("send_confirm", "send_check"):
                kind = "核实" if e["action"] == "send_confirm" else "核查"
                g[e["actor"]][f"{kind}派发数"] += 1
                g[e["actor"]][f"{kind}按时派发数"] += _on_time(seq, i)
    rows = []
    for who in sorted(handled):
        c = g[who]
        n = len(handled[who])
        confirm = rate(c["核实按时派发数"], c["核实派发数"])
        check = rate(c["核查按时派发数"], c["核查派发数"])
        score = count_score(n) * 0.25 + _good(confirm) * 0.40 + _good(check) * 0.35
        rows.append({
            "受理员": who, "受理数": n, "受理数分值": count_score(n),
            "核实派发数": c["核实派发数"], "核实按时派发率": _r(confirm),
            "核查派发数": c["核查派发数"], "核查按时派发率": _r(check),
            "综合指标值": _r(score), "等级": grade(score),
        })
    return rows


def _shift_leader_table(seqs, start, end, evaluation) -> list[dict]:
    """值班长: 按时立案率, 准确立案率, 按时结案率."""
    g: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for seq in seqs.values():
        for i, e in enumerate(seq):
            if e["role"] != "shift_leader" or not _in(e["_at"], start, end):
                continue
            who = e["actor"]
            if e["action"] == "file":
                g[who]["立案数"] += 1
                g[who]["按时立案数"] += _on_time(seq, i)
                g[who]["作废数"] += any(f["action"] == "void" and f["_at"] <= evaluation for f in seq[i + 1:])
            elif e["action"] == "close":
                g[who]["结案数"] += 1
                g[who]["按时结案数"] += _on_time(seq, i)
            elif e["action"] == "void":
                g[who]["作废审批数"] += 1
    rows = []
    for who in sorted(g):
        c = g[who]
        on_time = rate(c["按时立案数"], c["立案数"])
        accurate = rate(c["立案数"] - c["作废数"], c["立案数"])
        closed = rate(c["按时结案数"], c["结案数"])
        score = _good(on_time) * 0.25 + _good(accurate) * 0.40 + _good(closed) * 0.35
        rows.append({
            "值班长": who, "立案数": c["立案数"], "按时立案数": c["按时立案数"], "作废数": c["作废数"],
            "结案数": c["结案数"], "按时结案数": c["按时结案数"],
            "按时立案率": _r(on_time), "准确立案率": _r(accurate), "按时结案率": _r(closed),
            "综合指标值": _r(score), "等级": grade(score),
        })
    return rows


def _dispatcher_table(seqs, start, end, evaluation) -> list[dict]:
    """派遣员: 按时派遣率, 准确派遣率."""
    g: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for seq in seqs.values():
        tasks = {id(t["event"]): t for t in dispatch_tasks(seq, evaluation)}
        for i, e in enumerate(seq):
            if e["action"] != "dispatch" or e["role"] != "dispatcher" or not _in(e["_at"], start, end):
                continue
            who = e["actor"]
            g[who]["应派遣数"] += 1
            g[who]["按时派遣数"] += _on_time(seq, i)
            g[who]["返工数"] += tasks[id(e)]["returned"]
    rows = []
    for who in sorted(g):
        c = g[who]
        on_time = rate(c["按时派遣数"], c["应派遣数"])
        accurate = rate(c["应派遣数"] - c["返工数"], c["应派遣数"])
        score = count_score(c["应派遣数"]) * 0.2 + _good(on_time) * 0.4 + _good(accurate) * 0.4
        rows.append({
            "派遣员": who, "应派遣数": c["应派遣数"], "派遣数分值": count_score(c["应派遣数"]),
            "按时派遣数": c["按时派遣数"], "返工数": c["返工数"],
            "按时派遣率": _r(on_time), "准确派遣率": _r(accurate),
            "综合指标值": _r(score), "等级": grade(score),
        })
    return rows


# --- output --------------------------------------------------------------------------


def format_table(rows: list[dict], columns: list[str] | None = None) -> str:
    """A plain-text table (CJK-width aware) for the terminal."""
    if not rows:
        return "(no data)"
    columns = columns or list(rows[0])
    cells = [[_fmt(r.get(c)) for c in columns] for r in rows]
    widths = [max(_width(x) for x in [col] + [row[i] for row in cells]) for i, col in enumerate(columns)]
    lines = ["  ".join(_pad(c, w) for c, w in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def to_dataframes(tables: dict[str, list[dict]]):
    """The indicator tables as pandas DataFrames."""
    import pandas as pd

    return {k: pd.DataFrame(v) for k, v in tables.items()}


def _cjk_font() -> str | None:
    """Register a Noto CJK font with matplotlib; return its family name."""
    from matplotlib import font_manager

    for path in (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    ):
        if os.path.exists(path):
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
    for font in font_manager.fontManager.ttflist:
        if "CJK" in font.name:
            return font.name
    return None


def write_chart(tables: dict[str, list[dict]], path: str | os.PathLike, title: str = "") -> str:
    """Bar charts of 综合指标值 and key rates per department, street and role, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    family = _cjk_font()
    style = {"font.family": family} if family else {}
    panels = [
        ("department", ["按期处置率", "结案率", "返工率", "综合指标值"]),
        ("street", ["按期处置率", "结案率", "返工率", "综合指标值"]),
        ("inspector", ["有效上报率", "按时核实率", "按时核查率", "综合指标值"]),
        ("shift_leader", ["按时立案率", "准确立案率", "按时结案率", "综合指标值"]),
        ("dispatcher", ["按时派遣率", "准确派遣率", "综合指标值"]),
        ("call_taker", ["核实按时派发率", "核查按时派发率", "综合指标值"]),
    ]
    panels = [(g, m) for g, m in panels if g in tables]
    if not panels:
        raise ValueError("no indicator tables to chart")
    nrows = (len(panels) + 1) // 2
    with plt.rc_context({**style, "axes.unicode_minus": False}):
        fig, axes = plt.subplots(nrows, 2, figsize=(14, 4.4 * nrows), squeeze=False)
        for ax in axes.flat[len(panels):]:
            ax.set_visible(False)
        for ax, (group, metrics) in zip(axes.flat, panels, strict=False):
            rows = tables.get(group, [])
            label = GROUPS[group]
            ax.set_title(f"{label} ({group})")
            ax.set_ylim(0, 110)
            ax.set_ylabel("%")
            if not rows:
                ax.text(0.5, 0.5, "无数据 (no data)", ha="center", va="center", transform=ax.transAxes)
                ax.set_xticks([])
                continue
            names = [f"{r[label]} [{r['等级'] or '-'}]" for r in rows]
            width = 0.8 / len(metrics)
            for k, metric in enumerate(metrics):
                # A rate with nothing due is left out rather than drawn as 0.
                values = [float("nan") if r.get(metric) is None else r[metric] for r in rows]
                xs = [i + (k - (len(metrics) - 1) / 2) * width for i in range(len(rows))]
                bars = ax.bar(xs, values, width, label=metric)
                ax.bar_label(bars, labels=["" if v != v else f"{v:.0f}" for v in values],
                             fontsize=6, padding=1)
            ax.set_xlim(-0.6, max(len(rows), 2) - 0.4)
            ax.set_xticks(range(len(rows)))
            ax.set_xticklabels(names, rotation=20, ha="right", fontsize=8)
            ax.legend(fontsize=7, loc="upper right", ncol=2)
        if title:
            fig.suptitle(title)
        fig.tight_layout()
        fig.savefig(os.fspath(path), dpi=100)
        plt.close(fig)
    return os.fspath(path)
