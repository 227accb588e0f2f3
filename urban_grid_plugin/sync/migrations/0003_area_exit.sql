-- UrbanGrid central server schema, version 3: cases that leave an area.
--
-- Row-level security hides a case from a street's staff once it is moved to another
-- street, so their laptops never pulled that change and kept a stale copy. Now every
-- move of a case between streets or districts leaves a note here, readable by the
-- staff of the area it left; a laptop pulls the notes after the cases and drops its
-- copy of a case it can no longer see (unless it edited the copy: then the copy is
-- kept, and pushing it is refused and recorded as a conflict, as before).

CREATE TABLE urbangrid.sync_area_exit (
  table_name text NOT NULL DEFAULT 'ug_case',
  row_key text NOT NULL,
  street_code text,
  district_code text,
  -- same counter as every synced row: a laptop reads the notes above its cursor
  sync_rev bigint NOT NULL DEFAULT nextval('urbangrid.sync_rev_seq'),
  exited_by name NOT NULL DEFAULT current_user,
  exited_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sync_area_exit_sync_rev_idx ON urbangrid.sync_area_exit (sync_rev);
ALTER TABLE urbangrid.sync_area_exit ENABLE ROW LEVEL SECURITY;
ALTER TABLE urbangrid.sync_area_exit FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_read ON urbangrid.sync_area_exit FOR SELECT TO urbangrid_auditor USING (true);
-- the staff of the area a case left read the note; whoever moved it (who could see
-- the old area, or the move would have been refused) writes it
CREATE POLICY area_read ON urbangrid.sync_area_exit FOR SELECT TO urbangrid_staff
  USING (street_code IN (SELECT a.street_code FROM urbangrid.user_area a WHERE a.role_name = current_user)
         OR coalesce(district_code, left(street_code, 6)) IN
            (SELECT a.district_code FROM urbangrid.user_area a WHERE a.role_name = current_user));
CREATE POLICY area_note ON urbangrid.sync_area_exit FOR INSERT TO urbangrid_staff
  WITH CHECK (exited_by = current_user AND (street_code IN (SELECT a.street_code FROM urbangrid.user_area a WHERE a.role_name = current_user)
         OR coalesce(district_code, left(street_code, 6)) IN
            (SELECT a.district_code FROM urbangrid.user_area a WHERE a.role_name = current_user)));
GRANT SELECT, INSERT ON urbangrid.sync_area_exit TO urbangrid_staff;
GRANT SELECT ON urbangrid.sync_area_exit TO urbangrid_auditor;
ALTER TABLE urbangrid.sync_area_exit OWNER TO urbangrid_owner;

CREATE FUNCTION urbangrid.sync_note_area_exit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO urbangrid.sync_area_exit (row_key, street_code, district_code)
    VALUES (OLD.case_id, OLD.street_code, OLD.district_code);
  RETURN NULL;
END $$;
ALTER FUNCTION urbangrid.sync_note_area_exit() OWNER TO urbangrid_owner;

-- fires only for a real move (the WHEN is checked without calling the function)
CREATE TRIGGER sync_area_exit AFTER UPDATE OF street_code, district_code ON urbangrid.ug_case
  FOR EACH ROW WHEN (OLD.street_code IS DISTINCT FROM NEW.street_code
                     OR OLD.district_code IS DISTINCT FROM NEW.district_code)
  EXECUTE FUNCTION urbangrid.sync_note_area_exit();
