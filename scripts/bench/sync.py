"""Benchmark sync: push + pull of N edited cases vs plain bulk COPY; 20 laptops at once.

    .venv/bin/python scripts/bench/sync.py            # 10,000 cases, 20 laptops
    .venv/bin/python scripts/bench/sync.py --small    # 1,000 cases, quick check

Peer in the same run: the same rows moved with nothing but bulk COPY — read from a
laptop GeoPackage and ``COPY`` into a plain PostGIS table (the push direction), then
``COPY`` out and written into another GeoPackage (the pull direction). Sync does the
same data movement plus change detection, per-field three-way merge, conflict
records, revisions, row-level security and crash-safe journaling.

Last line: ``sync_vs_copy=X concurrent_ok=N/20`` where X = (push + pull) / (copy in +
copy out), each the median of three rounds, the COPY target having the server table's
indexes (a bare-heap COPY is printed too).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg

from urban_grid_plugin.sync import protocol, server
from urban_grid_plugin.sync import simulate as sim

REPO = Path(__file__).resolve().parents[2]
STREET = "110101001"
ROUNDS = 3


def admin_dsn() -> str:
    return os.environ.get("UG_PG_DSN") or subprocess.run(
        [str(REPO / "scripts" / "pg-start")], check=True, capture_output=True, text=True
    ).stdout.strip()


def timed(fn, *args, **kw):
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    return time.perf_counter() - t0, out


def copy_peer(dsn: str, laptop: str, target: str, indexed: bool) -> tuple[float, float]:
    """Plain bulk COPY of the laptop's cases into PostGIS and back into a GeoPackage.

    ``indexed``: the target table has the server table's indexes (key, street, state,
    GiST...) as a real load must maintain them; otherwise it is a bare heap.
    """
    cols = [c for c in sim.case_row(STREET) if c != "geom"]
    with psycopg.connect(dsn) as con:
        con.execute("DROP TABLE IF EXISTS public.bench_copy")
        con.execute("CREATE TABLE public.bench_copy (LIKE urbangrid.ug_case INCLUDING DEFAULTS"
                    + (" INCLUDING INDEXES)" if indexed else ")"))
        con.execute("ALTER TABLE public.bench_copy DROP COLUMN sync_rev, DROP COLUMN sync_deleted,"
                    " DROP COLUMN sync_fv, DROP COLUMN sync_by, DROP COLUMN sync_at")
        con.commit()
        t0 = time.perf_counter()
        lite = sqlite3.connect(laptop)
        rows = lite.execute(f"SELECT {', '.join(cols)}, geom FROM ug_case").fetchall()
        lite.close()
        with con.cursor().copy(f"COPY public.bench_copy ({', '.join(cols)}, geom) FROM STDIN") as cp:
            for r in rows:
                cp.write_row([*r[:-1], sim_wkb_hex(r[-1])])
        con.commit()
        copy_in = time.perf_counter() - t0
        t0 = time.perf_counter()
        out = []
        with con.cursor().copy(f"COPY (SELECT {', '.join(cols)}, ST_AsBinary(geom) FROM "
                               "public.bench_copy) TO STDOUT") as cp:
            for row in cp.rows():
                out.append(row)
        lite = sqlite3.connect(target)
        lite.execute("DELETE FROM ug_case")
        lite.executemany(f"INSERT INTO ug_case ({', '.join(cols)}, geom) VALUES "
                         f"({', '.join('?' * (len(cols) + 1))})", out)
        lite.commit()
        lite.close()
        copy_out = time.perf_counter() - t0
    return copy_in, copy_out


def vacuum(dsn: str) -> None:
    """VACUUM and ANALYZE the case table, as autovacuum would between two syncs."""
    with psycopg.connect(dsn, autocommit=True) as con:
        con.execute("VACUUM (ANALYZE) urbangrid.ug_case")


def sim_wkb_hex(blob: bytes) -> str:
    from urban_grid_plugin.sync.journal import gpkg_wkb

    return gpkg_wkb(blob).hex()


def edit_all(path: str, tag: str) -> None:
    with sim.connect(path) as con:
        con.execute("UPDATE ug_case SET description = description || ?, state = 'filed',"
                    " updated_at = ?", (tag, sim.now_iso()))


def concurrent(dsn: str, tmp: Path, laptops: int, shared: int) -> tuple[int, float, int]:
    """``laptops`` laptops of one street edit overlapping cases and sync at the same moment."""
    for i in range(laptops):
        server.grant(dsn, role=f"bench_l{i}", streets=[STREET])
    seed = sim.make_laptop(tmp / "seed.gpkg")
    sim.add_cases(seed, [sim.case_row(STREET, description=f"shared {i}") for i in range(shared)])
    protocol.sync(seed, dsn, user="bench_l0")
    paths = []
    for i in range(laptops):
        p = sim.make_laptop(tmp / f"l{i}.gpkg")
        protocol.sync(p, dsn, user=f"bench_l{i}")
        rng = random.Random(i)
        ids = list(sim.read_table(p, "ug_case", "case_id"))
        with sim.connect(p) as con:
            for cid in rng.sample(ids, min(50, len(ids))):
                con.execute("UPDATE ug_case SET description = ?, department = ? WHERE case_id = ?",
                            (f"laptop {i}", f"dept {i % 3}", cid))
        sim.add_cases(p, [sim.case_row(STREET, description=f"new from {i}") for _ in range(20)])
        paths.append(p)
    ok = []
    errors = []
    barrier = threading.Barrier(laptops)

    def run(i):
        barrier.wait()
        try:
            protocol.sync(paths[i], dsn, user=f"bench_l{i}")
            ok.append(i)
        except Exception as exc:  # noqa: BLE001 - counted and shown
            errors.append(f"laptop {i}: {exc!r}")

    threads = [threading.Thread(target=run, args=(i,)) for i in range(laptops)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    for e in errors:
        print("  FAILED", e)
    with psycopg.connect(dsn) as con:
        nconf = con.execute("SELECT count(*) FROM urbangrid.sync_conflict").fetchone()[0]
    return len(ok), elapsed, nconf


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--laptops", type=int, default=20)
    ap.add_argument("--small", action="store_true", help="1,000 cases, quick check")
    args = ap.parse_args(argv)
    n = 1000 if args.small else args.cases
    dsn = sim.fresh_database(admin_dsn(), f"ug_bench_sync_{os.getpid()}")
    server.server_init(dsn)
    server.grant(dsn, role="bench_a", streets=[STREET])
    server.grant(dsn, role="bench_b", streets=[STREET])
    with tempfile.TemporaryDirectory(prefix="ug-bench-sync-") as tmpdir:
        tmp = Path(tmpdir)
        a = sim.make_laptop(tmp / "a.gpkg")
        b = sim.make_laptop(tmp / "b.gpkg")
        rng = random.Random(1)
        sim.add_cases(a, [sim.case_row(STREET, description=f"case {i}", x=500000 + rng.random() * 5000,
                                       y=4000000 + rng.random() * 5000) for i in range(n)])
        t_first, _ = timed(protocol.sync, a, dsn, user="bench_a")
        t_first_pull, _ = timed(protocol.sync, b, dsn, user="bench_b")
        print(f"first upload of {n} new cases: {t_first:.2f} s; first download: {t_first_pull:.2f} s")
        # each figure is the median of ROUNDS rounds (edit all -> push -> pull; COPY in
        # -> COPY out): one round on this shared 2-core machine varies by about 10 %
        pushes, pulls = [], []
        for r in range(ROUNDS):
            edit_all(a, f" (edited {r})")
            # a server between two syncs of the same 10,000 cases: autovacuum has removed
            # the previous round's dead rows (it runs every minute; the rounds follow each
            # other within seconds), as the COPY peer's fresh table never has any
            vacuum(dsn)
            t_push, rep = timed(protocol.sync, a, dsn, user="bench_a")
            assert sum(rep.pushed.values()) == n, rep
            t_pull, rep = timed(protocol.sync, b, dsn, user="bench_b")
            assert rep.pulled["ug_case"] == n, rep
            pushes.append(t_push)
            pulls.append(t_pull)
            print(f"round {r + 1}: sync of {n} edited cases: push {t_push:.3f} s, pull {t_pull:.3f} s")
        c = sim.make_laptop(tmp / "c.gpkg")
        bare_in, bare_out = copy_peer(dsn, a, c, indexed=False)
        ins, outs = [], []
        for r in range(ROUNDS):
            copy_in, copy_out = copy_peer(dsn, a, c, indexed=True)
            ins.append(copy_in)
            outs.append(copy_out)
            print(f"round {r + 1}: plain COPY into a table with the server's indexes: in {copy_in:.3f} s,"
                  f" out {copy_out:.3f} s")
        t_push, t_pull = statistics.median(pushes), statistics.median(pulls)
        copy_in, copy_out = statistics.median(ins), statistics.median(outs)
        print(f"median sync of {n} edited cases: push {t_push:.3f} s, pull {t_pull:.3f} s")
        print(f"median plain COPY with the server's indexes: in {copy_in:.3f} s, out {copy_out:.3f} s")
        print(f"plain COPY of the same rows into a bare table: in {bare_in:.3f} s, out "
              f"{bare_out:.3f} s -> sync is {(t_push + t_pull) / (bare_in + bare_out):.2f}x")
        ratio = (t_push + t_pull) / (copy_in + copy_out)
        print(f"push/copy-in {t_push / copy_in:.2f}x, pull/copy-out {t_pull / copy_out:.2f}x")
        ok, elapsed, nconf = concurrent(dsn, tmp, args.laptops, 500 if not args.small else 200)
        print(f"{args.laptops} laptops syncing at once: {ok} ok in {elapsed:.2f} s, "
              f"{nconf} conflicts recorded on the server")
    sim.drop_database(admin_dsn(), dsn)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (client process) {peak:.0f} MiB")
    print(f"sync_vs_copy={ratio:.2f} concurrent_ok={ok}/{args.laptops}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
