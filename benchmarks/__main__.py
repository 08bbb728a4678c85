"""``python -m benchmarks`` (``make bench``): run the workloads and print their tables.

Exit status is 0 whether or not targets are met (benchmarks report, they do not
assert); 2 for bad arguments, 1 if a workload could not run at all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import pkgutil
import platform
import re
import subprocess
import sys
import traceback
from dataclasses import asdict, replace
from pathlib import Path

import benchmarks
from benchmarks import Config, Row, Workload

_SIZE = re.compile(r"^\s*(\d+)\s*([KMG]i?B?|B)?\s*$", re.IGNORECASE)
_FACTORS = {"": 1, "B": 1, "K": 1024, "M": 1024**2, "G": 1024**3}


def parse_size(text: str) -> int:
    """``100K``, ``1G``, ``4MiB``, ``512`` -> bytes (binary multiples)."""
    match = _SIZE.match(text)
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 100K, 1G)")
    unit = (match.group(2) or "").upper()[:1]
    size = int(match.group(1)) * _FACTORS[unit]
    if size <= 0:
        raise argparse.ArgumentTypeError("a size must be positive")
    return size


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def discover() -> dict[str, Workload]:
    """Every public module of this package that defines ``WORKLOAD``."""
    found: dict[str, Workload] = {}
    for info in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"benchmarks.{info.name}")
        workload = getattr(module, "WORKLOAD", None)
        if isinstance(workload, Workload):
            found[workload.name] = workload
    return found


def _command_output(command: list[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def machine_info(paths: list[Path]) -> dict[str, str]:
    """Date, CPU, memory and the file systems the benchmark writes to."""
    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    info = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "host": platform.node(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory,
    }
    for path in paths:
        df = _command_output(["df", "--output=source,fstype,target", str(path)]).splitlines()
        info[f"file system of {path}"] = " ".join(df[-1].split()) if len(df) > 1 else "?"
    return info


def _figure(value: float, unit: str) -> str:
    return f"{value:.3f} {unit}" if unit == "s" else f"{value:.1f} {unit}"


def format_table(rows: list[Row]) -> str:
    header = ("workload", "case", "ours", "baseline", "baseline is", "ratio", "target", "met")
    body = [
        (
            row.workload,
            row.case,
            _figure(row.ours, row.unit),
            _figure(row.baseline, row.unit),
            row.baseline_label,
            f"{row.ratio:.2f}",
            row.target,
            "-" if row.met is None else ("yes" if row.met else "NO"),
        )
        for row in rows
    ]
    widths = [max(len(cells[i]) for cells in [header, *body]) for i in range(len(header))]
    numeric = {2, 3, 5}

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(header), rule, *(line(cells) for cells in body)])


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Run the RecordsDesk benchmarks (each against a baseline measured in the "
        "same run) and print a table per workload. Always exits 0 when the workloads ran, "
        "whether or not the targets were met.",
    )
    parser.add_argument("--only", action="append", metavar="NAME", help="run only this workload")
    parser.add_argument("--list", action="store_true", help="list the workloads and exit")
    parser.add_argument(
        "--quick", action="store_true", help="tiny sizes, one run each: a smoke test"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results here")
    parser.add_argument("--files", type=positive_int, help="number of small files (1000)")
    parser.add_argument("--file-size", type=parse_size, help="size of each small file (100K)")
    parser.add_argument("--big-size", type=parse_size, help="size of the big file (1G)")
    parser.add_argument("--runs-small", type=positive_int, help="runs of the small set (3)")
    parser.add_argument("--runs-big", type=positive_int, help="runs of the big file (2)")
    parser.add_argument(
        "--work-dir",
        type=Path,
        help="parent folder for generated files and homes (default: the system temp dir; "
        "benchmarks/_work is git-ignored)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work dir afterwards")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="add one untimed run per case under cProfile and print where the time goes",
    )
    return parser.parse_args(argv)


def build_config(args: argparse.Namespace) -> Config:
    config = Config.quick_config() if args.quick else Config()
    overrides = {
        "small_count": args.files,
        "small_size": args.file_size,
        "big_size": args.big_size,
        "runs_small": args.runs_small,
        "runs_big": args.runs_big,
        "work_root": args.work_dir.resolve() if args.work_dir else None,
    }
    config = replace(config, **{k: v for k, v in overrides.items() if v is not None})
    return replace(config, keep=args.keep, profile=args.profile)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    workloads = discover()
    if args.list:
        for workload in workloads.values():
            print(f"{workload.name:<12} {workload.description}")
        return 0
    selected = args.only or list(workloads)
    unknown = [name for name in selected if name not in workloads]
    if unknown:
        print(
            f"unknown workload: {', '.join(unknown)} (have: {', '.join(workloads)})",
            file=sys.stderr,
        )
        return 2
    config = build_config(args)
    repo = Path(__file__).resolve().parent.parent
    where = config.work_root or Path(os.environ.get("TMPDIR", "/tmp"))
    machine = machine_info([where, repo])
    print("RecordsDesk benchmarks" + (" (quick)" if config.quick else ""))
    for key, value in machine.items():
        print(f"  {key}: {value}")
    results: dict[str, list[Row]] = {}
    failed: dict[str, str] = {}
    for name in selected:
        print(f"\n== {name}: {workloads[name].description}", flush=True)
        try:
            rows = workloads[name].run(config)
        except Exception as exc:  # report and go on with the other workloads
            traceback.print_exc()
            failed[name] = f"{type(exc).__name__}: {exc}"
            print(f"workload {name} could not run: {failed[name]}")
            continue
        results[name] = rows
        print()
        print(format_table(rows))
        notes = [note for row in rows for note in row.notes]
        for note in notes:
            print(f"  {note}")
    if args.json:
        document = {
            "machine": machine,
            "config": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(config).items()},
            "results": {
                name: [asdict(row) | {"ratio": row.ratio} for row in rows]
                for name, rows in results.items()
            },
            "failed": failed,
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n")
        print(f"\nresults written to {args.json}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
