"""Provenance: one Sumatra record per Snakemake job, and metadata for figure files.

Every rule's script runs its work inside ``with tracked(snakemake) as prov:``. At the end (success or
failure) one Sumatra 0.8 record is written for the job: first as its own file ``.smt/incoming/<label>.json``
(so concurrent jobs, also on different cluster nodes, never write the same file), then merged into the
workflow's SQLite record store ``.smt/records`` (Django) by whoever holds the merge lock, a directory
``.smt/merge.lock`` (``mkdir`` is atomic on NFS too). ``.smt/project`` names its paths relative to the project
root, so a copied or moved workspace keeps its own store. A record holds:

* label ``<rule>.<wildcards>.<params-hash>.<UTC time>`` (rule + wildcards + short content hash of the
  rule's params; the time suffix keeps reruns apart),
* the rule's params as parameters, inputs and outputs with their SHA-1 digests (registered explicitly, so
  Sumatra's "new files in the data store" heuristic never mixes outputs of concurrent jobs),
* the code version (git commit, dirty flag and diff), platform, Python dependencies (NEST, numpy, ...),
  duration, outcome and the job's log.

``smt list`` / ``smt view <label>`` in the workflow directory show them (records still waiting in
.smt/incoming/ are merged by the next job, by rule figure_provenance, or by
``python -m cortexflow.provenance merge``).
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import logging
import os
import platform
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime, UTC
from pathlib import Path

SMT_DIR = ".smt"
PROJECT_NAME = "cortexflow"
TRACKED_PACKAGES = ("cortexflow", "nest-simulator", "numpy", "scipy", "pandas", "h5py", "matplotlib",
                    "nnmt", "elephant", "networkx", "statsmodels", "snakemake", "sumatra")


def params_digest(params: dict) -> str:
    """Short content hash of a parameter dict (stable across runs and key order)."""
    return hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()[:10]


def job_label(rule: str, wildcards: dict, params: dict, when: datetime | None = None) -> str:
    when = when or datetime.now(UTC)
    wc = "_".join(f"{v}" for v in wildcards.values()) or "-"
    wc = "".join(c if (c.isalnum() or c in "-._") else "-" for c in wc)
    return f"{rule}.{wc}.{params_digest(params)}.{when.strftime('%Y%m%dT%H%M%S%f')}"


def code_version(root: Path) -> dict:
    """Git commit, dirty flag and diff of the workflow's source tree (or 'unknown' outside git)."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=30)
    head = git("rev-parse", "HEAD")
    if head.returncode != 0:
        return {"commit": "unknown (not a git checkout)", "dirty": None, "diff": ""}
    status = git("status", "--porcelain", "--untracked-files=no").stdout.strip()
    diff = git("diff", "HEAD").stdout if status else ""
    return {"commit": head.stdout.strip(), "dirty": bool(status), "diff": diff[:1_000_000]}


def package_versions() -> dict[str, str]:
    versions = {}
    for name in TRACKED_PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            pass
    return versions


def _plain(value):
    """Snakemake params/wildcards -> JSON-able plain Python."""
    try:
        return json.loads(json.dumps(value, default=lambda o: dict(o) if hasattr(o, "items") else str(o)))
    except (TypeError, ValueError):
        return str(value)


INCOMING_DIR = "incoming"          # .smt/incoming/<label>.json: one finished job's record, not merged yet
MERGE_LOCK = "merge.lock"          # .smt/merge.lock/: held (a directory) while records are merged
STALE_LOCK_S = 600.0               # a merge lock older than this was left by a killed merger
RECORDS_FILE = "records"           # .smt/records: the SQLite record store (Django)


@contextlib.contextmanager
def _merge_lock(workdir: Path, wait_s: float = 60.0):
    """Exclusive lock for the record store that also works on NFS and other network file systems.

    ``mkdir`` is atomic on every file system a cluster shares (unlike ``fcntl``/``flock``, which NFS
    may not propagate between nodes). Yields True when held, False when ``wait_s`` passed (the caller
    leaves its record in .smt/incoming/ for the next merger). A lock older than STALE_LOCK_S is broken."""
    lock = workdir / SMT_DIR / MERGE_LOCK
    deadline = time.monotonic() + wait_s
    held = False
    while True:
        try:
            lock.mkdir()
            held = True
            break
        except FileExistsError:
            with contextlib.suppress(OSError):
                if time.time() - lock.stat().st_mtime > STALE_LOCK_S:
                    lock.rmdir()  # a merger killed while holding it; rmdir fails harmlessly on a race
                    continue
            if time.monotonic() > deadline:
                break
            time.sleep(0.05 + 0.1 * (os.getpid() % 7) / 7)
    try:
        yield held
    finally:
        if held:
            with contextlib.suppress(OSError):
                lock.rmdir()


def _project_file_data(workdir: Path) -> dict:
    """Contents of .smt/project with paths RELATIVE to the project root, so that a copied or moved workspace
    keeps using its own store (``smt`` resolves them against the directory it runs in: the project root)."""
    return {"name": PROJECT_NAME, "default_executable": None, "default_repository": None,
            "default_launch_mode": None,
            "data_store": {"type": "sumatra.datastore.filesystem.FileSystemDataStore", "root": "."},
            "record_store": {"type": "sumatra.recordstore.django_store.DjangoRecordStore",
                             "db_file": f"{SMT_DIR}/{RECORDS_FILE}"},
            "default_main_file": None, "on_changed": "store-diff",
            "description": "cortexflow workflow jobs (one record per Snakemake job)", "data_label": None,
            "_most_recent": None,
            "input_datastore": {"type": "sumatra.datastore.filesystem.FileSystemDataStore", "root": "."},
            "label_generator": "timestamp", "timestamp_format": "%Y%m%d-%H%M%S", "sumatra_version": "0.8.1",
            "allow_command_line_parameters": True, "ignore_parameters": False, "plugins": []}


def ensure_project(workdir: Path) -> None:
    """Create .smt/project (relative paths), or rewrite one that names absolute paths (a store made by an
    older cortexflow, or by ``smt init``): those would send the records of a copy to the original's store."""
    smt = workdir / SMT_DIR
    smt.mkdir(exist_ok=True)
    (smt / INCOMING_DIR).mkdir(exist_ok=True)
    pfile = smt / "project"
    with contextlib.suppress(OSError, ValueError):
        data = json.loads(pfile.read_text())
        if (data.get("record_store", {}).get("db_file") == f"{SMT_DIR}/{RECORDS_FILE}"
                and data.get("data_store", {}).get("root") == "."):
            return
    tmp = smt / f".project.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(_project_file_data(workdir), indent=2))
    os.replace(tmp, pfile)


def _record_store(workdir: Path):
    """The workspace's own SQLite record store (absolute path of THIS workdir, never the stored one)."""
    from sumatra.recordstore.django_store import DjangoRecordStore

    return DjangoRecordStore(str(workdir.resolve() / SMT_DIR / RECORDS_FILE))


def merge_records(workdir: Path, wait_s: float = 60.0) -> int:
    """Move every record of .smt/incoming/ into the SQLite store; returns how many were merged.

    Called by each job after it wrote its own record file (so records usually appear at once), by the local
    rule figure_provenance, and by ``python -m cortexflow.provenance merge``. Only the holder of the merge
    lock writes the SQLite file, so concurrent jobs on several cluster nodes never write it at the same
    time; a record file is deleted only after its record is stored, so a killed merger loses nothing (the
    next merge stores it again under the same label, which overwrites)."""
    from sumatra.recordstore import serialization

    workdir = Path(workdir)
    ensure_project(workdir)
    incoming = workdir / SMT_DIR / INCOMING_DIR
    merged = 0
    with _merge_lock(workdir, wait_s) as held:
        if not held:
            return 0
        store = None
        for f in sorted(incoming.glob("*.json")):
            try:
                record = serialization.decode_record(f.read_text())
            except FileNotFoundError:
                continue
            if store is None:
                store = _record_store(workdir)
            for attempt in range(50):  # SQLite may be busy with a reader (smt list)
                try:
                    store.save(PROJECT_NAME, record)
                    break
                except Exception as err:  # django.db.OperationalError, sqlite3.OperationalError
                    if "locked" not in str(err).lower() or attempt == 49:
                        raise
                    time.sleep(0.2)
            f.unlink()
            merged += 1
            (workdir / SMT_DIR / MERGE_LOCK).touch()  # a long merge is not stale
    return merged


def pending_records(workdir: Path) -> int:
    """Records written by jobs but not merged into the store yet."""
    return len(list((Path(workdir) / SMT_DIR / INCOMING_DIR).glob("*.json")))


@dataclass
class Job:
    """The job ``tracked`` records: a Snakemake job (``Job.of(snakemake)``, what the rules' scripts pass) or a
    command run outside a script, e.g. ``python -m cortexflow.simulation.run`` of rule simulate."""
    rule: str
    params: dict
    wildcards: dict
    input: list
    output: list
    log: list = field(default_factory=list)
    source_root: Path | None = None  # the checkout whose code version is recorded (None: the working directory)
    config: dict = field(default_factory=dict)

    @classmethod
    def of(cls, smk) -> Job:
        """The job of a Snakemake script's ``snakemake`` object (a Job is returned as it is)."""
        if isinstance(smk, Job):
            return smk
        scriptdir = getattr(smk, "scriptdir", None)
        return cls(rule=smk.rule, params=dict(smk.params.items()), wildcards=dict(smk.wildcards.items()),
                   input=list(smk.input), output=list(smk.output), log=list(smk.log),
                   source_root=Path(scriptdir).resolve().parent if scriptdir else None,
                   config=getattr(smk, "config", {}))


# the checkout of an editable install (src/cortexflow/provenance.py): the source root of commands (Job.source_root)
SOURCE_ROOT = Path(__file__).resolve().parents[2]


class JobRecord:
    """What ``tracked`` yields: the record label (for figure metadata) and extra notes to store."""

    def __init__(self, label: str, rule: str, params: dict, version: dict, inputs=(), config_digest=""):
        self.label, self.rule, self.params, self.version = label, rule, params, version
        self.inputs, self.config_digest = list(inputs), config_digest
        self.notes: dict = {}

    def figure_metadata(self) -> dict:
        """Metadata embedded in a figure file: commit, rule, config digest, Sumatra record label, params
        and inputs (PNG text chunks; the PDF gets the same in its Keywords)."""
        dirty = "+dirty" if self.version.get("dirty") else ""
        commit = f"{self.version['commit']}{dirty}"
        return {"Title": self.rule, "Subject": f"cortexflow rule {self.rule}",
                "Keywords": f"commit={commit} rule={self.rule} record={self.label} "
                            f"config={self.config_digest} params={params_digest(self.params)}",
                "cortexflow_commit": commit, "cortexflow_rule": self.rule,
                "cortexflow_record": self.label, "cortexflow_config_digest": self.config_digest,
                "cortexflow_params": json.dumps(self.params["params"], sort_keys=True),
                "cortexflow_inputs": ";".join(self.inputs)}


def config_digest(config: dict) -> str:
    return hashlib.sha256(json.dumps(_plain(config), sort_keys=True).encode()).hexdigest()[:12]


PROVENANCE_COLUMNS = ["figure", "rule", "record", "commit", "config_digest", "params", "inputs"]


def figure_provenance(png_paths) -> list[dict]:
    """Rows of figures/PROVENANCE.csv, read back from the metadata embedded in each PNG."""
    from PIL import Image
    rows = []
    for png in png_paths:
        with Image.open(png) as im:
            text = dict(im.text)
        if "cortexflow_rule" not in text:
            raise ValueError(f"figure {png} carries no cortexflow provenance metadata")
        rows.append({"figure": str(Path(png).with_suffix("")), "rule": text["cortexflow_rule"],
                     "record": text["cortexflow_record"], "commit": text["cortexflow_commit"],
                     "config_digest": text["cortexflow_config_digest"], "params": text["cortexflow_params"],
                     "inputs": text["cortexflow_inputs"]})
    return rows


def write_record(workdir: Path, source_root: Path, job: JobRecord, inputs: list[str], outputs: list[str],
                 main_file: str,
                 started: float, duration: float, outcome: str, log_text: str) -> None:
    """Store one Sumatra record for a finished (or failed) job."""
    from sumatra.datastore import FileSystemDataStore
    from sumatra.datastore.filesystem import DataFile
    from sumatra.dependency_finder.python import Dependency
    from sumatra.launch import SerialLaunchMode
    from sumatra.parameters import JSONParameterSet
    from sumatra.programs import PythonExecutable
    from sumatra.records import Record
    from sumatra.versioncontrol._git import GitRepository
    from sumatra.versioncontrol.base import Repository

    store = FileSystemDataStore(str(workdir))

    def keys(paths):
        found = []
        for p in paths:
            path = Path(p)
            if path.is_file():
                rel = os.path.relpath(path.resolve(), workdir.resolve())
                found.append(DataFile(rel, store).generate_key())
        return found

    version = job.version
    if version["commit"].startswith("unknown"):  # e.g. an exported copy of the workflow: no git
        repo = Repository(str(source_root), upstream="(not a git checkout)")
    else:
        repo = GitRepository(str(source_root))
    launch = SerialLaunchMode(working_directory=str(workdir))
    record = Record(executable=PythonExecutable(sys.executable, version=platform.python_version()),
                    repository=repo, main_file=main_file,
                    version=version["commit"] + ("+dirty" if version.get("dirty") else ""),
                    launch_mode=launch, datastore=store,
                    parameters=JSONParameterSet(json.dumps(job.params, sort_keys=True)),
                    input_data=keys(inputs), script_arguments="", label=job.label,
                    reason=f"snakemake rule {job.rule}", diff=version.get("diff", ""),
                    timestamp=datetime.fromtimestamp(started, UTC))
    record.output_data = keys(outputs)
    record.duration = duration
    record.outcome = outcome
    record.platforms = launch.get_platform_information()
    record.dependencies = [Dependency(name, path="", version=v) for name, v in package_versions().items()]
    record.stdout_stderr = log_text[-20000:]
    record.tags = {f"rule:{job.rule}", "finished" if outcome == "succeeded" else "failed"}
    # one file per job (unique label, written atomically): concurrent jobs never share a file; then merge
    from sumatra.recordstore import serialization

    ensure_project(workdir)
    incoming = workdir / SMT_DIR / INCOMING_DIR
    tmp = incoming / f".{job.label}.{os.getpid()}.tmp"
    tmp.write_text(serialization.encode_record(record, indent=1))
    os.replace(tmp, incoming / f"{job.label}.json")
    merge_records(workdir, wait_s=float(os.environ.get("CORTEXFLOW_PROVENANCE_MERGE_WAIT", "30")))


def _main_file(rule: str) -> str:
    """The rule's script: Snakemake runs a copy named ``.snakemake/scripts/tmpXXXX.<script>.py``."""
    main = getattr(sys.modules.get("__main__"), "__file__", None) or ""
    name = Path(main).name
    if name.startswith("tmp") and name.count(".") >= 2:
        return f"scripts/{name.split('.', 1)[1]}"
    return main or f"(rule {rule})"


class JobFailed(SystemExit):
    """A job's script failed: exit status 1, no traceback on the terminal (the traceback is in the rule's
    log). ``error`` is the original exception, ``line`` the one line printed to stderr."""

    def __init__(self, line: str, error: BaseException):
        super().__init__(1)
        self.line, self.error = line, error


def error_line(err: BaseException, rule: str, wildcards: dict | None = None, log: str | None = None) -> str:
    """``error: <what>, <where>, <fix>`` on one line: the message of an error that already has that form
    (it starts with ``error:``), else ``error: rule <rule> (<wildcards>): <Type>: <message>; see <log>``."""
    text = " ".join(str(err).split()) or type(err).__name__
    if text.startswith("error:"):
        return text
    where = f"rule {rule}" + (f" ({', '.join(f'{k}={v}' for k, v in wildcards.items())})" if wildcards else "")
    fix = f"; the traceback is in {log}" if log else ""
    return f"error: {where}: {type(err).__name__}: {text}{fix}"


def report_error(err: BaseException, rule: str, wildcards: dict | None, logs) -> str:
    """Append the traceback of ``err`` to the first log file and print its one-line message to stderr."""
    logs = [str(p) for p in logs or []]
    line = error_line(err, rule, wildcards, logs[0] if logs else None)
    if logs:
        with contextlib.suppress(OSError):
            Path(logs[0]).parent.mkdir(parents=True, exist_ok=True)
            with open(logs[0], "a") as f:
                f.write(f"{line}\n{traceback.format_exc()}")
    print(line, file=sys.stderr, flush=True)
    return line


def _unraisable_to_log(logs):
    """``sys.unraisablehook`` that writes to the rule's log instead of stderr: after a failed HDF5 write
    (disk full) h5py reports every object it cannot close with a traceback, which belongs in the log."""
    def hook(unraisable):
        text = "".join(traceback.format_exception(unraisable.exc_type, unraisable.exc_value,
                                                  unraisable.exc_traceback))
        with contextlib.suppress(OSError), open(logs[0], "a") as f:
            f.write(f"Exception ignored in: {unraisable.object!r}\n{text}")
    return hook
def log_to_job_file(smk) -> None:
    """The logging set-up of every rule script: INFO lines with a time stamp to the job's first log file
    (none configured: nothing changes); font-subsetting chatter of PDF figures kept out."""
    logs = list(getattr(smk, "log", None) or [])
    if logs:
        logging.basicConfig(filename=logs[0], level=logging.INFO, format="%(asctime)s %(message)s")
    logging.getLogger("fontTools").setLevel(logging.WARNING)


@contextlib.contextmanager
def tracked(smk, main_file: str | None = None, enabled: bool | None = None):
    """Run a Snakemake script's body (``smk``: its ``snakemake`` object, or a :class:`Job`) and store one
    Sumatra record for it (also when it fails).

    Sets up logging to the job's log file (:func:`log_to_job_file`), and logs the traceback of an error
    there before it propagates, so that the scripts do neither themselves.
    Set CORTEXFLOW_PROVENANCE=0 to switch recording off (e.g. in unit tests of scripts).
    """
    log_to_job_file(smk)
    if enabled is None:
        enabled = os.environ.get("CORTEXFLOW_PROVENANCE", "1") != "0"
    # warnings of the job (numpy, NEST, matplotlib, ours) go to the rule's log like its logging lines,
    # not to the terminal of the Snakemake run (the scripts configure logging with filename=snakemake.log[0])
    import logging

    logging.captureWarnings(True)
    workdir = Path.cwd()
    smk = Job.of(smk)
    rule = smk.rule
    params = {"params": _plain(smk.params), "wildcards": _plain(smk.wildcards)}
    source_root = smk.source_root or workdir
    version = code_version(source_root)
    job = JobRecord(job_label(rule, smk.wildcards, params), rule, params, version,
                    inputs=list(smk.input), config_digest=config_digest(smk.config))
    started = time.time()
    outcome = "succeeded"
    if list(smk.log):
        sys.unraisablehook = _unraisable_to_log([str(p) for p in smk.log])
    try:
        from cortexflow.rawdata import check_raw_inputs, check_user_inputs

        from cortexflow.fileio import check_h5_inputs

        check_raw_inputs(smk.input)  # a raw input whose sha256 differs from data/raw/sources.yaml is refused
        check_user_inputs(smk.input, getattr(smk, "config", None))  # data/user/: the sha256 declared in config
        check_h5_inputs(smk.input)  # a truncated or damaged .h5 input: one line naming it and the rebuild
        with contextlib.ExitStack() as stack:
            if list(smk.log):  # what the job writes to stderr (warnings, h5py's clean-up reports) goes to its log
                errlog = stack.enter_context(open(str(list(smk.log)[0]), "a"))
                stack.enter_context(contextlib.redirect_stderr(errlog))
            yield job
    except BaseException as err:
        outcome = f"failed: {type(err).__name__}: {err}\n{traceback.format_exc()[-4000:]}"
        if not isinstance(err, Exception):  # KeyboardInterrupt, SystemExit: as they are
            raise
        # the traceback goes to the rule's log, the user sees one line (issue 17)
        line = report_error(err, rule, dict(smk.wildcards.items()), list(smk.log))
        raise JobFailed(line, err) from None
    finally:
        duration = time.time() - started
        if enabled:
            log_text = ""
            for log in smk.log:
                with contextlib.suppress(OSError):
                    log_text += Path(log).read_text(errors="replace")
            job.params.update({"notes": _plain(job.notes)} if job.notes else {})
            try:
                main = main_file or _main_file(rule)
                if Path(main).is_absolute() and Path(main).resolve().is_relative_to(source_root):
                    main = str(Path(main).resolve().relative_to(source_root))
                write_record(workdir, source_root, job, list(smk.input), list(smk.output),
                             main, started, duration, outcome, log_text)
            except Exception as err:  # provenance must never hide the job's own result
                print(f"cortexflow provenance: could not store the Sumatra record: {err}", file=sys.stderr)
                if outcome == "succeeded" and os.environ.get("CORTEXFLOW_PROVENANCE_STRICT") == "1":
                    raise
        if "No space left on device" in outcome and main_file is None and _main_file(rule).startswith("scripts/"):
            # a Snakemake script after a failed HDF5 write (disk full): leave at once with status 1, since
            # HDF5's clean-up at interpreter exit can segfault (status 139) on the file it could not close
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(1)


def main(argv=None) -> int:
    """``python -m cortexflow.provenance merge [DIR]``: merge waiting records into DIR's store (default .)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m cortexflow.provenance")
    parser.add_argument("command", choices=["merge"])
    parser.add_argument("workdir", nargs="?", default=".")
    args = parser.parse_args(argv)
    n = merge_records(Path(args.workdir).resolve(), wait_s=600.0)
    left = pending_records(Path(args.workdir))
    print(f"merged {n} record(s) into {Path(args.workdir) / SMT_DIR / RECORDS_FILE}; {left} waiting")
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
