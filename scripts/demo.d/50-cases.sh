#!/usr/bin/env bash
# Cases (案件) through the closed loop: report, 立案, 派遣, 处置 (with 延期 / 回退 / 挂账),
# 反馈, 核查, 结案 or 返工; overdue flags; indicators table and chart.
# Some cases come from imagery 图斑 when the change_candidate layer exists.
# Times are set in the week of Monday 2026-11-16 so deadlines and indicators are reproducible.
set -euo pipefail
: "${UG_DEMO_DIR:?}" "${UG_PROJECT:?}"
P="$UG_PROJECT"
NOW="2026-11-20T18:00:00+08:00"   # evaluation time: Friday evening

urbangrid -q cases init "$P"

# Pick class codes for the project's profile and a few locations (grid cells if there is a grid).
eval "$(python - "$P" <<'EOF'
import sys
from urban_grid_plugin.project import read_project_meta
import pyogrio
p = sys.argv[1]
profile = read_project_meta(p).get("profile", "2013")
codes = {"2013": dict(GARBAGE="0102", DIRTY="0104", PARKING="0505", ADS="0201", NOISE="0301"),
         "2026": dict(GARBAGE="06010", DIRTY="06012", PARKING="09009", ADS="07001", NOISE="08001")}[profile]
for k, v in codes.items():
    print(f"{k}={v}")
layers = {n for n, _ in pyogrio.list_layers(p)}
pts = []
if "grid_cell" in layers:
    cells = pyogrio.read_dataframe(p, layer="grid_cell", where="term_date IS NULL")
    # Round-robin over streets so every street gets cases.
    groups = [g.sample(frac=1.0, random_state=7) for _, g in cells.groupby("street_code")]
    picked = [g.geometry.iloc[i] for i in range(8) for g in groups if i < len(g)][:8]
    pts = [(g.representative_point().x, g.representative_point().y) for g in picked]
while len(pts) < 8:
    pts.append((500050.0 + 130 * len(pts), 3450050.0 + 70 * len(pts)))
for i, (x, y) in enumerate(pts):
    print(f"X{i}={x:.2f}; Y{i}={y:.2f}")
print("HAS_CANDIDATES=" + ("1" if "change_candidate" in layers else "0"))
EOF
)"

python - "$UG_DEMO_DIR/site_photo.png" <<'EOF'
import sys
import numpy as np
from PIL import Image
rng = np.random.default_rng(7)
Image.fromarray((rng.random((120, 160, 3)) * 255).astype("uint8")).save(sys.argv[1])
EOF

new() {  # new ACTOR ROLE CLASS X Y AT [extra...] -> prints the case id
  local actor=$1 role=$2 cls=$3 x=$4 y=$5 at=$6; shift 6
  urbangrid -q cases create "$P" --actor "$actor" --role "$role" --class "$cls" --x "$x" --y "$y" \
    --at "$at" "$@" | sed -n 1p
}
go() {  # go CASE ACTION ROLE ACTOR AT [extra...]
  local id=$1 action=$2 role=$3 actor=$4 at=$5; shift 5
  urbangrid -q cases transition "$P" "$id" "$action" --role "$role" --actor "$actor" --at "$at" "$@" >/dev/null
}
day() { echo "2026-11-$1T$2:00+08:00"; }

echo "-- reporting 7 cases (Mon 2026-11-16)"
C1=$(new 张伟 inspector "$GARBAGE" "$X0" "$Y0" "$(day 16 09:00)" --description "路边暴露垃圾" --photo "$UG_DEMO_DIR/site_photo.png")
C2=$(new 张伟 inspector "$DIRTY" "$X1" "$Y1" "$(day 16 09:20)" --description "道路不洁")
C3=$(new 李娜 inspector "$PARKING" "$X2" "$Y2" "$(day 16 09:40)" --description "机动车占用人行道")
C4=$(new 李娜 inspector "$DIRTY" "$X3" "$Y3" "$(day 16 10:00)" --description "道路油污")
C5=$(new 王强 inspector "$NOISE" "$X4" "$Y4" "$(day 16 10:20)" --description "夜间施工扰民")
C6=$(new 赵敏 call_taker "$GARBAGE" "$X0" "$Y0" "$(day 16 10:40)" --source hotline --description "12345 热线: 小区门口垃圾堆积")
C7=$(new 王强 inspector "$ADS" "$X6" "$Y6" "$(day 16 11:00)" --description "小广告 (重复上报)")

echo "-- C1: on-time loop to 结案"
go "$C1" file shift_leader 陈静 "$(day 16 09:30)"
go "$C1" dispatch dispatcher 刘洋 "$(day 16 10:00)"
go "$C1" accept department 环卫处 "$(day 16 10:30)"
go "$C1" feedback department 环卫处 "$(day 16 14:00)" --note "已清运"
go "$C1" send_check call_taker 赵敏 "$(day 16 14:30)" --assignee 张伟
go "$C1" check inspector 张伟 "$(day 16 15:30)" --note "核查通过"
go "$C1" close shift_leader 陈静 "$(day 16 16:00)"

echo "-- C2: late feedback, fails the check → 返工 → handled again → 结案"
go "$C2" file shift_leader 陈静 "$(day 16 09:50)"
go "$C2" dispatch dispatcher 刘洋 "$(day 16 10:10)"
go "$C2" feedback department 环卫处 "$(day 17 15:00)"
go "$C2" send_check call_taker 赵敏 "$(day 17 15:20)" --assignee 张伟
go "$C2" check inspector 张伟 "$(day 17 16:00)" --note "仍有污渍, 核查不通过"
go "$C2" rework shift_leader 陈静 "$(day 17 16:10)"
go "$C2" dispatch dispatcher 刘洋 "$(day 17 16:20)"
go "$C2" feedback department 环卫处 "$(day 18 10:00)"
go "$C2" send_check call_taker 赵敏 "$(day 18 10:10)" --assignee 张伟
go "$C2" check inspector 张伟 "$(day 18 11:00)" --note "核查通过"
go "$C2" close shift_leader 陈静 "$(day 18 11:30)"

echo "-- C3: 回退 (wrong department) → re-dispatched → 延期 → 结案"
go "$C3" file shift_leader 陈静 "$(day 16 10:00)"
go "$C3" dispatch dispatcher 刘洋 "$(day 16 10:20)" --assignee 城管执法大队
go "$C3" return dispatcher 刘洋 "$(day 16 11:00)" --note "属交警职责"
go "$C3" dispatch dispatcher 刘洋 "$(day 16 11:10)" --assignee 公安局
go "$C3" accept department 公安局 "$(day 16 13:40)"
go "$C3" postpone dispatcher 刘洋 "$(day 19 09:00)" --extend "2 工作日" --note "车主联系中"
go "$C3" feedback department 公安局 "$(day 20 10:00)"
go "$C3" send_check call_taker 赵敏 "$(day 20 10:20)" --assignee 李娜
go "$C3" check inspector 李娜 "$(day 20 11:00)"
go "$C3" close shift_leader 陈静 "$(day 20 11:20)"

echo "-- C4: dispatched but never handled (will be overdue)"
go "$C4" file shift_leader 陈静 "$(day 16 10:30)"
go "$C4" dispatch dispatcher 刘洋 "$(day 16 11:00)"
go "$C4" accept department 城管执法大队 "$(day 16 14:00)"

echo "-- C5: 挂账 (cannot be solved now)"
go "$C5" file shift_leader 陈静 "$(day 16 10:40)"
go "$C5" dispatch dispatcher 刘洋 "$(day 16 11:00)"
go "$C5" accept department 住建局 "$(day 16 14:00)"
go "$C5" suspend dispatcher 刘洋 "$(day 17 09:00)" --note "工程未完工, 挂账跟踪"

echo "-- C6: hotline report in 张伟's cell (a 漏报 for him) → 核实 → 立案 → dispatched, not handled (will be overdue)"
go "$C6" send_confirm call_taker 赵敏 "$(day 16 11:00)" --assignee 张伟
go "$C6" confirm inspector 张伟 "$(day 16 13:50)"
go "$C6" file shift_leader 陈静 "$(day 16 14:10)"
go "$C6" dispatch dispatcher 刘洋 "$(day 16 14:30)"

echo "-- C7: 作废 (duplicate)"
go "$C7" void shift_leader 陈静 "$(day 16 11:20)" --note "重复上报"

if [ "$HAS_CANDIDATES" = 1 ]; then
  echo "-- imagery 图斑 → draft 私搭乱建 cases"
  urbangrid -q cases from-candidates "$P" --review-status confirmed --review-status pending --limit 5 \
    --at "$(day 16 08:40)" | tail -1
  ids=$(python - "$P" <<'EOF'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
print(",".join(r[0] for r in con.execute("SELECT case_id FROM ug_case WHERE source='imagery' AND state='collecting'")))
EOF
  )
  if [ -n "$ids" ]; then
    go "$ids" file shift_leader 陈静 "$(day 16 09:10)"
    go "$ids" dispatch dispatcher 刘洋 "$(day 16 09:30)"
  fi
else
  echo "-- (no change_candidate layer yet: skipping imagery cases)"
fi

echo "-- one case with its history (C2, with 返工)"
urbangrid -q cases show "$P" "$C2" | sed -n '/^state/p;/^history/,$p'

echo
echo "-- overdue check at $NOW"
urbangrid -q cases overdue "$P" --now "$NOW"

echo
echo "-- all cases"
urbangrid -q cases list "$P"

echo
echo "-- indicators (绩效评价) for the week 2026-11-16 … 2026-11-23, evaluated at $NOW"
urbangrid -q cases indicators "$P" --from 2026-11-16 --to 2026-11-23 --now "$NOW" \
  --chart "$UG_DEMO_DIR/case_indicators.png" --csv-dir "$UG_DEMO_DIR/case_indicators"
echo
echo "Cases: layer ug_case in $P (style layers/case.qml); chart $UG_DEMO_DIR/case_indicators.png"
