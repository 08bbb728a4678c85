"""Running the real ``recordsdesk`` command line in a subprocess."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from recordsdesk.services import create_dossier, open_workspace

LANGUAGE_VARIABLES = ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "RECORDSDESK_LANG")


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.strip("\n").splitlines()


def run_cli(
    args: Sequence[str | bytes | Path],
    *,
    env: Mapping[str, str] | None = None,
    prefix: Sequence[str] = (),
    max_file_size: int | None = None,
) -> Run:
    """``python -m recordsdesk.cli ARGS`` with a neutral locale (so Dutch, the default).

    ``max_file_size`` makes a full disk real: the child may write no file larger than
    that (RLIMIT_FSIZE; a write past it fails with EFBIG instead of killing the child).
    """
    environment = {k: v for k, v in os.environ.items() if k not in LANGUAGE_VARIABLES}
    environment["LANG"] = "C.UTF-8"
    environment.update(env or {})
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "recordsdesk.cli", *args],
        capture_output=True,
        env=environment,
        timeout=300,
        check=False,
        preexec_fn=_file_size_limit(max_file_size) if max_file_size is not None else None,
    )
    return Run(
        done.returncode,
        done.stdout.decode("utf-8", errors="backslashreplace"),
        done.stderr.decode("utf-8", errors="backslashreplace"),
    )


def _file_size_limit(size: int) -> Callable[[], None]:
    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


@pytest.fixture
def cli(home: Path) -> Callable[..., Run]:
    """Run the CLI with ``RECORDSDESK_HOME`` pointing at the test's ``home``."""

    def run(*args: str | bytes | Path, **kwargs: object) -> Run:
        env = dict(kwargs.pop("env", None) or {})  # type: ignore[call-overload]
        env.setdefault("RECORDSDESK_HOME", str(home))
        return run_cli(args, env=env, **kwargs)  # type: ignore[arg-type]

    return run


@pytest.fixture
def dossier(home: Path) -> str:
    """A dossier made through the services (setup, not the subject of the test)."""
    ws = open_workspace(home)
    try:
        return create_dossier(ws, "Omgevingsvergunning Coolsingel 40").kenmerk
    finally:
        ws.close()


@pytest.fixture
def src(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    return folder
