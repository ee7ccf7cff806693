"""Stage 1 benchmark: anatomy processing time and the cost of a no-op `snakemake -n`.

Prints: processing wall time (median of 3) and its ratio to running the same processing twice in a row
(sanity: ~0.5, no hidden caching), peak memory of a fresh process doing it, and the wall time of
`snakemake -n` on a complete workspace (target < 3 s) with its ratio to a bare `snakemake --version`.
"""
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from common import ROOT, anatomy_options, fetch_raw, report, run_child, timed  # noqa: E402
from workflow import copy_project, snakemake  # noqa: E402

from cortexflow.anatomy.process import process_anatomy  # noqa: E402

options = anatomy_options()
with tempfile.TemporaryDirectory() as tmp:
    raw = fetch_raw(Path(tmp) / "raw")
    once, _, _ = timed(process_anatomy, raw, options)
    twice, _, _ = timed(lambda: (process_anatomy(raw, options), process_anatomy(raw, options)))
    wall_child, peak_mb = run_child(
        f"from cortexflow.anatomy.process import process_anatomy; process_anatomy({str(raw)!r}, {options!r})")

    project = copy_project(Path(tmp) / "project")
    snakemake(project, "--cores", "2", "process_anatomy")

    def dry_run(workdir, *targets):
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            proc = snakemake(workdir, "-n", *targets)
            times.append(time.perf_counter() - t0)
        done = "Nothing to be done" in proc.stdout + proc.stderr
        return sorted(times)[1], done

    dry_stage, done = dry_run(project, "process_anatomy")
    assert done, "the anatomy workspace should be complete"
    # the whole default DAG: measured on this checkout when `make all` has completed it
    dry_full, full_done = dry_run(ROOT)
    base = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([str(Path(sys.executable).with_name("snakemake")), "--version"], check=True,
                       capture_output=True)
        base.append(time.perf_counter() - t0)

base_s = sorted(base)[1]
report("anatomy", {
    "process_anatomy wall s (median of 3)": once,
    "ratio once / twice (expect ~0.5)": once / twice,
    "fresh process incl. imports: wall s": wall_child,
    "fresh process peak RSS MB": peak_mb,
    "snakemake -n, complete anatomy workspace s": dry_stage,
    "snakemake -n, whole default DAG s (target < 3)": dry_full if full_done else "n/a (run make all first)",
    "ratio of the latter to bare `snakemake --version`": dry_full / base_s if full_done else "n/a",
})
