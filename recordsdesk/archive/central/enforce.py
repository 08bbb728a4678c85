"""Enforcement of the central archive inside PostgreSQL (issue 6, point 2).

A desktop client cannot be trusted, so the database itself refuses what a user
may not do, also through plain SQL with the user's own login (psql):

* Group roles (NOLOGIN): ``rd_filer``, ``rd_records_manager``, ``rd_archivist``,
  ``rd_woo_searcher``, ``rd_admin``, and ``rd_restricted``, the named role that
  may read restricted dossiers. :func:`grant` makes a login a member.
* Least-privilege grants, table by table (:data:`GRANTS`). No role has DELETE on
  the records' tables, nor UPDATE, DELETE or TRUNCATE on ``audit_event`` (whose
  triggers of migration 0001 refuse them too); nobody writes ``change_log``: the
  capture trigger's function runs as the owner (SECURITY DEFINER).
* Row-level security on dossiers and records and on what hangs under them
  (:mod:`.enforce_sql` has the policies; ``rd_is_restricted`` the one rule).
* Records of a closed dossier cannot change, and dossiers cannot be closed,
  except by records managers (triggers).
* Content is removed only by ``rd_destroy(list, object)`` (SECURITY DEFINER,
  EXECUTE for records managers only), which checks the approved list, the four
  eyes and the absence of holds.

Contract of :func:`install`: on a PostgreSQL database at schema head, creates or
updates all of the above in one transaction; running it again changes nothing
(privileges not in :data:`GRANTS` are revoked, so it also repairs drift). The
installing login owns the tables (it ran the migrations) and is not restricted.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session

from recordsdesk import audit
from recordsdesk.archive.central import destroy_sql
from recordsdesk.archive.central import enforce_sql as q
from recordsdesk.db.migrate import current_revision, head_revision
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.services.workspace import utc_now

_S, _I, _U, _D = "SELECT", "INSERT", "UPDATE", "DELETE"
_SIU = (_S, _I, _U)
#: what every role needs to open the archive and leave an audit trail
_COMMON: dict[str, tuple[str, ...]] = {
    "alembic_version": (_S,),
    "store_setting": (_S,),
    "user_role": (_S,),
    "user_department": (_S,),  # row-level security: one's own rows
    "audit_event": (_S, _I),
    "change_log": (_S,),
    "workstation": (_S, _I, _U),  # every syncing workstation reports its outbox here
    "workstation_dossier": (_S, _I, _D),  # … and for which dossiers (replaced each sync)
    # the search index: entries of visible objects only (policy); its owner refreshes it
    **{t: (_S,) for t in ("search_document", "search_pending")},
    **{t: (_S,) for t in ("informatieobject", "bestand", "event", "hold")},
    **{t: (_S,) for t in ("content_text", "content_object", "content_chunk")},
}
_FILER = {
    **_COMMON,
    **{t: _SIU for t in ("informatieobject", "bestand", "event", "content_text")},
    **{t: _SIU for t in ("content_object", "content_chunk")},
    "hold": _SIU,  # anyone places a hold; lifting one is a records manager's (trigger)
}
_LISTS = {"disposal_list": _SIU, "disposal_item": _SIU}
#: Woo requests (issue 7): scope rows and redaction areas are removed again, and an
#: assessment is replaced; a request places holds (lifting them: records managers)
_WOO = {
    "woo_request": _SIU,
    **{t: (_S, _I, _U, _D) for t in ("woo_scope", "woo_assessment", "woo_redaction")},
    "hold": (_S, _I),
}
#: table -> privileges, per role. Sequences: USAGE where INSERT needs one (audit_event).
GRANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "rd_filer": _FILER,
    "rd_records_manager": {
        **_FILER,
        **_LISTS,
        "store_setting": _SIU,  # kenmerk counter of the verklaring's dossier
        "inbox_item": (_S,),  # destruction checks content still waiting in an inbox
        **{t: g for t, g in _WOO.items() if t != "hold"},
    },
    "rd_archivist": {**_COMMON, "disposal_list": (_S, _U), "disposal_item": (_S, _U)},
    "rd_woo_searcher": {**_COMMON, **_WOO},
    "rd_restricted": {},  # only widens what the policies let through
}
_ALL = (_S, _I, _U, _D)
_NO_DELETE = (  # records and their history: not even an admin deletes them
    "informatieobject", "bestand", "event", "content_text", "content_object", "content_chunk",
    "hold", "disposal_list", "disposal_item",
)  # fmt: skip
_ADMIN_ONLY_READ = ("audit_event", "change_log")  # append-only / written by triggers only
_SEQUENCES = {"audit_event_seq_seq": q.ROLES}
_DEFINER_HELPERS = (
    "rd_lineage_frozen(uuid)", "rd_lineage_allowed(uuid, name)", "rd_content_referenced(text)",
    "rd_children_count(uuid)", "rd_search_count(tsquery)",
)  # fmt: skip

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.@-]{0,62}\Z")


def _admin_grants(tables: list[str]) -> dict[str, tuple[str, ...]]:
    grants: dict[str, tuple[str, ...]] = {}
    for table in tables:
        if table in _ADMIN_ONLY_READ:
            grants[table] = (_S, _I) if table == "audit_event" else (_S,)
        elif table in _NO_DELETE:
            grants[table] = _SIU
        else:
            grants[table] = _ALL
    return grants


def install(engine: Engine) -> None:
    """Create or update roles, grants, policies, guards and ``rd_destroy``; see the module
    contract. Raises UserError on another database or one not at schema head."""
    if engine.dialect.name != "postgresql":
        raise UserError(
            N_("Enforcement needs PostgreSQL; {dialect} has no roles or row-level security."),
            {"dialect": engine.dialect.name},
        )
    if current_revision(engine) != head_revision():
        raise UserError(N_("Upgrade the central archive's schema first (central init)."))
    with engine.begin() as connection:
        schema = connection.scalar(text("SELECT current_schema()"))
        assert isinstance(schema, str)
        pinned = _quoted(connection, schema)
        names = ", ".join(f"'{r}'" for r in q.ALL_ROLES)  # constants
        _run(connection, q.CREATE_ROLES.replace("{names}", names))
        destroying = (destroy_sql.RD_DESTROY, destroy_sql.RD_DESTROY_COMMENT, destroy_sql.RD_FORGET)
        for statement in (*q.FUNCTIONS, q.VISIBLE_VIEW, *destroying):
            _run(connection, statement.replace("{schema}", pinned))
        _run(
            connection,
            "ALTER FUNCTION rd_capture_change() SECURITY DEFINER "
            f"SET search_path = {pinned}, pg_temp",
        )
        _grant_tables(connection, schema)
        _policies(connection)
        for table, function, events in q.TRIGGERS:
            _run(connection, f"DROP TRIGGER IF EXISTS {function} ON {table}")
            _run(
                connection,
                f"CREATE TRIGGER {function} BEFORE {events} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {function}()",
            )


def _run(connection: Connection, statement: str) -> None:
    """Run one statement without parameters (so ``%`` in function bodies stays as it is)."""
    cursor = connection.connection.cursor()
    try:
        cursor.execute(statement)
    finally:
        cursor.close()


def _quoted(connection: Connection, name: str) -> str:
    from psycopg import sql  # PostgreSQL only: not loaded at start-up

    raw = connection.connection.driver_connection
    return sql.Identifier(name).as_string(raw)


def _grant_tables(connection: Connection, schema: str) -> None:
    tables = list(
        connection.scalars(
            text("SELECT tablename FROM pg_tables WHERE schemaname = :s ORDER BY tablename"),
            {"s": schema},
        )
    )
    roles = ", ".join(q.ALL_ROLES)
    # start from nothing, so privileges granted earlier (or by hand) do not linger
    _run(connection, f"REVOKE ALL ON ALL TABLES IN SCHEMA {_quoted(connection, schema)}"
                               f" FROM PUBLIC, {roles}")  # fmt: skip
    _run(
        connection,
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {_quoted(connection, schema)} FROM {roles}",
    )
    plan = {**GRANTS, "rd_admin": _admin_grants(tables)}
    for role, per_table in plan.items():
        for table, privileges in per_table.items():
            if table in tables:
                _run(connection, f"GRANT {', '.join(privileges)} ON {table} TO {role}")
    _run(connection, f"GRANT SELECT ON rd_visible_object TO {roles}")  # policies read it
    for sequence, holders in _SEQUENCES.items():
        _run(connection, f"GRANT USAGE ON SEQUENCE {sequence} TO {', '.join(holders)}")
    for helper in _DEFINER_HELPERS:  # owner's rights: only for our roles (and the owner)
        _run(connection, f"REVOKE ALL ON FUNCTION {helper} FROM PUBLIC")
        _run(connection, f"GRANT EXECUTE ON FUNCTION {helper} TO {roles}")
    for function, executors in (
        ("rd_destroy(uuid, uuid)", "rd_records_manager"),
        ("rd_forget_content(text)", "rd_records_manager, rd_admin"),
    ):
        _run(connection, f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        _run(connection, f"GRANT EXECUTE ON FUNCTION {function} TO {executors}")


def _policies(connection: Connection) -> None:
    for table, policies in q.POLICIES.items():
        _run(connection, f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        existing = connection.scalars(
            text("SELECT policyname FROM pg_policies WHERE schemaname = current_schema() "
                 "AND tablename = :t AND policyname LIKE 'rd\\_%'"), {"t": table},
        )  # fmt: skip
        for name in list(existing):
            _run(connection, f'DROP POLICY "{name}" ON {table}')
        for command, using, check in policies:
            clauses = f" USING ({using})" if using else ""
            clauses += f" WITH CHECK ({check})" if check else ""
            _run(
                connection, f"CREATE POLICY rd_{command.lower()} ON {table} FOR {command}{clauses}"
            )


# -- membership ----------------------------------------------------------------------


def _role(role: str) -> str:
    name = role if role.startswith("rd_") else f"rd_{role}"
    if name not in q.ALL_ROLES:
        raise UserError(
            N_("Unknown role {role}; the roles are: {roles}."),
            {"role": role, "roles": ", ".join(q.ALL_ROLES)},
        )
    return name


def _login(connection: Connection, login: str) -> str:
    if not _NAME.match(login):
        raise UserError(N_("{login} is not a valid database login name."), {"login": login})
    found = connection.scalar(
        text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :n"), {"n": login}
    )
    if not found:
        raise UserError(N_("There is no database login {login}."), {"login": login})
    return login


def grant(engine: Engine, login: str, role: str, department: str | None = None) -> None:
    """Make the LOGIN role ``login`` a member of ``role`` (``filer`` or ``rd_filer`` …) and,
    with ``department``, of that department. Idempotent; audited."""
    _membership(engine, login, role, department, granting=True)


def revoke(engine: Engine, login: str, role: str, department: str | None = None) -> None:
    """Undo :func:`grant`: end the membership of ``role`` (and of ``department``)."""
    _membership(engine, login, role, department, granting=False)


def _membership(
    engine: Engine, login: str, role: str, department: str | None, *, granting: bool
) -> None:
    name = _role(role)
    dept = " ".join(department.split()) if department else None
    with Session(engine) as session, session.begin():
        connection = session.connection()
        who = _quoted(connection, _login(connection, login))
        verb = "GRANT {} TO {}" if granting else "REVOKE {} FROM {}"
        _run(connection, verb.format(name, who))
        if dept and granting:
            connection.execute(
                text("INSERT INTO user_department (user_name, department) VALUES (:u, :d) "
                     "ON CONFLICT DO NOTHING"), {"u": login, "d": dept},
            )  # fmt: skip
        elif dept:
            connection.execute(
                text("DELETE FROM user_department WHERE user_name = :u AND department = :d"),
                {"u": login, "d": dept},
            )
        actor = str(connection.scalar(text("SELECT current_user")))
        audit.append(
            session,
            at=utc_now(),
            actor=actor,
            action="central.grant" if granting else "central.revoke",
            object_type="login",
            object_id=None,
            details={"login": login, "role": name, "department": dept},
        )
