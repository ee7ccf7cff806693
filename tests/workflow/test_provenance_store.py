# SPDX-License-Identifier: GPL-3.0-or-later
"""The Sumatra store is portable (copies and moves keep their own records) and merges per-job record files."""
import json
import shutil
import subprocess
import sys

from cortexflow.provenance import SMT_DIR, ensure_project, merge_records, pending_records
from tests.workflow.test_provenance import run_jobs, smt


def labels_of(results):
    assert all(rc == 0 for _, _, rc in results), [err for _, err, _ in results]
    return {out.strip() for out, _, _ in results}


def test_project_file_names_relative_paths(tmp_path):
    labels_of(run_jobs(tmp_path, [1]))
    data = json.loads((tmp_path / SMT_DIR / "project").read_text())
    assert data["record_store"]["db_file"] == ".smt/records"
    assert data["data_store"]["root"] == "." and str(tmp_path) not in json.dumps(data)
    assert pending_records(tmp_path) == 0  # merged at once by the job itself


def test_copied_and_moved_workspaces_keep_their_own_store(tmp_path):
    a = tmp_path / "a"
    a.mkdir()
    first = labels_of(run_jobs(a, [1, 2]))
    b = tmp_path / "copy of a"            # a space in the path, too
    shutil.copytree(a, b)
    in_copy = labels_of(run_jobs(b, [3]))
    assert set(smt(a, "list").split()) == first
    assert set(smt(b, "list").split()) == first | in_copy
    c = tmp_path / "moved"
    a.rename(c)
    in_moved = labels_of(run_jobs(c, [4]))
    assert set(smt(c, "list").split()) == first | in_moved
    assert not a.exists()                 # nothing re-created at the old place


def test_store_with_absolute_paths_is_rewritten(tmp_path):
    other = tmp_path / "original"
    mine = tmp_path / "mine"
    for d in (other, mine):
        d.mkdir()
    labels_of(run_jobs(other, [1]))
    shutil.copytree(other / SMT_DIR, mine / SMT_DIR)
    # what cortexflow <= this version (and `smt init`) wrote: absolute paths of the original workspace
    data = json.loads((mine / SMT_DIR / "project").read_text())
    data["record_store"]["db_file"] = str(other / SMT_DIR / "records")
    data["data_store"]["root"] = data["input_datastore"]["root"] = str(other)
    (mine / SMT_DIR / "project").write_text(json.dumps(data))
    new = labels_of(run_jobs(mine, [2]))
    assert len(smt(other, "list").split()) == 1
    assert new <= set(smt(mine, "list").split()) and len(smt(mine, "list").split()) == 2


def test_records_left_waiting_are_merged_later(tmp_path, monkeypatch):
    # a job that cannot get the merge lock leaves its record file; the next merge stores it
    ensure_project(tmp_path)
    (tmp_path / SMT_DIR / "merge.lock").mkdir()
    monkeypatch.setenv("CORTEXFLOW_PROVENANCE_MERGE_WAIT", "0.2")
    results = [r for r in run_jobs(tmp_path, [5, 6])]
    assert pending_records(tmp_path) == 2
    (tmp_path / SMT_DIR / "merge.lock").rmdir()
    proc = subprocess.run([sys.executable, "-m", "cortexflow.provenance", "merge", str(tmp_path)],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and "merged 2 record(s)" in proc.stdout, proc.stderr
    assert set(smt(tmp_path, "list").split()) == labels_of(results)
    assert merge_records(tmp_path) == 0
