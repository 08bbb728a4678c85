"""The CLI loads only the command it runs, and that changes nothing it offers."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from recordsdesk import cli


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    [group] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(group.choices)


def _tree(parser: argparse.ArgumentParser) -> list[str]:
    """Every option and verb of ``parser``, nested, in order."""
    lines: list[str] = []
    for action in parser._actions:
        lines.append(f"{type(action).__name__} {action.dest} {action.option_strings}")
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                lines += [f"{name}: {line}" for line in _tree(sub)]
    return lines


def test_the_table_names_the_module_that_adds_and_runs_each_command() -> None:
    full = _commands(cli.build_parser())
    assert list(full) == list(cli.COMMAND_MODULES)  # the order of --help is the table's
    for name in set(cli.COMMAND_MODULES.values()):
        module = importlib.import_module(f"recordsdesk.{name}")
        # what the module says it runs (its *_COMMANDS; the dossier verbs are not top-level)
        declared = {command for key, value in vars(module).items()
                    if key.endswith("_COMMANDS") and key != "DOSSIER_COMMANDS"
                    for command in value}  # fmt: skip
        tabled = {c for c, m in cli.COMMAND_MODULES.items() if m == name}
        assert declared == tabled, name


@pytest.mark.parametrize("command", list(cli.COMMAND_MODULES))
def test_a_parser_for_one_command_offers_exactly_what_the_full_one_does(command: str) -> None:
    alone = _commands(cli.build_parser(command))
    assert set(alone) == {c for c, m in cli.COMMAND_MODULES.items()
                          if m == cli.COMMAND_MODULES[command]}  # fmt: skip
    assert _tree(alone[command]) == _tree(_commands(cli.build_parser())[command])


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["dossier", "list"], "dossier"),
        (["--home", "/x/dossier", "--lang", "en", "woo", "list"], "woo"),
        (["--home=/x", "--central", "hold", "list"], "hold"),
        (["--help"], None),
        (["--lang", "en"], None),
        ([], None),
    ],
)
def test_the_command_is_found_past_the_global_options(argv: list[str], command: str) -> None:
    assert cli.command_in(argv) == command


def test_a_run_imports_its_own_command_module_only(tmp_path: Path) -> None:
    probe = (
        "import sys\nfrom recordsdesk import cli\n"
        f"code = cli.main(['--home', {str(tmp_path)!r}, 'dossier', 'list'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('recordsdesk.cli')))\n"
        "raise SystemExit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=False, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    loaded = done.stdout.strip().splitlines()[-1]
    # dossier's verbs come from three modules; sync, woo, scan, … stay unloaded
    expected = ["recordsdesk.cli", "recordsdesk.cli_closing", "recordsdesk.cli_completeness",
                "recordsdesk.cli_records"]  # fmt: skip
    assert loaded == repr(expected)


def test_an_unknown_command_still_lists_every_command() -> None:
    done = subprocess.run([sys.executable, "-m", "recordsdesk.cli", "dossiers"],
                          capture_output=True, text=True, check=False, timeout=120,
                          env={"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert done.returncode == 2
    for command in cli.COMMAND_MODULES:
        assert command in done.stderr
