"""The OCR worker process: ``python -m recordsdesk.scan._ocr_worker OPTIONS_JSON``.

Runs ocrmypdf once, on its own (it starts its own processes for the pages),
so the app's processes never load Tesseract or Ghostscript. The parent reads
progress lines from stderr and the outcome from the exit code: 0 done, 3 the
input is encrypted, 4 a tool is missing (its name on stderr as
``RDMISSING <name>``), 5 the input cannot be read, 6 the parent was gone
before the worker began (no one is left to read the outcome), 1 anything else
(the ocrmypdf message on stderr).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_OTHER, EXIT_ENCRYPTED, EXIT_MISSING, EXIT_INPUT = 0, 1, 3, 4, 5
EXIT_ORPHANED = 6
#: The environment variable in which the parent names its process id.
PARENT_VARIABLE = "RECORDSDESK_OCR_PARENT"


def _die_with_parent() -> bool:
    """On Linux, be killed when the process that started us dies (a crash of the app
    must not leave OCR running on for minutes); elsewhere the parent's cancel does it.

    Returns False when the parent is already gone: it may die between starting us
    and our asking to be killed with it, and then no signal will ever come.
    """
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    parent = os.environ.get(PARENT_VARIABLE, "")
    return not parent.isdigit() or os.getppid() == int(parent)


def main(argv: list[str]) -> int:
    if not _die_with_parent():
        return EXIT_ORPHANED
    import ocrmypdf
    from ocrmypdf import exceptions

    options = json.loads(argv[0])
    try:
        ocrmypdf.ocr(
            Path(options["input"]),
            Path(options["output"]),
            language=options["languages"],
            output_type="pdfa-2",
            pdfa_backend=options["pdfa_backend"],
            rasterizer="pypdfium",  # not Ghostscript: it is not needed at all
            skip_text=True,  # pages that have text already are not OCR'd again
            rotate_pages=options["rotate"],
            deskew=options["deskew"],
            jobs=options["jobs"],
            progress_bar=True,
            plugins=["recordsdesk.scan._ocr_progress", "recordsdesk.scan._ocr_confidence"],
        )
    except exceptions.EncryptedPdfError:
        return EXIT_ENCRYPTED
    except exceptions.MissingDependencyError as error:
        print(f"RDMISSING {error}", file=sys.stderr, flush=True)
        return EXIT_MISSING
    except exceptions.InputFileError as error:
        print(str(error), file=sys.stderr, flush=True)
        return EXIT_INPUT
    except exceptions.ExitCodeException as error:
        print(f"{type(error).__name__}: {error}", file=sys.stderr, flush=True)
        return EXIT_OTHER
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
