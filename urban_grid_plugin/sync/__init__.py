"""Sync (同步) between offline field laptops (GeoPackage) and the central PostGIS server.

* :mod:`.server` — connections (pg_service / DSN; TLS when offered), versioned
  migrations (server + laptop parts), user roles and area grants.
* :mod:`.journal` — laptop side: base-copy change capture, the outbox journal, merging.
* :mod:`.protocol` — push (one server transaction per batch, idempotent by batch UUID,
  per-field three-way merge with recorded conflicts) and paged, resumable pull.
* :mod:`.conflicts` — list conflicts in plain words and resolve them (who/when kept).
* :mod:`.commands` — ``urbangrid sync run|status|conflicts|resolve|server-init|grant|laptop-init``.
* :mod:`.simulate` — simulated laptops for tests, the benchmark and the demo.
"""
