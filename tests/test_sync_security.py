"""Server security: row-level security by street/district, auditors, no bypass, no injection.

Every check uses hand-written SQL as a user would type it in psql, logged in as that
user's own PostgreSQL role.
"""

from __future__ import annotations

import os

import psycopg
import pytest

from urban_grid_plugin.errors import InputError
from urban_grid_plugin.sync import conflicts, protocol, server
from urban_grid_plugin.sync import simulate as sim

pytestmark = pytest.mark.postgis
STREET_A, STREET_B = "110101001", "110101002"
OTHER_DISTRICT_STREET = "110102001"
INJECTIONS = [
    "'); DROP TABLE urbangrid.ug_case; --",
    "x' OR '1'='1",
    '"; DELETE FROM urbangrid.ug_case; --',
    "$$; TRUNCATE urbangrid.sync_batch; $$",
    "\\x00'||pg_sleep(0)||'",
    "Robert'); DROP TABLE ug_case;--  街道 🚧",
]


@pytest.fixture(scope="module")
def db(pg_dsn, tmp_path_factory):
    """Cases in two streets of one district and one street of another district."""
    dsn = sim.fresh_database(pg_dsn, f"ug_test_sync_security_{os.getpid()}")
    server.server_init(dsn)
    server.grant(dsn, role="sec_a", streets=[STREET_A])
    server.grant(dsn, role="sec_b", streets=[STREET_B])
    server.grant(dsn, role="sec_district", districts=["110101"])
    server.grant(dsn, role="sec_audit", auditor=True)
    tmp = tmp_path_factory.mktemp("sec")
    for user, street in (("sec_a", STREET_A), ("sec_b", STREET_B)):
        lap = sim.make_laptop(tmp / f"{user}.gpkg")
        (cid,) = sim.add_cases(lap, [sim.case_row(street, description=f"case of {user}")])
        sim.add_event(lap, cid, "filed", user)
        sim.add_attachment(lap, cid, b"jpeg bytes of " + user.encode())
        protocol.sync(lap, dsn, user=user)
    with psycopg.connect(dsn) as con:  # a case outside district 110101, made by the admin
        con.execute("INSERT INTO urbangrid.ug_case (case_id, profile, kind, class_code, street_code,"
                    " district_code, source, created_at, updated_at) VALUES ('far-1', '2013', 'event',"
                    " '0101', %s, '110102', 'hotline', 'x', 'x')", (OTHER_DISTRICT_STREET,))
    yield dsn
    sim.drop_database(pg_dsn, dsn)


def as_user(db, user):
    return psycopg.connect(db, user=user, autocommit=True)


def streets_seen(con, table="ug_case"):
    if table == "ug_case":
        return {r[0] for r in con.execute("SELECT street_code FROM urbangrid.ug_case")}
    return {r[0] for r in con.execute(
        f"SELECT c.street_code FROM urbangrid.{table} x JOIN urbangrid.ug_case c USING (case_id)")}


def count_all(db, table):
    with psycopg.connect(db) as con:
        return con.execute(f"SELECT count(*) FROM urbangrid.{table}").fetchone()[0]


@pytest.mark.parametrize("table", ["ug_case", "ug_case_event", "ug_case_attachment"])
def test_street_staff_read_only_their_street(db, table):
    with as_user(db, "sec_a") as con:
        assert streets_seen(con, table) == {STREET_A}
        n = con.execute(f"SELECT count(*) FROM urbangrid.{table}").fetchone()[0]
        assert 0 < n < count_all(db, table)


def test_district_grant_reads_its_streets_only(db):
    with as_user(db, "sec_district") as con:
        assert streets_seen(con) == {STREET_A, STREET_B}


def test_auditor_reads_everything_but_writes_nothing(db):
    with as_user(db, "sec_audit") as con:
        assert streets_seen(con) == {STREET_A, STREET_B, OTHER_DISTRICT_STREET}
        assert con.execute("SELECT count(*) FROM urbangrid.user_area").fetchone()[0] >= 3
        for stmt in ("UPDATE urbangrid.ug_case SET description = 'audited'",
                     "DELETE FROM urbangrid.ug_case",
                     "INSERT INTO urbangrid.ug_case_event (event_id, case_id, to_state, action,"
                     " actor, role, at) VALUES ('e', 'far-1', 'filed', 'x', 'y', 'inspector', 'z')",
                     "UPDATE urbangrid.sync_conflict SET status = 'resolved'"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute(stmt)


def test_street_staff_cannot_change_other_streets(db):
    before = count_all(db, "ug_case")
    with as_user(db, "sec_a") as con:
        assert con.execute("UPDATE urbangrid.ug_case SET description = 'hacked'"
                           " WHERE street_code <> %s", (STREET_A,)).rowcount == 0
        assert con.execute("DELETE FROM urbangrid.ug_case WHERE street_code <> %s",
                           (STREET_A,)).rowcount == 0
        assert con.execute("UPDATE urbangrid.ug_case_attachment SET data = 'x'"
                           " WHERE case_id IN (SELECT case_id FROM urbangrid.ug_case"
                           " WHERE street_code = %s)", (STREET_B,)).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # RLS WITH CHECK
            con.execute("INSERT INTO urbangrid.ug_case (case_id, profile, kind, class_code,"
                        " street_code, district_code, source, created_at, updated_at) VALUES"
                        " ('planted', '2013', 'event', '0101', %s, '110101', 'other', 'x', 'x')",
                        (STREET_B,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # move own case away
            con.execute("UPDATE urbangrid.ug_case SET street_code = %s", (STREET_B,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # event on a foreign case
            con.execute("INSERT INTO urbangrid.ug_case_event (event_id, case_id, to_state, action,"
                        " actor, role, at) VALUES ('e1', 'far-1', 'closed', 'close', 'a',"
                        " 'inspector', 'now')")
    with psycopg.connect(db) as con:
        assert con.execute("SELECT count(*) FROM urbangrid.ug_case WHERE description = 'hacked'"
                           " OR sync_deleted").fetchone()[0] == 0
    assert count_all(db, "ug_case") == before


def test_nobody_can_bypass_row_level_security(db):
    with psycopg.connect(db) as con:
        rows = con.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, o.rolcanlogin,"
            " o.rolbypassrls FROM pg_class c JOIN pg_roles o ON o.oid = c.relowner"
            " WHERE c.relnamespace = 'urbangrid'::regnamespace AND c.relkind = 'r'").fetchall()
        assert {r[0] for r in rows} >= {"ug_case", "ug_case_event", "ug_case_attachment",
                                        "sync_conflict", "sync_batch", "user_area"}
        for name, rls, force, login, bypass in rows:
            if name == "server_info":
                continue
            assert rls and force, f"{name} must FORCE row level security"
            assert not login and not bypass, f"owner of {name} must be a NOLOGIN, NOBYPASSRLS role"
        members = con.execute(
            "SELECT r.rolname, r.rolsuper, r.rolbypassrls FROM pg_auth_members m"
            " JOIN pg_roles r ON r.oid = m.member JOIN pg_roles g ON g.oid = m.roleid"
            " WHERE g.rolname IN ('urbangrid_staff', 'urbangrid_auditor', 'urbangrid_owner')"
        ).fetchall()
        assert {"sec_a", "sec_audit"} <= {m[0] for m in members}
        assert not any(m[1] or m[2] for m in members)
    with as_user(db, "sec_a") as con:
        assert con.execute("SELECT count(*) FROM urbangrid.user_area").fetchone()[0] == 1
        for stmt in ("INSERT INTO urbangrid.user_area (role_name, street_code) VALUES"
                     " ('sec_a', '110101002')",
                     "ALTER TABLE urbangrid.ug_case DISABLE ROW LEVEL SECURITY",
                     "SET ROLE urbangrid_owner",
                     "DROP POLICY area_rw ON urbangrid.ug_case"):
            with pytest.raises((psycopg.errors.InsufficientPrivilege,
                                psycopg.errors.InvalidParameterValue)):
                con.execute(stmt)


def test_sync_pull_only_brings_the_users_area(db, tmp_path):
    lap = sim.make_laptop(tmp_path / "fresh_a.gpkg")
    protocol.sync(lap, db, user="sec_a")
    cases = sim.read_table(lap, "ug_case", "case_id")
    assert {c["street_code"] for c in cases.values()} == {STREET_A}
    assert {e["case_id"] for e in sim.read_table(lap, "ug_case_event", "event_id").values()} <= set(cases)


def test_pushing_a_case_of_another_street_is_refused_and_kept(db, tmp_path):
    lap = sim.make_laptop(tmp_path / "push_b.gpkg")
    protocol.sync(lap, db, user="sec_a")
    (cid,) = sim.add_cases(lap, [sim.case_row(STREET_B, description="not my street")])
    sim.add_event(lap, cid, "filed", "sec_a")
    report = protocol.sync(lap, db, user="sec_a")
    assert report.rejected == 2
    with psycopg.connect(db) as con:
        assert con.execute("SELECT count(*) FROM urbangrid.ug_case WHERE case_id = %s",
                           (cid,)).fetchone()[0] == 0
        kinds = con.execute("SELECT kind, laptop_by FROM urbangrid.sync_conflict WHERE row_key = %s",
                            (cid,)).fetchall()
    assert kinds == [("rejected", "sec_a")]
    assert cid in sim.read_table(lap, "ug_case", "case_id")  # nothing dropped on the laptop
    again = protocol.sync(lap, db, user="sec_a")
    assert again.batch_id is None  # parked, not resent every time
    (c,) = [c for c in conflicts.list_local(lap) if c.row_key == cid]
    assert "not my street" in c.laptop_value


def test_text_fields_round_trip_injection_attempts_as_data(db, tmp_path):
    """Every text field of every table carries SQL-looking text through push and pull."""
    a = sim.make_laptop(tmp_path / "inj_a.gpkg")
    b = sim.make_laptop(tmp_path / "inj_b.gpkg")
    protocol.sync(a, db, user="sec_a")
    protocol.sync(b, db, user="sec_a")
    text_case_fields = ["class_code", "description", "grid_code", "community_code",
                        "component_id", "department", "deadline", "created_at", "updated_at",
                        "candidate_id"]
    ids = []
    for i, evil in enumerate(INJECTIONS):
        row = sim.case_row(STREET_A)
        row.update({f: f"{evil}#{f}" for f in text_case_fields})
        row["case_id"] = f"{evil}#{i}"
        ids.append(row["case_id"])
        sim.add_cases(a, [row])
        with sim.connect(a) as con:
            sim.insert_rows(con, "ug_case_event", [{
                "event_id": f"{evil}#e{i}", "case_id": row["case_id"], "from_state": evil,
                "to_state": "filed", "action": evil, "actor": evil, "role": "inspector",
                "at": evil, "note": evil, "assignee": evil, "deadline": evil}])
            sim.insert_rows(con, "ug_case_attachment", [{
                "attachment_id": f"{evil}#a{i}", "case_id": row["case_id"], "name": evil,
                "mime": evil, "data": evil.encode(), "sha256": evil, "created_at": evil}])
    protocol.sync(a, db, user="sec_a")
    protocol.sync(b, db, user="sec_a")
    for table, key in (("ug_case", "case_id"), ("ug_case_event", "event_id"),
                       ("ug_case_attachment", "attachment_id")):
        mine = {k: v for k, v in sim.read_table(a, table, key).items() if "#" in k}
        theirs = {k: v for k, v in sim.read_table(b, table, key).items() if "#" in k}
        assert len(mine) == len(INJECTIONS) and mine == theirs
    with psycopg.connect(db) as con:
        got = con.execute("SELECT description FROM urbangrid.ug_case WHERE case_id = %s",
                          (ids[0],)).fetchone()[0]
        assert got == INJECTIONS[0] + "#description"
    # conflicts carry the text too, and a custom resolution value stays data
    sim.edit_case(a, ids[0], description=INJECTIONS[1])
    sim.edit_case(b, ids[0], description=INJECTIONS[2])
    protocol.sync(a, db, user="sec_a")
    protocol.sync(b, db, user="sec_a")
    (c,) = [c for c in conflicts.list_local(b) if c.row_key == ids[0]]
    assert (c.server_value, c.laptop_value) == (INJECTIONS[1], INJECTIONS[2])
    conflicts.resolve(c.conflict_id, "custom", INJECTIONS[3], dsn=db, user="sec_a")
    protocol.sync(a, db, user="sec_a")
    assert sim.read_table(a, "ug_case", "case_id")[ids[0]]["description"] == INJECTIONS[3]
    with psycopg.connect(db) as con:
        assert con.execute("SELECT count(*) FROM urbangrid.sync_batch").fetchone()[0] > 0


@pytest.mark.parametrize("role", ["x; DROP TABLE urbangrid.ug_case", "Robert'--", "a b", ""])
def test_role_names_are_checked(db, role):
    with pytest.raises(InputError):
        server.grant(db, role=role, streets=[STREET_A])


def test_street_codes_are_checked(db):
    with pytest.raises(InputError):
        server.grant(db, role="sec_a", streets=["1'; DROP TABLE x; --"])


def test_conflict_id_is_data(db):
    with pytest.raises(InputError):
        conflicts.resolve("'; DROP TABLE urbangrid.sync_conflict; --", "theirs", dsn=db,
                          user="sec_a")
    assert count_all(db, "sync_conflict") >= 0


def test_conninfo_leaves_sslmode_to_the_dsn_or_the_service_file():
    """An sslmode added here would override a service file's verify-full (libpq gives
    connection-string values precedence); libpq's own default is already prefer."""
    assert "sslmode" not in server.conninfo("host=/tmp dbname=x")
    assert "sslmode=require" in server.conninfo("host=db dbname=x sslmode=require")
    info = server.conninfo(service="urbangrid", user="inspector1")
    assert "service=urbangrid" in info and "sslmode" not in info


def test_area_exit_notes_are_read_and_written_only_within_the_area(db):
    """Notes of cases leaving an area (migrations 0003-0004) are RLS-protected like the
    cases: a street's staff read the notes of their street and those addressed to them,
    and cannot plant notes for another street or another user."""
    with psycopg.connect(db) as con:  # as the admin: one note per kind
        con.execute("INSERT INTO urbangrid.sync_area_exit (row_key, street_code, district_code,"
                    " role_name) VALUES ('n-a', %s, '110101', NULL), ('n-b', %s, '110101', NULL),"
                    " ('n-for-b', %s, '110101', 'sec_b')", (STREET_A, STREET_B, STREET_A))
    with as_user(db, "sec_a") as con:
        seen = {r[0] for r in con.execute("SELECT row_key FROM urbangrid.sync_area_exit")}
        assert "n-a" in seen and not seen & {"n-b", "n-for-b"}
        for values in ((STREET_B, None), (STREET_A, "sec_b")):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute("INSERT INTO urbangrid.sync_area_exit (row_key, street_code, role_name)"
                            " VALUES ('planted', %s, %s)", values)
    with as_user(db, "sec_b") as con:
        seen = {r[0] for r in con.execute("SELECT row_key FROM urbangrid.sync_area_exit")}
        assert {"n-b", "n-for-b"} <= seen and "n-a" not in seen
