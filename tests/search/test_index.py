"""The index follows every change to what is searchable (triggers + refresh), on both stores."""

from __future__ import annotations

import hashlib
import unicodedata
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, select, text

from recordsdesk.db.models import Bestand, Event, Informatieobject
from recordsdesk.search import entries, index, normalise, service, tokens
from recordsdesk.services import Workspace, file_paths, open_workspace
from recordsdesk.woo import find_informatiecategorie
from tests.search.records import dossier, file_text, find, kenmerken, put_text, set_columns


@pytest.fixture
def ws(home: Path, db_url: str) -> Iterator[Workspace]:
    workspace = open_workspace(home, db_url=db_url)
    try:
        yield workspace
    finally:
        workspace.close()


def _pending(ws: Workspace) -> int:
    with ws.readers() as session:
        return index.pending_count(session)


def test_a_filed_record_and_its_text_are_marked_and_found_after_refresh(
    ws: Workspace, tmp_path: Path
) -> None:
    d = dossier(ws, "Subsidie buurthuis", "Aanvraag van de wijkraad")
    record = file_text(ws, tmp_path, d, "aanvraag", "De penningmeester stuurt de begroting.")
    assert _pending(ws) == 2  # the dossier and the record, marked when they were written

    with ws.sessions() as session, session.begin():
        assert index.refresh(session) == 2
    assert _pending(ws) == 0

    assert kenmerken(find(ws, "penningmeester")) == {record}
    assert kenmerken(find(ws, "wijkraad")) == {d}  # the dossier's own omschrijving
    assert kenmerken(find(ws, "dossier:buurthuis")) == {d, record}


def test_a_read_only_session_searches_without_refreshing_and_says_what_waits(
    ws: Workspace, tmp_path: Path
) -> None:
    d = dossier(ws, "Parkeervergunningen")
    file_text(ws, tmp_path, d, "brief", "Een parkeerplaats voor de bewoner.")
    with ws.readers() as session:
        found = service.search(session, "parkeerplaats")
    assert found.pending == 2
    assert found.total == 0
    found = find(ws, "parkeerplaats")
    assert (found.pending, found.total) == (0, 1)


def test_a_changed_title_replaces_the_old_entry(ws: Workspace, tmp_path: Path) -> None:
    d = dossier(ws, "Evenementen")
    record = file_text(ws, tmp_path, d, "notitie", "Tekst zonder titelwoorden.")
    set_columns(ws, record, naam="Braderie Oude Haven")
    assert kenmerken(find(ws, "titel:braderie")) == {record}

    set_columns(ws, record, naam="Kermis Nieuwe Haven")
    assert _pending(ws) == 1
    assert kenmerken(find(ws, "titel:kermis")) == {record}
    assert find(ws, "braderie").total == 0


def test_a_renamed_dossier_re_indexes_its_records(ws: Workspace, tmp_path: Path) -> None:
    d = dossier(ws, "Herinrichting Marktplein")
    record = file_text(ws, tmp_path, d, "tekening", "Plattegrond met bomen.")
    assert kenmerken(find(ws, "dossier:marktplein")) == {d, record}

    set_columns(ws, d, naam="Herinrichting Stationsplein")
    assert _pending(ws) == 2
    assert kenmerken(find(ws, "dossier:stationsplein")) == {d, record}
    assert find(ws, "dossier:marktplein").total == 0


def test_text_extracted_after_filing_is_found(ws: Workspace, tmp_path: Path) -> None:
    d = dossier(ws, "Bezwaren")
    path = tmp_path / "bezwaar.txt"
    path.write_text("bezwaarschrift\n", encoding="utf-8")
    [record] = file_paths(ws, d, [path]).records
    assert find(ws, "geluidsoverlast").total == 0
    put_text(ws, hashlib.sha256(path.read_bytes()).hexdigest(), "Klacht over geluidsoverlast.")
    assert _pending(ws) == 1  # the content_text trigger marked the record holding it
    assert kenmerken(find(ws, "geluidsoverlast")) == {record.kenmerk}


def test_a_deleted_record_leaves_the_index(ws: Workspace, tmp_path: Path) -> None:
    d = dossier(ws, "Vernietiging")
    gone = file_text(ws, tmp_path, d, "oud", "Verouderde fietsenstalling.")
    kept = file_text(ws, tmp_path, d, "nieuw", "Nieuwe fietsenstalling.")
    assert kenmerken(find(ws, "fietsenstalling")) == {gone, kept}

    with ws.sessions() as session, session.begin():
        row_id = session.scalar(select(Informatieobject.id).where(Informatieobject.kenmerk == gone))
        session.execute(delete(Event).where(Event.informatieobject_id == row_id))
        session.execute(delete(Bestand).where(Bestand.informatieobject_id == row_id))
        session.execute(delete(Informatieobject).where(Informatieobject.id == row_id))

    assert kenmerken(find(ws, "fietsenstalling")) == {kept}
    table = "search_row" if ws.engine.dialect.name == "sqlite" else "search_document"
    with ws.readers() as session:
        assert session.scalar(text(f"SELECT count(*) FROM {table}")) == 2


def test_an_ocr_text_stands_in_for_a_scan_without_text(ws: Workspace, tmp_path: Path) -> None:
    d = dossier(ws, "Bouwtekeningen")
    scan = file_text(ws, tmp_path, d, "scan", "")  # a scan: no text layer
    ocr_sha = "ab" * 32
    put_text(ws, ocr_sha, "Dakkapel aan de achterzijde.", method="ocr")
    with ws.sessions() as session, session.begin():
        original = session.scalars(
            select(Bestand).join(Informatieobject).where(Informatieobject.kenmerk == scan)
        ).one()
        session.add(
            Bestand(
                id=str(uuid.uuid4()),
                informatieobject_id=original.informatieobject_id,
                sha256=ocr_sha,
                size=100,
                mime="application/pdf",
                original_name="scan (ocr).pdf",
                safe_name="scan-ocr.pdf",
                role="ocr",
                derived_from_id=original.id,
                created_at=ws.clock(),
            )
        )
    assert kenmerken(find(ws, "dakkapel")) == {scan}


def test_a_mail_sender_is_the_afzender(ws: Workspace, tmp_path: Path) -> None:
    d = dossier(ws, "Correspondentie")
    mail = "Subject: Overlast\nFrom: Jan de Vries <jan@example.nl>\nTo: gemeente\n\nBeste,"
    record = file_text(ws, tmp_path, d, "mail", mail, method="mail")
    file_text(ws, tmp_path, d, "antwoord", "Geachte heer De Vries,")
    assert kenmerken(find(ws, "afzender:vries")) == {record}
    assert len(kenmerken(find(ws, "vries"))) == 2


def test_the_woo_category_of_the_dossier_is_searchable(ws: Workspace, tmp_path: Path) -> None:
    d = dossier(ws, "Afspraken met de provincie")
    record = file_text(ws, tmp_path, d, "overeenkomst", "Getekend.")
    uri = find_informatiecategorie("convenanten").uri
    set_columns(ws, d, woo_informatiecategorie=uri)
    assert kenmerken(find(ws, "categorie:convenant")) == {d, record}


def test_the_body_is_capped(ws: Workspace, tmp_path: Path) -> None:
    d = dossier(ws, "Groot bestand")
    filler = "woord " * (entries.MAX_TEXT // 6)
    record = file_text(ws, tmp_path, d, "groot", f"beginwoord {filler} eindwoord")
    assert kenmerken(find(ws, "beginwoord")) == {record}
    assert find(ws, "eindwoord").total == 0


def test_a_rebuild_keeps_old_entries_searchable_until_replaced(
    ws: Workspace, tmp_path: Path
) -> None:
    d = dossier(ws, "Rioolvervanging")
    record = file_text(ws, tmp_path, d, "bestek", "Gietijzeren buizen.")
    assert kenmerken(find(ws, "gietijzeren")) == {record}
    with ws.sessions() as session, session.begin():
        assert index.rebuild(session) == 2

    with ws.sessions() as session, session.begin():
        during = service.search(session, "gietijzeren", refresh_limit=1)
    assert during.pending == 1
    assert kenmerken(during) == {record}
    assert index.catch_up(ws.engine) == 1
    assert _pending(ws) == 0
    assert kenmerken(find(ws, "gietijzeren")) == {record}


def test_catch_up_indexes_in_batches(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index, "IN_MEMORY", 2)  # several slices per batch, too
    d = dossier(ws, "Veel stukken")
    for n in range(7):
        file_text(ws, tmp_path, d, f"stuk{n}", f"Gemeenschappelijk woord nummer{n}.")
    assert index.catch_up(ws.engine, batch=3) == 8
    found = find(ws, "gemeenschappelijk", page_size=5, hits_per_group=10)
    assert (found.total, found.pending) == (7, 0)


@pytest.mark.parametrize(
    "sample",
    [
        "Het café aan de Coolsingel: financiële zaken, ĳs en ﬁets",
        "cafe\u0301 decomposed, ½ liter, ㎏ and x²",
        "Z-2024-001 5.1.2 info@gemeente.nl snake_case e-mail",
        "ÀÉÎÕÜ ñ ß Ǆ ΣΑΣ Straße",
        "",
        "plain ascii only",
    ],
)
def test_fast_tokens_are_exactly_the_normalised_tokens(sample: str) -> None:
    assert tokens.fast_tokens(sample) == normalise.tokens(sample)


@pytest.mark.postgres
def test_a_login_without_rights_on_the_index_still_marks_and_never_refreshes(
    home: Path, pg_url: str, tmp_path: Path
) -> None:
    """On the central archive a filer may change records but not write the index: the
    triggers run as the index's owner, and the filer's search leaves the marks alone."""
    owner = open_workspace(home, db_url=pg_url)
    try:
        d = dossier(owner, "Centrale stukken")
        record = file_text(owner, tmp_path, d, "memo", "Overleg met de provincie.")
        assert index.catch_up(owner.engine) == 2
        role = f"rd_test_filer_{uuid.uuid4().hex[:8]}"
        with owner.engine.begin() as connection:
            connection.execute(text(f"CREATE ROLE {role} LOGIN"))
            connection.execute(text(f"GRANT SELECT, UPDATE ON informatieobject TO {role}"))
            connection.execute(text(f"GRANT SELECT ON search_pending, search_document TO {role}"))
            # what the change capture of migration 0012 needs (not the subject here)
            connection.execute(text(f"GRANT SELECT ON sync_guard TO {role}"))
            connection.execute(text(f"GRANT INSERT ON change_log TO {role}"))
            connection.execute(text(f"GRANT USAGE ON SEQUENCE change_log_seq_seq TO {role}"))
    finally:
        owner.close()
    filer_url = pg_url.replace("postgres@", f"{role}@", 1)
    engine = create_engine(filer_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE informatieobject SET naam = 'Overleg provincie' WHERE kenmerk = :k"),
                {"k": record},
            )
        with engine.begin() as connection:
            assert not index.may_refresh(connection)
            assert index.refresh(connection) == 0
            assert index.pending_count(connection) == 1  # marked by the trigger, left alone
    finally:
        engine.dispose()


def _dutch_word_list() -> list[str]:
    """About 55,000 Dutch and Dutch-like word forms: stems with the endings the
    Dutch Snowball stemmer handles, doubled consonants, diacritics and y/i cases."""
    stems = ["vergunn", "aanvra", "besluit", "bezwa", "meld", "evenement", "subsid", "gemeent",
             "huis", "bak", "kat", "zee", "fiets", "kop", "raad", "wijk", "ruimt", "openbar",
             "handhav", "omgev", "sloop", "parkeer", "cafe", "financi", "reuni", "coordin",
             "client", "enquet", "geinform", "mooi", "haai", "ijs", "yoghurt", "baai", "dooi",
             "kanto", "rekening", "heid", "lijk", "straat", "stad", "dorp", "burg", "mees",
             "café", "financië", "reün", "coörd", "cliënt", "enquêt", "geïnform",
             "naïef"]  # fmt: skip
    endings = ["", "e", "en", "ene", "s", "se", "heid", "heden", "ing", "ingen", "end", "ende",
               "lijk", "lijke", "lijkheid", "baar", "bare", "bar", "ig", "ige", "ës", "ën",
               "ië", "iën", "je", "jes", "tje", "tjes", "d", "t", "ld", "kk", "dd", "tt", "nn",
               "ee", "y", "yi", "iy", "aa", "oo", "uu", "ie", "ieën", "ers", "erij",
               "ster"]  # fmt: skip
    words = [s + a + b for s in stems for a in endings for b in endings[:22]]
    return [*words, "", "a", "ij", "y", "yy", "i", "ii", "e", "é", "12", "co2", "x" * 300]


def test_the_fast_stemmer_gives_the_stems_of_the_snowball_reference() -> None:
    """PyStemmer (C, which snowballstemmer uses when installed) against snowballstemmer's
    own pure-Python Dutch Porter stemmer: the same stem for every word of a large list."""
    from snowballstemmer.dutch_porter_stemmer import (  # type: ignore[import-untyped]
        DutchPorterStemmer,
    )

    assert type(normalise._STEMMER).__module__ == "Stemmer"  # the fast one is in use
    reference = DutchPorterStemmer()
    words = _dutch_word_list()
    assert len(words) > 50_000
    different = [w for w in words if normalise._STEMMER.stemWord(w) != reference.stemWord(w)]
    assert different == []


def test_no_combining_character_lies_below_the_runs_fast_tokens_looks_at() -> None:
    assert not any(unicodedata.combining(chr(c)) for c in range(0x300))
    assert tokens._HIGH.fullmatch(chr(0x300)) and not tokens._HIGH.search(chr(0x2FF))


def test_fast_tokens_are_the_normalised_tokens_of_random_unicode_text() -> None:
    import random

    rnd = random.Random(11)
    pools = [range(0x20, 0x250), range(0x300, 0x370), range(0x1E00, 0x1F00),
             range(0x2100, 0x2200), range(0x3300, 0x3400), range(0xFB00, 0xFB07),
             range(0x1D400, 0x1D500)]  # fmt: skip
    for _ in range(200):
        sample = "".join(chr(rnd.choice(rnd.choice(pools))) for _ in range(300))
        assert tokens.fast_tokens(sample) == normalise.tokens(sample)
