"""Dutch-like text for the ``search`` workload: deterministic, Zipf-distributed, municipal.

The vocabulary is real Dutch: function words (the stop words among them),
municipal nouns with their plurals, compounds of a theme and a head noun
("bouwvergunning", "parkeervergunningen"), verbs with their inflections,
adjectives with their inflected form, and words with diacritics ("café",
"financiële", "reünie", "coördinatie"), so stemming and folding matter. Word
frequencies follow a Zipf-Mandelbrot law over a fixed, seeded ranking; the
function words come first, then the simple words, then the compounds, as in
real text. Street names, surnames and case
numbers give the rare terms a searcher types.

:class:`TextGenerator` makes the same records for the same seed, one at a time,
so a store of any size is built without holding its text in memory.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass

SEED = 20261129
ZIPF_S = 1.07
ZIPF_Q = 2.7


def _split(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


FUNCTION_WORDS = _split(
    "de het een en van in op te dat die voor met is niet aan er om als bij of ook tot uit naar "
    "door over dan maar nog al zijn was wordt worden dit deze wij u uw hij zij ze ons onze "
    "heeft hebben kan kunnen moet moeten zal zullen geen wel zo na per onder tegen tussen "
    "binnen zonder vanaf sinds omdat zodat waarin waarbij hierbij daarom echter reeds"
)

# (singular, plural): municipal nouns, plurals so stemming matters
NOUNS = [
    tuple(pair.split("/"))
    for pair in _split(
        "vergunning/vergunningen aanvraag/aanvragen besluit/besluiten bezwaar/bezwaren "
        "melding/meldingen subsidie/subsidies bestemmingsplan/bestemmingsplannen "
        "handhaving/handhavingen evenement/evenementen woning/woningen gemeente/gemeenten "
        "inwoner/inwoners burger/burgers wijk/wijken straat/straten gebouw/gebouwen "
        "pand/panden perceel/percelen eigenaar/eigenaren huurder/huurders ondernemer/ondernemers "
        "bedrijf/bedrijven vereniging/verenigingen stichting/stichtingen school/scholen "
        "college/colleges raad/raden wethouder/wethouders burgemeester/burgemeesters "
        "ambtenaar/ambtenaren afdeling/afdelingen team/teams brief/brieven mail/mails "
        "notitie/notities verslag/verslagen advies/adviezen rapport/rapporten "
        "onderzoek/onderzoeken overleg/overleggen vergadering/vergaderingen termijn/termijnen "
        "datum/data kosten/kosten bedrag/bedragen factuur/facturen begroting/begrotingen "
        "rekening/rekeningen betaling/betalingen boete/boetes sanctie/sancties "
        "last/lasten dwangsom/dwangsommen controle/controles inspectie/inspecties "
        "toezicht/toezichten overtreding/overtredingen klacht/klachten zienswijze/zienswijzen "
        "beroep/beroepen uitspraak/uitspraken rechter/rechters procedure/procedures "
        "regel/regels regeling/regelingen verordening/verordeningen beleid/beleidsregels "
        "plan/plannen project/projecten ontwikkeling/ontwikkelingen locatie/locaties "
        "terrein/terreinen park/parken plein/pleinen weg/wegen brug/bruggen fietspad/fietspaden "
        "parkeerplaats/parkeerplaatsen garage/garages auto/auto's fiets/fietsen bus/bussen "
        "verkeer/verkeersstromen afval/afvalstromen container/containers "
        "inzameling/inzamelingen milieu/milieus geluid/geluiden overlast/overlasten "
        "boom/bomen groen/groenstroken water/wateren riool/riolen dijk/dijken "
        "bouw/bouwwerken verbouwing/verbouwingen aanbouw/aanbouwen dakkapel/dakkapellen "
        "schuur/schuren hek/hekken tuin/tuinen terras/terrassen horeca/horecazaken "
        "winkel/winkels markt/markten kermis/kermissen festival/festivals concert/concerten "
        "sport/sporten sporthal/sporthallen zwembad/zwembaden bibliotheek/bibliotheken "
        "zorg/zorgtaken jeugd/jongeren ouder/ouders kind/kinderen gezin/gezinnen "
        "uitkering/uitkeringen bijstand/bijstandsuitkeringen schuld/schulden "
        "huur/huren koop/kopen grond/gronden kavel/kavels contract/contracten "
        "overeenkomst/overeenkomsten aanbesteding/aanbestedingen offerte/offertes "
        "leverancier/leveranciers opdracht/opdrachten uitvoering/uitvoeringen planning/planningen "
        "wijziging/wijzigingen aanvulling/aanvullingen bijlage/bijlagen tekening/tekeningen "
        "kaart/kaarten foto/foto's situatie/situaties toelichting/toelichtingen reden/redenen "
        "motivering/motiveringen belang/belangen risico/risico's veiligheid/veiligheden "
        "brandweer/brandweerkorpsen politie/politiekorpsen ambulance/ambulances "
        "verzoek/verzoeken antwoord/antwoorden vraag/vragen reactie/reacties "
        "informatie/informatiestukken document/documenten dossier/dossiers archief/archieven "
        "openbaarmaking/openbaarmakingen beoordeling/beoordelingen weigering/weigeringen "
        "grond/weigeringsgronden persoon/personen naam/namen adres/adressen "
        "telefoon/telefoonnummers handtekening/handtekeningen akte/akten register/registers "
        "bezoek/bezoeken afspraak/afspraken gesprek/gesprekken besluitvorming/besluitvormingen "
        "café/cafés enquête/enquêtes reünie/reünies crèche/crèches cliënt/cliënten "
        "patiënt/patiënten idee/ideeën coördinatie/coördinaties coördinator/coördinatoren "
        "privé/privézaken museum/musea kanaal/kanalen haven/havens kade/kaden "
        "monument/monumenten erfgoed/erfgoederen kerk/kerken molen/molens boerderij/boerderijen"
    )
]
# compounds: theme + head ("omgevings" + "vergunning"), with the head's plural
COMPOUND_THEMES = _split(
    "bouw parkeer omgevings milieu kap horeca evenementen drank sloop gebruiks exploitatie "
    "standplaats ligplaats terras reclame subsidie bezwaar handhavings woning verkeers "
    "afval geluids bodem water bestemmings huisvestings bijstands jeugd zorg sport monumenten "
    "kermis markt winkel groen boom riool brand veiligheids fiets haven erfgoed school "
    "gezondheids energie klimaat"
)
COMPOUND_HEADS = _split(
    "vergunning/vergunningen aanvraag/aanvragen besluit/besluiten melding/meldingen "
    "plan/plannen regeling/regelingen kosten/kosten beleid/beleidsregels verzoek/verzoeken "
    "onderzoek/onderzoeken advies/adviezen toets/toetsen toezicht/toezichthouders "
    "kaart/kaarten tekening/tekeningen register/registers overleg/overleggen "
    "traject/trajecten fonds/fondsen budget/budgetten zaak/zaken loket/loketten "
    "rapport/rapporten commissie/commissies procedure/procedures termijn/termijnen "
    "heffing/heffingen belasting/belastingen controle/controles dossier/dossiers "
    "voorschrift/voorschriften ontheffing/ontheffingen"
)
VERBS = _split(
    "aanvragen vraagt vroeg aangevraagd verlenen verleent verleende verleend weigeren weigert "
    "weigerde geweigerd besluiten besluit besloot ontvangen ontvangt ontving beoordelen "
    "beoordeelt beoordeelde beoordeeld melden meldt meldde gemeld controleren controleert "
    "controleerde gecontroleerd handhaven handhaaft handhaafde gehandhaafd bouwen bouwt "
    "bouwde gebouwd slopen sloopt sloopte gesloopt parkeren parkeert parkeerde geparkeerd "
    "organiseren organiseert organiseerde georganiseerd verstrekken verstrekt verstrekte "
    "betalen betaalt betaalde betaald ontvangen indienen dient diende ingediend "
    "behandelen behandelt behandelde behandeld informeren informeert informeerde "
    "geïnformeerd evalueren evalueert evalueerde geëvalueerd beëindigen beëindigt "
    "beëindigde beëindigd coördineren coördineert coördineerde gecoördineerd uploaden "
    "geüpload overleggen overlegt overlegde overlegd publiceren publiceert publiceerde "
    "gepubliceerd openbaren openbaart openbaarde geopenbaard verwijderen verwijdert "
    "verwijderde verwijderd plaatsen plaatst plaatste geplaatst wijzigen wijzigt wijzigde "
    "gewijzigd"
)
ADJECTIVES = _split(
    "openbaar openbare nieuw nieuwe oud oude groot grote klein kleine gemeentelijk "
    "gemeentelijke financieel financiële officieel officiële materieel materiële "
    "efficiënt efficiënte tijdelijk tijdelijke definitief definitieve voorlopig voorlopige "
    "ruimtelijk ruimtelijke juridisch juridische noodzakelijk noodzakelijke aanvullend "
    "aanvullende schriftelijk schriftelijke mondeling mondelinge zorgvuldig zorgvuldige "
    "naïef naïeve reëel reële geïnteresseerd geïnteresseerde"
)
STREETS = _split(
    "Kerkstraat|Dorpsstraat|Molenweg|Stationsweg|Schoolstraat|Julianastraat|Beatrixlaan|"
    "Wilhelminastraat|Nieuwstraat|Marktplein|Havenkade|Parklaan|Eikenlaan|Beukenlaan|Lindelaan|"
    "Prinsengracht|Oranjestraat|Emmastraat|Industrieweg|Sportlaan|Raadhuisstraat|Kanaalweg|"
    "Noordsingel|Zuidwal|Oosterstraat|Westerweg|Vijverlaan|Esdoornstraat|Rozenstraat|Tulpstraat|"
    "Meidoornweg|Polderweg|Dijkstraat|Slotlaan|Burgemeester de Withstraat|Coöperatiestraat",
    "|",
)
SURNAMES = _split(
    "de Vries|Jansen|Bakker|Visser|Smit|Meijer|de Boer|Mulder|de Groot|Bos|Vos|Peters|Hendriks|"
    "van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|de Graaf|van der Meer|van der Linden|Kok|"
    "Jacobs|de Haan|Vermeulen|van den Berg|van Dijk|Schouten|Willems|Hoekstra|Koster|Prins|"
    "Verhoeven|Maas|Kuipers|Huisman|Post|Kuiper|Veenstra|Çelik|Yılmaz|Müller|Ruiz Pérez",
    "|",
)
DOSSIER_KINDS = (
    "Omgevingsvergunning", "Evenementenvergunning", "Bezwaar", "Subsidieaanvraag",
    "Handhavingsverzoek", "Melding openbare ruimte", "Woo-verzoek", "Parkeervergunning",
    "Horecavergunning", "Bestemmingsplan", "Kapvergunning", "Klacht",
)  # fmt: skip
DOC_KINDS = (
    "Besluit", "Brief", "Aanvraag", "Melding", "Notitie", "Verslag", "Advies", "Bezwaarschrift",
    "Rapport", "Offerte", "Ontvangstbevestiging", "Zienswijze",
)  # fmt: skip
FIRST_DAY = dt.date(2016, 1, 1)
DAYS = 3650  # dossiers start over ten years


def vocabulary() -> list[str]:
    """Every word form, most frequent first (function words, then a seeded ranking)."""
    simple: list[str] = [word for pair in NOUNS for word in pair] + VERBS + ADJECTIVES
    compounds: list[str] = []
    for theme in COMPOUND_THEMES:
        for head in COMPOUND_HEADS:
            singular, plural = head.split("/")
            compounds += [theme + singular, theme + plural]
    ranked = []
    for part in (simple, compounds):  # compounds are the rarer words, as in real text
        words = list(dict.fromkeys(w for w in part if w not in FUNCTION_WORDS))
        random.Random(SEED).shuffle(words)
        ranked += words
    return list(dict.fromkeys([*FUNCTION_WORDS, *ranked]))


@dataclass(frozen=True)
class Dossier:
    number: int
    naam: str
    street: str
    case_number: str
    start: dt.date
    category: int | None  # index into the Woo categories, None: none


@dataclass(frozen=True)
class Record:
    titel: str
    text: str
    omschrijving: str | None  # "Van: ..." for about one record in five (afzender)
    day: dt.date


class TextGenerator:
    """Dossiers and records of Dutch-like text; the same for the same seed."""

    def __init__(self, words_per_record: int = 300, seed: int = SEED) -> None:
        self.words = vocabulary()
        self.cum = list(
            itertools.accumulate(1.0 / (r + ZIPF_Q) ** ZIPF_S for r in range(len(self.words)))
        )
        content_start = len(FUNCTION_WORDS)
        self.content = self.words[content_start:]
        self.content_cum = list(
            itertools.accumulate(1.0 / (r + ZIPF_Q) ** ZIPF_S for r in range(len(self.content)))
        )
        self.per_record = words_per_record
        self.random = random.Random(seed)

    def dossier(self, number: int, categories: int) -> Dossier:
        rnd = self.random
        street = rnd.choice(STREETS)
        kind = rnd.choice(DOSSIER_KINDS)
        start = FIRST_DAY + dt.timedelta(days=rnd.randrange(DAYS))
        case_number = f"Z-{start.year}-{number:06d}"
        category = rnd.randrange(categories) if rnd.random() < 0.7 else None
        naam = f"{kind} {street} {rnd.randrange(1, 200)}"
        return Dossier(number, naam, street, case_number, start, category)

    def record(self, dossier: Dossier) -> Record:
        rnd = self.random
        kind = rnd.choice(DOC_KINDS)
        titel = " ".join(
            [kind, *rnd.choices(self.content, cum_weights=self.content_cum, k=rnd.randint(3, 7))]
        )
        words = rnd.choices(self.words, cum_weights=self.cum, k=self.per_record)
        sentences = [f"Betreft: {dossier.naam}, zaak {dossier.case_number}."]
        at = 0
        while at < len(words):
            length = rnd.randint(6, 16)
            part = words[at : at + length]
            at += length
            if len(part) > 4 and rnd.random() < 0.3:
                part[len(part) // 2] += ","
            sentence = " ".join(part)
            sentences.append(sentence[:1].upper() + sentence[1:] + ".")
        sender = None
        if rnd.random() < 0.2:
            name = rnd.choice(SURNAMES)
            sender = f"Van: {rnd.choice('ABCDEFGHJKLMPRSTW')}. {name}"
            sentences.append(f"Met vriendelijke groet, {name}.")
        day = dossier.start + dt.timedelta(days=rnd.randrange(180))
        return Record(titel, " ".join(sentences), sender, day)
