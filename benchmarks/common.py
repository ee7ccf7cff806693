"""Small timing/memory helpers shared by the benchmark scripts (wall time, peak RSS of a child process)."""
from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from datetime import datetime, UTC
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks/results"


def machine() -> str:
    return f"{platform.node()} {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"


def timed(fn, *args, repeat: int = 3, **kwargs):
    """(median seconds, all seconds, last result) of calling fn(*args, **kwargs) ``repeat`` times."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn(*args, **kwargs)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, result


def run_child(code: str, env: dict | None = None) -> tuple[float, float]:
    """Run python code in a fresh interpreter; return (wall seconds, peak RSS MB of that child)."""
    t0 = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, **(env or {})})
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def report(name: str, rows: dict) -> None:
    """Print the rows and append them (with date and machine) to benchmarks/results/<name>.jsonl."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"== {name} ({stamp}, {machine()})")
    for key, value in rows.items():
        print(f"  {key:<45} {value:.4g}" if isinstance(value, float) else f"  {key:<45} {value}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    with open(RESULTS / f"{name}.jsonl", "a") as f:
        f.write(json.dumps({"date": stamp, "machine": machine(), **rows}) + "\n")


def fetch_raw(dest: Path) -> Path:
    """The raw files (with their manifest) in ``dest``, copied from the mirror and checksum-verified."""
    import shutil

    from cortexflow.rawdata import fetch, load_manifest

    sys.path.insert(0, str(ROOT / "tests"))
    from workflow import MIRROR

    fetch(list(load_manifest(ROOT / "data/raw/sources.yaml").values()), dest, MIRROR)
    shutil.copyfile(ROOT / "data/raw/sources.yaml", dest / "sources.yaml")
    return dest


def anatomy_options() -> dict:
    import yaml

    return yaml.safe_load((ROOT / "config/config.yaml").read_text())["anatomy"]
