# SPDX-License-Identifier: GPL-3.0-or-later
"""Input, params and resource functions of the rules, bound to one validated config.

rules/common.smk builds one ``Inputs(config, raw_sources)`` as ``inputs``; the rules name its methods
(``unpack(inputs.simulate)``, ``params: sim=inputs.sim_params``), as in snakemake-workflows'
rna-seq-star-deseq2 ``common.smk``. Each method takes the job's ``wildcards`` (and, where Snakemake passes
them by name, ``input``, ``attempt``, ``resources``); paths come from cortexflow.workflow.paths.
"""
from __future__ import annotations

import json

from cortexflow.workflow import figures as fig, paths, replicates, scaling, settings, simulations as sims
from cortexflow.workflow.simulations import seed_ensemble, simulation_entry


class Inputs:
    def __init__(self, config: dict, raw_sources: dict):
        self.config = config
        self.raw_sources = raw_sources  # data/raw/sources.yaml "files"
        self.simulations = sims.simulations(config)
        self.run_simulations = sims.run_simulations(config)

    # --- raw data -----------------------------------------------------------------------------------------
    def raw(self, name: str) -> str:
        """Path of a raw data file under data/raw/ (rule raw_data); a name not in the manifest stops the DAG."""
        if name not in self.raw_sources:
            raise ValueError(f"{name} is not listed in {paths.RAW_MANIFEST}")
        return paths.RAW.format(name=name)

    def data_file(self, name: str) -> str:
        """A raw-data file (data/raw/) or a user file declared in config ``raw_data.user_files``
        (data/user/<name>, checked against its sha256 by cortexflow.config and by every job reading it)."""
        if name in ((self.config.get("raw_data") or {}).get("user_files") or {}):
            return f"data/user/{name}"
        return self.raw(name)

    # --- networks (rules/structure.smk) -------------------------------------------------------------------
    def network_entry(self, wildcards) -> dict:
        """config ``networks.{net}`` (params.net of rule build_network)."""
        return self.config["networks"][wildcards.net]

    def build_network(self, wildcards) -> dict:
        """{'processed', 'raw': [...], 'K_stable'} for a mam network; {} for other models."""
        net = self.network_entry(wildcards)
        if net.get("model") != "mam":
            return {}
        from cortexflow.workflow.constants import MAM_RAW_FILES

        inputs = {"processed": paths.PROCESSED, "raw": [self.raw(name) for name in MAM_RAW_FILES.values()]}
        if net.get("K_stable"):
            inputs["K_stable"] = self.data_file(net["K_stable"])
        return inputs

    # --- simulations (rules/simulation.smk) ---------------------------------------------------------------
    def sim_entry(self, wildcards) -> dict:
        """Config entry of {sim}, or of a seed variant {sim}/seed{k} (seed + k; rule validate)."""
        return simulation_entry(self.run_simulations, wildcards.sim)

    def N_scaling(self, wildcards) -> float:
        return self.sim_entry(wildcards).get("N_scaling", 1.0)

    def K_scaling(self, wildcards) -> float:
        return self.sim_entry(wildcards).get("K_scaling", 1.0)

    def dc_rates(self, wildcards) -> str:
        """The rates of the DC compensation: 'meanfield' or a simulation (rule scale_network)."""
        return self.sim_entry(wildcards).get("dc_rates") or "meanfield"

    def sim_params(self, wildcards) -> dict:
        """params.sim of rule simulate (cortexflow.workflow.simulations.sim_params)."""
        return sims.sim_params(self.sim_entry(wildcards))

    def sim_json(self, wildcards) -> str:
        return json.dumps(self.sim_params(wildcards), sort_keys=True)

    def sim_threads(self, wildcards) -> int:
        return self.sim_entry(wildcards).get("threads", 1)

    def sim_tasks(self, wildcards) -> int:
        return self.sim_entry(wildcards).get("mpi_ranks", 1)

    def full_network(self, wildcards) -> str:
        """network.h5 of {sim}'s network before down-scaling."""
        return paths.NETWORK.format(net=self.sim_entry(wildcards)["network"])

    def scale_network(self, wildcards) -> dict:
        """The full-scale network and, with K_scaling != 1, the rates of the DC compensation."""
        from cortexflow.simulation.config import DC_RATES_MEANFIELD

        sim = self.sim_entry(wildcards)
        net = sim["network"]
        inputs = {"network": self.full_network(wildcards)}
        if sim.get("K_scaling", 1.0) != 1.0:
            src = sim.get("dc_rates") or DC_RATES_MEANFIELD
            if src == DC_RATES_MEANFIELD:
                inputs["rates"] = paths.FIXED_POINT.format(net=net)
            else:
                # rates of another simulation of the same network (checked in config.check_simulations): a DAG edge
                inputs["rates_summary"] = paths.SUMMARY.format(sim=src)
        return inputs

    def simulate(self, wildcards) -> dict:
        """The scaled network (of {sim}, also for its seed variants) and the rates of replaced areas."""
        inputs = {"network": paths.SIM_NETWORK.format(sim=sims.base_simulation(wildcards.sim))}
        rates = sims.replace_rates_file(self.sim_entry(wildcards))
        if rates:
            inputs["replace_rates"] = rates
        return inputs

    @staticmethod
    def replace_option(wildcards, input) -> str:
        """The --replace-rates option of the simulate command ('' without replaced rates)."""
        return f"--replace-rates {input.replace_rates}" if "replace_rates" in input.keys() else ""

    def meanfield_subset(self, wildcards) -> dict:
        sim = self.simulations[wildcards.sim]
        inputs = {"network": paths.SIM_NETWORK.format(sim=wildcards.sim),
                  "fixed_point": paths.FIXED_POINT.format(net=sim["network"])}
        rates = sims.replace_rates_file(sim)
        if rates:
            inputs["replace_rates"] = rates
        return inputs

    def subset_entry(self, wildcards) -> dict:
        return self.simulations[wildcards.sim]

    def _request(self, wildcards, input) -> dict:
        """Fitted mem_mb/runtime (cortexflow.simulation.resources.planned_request): from the scaled network once
        it exists (Snakemake re-evaluates resources when the job becomes ready, so a submitted job always gets
        this), before that from the full-scale network or the model's size scaled by N_scaling/K_scaling."""
        from cortexflow.simulation import resources

        sim = self.sim_entry(wildcards)
        net = sim["network"]
        model = sims.model_of(self.config, net)  # also for a stabilised '{base}-stable' network
        return resources.planned_request(sim, input.network, paths.NETWORK.format(net=net), model)

    def sim_mem_mb(self, wildcards, input, attempt) -> int:
        """Memory of the whole job (MB), x attempt: a job killed for memory is retried with more (retries)."""
        sim = self.sim_entry(wildcards)
        return (sim.get("mem_mb") or self._request(wildcards, input)["mem_mb"]) * attempt

    def sim_mem_mb_per_cpu(self, wildcards, input, attempt) -> int:
        """For several MPI ranks (possibly on several nodes) SLURM must get memory per CPU, not per node
        (--mem is per node): mem_mb / (ranks x threads); 0 (unused: --mem) for one rank."""
        sim = self.sim_entry(wildcards)
        cpus = sim.get("mpi_ranks", 1) * sim.get("threads", 1)
        if sim.get("mpi_ranks", 1) <= 1:
            return 0
        return -(-self.sim_mem_mb(wildcards, input, attempt) // cpus)

    def sim_mpi(self, wildcards) -> str:
        """Resource ``mpi`` (the SLURM plugin's MPI flag): 'mpi' for several ranks, '' (not an MPI job) for one."""
        return "mpi" if self.sim_tasks(wildcards) > 1 else ""

    def sim_runtime(self, wildcards, input, attempt) -> int:
        """Wall time (min) x attempt (a job killed at its time limit is retried with more)."""
        sim = self.sim_entry(wildcards)
        return (sim.get("runtime") or self._request(wildcards, input)["runtime"]) * attempt

    # --- the scale study (rules/scaling.smk) --------------------------------------------------------------
    def scaling_runs(self, wildcards) -> list[dict]:
        """[{name, N_scaling, K_scaling, seed, entry}] of one scale study (params.runs of scaling_summary)."""
        return scaling.study_runs(self.config, wildcards.study)

    def scaling_summary(self, wildcards) -> dict:
        runs = self.scaling_runs(wildcards)
        net = scaling.study_network(self.config, wildcards.study)
        return {"summaries": [paths.SUMMARY.format(sim=r["name"]) for r in runs],
                "runs": [paths.RUN.format(sim=r["name"]) for r in runs],
                "networks": [paths.SIM_NETWORK.format(sim=r["name"]) for r in runs],
                "network": paths.NETWORK.format(net=net),
                "fixed_point": paths.FIXED_POINT.format(net=net)}

    # --- spike analysis (rules/analysis.smk) --------------------------------------------------------------
    def power_spectra(self, wildcards) -> dict:
        """The rate series, after the plan-time check of ``analysis.welch`` (simulations.check_welch)."""
        sims.check_welch(self.config, wildcards.sim)
        return {"rate_series": paths.RATE_SERIES.format(sim=wildcards.sim)}

    # --- structure figures (rules/figures_structure.smk) ---------------------------------------------------
    def _structure(self, wildcards) -> fig.Figure:
        return fig.by_stem(fig.STRUCTURE_FIGURES)[wildcards.figure]

    def figure_structure(self, wildcards) -> dict:
        """Named inputs of a structure figure: processed and data_points.json, its network, the communities."""
        key = self._structure(wildcards).key
        net = fig.structure_network(self.config, self._structure(wildcards))
        inputs = {}
        if key in ("anatomy", "construction", "connectivity", "laminar_patterns"):
            inputs["processed"] = paths.PROCESSED
        if key in ("anatomy", "connectivity", "laminar_patterns"):
            inputs["data_points"] = paths.DATA_POINTS
        if net:
            inputs["network"] = paths.NETWORK.format(net=net)
        if key == "communities":
            inputs["communities"] = paths.COMMUNITIES.format(net=net)
        return inputs

    def structure_key(self, wildcards) -> str:
        return self._structure(wildcards).key

    def structure_options(self, wildcards) -> dict:
        return self.config["figures"]["structure"][self._structure(wildcards).key]

    def structure_network(self, wildcards) -> str | None:
        return fig.structure_network(self.config, self._structure(wildcards))

    def structure_network_params(self, wildcards) -> dict | None:
        net = self.structure_network(wildcards)
        return self.config["networks"][net] if net else None

    @staticmethod
    def structure_category(wildcards) -> str:
        return fig.by_stem(fig.STRUCTURE_FIGURES)[wildcards.figure].category

    # --- mechanism and structure analyses (rules/figures_theory_extra.smk) ----------------------------------
    def _theory_extra(self, wildcards) -> fig.Figure:
        return fig.theory_extra_figures(self.config)[wildcards.figure]

    def theory_extra_data(self, wildcards) -> str:
        return fig.theory_extra_data(self.config, self._theory_extra(wildcards))

    def theory_extra_key(self, wildcards) -> str:
        return self._theory_extra(wildcards).key

    def theory_extra_options(self, wildcards) -> dict:
        return fig.theory_extra_options(self.config, self._theory_extra(wildcards))

    def theory_extra_category(self, wildcards) -> str:
        return self._theory_extra(wildcards).category

    # --- dynamics figures (rules/figures_dynamics.smk) ------------------------------------------------------
    def _dynamics(self, wildcards) -> fig.Figure:
        return fig.by_stem(fig.DYNAMICS_FIGURES)[wildcards.figure]

    def figure_dynamics(self, wildcards) -> dict:
        """Named inputs of a dynamics figure (lists for the multi-simulation figures)."""
        key = self._dynamics(wildcards).key
        names = fig.dynamics_simulations(self.config, key)
        first = names[0]
        if key in ("pd14_raster", "ground_state", "metastable_state"):
            return {"spikes": paths.SPIKES.format(sim=first), "summary": paths.SUMMARY.format(sim=first)}
        if key == "pd14_statistics":
            return {"summary": paths.SUMMARY.format(sim=first), "distributions": paths.DISTRIBUTIONS.format(sim=first)}
        if key == "metastability":
            return {"rate_series": [paths.RATE_SERIES.format(sim=s) for s in names],
                    "summary": [paths.SUMMARY.format(sim=s) for s in names],
                    "fixed_point": [paths.FIXED_POINT.format(net=self.simulations[s]["network"]) for s in names]}
        if key == "spectra":
            return {"spectra": [paths.SPECTRA.format(sim=s) for s in names]}
        if key == "temporal_hierarchy":
            return {"hierarchy": paths.TEMPORAL_HIERARCHY.format(sim=first),
                    "cross_correlation": paths.CROSS_CORRELATION.format(sim=first)}
        if key == "functional_connectivity":
            # structure: the communities of the simulated network itself (PCB18 Fig 8 D-E: Infomap on the model's
            # connectivity, stabilised K; chi does not change the synapse counts they are computed from)
            return {"signals": paths.AREA_SIGNALS.format(sim=first),
                    "communities": paths.FC_COMMUNITIES.format(sim=first),
                    "structure": paths.COMMUNITIES.format(net=simulation_entry(self.simulations, first)["network"])}
        raise KeyError(f"figures.dynamics.{key}: no such figure")

    def dynamics_draw(self, wildcards) -> str:
        return self._dynamics(wildcards).draw

    def dynamics_key(self, wildcards) -> str:
        return self._dynamics(wildcards).key

    def dynamics_options(self, wildcards) -> dict:
        return self.config["figures"]["dynamics"][self._dynamics(wildcards).key]

    def dynamics_simulations(self, wildcards) -> list[str]:
        return fig.dynamics_simulations(self.config, self._dynamics(wildcards).key)

    def dynamics_scale(self, wildcards) -> str:
        return fig.dynamics_scale(self.config, self._dynamics(wildcards).key)

    def dynamics_footer(self, wildcards) -> list[str]:
        return fig.dynamics_footer(self.config, self._dynamics(wildcards).key)

    @staticmethod
    def dynamics_category(wildcards) -> str:
        return fig.by_stem(fig.DYNAMICS_FIGURES)[wildcards.figure].category

    # --- seed ensembles: model vs reference, validation (rules/figures_dynamics.smk, validation.smk) --------
    def ensemble_summaries(self, wildcards) -> list[str]:
        return self.ensemble_files(wildcards.sim, "summary.csv")

    def ensemble_distributions(self, wildcards) -> list[str]:
        return self.ensemble_files(wildcards.sim, "distributions.h5")

    def ensemble_files(self, sim: str, name: str) -> list[str]:
        """``stats/<name>`` of every run of the seed ensemble of ``sim``."""
        return [paths.stats(s, name) for s in seed_ensemble(self.config, sim)]

    def reference_fixed_point(self, wildcards) -> str:
        """Mean-field rates of the simulation's (full-scale) network: the mam reference and a pd14 marker."""
        return paths.FIXED_POINT.format(net=simulation_entry(self.simulations, wildcards.sim)["network"])

    def model(self, wildcards) -> str | None:
        return sims.sim_model(self.config, wildcards.sim)

    def seed_ensemble(self, wildcards) -> list[str]:
        return seed_ensemble(self.config, wildcards.sim)

    def seeds(self, wildcards) -> list[int]:
        return sims.seeds_of(self.config, wildcards.sim)

    def scale_note(self, wildcards) -> str:
        return sims.scale_note(self.config, wildcards.sim)

    def ensemble_footer(self, wildcards) -> list[str]:
        return fig.ensemble_footer(self.config, wildcards.sim)

    def analysis_window_s(self, wildcards) -> float:
        return sims.analysis_window_s(self.config, wildcards.sim)

    # --- the PD14 package (rules/pd14_package.smk) ---------------------------------------------------------
    def package_files(self, sim: str, name: str) -> list[str]:
        """``<name>`` of every package run of ``sim``: results/sims/{sim}-pkg/seed{s}/, s = our ensemble's seeds."""
        return [f"{paths.PKG_RUN_DIR.format(sim=sim, seed=s)}/{name}" for s in sims.seeds_of(self.config, sim)]

    def package_distributions(self, wildcards) -> list[str]:
        return self.package_files(wildcards.sim, "stats/distributions.h5")

    def package_sim_json(self, wildcards) -> str:
        """The simulation entry of {sim} with NEST seed {seed} (JSON), without the keys that change no result
        of the package run (resources; dc_rates acts through the scaled network's rates_full)."""
        entry = sims.sim_params(simulation_entry(self.simulations, wildcards.sim))
        entry["seed"] = int(wildcards.seed)
        return json.dumps(entry, sort_keys=True)

    # --- data dependence (rules/data_dependence.smk) --------------------------------------------------------
    @property
    def replicates(self) -> dict[str, dict]:
        """{replicate: spec} of the data-dependence workflow (cortexflow.workflow.replicates)."""
        if not hasattr(self, "_replicates"):
            self._replicates = replicates.replicates(settings.data_dependence(self.config))
        return self._replicates

    def replicate_spec(self, wildcards) -> dict:
        return self.replicates[wildcards.replicate]

    @staticmethod
    def replicate_raw_dir(wildcards) -> str:
        return replicates.raw_dir(wildcards.replicate)

    def data_dependence_collect(self) -> dict[str, list[str]]:
        """Inputs of rule data_dependence_collect, one list per kind of file (same replicate order)."""
        dd = settings.data_dependence(self.config)
        return replicates.collect_inputs(dd, settings.data_dependence_networks(self.config)[0])

    def data_dependence_figure_options(self, wildcards) -> dict:
        return replicates.figure_options(settings.data_dependence(self.config), settings.theory(self.config),
                                         wildcards.figure)
