"""Many inbox items quickly: rows written straight into a throwaway working store.

Real intake takes about 4 ms a file (format identification), so 5,000 items for
a UI test or a screenshot are inserted as ``InboxItem`` rows instead: realistic
names, sizes and formats, mostly ``ready``, some ``duplicate`` and some
``quarantined`` with the reasons intake gives. No files exist for them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from pathlib import Path

from recordsdesk.db.models import InboxItem
from recordsdesk.services import Workspace

SUBJECTS = (
    "Aanvraag omgevingsvergunning Coolsingel {n}",
    "Bezwaarschrift parkeervergunning Blijdorp {n}",
    "Zienswijze bestemmingsplan Kralingen-Oost {n}",
    "Factuur straatverlichting Hoogvliet {n}",
    "Scan melding openbare ruimte {n}",
    "Besluit subsidie buurthuis De Esch {n}",
    "Situatietekening Witte de Withstraat {n}",
    "E-mail wijkraad Delfshaven over groenonderhoud {n}",
    "Verslag overleg Stadsontwikkeling week {n}",
    "Machtiging evenementenvergunning Koningsdag {n}",
)
FORMATS = (
    (".pdf", "application/pdf", "fmt/276"),
    (".pdf", "application/pdf", "fmt/354"),
    (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "fmt/412"),
    (".png", "image/png", "fmt/13"),
    (".txt", "text/plain", "x-fmt/111"),
    (".eml", "message/rfc822", "fmt/278"),
)
PASSWORD = (
    "The PDF is protected with a password, so it cannot be read or archived. "
    "Ask the sender for a copy without a password."
)
DAMAGED = (
    "The PDF is damaged and cannot be read. The original is kept; ask the sender for a new copy."
)
SAME = "{name} has the same content as {other}."


def add_items(ws: Workspace, folder: Path, count: int, start: int = 0) -> list[str]:
    """Insert ``count`` inbox items "from" ``folder``; returns their ids in order."""
    now = ws.clock()
    ids: list[str] = []
    rows: list[InboxItem] = []
    for n in range(start, start + count):
        ext, mime, puid = FORMATS[n % len(FORMATS)]
        name = SUBJECTS[n % len(SUBJECTS)].format(n=1000 + n) + ext
        state, reason, params = "ready", None, None
        if n % 20 == 7:
            state, reason = "duplicate", SAME
            other = SUBJECTS[(n - 1) % len(SUBJECTS)].format(n=999 + n) + ext
            params = json.dumps({"name": name, "other": other})
        elif n % 25 == 11 and ext == ".pdf":
            state, reason = "quarantined", PASSWORD if n % 2 else DAMAGED
            params = "{}"
        item_id = str(uuid.uuid4())
        ids.append(item_id)
        at = now + dt.timedelta(milliseconds=n)
        rows.append(
            InboxItem(
                id=item_id,
                drop_folder_id=None,
                source_path=str(folder / name),
                source_name=name,
                source_size=2_000 + (n * 7919) % 3_000_000,
                source_mtime_ns=n,
                source_inode=n,
                state=state,
                reason=reason,
                reason_params=params,
                sha256=hashlib.sha256(name.encode()).hexdigest(),
                mime=mime,
                puid=puid,
                attempts=1,
                created_at=at,
                updated_at=at,
            )
        )
    with ws.sessions() as session, session.begin():
        session.add_all(rows)
    return ids
