"""Laptop-side merge of pulled server rows, without a server: the fast paths keep the rules.

The pull merge lets SQLite decide which local rows still equal their base and writes
many rows through a staging table (``journal.update_columns``). These tests pin down
that neither shortcut changes what a merge does: rows equal to their base take the
server's values, local edits are kept with their old base, a byte difference that is
the same data (a geometry header) is not an edit, and a value SQLite would only call
equal after a type conversion is an edit.
"""

from __future__ import annotations

import sqlite3
import struct

import pytest

from urban_grid_plugin.cases.store import point_to_gpkg
from urban_grid_plugin.sync import journal
from urban_grid_plugin.sync import simulate as sim

STREET = "110101001"
SRS = 4547


def case_table(con: sqlite3.Connection) -> journal.SyncTable:
    """The laptop's ug_case as sync sees it: key first, every column but fid."""
    cols = [c for c in journal.local_columns(con, "ug_case") if c != "fid"]
    cols.sort(key=lambda c: c != "case_id")
    return journal.SyncTable("ug_case", "case_id", tuple(cols), "geom")


@pytest.fixture()
def laptop(tmp_path):
    """A laptop holding ``n`` synced cases (local rows equal to their base, revision 1)."""

    def make(n: int) -> tuple[sqlite3.Connection, journal.SyncTable, list[list]]:
        path = sim.make_laptop(tmp_path / "laptop.gpkg")
        rows = [sim.case_row(STREET, description=f"case {i}", x=500000 + i) for i in range(n)]
        sim.add_cases(path, rows)
        con = journal.open_laptop(path)
        table = case_table(con)
        with journal.transaction(con):
            journal.ensure_base(con, table)
            journal.set_base(con, table, [[r[c] for c in table.columns] + [1] for r in rows])
        return con, table, [[r[c] for c in table.columns] for r in rows]

    yield make


def server_rows(table: journal.SyncTable, rows: list[list], rev: int = 2,
                deleted: bool = False, **values) -> list[tuple]:
    """Server versions of laptop rows with ``values`` changed: (values..., rev, deleted)."""
    out = []
    for row in rows:
        new = list(row)
        for col, value in values.items():
            new[table.columns.index(col)] = value
        out.append((*new, rev, deleted))
    return out


def read(con: sqlite3.Connection, name: str, table: journal.SyncTable, extra: str = "") -> dict:
    """Rows of ``name`` by key, as ``{column: value}``."""
    cols = list(table.columns) + ([extra] if extra else [])
    sel = ", ".join(journal.q(c) for c in cols)
    return {r[0]: dict(zip(cols, r, strict=True))
            for r in con.execute(f"SELECT {sel} FROM {journal.q(name)}")}


def merge(con, table, rows, refs=None) -> dict[str, int]:
    with journal.transaction(con):
        return journal.merge_server_rows(con, table, rows, refs=refs)


@pytest.mark.parametrize("n", [3, journal.STAGE_MIN_ROWS + 40])
def test_rows_equal_to_their_base_take_the_server_values(laptop, n):
    con, table, rows = laptop(n)
    counts = merge(con, table, server_rows(table, rows, description="from server", state="filed"))
    assert counts == {"updated": n, "deleted": 0, "kept_local": 0}
    local, base = read(con, "ug_case", table), read(con, table.base, table, "sync_rev")
    for row in rows:
        for got in (local[row[0]], base[row[0]]):
            assert got["description"] == "from server" and got["state"] == "filed"
            assert got["geom"] == row[table.columns.index("geom")]
        assert base[row[0]]["sync_rev"] == 2
    assert not journal.collect_changes(con, table)  # nothing left to push


@pytest.mark.parametrize("n", [3, journal.STAGE_MIN_ROWS + 40])
def test_a_local_edit_is_kept_with_its_old_base(laptop, n):
    con, table, rows = laptop(n)
    edited = rows[1][0]
    con.execute("UPDATE ug_case SET description = 'mine' WHERE case_id = ?", (edited,))
    counts = merge(con, table, server_rows(table, rows, description="theirs", state="filed"))
    assert counts["kept_local"] == 1
    local, base = read(con, "ug_case", table), read(con, table.base, table, "sync_rev")
    assert local[edited]["description"] == "mine" and local[edited]["state"] == "filed"
    assert base[edited]["description"] == "case 1"  # old base: the next push is three-way
    assert base[edited]["state"] == "filed" and base[edited]["sync_rev"] == 2
    (change,) = journal.collect_changes(con, table)
    assert change.key == edited and change.base[table.columns.index("description")] == "case 1"
    others = [r[0] for r in rows if r[0] != edited]
    assert all(local[k]["description"] == "theirs" for k in others)


def test_a_geometry_with_another_header_is_the_same_data_not_an_edit(laptop):
    con, table, rows = laptop(3)
    key, gi = rows[0][0], table.columns.index("geom")
    x, y = struct.unpack("<dd", rows[0][gi][-16:])
    # the same point, written with an envelope (as another GeoPackage writer may)
    with_envelope = (b"GP" + struct.pack("<BBi", 0, 0b00000011, SRS)
                     + struct.pack("<4d", x, x, y, y) + rows[0][gi][8:])
    assert with_envelope != rows[0][gi]
    assert journal.gpkg_wkb(with_envelope) == journal.gpkg_wkb(rows[0][gi])
    con.execute("UPDATE ug_case SET geom = ? WHERE case_id = ?", (with_envelope, key))
    counts = merge(con, table, server_rows(table, rows, description="theirs"))
    assert counts["kept_local"] == 0
    local = read(con, "ug_case", table)
    assert local[key]["description"] == "theirs"
    assert local[key]["geom"] == with_envelope  # same data: left as the laptop wrote it


def test_a_value_sqlite_would_convert_to_equal_is_an_edit(laptop):
    # ug_case.overdue has INTEGER affinity: a plain "L.overdue IS B.overdue" converts the
    # base's text '1' to 1 and calls them equal. Python does not; neither may the merge.
    con, table, rows = laptop(3)
    key = rows[0][0]
    con.execute("UPDATE ug_case SET overdue = 1 WHERE case_id = ?", (key,))
    con.execute(f"UPDATE {table.base} SET overdue = '1' WHERE case_id = ?", (key,))
    assert con.execute(f"SELECT L.overdue IS B.overdue FROM ug_case L JOIN {table.base} B"
                       " USING (case_id) WHERE case_id = ?", (key,)).fetchone() == (1,)
    counts = merge(con, table, server_rows(table, rows, overdue=0, description="theirs"))
    assert counts["kept_local"] == 1
    local, base = read(con, "ug_case", table), read(con, table.base, table)
    assert local[key]["overdue"] == 1 and local[key]["description"] == "theirs"
    assert base[key]["overdue"] == "1"


def test_server_deletes_remove_clean_rows_and_keep_edited_ones(laptop):
    con, table, rows = laptop(4)
    con.execute("UPDATE ug_case SET department = 'mine' WHERE case_id = ?", (rows[0][0],))
    counts = merge(con, table, server_rows(table, rows, deleted=True))
    assert counts == {"updated": 0, "deleted": 3, "kept_local": 1}
    assert set(read(con, "ug_case", table)) == {rows[0][0]}
    assert set(read(con, table.base, table)) == {rows[0][0]}  # pushed back as an edit


@pytest.mark.parametrize("n", [1, journal.STAGE_MIN_ROWS + 5])
def test_rows_new_to_the_laptop_are_inserted_with_their_base(laptop, n):
    con, table, rows = laptop(1)
    new = [[sim.case_row(STREET, description=f"new {i}")[c] for c in table.columns]
           for i in range(n)]
    counts = merge(con, table, server_rows(table, new, rev=5))
    assert counts["updated"] == n
    local, base = read(con, "ug_case", table, "fid"), read(con, table.base, table, "sync_rev")
    assert [local[r[0]]["description"] for r in new] == [f"new {i}" for i in range(n)]
    assert [local[r[0]]["fid"] for r in new] == sorted(local[r[0]]["fid"] for r in new)
    gi = table.columns.index("geom")
    assert all(base[r[0]]["sync_rev"] == 5 and base[r[0]]["geom"] == r[gi] for r in new)
    assert not journal.collect_changes(con, table)


@pytest.mark.parametrize("n", [2, journal.STAGE_MIN_ROWS])
def test_update_columns_stores_values_as_a_bound_update_would(n, tmp_path):
    con = sqlite3.connect(tmp_path / "t.sqlite", isolation_level=None)
    con.execute("CREATE TABLE t (k TEXT PRIMARY KEY, i INTEGER CHECK (i IN (0, 1, 2, 3)),"
                " s TEXT, b)")
    con.executemany("INSERT INTO t VALUES (?, 0, 'x', NULL)", [(f"k{j}",) for j in range(n)])
    params = [["1", 5, point_to_gpkg(1.0, 2.0, SRS), f"k{j}"] for j in range(n)]
    with journal.transaction(con):
        journal.update_columns(con, "k", params, [("t", [("i", 0), ("s", 1), ("b", 2)])])
    got = con.execute("SELECT DISTINCT typeof(i), i, typeof(s), s, b FROM t").fetchall()
    assert got == [("integer", 1, "text", "5", point_to_gpkg(1.0, 2.0, SRS))]
    with pytest.raises(sqlite3.IntegrityError), journal.transaction(con):  # CHECKs still hold
        journal.update_columns(con, "k", [[9, f"k{j}"] for j in range(n)], [("t", [("i", 0)])])
    assert con.execute("SELECT count(*) FROM t WHERE i = 1").fetchone() == (n,)


def test_merge_without_update_from_gives_the_same_rows(laptop, monkeypatch):
    # an SQLite older than 3.33 (no UPDATE ... FROM) updates row by row, same outcome
    monkeypatch.setattr(journal, "UPDATE_FROM", False)
    con, table, rows = laptop(journal.STAGE_MIN_ROWS + 1)
    con.execute("UPDATE ug_case SET description = 'mine' WHERE case_id = ?", (rows[0][0],))
    counts = merge(con, table, server_rows(table, rows, description="theirs", state="filed"))
    assert counts == {"updated": len(rows), "deleted": 0, "kept_local": 1}
    local = read(con, "ug_case", table)
    assert local[rows[0][0]]["description"] == "mine"
    assert all(local[r[0]]["description"] == "theirs" for r in rows[1:])
    assert all(v["state"] == "filed" for v in local.values())


def test_dropping_a_batch_leaves_secure_delete_as_it_was(tmp_path):
    """The outbox is dropped with secure_delete FAST (its rows stay in the live
    tables); the connection's own setting, which zeroes a deleted photo, comes back."""
    path = tmp_path / "l.gpkg"
    sqlite3.connect(path).close()
    con = journal.open_laptop(path)
    try:
        for setting, value in (("ON", 1), ("FAST", 2), ("OFF", 0)):
            con.execute(f"PRAGMA secure_delete = {setting}")
            with journal.transaction(con):
                con.execute(f"INSERT INTO {journal.OUTBOX} VALUES ('b', 'now', ?)", (b"x" * 100_000,))
            with journal.transaction(con):
                journal.drop_batch(con, "b")
            assert con.execute(f"SELECT count(*) FROM {journal.OUTBOX}").fetchone()[0] == 0
            assert con.execute("PRAGMA secure_delete").fetchone()[0] == value
    finally:
        con.close()
