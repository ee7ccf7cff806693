# SPDX-License-Identifier: GPL-3.0-or-later
"""MPI launch checks that run before NEST is imported.

A NEST built without MPI aborts on import when it finds itself under an MPI launcher (exit 127), and
a NEST with MPI started as several copies without a launcher would run the same network N times.
``check_launch`` finds the number of ranks from the launcher's environment and, if it is > 1, asks a
child Python (with the launcher variables removed) whether the installed NEST has MPI, so the parent
never imports NEST in a doomed configuration.
"""
from __future__ import annotations

import os
import subprocess
import sys

# Environment variables that launchers set: world size first, then per-step task counts.
_SIZE_VARS = ("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS", "SLURM_STEP_NUM_TASKS")
_LAUNCHER_PREFIXES = ("OMPI_", "PMI_", "PMIX_", "SLURM_", "MPI_", "HYDRA_", "I_MPI_")


class MPIError(RuntimeError):
    pass


def launched_ranks(env=None) -> int:
    """Number of processes the MPI launcher started (1 if no launcher is visible).

    ``SLURM_NTASKS`` counts only inside a job step (``SLURM_STEP_ID`` set, i.e. under ``srun``): a batch
    script with ``--ntasks=4`` that runs python directly starts one process.
    """
    env = os.environ if env is None else env
    for var in _SIZE_VARS:
        if env.get(var, "").strip().isdigit():
            return int(env[var])
    if "SLURM_STEP_ID" in env and env.get("SLURM_NTASKS", "").strip().isdigit():
        return int(env["SLURM_NTASKS"])
    return 1


def nest_has_mpi() -> bool:
    """Ask a clean child interpreter (no launcher variables) whether NEST was built with MPI."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_LAUNCHER_PREFIXES)}
    code = "import nest, sys; sys.stdout.write('HAVE_MPI=%d' % bool(nest.build_info['have_mpi']))"
    res = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    for token in res.stdout.split():
        if token.startswith("HAVE_MPI="):
            return token.endswith("1")
    raise MPIError(f"could not import NEST to check MPI support:\n{res.stderr[-2000:]}")


def check_launch(expected_ranks: int, env=None) -> int:
    """Stop with a clear message if the launch cannot work; return the number of ranks."""
    ranks = launched_ranks(env)
    if ranks > 1 and not nest_has_mpi():
        raise MPIError(
            f"started under an MPI launcher with {ranks} ranks, but the installed NEST has no MPI support "
            f"(nest.build_info['have_mpi'] is False). Run with mpi_ranks: 1 (threads only) or install an MPI "
            f"build of NEST (see docs/simulation.md).")
    if ranks != expected_ranks:
        raise MPIError(f"the simulation config asks for mpi_ranks={expected_ranks} but {ranks} rank(s) "
                       f"were launched; start it with '<mpirun|srun> -n {expected_ranks}'")
    return ranks
