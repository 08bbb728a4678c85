"""``python -m recordsdesk``: no display, --smoke-test, arguments (real subprocesses)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from recordsdesk.services import list_dossiers, open_workspace, show_dossier

REPO = Path(__file__).resolve().parents[2]


def run_app(
    args: list[str], env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "recordsdesk", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def headless_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    for var in ("RECORDSDESK_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        env.pop(var, None)
    env.update(extra)
    return env


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display check is for Linux")
def test_without_a_display_it_explains_and_returns_2(tmp_path: Path) -> None:
    done = run_app(["--home", str(tmp_path / "home")], headless_env())
    assert done.returncode == 2, done.stderr
    assert "geen beeldscherm" in done.stderr
    assert "xvfb-run -a make run" in done.stderr
    assert "QT_QPA_PLATFORM=offscreen" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "home").exists()  # nothing was touched


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display check is for Linux")
def test_without_a_display_in_english(tmp_path: Path) -> None:
    done = run_app(["--lang", "en", "--home", str(tmp_path / "home")], headless_env())
    assert done.returncode == 2
    assert "there is no screen" in done.stderr
    assert "xvfb-run -a make run" in done.stderr


def test_smoke_test_files_one_document_and_exits_0(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = headless_env(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    done = run_app(["--home", str(home), "--smoke-test"], env)
    assert done.returncode == 0, done.stderr
    assert "smoke test: OK (filed S-" in done.stdout
    assert "1 object(s) verified by SHA-256" in done.stdout
    # the workspace was really opened and the document really filed
    ws = open_workspace(home)
    try:
        (dossier,) = list_dossiers(ws)
        assert dossier.title == "Rooktest RecordsDesk"
        (record,) = show_dossier(ws, dossier.kenmerk).records
        assert record.title == "rooktest"
    finally:
        ws.close()


def test_smoke_test_fails_when_the_data_folder_cannot_be_used(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    env = headless_env(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    done = run_app(["--home", str(blocker / "home"), "--smoke-test"], env)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "FAILED" in done.stderr


def test_the_smoke_test_refuses_to_run_on_the_users_own_data_folder(tmp_path: Path) -> None:
    env = headless_env(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
                       RECORDSDESK_HOME=str(tmp_path / "real"))  # fmt: skip
    done = run_app(["--smoke-test"], env)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "--smoke-test heeft --home MAP nodig" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "real").exists()  # nothing was touched


def test_bad_arguments_exit_2(tmp_path: Path) -> None:
    env = headless_env(QT_QPA_PLATFORM="offscreen")
    done = run_app(["--lang", "fr"], env)
    assert done.returncode == 2
    assert "--lang" in done.stderr
