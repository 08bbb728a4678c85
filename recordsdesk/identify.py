"""File format identification: IANA MIME type (libmagic) and PRONOM PUID (siegfried).

Identification reads the stored object, i.e. the bytes we keep, not the source
that may change after filing. Siegfried also weighs the file extension, so the
object is looked at through a temporary hard link carrying the original suffix.

Memory and time stay bounded: siegfried buffers a whole file while it scans
long runs of zeros (300 MB of RSS for a 300 MB disk image) and holds Python's
global lock for the whole scan, so a file larger than
:data:`SAMPLE_THRESHOLD` is identified from a sample of its first
:data:`SAMPLE_HEAD` and last :data:`SAMPLE_TAIL` bytes. PRONOM signatures sit
at the beginning or the end of a file, so the answer is the same in practice.
Containers (ZIP: DOCX, XLSX, ODF …; OLE2: DOC, MSG …) are the exception:
siegfried reads their directory at its true offset, which a sample breaks (a
large DOCX would become plain ZIP), and their content does not trigger the
whole-file scan, so they are always identified whole.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)
# siegfried holds the GIL while it scans (about 5 ms per MiB of PDF here), so the
# sample also keeps any thread, the GUI's included, from stalling past ~50 ms.
SAMPLE_THRESHOLD = 16 * 1024 * 1024
SAMPLE_HEAD = 8 * 1024 * 1024
SAMPLE_TAIL = 2 * 1024 * 1024
CONTAINER_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
FILE_COMMAND_FROM = 32  # files per batch from which starting ``file`` pays (about 3 ms)
_MIME_LINE = re.compile(r"[a-z0-9][\w.+-]*/[\w.+-]+", re.ASCII)
_local = threading.local()


@dataclass(frozen=True)
class FormatInfo:
    mime: str
    puid: str | None


def _magic() -> object:
    # libmagic handles are not thread-safe: one per thread.
    handle = getattr(_local, "magic", None)
    if handle is None:
        import magic

        handle = magic.Magic(mime=True)
        _local.magic = handle
    return handle


def mime_type(path: Path) -> str:
    try:
        result = _magic().from_file(str(path))  # type: ignore[attr-defined]
    except Exception:  # libmagic raises its own error types for odd files
        log.warning("libmagic could not identify %s", path, exc_info=True)
        return "application/octet-stream"
    return str(result) if result else "application/octet-stream"


def pronom_puid(path: Path) -> str | None:
    try:
        import pygfried
    except ImportError:  # optional on platforms without a wheel
        return None
    try:
        puid = str(pygfried.identify(str(path)))
    except Exception:
        log.warning("siegfried could not identify %s", path, exc_info=True)
        return None
    return None if puid.upper() == "UNKNOWN" or not puid else puid


def identify(
    object_path: Path, original_name: str, scratch_path: Callable[[str], Path]
) -> FormatInfo:
    """Identify the object at ``object_path`` as if it were called ``original_name``.

    ``scratch_path(suffix)`` names a temp file the caller owns and removes.
    """
    target = _look_alike(object_path, original_name, scratch_path(_safe_suffix(original_name)))
    try:
        return FormatInfo(mime=mime_type(target), puid=pronom_puid(target))
    finally:
        if target != object_path:
            with contextlib.suppress(FileNotFoundError):
                target.unlink()


def identify_many(
    items: Sequence[tuple[Path, str, Callable[[str], Path]]], workers: int = 2
) -> list[FormatInfo]:
    """Identify many objects at once: ``(object_path, original_name, scratch_path)`` each.

    Same answers as :func:`identify`, cheaper per file: siegfried scans the
    whole list in one call with ``workers`` Go workers. ``scratch_path(suffix)``
    names the item's look-alike link, a temp path the caller owns.
    """
    if not items:
        return []
    targets = [_look_alike(obj, name, scratch(_safe_suffix(name))) for obj, name, scratch in items]
    try:
        # libmagic and siegfried are most of the cost, and siegfried holds Python's
        # lock for its whole call, so no thread can run libmagic beside it. The
        # ``file`` program can: same libmagic, its own process (see file_command).
        helper = _start_file_command(targets)
        puids = _pronom_puids(targets, workers)
        mimes = _file_command_result(helper, targets)
    finally:
        for target, (obj, _name, _scratch) in zip(targets, items, strict=True):
            if target != obj:
                with contextlib.suppress(FileNotFoundError):
                    target.unlink()
    return [FormatInfo(mime, puid) for mime, puid in zip(mimes, puids, strict=True)]


def file_command() -> str | None:
    """The ``file`` program, if it uses the same libmagic as this process; else None.

    Batches of :data:`FILE_COMMAND_FROM` files or more are identified with it
    (one process per batch, beside siegfried); answers are the same because the
    library, its version and its default database are. Where ``file`` is missing
    (Windows) or is another version (macOS ships its own), libmagic runs here.
    ``RECORDSDESK_MIME_IN_PROCESS=1`` turns it off.
    """
    if os.environ.get("RECORDSDESK_MIME_IN_PROCESS") == "1":
        return None
    return _checked_file_command()


@functools.lru_cache(maxsize=1)
def _checked_file_command() -> str | None:
    program = shutil.which("file")
    if program is None:
        return None
    try:
        import magic

        ours = int(magic.version())  # type: ignore[no-untyped-call]  # 544 for 5.44
        shown = subprocess.run(
            [program, "--version"], capture_output=True, text=True, timeout=10, check=True
        ).stdout
    except Exception:  # no magic_version in this libmagic, a broken program
        log.info("file program not used for identification", exc_info=True)
        return None
    found = re.match(r"file-(\d+)\.(\d+)", shown)
    if found is None or int(found[1]) * 100 + int(found[2]) != ours:
        log.info("file program not used: %r against libmagic %s", shown[:40], ours)
        return None
    return program


def _start_file_command(targets: Sequence[Path]) -> subprocess.Popen[bytes] | None:
    program = file_command() if len(targets) >= FILE_COMMAND_FROM else None
    if program is None:
        return None
    try:
        return subprocess.Popen(
            [program, "--brief", "--mime-type", "--", *map(str, targets)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
        )
    except OSError:
        log.warning("file program could not start; libmagic runs here", exc_info=True)
        return None


def _file_command_result(
    helper: subprocess.Popen[bytes] | None, targets: Sequence[Path]
) -> list[str]:
    """One MIME type per target: the helper's lines, or libmagic here for any it could
    not answer (it failed, or a line is not a MIME type, e.g. an error message)."""
    lines: list[str] = []
    if helper is not None:
        try:
            output, _ = helper.communicate(timeout=60 + len(targets))
            lines = output.decode("utf-8", "replace").splitlines()
        except subprocess.TimeoutExpired:
            helper.kill()
            helper.communicate()
    if len(lines) != len(targets):
        lines = [""] * len(targets)
    return [
        line if _MIME_LINE.fullmatch(line) else mime_type(target)
        for line, target in zip(lines, targets, strict=True)
    ]


def _safe_suffix(original_name: str) -> str:
    suffix = Path(original_name).suffix
    if len(suffix) > 16 or any(c in suffix for c in "/\\\x00"):
        return ""
    return suffix


def _look_alike(object_path: Path, original_name: str, target: Path) -> Path:
    """A link (or bounded sample) of the object carrying the original suffix."""
    try:
        size = object_path.stat().st_size
        if size > SAMPLE_THRESHOLD and not _is_container(object_path):
            _write_sample(object_path, target, size)
        else:
            os.link(object_path, target)
    except OSError:  # no hard links here: identify without the suffix
        return object_path
    return target


def _pronom_puids(paths: Sequence[Path], workers: int) -> list[str | None]:
    try:
        import pygfried
    except ImportError:  # optional on platforms without a wheel
        return [None] * len(paths)
    try:
        report = pygfried.identify_many([str(p) for p in paths], workers=max(1, workers))
    except Exception:
        log.warning("siegfried could not identify a batch; one by one", exc_info=True)
        return [pronom_puid(p) for p in paths]
    found: dict[str, str | None] = {}
    for entry in report.get("files", []):
        matches = entry.get("matches") or []
        puid = str(matches[0].get("id", "")) if matches else ""
        found[str(entry.get("filename"))] = None if not puid or puid.upper() == "UNKNOWN" else puid
    return [found.get(str(p)) for p in paths]


def _is_container(path: Path) -> bool:
    with path.open("rb") as reader:
        return reader.read(8).startswith(CONTAINER_MAGIC)


def _write_sample(source: Path, target: Path, size: int) -> None:
    with source.open("rb") as reader, target.open("xb") as writer:
        writer.write(reader.read(SAMPLE_HEAD))
        reader.seek(size - SAMPLE_TAIL)
        writer.write(reader.read(SAMPLE_TAIL))
