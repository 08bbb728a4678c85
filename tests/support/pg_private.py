"""A PostgreSQL cluster of one test's own, for tests that stop or restart the server.

The suite shares one throwaway cluster (scripts/pg-test-cluster.sh) among test
processes running side by side (pytest-xdist); restarting that one would cut the
connections of every other test. :func:`private_cluster` makes a cluster in a temp
dir, as the script does (same binaries, superuser "postgres", trust, durability
off), starts it on a free port and yields its URL; it is stopped and removed
afterwards. As root the server tools run as the "postgres" user.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BINDIRS = ("/usr/lib/postgresql/15/bin",)


def _bindir() -> Path:
    for candidate in (os.environ.get("PG_BINDIR", ""), *BINDIRS):
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    raise RuntimeError("PostgreSQL 15 server binaries not found (make sysdeps-test)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def private_cluster() -> Iterator[tuple[str, Path]]:
    """(SQLAlchemy URL of its database ``postgres``, data directory) of a fresh cluster."""
    bindir = _bindir()
    as_root = os.getuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    root = Path(tempfile.mkdtemp(prefix="rd-pg-own-", dir="/tmp"))  # postgres can reach it
    data = root / "data"
    if as_root:
        shutil.chown(root, "postgres")
    quiet = {"cwd": root, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    started = False
    try:
        subprocess.run(
            [*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
             "-E", "UTF8", "--locale=C.UTF-8", "-T", "dutch"],
            check=True, **quiet,
        )  # fmt: skip
        port = _free_port()
        with (data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(
                f"\nlisten_addresses = '127.0.0.1'\nport = {port}\n"
                f"unix_socket_directories = '{root}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
            )
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"),
             "-w", "-t", "60", "start"],
            check=True, **quiet,
        )  # fmt: skip
        started = True
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", data
    finally:
        if started:
            subprocess.run(
                [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w",
                 "stop"],
                check=False, **quiet,
            )  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)
