# SPDX-License-Identifier: GPL-3.0-or-later
"""Bad input and faults (issue 17): a table-driven catalogue of what a user can get wrong or what can break,
each case run against one small complete workspace (a pd14 network at 2 % of the neurons, 600 ms).

Every case asserts the exit status, the one ``error:`` line (naming the config key or the file), that no
Python traceback reaches the terminal, that no output is left half-written (no temporary file, no file that
differs from the complete workspace except the one the case damaged) or deleted, and that the fixed rerun
recovers bitwise-identical results. docs/design.md "Failure modes" lists every case with its message.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.support.workspace import MIRROR, SNAKEMAKE, copy_project

pytestmark = [pytest.mark.workflow]

SIM = "tiny"
TARGET = f"results/sims/{SIM}/stats/summary.csv"
NET = "results/networks/pd14/network.h5"
SIM_NET = f"results/sims/{SIM}/network.h5"
SPIKES = f"results/sims/{SIM}/spikes.h5"
FIXED_POINT = "results/theory/pd14/fixed_point.h5"
TMP_PATTERNS = (re.compile(r"\.tmp"), re.compile(r"\.part$"))


# --- the workspace --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fast_bin(tmp_path_factory) -> Path:
    """A PATH entry with an ``scontrol`` that fails at once: Snakemake's slurm plugin calls ``scontrol show
    config`` on every start, which waits 10 s for a controller on a machine with the slurm client but no
    running cluster. It changes nothing else (no job runs on slurm here)."""
    d = tmp_path_factory.mktemp("bin")
    (d / "scontrol").write_text("#!/bin/sh\nexit 1\n")
    (d / "scontrol").chmod(0o755)
    return d


def _env(fast_bin: Path, mirror: Path | None = MIRROR) -> dict:
    env = {**os.environ, "PATH": f"{fast_bin}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("CORTEXFLOW_RAW_MIRROR", None)
    if mirror is not None:
        env["CORTEXFLOW_RAW_MIRROR"] = str(mirror)
    return env


@dataclasses.dataclass
class Workspace:
    root: Path
    bin: Path
    baseline: dict  # {relative path: sha256} of results/ and data/raw/ of the complete workspace

    def run(self, *args, mirror: Path | None = MIRROR, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run([SNAKEMAKE, *args], cwd=self.root, env=_env(self.bin, mirror), capture_output=True,
                              text=True, timeout=timeout)

    def ok(self, *args, **kw) -> subprocess.CompletedProcess:
        proc = self.run(*args, **kw)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        return proc

    def digests(self) -> dict:
        return digests(self.root)


# run.json also holds what a rerun cannot reproduce: wall and CPU times, memory, the host
UNREPRODUCIBLE = re.compile(r"(_s|_mb|_mb_max_rank|^rtf|^host)$")


def digests(root: Path) -> dict:
    """sha256 of every file of results/ and data/raw/ (of run.json: of its reproducible entries)."""
    out = {}
    for top in ("results", "data/raw"):
        for p in sorted((root / top).rglob("*")):
            if not p.is_file():
                continue
            data = p.read_bytes()
            if p.name == "run.json":
                with contextlib.suppress(ValueError):
                    run = {k: v for k, v in json.loads(data).items() if not UNREPRODUCIBLE.search(k)}
                    data = json.dumps(run, sort_keys=True).encode()
            out[str(p.relative_to(root))] = hashlib.sha256(data).hexdigest()
    return out


def tiny_config(project: Path) -> dict:
    cfg = yaml.safe_load((project / "config/config.yaml").read_text())
    cfg["simulations"] = {SIM: {**cfg["simulations"]["pd14"], "N_scaling": 0.02, "K_scaling": 0.1,
                                "t_sim": 600.0, "t_presim": 100.0, "threads": 1}}
    cfg["analysis"]["welch"].update(nperseg=16, noverlap=8)
    cfg.pop("validation", None)
    cfg["theory"]["stabilisation"]["networks"] = []
    return cfg


@pytest.fixture(scope="module")
def ws(tmp_path_factory, fast_bin) -> Workspace:
    if not MIRROR.is_dir():
        pytest.skip(f"no raw-data mirror at {MIRROR}")
    root = copy_project(tmp_path_factory.mktemp("bad_inputs") / "project")
    (root / "config/config.yaml").write_text(yaml.safe_dump(tiny_config(root), sort_keys=False))
    w = Workspace(root, fast_bin, {})
    w.ok("--cores", "2", "raw_data", TARGET)
    w.baseline = w.digests()
    return w


# --- what every case asserts ------------------------------------------------------------------------------------

def temporaries(root: Path) -> list[str]:
    return [str(p.relative_to(root)) for top in ("results", "data") for p in (root / top).rglob("*")
            if any(t.search(p.name) for t in TMP_PATTERNS) or p.name.startswith(".fetch-")]


def error_line(proc: subprocess.CompletedProcess, *needles: str) -> str:
    """The one ``error:`` line on the terminal naming every needle; no traceback anywhere on the terminal."""
    text = proc.stdout + proc.stderr
    assert "Traceback" not in text, text[-4000:]
    lines = [line for line in text.splitlines() if line.startswith("error:")]
    assert lines, f"no 'error:' line on the terminal:\n{text[-4000:]}"
    hits = [line for line in lines if all(n in line for n in needles)]
    assert hits, f"no error line names {needles}:\n" + "\n".join(lines)
    return hits[0]


def assert_nothing_half_written(ws: Workspace, damaged=()) -> None:
    """No temporary file; every output still there is the complete workspace's (or the damaged file)."""
    assert temporaries(ws.root) == []
    now = ws.digests()
    changed = [p for p, d in now.items() if p in ws.baseline and d != ws.baseline[p] and p not in damaged]
    assert changed == [], changed
    extra = [p for p in now if p not in ws.baseline]
    assert extra == [], extra


def assert_recovered(ws: Workspace) -> None:
    ws.ok("--cores", "2", TARGET)
    assert temporaries(ws.root) == []
    assert ws.digests() == ws.baseline  # bitwise identical to the complete workspace


# --- config cases: the plan stops (snakemake -n, with a target or without), naming the key -----------------------

# (id, overlay config given with --configfile, what the error line must name)
CONFIG_CASES = [
    ("k-stable-not-in-manifest", {"networks": {"mam": {"K_stable": "not_there.npy"}}},
     ["networks.mam.K_stable", "not_there.npy"]),
    ("areas-recorded-not-simulated",
     {"simulations": {"sub": {"network": "mam", "t_sim": 1000.0, "N_scaling": 0.01, "K_scaling": 0.1,
                              "areas_simulated": ["V1"], "areas_recorded": ["V2"]}}},
     ["simulations.sub.areas_recorded", "V2"]),
    ("pd14-without-V0_mean", {"simulations": {"bare": {"network": "pd14", "t_sim": 1000.0}}},
     ["simulations.bare.V0_mean"]),
    ("t_min-after-t_sim", {"analysis": {"t_min": 700.0}}, ["analysis.t_min", f"simulations.{SIM}.t_sim"]),
    ("t_max-before-t_min", {"analysis": {"t_max": 400.0}}, ["analysis.t_max"]),
    ("figure-window-reversed", {"figures": {"dynamics": {"pd14_raster": {"window_ms": [500.0, 100.0]}}}},
     ["figures.dynamics.pd14_raster.window_ms"]),
    ("figure-window-after-t_sim",
     {"figures": {"dynamics": {"pd14_raster": {"simulation": SIM, "window_ms": [700.0, 800.0]}}}},
     ["figures.dynamics.pd14_raster.window_ms", "t_sim"]),
    ("unknown-key", {"simulations": {SIM: {"colour": "red"}}}, [f"simulations.{SIM}.colour (unknown key)"]),
    ("below-minimum", {"networks": {"mam": {"surface": -1}}}, ["networks.mam.surface"]),
    ("wrong-type", {"simulations": {SIM: {"t_sim": "long"}}}, [f"simulations.{SIM}.t_sim"]),
    ("unknown-model", {"networks": {"mam": {"model": "brunel"}}}, ["networks.mam.model"]),
    ("simulation-of-unknown-network", {"simulations": {"x": {"network": "nope", "t_sim": 1000.0}}},
     ["simulations.x.network", "nope"]),
    ("unknown-area", {"simulations": {"sub": {"network": "mam", "t_sim": 1000.0, "areas_simulated": ["XX"]}}},
     ["simulations.sub.areas_simulated", "XX"]),
    ("structure-figure-of-pd14", {"figures": {"structure": {"network": "pd14"}}}, ["figures.structure.network"]),
    ("thalamic-pulses-overlap",
     {"simulations": {"stim": {"network": "pd14", "t_sim": 1000.0, "V0_mean": [-65.0] * 8, "V0_sd": [5.0] * 8,
                               "thalamic_input": True, "th_start": 200.0, "th_pulses": 2, "th_interval": 150.0}}},
     ["simulations.stim.th_interval", "pre_ms + post_ms"]),
]


@pytest.mark.parametrize("overlay, needles", [pytest.param(o, n, id=i) for i, o, n in CONFIG_CASES])
def test_config_error_stops_the_plan(ws, tmp_path, overlay, needles):
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(overlay))
    # the same message for a dry run with a target and a dry run of everything (and, for the case that was
    # "Nothing to be done" in a complete workspace, a real run of a complete target)
    runs = [["-n", TARGET], ["-n"]] + ([["--cores", "1", TARGET]] if "K_stable" in needles[0] else [])
    for args in runs:
        proc = ws.run(*args, "--configfile", str(path))
        assert proc.returncode == 1, (args, proc.stdout[-2000:], proc.stderr[-2000:])
        error_line(proc, *needles)
    assert_nothing_half_written(ws)
    # the fixed run (the overlay removed) has nothing to do
    dry = ws.ok("-n", TARGET)
    assert "Nothing to be done" in dry.stdout + dry.stderr


def test_user_data_with_its_own_checksum(ws, tmp_path):
    """Deliberately modified data: a new name in data/user/, its sha256 declared in config raw_data.user_files;
    usable as K_stable; a wrong or stale sha256 stops the plan naming the key."""
    user = ws.root / "data/user"
    user.mkdir(exist_ok=True)
    modified = user / "K_modified.npy"
    shutil.copyfile(ws.root / "data/raw/K_prime_original.npy", modified)
    _flip_byte(modified)
    sha = hashlib.sha256(modified.read_bytes()).hexdigest()
    path = tmp_path / "user.yaml"
    try:
        path.write_text(yaml.safe_dump({"raw_data": {"user_files": {"K_modified.npy": sha}},
                                        "networks": {"mam": {"K_stable": "K_modified.npy"}}}))
        dry = ws.ok("-n", "results/networks/mam/network.h5", "--configfile", str(path), "--quiet", "rules")
        assert "build_network" in dry.stdout
        path.write_text(yaml.safe_dump({"raw_data": {"user_files": {"K_modified.npy": "0" * 64}},
                                        "networks": {"mam": {"K_stable": "K_modified.npy"}}}))
        proc = ws.run("-n", "--configfile", str(path))
        assert proc.returncode == 1
        error_line(proc, "data/user/K_modified.npy", "raw_data.user_files.K_modified.npy", sha)
    finally:
        shutil.rmtree(user)
    assert_nothing_half_written(ws)


# config files that cannot be read: named, and for YAML the line
FILE_CASES = [
    ("missing-configfile", None, ["nothere.yaml", "not found"]),
    ("yaml-syntax-error", "analysis:\n  t_min: [500\n  t_max: 1\n", ["case.yaml", "line"]),
    ("yaml-tab-indentation", "analysis:\n\tt_min: 500\n", ["case.yaml", "line 2"]),
    ("configfile-not-a-mapping", "- 1\n- 2\n", ["case.yaml", "mapping"]),
]


@pytest.mark.parametrize("text, needles", [pytest.param(t, n, id=i) for i, t, n in FILE_CASES])
def test_unreadable_configfile(ws, tmp_path, text, needles):
    path = tmp_path / ("nothere.yaml" if text is None else "case.yaml")
    if text is not None:
        path.write_text(text)
    proc = ws.run("-n", TARGET, "--configfile", str(path))
    assert proc.returncode == 1
    error_line(proc, *needles)
    assert_nothing_half_written(ws)


def test_yaml_error_in_the_workflow_config(ws):
    cfg = ws.root / "config/config.yaml"
    good = cfg.read_text()
    try:
        cfg.write_text(good.replace("analysis:\n", "analysis:\n  t_min: [500\n", 1))
        proc = ws.run("-n", TARGET)
        assert proc.returncode == 1
        error_line(proc, "config/config.yaml", "line")
    finally:
        cfg.write_text(good)
    assert_nothing_half_written(ws)
    dry = ws.ok("-n", TARGET)
    assert "Nothing to be done" in dry.stdout + dry.stderr


# --- data and intermediate files: the job stops with one line naming the file; the named fix recovers ---------

def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _garbage(path: Path) -> None:
    path.write_text("this is not an HDF5 file\n")


def _flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _command(line: str) -> list[str]:
    m = re.search(r"(snakemake [^;()]*?)\s*(?:[;()]|$)", line)
    assert m, f"the message names no snakemake command: {line}"
    return m.group(1).split()[1:]


# (id, file, damage, what the error line names)
FILE_DAMAGE = [
    ("network-truncated", NET, _truncate, [NET, "truncated"]),
    ("network-empty", NET, _empty, [NET]),
    ("fixed-point-garbage", FIXED_POINT, _garbage, [FIXED_POINT]),
    ("spikes-truncated", SPIKES, _truncate, [SPIKES, "truncated"]),
    ("spikes-empty", SPIKES, _empty, [SPIKES]),
]


@pytest.mark.parametrize("rel, damage, needles", [pytest.param(f, d, n, id=i) for i, f, d, n in FILE_DAMAGE])
def test_corrupt_intermediate_file(ws, rel, damage, needles):
    damage(ws.root / rel)
    proc = ws.run("--cores", "1", TARGET)
    assert proc.returncode == 1, proc.stderr[-3000:]
    line = error_line(proc, *needles)
    assert_nothing_half_written(ws, damaged=[rel])
    ws.ok(*_command(line))  # the one command of the message rebuilds the file ...
    assert_recovered(ws)  # ... and the normal run then reproduces every result bit for bit


def test_edited_raw_file_is_refused(ws):
    name = "data/raw/SynapticDensity_Cragg.csv"
    _flip_byte(ws.root / name)
    proc = ws.run("--cores", "1", "results/anatomy/processed.json")
    assert proc.returncode == 1
    line = error_line(proc, name, "content differs")
    assert not (ws.root / "results/anatomy/processed.json").exists()
    assert_nothing_half_written(ws, damaged=[name])
    ws.ok(*_command(line))  # snakemake --cores 1 -f raw_data
    assert ws.digests() == ws.baseline


def test_deleted_raw_file_is_fetched_again(ws):
    (ws.root / "data/raw/BinzeggerData.csv").unlink()
    assert "raw_data" in ws.ok("-n", "results/anatomy/processed.json").stdout
    ws.ok("--cores", "1", "raw_data")
    assert ws.digests() == ws.baseline


@pytest.fixture
def bad_mirror(tmp_path):
    mirror = tmp_path / "mirror"
    shutil.copytree(MIRROR, mirror)
    return mirror


# (id, how the mirror is broken, what the error line names)
MIRROR_CASES = [
    ("mirror-file-corrupt", lambda m: _flip_byte(m / "SLN_Data.csv"), ["SLN_Data.csv", "checksum mismatch"]),
    ("mirror-file-missing", lambda m: (m / "SLN_Data.csv").unlink(), ["SLN_Data.csv", "missing from the mirror"]),
    ("mirror-not-a-directory", lambda m: shutil.rmtree(m), ["mirror", "is not a directory"]),
]


@pytest.mark.parametrize("breaks, needles", [pytest.param(b, n, id=i) for i, b, n in MIRROR_CASES])
def test_failed_fetch_keeps_verified_data(ws, bad_mirror, breaks, needles):
    breaks(bad_mirror)
    proc = ws.run("--cores", "1", "-f", "raw_data", mirror=bad_mirror)
    assert proc.returncode == 1
    line = error_line(proc, *needles)
    assert ".fetch-" not in line  # never a path to a staging directory that no longer exists
    assert_nothing_half_written(ws)
    assert ws.digests() == ws.baseline  # data/raw/ exactly as it was: nothing deleted, nothing added
    ws.ok("--cores", "1", "-f", "raw_data")  # the good mirror: the same verified bytes
    assert ws.digests() == ws.baseline


def test_unreachable_upstream_keeps_verified_data(ws):
    proc = ws.run("--cores", "1", "-f", "raw_data", mirror=None, timeout=600)
    assert proc.returncode == 1
    error_line(proc, "cannot download", "CORTEXFLOW_RAW_MIRROR")
    assert_nothing_half_written(ws)
    assert ws.digests() == ws.baseline


# --- runtime faults ------------------------------------------------------------------------------------------------

def _start(ws: Workspace, *args) -> subprocess.Popen:
    (ws.root / f"logs/simulate/{SIM}.log").unlink(missing_ok=True)  # _wait_for reads this run's log only
    return subprocess.Popen([SNAKEMAKE, *args], cwd=ws.root, env=_env(ws.bin), start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(path: Path, text: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline and proc.poll() is None:
        if path.is_file() and text in path.read_text(errors="replace"):
            return
        time.sleep(0.02)
    raise AssertionError(f"{text!r} never appeared in {path}")


def _nest_pids(proc: subprocess.Popen) -> list[int]:
    """The NEST process of the run ``proc`` (as the OOM killer would pick it), not the rule's shell around it."""
    out = subprocess.run(["pgrep", "-f", "-s", str(proc.pid), r"^\S*python\S* -m cortexflow\.simulation\.run"],
                         capture_output=True, text=True).stdout.split()
    assert out, "no NEST process found"
    return [int(pid) for pid in out]


def test_nest_process_killed(ws):
    proc = _start(ws, "--cores", "1", "-f", SPIKES)
    _wait_for(ws.root / f"logs/simulate/{SIM}.log", "simulate: model time", proc)
    for pid in _nest_pids(proc):
        os.kill(pid, signal.SIGKILL)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1 and "Error in rule simulate" in out + err
    error_line(subprocess.CompletedProcess(proc.args, proc.returncode, out, err), f"rule simulate (sim={SIM})",
               "exit status 137", f"logs/simulate/{SIM}.log")
    assert not (ws.root / SPIKES).exists()  # Snakemake removed the failed job's outputs; no half file
    assert_nothing_half_written(ws)
    ws.ok("--cores", "1", "-f", SPIKES)  # the same command again
    assert_recovered(ws)  # same seed: the same spikes, bit for bit


def test_snakemake_killed_leaves_a_lock_that_unlock_removes(ws):
    proc = _start(ws, "--cores", "1", "-f", SPIKES)
    _wait_for(ws.root / f"logs/simulate/{SIM}.log", "simulate: model time", proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()
    time.sleep(0.3)
    locked = ws.run("--cores", "1", TARGET)
    assert locked.returncode == 1 and "Directory cannot be locked" in locked.stdout + locked.stderr
    assert "Traceback" not in locked.stdout + locked.stderr
    assert_nothing_half_written(ws)
    ws.ok("--unlock")
    ws.ok("--cores", "1", "-f", SPIKES)
    assert_recovered(ws)


def test_second_snakemake_on_the_same_directory(ws):
    first = _start(ws, "--cores", "1", "-f", SPIKES)
    _wait_for(ws.root / f"logs/simulate/{SIM}.log", "simulate: model time", first)
    nest = _nest_pids(first)
    for pid in nest:  # hold the first run inside its job (the tiny simulation ends within a second)
        os.kill(pid, signal.SIGSTOP)
    try:
        # Snakemake locks the outputs of a run: a second run that would write them (here: the same command)
        # stops; one with disjoint outputs may run beside it
        second = ws.run("--cores", "1", "-f", SPIKES)
    finally:
        for pid in nest:
            os.kill(pid, signal.SIGCONT)
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err[-3000:]
    assert second.returncode == 1
    text = second.stdout + second.stderr
    assert "Directory cannot be locked" in text and "Traceback" not in text
    assert_recovered(ws)


@contextlib.contextmanager
def small_tmpfs(ws: Workspace, rel: str, size: str, keep=()):
    """``rel`` on a tmpfs of ``size`` holding only the files ``keep`` (copied in); the original afterwards."""
    target = ws.root / rel
    saved = target.with_name(target.name + ".saved")
    shutil.move(target, saved)
    target.mkdir()
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target)], capture_output=True,
                           text=True)
    if mount.returncode != 0:
        target.rmdir()
        shutil.move(saved, target)
        pytest.skip(f"cannot mount a tmpfs here ({mount.stderr.strip()})")
    try:
        for name in keep:
            shutil.copy2(saved / name, target / name)
        # a mount point never becomes empty (Snakemake removes empty output directories after a failure)
        (target / ".mounted").write_text("")
        yield target
    finally:
        subprocess.run(["umount", str(target)], check=True)
        target.rmdir()
        shutil.move(saved, target)


# (id, directory on the small tmpfs, its size, files kept there, the forced output, the job's error line names)
DISK_FULL = [
    # the scaled network (14 kB) fits, spikes.h5 (44 kB) does not: the shell rule simulate
    ("simulate", f"results/sims/{SIM}", "32k", ["network.h5"], SPIKES, ["rule simulate", "No space left on device"]),
    # summary.csv fits, distributions.h5 (81 kB) does not: a Snakemake script (spike_statistics)
    ("spike-statistics", f"results/sims/{SIM}/stats", "48k", [], TARGET,
     ["rule spike_statistics", "No space left on device"]),
]


@pytest.mark.parametrize("rel, size, keep, forced, needles", [pytest.param(*c[1:], id=c[0]) for c in DISK_FULL])
def test_disk_full(ws, rel, size, keep, forced, needles):
    with small_tmpfs(ws, rel, size, keep) as full:
        proc = ws.run("--cores", "1", "-f", forced)
        assert proc.returncode == 1, proc.stderr[-3000:]
        error_line(proc, *needles)
        left = sorted(p.name for p in full.iterdir())
        assert left == sorted([*keep, ".mounted"]), left  # no output and no temporary file on the full disk
    assert_nothing_half_written(ws)
    assert_recovered(ws)


DISK_FULL_WRITER = """
import sys
import numpy as np
from cortexflow.spikes_file import write_spikes
rng = np.random.default_rng(1)
pops = [("E", rng.integers(0, 1000, 200_000), np.sort(rng.integers(0, 10**6, 200_000)), 1000, 1000)]
try:
    write_spikes(sys.argv[1], pops, {"t_sim": 1.0}, 0.1)
except (OSError, RuntimeError) as err:  # HDF5 reports either
    print(f"error: {err}", flush=True)
    import os
    os._exit(1)  # as cortexflow.simulation.run: HDF5's teardown after a failed write may segfault
"""


def test_disk_full_unit(tmp_path):
    """atomic_path under ENOSPC on a 64 kB tmpfs: the write fails and nothing is left behind (in a child
    process: after a failed write HDF5 can crash at interpreter exit)."""
    d = tmp_path / "full"
    d.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(d)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        proc = subprocess.run([sys.executable, "-c", DISK_FULL_WRITER, str(d / "spikes.h5")], capture_output=True,
                              text=True, timeout=120)
        assert proc.returncode == 1 and "No space left on device" in proc.stdout, proc.stdout + proc.stderr
        assert list(d.iterdir()) == []
    finally:
        subprocess.run(["umount", str(d)], check=True)


def test_failed_job_keeps_no_temporary_file(tmp_path):
    from cortexflow.fileio import atomic_path

    target = tmp_path / "out.h5"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("killed")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.h5"] and target.read_text() == "old"
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path and tmp.suffix == ".h5"  # the extension kept (savefig, np.save)
        tmp.write_text("new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.h5"] and target.read_text() == "new"
    assert (target.stat().st_mode & 0o777) == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


PROVENANCE_WRITER = """
import sys, types
from cortexflow.provenance import tracked
smk = types.SimpleNamespace(rule="writer", params={"i": int(sys.argv[1])}, wildcards={"i": sys.argv[1]},
                            input=[], output=[], log=[], scriptdir=sys.argv[2], config={})
with tracked(smk, main_file="writer.py"):
    pass
"""


def test_concurrent_jobs_write_provenance(tmp_path):
    """Six jobs store their Sumatra records at once into one .smt store: every record is there."""
    scripts = str(Path(__file__).resolve().parents[2] / "scripts")
    procs = [subprocess.Popen([sys.executable, "-c", PROVENANCE_WRITER, str(i), scripts], cwd=tmp_path,
                              stderr=subprocess.PIPE, text=True) for i in range(6)]
    errs = [p.communicate(timeout=300)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs), errs
    assert not any("could not store" in e for e in errs), errs
    smt = Path(sys.executable).with_name("smt")
    labels = subprocess.run([str(smt), "list"], cwd=tmp_path, check=True, capture_output=True,
                            text=True).stdout.split()
    assert sorted(label.split(".")[1] for label in labels) == [str(i) for i in range(6)]


def test_failing_script_one_line_and_traceback_in_log(ws):
    """A job's exception: one error line on the terminal naming the rule, its traceback in the rule log."""
    fp = ws.root / FIXED_POINT
    good = fp.read_bytes()
    _garbage(ws.root / NET)
    proc = ws.run("--cores", "1", FIXED_POINT)
    line = error_line(proc, NET)
    log = (ws.root / "logs/meanfield/pd14.log").read_text()
    assert "Traceback" in log and line in log
    assert not fp.exists() or fp.read_bytes() == good
    ws.ok(*_command(line))
    assert_recovered(ws)


# --- determinism ---------------------------------------------------------------------------------------------------

def test_meanfield_forced_twice_is_bitwise_identical(ws):
    for _ in range(2):
        ws.ok("--cores", "1", "-f", FIXED_POINT)
        assert ws.digests()[FIXED_POINT] == ws.baseline[FIXED_POINT]
    assert_recovered(ws)


def test_spikes_with_the_same_seed_are_bitwise_identical(ws):
    ws.ok("--cores", "1", "-f", SPIKES)
    assert ws.digests()[SPIKES] == ws.baseline[SPIKES]
    assert_recovered(ws)
