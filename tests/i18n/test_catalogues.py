"""Every user-visible string has a Dutch translation that keeps its placeholders."""

from __future__ import annotations

import re

import pytest

from recordsdesk import i18n
from recordsdesk.i18n_extract import msgids_by_catalogue
from recordsdesk.resources import resource_path

PLACEHOLDER = re.compile(r"\{[a-z_0-9]+\}|%\([a-z_]+\)[sr]|%[sr]")


@pytest.mark.parametrize("layer", ["core", "cli", "ui"])
def test_every_msgid_is_translated_to_dutch(layer: str) -> None:
    wanted = msgids_by_catalogue()[layer]
    path = resource_path("i18n", "nl", f"{layer}.po")
    if not wanted:
        return
    catalogue = i18n.parse_po(path.read_text(encoding="utf-8"))
    missing = sorted(m for m in wanted if not catalogue.get(m))
    assert missing == [], f"untranslated in {path.name}: {missing}"


def test_translations_keep_their_placeholders() -> None:
    for msgid, msgstr in i18n.catalogue("nl").items():
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), msgid


def test_po_parser_reads_escapes_and_continuation_lines() -> None:
    text = 'msgid ""\nmsgstr "header"\n\nmsgid "a \\"b\\""\nmsgstr "c"\n"d\\n"\n'
    assert i18n.parse_po(text) == {'a "b"': "cd\n"}


def test_language_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("RECORDSDESK_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert i18n.language_from_environment() == "nl"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert i18n.language_from_environment() == "en"
    monkeypatch.setenv("RECORDSDESK_LANG", "nl")
    assert i18n.language_from_environment() == "nl"


def test_dutch_is_default_and_english_is_source() -> None:
    before = i18n.current_language()
    try:
        i18n.set_language("nl")
        assert i18n._("File not found: {path}") == "Bestand niet gevonden: {path}"
        i18n.set_language("en")
        assert i18n._("File not found: {path}") == "File not found: {path}"
        i18n.set_language("xx")
        assert i18n.current_language() == "nl"
    finally:
        i18n.set_language(before)


def test_catalogues_are_served_through_the_standard_gettext_machinery() -> None:
    compiled = i18n.compile_mo({"Refresh": "Vernieuwen", "Größe {n}": "Grootte {n} ✓"})
    import gettext
    import io

    translations = gettext.GNUTranslations(io.BytesIO(compiled))
    assert translations.gettext("Refresh") == "Vernieuwen"
    assert translations.gettext("Größe {n}") == "Grootte {n} ✓"
    assert translations.gettext("not in the catalogue") == "not in the catalogue"
    assert isinstance(i18n.translations("nl"), gettext.GNUTranslations)
