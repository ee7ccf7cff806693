"""Sumatra records: one per job, complete, and none lost under concurrent writers; figure metadata."""
import subprocess
import sys
import textwrap
from pathlib import Path

from cortexflow.provenance import figure_provenance, job_label, params_digest

ROOT = Path(__file__).resolve().parents[2]
SMT = str(Path(sys.executable).with_name("smt"))

JOB = textwrap.dedent("""
    import sys, types, time
    from pathlib import Path
    from cortexflow.provenance import tracked
    i = int(sys.argv[1])
    Path("in.txt").write_text("input")
    smk = types.SimpleNamespace(rule="demo", params={"a": 1, "i": i}, wildcards={"net": f"n{i}"},
        input=["in.txt"], output=[f"out{i}.txt"], log=[], scriptdir=%r, config={"k": 1})
    with tracked(smk) as job:
        Path(f"out{i}.txt").write_text(str(i))
        if i == 99:
            raise RuntimeError("impossible parameter")
    print(job.label)
""" % str(ROOT / "scripts"))  # noqa: UP031 (the code has braces)


def run_jobs(workdir: Path, ids):
    (workdir / "job.py").write_text(JOB)
    procs = [subprocess.Popen([sys.executable, "job.py", str(i)], cwd=workdir, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in ids]
    return [p.communicate(timeout=300) + (p.returncode,) for p in procs]


def smt(workdir: Path, *args) -> str:
    return subprocess.run([SMT, *args], cwd=workdir, check=True, capture_output=True, text=True).stdout


def test_label_is_rule_wildcards_and_params_hash():
    label = job_label("build_network", {"net": "mam"}, {"params": {"surface": 1.0}})
    rule, wc, digest, stamp = label.split(".")
    assert (rule, wc, digest) == ("build_network", "mam", params_digest({"params": {"surface": 1.0}}))
    assert params_digest({"a": 1, "b": 2}) == params_digest({"b": 2, "a": 1}) != params_digest({"a": 2, "b": 2})


def test_concurrent_jobs_lose_no_record(tmp_path):
    results = run_jobs(tmp_path, range(6))
    assert all(rc == 0 for _, _, rc in results), [err for _, err, _ in results]
    labels = sorted(out.strip() for out, _, _ in results)
    listed = sorted(smt(tmp_path, "list").split())
    assert listed == labels
    view = smt(tmp_path, "view", labels[0])
    assert "Outcome          : succeeded" in view
    assert '"i":' in view.replace(" ", "").replace('"i":', '"i":')
    assert "out" in view and "in.txt" in view  # output and input with digests


def test_failed_job_is_recorded_as_failed(tmp_path):
    (_, err, rc), = run_jobs(tmp_path, [99])
    assert rc != 0 and "impossible parameter" in err
    label = smt(tmp_path, "list").split()[0]
    assert "failed: RuntimeError: impossible parameter" in smt(tmp_path, "view", label)


def test_figure_files_carry_provenance(tmp_path):
    import types
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from cortexflow.plotting.style import save_figure
    from cortexflow.provenance import tracked

    smk = types.SimpleNamespace(rule="fig_demo", params={"bins": 10}, wildcards={}, input=["a.h5"],
                                output=[str(tmp_path / "f.pdf"), str(tmp_path / "f.png")], log=[],
                                scriptdir=str(ROOT / "scripts"), config={"x": 1})
    with tracked(smk, enabled=False) as job:
        fig, ax = plt.subplots()
        ax.plot([0, 1])
        save_figure(fig, smk.output, job.figure_metadata())
    row, = figure_provenance([tmp_path / "f.png"])
    assert row["rule"] == "fig_demo" and row["record"] == job.label
    assert row["params"] == '{"bins": 10}' and row["inputs"] == "a.h5"
    assert len(row["commit"]) >= 40
    pdf = (tmp_path / "f.pdf").read_bytes()
    assert f"record={job.label}".encode() in pdf and b"rule=fig_demo" in pdf
