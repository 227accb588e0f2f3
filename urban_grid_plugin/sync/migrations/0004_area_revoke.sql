-- UrbanGrid central server schema, version 4: a revoked area leaves the user's laptops.
--
-- Taking a street or district away from a user (DELETE FROM urbangrid.user_area, as
-- `urbangrid sync grant --revoke` does) hides its cases from that user, so like a
-- case moved away (0003) they stayed on the user's laptops. Now the revocation leaves
-- one note per case of the area, addressed to that user only; the laptop drops every
-- copy it can no longer see (cases still visible through another grant stay).

ALTER TABLE urbangrid.sync_area_exit ADD COLUMN role_name name;

-- notes with a role are for that role alone; the others for the staff of the area left
DROP POLICY area_read ON urbangrid.sync_area_exit;
CREATE POLICY area_read ON urbangrid.sync_area_exit FOR SELECT TO urbangrid_staff
  USING (role_name = current_user
         OR (role_name IS NULL
             AND (street_code IN (SELECT a.street_code FROM urbangrid.user_area a WHERE a.role_name = current_user)
                  OR coalesce(district_code, left(street_code, 6)) IN
                     (SELECT a.district_code FROM urbangrid.user_area a WHERE a.role_name = current_user))));
DROP POLICY area_note ON urbangrid.sync_area_exit;
CREATE POLICY area_note ON urbangrid.sync_area_exit FOR INSERT TO urbangrid_staff
  WITH CHECK (role_name IS NULL AND exited_by = current_user
              AND (street_code IN (SELECT a.street_code FROM urbangrid.user_area a WHERE a.role_name = current_user)
                   OR coalesce(district_code, left(street_code, 6)) IN
                      (SELECT a.district_code FROM urbangrid.user_area a WHERE a.role_name = current_user)));

-- Run by whoever may change grants (the table owner or a superuser), so it reads
-- every case of the area. Takes the writers' lock first: the notes' revisions must
-- become visible in order like every other synced write.
CREATE FUNCTION urbangrid.sync_note_area_revoke() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7423101);
  INSERT INTO urbangrid.sync_area_exit (row_key, street_code, district_code, role_name)
    SELECT c.case_id, c.street_code, c.district_code, OLD.role_name
      FROM urbangrid.ug_case c
     WHERE NOT c.sync_deleted
       AND (c.street_code = OLD.street_code
            OR coalesce(c.district_code, left(c.street_code, 6)) = OLD.district_code);
  RETURN NULL;
END $$;
ALTER FUNCTION urbangrid.sync_note_area_revoke() OWNER TO urbangrid_owner;

CREATE TRIGGER sync_area_revoke AFTER DELETE ON urbangrid.user_area
  FOR EACH ROW EXECUTE FUNCTION urbangrid.sync_note_area_revoke();
