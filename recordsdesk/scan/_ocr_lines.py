"""One line to the OCR worker's parent, written so that lines never interleave.

The worker's main process reports progress while ocrmypdf's page workers report
confidences, all on the one stderr pipe. ``print`` may hand a line to the pipe in
several writes, and two processes' pieces then mix ("RDPROGRESS 1 2RDCONFIDENCE
…"). A single ``write`` of at most ``PIPE_BUF`` bytes (4096 on Linux, 512 by
POSIX) to a pipe is atomic, so each line goes out in exactly one.
"""

from __future__ import annotations

import contextlib
import os
import sys

#: POSIX guarantees atomic pipe writes up to this many bytes.
ATOMIC_BYTES = 512


def emit_line(text: str) -> None:
    """Write ``text`` and a newline to stderr in one system call (lines longer than
    ATOMIC_BYTES are cut; ours are a few dozen bytes)."""
    data = (text.replace("\n", " ")[: ATOMIC_BYTES - 1] + "\n").encode("utf-8", "replace")
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.flush()  # whatever print left buffered goes first, in order
    with contextlib.suppress(OSError):  # the parent is gone; no one is left to tell
        os.write(2, data)
