"""Binary connectivity and laminar patterns from CoCoMac (Stephan et al. 2001; Bakker et al. 2012),
completed with the connections found by Markov et al. (2014) (Schmidt et al. 2018, section
"Connectivity: existence of connections").

``cocomac_completed[target][source] = {'source_pattern': [6 ints] | None, 'target_pattern': [...] | None}``
for the 32 model targets and every CoCoMac source (also outside the model). Pattern entries per layer 1-6:
``0``-``3`` as given (log-scale label density), ``X`` (present, strength unknown) -> 2, ``?`` (unknown) ->
0 in layers 1 and 4 and -1 in layers 2, 3, 5, 6 of source patterns, and -1 everywhere in target patterns.
"""
from __future__ import annotations

SOURCE_UNKNOWN = (0, -1, -1, 0, -1, -1)  # '?' in layers 1..6 of a source (origin) pattern


def _source_pattern(p: str | None) -> list[int] | None:
    if p is None:
        return None
    return [2 if c == "X" else SOURCE_UNKNOWN[i] if c == "?" else int(c) for i, c in enumerate(p)]


def _target_pattern(p: str | None) -> list[int] | None:
    if p is None:
        return None
    return [2 if c == "X" else -1 if c == "?" else int(c) for c in p]


def cocomac_completed(cocomac: dict, confirmative: dict, fln_mapped: dict[str, dict[str, float]],
                      areas) -> dict[str, dict[str, dict]]:
    """CoCoMac connections to the model areas, plus Markov connections (mapped FLN > 0) missing from CoCoMac
    and self-connections, both with null patterns. Pattern-less CoCoMac entries are kept only where at
    least one confirmative study exists."""
    area_set = set(areas)
    out: dict[str, dict[str, dict]] = {a: {} for a in areas}
    for source, targets in cocomac.items():
        for target, (sp, tp) in targets.items():
            if target not in area_set:
                continue
            if sp is None and tp is None:
                try:
                    n_conf = confirmative[source][target]
                except KeyError:
                    raise ValueError(f"cocomac_confirmative_studies.json: no entry for {source} -> {target}, "
                                     f"which CoCoMac_complete_81.json lists without patterns") from None
                if n_conf <= 0:
                    continue
            out[target][source] = {"source_pattern": _source_pattern(sp), "target_pattern": _target_pattern(tp)}
    for target in areas:
        for source, fln in fln_mapped.get(target, {}).items():
            if source in area_set and source != target and source not in out[target] and fln > 0:
                out[target][source] = {"source_pattern": None, "target_pattern": None}
        out[target].setdefault(target, {"source_pattern": None, "target_pattern": None})
    return out


def model_pairs(completed: dict[str, dict], areas) -> list[tuple[str, str]]:
    """Directed (target, source) pairs between different model areas."""
    area_set = set(areas)
    return [(t, s) for t in areas for s in completed[t] if s in area_set and s != t]
