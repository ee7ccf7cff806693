# SPDX-License-Identifier: GPL-3.0-or-later
"""NEST 3.10 backend: the only subpackage that imports NEST (lazily, inside ``network.NestNetwork``).

* ``config``    – SimConfig: one entry of the ``simulations:`` config section, validated before NEST starts
* ``mpi``       – launcher checks (ranks vs NEST's MPI support) that run before NEST is imported
* ``network``   – NestNetwork: a network.h5 built and simulated in NEST (setup / create / connect / simulate)
* ``output``    – spikes.h5 / run.json writers (atomic, per population, rank files merged in a stream)
* ``replacement`` – input replacing the areas left out of ``areas_simulated`` (Poisson or DC, no NEST)
* ``resources`` – fitted memory/runtime requests of rule ``simulate``
* ``run``       – the command line used by rule ``simulate`` (``python -m cortexflow.simulation.run``)

See docs/simulation.md.
"""
