"""Streaming: filing a large file keeps memory flat.

Measured in a child process: its resident set just before filing (after a
warm-up that loads every library) against its peak resident set while filing
a 300 MB file. A memory bound, not a timing assertion.

Two kinds of content, because format identification reacts to content: one
with random blocks throughout, one with long runs of zeros (like a PDF with
large blank regions, a silent WAV or a disk image). ``store`` measures the
object store alone, ``service`` the whole filing (store, identification,
database).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.samples import MiB, sparse_file


def zero_run_file(path: Path, size: int) -> Path:
    """A PDF header, long runs of zeros (sparse), a trailer: a file with large blank regions."""
    with path.open("wb") as handle:
        handle.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        handle.truncate(size)
        handle.seek(size // 2)
        handle.write(b"% middle\n")
        handle.seek(size - 6)
        handle.write(b"%%EOF\n")
    return path


CONTENT = {"random-blocks": sparse_file, "zero-runs": zero_run_file}

SIZE = 300 * MiB
LIMIT = 100 * MiB

CHILD = r"""
import json, resource, sys
from pathlib import Path

def kib(key):
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise SystemExit("no " + key)

def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")  # resets VmHWM to the current RSS
        return True
    except OSError:
        return False

mode, home, big, small = sys.argv[1:5]
if mode == "store":
    from recordsdesk.store import ObjectStore
    store = ObjectStore(Path(home) / "objects")
    store.put(Path(small))
    run = lambda: store.put(Path(big))
else:
    from recordsdesk.services import create_dossier, file_paths, open_workspace
    ws = open_workspace(Path(home))
    kenmerk = create_dossier(ws, "Groot bestand").kenmerk
    file_paths(ws, kenmerk, [Path(small)])  # warm-up: libmagic, siegfried signatures
    run = lambda: file_paths(ws, kenmerk, [Path(big)])

before = kib("VmRSS")
exact = reset_peak()
run()
peak = kib("VmHWM") if exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"before_kib": before, "peak_kib": peak, "exact": exact}))
"""


@pytest.mark.slow
@pytest.mark.parametrize("content", sorted(CONTENT))
@pytest.mark.parametrize("mode", ["store", "service"])
def test_filing_a_300_mb_file_keeps_peak_memory_growth_under_100_mb(
    tmp_path: Path, mode: str, content: str
) -> None:
    big = CONTENT[content](tmp_path / "groot.pdf", SIZE)
    small = tmp_path / "klein.txt"
    small.write_text("opwarmen\n")
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(tmp_path / "home"), str(big), str(small)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    growth = (figures["peak_kib"] - figures["before_kib"]) * 1024
    assert growth < LIMIT, (
        f"peak RSS grew by {growth / MiB:.0f} MB while filing {SIZE // MiB} MB ({figures})"
    )
