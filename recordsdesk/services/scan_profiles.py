"""Scan profiles as the organisation keeps them: named, stored in the store's settings.

A profile (``recordsdesk.scan.profile.ScanProfile``) says how a scanner folder's
batches are read, checked and split. It is stored as JSON under the setting
``scan.profile.<name>``; the default profile (``standaard``) exists without
being saved, and saving it under that name changes the default. Saving and
removing are audited (the profile's settings in the audit trail), because a
batch's evidence names the profile it was checked with. A profile a scanner
folder uses cannot be removed.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from recordsdesk import audit
from recordsdesk.db.models import DropFolder, StoreSetting
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.scan.profile import DEFAULT_NAME, ScanProfile
from recordsdesk.services.workspace import Workspace

PROFILE_SETTING = "scan.profile.{name}"
_PREFIX = PROFILE_SETTING.format(name="")


def profile_named(ws: Workspace, session: Session, name: str) -> ScanProfile:
    """The scan profile ``name``; the default one is there without being saved."""
    stored = ws.setting(session, PROFILE_SETTING.format(name=name), "")
    if stored:
        return ScanProfile.from_json(stored)
    if name == DEFAULT_NAME:
        return ScanProfile()
    raise UserError(N_("There is no scan profile named {name}."), {"name": name})


def profile(ws: Workspace, name: str) -> ScanProfile:
    """The scan profile ``name`` (``UserError`` when there is none)."""
    with ws.readers() as session:
        return profile_named(ws, session, name)


def profile_names(ws: Workspace) -> list[str]:
    """The names of the scan profiles, the default first, then alphabetically."""
    with ws.readers() as session:
        keys = session.scalars(
            select(StoreSetting.key).where(StoreSetting.key.startswith(_PREFIX, autoescape=True))
        )
        saved = {key.removeprefix(_PREFIX) for key in keys}
    return [DEFAULT_NAME, *sorted(saved - {DEFAULT_NAME}, key=str.casefold)]


def save_profile(ws: Workspace, name: str, profile: ScanProfile) -> None:
    """Store ``profile`` under ``name`` (replacing one of that name); audited."""
    name = name.strip()
    if not name or len(name) > 100:
        raise UserError(N_("A scan profile needs a name of at most 100 characters."))
    with ws.sessions() as session, session.begin():
        ws.put_setting(session, PROFILE_SETTING.format(name=name), profile.to_json())
        audit.append(session, at=ws.clock(), actor=ws.actor, action="scan.profile.save",
                     object_type="scan_profile", object_id=name,
                     details=dataclasses.asdict(profile))  # fmt: skip


def changed_profile(ws: Workspace, name: str, changes: dict[str, Any]) -> ScanProfile:
    """The profile ``name`` (or the default's settings, for a new name) with ``changes``
    (field name to value) made, validated; not yet saved. ``UserError`` for a field
    that does not exist or a value out of range."""
    name = name.strip()
    with ws.readers() as session:
        try:
            base = profile_named(ws, session, name)
        except UserError:
            base = ScanProfile()
    known = {f.name for f in dataclasses.fields(ScanProfile)}
    unknown = sorted(set(changes) - known)
    if unknown:
        raise UserError(N_("A scan profile has no setting {name}."), {"name": unknown[0]})
    try:
        return dataclasses.replace(base, **changes)
    except TypeError as error:
        raise UserError(N_("This scan profile cannot be read.")) from error


def remove_profile(ws: Workspace, name: str) -> None:
    """Remove the saved profile ``name``; audited. The default cannot be removed (saved
    settings of it are reset), nor a profile a scanner folder uses."""
    with ws.sessions() as session, session.begin():
        users = session.scalars(
            select(DropFolder.path).where(DropFolder.scan_profile == name)
        ).all()
        if users:
            raise UserError(N_("The scan profile {name} is used by the scanner folder {path}."),
                            {"name": name, "path": users[0]})  # fmt: skip
        setting = session.get(StoreSetting, PROFILE_SETTING.format(name=name))
        if setting is None and name == DEFAULT_NAME:
            raise UserError(N_("The default scan profile cannot be removed; change its "
                               "settings instead."))  # fmt: skip
        if setting is None:
            raise UserError(N_("There is no scan profile named {name}."), {"name": name})
        session.delete(setting)
        audit.append(session, at=ws.clock(), actor=ws.actor, action="scan.profile.remove",
                     object_type="scan_profile", object_id=name, details={})  # fmt: skip
