"""The CLI contract of issue 2, exactly, through real subprocesses."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path

import recordsdesk
from recordsdesk import kenmerk
from tests.cli.conftest import Run, run_cli
from tests.core.samples import pdf_bytes, png_bytes, write

Cli = Callable[..., Run]


def _ok(run: Run) -> Run:
    assert run.code == 0, (run.code, run.out, run.err)
    assert "Traceback" not in run.out + run.err
    return run


def test_version(cli: Cli) -> None:
    run = _ok(cli("--version"))
    assert run.out.strip() == f"RecordsDesk {recordsdesk.__version__}"


def test_dossier_create_prints_the_kenmerk(cli: Cli) -> None:
    run = _ok(cli("dossier", "create", "--title", "Omgevingsvergunning Coolsingel 40"))
    [line] = run.out.splitlines()
    assert kenmerk.is_valid(line) and line.startswith("D-")
    listed = _ok(cli("dossier", "list", "--json"))
    assert [d["kenmerk"] for d in json.loads(listed.out)] == [line]


def test_dossier_create_json_is_exactly_id_and_kenmerk(cli: Cli) -> None:
    run = _ok(cli("dossier", "create", "--title", "Bezwaar", "--json"))
    data = json.loads(run.out)
    assert set(data) == {"id", "kenmerk"}
    assert str(uuid.UUID(data["id"])) == data["id"]
    assert kenmerk.is_valid(data["kenmerk"])


def test_dossier_list_in_text_and_json(cli: Cli) -> None:
    made = [
        json.loads(_ok(cli("dossier", "create", "--title", title, "--json")).out)["kenmerk"]
        for title in ("Eerste dossier", "Tweede dossier")
    ]
    text = _ok(cli("dossier", "list"))
    lines = text.out.splitlines()
    assert len(lines) == 2
    for made_kenmerk, title in zip(made, ("Eerste dossier", "Tweede dossier"), strict=True):
        [line] = [line for line in lines if made_kenmerk in line]
        assert title in line
    rows = json.loads(_ok(cli("dossier", "list", "--json")).out)
    assert sorted(r["kenmerk"] for r in rows) == sorted(made)
    for row in rows:
        assert row["status"] == "open"
        assert row["records"] == 0
        assert row["title"] in ("Eerste dossier", "Tweede dossier")


def test_an_empty_store_lists_nothing(cli: Cli) -> None:
    assert _ok(cli("dossier", "list")).out == ""
    assert json.loads(_ok(cli("dossier", "list", "--json")).out) == []


def test_file_then_show_json_holds_every_contract_field_with_true_values(
    cli: Cli, dossier: str, src: Path
) -> None:
    paths = [
        write(src / "brief aan bewoners.txt", "Beste bewoners,\nDe werkzaamheden…\n".encode()),
        write(src / "besluit.pdf", pdf_bytes("besluit")),
        write(src / "situatie.png", png_bytes(5)),
    ]
    filed = json.loads(_ok(cli("file", *map(str, paths), "--dossier", dossier, "--json")).out)
    assert filed["dossier"] == dossier
    assert len(filed["records"]) == 3

    shown = json.loads(_ok(cli("dossier", "show", dossier, "--json")).out)
    assert shown["kenmerk"] == dossier
    assert shown["title"] == "Omgevingsvergunning Coolsingel 40"
    assert shown["status"] == "open"
    assert [r["kenmerk"] for r in shown["records"]] == [r["kenmerk"] for r in filed["records"]]
    expected = {
        "brief aan bewoners.txt": ("text/plain", {"x-fmt/111"}),
        "besluit.pdf": ("application/pdf", {"fmt/18"}),
        "situatie.png": ("image/png", {"fmt/11", "fmt/12", "fmt/13"}),
    }
    for record, path in zip(shown["records"], paths, strict=True):
        assert kenmerk.is_valid(record["kenmerk"]) and record["kenmerk"].startswith("S-")
        assert record["title"] == path.stem
        [info] = record["files"]
        assert info["name"] == path.name
        assert info["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert info["size"] == os.stat(path).st_size
        mime, puids = expected[path.name]
        assert info["mime"] == mime
        assert info["puid"] in puids


def test_file_prints_one_line_per_filed_file(cli: Cli, dossier: str, src: Path) -> None:
    paths = [write(src / "a.txt", b"a\n"), write(src / "b c.txt", b"b\n")]
    run = _ok(cli("file", *map(str, paths), "--dossier", dossier))
    lines = run.out.splitlines()
    assert len(lines) == 2
    for line, path in zip(lines, paths, strict=True):
        record_kenmerk, sha, name = line.split("\t")
        assert kenmerk.is_valid(record_kenmerk)
        assert sha == hashlib.sha256(path.read_bytes()).hexdigest()
        assert name == path.name


def test_dossier_show_accepts_a_sloppily_typed_kenmerk(cli: Cli, dossier: str) -> None:
    typed = dossier.lower().replace("1", "l").replace("0", "o")
    shown = json.loads(_ok(cli("dossier", "show", typed, "--json")).out)
    assert shown["kenmerk"] == dossier


def test_dossier_show_in_text(cli: Cli, dossier: str, src: Path) -> None:
    path = write(src / "besluit.pdf", pdf_bytes("x"))
    _ok(cli("file", str(path), "--dossier", dossier))
    run = _ok(cli("dossier", "show", dossier))
    assert dossier in run.out
    assert "Omgevingsvergunning Coolsingel 40" in run.out
    assert hashlib.sha256(path.read_bytes()).hexdigest() in run.out
    assert "besluit.pdf" in run.out


def test_home_option_and_environment_variable_choose_the_data_folder(tmp_path: Path) -> None:
    by_env, by_option = tmp_path / "via-env", tmp_path / "via-option"
    env = {"RECORDSDESK_HOME": str(by_env)}
    from_env = _ok(run_cli(["dossier", "create", "--title", "Via env"], env=env)).out.strip()
    from_option = _ok(
        run_cli(["--home", str(by_option), "dossier", "create", "--title", "Via optie"], env=env)
    ).out.strip()

    assert (by_env / "local.sqlite").is_file() and (by_option / "local.sqlite").is_file()
    listed_env = json.loads(_ok(run_cli(["dossier", "list", "--json"], env=env)).out)
    listed_option = json.loads(
        _ok(run_cli(["--home", str(by_option), "dossier", "list", "--json"], env=env)).out
    )
    assert [d["kenmerk"] for d in listed_env] == [from_env]
    assert [d["kenmerk"] for d in listed_option] == [from_option]


def test_verify_exits_0_when_everything_is_intact(cli: Cli, dossier: str, src: Path) -> None:
    _ok(cli("file", str(write(src / "a.txt", b"a\n")), "--dossier", dossier))
    report = json.loads(_ok(cli("verify", "--json")).out)
    assert report["checked"] == 1
    assert report["intact"] is True
    assert report["damaged"] == [] and report["audit_problems"] == []
    _ok(cli("verify"))


def test_verify_exits_0_on_an_empty_store(cli: Cli) -> None:
    assert json.loads(_ok(cli("verify", "--json")).out)["checked"] == 0


def _object(home: Path, sha: str) -> Path:
    return home / "objects" / sha[:2] / sha[2:4] / sha


def _flip_one_byte(path: Path) -> None:
    path.chmod(0o644)  # objects are 0444
    with path.open("r+b") as handle:
        handle.seek(path.stat().st_size // 2)
        byte = handle.read(1)
        handle.seek(-1, os.SEEK_CUR)
        handle.write(bytes([byte[0] ^ 0x01]))


def test_verify_catches_one_flipped_byte(cli: Cli, home: Path, dossier: str, src: Path) -> None:
    good = write(src / "goed.txt", b"blijft heel\n")
    bad = write(src / "rapport.pdf", pdf_bytes("wordt beschadigd"))
    filed = json.loads(_ok(cli("file", str(good), str(bad), "--dossier", dossier, "--json")).out)
    bad_record = filed["records"][1]
    sha = bad_record["files"][0]["sha256"]
    _flip_one_byte(_object(home, sha))

    run = cli("verify", "--json")
    assert run.code == 1, (run.out, run.err)
    assert "Traceback" not in run.out + run.err
    report = json.loads(run.out)
    assert report["intact"] is False
    assert report["checked"] == 2
    assert [d["sha256"] for d in report["damaged"]] == [sha]
    assert report["damaged"][0]["files"] == [f"{bad_record['kenmerk']}/rapport.pdf"]

    text = cli("verify")
    assert text.code == 1
    [damaged_line] = [line for line in text.out.splitlines() if sha in line]
    assert bad_record["kenmerk"] in damaged_line and "rapport.pdf" in damaged_line


def test_verify_lists_a_missing_object(cli: Cli, home: Path, dossier: str, src: Path) -> None:
    filed = json.loads(
        _ok(cli("file", str(write(src / "a.txt", b"a\n")), "--dossier", dossier, "--json")).out
    )
    sha = filed["records"][0]["files"][0]["sha256"]
    _object(home, sha).unlink()
    run = cli("verify", "--json")
    assert run.code == 1
    [damage] = json.loads(run.out)["damaged"]
    assert damage["sha256"] == sha
    assert damage["reason"] == "missing"
