"""Intrinsic (type I) connectivity of the multi-area model from the PD14 microcircuit.

Schmidt et al. (2018) Brain Struct Funct 223:1409, Methods "Intrinsic connections", Eqs. 3-7:
the PD14 connection probabilities are rescaled to the mean over a disk of the area's surface with
the Gaussian distance profile of PD14 (sigma, C0), and the distance distribution in a disk of
Sheng (1985). Arrays are in POPULATIONS order, [target, source].
"""
from __future__ import annotations

import numpy as np
from scipy import integrate

# Gaussian profile of the PD14 connection probability, C(r) = C0 exp(-r^2 / 2 sigma^2)
SIGMA_PD14 = 0.29653208289812366  # mm
C0_PD14 = 0.1429914097112598


def mean_probability_pd14(sigma: float = SIGMA_PD14, c0: float = C0_PD14) -> float:
    """C'_PD14 = 2 C0 sigma^2 / r^2 (1 - exp(-r^2 / 2 sigma^2)), r = sqrt(1/pi) (1 mm^2 disk, PD14 method)."""
    r2 = 1.0 / np.pi
    return 2.0 * c0 * sigma**2 / r2 * (1.0 - np.exp(-r2 / (2 * sigma**2)))


def mean_probability_disk(surface, sigma: float = SIGMA_PD14, c0: float = C0_PD14) -> np.ndarray:
    """Mean Gaussian connection probability between two random points of a disk of area A = pi R^2.

    C'(R) = 2 C0 / A * int_0^{2R} r exp(-r^2/2 sigma^2) [4 atan(s) - sin(4 atan(s))] dr,
    s = sqrt((2R - r) / (2R + r))   (Sheng 1985, Theorem 2.4; BSF18 Eq. 4).
    """
    surface = np.atleast_1d(np.asarray(surface, dtype=float))

    def integrand(r, R):
        s = np.arctan(np.sqrt((2 * R - r) / (2 * R + r)))
        return r * np.exp(-r**2 / (2 * sigma**2)) * (4 * s - np.sin(4 * s))

    out = np.empty_like(surface)
    for k, area in enumerate(surface):
        R = np.sqrt(area / np.pi)
        out[k] = 2 * c0 / area * integrate.quad(integrand, 0.0, 2 * R, args=(R,))[0]
    return out


def _log1m_upstream(x: np.ndarray, series: bool) -> np.ndarray:
    """"ln(1 - x)" as upstream computes it: np.log(1 - x) below 100 mm^2; for areas >= 100 mm^2 the
    20-term series sum_k (-1)^(k+1) x^k / k, which is ln(1 + x), not ln(1 - x) (an upstream sign slip;
    it changes those areas' full-size indegrees by O(C) ~ 1e-3 relative). Reproduced by default."""
    if not series:
        return np.log(1.0 - x)
    k = np.arange(1, 21)
    return np.sum(x[..., None] ** k * (-1.0) ** (k + 1) / k, axis=-1)


def pd14_indegrees(C_pd14: np.ndarray, N_pd14: np.ndarray, surfaces, sigma: float = SIGMA_PD14,
                   c0: float = C0_PD14, exact_log: bool = False) -> np.ndarray:
    """Indegrees K'_ij of a PD14-like microcircuit of surface A (BSF18 Eqs. 5-6).

    C_ij(A) = C_PD14,ij C'(R_A) / C'_PD14;  K'_ij = round(ln(1 - C_ij) / ln(1 - 1/(N_i N_j A^2))) / (N_i A)
    with N the PD14 neurons per mm^2. Returns shape (len(surfaces), 8, 8).
    exact_log=False reproduces upstream (np.log(1 - x) below 100 mm^2, the series of ln(1 + x) at and
    above, see ``_log1m_upstream``); exact_log=True uses log1p(-x) everywhere.
    """
    surfaces = np.atleast_1d(np.asarray(surfaces, dtype=float))
    scale = mean_probability_disk(surfaces, sigma, c0) / mean_probability_pd14(sigma, c0)
    C = C_pd14[None] * scale[:, None, None]
    A = surfaces[:, None, None]
    NiNj = N_pd14[:, None] * N_pd14[None, :]
    x = 1.0 / (NiNj[None] * A**2)
    if exact_log:
        num, den = np.log1p(-C), np.log1p(-x)
    else:
        big = np.broadcast_to(A >= 100.0, C.shape)
        num = np.where(big, _log1m_upstream(C, True), _log1m_upstream(C, False))
        den = np.where(big, _log1m_upstream(x, True), _log1m_upstream(x, False))
    return np.round(num / den) / (N_pd14[None, :, None] * A) + 0.0  # + 0.0: no negative zeros


def intrinsic_fln(K_prime: np.ndarray, K_prime_full: np.ndarray, fln_full: float) -> np.ndarray:
    """Intrinsic FLN of the model areas: FLN_i(A) = FLN_i,full * mean_{ij: K'full>0} K'_ij / K'full_ij (BSF18 Eq. 7)."""
    ratio = np.where(K_prime_full > 0, K_prime / np.where(K_prime_full > 0, K_prime_full, 1.0), np.nan)
    return fln_full * np.nanmean(ratio.reshape(len(ratio), -1), axis=1)


def type_I_synapses(K_prime: np.ndarray, N: np.ndarray, n_syn_intrinsic: np.ndarray) -> np.ndarray:
    """Intrinsic synapses N_syn(A, i <- A, j) = c_A K'_ij N_i(A) (BSF18 Eq. 8).

    c_A = n_syn_intrinsic(A) / sum_ij K'_ij N_i(A) distributes the intrinsic share of all synapses of
    area A (FLN_i(A) rho_syn S D(A)) in proportion to the microcircuit indegrees. As upstream, the
    normalising sum runs over all 8 x 8 pairs (so in TH the pairs from the absent layer 4 count there);
    pairs with an empty source or target population are then set to 0.
    K_prime: (n_areas, 8, 8) or (8, 8); N: (n_areas, 8). Returns (n_areas, 8, 8).
    """
    K_prime = np.broadcast_to(K_prime, (len(N), 8, 8))
    Nsyn_prime = np.einsum("aij,ai->a", K_prime, N)
    c = n_syn_intrinsic / Nsyn_prime
    syn = c[:, None, None] * K_prime * N[:, :, None]
    return np.where((N[:, :, None] > 0) & (N[:, None, :] > 0), syn, 0.0)
