-- UrbanGrid central server schema, version 1.
-- Case tables render urban_grid_plugin/cases/schema.py (tests check they match),
-- plus sync bookkeeping and row-level security. Run by the migration runner
-- (urban_grid_plugin/sync/server.py) as a superuser, in one transaction.

CREATE EXTENSION IF NOT EXISTS postgis;

-- Group roles are cluster-wide: create them only when missing. The owner never logs
-- in, so nobody works as the table owner; FORCE ROW LEVEL SECURITY below makes even
-- the owner obey the policies, and user roles are created NOBYPASSRLS.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'urbangrid_owner') THEN
    CREATE ROLE urbangrid_owner NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'urbangrid_staff') THEN
    CREATE ROLE urbangrid_staff NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'urbangrid_auditor') THEN
    CREATE ROLE urbangrid_auditor NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
END $$;

CREATE SCHEMA IF NOT EXISTS urbangrid AUTHORIZATION urbangrid_owner;
GRANT USAGE ON SCHEMA urbangrid TO urbangrid_staff, urbangrid_auditor;
REVOKE CREATE ON SCHEMA urbangrid FROM PUBLIC;

-- One server-wide revision counter: every write to a synced table takes the next
-- value, and writers are serialised (sync_stamp), so revisions commit in order and a
-- laptop's pull cursor "everything up to revision N" never skips a late commit.
CREATE SEQUENCE urbangrid.sync_rev_seq;
GRANT USAGE, SELECT ON SEQUENCE urbangrid.sync_rev_seq TO urbangrid_staff;

CREATE TABLE urbangrid.server_info (
  server_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO urbangrid.server_info DEFAULT VALUES;
GRANT SELECT ON urbangrid.server_info TO urbangrid_staff, urbangrid_auditor;

-- Areas granted to each user role: a street (9-digit code) or a whole district (6).
CREATE TABLE urbangrid.user_area (
  role_name name NOT NULL,
  street_code text,
  district_code text,
  granted_by name NOT NULL DEFAULT current_user,
  granted_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((street_code IS NULL) <> (district_code IS NULL)),
  UNIQUE NULLS NOT DISTINCT (role_name, street_code, district_code)
);
ALTER TABLE urbangrid.user_area ENABLE ROW LEVEL SECURITY;
ALTER TABLE urbangrid.user_area FORCE ROW LEVEL SECURITY;
-- A user sees only its own grants; auditors see all; nobody but the admin writes.
CREATE POLICY own_grants ON urbangrid.user_area FOR SELECT TO urbangrid_staff
  USING (role_name = current_user);
CREATE POLICY audit_grants ON urbangrid.user_area FOR SELECT TO urbangrid_auditor USING (true);
GRANT SELECT ON urbangrid.user_area TO urbangrid_staff, urbangrid_auditor;

-- True when the current role was granted the street or the district. Invoker rights:
-- it reads user_area through that table's own policy (the caller's grants only).
CREATE FUNCTION urbangrid.area_ok(p_street text, p_district text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT EXISTS (
    SELECT 1 FROM urbangrid.user_area a
    WHERE a.role_name = current_user
      AND (a.street_code = p_street
           OR a.district_code = coalesce(p_district, left(p_street, 6)))
  )
$$;

-- Stamp every write: revision, per-field versions, who and when. The advisory lock
-- serialises writers until commit, so revisions become visible in order. The
-- trigger function is generated per table with one comparison per column (fast:
-- no row-to-json conversion); a migration that adds columns calls
-- urbangrid.sync_install(table) again.
CREATE FUNCTION urbangrid.sync_install(p_table text) RETURNS void LANGUAGE plpgsql AS $f$
DECLARE
  body text := '';
  col record;
  fn text := p_table || '_sync_stamp';
BEGIN
  FOR col IN SELECT attname FROM pg_attribute
             WHERE attrelid = format('urbangrid.%I', p_table)::regclass AND attnum > 0
               AND NOT attisdropped AND attname NOT LIKE 'sync\_%' ORDER BY attnum LOOP
    body := body || format(
      'IF NEW.%1$I IS DISTINCT FROM OLD.%1$I THEN fv := fv || jsonb_build_object(%1$L, NEW.sync_rev); END IF; ',
      col.attname);
  END LOOP;
  EXECUTE format($b$CREATE OR REPLACE FUNCTION urbangrid.%I() RETURNS trigger LANGUAGE plpgsql AS $t$
    DECLARE fv jsonb;
    BEGIN
      PERFORM pg_advisory_xact_lock(7423101);
      NEW.sync_rev := nextval('urbangrid.sync_rev_seq');
      NEW.sync_by := current_user;
      NEW.sync_at := now();
      IF TG_OP = 'UPDATE' THEN
        fv := coalesce(OLD.sync_fv, '{}'::jsonb);
        %s
        NEW.sync_fv := fv;
      ELSE
        NEW.sync_fv := '{}'::jsonb;  -- every field is at the row's first revision
      END IF;
      RETURN NEW;
    END $t$$b$, fn, body);
  EXECUTE format('ALTER FUNCTION urbangrid.%I() OWNER TO urbangrid_owner', fn);
  EXECUTE format('DROP TRIGGER IF EXISTS sync_stamp ON urbangrid.%I', p_table);
  EXECUTE format('CREATE TRIGGER sync_stamp BEFORE INSERT OR UPDATE ON urbangrid.%I'
                 ' FOR EACH ROW EXECUTE FUNCTION urbangrid.%I()', p_table, fn);
END $f$;

-- DELETE keeps a tombstone so laptops learn about it and a late edit can resurrect it.
CREATE FUNCTION urbangrid.sync_soft_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('UPDATE %I.%I SET sync_deleted = true WHERE %I = $1',
                 TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_ARGV[0])
    USING to_jsonb(OLD) ->> TG_ARGV[0];
  RETURN NULL;
END $$;

CREATE TABLE urbangrid.ug_case (
  "case_id" text NOT NULL PRIMARY KEY,
  "profile" text NOT NULL CHECK ("profile" IN ('2013', '2026')),
  "kind" text NOT NULL CHECK ("kind" IN ('event', 'component')),
  "class_code" text NOT NULL,
  "description" text,
  "grid_code" text,
  "street_code" text,
  "community_code" text,
  "district_code" text,
  "component_id" text,
  "source" text NOT NULL CHECK ("source" IN ('inspector', 'hotline', 'imagery', 'other')),
  "urgency" text NOT NULL DEFAULT 'normal' CHECK ("urgency" IN ('normal', 'urgent')),
  "department" text,
  "state" text NOT NULL DEFAULT 'collecting' CHECK ("state" IN ('collecting', 'filed', 'voided', 'dispatched', 'handling', 'postponed', 'returned', 'suspended', 'feedback', 'verifying', 'closed', 'rework')),
  "deadline" text,
  "overdue" integer NOT NULL DEFAULT 0 CHECK ("overdue" IN (0, 1)),
  "created_at" text NOT NULL,
  "updated_at" text NOT NULL,
  "candidate_id" text,
  "geom" geometry(Point, 4547)
);
CREATE INDEX ug_case_state_idx ON urbangrid.ug_case ("state");
CREATE INDEX ug_case_street_code_idx ON urbangrid.ug_case ("street_code");
CREATE INDEX ug_case_district_code_idx ON urbangrid.ug_case ("district_code");
CREATE INDEX ug_case_department_idx ON urbangrid.ug_case ("department");
CREATE INDEX ug_case_candidate_id_idx ON urbangrid.ug_case ("candidate_id");
CREATE INDEX ug_case_geom_gist ON urbangrid.ug_case USING gist ("geom");

CREATE TABLE urbangrid.ug_case_event (
  "event_id" text NOT NULL PRIMARY KEY,
  "case_id" text NOT NULL,
  "from_state" text,
  "to_state" text NOT NULL CHECK ("to_state" IN ('collecting', 'filed', 'voided', 'dispatched', 'handling', 'postponed', 'returned', 'suspended', 'feedback', 'verifying', 'closed', 'rework')),
  "action" text NOT NULL,
  "actor" text NOT NULL,
  "role" text NOT NULL CHECK ("role" IN ('inspector', 'call_taker', 'shift_leader', 'dispatcher', 'department', 'system')),
  "at" text NOT NULL,
  "note" text,
  "assignee" text,
  "deadline" text
);
CREATE INDEX ug_case_event_case_id_idx ON urbangrid.ug_case_event ("case_id");
CREATE INDEX ug_case_event_at_idx ON urbangrid.ug_case_event ("at");

CREATE TABLE urbangrid.ug_case_attachment (
  "attachment_id" text NOT NULL PRIMARY KEY,
  "case_id" text NOT NULL,
  "name" text NOT NULL,
  "mime" text NOT NULL,
  "data" bytea NOT NULL,
  "sha256" text NOT NULL,
  "created_at" text NOT NULL
);
CREATE INDEX ug_case_attachment_case_id_idx ON urbangrid.ug_case_attachment ("case_id");

-- Conflicts: both values kept until a person resolves them (server side of truth,
-- mirrored to laptops). kind: field (same field edited on two sides), edit_vs_delete
-- (edited here, deleted elsewhere: row resurrected), delete_vs_edit (deleted here,
-- edited elsewhere: row kept), rejected (the server refused the row; laptop_value
-- holds the whole row as JSON so nothing is dropped).
CREATE TABLE urbangrid.sync_conflict (
  conflict_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  batch_id uuid NOT NULL,
  table_name text NOT NULL,
  row_key text NOT NULL,
  street_code text,
  district_code text,
  kind text NOT NULL CHECK (kind IN ('field', 'edit_vs_delete', 'delete_vs_edit', 'rejected')),
  field text,
  base_value text,
  server_value text,
  laptop_value text,
  server_by name,
  server_rev bigint,
  laptop_by name NOT NULL DEFAULT current_user,
  laptop_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  resolution text CHECK (resolution IN ('mine', 'theirs', 'custom')),
  resolved_value text,
  resolved_by name,
  resolved_at timestamptz,
  note text
);
CREATE INDEX sync_conflict_row_idx ON urbangrid.sync_conflict (table_name, row_key);
CREATE INDEX sync_conflict_batch_idx ON urbangrid.sync_conflict (batch_id);

-- Push batches already applied: a replayed batch id is a no-op.
CREATE TABLE urbangrid.sync_batch (
  batch_id uuid PRIMARY KEY,
  laptop_id text NOT NULL,
  pushed_by name NOT NULL DEFAULT current_user,
  applied_at timestamptz NOT NULL DEFAULT now(),
  rev_before bigint NOT NULL,
  rev_after bigint NOT NULL,
  summary jsonb NOT NULL
);
ALTER TABLE urbangrid.sync_batch ENABLE ROW LEVEL SECURITY;
ALTER TABLE urbangrid.sync_batch FORCE ROW LEVEL SECURITY;
CREATE POLICY own_batches ON urbangrid.sync_batch TO urbangrid_staff
  USING (pushed_by = current_user) WITH CHECK (pushed_by = current_user);
CREATE POLICY audit_batches ON urbangrid.sync_batch FOR SELECT TO urbangrid_auditor USING (true);
GRANT SELECT, INSERT ON urbangrid.sync_batch TO urbangrid_staff;
GRANT SELECT ON urbangrid.sync_batch TO urbangrid_auditor;

-- Sync columns, stamping and tombstones on every synced table.
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT * FROM (VALUES ('ug_case', 'case_id'), ('ug_case_event', 'event_id'),
                                 ('ug_case_attachment', 'attachment_id'),
                                 ('sync_conflict', 'conflict_id')) v(name, key) LOOP
    EXECUTE format('ALTER TABLE urbangrid.%I
      ADD COLUMN sync_rev bigint NOT NULL DEFAULT 0,
      ADD COLUMN sync_deleted boolean NOT NULL DEFAULT false,
      ADD COLUMN sync_fv jsonb NOT NULL DEFAULT ''{}'',
      ADD COLUMN sync_by name,
      ADD COLUMN sync_at timestamptz', t.name);
    EXECUTE format('CREATE INDEX %I ON urbangrid.%I (sync_rev)', t.name || '_sync_rev_idx', t.name);
    PERFORM urbangrid.sync_install(t.name);
    EXECUTE format('CREATE TRIGGER sync_soft_delete BEFORE DELETE ON urbangrid.%I
      FOR EACH ROW EXECUTE FUNCTION urbangrid.sync_soft_delete(%L)', t.name, t.key);
    EXECUTE format('ALTER TABLE urbangrid.%I ENABLE ROW LEVEL SECURITY', t.name);
    EXECUTE format('ALTER TABLE urbangrid.%I FORCE ROW LEVEL SECURITY', t.name);
    EXECUTE format('CREATE POLICY audit_read ON urbangrid.%I FOR SELECT TO urbangrid_auditor USING (true)', t.name);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON urbangrid.%I TO urbangrid_staff', t.name);
    EXECUTE format('GRANT SELECT ON urbangrid.%I TO urbangrid_auditor', t.name);
  END LOOP;
END $$;

-- Street staff: only cases of their granted streets/districts, for reading and for
-- writing (WITH CHECK also stops moving a case into someone else's street). The
-- grant look-ups are uncorrelated sub-selects: evaluated once per statement and
-- hashed, not once per row.
CREATE POLICY area_rw ON urbangrid.ug_case TO urbangrid_staff
  USING (street_code IN (SELECT a.street_code FROM urbangrid.user_area a WHERE a.role_name = current_user)
         OR coalesce(district_code, left(street_code, 6)) IN
            (SELECT a.district_code FROM urbangrid.user_area a WHERE a.role_name = current_user))
  WITH CHECK (street_code IN (SELECT a.street_code FROM urbangrid.user_area a WHERE a.role_name = current_user)
         OR coalesce(district_code, left(street_code, 6)) IN
            (SELECT a.district_code FROM urbangrid.user_area a WHERE a.role_name = current_user));
-- Events and photos follow their case (the sub-query is itself filtered by RLS).
CREATE POLICY area_rw ON urbangrid.ug_case_event TO urbangrid_staff
  USING (EXISTS (SELECT 1 FROM urbangrid.ug_case c WHERE c.case_id = ug_case_event.case_id))
  WITH CHECK (EXISTS (SELECT 1 FROM urbangrid.ug_case c WHERE c.case_id = ug_case_event.case_id));
CREATE POLICY area_rw ON urbangrid.ug_case_attachment TO urbangrid_staff
  USING (EXISTS (SELECT 1 FROM urbangrid.ug_case c WHERE c.case_id = ug_case_attachment.case_id))
  WITH CHECK (EXISTS (SELECT 1 FROM urbangrid.ug_case c WHERE c.case_id = ug_case_attachment.case_id));
-- Conflicts: visible in the area of their case, and always to the user who pushed.
CREATE POLICY area_rw ON urbangrid.sync_conflict TO urbangrid_staff
  USING (laptop_by = current_user OR (street_code IN (SELECT a.street_code FROM urbangrid.user_area a WHERE a.role_name = current_user)
         OR coalesce(district_code, left(street_code, 6)) IN
            (SELECT a.district_code FROM urbangrid.user_area a WHERE a.role_name = current_user)))
  WITH CHECK (laptop_by = current_user OR (street_code IN (SELECT a.street_code FROM urbangrid.user_area a WHERE a.role_name = current_user)
         OR coalesce(district_code, left(street_code, 6)) IN
            (SELECT a.district_code FROM urbangrid.user_area a WHERE a.role_name = current_user)));

ALTER TABLE urbangrid.server_info OWNER TO urbangrid_owner;
ALTER TABLE urbangrid.user_area OWNER TO urbangrid_owner;
ALTER TABLE urbangrid.ug_case OWNER TO urbangrid_owner;
ALTER TABLE urbangrid.ug_case_event OWNER TO urbangrid_owner;
ALTER TABLE urbangrid.ug_case_attachment OWNER TO urbangrid_owner;
ALTER TABLE urbangrid.sync_conflict OWNER TO urbangrid_owner;
ALTER TABLE urbangrid.sync_batch OWNER TO urbangrid_owner;
ALTER SEQUENCE urbangrid.sync_rev_seq OWNER TO urbangrid_owner;
ALTER FUNCTION urbangrid.area_ok(text, text) OWNER TO urbangrid_owner;
ALTER FUNCTION urbangrid.sync_install(text) OWNER TO urbangrid_owner;
ALTER FUNCTION urbangrid.sync_soft_delete() OWNER TO urbangrid_owner;
