"""The SQL of the central archive's enforcement (used by :mod:`.enforce`).

Every statement is idempotent (``CREATE OR REPLACE``, ``DROP … IF EXISTS`` then
``CREATE``), so running them again on an installed database changes nothing.
``{schema}`` is the schema holding the tables; every function pins its
``search_path`` to it (with ``pg_temp`` last), so a user cannot shadow a table
the function reads with a temporary table of the same name (``rd_is_restricted``
names no table and has no such clause, so that it is inlined).

Who "the user" is: ``current_user`` throughout. Policies and the guard triggers
run with the caller's identity; the SECURITY DEFINER functions (change capture,
:func:`rd_destroy`) run as the owner, who bypasses row-level security (not
FORCEd) and passes the guards as the tables' owner.
"""

from __future__ import annotations

#: group roles, all NOLOGIN; ``rd_restricted`` is the named role that may read restricted
#: dossiers (combine it with a function role)
ROLES = ("rd_filer", "rd_records_manager", "rd_archivist", "rd_woo_searcher", "rd_admin")
RESTRICTED = "rd_restricted"
ALL_ROLES = (*ROLES, RESTRICTED)

#: the SQLSTATE of every refusal by the functions and triggers below (42501,
#: insufficient_privilege, like PostgreSQL's own "permission denied")
REFUSED = "42501"

CREATE_ROLES = """
DO $$
DECLARE r text;
BEGIN
  FOREACH r IN ARRAY ARRAY[{names}] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', r);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;  -- created at the same moment by an install on another database
      END;
    END IF;
    -- only when needed: changing BYPASSRLS at all takes a superuser
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r AND (rolcanlogin OR rolbypassrls)) THEN
      EXECUTE format('ALTER ROLE %I NOLOGIN NOBYPASSRLS', r);
    END IF;
  END LOOP;
END $$
"""

FUNCTIONS = (
    # -- who may see what -------------------------------------------------------------
    # no SET clause, so it is inlined: it names nothing a user could shadow
    """
CREATE OR REPLACE FUNCTION rd_is_restricted(beperking text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT beperking IS NULL
      OR beperking NOT IN ('Geen beperking', 'Nader te bepalen', 'Openbaar')
$$""",
    """
COMMENT ON FUNCTION rd_is_restricted(text) IS
'The one place that says which beperkingGebruik values make a dossier restricted '
'(readable only by members of rd_restricted or rd_admin): everything except '
'Geen beperking, Nader te bepalen and Openbaar.'""",
    """
CREATE OR REPLACE FUNCTION rd_member(role_name text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = {schema}, pg_temp AS $$
  SELECT pg_has_role(current_user, role_name, 'MEMBER')
$$""",
    # The policies call the next four as (SELECT f()): evaluated once per statement.
    """
CREATE OR REPLACE FUNCTION rd_reads_restricted() RETURNS boolean
LANGUAGE sql STABLE SET search_path = {schema}, pg_temp AS $$
  SELECT rd_member('rd_restricted') OR rd_member('rd_admin')
$$""",
    """
CREATE OR REPLACE FUNCTION rd_all_departments() RETURNS boolean
LANGUAGE sql STABLE SET search_path = {schema}, pg_temp AS $$
  SELECT rd_member('rd_records_manager') OR rd_member('rd_archivist')
      OR rd_member('rd_woo_searcher') OR rd_member('rd_admin')
$$""",
    """
CREATE OR REPLACE FUNCTION rd_my_departments() RETURNS text[]
LANGUAGE sql STABLE SET search_path = {schema}, pg_temp AS $$
  SELECT coalesce(array_agg(department), '{}') FROM user_department
  WHERE user_name = current_user::text
$$""",
    """
CREATE OR REPLACE FUNCTION rd_sees_all() RETURNS boolean
LANGUAGE sql STABLE SET search_path = {schema}, pg_temp AS $$
  SELECT rd_reads_restricted() AND rd_all_departments()
$$""",
    # Past the depth the view below checks (a Serie in a Serie in a Serie): the whole
    # lineage, read as the owner (no policies, so no recursion through them), judged for
    # ``caller`` (current_user where the view calls it). Only about oneself or a role one
    # may SET ROLE to, so it tells nobody what another user may see.
    """
CREATE OR REPLACE FUNCTION rd_lineage_allowed(start uuid, caller name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
  WITH RECURSIVE up(id, parent_id, beperking, dept, depth) AS (
    SELECT id, parent_id, beperking_gebruik, department, 1 FROM informatieobject
    WHERE id = start
    UNION ALL
    SELECT i.id, i.parent_id, i.beperking_gebruik, i.department, up.depth + 1
    FROM informatieobject i JOIN up ON i.id = up.parent_id WHERE up.depth < 64)
  SELECT pg_has_role(session_user, caller, 'MEMBER') AND NOT EXISTS (
    SELECT 1 FROM up WHERE NOT (
      (NOT rd_is_restricted(up.beperking) OR pg_has_role(caller, 'rd_restricted', 'MEMBER')
       OR pg_has_role(caller, 'rd_admin', 'MEMBER'))
      AND (up.dept IS NULL OR pg_has_role(caller, 'rd_records_manager', 'MEMBER')
           OR pg_has_role(caller, 'rd_archivist', 'MEMBER')
           OR pg_has_role(caller, 'rd_woo_searcher', 'MEMBER')
           OR pg_has_role(caller, 'rd_admin', 'MEMBER')
           OR EXISTS (SELECT 1 FROM user_department u
                      WHERE u.user_name = caller::text AND u.department = up.dept))))
$$""",
    # Whether any bestand at all refers to the content, whoever may see it. SECURITY
    # DEFINER so content being uploaded (not yet referred to) stays readable by uploaders.
    """
CREATE OR REPLACE FUNCTION rd_content_referenced(digest text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM bestand WHERE sha256 = digest)
$$""",
    # How many records a dossier holds, whoever may see them: a Woo searcher learns that
    # some are hidden (a number, never a name). Only for a dossier the login may see.
    """
CREATE OR REPLACE FUNCTION rd_children_count(dossier uuid) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
  SELECT CASE WHEN rd_lineage_allowed(dossier, session_user)
    THEN (SELECT count(*) FROM informatieobject WHERE parent_id = dossier) ELSE 0 END
$$""",
    # How many index entries match, whoever may see them: a search tells how many results
    # are hidden (a number, never a title or a snippet), so a Woo decision can note it.
    """
CREATE OR REPLACE FUNCTION rd_search_count(wanted tsquery) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
  SELECT count(*) FROM search_document WHERE tsv_all @@ wanted
$$""",
    """
CREATE OR REPLACE FUNCTION rd_content_readable(digest text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = {schema}, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM bestand WHERE sha256 = digest)
      OR NOT rd_content_referenced(digest)
$$""",
    # -- closed dossiers ----------------------------------------------------------------
    # records manager, admin, or the tables' owner (who runs the SECURITY DEFINER functions)
    """
CREATE OR REPLACE FUNCTION rd_is_records_manager() RETURNS boolean
LANGUAGE sql STABLE SET search_path = {schema}, pg_temp AS $$
  SELECT rd_member('rd_records_manager') OR rd_member('rd_admin')
      OR pg_has_role(current_user,
                     (SELECT relowner FROM pg_class WHERE oid = 'informatieobject'::regclass),
                     'MEMBER')
$$""",
    # the object or one above it is no longer open (closed, destroyed or transferred).
    # SECURITY DEFINER: read without the policies, which made every guarded row cost a
    # policy check per ancestor (a filer's bulk insert was six times slower).
    """
CREATE OR REPLACE FUNCTION rd_lineage_frozen(object_id uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
  WITH RECURSIVE up(id, parent_id, status, depth) AS (
    SELECT id, parent_id, status, 1 FROM informatieobject WHERE id = object_id
    UNION ALL
    SELECT i.id, i.parent_id, i.status, up.depth + 1
    FROM informatieobject i JOIN up ON i.id = up.parent_id
    WHERE up.depth < 64)
  SELECT EXISTS (SELECT 1 FROM up WHERE status <> 'open')
$$""",
    """
CREATE OR REPLACE FUNCTION rd_guard_closed() RETURNS trigger
LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $$
DECLARE
  refused text;
BEGIN
  IF rd_is_records_manager() THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_TABLE_NAME = 'informatieobject' THEN
    IF TG_OP <> 'INSERT' AND OLD.status <> 'open' THEN
      refused := format('%s is %s', OLD.kenmerk, OLD.status);
    ELSIF TG_OP <> 'DELETE' AND NEW.status <> 'open' THEN
      refused := format('closing %s', NEW.kenmerk);
    ELSIF TG_OP <> 'DELETE' AND rd_lineage_frozen(NEW.parent_id) THEN
      refused := format('the dossier above %s is closed', NEW.kenmerk);
    ELSIF TG_OP = 'UPDATE' AND rd_lineage_frozen(OLD.parent_id) THEN
      refused := format('the dossier above %s is closed', OLD.kenmerk);
    END IF;
  ELSIF TG_OP <> 'DELETE' AND rd_lineage_frozen(NEW.informatieobject_id) THEN
    refused := format('its record or dossier is closed (%s %s)', TG_TABLE_NAME, NEW.id);
  ELSIF TG_OP <> 'INSERT' AND rd_lineage_frozen(OLD.informatieobject_id) THEN
    refused := format('its record or dossier is closed (%s %s)', TG_TABLE_NAME, OLD.id);
  END IF;
  IF refused IS NOT NULL THEN
    RAISE EXCEPTION 'refused: %; only a records manager may change a closed dossier', refused
      USING ERRCODE = '42501';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$""",
    # anyone places a hold (and a push may touch it again); lifting is a records manager's
    """
CREATE OR REPLACE FUNCTION rd_guard_hold() RETURNS trigger
LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $$
BEGIN
  IF rd_is_records_manager() THEN
    RETURN NEW;
  END IF;
  IF (TG_OP = 'INSERT' AND (NEW.lifted_at IS NOT NULL OR NEW.lifted_by IS NOT NULL))
     OR (TG_OP = 'UPDATE' AND (NEW.lifted_at IS DISTINCT FROM OLD.lifted_at
         OR NEW.lifted_by IS DISTINCT FROM OLD.lifted_by
         OR NEW.informatieobject_id <> OLD.informatieobject_id)) THEN
    RAISE EXCEPTION 'refused: only a records manager lifts or moves a legal hold'
      USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$""",
    # -- the four-eyes approval of lists cannot be forged with plain SQL ------------------
    """
CREATE OR REPLACE FUNCTION rd_guard_approval() RETURNS trigger
LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $$
BEGIN
  IF rd_member('rd_archivist') OR rd_member('rd_admin')
     OR pg_has_role(current_user,
                    (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
    RETURN NEW;
  END IF;
  IF (TG_OP = 'INSERT' AND (NEW.approved_by IS NOT NULL OR NEW.state = 'geaccordeerd'))
     OR (TG_OP = 'UPDATE' AND (NEW.approved_by IS DISTINCT FROM OLD.approved_by
         OR (NEW.state = 'geaccordeerd' AND OLD.state <> 'geaccordeerd'))) THEN
    RAISE EXCEPTION 'refused: only an archivist approves list %', NEW.naam
      USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$""",
    # after approval no dossier can be added to a list or put back on it
    """
CREATE OR REPLACE FUNCTION rd_guard_items() RETURNS trigger
LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $$
DECLARE
  list_state text;
BEGIN
  SELECT state INTO list_state FROM disposal_list WHERE id = NEW.list_id;
  IF list_state IN ('geaccordeerd', 'vernietigd', 'uitgevoerd', 'overgebracht', 'afgebroken')
     AND (TG_OP = 'INSERT' OR NEW.list_id <> OLD.list_id OR NEW.object_id <> OLD.object_id
          OR (NEW.state <> OLD.state
              AND NEW.state NOT IN ('skipped', 'destroyed', 'transferred'))) THEN
    RAISE EXCEPTION 'refused: the list is %, its dossiers can no longer change', list_state
      USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$""",
)

TRIGGERS = (
    ("informatieobject", "rd_guard_closed", "INSERT OR UPDATE OR DELETE"),
    ("bestand", "rd_guard_closed", "INSERT OR UPDATE OR DELETE"),
    ("event", "rd_guard_closed", "INSERT OR UPDATE OR DELETE"),
    ("hold", "rd_guard_hold", "INSERT OR UPDATE"),
    ("disposal_list", "rd_guard_approval", "INSERT OR UPDATE"),
    ("disposal_item", "rd_guard_items", "INSERT OR UPDATE"),
)

# -- row-level security: table -> (command, USING, WITH CHECK) per policy ------------------


def _allowed(row: str) -> str:
    """The rule for one object ``row`` on its own: restriction and department."""
    return (
        f"((NOT rd_is_restricted({row}.beperking_gebruik) OR (SELECT rd_reads_restricted())) "
        f"AND ({row}.department IS NULL OR (SELECT rd_all_departments()) "
        f"OR {row}.department = ANY ((SELECT rd_my_departments())::text[])))"
    )


#: the objects the current user may see: the object, its parent and grandparent pass the
#: rule (further up: rd_lineage_allowed). The owner's view reads the table without the
#: policies (the owner is not subject to them), so the policy can look up a parent here
#: without recursing; it shows ids only, and only those the user may see anyway.
VISIBLE_VIEW = f"""
CREATE OR REPLACE VIEW rd_visible_object WITH (security_barrier) AS
SELECT o.id FROM informatieobject o
LEFT JOIN informatieobject p ON p.id = o.parent_id
LEFT JOIN informatieobject g ON g.id = p.parent_id
WHERE (SELECT rd_sees_all())
   OR ({_allowed("o")} AND (p.id IS NULL OR {_allowed("p")})
       AND (g.id IS NULL OR {_allowed("g")})
       AND (g.parent_id IS NULL OR rd_lineage_allowed(g.parent_id, current_user)))"""  # noqa: S608 - constants

_IO = (
    f"(SELECT rd_sees_all()) OR ({_allowed('informatieobject')} AND (parent_id IS NULL "  # noqa: S608
    "OR EXISTS (SELECT 1 FROM rd_visible_object v WHERE v.id = informatieobject.parent_id)))"
)
_UNDER = (
    "(SELECT rd_sees_all()) "
    "OR EXISTS (SELECT 1 FROM rd_visible_object v WHERE v.id = {table}.informatieobject_id)"
)
_CONTENT = "rd_content_readable(sha256)"
_RECORD_PARTS = ("bestand", "event", "hold")
_CONTENT_POLICIES = (
    ("SELECT", _CONTENT, None),
    ("INSERT", None, "true"),
    ("UPDATE", _CONTENT, "true"),
)

POLICIES: dict[str, tuple[tuple[str, str | None, str | None], ...]] = {
    "informatieobject": (("ALL", _IO, _IO),),
    **{t: (("ALL", _UNDER.format(table=t), _UNDER.format(table=t)),) for t in _RECORD_PARTS},
    # content (text, chunks) is readable with a visible bestand, or while no bestand refers
    # to it yet (an upload in progress); anyone who has the bytes may upload them
    **{t: _CONTENT_POLICIES for t in ("content_text", "content_object", "content_chunk")},
    # the search index holds titles and text: only the entries of objects one may see
    "search_document": (
        (
            "SELECT",
            "(SELECT rd_sees_all()) OR EXISTS "
            "(SELECT 1 FROM rd_visible_object v WHERE v.id = search_document.object_id)",
            None,
        ),
    ),
    # who belongs to which department: each user sees their own rows, admins all
    "user_department": (
        ("ALL", "user_name = current_user::text OR rd_member('rd_admin')", "rd_member('rd_admin')"),
    ),
}
