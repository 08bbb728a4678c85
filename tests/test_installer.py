"""installer/: the files a build and a distribution rely on agree with the code.

The bundle itself is built and smoke-tested by `make dist` (CI runs it); these
checks are the quick ones that catch a stale version, a renamed entry point or
a worker module the frozen launcher would not start.
"""

from __future__ import annotations

import ast
import configparser
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from lxml import etree

from recordsdesk import __version__

REPO = Path(__file__).resolve().parents[1]
INSTALLER = REPO / "installer"
APP_ID = "nl.rotterdam.RecordsDesk"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(INSTALLER / "linux" / f"{APP_ID}.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def metainfo() -> etree._Element:
    safe = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.parse(INSTALLER / "linux" / f"{APP_ID}.metainfo.xml", safe).getroot()


def test_the_desktop_entry_starts_an_installed_gui_script_with_our_icon() -> None:
    entry = desktop_entry()
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["gui-scripts"]
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] in scripts
    assert entry["Icon"] == APP_ID
    assert entry["Name"] == "RecordsDesk"
    assert entry["Comment[nl]"] and entry["GenericName[nl]"]  # Dutch first


def test_the_metainfo_names_this_version_and_the_desktop_entry() -> None:
    root = metainfo()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.findtext("icon") == APP_ID
    releases = [r.get("version") for r in root.iter("release")]
    assert releases and releases[0] == __version__, "add a <release> for the new version"
    assert {s.get("{http://www.w3.org/XML/1998/namespace}lang") for s in root.iter("summary")} == {
        None,
        "nl",
    }


def test_the_icons_exist_in_every_format_the_builds_use() -> None:
    icons = REPO / "resources" / "icons"
    assert (icons / "recordsdesk.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (icons / "recordsdesk.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (icons / "SOURCE.md").is_file()


def test_the_windows_installer_takes_its_version_from_the_package_and_installs_per_machine() -> (
    None
):
    script = (INSTALLER / "windows" / "recordsdesk.iss").read_text(encoding="utf-8")
    assert "AppVersion={#AppVersion}" in script
    assert not re.search(r"#define\s+AppVersion", script), "the version must come from /D"
    assert "PrivilegesRequired=admin" in script
    assert "DefaultDirName={autopf}" in script
    assert re.search(r"^AppId=\{\{[0-9A-F-]{36}\}$", script, re.M)
    build = (INSTALLER / "windows" / "build.ps1").read_text(encoding="utf-8")
    assert "recordsdesk.__version__" in build and "/DAppVersion=" in build
    assert "--smoke-test" in build


def _worker_modules_started_by_the_app() -> set[str]:
    """Every module the app starts as ``sys.executable -m MODULE`` (found in the source)."""
    started: set[str] = set()
    for path in (REPO / "recordsdesk").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.List) and len(node.elts) >= 3:
                first, flag, module = node.elts[:3]
                if (
                    ast.unparse(first) == "sys.executable"
                    and isinstance(flag, ast.Constant)
                    and flag.value == "-m"
                    and isinstance(module, ast.Constant)
                ):
                    started.add(str(module.value))
            # a worker started through WorkerProcess(MODULE, ...) or named by a class's
            # ``module = "recordsdesk...."`` (a test may swap it)
            named: ast.expr | None = None
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "WorkerProcess":
                named = node.args[0] if node.args else None
            elif isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "module":
                named = node.value
            if isinstance(named, ast.Constant) and str(named.value).startswith("recordsdesk."):
                started.add(str(named.value))
    # every worker module that can run by itself
    for path in (REPO / "recordsdesk" / "workers").glob("*.py"):
        if 'if __name__ == "__main__":' in path.read_text(encoding="utf-8"):
            started.add(f"recordsdesk.workers.{path.stem}")
    return started


def test_the_frozen_launcher_starts_every_worker_the_app_starts() -> None:
    started = _worker_modules_started_by_the_app()
    # the search itself works: each way of starting a worker is found
    assert {
        "recordsdesk.scan._ocr_worker",
        "recordsdesk.workers.watch",
        "recordsdesk.workers.sync",
        "recordsdesk.workers.reader",
    } <= started
    tree = ast.parse((INSTALLER / "pyinstaller" / "launch.py").read_text(encoding="utf-8"))
    (allowed,) = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "WORKER_MODULES"
    ]
    assert started <= set(ast.literal_eval(ast.unparse(allowed.args[0])))  # type: ignore[attr-defined]


def test_the_launcher_runs_a_worker_module_and_not_the_window(tmp_path: Path) -> None:
    # a worker whose named parent is not its parent exits 6 at once: proof that the
    # launcher ran the worker module (the window would have exited 2: no display)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    env["RECORDSDESK_OCR_PARENT"] = "1"
    done = subprocess.run(
        [sys.executable, str(INSTALLER / "pyinstaller" / "launch.py"), "-m",
         "recordsdesk.scan._ocr_worker", "{}"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 6, done.stderr


def test_the_launcher_refuses_to_run_other_modules_and_starts_the_window(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    done = subprocess.run(
        [sys.executable, str(INSTALLER / "pyinstaller" / "launch.py"), "-m", "http.server"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    # the window's own argument check, not a web server
    assert done.returncode == 2, done.stderr
    assert "Serving HTTP" not in done.stdout


def test_the_spec_bundles_resources_migrations_and_every_own_module() -> None:
    spec = (INSTALLER / "pyinstaller" / "recordsdesk.spec").read_text(encoding="utf-8")
    assert '"recordsdesk/_resources"' in spec  # where recordsdesk.resources looks first
    assert '"recordsdesk/db/migrations"' in spec  # alembic reads them from disk
    assert 'collect_submodules("recordsdesk"' in spec
    assert "launch.py" in spec
