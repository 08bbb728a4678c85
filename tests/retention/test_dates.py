"""Brondatum and archiefactiedatum (issue 5): duration arithmetic, every rule, refusals.

The table at the end derives the archiefactiedatum for real results of the VNG
Selectielijst 2020. Each row states the result's waardering, bewaartermijn and
procestermijn code as the list has them; the test checks those against the shipped
list (``recordsdesk.retention.selectielijst``) and feeds them to :func:`derive`.
Every expected date is written out by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest

from recordsdesk import i18n
from recordsdesk.errors import UserError
from recordsdesk.retention import selectielijst
from recordsdesk.retention.dates import (
    P20Y,
    BrondatumRule,
    Duration,
    InvalidDuration,
    Pending,
    add,
    brondatum,
    check_close_date,
    derive,
    parse_duration,
    rules_for_procestermijn,
)

R = BrondatumRule


# --- durations ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P0D", Duration()),
        ("P1Y", Duration(years=1)),
        ("P110Y", Duration(years=110)),
        ("P6M", Duration(months=6)),
        ("P42D", Duration(days=42)),
        ("P2W", Duration(weeks=2)),
        ("P1Y6M", Duration(years=1, months=6)),
        ("P1Y2M3W4D", Duration(years=1, months=2, weeks=3, days=4)),
        (" P5Y\n", Duration(years=5)),
    ],
)
def test_parse_duration(text: str, expected: Duration) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (Duration(), "P0D"),
        (Duration(years=1, months=6), "P1Y6M"),
        (Duration(weeks=2, days=1), "P2W1D"),
        (Duration(years=110), "P110Y"),
    ],
)
def test_duration_prints_as_iso_8601(text: Duration, expected: str) -> None:
    assert str(text) == expected
    assert parse_duration(expected) == text


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("PT1H", "time part"),
        ("P1DT12H", "time part"),
        ("P1YT0S", "time part"),
        ("-P1Y", "negative"),
        ("P-1Y", "negative"),
        ("P", "not an ISO 8601 duration"),
        ("", "not an ISO 8601 duration"),
        ("P1.5Y", "not an ISO 8601 duration"),
        ("P1M1Y", "not an ISO 8601 duration"),
        ("1Y", "not an ISO 8601 duration"),
        ("p1y", "not an ISO 8601 duration"),
        ("P1Y1Y", "not an ISO 8601 duration"),
        ("10 jaar", "not an ISO 8601 duration"),
    ],
)
def test_parse_duration_refuses(text: str, fragment: str) -> None:
    with pytest.raises(InvalidDuration) as caught:
        parse_duration(text)
    assert fragment in caught.value.english()
    assert isinstance(caught.value, ValueError)  # usable where a ValueError is expected
    i18n.set_language("nl")
    assert text in i18n.translate_error(caught.value)


@pytest.mark.parametrize(
    ("start", "term", "expected"),
    [
        # 29 February: clamped to 28 February in a common year, kept in a leap year.
        (date(2024, 2, 29), "P1Y", date(2025, 2, 28)),
        (date(2024, 2, 29), "P4Y", date(2028, 2, 29)),
        (date(2024, 2, 29), "P100Y", date(2124, 2, 29)),
        (date(2000, 2, 29), "P100Y", date(2100, 2, 28)),  # 2100 is no leap year
        (date(2024, 2, 29), "P1M", date(2024, 3, 29)),
        (date(2024, 2, 29), "P12M", date(2025, 2, 28)),
        (date(2024, 2, 29), "P1D", date(2024, 3, 1)),
        (date(2023, 2, 28), "P1Y", date(2024, 2, 28)),  # no rounding up to the month end
        (date(2023, 3, 1), "P1Y", date(2024, 3, 1)),
        # Month ends: clamped, never rolled into the next month.
        (date(2025, 1, 31), "P1M", date(2025, 2, 28)),
        (date(2024, 1, 31), "P1M", date(2024, 2, 29)),
        (date(2025, 1, 31), "P13M", date(2026, 2, 28)),
        (date(2025, 1, 31), "P2M", date(2025, 3, 31)),
        (date(2025, 3, 31), "P1M", date(2025, 4, 30)),
        (date(2025, 8, 31), "P6M", date(2026, 2, 28)),
        (date(2025, 12, 31), "P1M", date(2026, 1, 31)),
        (date(2025, 11, 30), "P3M", date(2026, 2, 28)),
        (date(2022, 8, 31), "P1Y6M", date(2024, 2, 29)),
        # Months first, then days: 31 Jan + 1 month = 28 Feb, + 1 day = 1 March.
        (date(2025, 1, 31), "P1M1D", date(2025, 3, 1)),
        (date(2025, 1, 31), "P1M1W", date(2025, 3, 7)),
        # Days and weeks are plain days.
        (date(2024, 1, 31), "P42D", date(2024, 3, 13)),
        (date(2025, 12, 31), "P1D", date(2026, 1, 1)),
        (date(2024, 2, 22), "P1W", date(2024, 2, 29)),
        (date(2024, 11, 30), "P91D", date(2025, 3, 1)),
        # P0D is the start itself.
        (date(2024, 2, 29), "P0D", date(2024, 2, 29)),
        (date(2025, 12, 31), "P0D", date(2025, 12, 31)),
    ],
)
def test_add(start: date, term: str, expected: date) -> None:
    assert add(start, parse_duration(term)) == expected


def test_add_over_three_years_of_start_days() -> None:
    """Every start day of 2023-2025: the month named is reached, never left, never
    overshot; 12 months are a year; a later start never gives an earlier end."""
    start = date(2023, 1, 1)
    previous: dict[str, date] = {}
    while start.year < 2026:
        for term in ("P1M", "P6M", "P1Y", "P1Y6M", "P4Y", "P110Y"):
            duration = parse_duration(term)
            end = add(start, duration)
            months = 12 * duration.years + duration.months
            assert 12 * end.year + end.month == 12 * start.year + start.month + months
            assert end.day == start.day or (end.day < start.day and (end + timedelta(1)).day == 1)
            assert end >= previous.get(term, end)
            previous[term] = end
        assert add(start, parse_duration("P12M")) == add(start, parse_duration("P1Y"))
        assert add(start, parse_duration("P2W3D")) == start + timedelta(days=17)
        start += timedelta(days=1)


def test_add_past_the_year_9999_is_a_user_error() -> None:
    with pytest.raises(UserError, match="after the year 9999"):
        add(date(9990, 1, 1), parse_duration("P10Y"))
    with pytest.raises(UserError, match="after the year 9999"):
        add(date(9999, 12, 31), parse_duration("P1D"))
    assert add(date(9989, 12, 31), parse_duration("P10Y")) == date(9999, 12, 31)


# --- close date -----------------------------------------------------------------------


TODAY = date(2026, 11, 29)


def test_close_date_today_or_on_the_opening_day_is_fine() -> None:
    check_close_date(TODAY, opened_on=date(2020, 1, 1), today=TODAY)
    check_close_date(date(2024, 2, 29), opened_on=date(2024, 2, 29), today=TODAY)
    check_close_date(date(2024, 2, 29), opened_on=None, today=TODAY)


def test_close_date_in_the_future_is_refused() -> None:
    with pytest.raises(UserError) as caught:
        check_close_date(date(2026, 11, 30), opened_on=date(2020, 1, 1), today=TODAY)
    assert (
        caught.value.english()
        == "The close date 2026-11-30 is in the future (today is 2026-11-29)."
    )
    i18n.set_language("nl")
    assert i18n.translate_error(caught.value) == (
        "De afsluitdatum 2026-11-30 ligt in de toekomst (vandaag is het 2026-11-29)."
    )


def test_close_date_before_opening_is_refused() -> None:
    with pytest.raises(UserError) as caught:
        check_close_date(date(2024, 2, 28), opened_on=date(2024, 2, 29), today=TODAY)
    assert caught.value.english() == (
        "The close date 2024-02-28 is before the opening date 2024-02-29."
    )
    i18n.set_language("nl")
    assert i18n.translate_error(caught.value) == (
        "De afsluitdatum 2024-02-28 ligt vóór de openingsdatum 2024-02-29."
    )


@pytest.fixture(autouse=True)
def _restore_language() -> Iterator[None]:
    before = i18n.current_language()
    yield
    i18n.set_language(before)


# --- brondatum rules --------------------------------------------------------------------


CLOSED = date(2025, 1, 31)


def test_afgehandeld_is_the_close_date() -> None:
    assert brondatum(R.AFGEHANDELD, closed_on=CLOSED) == CLOSED


def test_termijn_adds_the_procestermijn_to_the_close_date() -> None:
    assert brondatum(R.TERMIJN, closed_on=CLOSED, procestermijn=Duration(months=1)) == date(
        2025, 2, 28
    )
    with pytest.raises(UserError, match="needs a procestermijn"):
        brondatum(R.TERMIJN, closed_on=CLOSED)


def test_ander_datumkenmerk_is_the_date_entered() -> None:
    assert brondatum(R.ANDER_DATUMKENMERK, closed_on=CLOSED, datum=date(2031, 5, 1)) == date(
        2031, 5, 1
    )
    pending = brondatum(R.ANDER_DATUMKENMERK, closed_on=CLOSED)
    assert pending == Pending(
        "The brondatum is a date the records manager enters; none entered yet."
    )


def test_eigenschap_reads_a_named_date_property() -> None:
    props: dict[str, date | str | None] = {
        "einddatum_vergunning": "2028-02-29",
        "geboortedatum": date(2010, 6, 30),
        "leeg": "  ",
        "niets": None,
        "fout": "29-02-2028",
        "geen_dag": "2027-02-29",
    }

    def run(name: str | None) -> date | Pending:
        return brondatum(R.EIGENSCHAP, closed_on=CLOSED, properties=props, property_name=name)

    assert run("einddatum_vergunning") == date(2028, 2, 29)
    assert run("geboortedatum") == date(2010, 6, 30)
    for name in ("leeg", "niets", "ontbreekt"):
        result = run(name)
        assert isinstance(result, Pending)
        assert result.english() == f"The dossier has no date in its property {name} yet."
    for name, value in (("fout", "29-02-2028"), ("geen_dag", "2027-02-29")):
        with pytest.raises(UserError) as caught:
            run(name)
        assert caught.value.english() == (
            f"The date property {name} holds {value}, which is not a date (YYYY-MM-DD)."
        )
    with pytest.raises(UserError, match="needs the name of a date property"):
        run(None)
    assert isinstance(
        brondatum(R.EIGENSCHAP, closed_on=CLOSED, property_name="x"), Pending
    )  # no properties at all


def test_hoofdzaak_is_the_parents_close_date() -> None:
    assert brondatum(R.HOOFDZAAK, closed_on=CLOSED, parent_closed_on=date(2025, 3, 31)) == date(
        2025, 3, 31
    )
    assert brondatum(R.HOOFDZAAK, closed_on=CLOSED) == Pending(
        "The parent dossier (hoofdzaak) is not closed yet."
    )


def test_zaakobject_is_the_latest_object_date() -> None:
    dates = [date(2027, 1, 31), date(2028, 2, 29), date(2026, 12, 31)]
    assert brondatum(R.ZAAKOBJECT, closed_on=CLOSED, object_dates=dates) == date(2028, 2, 29)
    assert isinstance(brondatum(R.ZAAKOBJECT, closed_on=CLOSED), Pending)


def test_besluit_dates() -> None:
    dates = [date(2025, 6, 30), date(2028, 2, 28)]
    assert brondatum(R.INGANGSDATUM_BESLUIT, closed_on=CLOSED, besluit_ingangsdata=dates) == (
        date(2028, 2, 28)
    )
    # The standard: the term starts the day after the vervaldatum (Open Zaak: the day itself).
    assert brondatum(R.VERVALDATUM_BESLUIT, closed_on=CLOSED, besluit_vervaldata=dates) == (
        date(2028, 2, 29)
    )
    assert brondatum(
        R.VERVALDATUM_BESLUIT, closed_on=CLOSED, besluit_vervaldata=[date(2025, 12, 31)]
    ) == date(2026, 1, 1)
    assert brondatum(R.INGANGSDATUM_BESLUIT, closed_on=CLOSED) == Pending(
        "The dossier has no besluit with an ingangsdatum yet."
    )
    assert brondatum(R.VERVALDATUM_BESLUIT, closed_on=CLOSED) == Pending(
        "The dossier has no besluit with a vervaldatum yet."
    )


def test_gerelateerde_zaak_waits_for_every_related_dossier() -> None:
    closed = [date(2025, 7, 31), date(2026, 1, 31)]
    assert brondatum(R.GERELATEERDE_ZAAK, closed_on=CLOSED, related_closed_on=closed) == date(
        2026, 1, 31
    )
    assert brondatum(
        R.GERELATEERDE_ZAAK, closed_on=CLOSED, related_closed_on=[*closed, None]
    ) == Pending("A related dossier is not closed yet.")
    assert brondatum(R.GERELATEERDE_ZAAK, closed_on=CLOSED) == Pending(
        "The dossier has no related dossier yet."
    )


def test_rules_allowed_per_procestermijn() -> None:
    every = frozenset(BrondatumRule)
    assert rules_for_procestermijn("nihil") == {R.AFGEHANDELD}
    assert rules_for_procestermijn("ingeschatte_bestaansduur_procesobject") == {R.TERMIJN}
    for code in (
        "bestaansduur_procesobject",
        "vast_te_leggen_datum",
        "samengevoegd_met_bewaartermijn",
    ):
        assert rules_for_procestermijn(code) == every - {R.AFGEHANDELD}
    assert rules_for_procestermijn("") == every
    assert rules_for_procestermijn(None) == every


# --- derive -----------------------------------------------------------------------------


def test_v_without_bewaartermijn_is_refused() -> None:
    with pytest.raises(UserError, match="needs a bewaartermijn"):
        derive(R.AFGEHANDELD, closed_on=CLOSED, waardering="V", bewaartermijn=None)


def test_b_ignores_a_bewaartermijn_and_keeps_a_pending_brondatum() -> None:
    derived = derive(R.HOOFDZAAK, closed_on=CLOSED, waardering="B", bewaartermijn=Duration(years=5))
    assert derived.bewaartermijn is None
    assert derived.brondatum is None
    assert derived.brondatum_pending == Pending("The parent dossier (hoofdzaak) is not closed yet.")
    assert derived.archiefactiedatum == derived.overbrengingsdatum == date(2045, 1, 31)
    assert derived.pending is None


def test_pending_reason_translates_to_dutch() -> None:
    derived = derive(
        R.EIGENSCHAP,
        closed_on=CLOSED,
        waardering="V",
        bewaartermijn=Duration(years=5),
        property_name="geboortedatum",
    )
    assert derived.archiefactiedatum is None
    assert derived.pending is not None
    i18n.set_language("nl")
    assert i18n._(derived.pending.msgid).format(**derived.pending.params) == (
        "Het dossier heeft nog geen datum in het kenmerk geboortedatum."
    )


# --- the table: real Selectielijst 2020 results ------------------------------------------


@dataclass(frozen=True)
class Row:
    """One real result, one dossier: dates as ISO text, None where still open."""

    nummer: str
    waardering: str  # as the list has it: B or V
    bewaartermijn: str | None  # as the list has it (None for B)
    procestermijn: str  # the list's procestermijn code ("" when it has none)
    rule: BrondatumRule
    closed_on: str
    brondatum: str | None
    archiefactiedatum: str | None
    overbrengingsdatum: str | None = None
    inputs: dict[str, Any] = field(default_factory=dict)


d = date.fromisoformat


def b(nummer: str, closed: str, transfer: str, **inputs: Any) -> Row:
    """A B result closed by rule afgehandeld: transfer (= archiefactiedatum) by hand."""
    return Row(nummer, "B", None, "", R.AFGEHANDELD, closed, closed, transfer, transfer, inputs)


def nihil(nummer: str, term: str, closed: str, due: str) -> Row:
    """A V result with procestermijn nihil (so rule afgehandeld): brondatum = close date."""
    return Row(nummer, "V", term, "nihil", R.AFGEHANDELD, closed, closed, due)


TABLE = [
    # --- B: transfer 20 years after closing (or the term set), whatever the brondatum.
    b("1.1.1", "2024-02-29", "2044-02-29"),
    b("1.2", "2025-01-31", "2045-01-31"),
    b("1.3", "2023-02-28", "2033-02-28", overbrengingstermijn=Duration(years=10)),
    b("1.1.2", "2024-02-29", "2034-02-28", overbrengingstermijn=Duration(years=10)),
    Row("2.1.1", "B", None, "", R.HOOFDZAAK, "2025-04-30", None, "2045-04-30", "2045-04-30"),
    Row("3.1.1", "B", None, "", R.ANDER_DATUMKENMERK, "2025-12-31", "2030-06-30",
        "2045-12-31", "2045-12-31", {"datum": d("2030-06-30")}),
    # --- V, procestermijn nihil: afgehandeld, every kind of bewaartermijn.
    nihil("1.1", "P10Y", "2024-02-29", "2034-02-28"),
    nihil("1.5", "P1Y", "2024-02-29", "2025-02-28"),
    nihil("1.4", "P5Y", "2024-02-29", "2029-02-28"),
    nihil("5.1.1", "P7Y", "2025-12-31", "2032-12-31"),
    nihil("3.1.4", "P20Y", "2024-02-29", "2044-02-29"),
    nihil("19.1.17", "P0D", "2024-02-29", "2024-02-29"),
    nihil("19.2.1", "P0D", "2025-06-30", "2025-06-30"),
    nihil("12.1.9", "P28D", "2025-02-28", "2025-03-28"),
    nihil("17.2.1", "P28D", "2024-02-01", "2024-02-29"),
    nihil("3.3.1", "P42D", "2024-01-31", "2024-03-13"),
    nihil("12.1.8", "P6M", "2024-08-31", "2025-02-28"),
    nihil("19.1.24", "P6M", "2023-08-31", "2024-02-29"),
    nihil("19.1.20", "P9M", "2024-05-31", "2025-02-28"),
    nihil("19.1.22", "P91D", "2024-11-30", "2025-03-01"),
    nihil("7.1.21", "P1Y6M", "2022-08-31", "2024-02-29"),
    nihil("7.1.2", "P110Y", "2024-02-29", "2134-02-28"),
    nihil("16.2.2", "P3Y", "2025-03-31", "2028-03-31"),
    nihil("4.1.14", "P40Y", "2024-04-30", "2064-04-30"),
    nihil("8.1.4", "P50Y", "2024-02-29", "2074-02-28"),
    nihil("5.1.4", "P16Y", "2024-02-29", "2040-02-29"),
    nihil("5.1.5", "P11Y", "2025-10-31", "2036-10-31"),
    nihil("7.1.22", "P12Y", "2023-11-30", "2035-11-30"),
    nihil("3.1.5", "P15Y", "2026-11-29", "2041-11-29"),
    # --- V, ingeschatte_bestaansduur_procesobject: termijn (procestermijn set on the result).
    Row("15.1.1", "V", "P5Y", "ingeschatte_bestaansduur_procesobject", R.TERMIJN,
        "2024-02-29", "2034-02-28", "2039-02-28", None, {"procestermijn": Duration(years=10)}),
    Row("15.1.1", "V", "P5Y", "ingeschatte_bestaansduur_procesobject", R.TERMIJN,
        "2025-01-31", "2026-02-28", "2031-02-28", None,
        {"procestermijn": Duration(years=1, months=1)}),
    # --- V, bestaansduur_procesobject: the object's end, from a property, a parent, by hand.
    Row("8.1.6", "V", "P7Y", "bestaansduur_procesobject", R.EIGENSCHAP,
        "2025-03-31", "2048-02-29", "2055-02-28", None,
        {"properties": {"einddatum_lening": "2048-02-29"}, "property_name": "einddatum_lening"}),
    Row("6.1.8", "V", "P5Y", "bestaansduur_procesobject", R.EIGENSCHAP,
        "2025-03-31", None, None, None,
        {"properties": {}, "property_name": "einddatum_handhaving"}),
    Row("8.1.11", "V", "P20Y", "bestaansduur_procesobject", R.HOOFDZAAK,
        "2025-01-15", "2025-05-31", "2045-05-31", None, {"parent_closed_on": d("2025-05-31")}),
    Row("8.1.14", "V", "P1Y", "bestaansduur_procesobject", R.HOOFDZAAK,
        "2025-01-15", None, None),
    Row("2.1", "V", "P10Y", "bestaansduur_procesobject", R.ANDER_DATUMKENMERK,
        "2025-09-30", "2030-12-31", "2040-12-31", None, {"datum": d("2030-12-31")}),
    Row("4.1.11", "V", "P1Y", "bestaansduur_procesobject", R.ZAAKOBJECT,
        "2026-06-30", "2028-02-29", "2029-02-28", None,
        {"object_dates": [d("2027-01-31"), d("2028-02-29")]}),
    # --- V, vast_te_leggen_datum: a date fixed by hand or by a besluit.
    Row("11.1.2", "V", "P1Y", "vast_te_leggen_datum", R.ANDER_DATUMKENMERK,
        "2025-05-31", None, None),
    Row("3.1", "V", "P5Y", "vast_te_leggen_datum", R.ANDER_DATUMKENMERK,
        "2025-05-31", "2032-02-29", "2037-02-28", None, {"datum": d("2032-02-29")}),
    Row("3.1.2", "V", "P10Y", "vast_te_leggen_datum", R.VERVALDATUM_BESLUIT,
        "2025-05-31", "2029-03-01", "2039-03-01", None,
        {"besluit_vervaldata": [d("2027-12-31"), d("2029-02-28")]}),
    Row("5.1.6", "V", "P1Y", "vast_te_leggen_datum", R.INGANGSDATUM_BESLUIT,
        "2024-03-31", "2024-02-29", "2025-02-28", None,
        {"besluit_ingangsdata": [d("2024-02-29")]}),
    Row("9.1.1", "V", "P1Y", "vast_te_leggen_datum", R.VERVALDATUM_BESLUIT,
        "2025-05-31", None, None),
    # --- V, samengevoegd_met_bewaartermijn: counted from e.g. the date of birth.
    Row("4.1.7", "V", "P67Y", "samengevoegd_met_bewaartermijn", R.EIGENSCHAP,
        "2020-07-31", "2008-02-29", "2075-02-28", None,
        {"properties": {"geboortedatum": "2008-02-29"}, "property_name": "geboortedatum"}),
    Row("5.1.8", "V", "P110Y", "samengevoegd_met_bewaartermijn", R.EIGENSCHAP,
        "2024-04-30", "2024-02-29", "2134-02-28", None,
        {"properties": {"geboortedatum": d("2024-02-29")}, "property_name": "geboortedatum"}),
    Row("11.1.8", "V", "P19Y", "samengevoegd_met_bewaartermijn", R.GERELATEERDE_ZAAK,
        "2025-02-28", "2026-01-31", "2045-01-31", None,
        {"related_closed_on": [d("2025-07-31"), d("2026-01-31")]}),
    Row("11.1.9", "V", "P21Y", "samengevoegd_met_bewaartermijn", R.GERELATEERDE_ZAAK,
        "2025-02-28", None, None, None, {"related_closed_on": [d("2025-07-31"), None]}),
    # --- V without a procestermijn code (the one such result): any rule.
    Row("12.1.4", "V", "P2Y", "", R.AFGEHANDELD, "2024-02-29", "2024-02-29", "2026-02-28"),
]  # fmt: skip


def iso(text: str | None) -> date | None:
    return None if text is None else d(text)


def test_the_table_covers_the_list() -> None:
    """At least 30 results, both waarderingen, every procestermijn code and every rule."""
    assert len({row.nummer for row in TABLE}) >= 30
    assert {row.waardering for row in TABLE} == {"B", "V"}
    results = selectielijst.resultaten(2020)
    assert {row.procestermijn for row in TABLE} == {r.procestermijn or "" for r in results}
    assert {row.rule for row in TABLE} == set(BrondatumRule)
    assert sum(row.closed_on == "2024-02-29" for row in TABLE) >= 10
    month_ends = [row for row in TABLE if (d(row.closed_on) + timedelta(days=1)).day == 1]
    assert len(month_ends) >= 20
    assert sum(row.archiefactiedatum is None for row in TABLE) >= 5
    terms = {r.bewaartermijn for r in results if r.bewaartermijn}
    assert len({row.bewaartermijn for row in TABLE} & terms) >= 20


@pytest.mark.parametrize("row", TABLE, ids=lambda row: f"{row.nummer}-{row.rule}-{row.closed_on}")
def test_archiefactiedatum_of_real_results(row: Row) -> None:
    result = selectielijst.choosable(2020, row.nummer)
    assert result.mdto_waardering == row.waardering
    assert result.bewaartermijn == row.bewaartermijn
    assert (result.procestermijn or "") == row.procestermijn
    assert row.rule in rules_for_procestermijn(row.procestermijn)
    closed_on = d(row.closed_on)
    check_close_date(closed_on, opened_on=d("2020-01-01"), today=TODAY)

    derived = derive(
        row.rule,
        closed_on=closed_on,
        waardering="B" if row.waardering == "B" else "V",
        bewaartermijn=parse_duration(row.bewaartermijn) if row.bewaartermijn else None,
        **row.inputs,
    )

    assert derived.waardering == row.waardering
    assert derived.brondatum == iso(row.brondatum)
    assert derived.archiefactiedatum == iso(row.archiefactiedatum)
    assert derived.overbrengingsdatum == iso(row.overbrengingsdatum)
    if row.archiefactiedatum is None:
        assert derived.pending is not None
        i18n.set_language("nl")
        dutch = i18n._(derived.pending.msgid).format(**derived.pending.params)
        assert dutch and dutch != derived.pending.english()
    else:
        assert derived.pending is None
    if row.brondatum is None:
        assert derived.brondatum_pending is not None


def test_default_overbrengingstermijn_is_20_years() -> None:
    assert parse_duration("P20Y") == P20Y
