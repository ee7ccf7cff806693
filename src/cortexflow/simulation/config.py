# SPDX-License-Identifier: GPL-3.0-or-later
"""Parameters of one simulation (an entry of the ``simulations:`` config section), kept apart from the
code that uses them. No NEST import here: these checks run before NEST starts."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from cortexflow.areas import AREAS
from cortexflow.config import schema_defaults

# Inputs that can replace the non-simulated areas (upstream multiarea_model/simulation.py
# replace_non_simulated_areas; 'het_current_stat' is the stationary variant of het_current_nonstat).
REPLACEMENT_MODES = ("hom_poisson_stat", "het_poisson_stat", "het_current_stat")
# Modes that need the stationary rates of the replaced populations (a DAG input of rule simulate).
REPLACEMENT_NEEDS_RATES = ("het_poisson_stat", "het_current_stat")

# Analysis discards the first analysis.t_min ms of the recorded window (initial transient; config/schema.yaml).
ANALYSIS_TRANSIENT_MS = schema_defaults("properties/analysis")["t_min"]
_SIM = schema_defaults("$defs/simulation")  # defaults of a `simulations` entry: config/schema.yaml


@dataclass
class SimConfig:
    """One ``simulations`` entry (meaning, units and defaults: ``$defs/simulation`` of config/schema.yaml)."""
    network: str = ""
    N_scaling: float = _SIM["N_scaling"]
    K_scaling: float = _SIM["K_scaling"]
    drive: str = _SIM["drive"]
    t_sim: float = 1000.0              # required in the config; this value only for direct construction
    t_presim: float = _SIM["t_presim"]
    seed: int = _SIM["seed"]
    threads: int = _SIM["threads"]
    mpi_ranks: int = _SIM["mpi_ranks"]
    resolution: float = _SIM["resolution"]
    areas_simulated: list | None = _SIM["areas_simulated"]
    areas_recorded: list | None = _SIM["areas_recorded"]
    replace_non_simulated_areas: str | None = _SIM["replace_non_simulated_areas"]
    replace_rates: str = _SIM["replace_rates"]
    recorded_fraction: float = _SIM["recorded_fraction"]
    V0_mean: float | list | None = _SIM["V0_mean"]
    V0_sd: float | list | None = _SIM["V0_sd"]
    delay_ext: float | None = _SIM["delay_ext"]
    synapse_model: str = _SIM["synapse_model"]
    # PD14 thalamic input (pd14 networks; cortexflow.simulation.stimulus, PD14 package stimulus_params.py)
    thalamic_input: bool = _SIM["thalamic_input"]
    th_start: float = _SIM["th_start"]            # ms of model time, warm-up included (as the PD14 package)
    th_duration: float = _SIM["th_duration"]
    th_pulses: int = _SIM["th_pulses"]            # pulses at th_start + k th_interval
    th_interval: float = _SIM["th_interval"]
    th_rate: float = _SIM["th_rate"]
    num_th_neurons: int = _SIM["num_th_neurons"]
    conn_probs_th: list = field(default_factory=lambda: list(_SIM["conn_probs_th"]))
    PSP_th: float = _SIM["PSP_th"]
    delay_th_mean: float = _SIM["delay_th_mean"]
    delay_th_rel_std: float = _SIM["delay_th_rel_std"]
    # membrane potentials of the first vm_neurons neurons per recorded population (multimeter) -> vm.h5
    record_vm: bool = _SIM["record_vm"]
    vm_neurons: int = _SIM["vm_neurons"]
    vm_interval: float = _SIM["vm_interval"]
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict) -> SimConfig:
        known = set(cls.__dataclass_fields__) - {"extra"}
        cfg = cls(**{k: v for k, v in d.items() if k in known},
                  extra={k: v for k, v in d.items() if k not in known})
        cfg.validate()
        return cfg

    def to_dict(self) -> dict:
        return asdict(self)

    def validate(self, populations: list[str] | None = None) -> None:
        """One clear message per bad value; ``populations`` (network order) checks per-population lists."""
        for key in ("N_scaling", "K_scaling"):
            v = getattr(self, key)
            if not (isinstance(v, (int, float)) and 0.0 < v <= 1.0):
                raise ValueError(f"simulation {key} must be in (0, 1], got {v!r}")
        if self.drive not in ("poisson", "dc"):
            raise ValueError(f"simulation drive must be 'poisson' or 'dc', got {self.drive!r}")
        if not self.t_sim > ANALYSIS_TRANSIENT_MS:
            raise ValueError(f"simulation t_sim must exceed the {ANALYSIS_TRANSIENT_MS:g} ms analysis transient, "
                             f"got {self.t_sim!r}")
        if self.t_presim < 0:
            raise ValueError(f"simulation t_presim must be >= 0, got {self.t_presim!r}")
        for key in ("threads", "mpi_ranks", "seed"):
            v = getattr(self, key)
            if not (isinstance(v, int) and v >= 1):
                raise ValueError(f"simulation {key} must be an integer >= 1, got {v!r}")
        if not 0.0 <= self.recorded_fraction <= 1.0:
            raise ValueError(f"simulation recorded_fraction must be in [0, 1], got {self.recorded_fraction!r}")
        if self.synapse_model not in ("auto", "static_synapse", "static_synapse_hpc"):
            raise ValueError(f"simulation synapse_model {self.synapse_model!r} is not supported")
        for key in ("areas_simulated", "areas_recorded"):
            areas = getattr(self, key)
            if areas is not None:
                unknown = [a for a in areas if a not in AREAS]
                if unknown:
                    raise ValueError(f"simulation {key}: unknown area(s) {unknown}; known: {AREAS}")
        mode = self.replace_non_simulated_areas
        if mode is not None:
            if mode not in REPLACEMENT_MODES:
                raise ValueError(f"simulation replace_non_simulated_areas must be null or one of "
                                 f"{list(REPLACEMENT_MODES)}, got {mode!r}")
            if self.areas_simulated is None:
                raise ValueError(f"simulation replace_non_simulated_areas: {mode!r} needs areas_simulated "
                                 f"(the areas to keep); with all areas simulated nothing is replaced")
        if not (isinstance(self.replace_rates, str) and self.replace_rates):
            raise ValueError(f"simulation replace_rates must be 'meanfield' or a simulation name, "
                             f"got {self.replace_rates!r}")
        if self.thalamic_input:
            for key in ("th_duration", "th_rate", "PSP_th", "delay_th_mean"):
                if not getattr(self, key) > 0:
                    raise ValueError(f"simulation {key} must be > 0, got {getattr(self, key)!r}")
            if self.th_start < 0 or self.delay_th_rel_std < 0:
                raise ValueError("simulation th_start and delay_th_rel_std must be >= 0")
            if not (isinstance(self.th_pulses, int) and self.th_pulses >= 1):
                raise ValueError(f"simulation th_pulses must be an integer >= 1, got {self.th_pulses!r}")
            if self.th_pulses > 1 and not self.th_interval > self.th_duration:
                raise ValueError(f"simulation th_interval ({self.th_interval} ms) must exceed th_duration "
                                 f"({self.th_duration} ms) when th_pulses > 1")
            last = self.th_start + (self.th_pulses - 1) * self.th_interval + self.th_duration
            if last > self.t_presim + self.t_sim:
                raise ValueError(f"simulation thalamic pulses end at {last:g} ms, after the end of the run "
                                 f"(t_presim + t_sim = {self.t_presim + self.t_sim:g} ms): reduce th_pulses or "
                                 f"th_interval, or lengthen t_sim")
            if not (isinstance(self.num_th_neurons, int) and self.num_th_neurons >= 1):
                raise ValueError(f"simulation num_th_neurons must be an integer >= 1, got {self.num_th_neurons!r}")
            if any(not 0.0 <= c < 1.0 for c in self.conn_probs_th):
                raise ValueError(f"simulation conn_probs_th must lie in [0, 1), got {self.conn_probs_th!r}")
            if populations is not None and len(self.conn_probs_th) != len(populations):
                raise ValueError(f"simulation conn_probs_th has {len(self.conn_probs_th)} values, the network has "
                                 f"{len(populations)} populations")
        if self.record_vm:
            if not (isinstance(self.vm_neurons, int) and self.vm_neurons >= 1):
                raise ValueError(f"simulation vm_neurons must be an integer >= 1, got {self.vm_neurons!r}")
            steps = self.vm_interval / self.resolution
            if not (self.vm_interval > 0 and abs(steps - round(steps)) < 1e-9):
                raise ValueError(f"simulation vm_interval must be a positive multiple of the resolution "
                                 f"{self.resolution} ms, got {self.vm_interval!r}")
        if populations is not None:
            for key in ("V0_mean", "V0_sd"):
                v = getattr(self, key)
                if isinstance(v, (list, tuple)) and len(v) != len(populations):
                    raise ValueError(f"simulation {key} has {len(v)} values, the network has "
                                     f"{len(populations)} populations")


# --- DC-compensation rates (key ``dc_rates``; rule scale_network) -----------------------------------------

DC_RATES_MEANFIELD = "meanfield"


def check_dc_rates(name: str, simulations: dict) -> str:
    """Check ``simulations[name]["dc_rates"]`` at plan time; returns it (default 'meanfield').

    'meanfield': the network's mean-field rates (results/theory/{net}/fixed_point.h5). Otherwise the name of
    another simulation of ``simulations`` on the same network whose ``stats/summary.csv`` gives the rates;
    that simulation must not itself be a down-scaled run compensating with simulated rates (no chains, which
    also excludes cycles). ValueError names the key and the reason.
    """
    sim = simulations[name]
    src = sim.get("dc_rates", DC_RATES_MEANFIELD) or DC_RATES_MEANFIELD
    if src == DC_RATES_MEANFIELD:
        return src
    key = f"config simulations.{name}.dc_rates"
    if src == name:
        raise ValueError(f"{key}: a simulation cannot take its DC-compensation rates from itself")
    if src not in simulations:
        raise ValueError(f"{key}: {src!r} is neither 'meanfield' nor a simulation of `simulations` "
                         f"({sorted(simulations)})")
    other = simulations[src]
    if other.get("network") != sim.get("network"):
        raise ValueError(f"{key}: simulation {src!r} runs network {other.get('network')!r}, "
                         f"{name!r} runs {sim.get('network')!r}; the rates must come from the same network")
    if other.get("K_scaling", 1.0) != 1.0 and (other.get("dc_rates") or DC_RATES_MEANFIELD) != DC_RATES_MEANFIELD:
        raise ValueError(f"{key}: simulation {src!r} itself compensates with simulated rates "
                         f"(dc_rates: {other.get('dc_rates')!r}); take the rates from a run with "
                         f"dc_rates: meanfield or K_scaling 1")
    return src
