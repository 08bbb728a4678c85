"""Who may do what in the local store: roles of its users (issue 5).

Contracts:

* The acting user is ``ws.actor`` (``RECORDSDESK_USER`` or user@host, see
  :func:`recordsdesk.services.workspace.default_actor`).
* Single-seat mode: while no role has been granted in this store at all, its one
  user acts in every role (a workstation used alone must not lock itself out).
  The four-eyes rules of destruction and transfer lists still hold there: they
  compare people, not roles.
* Once any role is granted, roles are enforced: :func:`require` refuses a user
  without the role, naming it. Only an admin grants and revokes; the very first
  grant also makes the granting user admin, so the store always has one.
  Revoking the last admin is refused. Every grant and revoke is audited.

The central archive (issue 6) enforces the same roles in PostgreSQL itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from recordsdesk import audit
from recordsdesk.db.models import ROLES, UserRole
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.services.workspace import Workspace

RECORDS_MANAGER = "records_manager"
PROCESS_OWNER = "process_owner"
ARCHIVIST = "archivist"
ADMIN = "admin"


@dataclass(frozen=True)
class Grant:
    user: str
    role: str
    granted_by: str

    def to_json(self) -> dict[str, str]:
        return {"user": self.user, "role": self.role, "granted_by": self.granted_by}


def single_seat(session: Session) -> bool:
    """True while no role was ever granted in this store (see the module contract)."""
    return not session.scalar(select(func.count()).select_from(UserRole))


def has_role(session: Session, user: str, role: str) -> bool:
    if single_seat(session):
        return True
    found = session.get(UserRole, (user, role))
    return found is not None


def require(session: Session, user: str, role: str) -> None:
    """Refuse, with a clear message, a user who does not hold ``role``."""
    if not has_role(session, user, role):
        raise UserError(
            N_("{user} may not do this: it needs the role {role}."),
            {"user": user, "role": role},
        )


def grant(ws: Workspace, user: str, role: str) -> list[Grant]:
    """Grant ``role`` to ``user``; returns the grants made (the first also makes the
    granting user admin). Granting a role someone already has changes nothing."""
    name, wanted = _user(user), _role(role)
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        made: list[Grant] = []
        if single_seat(session):
            made.append(_add(session, ws.actor, ADMIN, ws.actor, now))
        else:
            require(session, ws.actor, ADMIN)
        if session.get(UserRole, (name, wanted)) is None:
            made.append(_add(session, name, wanted, ws.actor, now))
        session.flush()
        for made_grant in made:
            audit.append(
                session,
                at=now,
                actor=ws.actor,
                action="role.granted",
                object_type="user",
                object_id=None,
                details=made_grant.to_json(),
            )
        return made


def revoke(ws: Workspace, user: str, role: str) -> None:
    """Take ``role`` from ``user`` (admin only; never the last admin)."""
    name, wanted = _user(user), _role(role)
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        require(session, ws.actor, ADMIN)
        found = session.get(UserRole, (name, wanted))
        if found is None:
            raise UserError(
                N_("{user} does not have the role {role}."),
                {"user": name, "role": wanted},
            )
        if wanted == ADMIN:
            admins = session.scalar(
                select(func.count()).select_from(UserRole).where(UserRole.role == ADMIN)
            )
            if (admins or 0) <= 1:
                raise UserError(N_("The last administrator cannot be removed."))
        session.delete(found)
        session.flush()
        audit.append(
            session,
            at=now,
            actor=ws.actor,
            action="role.revoked",
            object_type="user",
            object_id=None,
            details={"user": name, "role": wanted},
        )


def grants(ws: Workspace) -> list[Grant]:
    with ws.readers() as session:
        rows = session.scalars(select(UserRole).order_by(UserRole.user_name, UserRole.role))
        return [Grant(r.user_name, r.role, r.granted_by) for r in rows]


def _add(session: Session, user: str, role: str, by: str, now: object) -> Grant:
    session.add(UserRole(user_name=user, role=role, granted_by=by, granted_at=now))
    return Grant(user, role, by)


def _user(text: str) -> str:
    name = " ".join(text.split())
    if not name or len(name) > 200:
        raise UserError(N_("Give a user name (at most 200 characters)."))
    return name


def _role(text: str) -> str:
    role = text.strip().lower().replace("-", "_")
    if role not in ROLES:
        raise UserError(
            N_("{role} is not a role; choose one of: {roles}."),
            {"role": text, "roles": ", ".join(ROLES)},
        )
    return role
