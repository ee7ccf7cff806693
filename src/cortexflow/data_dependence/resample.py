# SPDX-License-Identifier: GPL-3.0-or-later
"""Resampled copies of the raw anatomical data, in the formats of data/raw (docs/data_dependence.md).

A replicate is a directory of raw files that the unchanged anatomy stage (``process_anatomy``) reads. Only
the tables that a resampling touches are rewritten, line by line (lines that stay are copied verbatim, so a
resampling that draws every item exactly once reproduces the files byte for byte); the rest are copied. A
``sources.yaml`` beside them holds the sha256 of every file, so the stage's checksum verification stays on.

**Tracer injections** (Markov et al. 2014 Cereb Cortex 24:17 and J Comp Neurol 522:225). The unit is one
injection (a case of ``Markov2014_InjectionSites.csv``), grouped by the FV91 area of its site, the target
whose FLN/SLN the anatomy stage averages over injections. Bootstrap: per target, n draws with replacement
from its n injections. An injection carries its FLN rows (by case) and its SLN rows (by monkey, the key the
default ``sln_injection_match: monkey`` uses) in both ``SLN_Data.csv`` and ``RData_prepared_logdensities.txt``.
The k-th extra copy of an injection gets a new case number and the monkey name ``<monkey>~<k>`` (site row
copied), so that the stage counts it as a separate injection. Injections outside the model areas are kept.
An SLN row whose source then has no FLN value for its target (the FLN weight of that row in the SLN mapping
is zero; the stage would stop) is removed from ``SLN_Data.csv`` only; the fit data keep it.

**Density measurements** (Hilgetag et al. 2016; NeuN and Nissl tables of the Barbas lab). The unit is one
measured area (a row of ``NeuronalDensities_NeuN.csv`` with its Nissl value), stratified by architectural
type (the most frequent type of the FV91 areas it stands for, ties to the lower type). Bootstrap: per type,
n draws with replacement from its n areas. A dropped area loses its NeuN and Nissl rows (its FV91 areas get
their type's mean); the k-th extra copy of area B becomes ``B~k`` (NeuN and Nissl rows copied) standing for
pseudo FV91 areas ``A~k`` (``SchemeTranslation.csv``) of the types of B's areas (``ArchitecturalTypes.csv``):
they enter the NeuN→Nissl calibration and the type means, never the model.

Replicate r draws injections and densities from two streams of ``numpy.random.SeedSequence(seed)``
(seed = base seed + r), so switching one resampling off does not change the draws of the other.
"""
from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import yaml

from cortexflow.anatomy import fln as fl
from cortexflow.anatomy import readers as rd
from cortexflow.anatomy import sln as sl
from cortexflow.anatomy.process import INPUT_FILES, resolve_options
from cortexflow.areas import AREAS
from cortexflow.rawdata import load_manifest, sha256sum, verify
from cortexflow.structure.mam_raw import FILES as MAM_RAW_FILES
from cortexflow.fileio import atomic_path

FLN_FILE = "Markov2014_FLN_rawdata.csv"
SITES_FILE = "Markov2014_InjectionSites.csv"
SLN_FILE = "SLN_Data.csv"
SLN_FIT_FILE = "RData_prepared_logdensities.txt"
NEUN_FILE = "NeuronalDensities_NeuN.csv"
NISSL_FILE = "NeuronalDensities_Nissl.csv"
TRANSLATION_FILE = "SchemeTranslation.csv"
TYPES_FILE = "ArchitecturalTypes.csv"
INJECTION_FILES = (FLN_FILE, SITES_FILE, SLN_FILE, SLN_FIT_FILE)
DENSITY_FILES = (NEUN_FILE, NISSL_FILE, TRANSLATION_FILE, TYPES_FILE)
# Every raw file a replicate needs: the anatomy stage's inputs and the tables the network stage reads.
REPLICATE_FILES = tuple(sorted(set(INPUT_FILES) | set(MAM_RAW_FILES.values())))

RESAMPLINGS = ("injections", "densities")
KINDS = ("original", "bootstrap", "loo-density", "loo-injection")
COPY = "~"  # separator of the copy index in names of duplicated injections (monkey) and areas


class ResampleError(ValueError):
    """A replicate cannot be made from the raw data (unknown item, a type left without data...)."""


# --- raw text, line by line -----------------------------------------------------------------------------

def _split(text: str, n_header: int) -> tuple[list[str], list[str], bool]:
    lines = text.split("\n")
    trailing = lines[-1] == ""
    if trailing:
        lines = lines[:-1]
    return lines[:n_header], lines[n_header:], trailing


def _join(header: list[str], body: list[str], trailing: bool) -> str:
    return "\n".join(header + body) + ("\n" if trailing else "")


def _read(raw_dir: Path, name: str) -> str:
    return (Path(raw_dir) / name).read_text(encoding="utf-8")


# --- the resampling units -------------------------------------------------------------------------------

def injections(raw_dir) -> list[dict]:
    """Tracer injections into model areas: [{case, monkey, injected, target}] sorted by target and case."""
    sites = rd.read_injection_sites(Path(raw_dir) / SITES_FILE)
    sites = sites[sites["fv91"].isin(AREAS)]
    rows = [{"case": int(c), "monkey": str(m), "injected": str(i), "target": str(t)}
            for c, m, i, t in zip(sites["case"], sites["monkey"], sites["injected"], sites["fv91"])]
    return sorted(rows, key=lambda r: (r["target"], r["case"]))


def _fv91_of(name: str, translation: dict[str, list[str]]) -> list[str]:
    if name in AREAS:
        return [name]
    return [a for a in translation.get(name, []) if a in AREAS]


def density_units(raw_dir) -> list[dict]:
    """Measured areas (rows of the NeuN table): [{name, areas (FV91), types, stratum}] sorted by name."""
    raw_dir = Path(raw_dir)
    neun = rd.read_neun_densities(raw_dir / NEUN_FILE)
    translation = rd.read_scheme_translation(raw_dir / TRANSLATION_FILE)
    types = rd.read_architectural_types(raw_dir / TYPES_FILE)
    units = []
    for name in sorted(neun.index):
        areas = _fv91_of(name, translation)
        if not areas:
            raise ResampleError(f"{NEUN_FILE}: area {name!r} stands for no model area")
        tps = [types[a] for a in areas]
        counts = Counter(tps)
        stratum = min(counts, key=lambda t: (-counts[t], t))  # most frequent type, ties to the lower
        units.append({"name": name, "areas": areas, "types": tps, "stratum": int(stratum)})
    return units


def loo_density_items(raw_dir) -> list[str]:
    """Measured areas that can be left out: each type of their FV91 areas has data from another area."""
    units = density_units(raw_dir)
    out = []
    for u in units:
        others = {t for v in units if v["name"] != u["name"] for t in v["types"]}
        if set(u["types"]) <= others:
            out.append(u["name"])
    return out


def _bootstrap(groups: dict, rng: np.random.Generator) -> dict:
    """{group: sorted items} -> {item: multiplicity}: per group n draws with replacement (groups sorted)."""
    mult = {}
    for g in sorted(groups):
        items = sorted(groups[g])
        counts = np.bincount(rng.integers(0, len(items), size=len(items)), minlength=len(items))
        mult.update({item: int(c) for item, c in zip(items, counts)})
    return mult


def draw(raw_dir, spec: dict) -> tuple[dict[int, int], dict[str, int]]:
    """Multiplicities ({case: m} of the model-area injections, {area name: m} of the density rows) of a
    replicate ``spec`` = {kind, seed, resample, item} (see module docstring)."""
    kind = spec.get("kind")
    if kind not in KINDS:
        raise ResampleError(f"replicate kind {kind!r} is not one of {KINDS}")
    inj = injections(raw_dir)
    units = density_units(raw_dir)
    m_inj = {r["case"]: 1 for r in inj}
    m_dens = {u["name"]: 1 for u in units}
    if kind == "bootstrap":
        unknown = sorted(set(spec.get("resample", [])) - set(RESAMPLINGS))
        if unknown:
            raise ResampleError(f"data_dependence.bootstrap: unknown resampling {unknown} (known: {RESAMPLINGS})")
        streams = [np.random.default_rng(s) for s in np.random.SeedSequence(int(spec["seed"])).spawn(2)]
        if "injections" in spec["resample"]:
            groups: dict[str, list[int]] = {}
            for r in inj:
                groups.setdefault(r["target"], []).append(r["case"])
            m_inj = _bootstrap(groups, streams[0])
        if "densities" in spec["resample"]:
            strata: dict[int, list[str]] = {}
            for u in units:
                strata.setdefault(u["stratum"], []).append(u["name"])
            m_dens = _bootstrap(strata, streams[1])
    elif kind == "loo-density":
        if spec.get("item") not in loo_density_items(raw_dir):
            raise ResampleError(f"leave-one-out: {spec.get('item')!r} is not a density measurement that can be "
                                f"left out (candidates: {loo_density_items(raw_dir)})")
        m_dens[spec["item"]] = 0
    elif kind == "loo-injection":
        if spec.get("item") not in m_inj:
            raise ResampleError(f"leave-one-out: injection case {spec.get('item')!r} is not an injection into a "
                                f"model area (cases: {sorted(m_inj)})")
        m_inj[spec["item"]] = 0
    return m_inj, m_dens


# --- rewriting the tables -------------------------------------------------------------------------------

def _injection_tables(raw_dir: Path, mult: dict[int, int]) -> dict[str, str]:
    """FLN, site and both SLN tables for injection multiplicities ``mult`` (cases not in it: kept)."""
    h_fln, b_fln, t_fln = _split(_read(raw_dir, FLN_FILE), 2)
    h_site, b_site, t_site = _split(_read(raw_dir, SITES_FILE), 3)
    h_sln, b_sln, t_sln = _split(_read(raw_dir, SLN_FILE), 3)
    h_fit, b_fit, t_fit = _split(_read(raw_dir, SLN_FIT_FILE), 1)
    site_rows = {int(line.split("\t")[1]): line for line in b_site if line.strip()}
    case_of_monkey = {line.split("\t")[2]: case for case, line in site_rows.items() if case in mult}
    next_case = max(site_rows) + 1
    copies = []  # (case, k, new case, new monkey)
    for case in sorted(mult):
        for k in range(2, mult[case] + 1):
            monkey = site_rows[case].split("\t")[2]
            copies.append((case, k, next_case, f"{monkey}{COPY}{k}"))
            next_case += 1

    def fln_case(line):
        return int(line.split("\t")[0]) if line.strip() else None

    fln = [line for line in b_fln if mult.get(fln_case(line), 1) >= 1]
    sites = list(b_site)
    for case, _, new, monkey in copies:
        fln += [_fields(line, "\t", {0: str(new), 1: monkey}) for line in b_fln if fln_case(line) == case]
        sites.append(_fields(site_rows[case], "\t", {1: str(new), 2: monkey}))

    def sln_rows(body, monkey_col, inj_col):
        def case_of(line):
            return case_of_monkey.get(line.split(" ")[monkey_col]) if line.strip() else None
        out = [line for line in body if mult.get(case_of(line), 1) >= 1]
        next_index = max(int(line.split(" ")[0]) for line in body if line.strip()) + 1
        for case, _, _, monkey in copies:
            for line in body:
                if case_of(line) == case:
                    area = line.split(" ")[inj_col].partition(".")[0]
                    out.append(_fields(line, " ", {0: str(next_index), monkey_col: monkey,
                                                   inj_col: f"{area}.{monkey}"}))
                    next_index += 1
        return out

    # SLN_Data.csv and the fit table have the same columns (INDEX/row name first): Monkey 8, INJ 11
    return {FLN_FILE: _join(h_fln, fln, t_fln), SITES_FILE: _join(h_site, sites, t_site),
            SLN_FILE: _join(h_sln, sln_rows(b_sln, 8, 11), t_sln),
            SLN_FIT_FILE: _join(h_fit, sln_rows(b_fit, 8, 11), t_fit)}


def _fields(line: str, sep: str, replace: dict[int, str]) -> str:
    f = line.split(sep)
    for i, v in replace.items():
        f[i] = v
    return sep.join(f)


def _unsupported_sln_rows(raw_dir: Path, options: dict) -> list[int]:
    """INDEX of the SLN_Data.csv rows whose (target, source) has no FLN value (target assigned exactly as the
    anatomy stage does, with its own functions)."""
    opts = resolve_options(options)
    sites = rd.read_injection_sites(raw_dir / SITES_FILE)
    obs = fl.fln_injections(rd.read_fln_raw(raw_dir / FLN_FILE), sites, AREAS)
    fln_avg = fl.average_over_injections(obs, opts["injection_averaging"])
    sln = rd.read_sln_data(raw_dir / SLN_FILE)
    probe = sln.assign(FROM=[str(i) for i in sln["INDEX"]])  # unique sources: one observation per row
    targets = sl.sln_injections(probe, sites, AREAS, opts["sln_injection_match"])
    by_index = dict(zip(sln["INDEX"].astype(str), sln["FROM"]))
    return sorted(int(i) for i, t in zip(targets["source"], targets["target"])
                  if by_index[i] not in fln_avg.get(t, {}))


def _drop_sln_rows(text: str, indices: list[int]) -> str:
    header, body, trailing = _split(text, 3)
    drop = {str(i) for i in indices}
    return _join(header, [line for line in body if line.split(" ")[0] not in drop], trailing)


def _density_tables(raw_dir: Path, mult: dict[str, int]) -> dict[str, str]:
    """NeuN, Nissl, translation and type tables for density multiplicities ``mult`` (NeuN area names)."""
    units = {u["name"]: u for u in density_units(raw_dir)}
    h_neun, b_neun, t_neun = _split(_read(raw_dir, NEUN_FILE), 2)
    h_nissl, b_nissl, t_nissl = _split(_read(raw_dir, NISSL_FILE), 2)
    h_tr, b_tr, t_tr = _split(_read(raw_dir, TRANSLATION_FILE), 3)
    h_ty, b_ty, t_ty = _split(_read(raw_dir, TYPES_FILE), 2)

    def neun_name(line):
        return line.split("\t")[0].strip() if line.strip() else None

    def nissl_name(line):  # the NeuN name the Nissl reader gives the row
        if not line.strip():
            return None
        name = line.split(",")[0].strip()
        return rd.NISSL_ALIASES.get(name, name)

    neun = [line for line in b_neun if mult.get(neun_name(line), 1) >= 1]
    nissl = [line for line in b_nissl if mult.get(nissl_name(line), 1) >= 1]
    translation, types = list(b_tr), list(b_ty)
    for name in sorted(mult):
        u = units[name]
        for k in range(2, mult[name] + 1):
            copy = f"{name}{COPY}{k}"
            neun += [_fields(line, "\t", {0: copy}) for line in b_neun if neun_name(line) == name]
            nissl += [_fields(line, ",", {0: copy}) for line in b_nissl if nissl_name(line) == name]
            for area, tp in zip(u["areas"], u["types"]):
                translation.append(f"{copy}\t{area}{COPY}{k}")
                types.append(f"{area}{COPY}{k}\t{tp}")
    return {NEUN_FILE: _join(h_neun, neun, t_neun), NISSL_FILE: _join(h_nissl, nissl, t_nissl),
            TRANSLATION_FILE: _join(h_tr, translation, t_tr), TYPES_FILE: _join(h_ty, types, t_ty)}


# --- one replicate --------------------------------------------------------------------------------------

def _write_text(path: Path, text: str) -> None:
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def make_replicate(raw_dir, out_dir, spec: dict, anatomy_options: dict | None = None,
                   manifest=None, name: str = "") -> dict:
    """Write the raw files of replicate ``spec`` into ``out_dir`` with their manifest ``sources.yaml`` (the
    original's entries with the new sha256; resampled files are marked) and return the record of the
    draws. The originals are verified against ``manifest`` (default ``raw_dir/sources.yaml``) first."""
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    manifest = Path(manifest) if manifest else raw_dir / "sources.yaml"
    entries = load_manifest(manifest)
    for fname in REPLICATE_FILES:
        if fname not in entries:
            raise ResampleError(f"raw data file {fname} is not listed in {manifest}")
        verify(raw_dir / fname, entries[fname].sha256)
    m_inj, m_dens = draw(raw_dir, spec)
    texts = {}
    if any(m != 1 for m in m_inj.values()):
        texts.update(_injection_tables(raw_dir, m_inj))
    if any(m != 1 for m in m_dens.values()):
        texts.update(_density_tables(raw_dir, m_dens))

    out_dir.mkdir(parents=True, exist_ok=True)
    for fname in REPLICATE_FILES:
        if fname in texts:
            _write_text(out_dir / fname, texts[fname])
        else:
            with atomic_path(out_dir / fname) as tmp:
                shutil.copyfile(raw_dir / fname, tmp)
    dropped = []
    if SLN_FILE in texts:
        dropped = _unsupported_sln_rows(out_dir, anatomy_options or {})
        if dropped:
            _write_text(out_dir / SLN_FILE, _drop_sln_rows(texts[SLN_FILE], dropped))

    spec_doc = yaml.safe_load(manifest.read_text())
    files = {}
    for fname in REPLICATE_FILES:
        entry = dict(spec_doc["files"][fname])
        entry["sha256"] = sha256sum(out_dir / fname)
        if entry["sha256"] != entries[fname].sha256:
            entry["resampled"] = f"replicate {name or spec['kind']} (cortexflow.data_dependence.resample)"
        files[fname] = entry
    doc = {"upstream": spec_doc["upstream"], "replicate": {"name": name, **_plain(spec)}, "files": files}
    text = ("# Raw data of one data-dependence replicate (rule resample_data, docs/data_dependence.md):\n"
            "# resampled copies of data/raw with their own sha256; files without 'resampled' are copies.\n"
            + yaml.safe_dump(doc, sort_keys=True, allow_unicode=True))
    _write_text(out_dir / "sources.yaml", text)

    by_target: dict[str, list[int]] = {}
    for r in injections(raw_dir):
        by_target.setdefault(r["target"], []).extend([r["case"]] * m_inj[r["case"]])
    by_stratum: dict[str, list[str]] = {}
    for u in density_units(raw_dir):
        by_stratum.setdefault(str(u["stratum"]), []).extend([u["name"]] * m_dens[u["name"]])
    return {"replicate": name, "spec": _plain(spec), "injections": by_target, "densities": by_stratum,
            "sln_rows_without_fln": dropped,
            "resampled_files": sorted(f for f, e in files.items() if "resampled" in e),
            "sha256": {f: e["sha256"] for f, e in files.items()}}


def _plain(obj):
    return json.loads(json.dumps(obj, default=str))
