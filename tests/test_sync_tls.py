"""Sync over TLS against a real PostgreSQL 15 cluster that refuses plain connections.

The fixture starts its own small cluster (the shared test cluster listens on a unix
socket only, where TLS does not apply): TCP on 127.0.0.1, a self-signed certificate
for ``localhost`` made with openssl, and a ``pg_hba.conf`` that rejects every
connection not using TLS. So a sync that succeeds here went over TLS, and the
tests check that a stricter ``sslmode`` in a pg_service file is honoured.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest

from urban_grid_plugin.errors import UrbanGridError
from urban_grid_plugin.sync import protocol, server
from urban_grid_plugin.sync import simulate as sim

pytestmark = pytest.mark.postgis
PG_BIN = Path("/usr/lib/postgresql/15/bin")
STREET = "110101001"


def _as_postgres(*args: str) -> None:
    subprocess.run(["su", "postgres", "-c", " ".join(f"'{a}'" for a in args)], check=True,
                   capture_output=True, text=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def tls_cluster():
    """``(host, port, ca_file)`` of a TLS-only cluster on 127.0.0.1, stopped afterwards."""
    # not under pytest's tmp folder: the postgres user must be able to reach it
    root = Path(tempfile.mkdtemp(prefix="ug-tls-pg-"))
    os.chmod(root, 0o755)
    data, sock = root / "data", root / "sock"
    for d in (data, sock):
        d.mkdir()
        shutil.chown(d, "postgres", "postgres")
    _as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                 "--encoding=UTF8", "--locale=C.UTF-8")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                    "-keyout", str(data / "server.key"), "-out", str(data / "server.crt")],
                   check=True, capture_output=True)
    for name in ("server.key", "server.crt"):
        shutil.chown(data / name, "postgres", "postgres")
    os.chmod(data / "server.key", 0o600)
    ca = root / "ca.crt"
    shutil.copy(data / "server.crt", ca)
    (data / "pg_hba.conf").write_text(
        "local all all trust\n"
        "hostnossl all all 0.0.0.0/0 reject\n"
        "hostssl all all 127.0.0.1/32 trust\n")
    port = _free_port()
    _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(data / "server.log"), "-w", "-o",
                 f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c ssl=on", "start")
    try:
        yield "localhost", port, ca
    finally:
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def tls_db(tls_cluster):
    host, port, _ = tls_cluster
    admin = f"host={host} port={port} user=postgres dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute("CREATE DATABASE ug_tls")
    dsn = f"host={host} port={port} user=postgres dbname=ug_tls"
    with psycopg.connect(dsn, autocommit=True) as con:
        con.execute("CREATE EXTENSION postgis")
    server.server_init(dsn)
    server.grant(dsn, role="tls_inspector", streets=[STREET])
    return dsn


def test_plain_connections_are_refused(tls_db):
    """The cluster really is TLS-only: without TLS, nothing gets in."""
    with pytest.raises(UrbanGridError, match="no encryption|SSL off|rejects"):
        server.connect(tls_db + " sslmode=disable")


def test_sync_goes_over_tls_by_default(tls_db, tmp_path):
    laptop = sim.make_laptop(tmp_path / "l.gpkg")
    (cid,) = sim.add_cases(laptop, [sim.case_row(STREET, description="sent over TLS")])
    report = protocol.sync(laptop, tls_db, user="tls_inspector")
    assert report.pushed == {"ug_case": 1}
    with server.connect(tls_db, user="tls_inspector") as con:
        ssl, version = con.execute("SELECT ssl, version FROM pg_stat_ssl"
                                   " WHERE pid = pg_backend_pid()").fetchone()
        assert ssl is True and version.startswith("TLS")
        assert con.execute("SELECT description FROM urbangrid.ug_case WHERE case_id = %s",
                           (cid,)).fetchone() == ("sent over TLS",)


def test_service_file_sslmode_verify_full_is_honoured(tls_cluster, tls_db, tmp_path, monkeypatch):
    """A pg_service entry asking for verify-full is obeyed, not overridden: naming the
    server by an address its certificate does not carry is refused, although the
    certificate is signed by the trusted CA (a weaker sslmode would connect)."""
    host, port, ca = tls_cluster
    services = tmp_path / "pg_service.conf"
    services.write_text(
        f"[city]\nhost={host}\nport={port}\ndbname=ug_tls\nsslmode=verify-full\nsslrootcert={ca}\n\n"
        f"[city_by_ip]\nhost=127.0.0.1\nport={port}\ndbname=ug_tls\nsslmode=verify-full\n"
        f"sslrootcert={ca}\n")
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    laptop = sim.make_laptop(tmp_path / "l.gpkg")
    report = protocol.sync(laptop, service="city", user="tls_inspector")
    assert report.pulled["ug_case"] >= 1
    with pytest.raises(UrbanGridError, match="does not match host name"):
        protocol.sync(laptop, service="city_by_ip", user="tls_inspector")
