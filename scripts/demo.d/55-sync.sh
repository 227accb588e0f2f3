#!/usr/bin/env bash
# Sync (同步): the command centre uploads its cases to the central PostGIS server, two
# field laptops of one street download their street, both change the same case
# offline, and sync turns the clash into a recorded conflict instead of losing an edit.
#
# The demo server trusts a private unix socket. In production pass --service NAME
# (pg_service.conf, password in ~/.pgpass) or let QGIS's auth manager supply it:
# no password ever appears in a command or in a project file.
set -euo pipefail
: "${UG_DEMO_DIR:?}" "${UG_PROJECT:?}" "${UG_PG_DSN:?}"
# A database of its own, made anew on each run: the server holds just this run's
# cases, so the figures below are the same every time.
UG_PG_DSN="$(python -c 'import os, sys; from urban_grid_plugin.sync.simulate import fresh_database
print(fresh_database(os.environ["UG_PG_DSN"], "urbangrid_demo"))')"
export UG_PG_DSN
echo "-- central server database of this demo: $UG_PG_DSN"
D="$UG_DEMO_DIR/sync"
rm -rf "$D"
mkdir -p "$D"

urbangrid -q sync server-init

# The project's district and its busiest street.
read -r DISTRICT STREET GRID < <(python - "$UG_PROJECT" <<'EOF'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
row = con.execute("SELECT district_code, street_code, min(grid_code) FROM ug_case"
                  " WHERE street_code IS NOT NULL GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1").fetchone()
print(*(row if row and row[2] else (row[0], row[1], "-") if row else ("110101", "110101001", "-")))
EOF
)
echo "-- users (PostgreSQL roles) and their areas"
urbangrid -q sync grant "office_${DISTRICT}" --district "$DISTRICT"
urbangrid -q sync grant zhang_wei --street "$STREET"
urbangrid -q sync grant li_na --street "$STREET"
urbangrid -q sync grant auditor_wang --auditor

echo "-- the command centre uploads the project's cases"
urbangrid -q sync run "$UG_PROJECT" --user "office_${DISTRICT}"

echo "-- two field laptops: copies of the project's reference layers, cases come from the server"
for who in zhang_wei li_na; do
  urbangrid -q sync laptop-init "$D/laptop_$who.gpkg" --from "$UG_PROJECT"
  urbangrid -q sync run "$D/laptop_$who.gpkg" --user "$who"
done

echo "-- 张伟 reports a new case on his laptop and syncs; 李娜's laptop receives it"
if [ "$GRID" != "-" ]; then where=(--grid "$GRID"); else where=(--x 500050 --y 3450050); fi
CLASS=$(python -c "import sys; from urban_grid_plugin.project import read_project_meta as m; print({'2013': '0102', '2026': '06010'}[m(sys.argv[1]).get('profile', '2013')])" "$UG_PROJECT")
CASE=$(urbangrid -q cases create "$D/laptop_zhang_wei.gpkg" --actor 张伟 --role inspector \
  --class "$CLASS" "${where[@]}" --description "井盖破损 (broken manhole cover)" | sed -n 1p)
echo "   case $CASE"
urbangrid -q sync run "$D/laptop_zhang_wei.gpkg" --user zhang_wei
urbangrid -q sync run "$D/laptop_li_na.gpkg" --user li_na

echo "-- both laptops go offline and decide differently about the same case:"
echo "   张伟's laptop files it (立案), 李娜's laptop voids it (作废)"
urbangrid -q cases transition "$D/laptop_zhang_wei.gpkg" "$CASE" file --role shift_leader --actor 张伟
urbangrid -q cases transition "$D/laptop_li_na.gpkg" "$CASE" void --role shift_leader --actor 李娜 \
  --note "duplicate report"

echo "-- back online: both sync (张伟 first)"
urbangrid -q sync run "$D/laptop_zhang_wei.gpkg" --user zhang_wei
urbangrid -q sync run "$D/laptop_li_na.gpkg" --user li_na
urbangrid -q sync run "$D/laptop_zhang_wei.gpkg" --user zhang_wei

echo "-- the conflict, as 李娜 sees it on her laptop (both values kept, nothing overwritten)"
urbangrid -q sync conflicts "$D/laptop_li_na.gpkg"

echo "-- both transitions stay in the case history (append-only events):"
python - "$D/laptop_zhang_wei.gpkg" "$CASE" <<'EOF'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
for actor, frm, to, at in con.execute("SELECT actor, from_state, to_state, at FROM ug_case_event"
                                      " WHERE case_id = ? ORDER BY at", (sys.argv[2],)):
    print(f"   {at}  {actor}: {frm or '(new)'} -> {to}")
EOF

echo "-- the shift leader resolves it on the server: keep 李娜's 作废 (voided)"
ID=$(urbangrid -q sync conflicts "$D/laptop_li_na.gpkg" --json | python -c \
  "import json,sys; print(next(c['conflict_id'] for c in json.load(sys.stdin) if c['field'] == 'state'))")
urbangrid -q sync resolve "$ID" --choose mine --user "office_${DISTRICT}" >/dev/null
for who in zhang_wei li_na; do urbangrid -q sync run "$D/laptop_$who.gpkg" --user "$who" >/dev/null; done
python - "$D/laptop_zhang_wei.gpkg" "$D/laptop_li_na.gpkg" "$CASE" <<'EOF'
import sqlite3, sys
for path in sys.argv[1:3]:
    state = sqlite3.connect(path).execute("SELECT state FROM ug_case WHERE case_id = ?", (sys.argv[3],)).fetchone()[0]
    print(f"   {path.rsplit('/', 1)[-1]}: case state = {state}")
EOF
urbangrid -q sync conflicts "$D/laptop_li_na.gpkg" --all | grep -m1 -A0 "RESOLVED" || true

echo "-- row-level security: what each user can read on the server"
python - <<EOF
import psycopg, os
for user in ("zhang_wei", "office_${DISTRICT}", "auditor_wang"):
    with psycopg.connect(os.environ["UG_PG_DSN"], user=user) as con:
        n, streets = con.execute("SELECT count(*), string_agg(DISTINCT street_code, ',')"
                                 " FROM urbangrid.ug_case WHERE NOT sync_deleted").fetchone()
        print(f"   {user:<16} sees {n} case(s) in street(s) {streets}")
EOF
urbangrid -q sync status "$D/laptop_li_na.gpkg" | sed -n '1,7p'
