"""Stage 2 benchmark: full-scale mam construction (python functions, no snakemake).

Prints: build_mam wall time (median of 5, processed anatomy already in memory) for the data-derived and
the K_prime_original network, the anatomy step's wall time measured in the same run and the ratio
build / anatomy, the time to write network.h5, and the peak RSS of a fresh process that reads the
processed JSON and builds (imports included). Target: build < 10 s (ideally ~1 s).
"""
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from common import anatomy_options, fetch_raw, report, run_child, timed  # noqa: E402

from cortexflow.anatomy.process import process_anatomy, to_json  # noqa: E402
from cortexflow.structure.mam import build_mam  # noqa: E402
from cortexflow.structure.network_file import write_network  # noqa: E402

options = anatomy_options()
with tempfile.TemporaryDirectory() as tmp:
    raw = fetch_raw(Path(tmp) / "raw")
    anatomy_s, _, result = timed(process_anatomy, raw, options)
    processed = json.loads(to_json(result))
    proc_path = Path(tmp) / "processed.json"
    proc_path.write_text(json.dumps(processed))
    data_s, _, net = timed(build_mam, processed, raw, {}, repeat=5)
    published_s, _, _ = timed(build_mam, processed, raw, {"K_stable": "K_prime_original.npy"}, repeat=5)
    write_s, _, _ = timed(write_network, Path(tmp) / "network.h5", net)
    wall_child, peak_mb = run_child(
        "from cortexflow.structure.mam import build_mam_network; "
        f"build_mam_network({str(proc_path)!r}, {str(raw)!r}, {{}})")

report("build_network", {
    "build_mam data-derived wall s (median of 5)": data_s,
    "build_mam K_prime_original s (median of 5)": published_s,
    "process_anatomy wall s (same run)": anatomy_s,
    "ratio build / anatomy": data_s / anatomy_s,
    "write_network wall s": write_s,
    "fresh process (read JSON + build) wall s": wall_child,
    "fresh process peak RSS MB": peak_mb,
    "synapses (data-derived)": float(net.synapses[:, :-1].sum()),
})
