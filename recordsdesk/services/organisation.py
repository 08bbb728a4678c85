"""Organisation-level MDTO defaults: declared once, checked when set, audited.

Each setting is declared once (:data:`SETTINGS`) with its key, help text,
default and a parser that checks and normalises a typed value. They live in the
working store (``store_setting``), so they apply to everything filed here:

* ``mdto.archiefvormer``: the municipality that forms the archive, by its TOOI
  code (``gm0599`` is Rotterdam); new dossiers carry its name, and exports
  identify it in the TOOI register.
* ``mdto.identificatie_bron``: the identificatieBron of the kenmerken we issue.
* ``mdto.beperking_gebruik``: the beperkingGebruik type of a new dossier.
* ``mdto.lists``: which value lists the metadata editor offers (``all``, or
  list keys of :func:`recordsdesk.mdto.begrippen.lists`, comma-separated).
* ``retention.overbrengingstermijn``: the term after closing at which a B
  dossier is transferred (default ``P20Y``; the new Archiefwet shortens it).
* ``mdto.profile``: the receiving archive's profile whose extra rules exports
  and the editor apply (:mod:`recordsdesk.mdto.profiles`).

Contract: :func:`set_setting` refuses an unknown key or a bad value with a
:class:`UserError` and stores nothing; a change is one transaction with its
audit row. Reading never fails: a stored value that no longer parses (an
older version's) falls back to the default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from recordsdesk import audit
from recordsdesk.db.models import DEFAULT_BEPERKING, DEFAULT_BRON, StoreSetting
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.mdto import begrippen, profiles, tooi
from recordsdesk.retention import dates
from recordsdesk.services.workspace import Workspace

ROTTERDAM = "gm0599"


@dataclass(frozen=True)
class SettingSpec:
    key: str
    help: str  # msgid
    default: str
    parse: Callable[[str], str]  # the normalised value, or UserError
    label: str = ""  # msgid: the name a settings form shows (the key when empty)


@dataclass(frozen=True)
class SettingValue:
    spec: SettingSpec
    value: str
    is_default: bool


@dataclass(frozen=True)
class Organisation:
    """The defaults new metadata gets."""

    archiefvormer_code: str
    archiefvormer: str  # the name, as new dossiers carry it
    identificatie_bron: str
    beperking_gebruik: str
    lists: tuple[str, ...]  # list keys offered
    profile: str


def _municipality(value: str) -> str:
    code = value.strip().lower()
    gemeente = tooi.municipality(code)
    if gemeente is None:
        raise UserError(
            N_("{value} is not a municipality code in the TOOI register (Rotterdam is gm0599)."),
            {"value": value},
        )
    if not gemeente.current:
        raise UserError(
            N_("{value} ({name}) no longer exists as a municipality; choose its successor."),
            {"value": value, "name": gemeente.label},
        )
    return code


def _bron(value: str) -> str:
    text = " ".join(value.split())
    if not text or len(text) > 200:
        raise UserError(N_("An identificatieBron needs 1 to 200 characters."))
    return text


def _beperking(value: str) -> str:
    lijst = begrippen.get("beperking-gebruik")
    found = lijst.by_label_ignoring_case(value.strip())
    if found is None:
        raise UserError(
            N_("{value} is not in the list {list}; choose one of: {allowed}."),
            {
                "value": value,
                "list": lijst.name,
                "allowed": ", ".join(c.label for c in lijst.concepts),
            },
        )
    return found.label


def _lists(value: str) -> str:
    wanted = [part.strip() for part in value.split(",") if part.strip()]
    if wanted in ([], ["all"]):
        return "all"
    known = [lijst.key for lijst in begrippen.lists()]
    unknown = [key for key in wanted if key not in known]
    if unknown:
        raise UserError(
            N_("Unknown value lists: {unknown}. Known: {known}."),
            {"unknown": ", ".join(unknown), "known": ", ".join(known)},
        )
    return ",".join(dict.fromkeys(wanted))


def _profile(value: str) -> str:
    names = [profile.name for profile in profiles.profiles()]
    found = next((n for n in names if n.casefold() == value.strip().casefold()), None)
    if found is None:
        raise UserError(
            N_("No archive profile {value}; available: {known}."),
            {"value": value, "known": ", ".join(names)},
        )
    return found


def _term(value: str) -> str:
    return str(dates.parse_duration(value))  # InvalidDuration is a UserError


SETTINGS = (
    SettingSpec(
        "mdto.archiefvormer",
        N_("The archiefvormer: the municipality's code in the TOOI register."),
        ROTTERDAM,
        _municipality,
        N_("Archiefvormer"),
    ),
    SettingSpec(
        "mdto.identificatie_bron",
        N_("The identificatieBron of the kenmerken this archive issues."),
        DEFAULT_BRON,
        _bron,
        N_("IdentificatieBron"),
    ),
    SettingSpec(
        "mdto.beperking_gebruik",
        N_("The beperkingGebruik type a new dossier gets."),
        DEFAULT_BEPERKING,
        _beperking,
        N_("BeperkingGebruik of a new dossier"),
    ),
    SettingSpec(
        "mdto.lists",
        N_("The value lists the metadata editor offers: all, or list keys separated by commas."),
        "all",
        _lists,
        N_("Value lists offered"),
    ),
    SettingSpec(
        "retention.overbrengingstermijn",
        N_(
            "How long after closing a dossier to keep (B) is transferred to the archive "
            "repository (ISO 8601; 20 years under the Archiefwet 1995)."
        ),
        "P20Y",
        _term,
        N_("Transfer term"),
    ),
    SettingSpec(
        "mdto.profile",
        N_("The receiving archive's profile, whose extra rules exports apply."),
        "MDTO",
        _profile,
        N_("Archive profile"),
    ),
)
_BY_KEY = {spec.key: spec for spec in SETTINGS}


def spec(key: str) -> SettingSpec:
    found = _BY_KEY.get(key.strip())
    if found is None:
        raise UserError(
            N_("Unknown setting {key}; known settings: {known}."),
            {"key": key, "known": ", ".join(_BY_KEY)},
        )
    return found


def _read(session: Session, item: SettingSpec) -> SettingValue:
    raw = session.scalar(select(StoreSetting.value).where(StoreSetting.key == item.key))
    if raw is None:
        return SettingValue(item, item.default, True)
    try:
        return SettingValue(item, item.parse(raw), False)
    except UserError:
        return SettingValue(item, item.default, True)


def setting_value(session: Session, key: str) -> str:
    """The value in force for ``key``, read in the caller's session."""
    return _read(session, spec(key)).value


def settings(ws: Workspace) -> list[SettingValue]:
    """Every setting with its current value."""
    with ws.readers() as session:
        return [_read(session, item) for item in SETTINGS]


def get_setting(ws: Workspace, key: str) -> SettingValue:
    item = spec(key)
    with ws.readers() as session:
        return _read(session, item)


def set_setting(ws: Workspace, key: str, value: str) -> SettingValue:
    """Check, normalise and store ``value``; see the module contract."""
    item = spec(key)
    normalised = item.parse(value)
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        _store(ws, session, item.key, normalised, now)
    return SettingValue(item, normalised, False)


def _store(ws: Workspace, session: Session, key: str, value: str, now: dt.datetime) -> None:
    """Write one checked setting and its audit row (old and new value), in the caller's
    transaction."""
    row = session.get(StoreSetting, key)
    old = row.value if row is not None else None
    if row is None:
        session.add(StoreSetting(key=key, value=value))
    else:
        row.value = value
    session.flush()
    audit.append(session, at=now, actor=ws.actor, action="setting.changed",
                 object_type="setting", object_id=None,
                 details={"key": key, "old": old, "new": value})  # fmt: skip


def set_settings(ws: Workspace, values: dict[str, str]) -> list[SettingValue]:
    """Check every value first (all problems in one UserError, nothing stored), then
    store the changed ones in one transaction, one audit row each (a settings form
    saved at once: one user action)."""
    problems: list[UserError] = []
    parsed: dict[str, str] = {}
    for key, value in values.items():
        try:
            parsed[spec(key).key] = spec(key).parse(value)
        except UserError as error:
            problems.append(error)
    if problems:
        if len(problems) == 1:
            raise problems[0]
        raise UserError(N_("{count} settings have a problem; nothing was saved."),
                        {"count": len(problems)}, details=problems)  # fmt: skip
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        for key, normalised in parsed.items():
            stored = session.scalar(select(StoreSetting.value).where(StoreSetting.key == key))
            if stored == normalised or (stored is None and normalised == spec(key).default):
                continue  # no change, no audit row
            _store(ws, session, key, normalised, now)
    return settings(ws)


def archive_profile(ws: Workspace) -> profiles.Profile:
    """The receiving archive's profile in force (setting ``mdto.profile``), whose extra
    rules every export checks on each object."""
    return profiles.get(get_setting(ws, "mdto.profile").value)


def organisation(session: Session) -> Organisation:
    """The defaults in force, read in the caller's session (e.g. while creating a dossier)."""
    values = {item.key: _read(session, item).value for item in SETTINGS}
    code = values["mdto.archiefvormer"]
    gemeente = tooi.municipality(code)
    lists = values["mdto.lists"]
    return Organisation(
        archiefvormer_code=code,
        archiefvormer=gemeente.label if gemeente is not None else code,
        identificatie_bron=values["mdto.identificatie_bron"],
        beperking_gebruik=values["mdto.beperking_gebruik"],
        lists=(
            tuple(lijst.key for lijst in begrippen.lists())
            if lists == "all"
            else tuple(lists.split(","))
        ),
        profile=values["mdto.profile"],
    )
