"""Sync protocol against the real local PostGIS: merges, conflicts, deletes, replay, resume.

Each peer's known way of losing an edit has a test here:
QGIS Offline Editing (overwrites without conflict handling), geodiff (drops a local
edit of a row deleted on the server) and QFieldCloud (last write wins by default).
"""

from __future__ import annotations

import os
import shutil

import psycopg
import pytest

from urban_grid_plugin.cases.schema import TABLES
from urban_grid_plugin.errors import UrbanGridError
from urban_grid_plugin.sync import conflicts, journal, protocol, server
from urban_grid_plugin.sync import simulate as sim
from urban_grid_plugin.sync.protocol import InjectedCut

pytestmark = pytest.mark.postgis
STREET = "110101001"


@pytest.fixture(scope="module")
def db(pg_dsn):
    """A fresh database for this module, schema initialised, two inspectors of one street."""
    dsn = sim.fresh_database(pg_dsn, f"ug_test_sync_protocol_{os.getpid()}")
    server.server_init(dsn)
    server.grant(dsn, role="proto_a", streets=[STREET])
    server.grant(dsn, role="proto_b", streets=[STREET])
    yield dsn
    sim.drop_database(pg_dsn, dsn)


@pytest.fixture()
def laptops(db, tmp_path):
    """Two synced laptops of the same street, starting from the server's state."""
    a = sim.make_laptop(tmp_path / "a.gpkg")
    b = sim.make_laptop(tmp_path / "b.gpkg")
    protocol.sync(a, db, user="proto_a")
    protocol.sync(b, db, user="proto_b")
    return a, b


def run(path, db, user, **kw):
    return protocol.sync(path, db, user=user, **kw)


def cut_at(step):
    """A fault hook that cuts the sync at ``step`` (see protocol.STEPS)."""
    def fault(at):
        if at == step:
            raise InjectedCut(at)
    return fault


def server_case(db, case_id):
    with psycopg.connect(db) as con:
        cur = con.cursor(row_factory=psycopg.rows.dict_row)
        return cur.execute("SELECT * FROM urbangrid.ug_case WHERE case_id = %s", (case_id,)).fetchone()


def server_conflicts(db, case_id):
    with psycopg.connect(db) as con:
        cur = con.cursor(row_factory=psycopg.rows.dict_row)
        return cur.execute("SELECT * FROM urbangrid.sync_conflict WHERE row_key = %s ORDER BY created_at",
                           (case_id,)).fetchall()


def local_case(path, case_id):
    return sim.read_table(path, "ug_case", "case_id").get(case_id)


def shared_case(db, a, b, **values):
    (cid,) = sim.add_cases(a, [sim.case_row(STREET, description="start", **values)])
    run(a, db, "proto_a")
    run(b, db, "proto_b")
    assert local_case(b, cid)["description"] == "start"
    return cid


def test_server_schema_renders_case_schema(db):
    """Migration 0001 holds every column of cases/schema.py, with the same types."""
    with psycopg.connect(db) as con:
        for spec in TABLES:
            cols = dict(con.execute(
                "SELECT column_name, data_type FROM information_schema.columns"
                " WHERE table_schema = 'urbangrid' AND table_name = %s", (spec.name,)).fetchall())
            for col in spec.columns:
                assert col.name in cols, f"{spec.name}.{col.name} missing on the server"
                assert cols[col.name] == {"text": "text", "integer": "integer",
                                          "bytea": "bytea"}[col.pg_type]


def test_server_init_is_idempotent_and_refuses_edited_migration(db, tmp_path):
    assert server.server_init(db) == []
    folder = tmp_path / "migs"
    shutil.copytree(server.MIGRATIONS_DIR, folder)
    (folder / "0001_init.sql").write_text("-- edited\n" + (folder / "0001_init.sql").read_text())
    with pytest.raises(UrbanGridError, match="differs"):
        server.server_init(db, migrations_dir=folder)


def test_different_fields_merge(db, laptops):
    a, b = laptops
    cid = shared_case(db, a, b)
    sim.edit_case(a, cid, description="pothole is 2 m wide")
    sim.edit_case(b, cid, department="roads office")
    run(a, db, "proto_a")
    report = run(b, db, "proto_b")
    run(a, db, "proto_a")
    assert report.conflicts_new == 0
    row = server_case(db, cid)
    assert (row["description"], row["department"]) == ("pothole is 2 m wide", "roads office")
    assert row["sync_fv"]["description"] < row["sync_fv"]["department"]  # per-field versions
    for path in (a, b):
        assert local_case(path, cid)["description"] == "pothole is 2 m wide"
        assert local_case(path, cid)["department"] == "roads office"
    assert server_conflicts(db, cid) == []


def test_same_field_is_a_conflict_not_an_overwrite(db, laptops):
    """QGIS Offline Editing would keep whichever laptop synced last; we keep both."""
    a, b = laptops
    cid = shared_case(db, a, b)
    sim.edit_case(a, cid, description="from laptop A")
    sim.edit_case(b, cid, description="from laptop B")
    run(a, db, "proto_a")
    report = run(b, db, "proto_b")
    run(a, db, "proto_a")
    assert report.conflicts_new == 1
    (c,) = server_conflicts(db, cid)
    assert (c["kind"], c["field"], c["status"]) == ("field", "description", "open")
    assert (c["base_value"], c["server_value"], c["laptop_value"]) == (
        "start", "from laptop A", "from laptop B")
    assert (c["server_by"], c["laptop_by"]) == ("proto_a", "proto_b")
    assert server_case(db, cid)["description"] == "from laptop A"
    for path in (a, b):  # surfaced on both laptops
        (mirror,) = [m for m in conflicts.list_local(path) if m.row_key == cid]
        assert mirror.laptop_value == "from laptop B" and mirror.server_value == "from laptop A"
    text = conflicts.describe(mirror)
    assert "from laptop A" in text and "from laptop B" in text
    # a person resolves it: chosen value applied, who/when recorded, laptops follow
    done = conflicts.resolve(c["conflict_id"], "mine", dsn=db, user="proto_b")
    assert (done.status, done.resolved_by, done.resolved_value) == ("resolved", "proto_b",
                                                                   "from laptop B")
    assert done.resolved_at
    run(a, db, "proto_a")
    run(b, db, "proto_b")
    for path in (a, b):
        assert local_case(path, cid)["description"] == "from laptop B"
        assert [m for m in conflicts.list_local(path) if m.row_key == cid] == []
        (m,) = [m for m in conflicts.list_local(path, include_resolved=True) if m.row_key == cid]
        assert m.resolution == "mine"
    with pytest.raises(Exception, match="already resolved"):
        conflicts.resolve(c["conflict_id"], "theirs", dsn=db, user="proto_a")


def test_concurrent_transitions_conflict_on_state_and_keep_both_events(db, laptops):
    a, b = laptops
    cid = shared_case(db, a, b)
    sim.edit_case(a, cid, state="filed")
    ea = sim.add_event(a, cid, "filed", "proto_a")
    sim.edit_case(b, cid, state="voided")
    eb = sim.add_event(b, cid, "voided", "proto_b")
    for path, user in ((a, "proto_a"), (b, "proto_b"), (a, "proto_a")):
        run(path, db, user)
    assert [c["field"] for c in server_conflicts(db, cid)] == ["state"]
    for path in (a, b):
        events = sim.read_table(path, "ug_case_event", "event_id")
        assert {ea, eb} <= set(events)


def test_local_edit_of_a_case_deleted_on_the_server_is_kept(db, laptops):
    """geodiff's rebase drops this edit; we resurrect the case and record why."""
    a, b = laptops
    cid = shared_case(db, a, b)
    sim.delete_case(a, cid)
    run(a, db, "proto_a")
    assert server_case(db, cid)["sync_deleted"] is True
    sim.edit_case(b, cid, description="still broken, photo attached")
    report = run(b, db, "proto_b")
    row = server_case(db, cid)
    assert row["sync_deleted"] is False and row["description"] == "still broken, photo attached"
    (c,) = server_conflicts(db, cid)
    assert (c["kind"], c["server_by"], c["laptop_by"]) == ("edit_vs_delete", "proto_a", "proto_b")
    assert report.conflicts_new == 1
    run(a, db, "proto_a")
    assert local_case(a, cid)["description"] == "still broken, photo attached"
    assert [c.kind for c in conflicts.list_local(a) if c.row_key == cid] == ["edit_vs_delete"]
    # resolving "theirs" deletes it again, everywhere
    conflicts.resolve(c["conflict_id"], "theirs", dsn=db, user="proto_a")
    run(a, db, "proto_a")
    run(b, db, "proto_b")
    assert local_case(a, cid) is None and local_case(b, cid) is None


def test_edit_survives_when_the_laptop_pulls_the_delete_first(db, laptops):
    """Pull of a server delete must not drop a local edit still waiting to be pushed."""
    a, b = laptops
    cid = shared_case(db, a, b)
    sim.delete_case(a, cid)
    run(a, db, "proto_a")
    sim.edit_case(b, cid, description="edited offline")
    with psycopg.connect(db, user="proto_b") as pg:
        lite = journal.open_laptop(b)
        tables = protocol.sync_tables(pg, lite)
        srids = {t.name: protocol._srids(pg, lite, t) for t in tables if t.geometry}
        protocol.pull(pg, lite, tables, srids, {n: s[1] for n, s in srids.items()})
        lite.close()
    assert local_case(b, cid)["description"] == "edited offline"
    run(b, db, "proto_b")
    assert server_case(db, cid)["description"] == "edited offline"
    assert server_case(db, cid)["sync_deleted"] is False


def test_delete_of_a_case_edited_elsewhere_keeps_the_edit(db, laptops):
    """QFieldCloud's default last-wins would let the delete erase the edit."""
    a, b = laptops
    cid = shared_case(db, a, b)
    sim.edit_case(a, cid, description="handled, see photo")
    run(a, db, "proto_a")
    sim.delete_case(b, cid)
    run(b, db, "proto_b")
    row = server_case(db, cid)
    assert row["sync_deleted"] is False and row["description"] == "handled, see photo"
    (c,) = server_conflicts(db, cid)
    assert c["kind"] == "delete_vs_edit"
    assert local_case(b, cid)["description"] == "handled, see photo"  # restored on B


def test_delete_of_an_unchanged_case_propagates(db, laptops):
    a, b = laptops
    cid = shared_case(db, a, b)
    sim.delete_case(a, cid)
    run(a, db, "proto_a")
    run(b, db, "proto_b")
    assert local_case(b, cid) is None
    assert server_conflicts(db, cid) == []


def test_hand_written_server_delete_is_a_tombstone(db, laptops):
    a, b = laptops
    cid = shared_case(db, a, b)
    with psycopg.connect(db, user="proto_a") as con:
        assert con.execute("DELETE FROM urbangrid.ug_case WHERE case_id = %s", (cid,)).rowcount == 0
    assert server_case(db, cid)["sync_deleted"] is True
    run(b, db, "proto_b")
    assert local_case(b, cid) is None


@pytest.mark.parametrize("step", ["journal_written", "server_applied", "server_committed", "acked"])
def test_cut_during_push_is_resumed_exactly_once(db, laptops, step):
    a, b = laptops
    cid = shared_case(db, a, b)
    sim.edit_case(a, cid, description=f"cut at {step}")
    sim.edit_case(b, cid, description=f"concurrent to {step}")
    run(b, db, "proto_b")

    def cut(at):
        if at == step:
            raise InjectedCut(at)

    with pytest.raises(InjectedCut):
        run(a, db, "proto_a", fault=cut)
    sim.edit_case(a, cid, department="edited after the cut")  # waits for the next batch
    first = run(a, db, "proto_a")
    assert first.replayed == (step in ("server_committed",))
    run(a, db, "proto_a")
    cs = server_conflicts(db, cid)
    assert len(cs) == 1, "a replayed batch must not record its conflict twice"
    assert cs[0]["laptop_value"] == f"cut at {step}"
    row = server_case(db, cid)
    assert row["department"] == "edited after the cut"
    with psycopg.connect(db) as con:
        n = con.execute("SELECT count(*) FROM urbangrid.sync_batch b WHERE b.laptop_id = %s",
                        (journal.open_laptop(a).execute(
                            "SELECT value FROM ug_sync_state WHERE key='laptop_id'").fetchone()[0],)
                        ).fetchone()[0]
    assert n >= 2


def test_pull_resumes_after_a_cut_mid_pull(db, laptops, tmp_path):
    a, _ = laptops
    ids = sim.add_cases(a, [sim.case_row(STREET, description=f"bulk {i}") for i in range(25)])
    run(a, db, "proto_a")
    c = sim.make_laptop(tmp_path / "c.gpkg")
    pages = []

    def cut(at):
        if at == "pull_page":
            pages.append(at)
            if len(pages) == 2:
                raise InjectedCut(at)

    with pytest.raises(InjectedCut):
        run(c, db, "proto_b", fault=cut, page=10)
    partial = sim.read_table(c, "ug_case", "case_id")
    assert 0 < len(partial) < 100
    run(c, db, "proto_b", page=10)
    assert set(ids) <= set(sim.read_table(c, "ug_case", "case_id"))
    assert sim.read_table(c, "ug_case", "case_id") == sim.read_table(a, "ug_case", "case_id") | {
        k: v for k, v in sim.read_table(c, "ug_case", "case_id").items() if k not in
        sim.read_table(a, "ug_case", "case_id")}


def test_events_and_attachments_round_trip(db, laptops):
    a, b = laptops
    cid = shared_case(db, a, b)
    photo = bytes(range(256)) * 40
    att = sim.add_attachment(a, cid, photo)
    ev = sim.add_event(a, cid, "filed", "proto_a", note="立案")
    run(a, db, "proto_a")
    run(b, db, "proto_b")
    assert sim.read_table(b, "ug_case_attachment", "attachment_id")[att]["data"] == photo
    assert sim.read_table(b, "ug_case_event", "event_id")[ev]["note"] == "立案"


def test_geometry_move_merges_and_conflicts(db, laptops):
    a, b = laptops
    cid = shared_case(db, a, b)
    from urban_grid_plugin.cases.store import gpkg_to_xy, point_to_gpkg

    sim.edit_case(a, cid, geom=point_to_gpkg(500010, 4000010, 4547))
    sim.edit_case(b, cid, geom=point_to_gpkg(500020, 4000020, 4547))
    run(a, db, "proto_a")
    run(b, db, "proto_b")
    (c,) = server_conflicts(db, cid)
    assert c["field"] == "geom"
    (mirror,) = [m for m in conflicts.list_local(b) if m.row_key == cid]
    assert "POINT (500020 4000020)" in conflicts.describe(mirror)
    run(a, db, "proto_a")
    assert gpkg_to_xy(local_case(b, cid)["geom"]) == (500010, 4000010)


def test_laptop_applies_new_migration_without_redownload(db, laptops, tmp_path):
    a, b = laptops
    cid = shared_case(db, a, b)
    folder = tmp_path / "migs"
    shutil.copytree(server.MIGRATIONS_DIR, folder)
    nxt = len(server.load_migrations()) + 1  # the version after the packaged ones
    (folder / f"{nxt:04d}_case_priority.sql").write_text(
        "ALTER TABLE urbangrid.ug_case ADD COLUMN priority integer;\n")
    (folder / f"{nxt:04d}_case_priority.laptop.sql").write_text(
        "ALTER TABLE ug_case ADD COLUMN priority INTEGER;\n")
    assert server.server_init(db, migrations_dir=folder) == [nxt]
    try:
        before = journal.cursor(journal.open_laptop(b), "ug_case")
        report = run(a, db, "proto_a")
        assert report.migrations == [nxt]
        with sim.connect(a) as con:
            con.execute("UPDATE ug_case SET priority = 3 WHERE case_id = ?", (cid,))
        run(a, db, "proto_a")
        report = run(b, db, "proto_b")
        assert report.migrations == [nxt]
        assert report.pulled["ug_case"] == 1  # only the changed case, not everything
        assert journal.cursor(journal.open_laptop(b), "ug_case") > before
        assert local_case(b, cid)["priority"] == 3
    finally:
        with psycopg.connect(db) as con:  # leave the module's database as it was
            con.execute("ALTER TABLE urbangrid.ug_case DROP COLUMN priority")
            con.execute("DELETE FROM public.urbangrid_migration WHERE version = %s", (nxt,))


def test_cli_run_status_conflicts(db, laptops, capsys):
    from urban_grid_plugin.cli import main

    a, b = laptops
    cid = shared_case(db, a, b)
    sim.edit_case(a, cid, urgency="urgent")
    sim.edit_case(b, cid, urgency="normal", description="B says normal")
    sim.edit_case(a, cid, description="A says urgent")
    assert main(["-q", "sync", "run", a, "--dsn", db, "--user", "proto_a"]) == 0
    assert main(["-q", "sync", "run", b, "--dsn", db, "--user", "proto_b"]) == 0
    assert main(["-q", "sync", "status", b]) == 0
    assert main(["-q", "sync", "conflicts", b]) == 0
    out = capsys.readouterr().out
    assert "unsent edits   : 0" in out
    assert "field 'description' was changed on both sides" in out
    assert "A says urgent" in out and "B says normal" in out


def test_laptop_init_copies_reference_layers_not_cases(db, laptops, tmp_path, capsys):
    from urban_grid_plugin.cli import main

    a, _ = laptops
    cid = shared_case(db, a, laptops[1])
    with sim.connect(a) as con:  # a reference layer the laptop should carry offline
        con.execute("CREATE TABLE grid_note (code TEXT)")
        con.execute("INSERT INTO grid_note VALUES ('110101001001001')")
    new = str(tmp_path / "field.gpkg")
    assert main(["-q", "sync", "laptop-init", new, "--from", a]) == 0
    assert sim.read_table(new, "ug_case", "case_id") == {}
    with sim.connect(new) as con:
        assert con.execute("SELECT code FROM grid_note").fetchall() == [("110101001001001",)]
        assert not con.execute("SELECT name FROM sqlite_master WHERE name LIKE 'ug_sync_%'"
                               ).fetchall()
    assert main(["-q", "sync", "run", new, "--dsn", db, "--user", "proto_b"]) == 0
    assert cid in sim.read_table(new, "ug_case", "case_id")
    assert main(["-q", "sync", "laptop-init", new]) == 1  # never overwrites a laptop
    assert "already exists" in capsys.readouterr().err


def test_cli_server_init_and_grant(db, capsys):
    from urban_grid_plugin.cli import main

    assert main(["-q", "sync", "server-init", "--dsn", db]) == 0
    assert main(["-q", "sync", "grant", "proto_c", "--street", STREET, "--dsn", db]) == 0
    assert main(["-q", "sync", "grant", "proto_c", "--district", "1101", "--dsn", db]) == 1
    out = capsys.readouterr()
    assert "already up to date" in out.out and "proto_c: street staff" in out.out
    assert "6 digits" in out.err


@pytest.mark.parametrize("step", ["journal_written", "server_committed"])
def test_edit_made_while_a_batch_is_in_flight_does_not_overwrite_unseen_changes(db, laptops, step):
    """A's batch is cut; A edits a field B changed meanwhile; A must not overwrite B blindly."""
    a, b = laptops
    cid = shared_case(db, a, b)
    sim.edit_case(a, cid, description="A's first edit")

    def cut(at):
        if at == step:
            raise InjectedCut(at)

    with pytest.raises(InjectedCut):
        run(a, db, "proto_a", fault=cut)
    sim.edit_case(b, cid, department="B's department")
    run(b, db, "proto_b")
    sim.edit_case(a, cid, department="A's department, edited while offline")
    run(a, db, "proto_a")  # resumes the frozen batch; the new edit waits
    run(a, db, "proto_a")  # pushes the new edit
    cs = [c for c in server_conflicts(db, cid) if c["field"] == "department"]
    assert len(cs) == 1
    assert (cs[0]["server_value"], cs[0]["laptop_value"]) == (
        "B's department", "A's department, edited while offline")
    assert server_case(db, cid)["description"] == "A's first edit"


def test_delete_made_while_a_batch_is_in_flight_does_not_erase_unseen_changes(db, laptops):
    a, b = laptops
    cid = shared_case(db, a, b)
    sim.edit_case(a, cid, description="A's edit")

    with pytest.raises(InjectedCut):
        run(a, db, "proto_a", fault=cut_at("server_committed"))
    sim.edit_case(b, cid, department="B's department")
    run(b, db, "proto_b")
    sim.delete_case(a, cid)
    run(a, db, "proto_a")
    run(a, db, "proto_a")
    row = server_case(db, cid)
    assert row["sync_deleted"] is False and row["department"] == "B's department"
    assert [c["kind"] for c in server_conflicts(db, cid)] == ["delete_vs_edit"]


def test_sync_through_a_pg_service_name(db, laptops, tmp_path, monkeypatch):
    """Credentials live in pg_service.conf (+ ~/.pgpass), never in the project."""
    from psycopg.conninfo import conninfo_to_dict

    a, _ = laptops
    params = conninfo_to_dict(db)
    conf = tmp_path / "pg_service.conf"
    conf.write_text("[urbangrid_test]\n" + "".join(
        f"{k}={params[k]}\n" for k in ("host", "port", "dbname")) + "user=proto_a\n")
    monkeypatch.setenv("PGSERVICEFILE", str(conf))
    monkeypatch.delenv("UG_PG_DSN", raising=False)
    (cid,) = sim.add_cases(a, [sim.case_row(STREET, description="via service")])
    report = protocol.sync(a, service="urbangrid_test")
    assert report.pushed == {"ug_case": 1}
    assert server_case(db, cid)["sync_by"] == "proto_a"
    with sim.connect(a) as con:  # nothing about the server is stored but its id
        state = dict(con.execute("SELECT key, value FROM ug_sync_state").fetchall())
    assert not any(params["host"] in str(v) or "user=" in str(v) for v in state.values())


def test_batch_frozen_by_an_older_version_is_still_pushed(db, laptops):
    """Batches used to be stdlib JSON with geometry blobs base64-encoded; a laptop
    upgraded with such a batch in its outbox pushes it unchanged."""
    import base64
    import json

    from urban_grid_plugin.cases.store import gpkg_to_xy, point_to_gpkg

    a, _ = laptops
    cid = shared_case(db, a, laptops[1])
    sim.edit_case(a, cid, description="frozen before the upgrade",
                  geom=point_to_gpkg(500030, 4000040, 4547))
    con = journal.open_laptop(a)
    try:
        pg = server.connect(db, user="proto_a")
        tables = protocol.sync_tables(pg, con)
        pg.close()
        case = next(t for t in tables if t.name == "ug_case")
        gi = case.columns.index("geom")
        rows = []
        for ch in journal.collect_changes(con, case):
            for values in (ch.mine, ch.base):
                if values is not None and values[gi] is not None:
                    values[gi] = bytes.fromhex(values[gi])
            rows.append([ch.op, ch.key, ch.mask, ch.mine, ch.base])
        assert len(rows) == 1 and rows[0][2] >> gi & 1  # the geometry is part of the edit

        def old_default(value):
            return {"$b": base64.b64encode(value).decode("ascii")}

        payload = {"laptop_id": journal.get_state(con, "laptop_id"),
                   "tables": {"ug_case": {"columns": list(case.columns), "rows": rows}}}
        with journal.transaction(con):
            con.execute(f"INSERT INTO {journal.OUTBOX}(batch_id, created_at, payload) VALUES"
                        " (?, ?, ?)", ("6f1c1a34-5a8e-4a53-9a53-3c8f3c2f0a01", sim.now_iso(),
                                       json.dumps(payload, default=old_default)))
    finally:
        con.close()
    report = run(a, db, "proto_a")
    assert report.batch_id == "6f1c1a34-5a8e-4a53-9a53-3c8f3c2f0a01"
    row = server_case(db, cid)
    assert row["description"] == "frozen before the upgrade"
    with psycopg.connect(db) as con:
        x, y = con.execute("SELECT ST_X(geom), ST_Y(geom) FROM urbangrid.ug_case WHERE case_id = %s",
                           (cid,)).fetchone()
    assert (x, y) == (500030, 4000040)
    assert gpkg_to_xy(local_case(a, cid)["geom"]) == (500030, 4000040)
    assert run(a, db, "proto_a").batch_id is None  # acknowledged: nothing left to push


@pytest.mark.parametrize("statement", [
    "UPDATE urbangrid.ug_case SET description = 'hand edit' WHERE case_id = %s",
    "DELETE FROM urbangrid.ug_case WHERE case_id = %s",
])
def test_any_write_holds_the_writers_lock_until_commit(db, laptops, statement):
    """Revisions become visible in order only if every writer holds the sync lock from
    before its first revision until commit (taken once per statement since 0002)."""
    a, b = laptops
    cid = shared_case(db, a, b)
    writer = server.connect(db, user="proto_a")
    other = psycopg.connect(db, autocommit=True)
    try:
        with writer.transaction():
            writer.execute(statement, (cid,))
            assert other.execute("SELECT pg_try_advisory_lock(%s)",
                                 (protocol.SYNC_LOCK,)).fetchone()[0] is False
        assert other.execute("SELECT pg_try_advisory_lock(%s)",
                             (protocol.SYNC_LOCK,)).fetchone()[0] is True
        other.execute("SELECT pg_advisory_unlock(%s)", (protocol.SYNC_LOCK,))
    finally:
        writer.close()
        other.close()
    rev = server_case(db, cid)["sync_rev"]
    with psycopg.connect(db) as con:
        assert rev == con.execute("SELECT last_value FROM urbangrid.sync_rev_seq").fetchone()[0]


def test_server_tables_changed_outside_a_migration_fail_once_then_sync(db, laptops):
    """The laptop remembers the server's tables per schema version. If they change by
    hand (here: a column the server no longer has), the sync fails with a clear error,
    loses nothing, and the next sync reads the tables anew."""
    import json

    a, b = laptops
    cid = shared_case(db, a, b)
    sim.edit_case(a, cid, description="pushed after the schema surprise")
    with sim.connect(a) as con:
        con.execute("ALTER TABLE ug_case ADD COLUMN ghost TEXT")
    con = journal.open_laptop(a)
    try:
        keys = [k for (k,) in con.execute(f"SELECT key FROM {journal.STATE} WHERE key LIKE ?",
                                          (protocol.SCHEMA_CACHE + "%",))]
        assert len(keys) == 1  # remembered by the previous syncs
        schema = json.loads(journal.get_state(con, keys[0]))
        schema["ug_case"].append(["ghost", "text", "text", 0])
        with journal.transaction(con):
            journal.set_state(con, **{keys[0]: json.dumps(schema)})
    finally:
        con.close()
    with pytest.raises(UrbanGridError, match="outside a numbered migration"):
        run(a, db, "proto_a")
    assert server_case(db, cid)["description"] == "start"
    report = run(a, db, "proto_a")
    assert report.pushed == {"ug_case": 1}
    assert server_case(db, cid)["description"] == "pushed after the schema surprise"


def test_batch_cut_before_a_migration_is_frozen_again_with_the_new_columns(db, laptops, tmp_path):
    """A batch frozen, cut before reaching the server, then a migration adds a column:
    the old batch cannot be applied as frozen, so it is frozen again; no edit is lost."""
    a, b = laptops
    cid = shared_case(db, a, b)
    sim.edit_case(a, cid, description="edited before the migration")

    with pytest.raises(InjectedCut):
        run(a, db, "proto_a", fault=cut_at("journal_written"))
    folder = tmp_path / "migs"
    shutil.copytree(server.MIGRATIONS_DIR, folder)
    nxt = len(server.load_migrations()) + 1
    (folder / f"{nxt:04d}_case_note.sql").write_text(
        "ALTER TABLE urbangrid.ug_case ADD COLUMN note2 text;\n")
    (folder / f"{nxt:04d}_case_note.laptop.sql").write_text("ALTER TABLE ug_case ADD COLUMN note2 TEXT;\n")
    assert server.server_init(db, migrations_dir=folder) == [nxt]
    try:
        report = run(a, db, "proto_a")
        assert report.migrations == [nxt] and report.pushed == {"ug_case": 1}
        assert server_case(db, cid)["description"] == "edited before the migration"
    finally:
        with psycopg.connect(db) as con:  # leave the module's database as it was
            con.execute("ALTER TABLE urbangrid.ug_case DROP COLUMN note2")
            con.execute("DELETE FROM public.urbangrid_migration WHERE version = %s", (nxt,))


def test_case_moved_to_another_street_leaves_the_old_streets_laptops(db, tmp_path):
    """A district office moves two cases of street S to street T. The laptop of S's
    inspector can no longer see them: the unedited one disappears with its events and
    photos; the one it edited stays, and its push is refused and recorded, not lost.
    The district office, which still sees both, keeps both."""
    other = STREET[:6] + "002"
    server.grant(db, role="proto_office", districts=[STREET[:6]])
    office = sim.make_laptop(tmp_path / "office.gpkg")
    moved, edited = sim.add_cases(office, [sim.case_row(STREET, description="to move"),
                                           sim.case_row(STREET, description="to move, edited")])
    run(office, db, "proto_office")
    a = sim.make_laptop(tmp_path / "a.gpkg")
    run(a, db, "proto_a")
    sim.add_event(office, moved, "filed", "office")
    sim.add_attachment(office, moved, b"\xff\xd8 photo")
    run(office, db, "proto_office")
    run(a, db, "proto_a")
    assert len([e for e in sim.read_table(a, "ug_case_event", "event_id").values()
                if e["case_id"] == moved]) == 1
    sim.edit_case(a, edited, description="edited by the street inspector")
    with sim.connect(office) as con:
        con.execute("UPDATE ug_case SET street_code = ?, community_code = ?, grid_code = ?"
                    " WHERE case_id IN (?, ?)", (other, other + "001", other + "001001", moved, edited))
    run(office, db, "proto_office")

    report = run(a, db, "proto_a")
    assert report.pulled["sync_area_exit"] == 2
    assert local_case(a, moved) is None
    assert not [e for e in sim.read_table(a, "ug_case_event", "event_id").values()
                if e["case_id"] == moved]
    assert not [p for p in sim.read_table(a, "ug_case_attachment", "attachment_id").values()
                if p["case_id"] == moved]
    assert local_case(a, edited)["description"] == "edited by the street inspector"
    (refused,) = [c for c in server_conflicts(db, edited) if c["kind"] == "rejected"]
    assert "edited by the street inspector" in refused["laptop_value"]
    assert server_case(db, edited)["street_code"] == other
    assert run(a, db, "proto_a").pulled["sync_area_exit"] == 0  # notes are read once
    assert local_case(office, moved)["street_code"] == other
    assert local_case(office, edited) is not None


def test_revoked_street_leaves_the_users_laptop(db, laptops, tmp_path):
    """Taking a street away from a user makes their laptop drop its cases at the next
    sync, except the ones it edited (kept, their push recorded) and the ones the user
    still sees through another grant."""
    a, b = laptops
    kept_edit, dropped = sim.add_cases(a, [sim.case_row(STREET, description="edited later"),
                                           sim.case_row(STREET, description="plain")])
    run(a, db, "proto_a")
    server.grant(db, role="proto_rv", streets=[STREET])
    server.grant(db, role="proto_both", streets=[STREET], districts=[STREET[:6]])
    rv = sim.make_laptop(tmp_path / "rv.gpkg")
    both = sim.make_laptop(tmp_path / "both.gpkg")
    run(rv, db, "proto_rv")
    run(both, db, "proto_both")
    assert local_case(rv, dropped) is not None
    sim.edit_case(rv, kept_edit, description="edited after losing the street")
    server.grant(db, role="proto_rv", streets=[STREET], revoke=True)
    server.grant(db, role="proto_both", streets=[STREET], revoke=True)  # keeps the district

    report = run(rv, db, "proto_rv")
    assert report.pulled["sync_area_exit"] >= 2
    assert local_case(rv, dropped) is None
    assert local_case(rv, kept_edit)["description"] == "edited after losing the street"
    (refused,) = [c for c in server_conflicts(db, kept_edit) if c["kind"] == "rejected"]
    assert refused["laptop_by"] == "proto_rv"
    run(both, db, "proto_both")
    assert local_case(both, dropped) is not None and local_case(both, kept_edit) is not None
    # other users of the street are not affected
    assert run(b, db, "proto_b").pulled.get("sync_area_exit", 0) == 0
    assert local_case(b, dropped) is not None


def test_edit_of_a_deleted_case_does_not_erase_an_unseen_change_of_the_same_field(db, laptops):
    """A sets the department, pushes, then deletes the case. B, who never saw A's value,
    edits the department of the deleted case: the case comes back (edit_vs_delete) and
    A's value meets B's as a field conflict; neither is erased. (Found by the property
    test with several seeds sharing one server.)"""
    a, b = laptops
    cid = shared_case(db, a, b)
    sim.edit_case(a, cid, department="A's department")
    run(a, db, "proto_a")
    sim.delete_case(a, cid)
    run(a, db, "proto_a")
    sim.edit_case(b, cid, department="B's department")
    run(b, db, "proto_b")
    row = server_case(db, cid)
    assert row["sync_deleted"] is False
    kinds = {c["kind"]: c for c in server_conflicts(db, cid)}
    assert set(kinds) == {"edit_vs_delete", "field"}
    assert (kinds["field"]["field"], kinds["field"]["server_value"], kinds["field"]["laptop_value"]) \
        == ("department", "A's department", "B's department")
    assert row["department"] == "A's department"  # kept until a person resolves it


def test_push_after_a_pull_does_not_download_its_own_rows_again(db, laptops, tmp_path):
    """Events, photos, conflicts and area-exit notes are sparse, so their pull cursors
    used to lag; a push could then not fast-forward, and the laptop downloaded the rows
    it had just sent."""
    shared_case(db, *laptops)  # the server has moved on before this laptop's first sync
    street = STREET[:6] + "009"
    server.grant(db, role="proto_ff", streets=[street])
    lap = sim.make_laptop(tmp_path / "ff.gpkg")
    (cid,) = sim.add_cases(lap, [sim.case_row(street, description="first")])
    run(lap, db, "proto_ff")  # the first sync also reads back what it pushed
    sim.edit_case(lap, cid, description="second")
    report = run(lap, db, "proto_ff")
    assert report.pushed == {"ug_case": 1}
    assert report.pulled["ug_case"] == 0
    assert server_case(db, cid)["description"] == "second"
