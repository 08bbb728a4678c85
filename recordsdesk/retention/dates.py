"""Brondatum and archiefactiedatum of a closed dossier: pure functions, no I/O, no Qt.

The model follows the ZGW Catalogi/Zaken APIs as Open Zaak implements them
(``zaken/brondatum.py``; research notes: ``domain-retention-woo.md`` section 2):

* ``archiefactiedatum = brondatum + bewaartermijn`` for a dossier to be destroyed (V);
* the brondatum is found by a rule (*afleidingswijze*, :class:`BrondatumRule`);
* a dossier to be kept forever (B) has a transfer date (*overbrengingsdatum*) instead:
  ``close date + overbrengingstermijn`` (default 20 years, a setting, because the
  revised Archiefwet shortens it to 10). That date is its archiefactiedatum. It counts
  from the close date, as issue 5 asks ("20 years after closing"); Open Zaak counts
  its ``archiefactietermijn`` from the brondatum, which is the same date for the rule
  ``afgehandeld`` that Open Zaak sets by default for B results (every B result in
  the Selectielijst 2020 has no procestermijn). The brondatum of a B dossier is still
  derived and reported, but never holds up the transfer date.

When the brondatum cannot be derived yet (a date still to be entered, a parent
dossier still open, no besluit yet ...) :func:`derive` does not fail: it returns
``archiefactiedatum=None`` with a :class:`Pending` reason, and the dossier belongs on
the "to be determined" list. Open Zaak rejects closing in some of those cases; issue 5
asks for the softer behaviour for every rule. A rule that is misconfigured (``termijn``
without a procestermijn, ``eigenschap`` without a property name, V without a
bewaartermijn) or a date property that holds no date is a :class:`UserError`.

Date arithmetic (:func:`add`) follows ``dateutil.relativedelta``, which Open Zaak uses
for both terms, so our dates agree with Open Zaak's: years and months are added
together first and the day is clamped to the last day of the resulting month
(2024-02-29 + P1Y = 2025-02-28, 2025-01-31 + P1M = 2025-02-28, + P13M = 2026-02-28),
then weeks and days are added as plain days. The result of a clamp is never "rolled
over" into the next month: a term never ends later than the calendar month it names.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Literal

from recordsdesk.errors import UserError
from recordsdesk.i18n import N_

Waardering = Literal["B", "V"]
"""B: blijvend bewaren (keep forever, transfer); V: vernietigen (destroy)."""


class InvalidDuration(UserError, ValueError):
    """A text that is not a duration this module accepts (also a ``ValueError``)."""


class BrondatumRule(StrEnum):
    """The afleidingswijzen of ZGW ``brondatumArchiefprocedure`` (values as in the API)."""

    AFGEHANDELD = "afgehandeld"
    """The close date."""
    TERMIJN = "termijn"
    """The close date + a procestermijn (a duration set for the result)."""
    ANDER_DATUMKENMERK = "ander_datumkenmerk"
    """A date the records manager enters by hand."""
    EIGENSCHAP = "eigenschap"
    """A named date property of the dossier."""
    HOOFDZAAK = "hoofdzaak"
    """The close date of the parent dossier."""
    ZAAKOBJECT = "zaakobject"
    """The latest date found on the objects the dossier is about."""
    INGANGSDATUM_BESLUIT = "ingangsdatum_besluit"
    """The latest ingangsdatum of the dossier's besluiten."""
    VERVALDATUM_BESLUIT = "vervaldatum_besluit"
    """The day after the latest vervaldatum of the dossier's besluiten."""
    GERELATEERDE_ZAAK = "gerelateerde_zaak"
    """The latest close date of the related dossiers (deprecated in Open Zaak 1.27)."""


_RULES_FOR_PROCESTERMIJN: dict[str, frozenset[BrondatumRule]] = {
    "nihil": frozenset({BrondatumRule.AFGEHANDELD}),
    "ingeschatte_bestaansduur_procesobject": frozenset({BrondatumRule.TERMIJN}),
}


def rules_for_procestermijn(procestermijn: str | None) -> frozenset[BrondatumRule]:
    """The brondatum rules allowed for a Selectielijst procestermijn code.

    As Open Zaak's ``ProcestermijnAfleidingswijzeValidator``: ``nihil`` requires
    ``afgehandeld``, ``ingeschatte_bestaansduur_procesobject`` requires ``termijn``,
    any other code forbids ``afgehandeld``; no code (every B result, and 12.1.4)
    allows every rule.
    """
    if not procestermijn:
        return frozenset(BrondatumRule)
    fixed = _RULES_FOR_PROCESTERMIJN.get(procestermijn)
    if fixed is not None:
        return fixed
    return frozenset(BrondatumRule) - {BrondatumRule.AFGEHANDELD}


@dataclass(frozen=True, slots=True)
class Duration:
    """An ISO 8601 duration of whole years, months, weeks and days (none negative)."""

    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0

    def __str__(self) -> str:
        """The ISO 8601 text, e.g. ``P1Y6M``; ``P0D`` for the empty duration."""
        parts = [
            f"{value}{unit}"
            for value, unit in (
                (self.years, "Y"),
                (self.months, "M"),
                (self.weeks, "W"),
                (self.days, "D"),
            )
            if value
        ]
        return "P" + ("".join(parts) or "0D")


P20Y = Duration(years=20)
"""The Archiefwet 1995 transfer term; the default overbrengingstermijn."""

_DURATION = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?", re.ASCII)


def parse_duration(text: str) -> Duration:
    """Parse the ISO 8601 durations the Selectielijst uses: ``PnYnMnWnD``, any subset.

    Each part is a whole number, parts in that order, at least one part (``P0D`` is
    the empty duration). Refused with :class:`InvalidDuration`: time parts (``PT1H``,
    a term of retention is whole days), negative or fractional values, and anything
    else.
    """
    stripped = text.strip()
    if stripped.upper().startswith("P") and "T" in stripped.upper():
        raise InvalidDuration(
            N_("{text} has a time part; a retention term counts whole days (e.g. P5Y, P6M, P42D)."),
            {"text": text},
        )
    if "-" in stripped:
        raise InvalidDuration(
            N_("{text} is negative; a retention term cannot be negative."), {"text": text}
        )
    match = _DURATION.fullmatch(stripped)
    if match is None or stripped == "P":
        raise InvalidDuration(
            N_(
                "{text} is not an ISO 8601 duration of whole years, months, weeks or days "
                "(e.g. P5Y, P1Y6M, P42D)."
            ),
            {"text": text},
        )
    years, months, weeks, days = (int(group) if group else 0 for group in match.groups())
    return Duration(years=years, months=months, weeks=weeks, days=days)


def add(start: date, duration: Duration) -> date:
    """``start + duration``, clamped at month ends (see the module docstring).

    Months first (years count as 12 months), the day clamped to the length of the
    month reached, then weeks and days. Raises :class:`UserError` past 31 December 9999.
    """
    month_index = start.month - 1 + duration.months + 12 * duration.years
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    try:
        if year > date.max.year:
            raise OverflowError
        day = min(start.day, calendar.monthrange(year, month)[1])
        return date(year, month, day) + timedelta(days=7 * duration.weeks + duration.days)
    except OverflowError:
        raise UserError(
            N_("{start} + {duration} falls after the year 9999."),
            {"start": start.isoformat(), "duration": str(duration)},
        ) from None


def check_close_date(closed_on: date, *, opened_on: date | None, today: date) -> None:
    """Refuse a close date in the future or before the opening date (UserError).

    Closing today or on the opening date itself is allowed. ``opened_on=None`` (an
    opening date that was never recorded) skips that check.
    """
    if closed_on > today:
        raise UserError(
            N_("The close date {closed_on} is in the future (today is {today})."),
            {"closed_on": closed_on.isoformat(), "today": today.isoformat()},
        )
    if opened_on is not None and closed_on < opened_on:
        raise UserError(
            N_("The close date {closed_on} is before the opening date {opened_on}."),
            {"closed_on": closed_on.isoformat(), "opened_on": opened_on.isoformat()},
        )


@dataclass(frozen=True, slots=True)
class Pending:
    """Why a date cannot be derived yet: an untranslated msgid and its parameters."""

    msgid: str
    params: Mapping[str, str] = field(default_factory=dict)

    def english(self) -> str:
        """The reason in the source language (for logs and tests)."""
        return self.msgid.format(**self.params)


@dataclass(frozen=True, slots=True)
class Derived:
    """The retention dates of a closed dossier.

    ``archiefactiedatum`` is the date the archival action is due: destruction for V,
    transfer for B (then equal to ``overbrengingsdatum``). ``pending`` is set exactly
    when ``archiefactiedatum`` is None. A B dossier may have ``brondatum=None``
    with ``brondatum_pending`` telling why, and still an archiefactiedatum.
    """

    waardering: Waardering
    rule: BrondatumRule
    bewaartermijn: Duration | None
    brondatum: date | None
    archiefactiedatum: date | None
    overbrengingsdatum: date | None
    brondatum_pending: Pending | None

    @property
    def pending(self) -> Pending | None:
        """The reason the archiefactiedatum is still open, or None."""
        return self.brondatum_pending if self.archiefactiedatum is None else None


def _parse_property(name: str, value: date | str) -> date:
    if isinstance(value, date):
        return value
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text, re.ASCII):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise UserError(
        N_("The date property {name} holds {value}, which is not a date (YYYY-MM-DD)."),
        {"name": name, "value": value},
    )


def brondatum(
    rule: BrondatumRule,
    *,
    closed_on: date,
    procestermijn: Duration | None = None,
    datum: date | None = None,
    properties: Mapping[str, date | str | None] | None = None,
    property_name: str | None = None,
    parent_closed_on: date | None = None,
    object_dates: Sequence[date] = (),
    besluit_ingangsdata: Sequence[date] = (),
    besluit_vervaldata: Sequence[date] = (),
    related_closed_on: Sequence[date | None] = (),
) -> date | Pending:
    """The brondatum by ``rule``, or a :class:`Pending` reason it cannot be derived yet.

    Inputs per rule (others are ignored):

    * ``afgehandeld``: ``closed_on``.
    * ``termijn``: ``closed_on + procestermijn`` (UserError without procestermijn).
    * ``ander_datumkenmerk``: ``datum``, entered by the records manager; pending without.
    * ``eigenschap``: ``properties[property_name]`` (a date or ``YYYY-MM-DD``); pending
      when missing or empty, UserError when it is no date or no name is configured.
    * ``hoofdzaak``: ``parent_closed_on``; pending while the parent is open (the caller
      reports a dossier without a parent before closing: there is nothing to wait for).
    * ``zaakobject``: the latest of ``object_dates``; pending without any.
    * ``ingangsdatum_besluit``: the latest of ``besluit_ingangsdata``; pending without any.
    * ``vervaldatum_besluit``: the day after the latest of ``besluit_vervaldata``, as
      the standard describes it (Open Zaak uses the vervaldatum itself, one day
      earlier); pending without any.
    * ``gerelateerde_zaak``: the latest of ``related_closed_on``; pending without any,
      or while one of them is open (None) - its close date could still be the latest.
      Open Zaak ignores open ones; we wait rather than destroy early.
    """
    if rule is BrondatumRule.AFGEHANDELD:
        return closed_on
    if rule is BrondatumRule.TERMIJN:
        if procestermijn is None:
            raise UserError(
                N_("The brondatum rule termijn needs a procestermijn (e.g. P5Y); none is set.")
            )
        return add(closed_on, procestermijn)
    if rule is BrondatumRule.ANDER_DATUMKENMERK:
        if datum is None:
            return Pending(
                N_("The brondatum is a date the records manager enters; none entered yet.")
            )
        return datum
    if rule is BrondatumRule.EIGENSCHAP:
        if not property_name:
            raise UserError(
                N_("The brondatum rule eigenschap needs the name of a date property; none is set.")
            )
        value = (properties or {}).get(property_name)
        if value is None or (isinstance(value, str) and not value.strip()):
            return Pending(
                N_("The dossier has no date in its property {name} yet."), {"name": property_name}
            )
        return _parse_property(property_name, value)
    if rule is BrondatumRule.HOOFDZAAK:
        if parent_closed_on is None:
            return Pending(N_("The parent dossier (hoofdzaak) is not closed yet."))
        return parent_closed_on
    if rule is BrondatumRule.ZAAKOBJECT:
        if not object_dates:
            return Pending(
                N_("No object of this dossier has the date the brondatum comes from yet.")
            )
        return max(object_dates)
    if rule is BrondatumRule.INGANGSDATUM_BESLUIT:
        if not besluit_ingangsdata:
            return Pending(N_("The dossier has no besluit with an ingangsdatum yet."))
        return max(besluit_ingangsdata)
    if rule is BrondatumRule.VERVALDATUM_BESLUIT:
        if not besluit_vervaldata:
            return Pending(N_("The dossier has no besluit with a vervaldatum yet."))
        return max(besluit_vervaldata) + timedelta(days=1)
    if rule is BrondatumRule.GERELATEERDE_ZAAK:
        if not related_closed_on:
            return Pending(N_("The dossier has no related dossier yet."))
        closed = [day for day in related_closed_on if day is not None]
        if len(closed) < len(related_closed_on):
            return Pending(N_("A related dossier is not closed yet."))
        return max(closed)
    raise ValueError(f"unknown brondatum rule {rule!r}")  # pragma: no cover - enum is closed


def derive(
    rule: BrondatumRule,
    *,
    closed_on: date,
    waardering: Waardering,
    bewaartermijn: Duration | None,
    overbrengingstermijn: Duration = P20Y,
    procestermijn: Duration | None = None,
    datum: date | None = None,
    properties: Mapping[str, date | str | None] | None = None,
    property_name: str | None = None,
    parent_closed_on: date | None = None,
    object_dates: Sequence[date] = (),
    besluit_ingangsdata: Sequence[date] = (),
    besluit_vervaldata: Sequence[date] = (),
    related_closed_on: Sequence[date | None] = (),
) -> Derived:
    """Derive the retention dates of a dossier closed on ``closed_on``.

    V: ``archiefactiedatum = brondatum + bewaartermijn`` (UserError without a
    bewaartermijn; ``P0D`` is a real term: due on the brondatum itself), or None with
    the reason while the brondatum is pending. B: ``archiefactiedatum =
    overbrengingsdatum = closed_on + overbrengingstermijn``; a B result has no
    bewaartermijn and one given is ignored. The other inputs: see :func:`brondatum`.
    Validating ``closed_on`` is :func:`check_close_date`'s job.
    """
    found = brondatum(
        rule,
        closed_on=closed_on,
        procestermijn=procestermijn,
        datum=datum,
        properties=properties,
        property_name=property_name,
        parent_closed_on=parent_closed_on,
        object_dates=object_dates,
        besluit_ingangsdata=besluit_ingangsdata,
        besluit_vervaldata=besluit_vervaldata,
        related_closed_on=related_closed_on,
    )
    source, pending = (None, found) if isinstance(found, Pending) else (found, None)
    if waardering == "B":
        transfer = add(closed_on, overbrengingstermijn)
        return Derived("B", rule, None, source, transfer, transfer, pending)
    if waardering != "V":
        raise ValueError(f"waardering must be 'B' or 'V', not {waardering!r}")
    if bewaartermijn is None:
        raise UserError(
            N_("A result to be destroyed (V) needs a bewaartermijn; this one has none.")
        )
    due = None if source is None else add(source, bewaartermijn)
    return Derived("V", rule, bewaartermijn, source, due, None, pending)
