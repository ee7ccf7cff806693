# SPDX-License-Identifier: GPL-3.0-or-later
"""Dependence of the model on its underlying data (docs/data_dependence.md).

``resample``: seeded resampled copies of the raw data files (bootstrap over tracer injections and over
density measurements, leave-one-out), written in the formats of data/raw so that every replicate goes
through the unchanged anatomy, structure and theory code. ``workflow``: replicate names and rule inputs.
``collect``: one table per quantity over the replicates. ``cortexflow.plotting.data_dependence``: figures.
"""
