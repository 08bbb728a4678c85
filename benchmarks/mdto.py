"""Workload ``mdto``: ``export_mdto`` of a 10,000-object dossier against plain lxml.

Cases (issue 4, "Done when"; see benchmarks/README.md, "Workload ``mdto``"):

* ``10000 objects``: one dossier with 4,949 records, each with one bestand, and
  101 of them e-mails with an attachment as a second bestand: 1 + 4,949 + 5,050
  = 10,000 MDTO objects. Timed: one real ``export_mdto(ws, kenmerk, out)`` call
  into a fresh folder: database reads, mapping, XSD validation of every
  object (``schema.validate_element``), the rules (``rules.check``), writing
  one file per object and the final rename.
  Baseline, same run, same objects: the MDTO objects are read once (untimed)
  through the export's own reader; then each is built with hand-written
  ``etree.Element``/``SubElement`` code for exactly these fields, serialised with
  ``etree.tostring`` and written to its own file in a fresh folder. No database,
  no validation, no rules. Its files are checked byte for byte against ours
  (untimed).
* ``throughput``: the same runs as objects per second.
* ``CPU time`` (information): the same runs in CPU seconds of this process
  (user + system), which other jobs on the machine disturb less than wall time; the
  export's second process (a dossier this large is exported by two) is not in it.
* ``rss``: peak resident set size (``VmHWM``) of a child process
  (``benchmarks/_mdto_rss_child.py``) exporting a 5,000-object dossier, and of
  another exporting the 10,000-object one, each plus the peak of the export's second
  process (both sizes use two). Flat: the 10,000 peak is at most 10 % above the
  5,000 peak.
"""

from __future__ import annotations

import cProfile
import datetime as dt
import hashlib
import json
import random
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks import (
    Config,
    Row,
    Workload,
    log,
    median,
    profile_summary,
    remove_tree,
    settle,
    sync_all,
    work_dir,
)

RATIO_TARGET = 2.0
RATE_TARGET = 2000.0  # objects per second
FLAT_TARGET = 0.10  # peak RSS at the big size at most 10 % above the small size's
OBJECTS = 10_000
OBJECTS_RSS_SMALL = 5_000  # large enough to be exported by two processes, as 10,000 are
QUICK_OBJECTS = 200
QUICK_OBJECTS_RSS_SMALL = 50
BASELINE = "plain lxml, same objects"

_LXML_VALIDATE = "<method 'validate' of 'lxml.etree._Validator' objects>"
PROFILE_POINTS: tuple[tuple[str, str, str], ...] = (
    ("export_mdto (total)", "export.py", "export_mdto"),
    ("  _objects (DB reads + mapping)", "export.py", "_objects"),
    ("    _bestanden (one query per chunk)", "export.py", "_bestanden"),
    ("    _events (one query per chunk)", "export.py", "_events"),
    ("    mapping.informatieobject", "mapping.py", "informatieobject"),
    ("    mapping.bestand", "mapping.py", "bestand"),
    ("  xmlio.to_element (build the tree)", "xmlio.py", "to_element"),
    ("  schema.validate_element (XSD)", "schema.py", "validate_element"),
    ("    XMLSchema.validate (libxml2)", "~", _LXML_VALIDATE),
    ("  rules.check", "rules.py", "check"),
    ("    rules: empty texts (generic walk)", "rules.py", "_empty_texts"),
    ("    rules: known_puids (per bestand)", "rules.py", "known_puids"),
    ("  xmlio.serialise (tostring)", "xmlio.py", "serialise"),
    ("  writing the files (_Folder.write)", "export.py", "write"),
    ("  events + audit transaction", "audit.py", "append"),
)


# ---------------------------------------------------------------- the dossier

KINDS = (
    # (suffix, mime, puid, size range)
    ("pdf", "application/pdf", "fmt/276", (40_000, 900_000)),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "fmt/412",
        (12_000, 200_000),
    ),
    ("jpg", "image/jpeg", "fmt/43", (80_000, 3_000_000)),
    ("txt", "text/plain", "x-fmt/111", (200, 20_000)),
)
SUBJECTS = (
    "Aanvraag omgevingsvergunning",
    "Advies welstandscommissie",
    "Besluit op bezwaar",
    "Ontvangstbevestiging",
    "Zienswijze omwonenden",
    "Verslag hoorzitting",
)


def shape(objects: int) -> tuple[int, int]:
    """(records, e-mails among them with an attachment) for a dossier of ``objects`` objects.

    Objects = 1 dossier + one record and one bestand per record + one more bestand
    per e-mail: about one record in a hundred is an e-mail (the parity of the
    total decides the exact number).
    """
    mails = max(1, objects // 100)
    if (objects - 1 - mails) % 2:
        mails += 1
    records = (objects - 1 - mails) // 2
    if records < mails:
        raise ValueError(f"{objects} objects is too few for this dossier")
    return records, mails


def populate(ws: Any, title: str, objects: int, seed: int = 4) -> str:
    """A dossier of exactly ``objects`` MDTO objects in ``ws``; returns its kenmerk.

    The dossier comes from the real service (``create_dossier``: Creatie event,
    audit row), then gets the archival values an archivist sets (classificatie,
    informatiecategorie, waardering V with a bewaartermijn, activiteit, dekking).
    The records, bestanden, events and audit rows are inserted in bulk (Core
    ``INSERT``, one transaction) with the values ``services.filing`` writes, plus
    what the metadata editor adds: an omschrijving, a classificatie, dekking
    dates, a bewaartermijn on every third record, a Creatie or Ontvangst event
    before the Opname event. No content is stored: the export reads only rows.
    """
    from sqlalchemy import insert, update

    from recordsdesk import audit, names
    from recordsdesk.db.models import Bestand, Event, Informatieobject, table_of
    from recordsdesk.services.dossiers import create_dossier

    rng = random.Random(seed)
    dossier = create_dossier(ws, title, "Vergunningaanvraag, bezwaar en beroep.")
    records_n, mails = shape(objects)
    mail_every = records_n // mails
    base = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with ws.sessions() as session, session.begin():
        session.execute(
            update(table_of(Informatieobject))
            .where(table_of(Informatieobject).c.id == dossier.id)
            .values(
                classificatie="1.2.3 Omgevingsvergunning",
                informatiecategorie="Omgevingsvergunning verleend",
                waardering="V",
                bewaartermijn="P10Y",
                activiteit="Behandelen aanvraag omgevingsvergunning",
                dekking_begin=dt.date(2026, 3, 2),
                dekking_eind=dt.date(2026, 11, 27),
            )
        )
        kenmerken = ws.next_kenmerken(session, "S", records_n)
        records: list[dict[str, Any]] = []
        bestanden: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        entries: list[audit.Entry] = []
        for index, kenmerk in enumerate(kenmerken):
            now = base + dt.timedelta(minutes=index * 7)
            subject = SUBJECTS[index % len(SUBJECTS)]
            is_mail = index % mail_every == 0 and index // mail_every < mails
            suffix, mime, puid, (low, high) = (
                ("eml", "message/rfc822", "fmt/950", (3_000, 60_000))
                if is_mail
                else KINDS[index % len(KINDS)]
            )
            file_name = f"{subject} {index + 1:05d}.{suffix}"
            record_id = str(uuid.uuid4())
            day = now.date()
            records.append(
                {
                    "id": record_id,
                    "kenmerk": kenmerk,
                    "identificatie_bron": "RecordsDesk",
                    "aggregatieniveau": "Archiefstuk",
                    "parent_id": dossier.id,
                    "naam": names.title_from_name(file_name),
                    "omschrijving": f"{subject} voor het perceel Coolsingel {index % 300 + 1}, "
                    f"ontvangen van de aanvrager, behandeld door team Vergunningen.",
                    "dekking_begin": day,
                    "dekking_eind": day,
                    "classificatie": "1.2.3 Omgevingsvergunning",
                    "informatiecategorie": None,
                    "waardering": "V",
                    "bewaartermijn": "P10Y" if index % 3 == 0 else None,
                    "archiefactiedatum": None,
                    "archiefvormer": "Gemeente Rotterdam",
                    "activiteit": None,
                    "beperking_gebruik": "Nader te bepalen",
                    "status": "open",
                    "created_at": now,
                    "created_by": ws.actor,
                    "updated_at": now,
                    "version": 1,
                }
            )
            parts = [(file_name, mime, puid, rng.randint(low, high))]
            if is_mail:
                attachment = f"Bijlage {index + 1:05d}.pdf"
                parts.append(
                    (attachment, "application/pdf", "fmt/276", rng.randint(40_000, 400_000))
                )
            first_bestand = ""
            for name, part_mime, part_puid, size in parts:
                bestand_id = str(uuid.uuid4())
                first_bestand = first_bestand or bestand_id
                sha = hashlib.sha256(f"{record_id}/{name}".encode()).hexdigest()
                bestanden.append(
                    {
                        "id": bestand_id,
                        "informatieobject_id": record_id,
                        "sha256": sha,
                        "size": size,
                        "mime": part_mime,
                        "puid": part_puid,
                        "original_name": names.display_name(name),
                        "safe_name": names.safe_name(name),
                        "role": "original",
                        "derived_from_id": None,
                        "created_at": now,
                    }
                )
            earlier = now - dt.timedelta(days=1 + index % 5, hours=index % 7)
            events.append(
                {
                    "id": str(uuid.uuid4()),
                    "informatieobject_id": record_id,
                    "event_type": "Ontvangst" if index % 2 else "Creatie",
                    "event_tijd": earlier,
                    "verantwoordelijke_actor": "Team Vergunningen" if index % 2 else "Aanvrager",
                    "resultaat": None,
                }
            )
            events.append(
                {
                    "id": str(uuid.uuid4()),
                    "informatieobject_id": record_id,
                    "event_type": "Opname",
                    "event_tijd": now,
                    "verantwoordelijke_actor": ws.actor,
                    "resultaat": f"sha256:{bestanden[-len(parts)]['sha256']}",
                }
            )
            entries.append(
                audit.Entry(
                    at=now,
                    actor=ws.actor,
                    action="record.file",
                    object_type="informatieobject",
                    object_id=record_id,
                    details={
                        "kenmerk": kenmerk,
                        "dossier": dossier.kenmerk,
                        "bestand": first_bestand,
                        "name": file_name,
                    },
                )
            )
        session.execute(insert(table_of(Informatieobject)), records)
        session.execute(insert(table_of(Bestand)), bestanden)
        session.execute(insert(table_of(Event)), events)
        audit.append_many(session, entries)
    return str(dossier.kenmerk)


# ---------------------------------------------------------------- the baseline

M = "{https://www.nationaalarchief.nl/mdto}"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
LOCATION = (
    "https://www.nationaalarchief.nl/mdto https://www.nationaalarchief.nl/mdto/MDTO-XML1.0.1.xsd"
)


def _text(parent: Any, tag: str, value: object) -> None:
    from lxml import etree  # type: ignore[import-untyped]

    etree.SubElement(parent, M + tag).text = str(value)


def _identificatie(parent: Any, tag: str, ident: Any) -> None:
    from lxml import etree

    node = etree.SubElement(parent, M + tag)
    _text(node, "identificatieKenmerk", ident.kenmerk)
    _text(node, "identificatieBron", ident.bron)


def _verwijzing(parent: Any, tag: str, ref: Any) -> None:
    from lxml import etree

    node = etree.SubElement(parent, M + tag)
    _text(node, "verwijzingNaam", ref.naam)
    if ref.identificatie is not None:
        _identificatie(node, "verwijzingIdentificatie", ref.identificatie)


def _begrip(parent: Any, tag: str, begrip: Any) -> None:
    from lxml import etree

    node = etree.SubElement(parent, M + tag)
    _text(node, "begripLabel", begrip.label)
    if begrip.code is not None:
        _text(node, "begripCode", begrip.code)
    _verwijzing(node, "begripBegrippenlijst", begrip.begrippenlijst)


def plain_lxml(obj: Any) -> bytes:
    """``obj`` (an MDTO informatieobject or bestand as the export maps it) as file bytes,
    by straightforward lxml code written out for the fields the export fills."""
    from lxml import etree

    from recordsdesk.mdto import model

    root = etree.Element(M + "MDTO", nsmap={None: M[1:-1], "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", LOCATION)
    if isinstance(obj, model.Bestand):
        node = etree.SubElement(root, M + "bestand")
        for ident in obj.identificatie:
            _identificatie(node, "identificatie", ident)
        _text(node, "naam", obj.naam)
        _text(node, "omvang", obj.omvang)
        _begrip(node, "bestandsformaat", obj.bestandsformaat)
        for checksum in obj.checksum:
            sub = etree.SubElement(node, M + "checksum")
            _begrip(sub, "checksumAlgoritme", checksum.algoritme)
            _text(sub, "checksumWaarde", checksum.waarde)
            _text(sub, "checksumDatum", checksum.datum)
        _verwijzing(node, "isRepresentatieVan", obj.is_representatie_van)
    else:
        node = etree.SubElement(root, M + "informatieobject")
        for ident in obj.identificatie:
            _identificatie(node, "identificatie", ident)
        _text(node, "naam", obj.naam)
        _begrip(node, "aggregatieniveau", obj.aggregatieniveau)
        for begrip in obj.classificatie:
            _begrip(node, "classificatie", begrip)
        for text in obj.omschrijving:
            _text(node, "omschrijving", text)
        for dekking in obj.dekking_in_tijd:
            sub = etree.SubElement(node, M + "dekkingInTijd")
            _begrip(sub, "dekkingInTijdType", dekking.type)
            _text(sub, "dekkingInTijdBegindatum", dekking.begindatum)
            if dekking.einddatum is not None:
                _text(sub, "dekkingInTijdEinddatum", dekking.einddatum)
        for event in obj.event:
            sub = etree.SubElement(node, M + "event")
            _begrip(sub, "eventType", event.type)
            _text(sub, "eventTijd", event.tijd)
            if event.verantwoordelijke_actor is not None:
                _verwijzing(sub, "eventVerantwoordelijkeActor", event.verantwoordelijke_actor)
            if event.resultaat is not None:
                _text(sub, "eventResultaat", event.resultaat)
        _begrip(node, "waardering", obj.waardering)
        if obj.bewaartermijn is not None:
            sub = etree.SubElement(node, M + "bewaartermijn")
            _text(sub, "termijnLooptijd", obj.bewaartermijn.looptijd)
        if obj.informatiecategorie is not None:
            _begrip(node, "informatiecategorie", obj.informatiecategorie)
        for ref in obj.is_onderdeel_van:
            _verwijzing(node, "isOnderdeelVan", ref)
        for ref in obj.bevat_onderdeel:
            _verwijzing(node, "bevatOnderdeel", ref)
        for ref in obj.heeft_representatie:
            _verwijzing(node, "heeftRepresentatie", ref)
        for ref in obj.archiefvormer:
            _verwijzing(node, "archiefvormer", ref)
        if obj.activiteit is not None:
            _verwijzing(node, "activiteit", obj.activiteit)
        for beperking in obj.beperking_gebruik:
            sub = etree.SubElement(node, M + "beperkingGebruik")
            _begrip(sub, "beperkingGebruikType", beperking.type)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return data


def read_objects(ws: Any, kenmerk: str) -> list[tuple[str, Any]]:
    """(file name, MDTO object) of the dossier, read the way the export reads them."""
    from recordsdesk.services import export
    from recordsdesk.services.dossiers import find_by_kenmerk

    with ws.readers() as session:
        dossier_id = find_by_kenmerk(session, kenmerk, "Dossier").id
    return list(export.objects(ws, dossier_id))


def _clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(start: tuple[float, float]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) since ``start``."""
    wall, cpu = _clocks()
    return wall - start[0], cpu - start[1]


def baseline_once(objects: Sequence[tuple[str, Any]], out: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of writing ``objects`` with plain lxml into the new folder ``out``."""
    out.mkdir()
    start = _clocks()
    for name, obj in objects:
        (out / name).write_bytes(plain_lxml(obj))
    return _since(start)


def ours_once(
    ws: Any, kenmerk: str, out: Path, expected: int, profiler: cProfile.Profile | None = None
) -> tuple[float, float]:
    """(wall, CPU) seconds of one ``export_mdto`` of ``kenmerk`` into ``out``."""
    from recordsdesk.services.export import export_mdto

    if profiler is not None:
        profiler.enable()
    start = _clocks()
    report = export_mdto(ws, kenmerk, out)
    elapsed = _since(start)
    if profiler is not None:
        profiler.disable()
    if report.problems or report.objects != expected:  # a sanity check, not a timing assertion
        shown = [p.problem.english() for p in report.problems[:3]]
        raise RuntimeError(f"export wrote {report.objects} of {expected} objects; {shown}")
    return elapsed


def _same_bytes(ours: Path, baseline: Path) -> int:
    """Files in ``ours`` that differ from the baseline's (must be 0: same objects, same bytes)."""
    names = sorted(p.name for p in ours.iterdir())
    if names != sorted(p.name for p in baseline.iterdir()):
        raise RuntimeError("baseline and export wrote different file names")
    return sum((ours / n).read_bytes() != (baseline / n).read_bytes() for n in names)


# ---------------------------------------------------------------- cases


def _measure_speed(config: Config, work: Path, ws: Any, kenmerk: str, count: int) -> list[Row]:
    started = time.perf_counter()
    objects = read_objects(ws, kenmerk)
    log(
        config,
        f"read {len(objects)} objects for the baseline in {time.perf_counter() - started:.2f} s",
    )
    if len(objects) != count:
        raise RuntimeError(f"dossier holds {len(objects)} objects, expected {count}")
    runs = 1 if config.quick else config.runs_small
    ours: list[float] = []
    baselines: list[float] = []
    ours_cpu: list[float] = []
    baselines_cpu: list[float] = []
    # Output folders stay until the end: deleting 10,000 files would make the
    # next run pay for the freed inodes (see settle() in benchmarks/__init__.py).
    waited = 0.0 if config.quick else settle(config)
    outs: list[Path] = []

    def run_ours(index: int) -> None:
        out = work / f"out-ours-{index}"
        outs.append(out)
        sync_all()
        wall, cpu = ours_once(ws, kenmerk, out, count)
        ours.append(wall)
        ours_cpu.append(cpu)
        log(config, f"run {index + 1}/{runs}: ours {ours[-1]:.3f} s")

    def run_baseline(index: int) -> None:
        out = work / f"out-lxml-{index}"
        outs.append(out)
        sync_all()
        wall, cpu = baseline_once(objects, out)
        baselines.append(wall)
        baselines_cpu.append(cpu)
        log(config, f"run {index + 1}/{runs}: baseline {baselines[-1]:.3f} s")

    contenders: list[Callable[[int], None]] = [run_baseline, run_ours]
    for index in range(runs):
        order = contenders if index % 2 == 0 else contenders[::-1]
        for contender in order:
            contender(index)
    # Run 1's export read the same rows as the baseline's objects (later runs
    # carry one more Export event on the dossier per earlier export).
    differing = _same_bytes(work / "out-ours-0" / kenmerk, work / "out-lxml-0")
    if differing:
        raise RuntimeError(f"{differing} files of the baseline differ from the export's")
    notes = [
        f"mdto: one dossier, {count} objects ({shape(count)[0]} records, "
        f"{count - 1 - shape(count)[0]} bestanden); ours = export_mdto (DB reads, mapping, "
        "XSD + rules per object, one file each, rename); baseline = hand-written lxml over "
        "the same objects read beforehand (untimed), one file each, no validation; run 1 of "
        "both wrote byte-identical files; "
        f"median of {runs} runs each, alternating",
    ]
    if waited:
        notes.append(f"waited {waited:.0f} s before the first run (inode reuse window)")
    if config.profile:
        profiler = cProfile.Profile()
        out = work / "out-profile"
        outs.append(out)
        seconds, _cpu = ours_once(ws, kenmerk, out, count, profiler)
        notes.append(f"profile: one extra untimed export under cProfile took {seconds:.3f} s")
        notes.extend(profile_summary(profiler, PROFILE_POINTS, 44))
    for out in outs:
        remove_tree(out)
    ours_s, base_s = median(ours), median(baselines)
    return [
        Row(
            workload="mdto",
            case=f"{count} objects",
            unit="s",
            ours=ours_s,
            baseline=base_s,
            baseline_label=BASELINE,
            target=f"ratio <= {RATIO_TARGET:g}",
            met=ours_s / base_s <= RATIO_TARGET,
            runs_ours=ours,
            runs_baseline=baselines,
            notes=notes,
        ),
        Row(
            workload="mdto",
            case=f"{count} objects, throughput",
            unit="obj/s",
            ours=count / ours_s,
            baseline=count / base_s,
            baseline_label=BASELINE,
            target=f">= {RATE_TARGET:g} obj/s",
            met=count / ours_s >= RATE_TARGET,
            runs_ours=[count / s for s in ours],
            runs_baseline=[count / s for s in baselines],
        ),
        Row(
            workload="mdto",
            case=f"{count} objects, CPU time",
            unit="s",
            ours=median(ours_cpu),
            baseline=median(baselines_cpu),
            baseline_label=BASELINE,
            target="(info)",
            met=None,
            runs_ours=ours_cpu,
            runs_baseline=baselines_cpu,
            notes=[
                "mdto: CPU time = this process's user + system time over the same runs; less "
                "sensitive than wall time to other jobs on the machine (not to a slower CPU)"
            ],
        ),
    ]


def _rss_child(home: Path, kenmerk: str, out: Path) -> dict[str, Any]:
    sync_all()
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks._mdto_rss_child", str(home), kenmerk, str(out)],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout
    figures: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return figures


def _measure_rss(config: Config, work: Path, ws: Any, big: str, big_count: int) -> Row:
    small_count = QUICK_OBJECTS_RSS_SMALL if config.quick else OBJECTS_RSS_SMALL
    small = populate(ws, "Benchmark export klein", small_count, seed=5)
    home = ws.layout.root
    found = {}
    for label, kenmerk, count in (("small", small, small_count), ("big", big, big_count)):
        out = work / f"out-rss-{label}"
        found[label] = _rss_child(home, kenmerk, out)
        if found[label]["objects"] != count:
            raise RuntimeError(f"rss child exported {found[label]['objects']} of {count}")
        remove_tree(out)
    mb = 1e6
    # the export's two processes run at once: what it needs is the sum of their peaks
    peak_s = (found["small"]["peak"] + found["small"].get("worker_peak", 0)) / mb
    peak_b = (found["big"]["peak"] + found["big"].get("worker_peak", 0)) / mb
    worker_s = found["small"].get("worker_peak", 0) / mb
    worker_b = found["big"].get("worker_peak", 0) / mb
    open_s, open_b = found["small"]["after_open"] / mb, found["big"]["after_open"] / mb
    log(
        config, f"rss: {small_count} objects peak {peak_s:.1f} MB, {big_count} peak {peak_b:.1f} MB"
    )
    return Row(
        workload="mdto",
        case=f"rss {big_count} vs {small_count} objects",
        unit="MB",
        ours=peak_b,
        baseline=peak_s,
        baseline_label=f"peak exporting {small_count}",
        target=f"<= +{FLAT_TARGET:.0%}",
        met=peak_b <= peak_s * (1 + FLAT_TARGET),
        runs_ours=[peak_b],
        runs_baseline=[peak_s],
        notes=[
            f"rss: child after imports + open workspace + XSD loaded {open_s:.1f} MB "
            f"({open_b:.1f} MB); export of {small_count} objects adds {peak_s - open_s:+.1f} MB "
            f"(peak {peak_s:.1f} MB, {found['small']['seconds']:.2f} s), of {big_count} "
            f"objects {peak_b - open_b:+.1f} MB (peak {peak_b:.1f} MB, "
            f"{found['big']['seconds']:.2f} s); peaks include the export's second process "
            f"({worker_s:.1f} MB and {worker_b:.1f} MB); flat means peak({big_count}) <= "
            f"peak({small_count}) + {FLAT_TARGET:.0%}",
        ],
    )


def run(config: Config) -> list[Row]:
    from recordsdesk.services.workspace import open_workspace

    count = QUICK_OBJECTS if config.quick else OBJECTS
    with work_dir(config, "mdto") as work:
        log(config, f"work dir {work}")
        ws = open_workspace(work / "home")
        try:
            started = time.perf_counter()
            kenmerk = populate(ws, "Benchmark export Coolsingel 40", count)
            log(
                config,
                f"dossier {kenmerk} of {count} objects in {time.perf_counter() - started:.2f} s",
            )
            # warm-up (untimed): imports, the XSD, the begrippen lists, TOOI
            # (its files are removed with the others at the end: see _measure_speed)
            ours_once(ws, kenmerk, work / "out-warm-up", count)
            rows = _measure_speed(config, work, ws, kenmerk, count)
            remove_tree(work / "out-warm-up")
            rows.append(_measure_rss(config, work, ws, kenmerk, count))
        finally:
            ws.close()
    return rows


WORKLOAD = Workload(
    name="mdto",
    description="export mdto of a 10,000-object dossier (XSD + rules) vs plain lxml",
    run=run,
)
