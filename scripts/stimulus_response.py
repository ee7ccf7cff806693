"""Rule stimulus_response: spikes.h5 of a simulation with thalamic_input -> stats/stimulus_response.h5
(peri-stimulus rates, onset and peak latency per population; cortexflow.analysis.stimulus)."""
import logging

from cortexflow.analysis.stimulus import write_stimulus_response
from cortexflow.provenance import tracked

with tracked(snakemake):
    p = snakemake.params
    resp = write_stimulus_response(snakemake.input.spikes, snakemake.output[0], th_start=p.th_start,
                                   th_duration=p.th_duration, th_pulses=p.th_pulses, th_interval=p.th_interval,
                                   **p.options)
    for pop, on, peak in zip(resp["populations"], resp["onset_ms"], resp["peak_rate"]):
        logging.info("%s: onset %.1f ms after th_start, peak %.1f spikes/s", pop, on, peak)
