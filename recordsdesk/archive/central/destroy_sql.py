"""The SQL of destruction on the central archive (used by :mod:`.enforce`): content
leaves only through these SECURITY DEFINER functions, since nobody has DELETE on the
records' and content tables. ``{schema}``: see :mod:`.enforce_sql`."""

from __future__ import annotations

RD_DESTROY = """
CREATE OR REPLACE FUNCTION rd_destroy(list_id uuid, object_id uuid) RETURNS text[]
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
  lst disposal_list%ROWTYPE;
  obj informatieobject%ROWTYPE;
  item_state text;
  family uuid[];
  doomed uuid[];
  hashes text[];
  unused text[];
BEGIN
  SELECT * INTO lst FROM disposal_list d WHERE d.id = rd_destroy.list_id FOR SHARE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'refused: there is no disposal list %', list_id USING ERRCODE = '42501';
  END IF;
  IF NOT ((lst.kind = 'destruction' AND lst.state = 'geaccordeerd')
          OR (lst.kind = 'transfer' AND lst.state = 'uitgevoerd')) THEN
    RAISE EXCEPTION 'refused: list % is a % list in state %, not an approved destruction list',
      lst.naam, lst.kind, lst.state USING ERRCODE = '42501';
  END IF;
  IF lst.approved_by IS NULL THEN
    RAISE EXCEPTION 'refused: list % has not been approved', lst.naam
      USING ERRCODE = '42501';
  END IF;
  IF lst.approved_by = lst.author THEN
    RAISE EXCEPTION 'refused: list % was approved by its own author % (four eyes)',
      lst.naam, lst.author USING ERRCODE = '42501';
  END IF;
  SELECT i.state INTO item_state FROM disposal_item i
  WHERE i.list_id = rd_destroy.list_id AND i.object_id = rd_destroy.object_id FOR UPDATE;
  IF NOT FOUND OR item_state NOT IN (
      CASE WHEN lst.kind = 'destruction' THEN 'listed' ELSE 'transferred' END,
      CASE WHEN lst.kind = 'destruction' THEN 'kept' ELSE 'transferred' END) THEN
    RAISE EXCEPTION 'refused: % is not on list % to be carried out (%)',
      object_id, lst.naam, coalesce(item_state, 'not listed') USING ERRCODE = '42501';
  END IF;
  SELECT * INTO obj FROM informatieobject o WHERE o.id = rd_destroy.object_id FOR UPDATE;
  IF lst.kind = 'destruction' AND (obj.status <> 'closed' OR obj.waardering <> 'V'
      OR obj.archiefactiedatum IS NULL OR obj.archiefactiedatum > current_date) THEN
    RAISE EXCEPTION 'refused: % is not a closed dossier with waardering V that is due',
      obj.kenmerk USING ERRCODE = '42501';
  END IF;
  IF lst.kind = 'transfer' AND obj.status <> 'transferred' THEN
    RAISE EXCEPTION 'refused: % has not been transferred', obj.kenmerk
      USING ERRCODE = '42501';
  END IF;
  WITH RECURSIVE down(id) AS (
    SELECT rd_destroy.object_id
    UNION SELECT c.id FROM informatieobject c JOIN down ON c.parent_id = down.id)
  SELECT array_agg(id) INTO family FROM down;
  IF EXISTS (
      WITH RECURSIVE up(id, parent_id, depth) AS (
        SELECT o.id, o.parent_id, 1 FROM informatieobject o WHERE o.id = rd_destroy.object_id
        UNION ALL
        SELECT p.id, p.parent_id, up.depth + 1
        FROM informatieobject p JOIN up ON p.id = up.parent_id WHERE up.depth < 64)
      SELECT 1 FROM hold h
      WHERE h.lifted_at IS NULL
        AND (h.informatieobject_id IN (SELECT id FROM up) OR h.informatieobject_id = ANY(family)))
  THEN
    RAISE EXCEPTION 'refused: % (or a Serie above it) is under a legal hold', obj.kenmerk
      USING ERRCODE = '42501';
  END IF;
  -- what recordsdesk.services.disposal_run._strip_content does without this function
  SELECT array_agg(b.id), array_agg(DISTINCT b.sha256) INTO doomed, hashes
  FROM bestand b WHERE b.informatieobject_id = ANY(family);
  IF doomed IS NOT NULL THEN
    UPDATE inbox_item SET duplicate_of_bestand_id = NULL
    WHERE duplicate_of_bestand_id = ANY(doomed);
    UPDATE bestand SET derived_from_id = NULL WHERE id = ANY(doomed);
    DELETE FROM bestand WHERE id = ANY(doomed);
  END IF;
  UPDATE informatieobject SET mdto = NULL, omschrijving = NULL WHERE id = ANY(family);
  UPDATE inbox_item SET facts = NULL WHERE record_id = ANY(family);
  SELECT coalesce(array_agg(h), '{}') INTO unused FROM unnest(hashes) AS h
  WHERE NOT EXISTS (SELECT 1 FROM bestand b WHERE b.sha256 = h)
    AND NOT EXISTS (SELECT 1 FROM inbox_item i WHERE i.sha256 = h
                    AND i.state IN ('stored', 'ready', 'quarantined'));
  DELETE FROM content_text WHERE sha256 = ANY(unused);
  DELETE FROM content_chunk WHERE sha256 = ANY(unused);
  DELETE FROM content_object WHERE sha256 = ANY(unused);
  RETURN unused;
END $$"""

RD_DESTROY_COMMENT = """
COMMENT ON FUNCTION rd_destroy(uuid, uuid) IS
'The only way to remove content: checks the approved list (four eyes), the item and the '
'absence of legal holds, then deletes the bestanden of the dossier and everything under '
'it, keeping residual metadata. Returns the content hashes nothing refers to any more.'"""

#: Letting go of central content nothing refers to (no bestand; no text either), for the
#: records manager's clean-up after work in the central archive: nobody has DELETE on
#: the content tables. True when something was removed; referenced content is kept.
RD_FORGET = """
CREATE OR REPLACE FUNCTION rd_forget_content(digest text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
  gone integer;
BEGIN
  IF EXISTS (SELECT 1 FROM bestand WHERE sha256 = digest) THEN
    RETURN false;
  END IF;
  DELETE FROM content_chunk WHERE sha256 = digest;
  DELETE FROM content_object WHERE sha256 = digest;
  GET DIAGNOSTICS gone = ROW_COUNT;
  DELETE FROM content_text WHERE sha256 = digest;
  RETURN gone > 0;
END $$"""
