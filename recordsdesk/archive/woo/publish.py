"""Publishing one document of a Woo package: the redacted PDF and its text check, and
the package's verantwoording (LEESMIJ.txt).

Contract of :func:`redact_checked`: :func:`recordsdesk.redact.redact` writes the
redacted copy (which already fails when a character remains under an area);
then the text that lay under the areas in the source (pdfium, characters whose
centre is inside an area) is looked for in the result:

* a covered word (two characters or more) that occurs nowhere else on its page
  is handed to :func:`recordsdesk.redact.verify` as covered text: it must be gone;
* a covered word that also occurs outside the areas on the same page may not
  occur in the result more often than it did outside the areas.

Either failure raises :class:`~recordsdesk.redact.verify.RedactionLeakError`
(a ``UserError``) and the caller removes the package.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pikepdf

from recordsdesk.archive.woo.gronden import weigeringsgronden
from recordsdesk.i18n import N_
from recordsdesk.redact import Area, ReportWarning, redact, verify
from recordsdesk.redact.areas import Rect, frame_of, user_rect
from recordsdesk.redact.verify import RedactionLeakError
from recordsdesk.services.organisation import Organisation

if TYPE_CHECKING:
    from recordsdesk.archive.woo.export import ExportReport
    from recordsdesk.archive.woo.package import RequestFacts

MIN_WORD = 2


def redact_checked(source: Path, areas: Sequence[Area], target: Path) -> tuple[ReportWarning, ...]:
    """Redact ``source`` into ``target`` and check the text; see the module contract."""
    before = _page_texts(source, areas)
    report = redact(source, areas, target)
    after = _page_texts(target, areas, covered=False)
    must_go: dict[int, list[str]] = {}
    for page, (text, covered) in before.items():
        outside = _fold(_blank(text, covered))
        result = _fold(after[page][0])
        for word in _words(text, covered):
            allowed = outside.count(word)
            if allowed == 0:
                must_go.setdefault(page, []).append(word)
            elif result.count(word) > allowed:
                raise RedactionLeakError(
                    N_("Redaction check failed on page {page}: covered text can still be "
                       "extracted: {text}"),
                    {"page": page, "text": word},
                )  # fmt: skip
    verify(target, covered_text=must_go)
    return report.warnings


def opens_without_password(path: Path) -> bool:
    """Whether anyone can open the PDF (no user password); a damaged file counts as no."""
    try:
        with pikepdf.open(path):
            return True
    except (pikepdf.PasswordError, pikepdf.PdfError, OSError):
        return False


def _page_texts(
    path: Path, areas: Sequence[Area], *, covered: bool = True
) -> dict[int, tuple[str, set[int]]]:
    """Per page with an area: its text (one character per pdfium character) and the
    indexes of the characters whose centre lies in an area."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    rects: dict[int, list[Rect]] = {}
    with pikepdf.open(path) as pdf:
        for area in areas:
            rects.setdefault(area.page, []).append(
                user_rect(frame_of(pdf.pages[area.page - 1]), area)
            )
    doc = pdfium.PdfDocument(str(path))
    found: dict[int, tuple[str, set[int]]] = {}
    try:
        for page, page_rects in rects.items():
            textpage = doc[page - 1].get_textpage()
            count = textpage.count_chars()
            text = str(textpage.get_text_range()) if count else ""
            if len(text) != count:  # pdfium added characters: read them one by one
                text = "".join(str(textpage.get_text_range(i, 1)) or " " for i in range(count))
            inside: set[int] = set()
            for index in range(count) if covered else ():
                left, bottom, right, top = textpage.get_charbox(index)
                x, y = (left + right) / 2, (bottom + top) / 2
                if any(r[0] <= x <= r[2] and r[1] <= y <= r[3] for r in page_rects):
                    inside.add(index)
            found[page] = (text, inside)
    finally:
        doc.close()
    return found


def _blank(text: str, covered: set[int]) -> str:
    return "".join(" " if i in covered else c for i, c in enumerate(text))


def _words(text: str, covered: set[int]) -> list[str]:
    """The covered words: runs of covered characters, split at uncovered ones and spaces."""
    runs = "".join(c if i in covered else " " for i, c in enumerate(text))
    return sorted({w for w in _fold(runs).split(" ") if len(w) >= MIN_WORD})


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).casefold()


def readme(
    info: RequestFacts,
    org: Organisation,
    report: ExportReport,
    gronden: Sequence[str],
    today: dt.date,
) -> str:
    """The verantwoording of the package, in Dutch (the language of the publication)."""
    names = {g.code: g.omschrijving for g in weigeringsgronden()}
    lines = [
        f"Woo-publicatie bij verzoek {info.nummer}",
        "",
        f"Onderwerp: {info.onderwerp}",
        f"Ontvangen op: {info.ontvangen_op.isoformat()}",
        f"Besluit: {(info.besluit or 'nog niet genomen').replace('_', ' ')}",
        f"Verantwoordelijke organisatie: {org.archiefvormer} ({org.archiefvormer_code})",
        f"Samengesteld op: {today.isoformat()}",
        "",
        "Aantallen",
        f"  Documenten beoordeeld:            {report.documents}",
        f"  Openbaar gemaakt (totaal):        {report.published}",
        f"    waarvan deels openbaar (gelakt): {report.redacted}",
        f"  Niet openbaar (niet opgenomen):   {report.withheld}",
        f"  Reeds openbaar (link in de lijst): {report.already_public}",
        "",
        "Inhoud",
        "  inventarislijst.csv / .xlsx   een regel per document, in volgorde van dossier en",
        "                                kenmerk; het ID is de naam van het gepubliceerde bestand",
        "  documenten/<ID>.pdf           de openbaar gemaakte documenten (PDF/A waar aanwezig)",
        "  documenten-samengevoegd.pdf   alle gepubliceerde PDF's, met bladwijzers per dossier",
        "                                en per document",
        "  diwoo/<ID>.xml                DiWoo-metadata 0.9.8 per gepubliceerd document",
        "  mdto/<ID>.xml                 MDTO-metadata per gepubliceerd document",
        "  SHA256SUMS                    controlegetal (SHA-256) van ieder bestand",
        "",
        "Lakken",
        "  Bij deels openbare documenten is de gelakte tekst en het gelakte beeld uit de",
        "  PDF verwijderd, niet alleen afgedekt. Over elk gelakt vlak staat de code van de",
        "  weigeringsgrond. Na het lakken is de tekst opnieuw uitgelezen en gecontroleerd",
        "  dat niets van de gelakte tekst nog te vinden is.",
        "",
        "Toegepaste weigeringsgronden (Woo)",
        *(f"  {code}  {names.get(code, '')}" for code in gronden),
        *([] if gronden else ["  geen"]),
        "",
    ]
    return "\n".join(lines)
