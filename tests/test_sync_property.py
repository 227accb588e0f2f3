"""Randomised property test of sync: many laptops, random edits, random order, cuts everywhere.

Seeded random loop (reproducible, bounded runtime). Four laptops of one street make
random creates, field edits, moves, deletes, transition events and photo
attachments, and sync in random order; about half the syncs are cut at a random
protocol step (after the journal write, inside the server transaction, after the
server commit before the laptop's acknowledgement, after the acknowledgement, between
pull pages, ...). Then every laptop syncs without cuts until quiet, and:

* **convergence**: every laptop holds exactly the server's live rows;
* **zero lost edits**: every edit that left a laptop's hands (not overwritten by the
  same laptop before its next push) is found in the server's history of the row or
  in a conflict record, and every created case, event and photo is on the server;
* **every conflict surfaced**: each server conflict is mirrored on every laptop.
"""

from __future__ import annotations

import os
import random
import uuid
from collections import defaultdict

import psycopg
import pytest

from urban_grid_plugin.cases.store import gpkg_to_xy, point_to_gpkg
from urban_grid_plugin.sync import journal, protocol, server
from urban_grid_plugin.sync import simulate as sim
from urban_grid_plugin.sync.protocol import STEPS, InjectedCut

pytestmark = pytest.mark.postgis
STREET = "110101001"
N_LAPTOPS = 4
OPS_PER_SEED = 140
SEEDS = tuple(int(x) for x in os.environ.get("UG_SYNC_SEEDS", "11,23,42").split(","))
UNIQUE_FIELDS = ("description", "department", "deadline")
STATES = ("collecting", "filed", "dispatched", "handling", "feedback", "closed")


@pytest.fixture(scope="module")
def db(pg_dsn):
    dsn = sim.fresh_database(pg_dsn, f"ug_test_sync_property_{os.getpid()}")
    server.server_init(dsn)
    for i in range(N_LAPTOPS):
        server.grant(dsn, role=f"prop_{i}", streets=[STREET])
    with psycopg.connect(dsn) as con:
        # test instrumentation: the server's full history of case rows
        con.execute("CREATE TABLE public.case_history (case_id text, row jsonb)")
        con.execute("""CREATE FUNCTION public.log_case() RETURNS trigger LANGUAGE plpgsql
            SECURITY DEFINER AS $$ BEGIN
              INSERT INTO public.case_history VALUES (NEW.case_id, to_jsonb(NEW) - 'geom');
              RETURN NEW; END $$""")
        con.execute("CREATE TRIGGER log_case AFTER INSERT OR UPDATE ON urbangrid.ug_case"
                    " FOR EACH ROW EXECUTE FUNCTION public.log_case()")
    yield dsn
    sim.drop_database(pg_dsn, dsn)


class World:
    """The laptops, what the test did to them, and what left each laptop in a batch."""

    def __init__(self, db, tmp_path, seed):
        self.db = db
        self.rng = random.Random(seed)
        self.laptops = [sim.make_laptop(tmp_path / f"s{seed}_l{i}.gpkg") for i in range(N_LAPTOPS)]
        self.timeline = defaultdict(list)  # laptop -> [("edit", cid, f, v) | ("delete", cid) | ("push",)]
        self.created = {"case": set(), "event": set(), "attachment": set()}
        self.counter = 0
        self.cuts = defaultdict(int)
        self.replaced_knowingly = set()

    def value(self, i, field):
        self.counter += 1
        return f"L{i}-{field}-{self.counter}"

    def local_cases(self, i):
        return sorted(sim.read_table(self.laptops[i], "ug_case", "case_id"))

    def step(self):
        rng = self.rng
        i = rng.randrange(N_LAPTOPS)
        lap = self.laptops[i]
        cases = self.local_cases(i)
        # few cases, many edits: laptops keep colliding on the same rows and fields
        op = rng.choices(["create", "edit", "move", "state", "delete", "event", "photo", "sync"],
                         [2 if len(cases) < 8 else 0.3, 6, 1, 2, 1, 2, 1, 6])[0]
        if op != "create" and op != "sync" and not cases:
            op = "create"
        if op == "create":
            row = sim.case_row(STREET, description=self.value(i, "description"),
                               x=500000 + rng.random() * 100, y=4000000 + rng.random() * 100,
                               case_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)))
            sim.add_cases(lap, [row])
            self.created["case"].add(row["case_id"])
            self.timeline[i].append(("create", row["case_id"]))
        elif op == "edit":
            cid, field = rng.choice(cases), rng.choice(UNIQUE_FIELDS)
            v = self.value(i, field)
            sim.edit_case(lap, cid, **{field: v}, updated_at=sim.now_iso())
            self.timeline[i].append(("edit", cid, field, v))
        elif op == "move":
            sim.edit_case(lap, rng.choice(cases), geom=point_to_gpkg(
                500000 + rng.random() * 100, 4000000 + rng.random() * 100, 4547))
        elif op == "state":
            sim.edit_case(lap, rng.choice(cases), state=rng.choice(STATES))
        elif op == "delete":
            cid = rng.choice(cases)
            sim.delete_case(lap, cid)
            self.timeline[i].append(("delete", cid))
        elif op == "event":
            self.created["event"].add(sim.add_event(lap, rng.choice(cases), "filed", f"prop_{i}"))
        elif op == "photo":
            data = rng.randbytes(rng.randrange(1, 3000))
            self.created["attachment"].add(sim.add_attachment(lap, rng.choice(cases), data))
        else:
            self.sync(i, cut=rng.random() < 0.5)

    def sync(self, i, cut=False):
        target = self.rng.choice(STEPS) if cut else None
        fired = []

        def fault(step):
            if step == "journal_written":
                self._mark_push(i)
            if step == target and not fired:
                fired.append(step)
                self.cuts[step] += 1
                raise InjectedCut(step)

        try:
            protocol.sync(self.laptops[i], self.db, user=f"prop_{i}", fault=fault, page=4)
        except InjectedCut:
            pass

    def _mark_push(self, i):
        """A batch was frozen: edits before it have left the laptop (if it was new)."""
        con = journal.open_laptop(self.laptops[i])
        batch = journal.pending_batch(con)
        con.close()
        if batch and batch[0] not in {e[1] for e in self.timeline[i] if e[0] == "push"}:
            self.timeline[i].append(("push", batch[0]))
            part = batch[1]["tables"].get("ug_case")
            for op, key, mask, _mine, base in (part["rows"] if part else []):
                if op == "update":  # this laptop saw `base` and replaced it knowingly
                    base = journal.decode_row(base)
                    for n, col in enumerate(part["columns"]):
                        if mask & (1 << n):
                            self.replaced_knowingly.add((key, col, base[n]))

    def settle(self):
        for _ in range(3):
            for i in range(N_LAPTOPS):
                self.sync(i)

    def expected(self, kind):
        """Edits (or creates) that left a laptop: not overwritten or deleted by that laptop
        before its next push."""
        out = []
        for i, events in self.timeline.items():
            for n, e in enumerate(events):
                if e[0] != kind:
                    continue
                superseded = False
                for later in events[n + 1:]:
                    if later[0] == "push":
                        break
                    if (later[0] == "edit" and later[1:3] == e[1:3]) or later == ("delete", e[1]):
                        superseded = True
                        break
                if not superseded:
                    out.append((i, *e[1:]))
        return out


def e_in_history(expected, history):
    return any(e[3] in history[(e[1], e[2])] for e in expected)


def server_state(db):
    with psycopg.connect(db) as con:
        cur = con.cursor(row_factory=psycopg.rows.dict_row)
        cases = {r["case_id"]: r for r in cur.execute(
            "SELECT *, ST_X(geom) AS x, ST_Y(geom) AS y FROM urbangrid.ug_case")}
        history = defaultdict(set)
        for cid, row in con.execute("SELECT case_id, row FROM public.case_history"):
            for f in (*UNIQUE_FIELDS, "sync_deleted"):
                history[(cid, f)].add(row.get(f))
        conflicts = cur.execute("SELECT * FROM urbangrid.sync_conflict").fetchall()
        events = {r[0] for r in con.execute("SELECT event_id FROM urbangrid.ug_case_event")}
        photos = dict(con.execute("SELECT attachment_id, data FROM urbangrid.ug_case_attachment"))
    return cases, history, conflicts, events, photos


@pytest.mark.parametrize("seed", SEEDS)
def test_random_edits_with_cuts_converge_without_losing_edits(db, tmp_path, seed):
    world = World(db, tmp_path, seed)
    for _ in range(OPS_PER_SEED):
        world.step()
    world.settle()
    cases, history, conflicts, events, photos = server_state(db)
    mine = {c for c in cases if c in world.created["case"]}
    live = {c for c in mine if not cases[c]["sync_deleted"]}
    # convergence: each laptop holds exactly the live server rows, field by field
    for lap in world.laptops:
        local = sim.read_table(lap, "ug_case", "case_id")
        assert set(local) & world.created["case"] == live
        for cid in live:
            srv, loc = cases[cid], local[cid]
            for col in loc:
                if col == "geom":
                    assert gpkg_to_xy(loc[col]) == pytest.approx((srv["x"], srv["y"]))
                else:
                    assert loc[col] == srv[col], (lap, cid, col)
        mirrored = {c.conflict_id: c.status for c in
                    __import__("urban_grid_plugin.sync.conflicts", fromlist=["x"]).list_local(
                        lap, include_resolved=True)}
        for c in conflicts:  # every conflict surfaced to everyone who may see it
            if c["kind"] != "rejected" or c["laptop_by"] == f"prop_{world.laptops.index(lap)}":
                assert mirrored.get(str(c["conflict_id"])) == c["status"], c
        con = journal.open_laptop(lap)
        assert journal.pending_batch(con) is None
        con.close()
    # zero lost edits
    by_field = defaultdict(set)
    deleted_or_conflicted = set()
    for c in conflicts:
        by_field[(c["row_key"], c["field"])] |= {c["server_value"], c["laptop_value"]}
        deleted_or_conflicted.add(c["row_key"])
    expected = world.expected("edit")
    assert expected, "the random run made no edits"
    # an edit survives in the final row, or in a conflict, or was replaced by someone
    # who had seen it (their push carried it as the base value)
    lost = [e for e in expected
            if e[3] not in by_field[(e[1], e[2])] and (e[1], e[2], e[3]) not in world.replaced_knowingly
            and (e[1] not in cases or cases[e[1]][e[2]] != e[3])]
    assert e_in_history(expected, history), "history instrumentation broken"
    assert lost == []
    for events_ in world.timeline.values():
        for e in events_:
            if e[0] == "delete" and e[1] in cases:
                assert True in history[(e[1], "sync_deleted")] or e[1] in deleted_or_conflicted
    assert {e[1] for e in world.expected("create")} <= set(cases)
    # events and photos reach the server, or (their case never did) are recorded whole
    rejected = {c["row_key"] for c in conflicts if c["kind"] == "rejected"}
    assert world.created["event"] <= events | rejected
    assert world.created["attachment"] <= set(photos) | rejected
    assert sum(world.cuts.values()) > 5, world.cuts
    assert len(conflicts) > 3, "the run should make laptops collide"
