# SPDX-License-Identifier: GPL-3.0-or-later
"""Run numpy's bundled OpenBLAS single-threaded inside the pseudo-time loop.

The loop does thousands of small (254 x 254) matrix products; on a shared machine OpenBLAS threads
spin against other processes and make them 10x slower. Without threadpoolctl we call OpenBLAS's own
setter through ctypes; if the library or symbol is not found, this is a no-op (set OPENBLAS_NUM_THREADS=1).
"""
from __future__ import annotations

import contextlib
import ctypes
import glob
import os
from functools import lru_cache

import numpy as np


@lru_cache(maxsize=1)
def _openblas():
    libdir = os.path.join(os.path.dirname(os.path.dirname(np.__file__)), "numpy.libs")
    for path in sorted(glob.glob(os.path.join(libdir, "libscipy_openblas*.so*"))):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for suffix in ("64_", "_64_", ""):
            get = getattr(lib, f"scipy_openblas_get_num_threads{suffix}", None)
            put = getattr(lib, f"scipy_openblas_set_num_threads{suffix}", None)
            if get is not None and put is not None:
                get.restype = ctypes.c_int
                put.argtypes = [ctypes.c_int]
                return get, put
    return None


@contextlib.contextmanager
def blas_threads(n: int = 1):
    funcs = _openblas()
    if funcs is None:
        yield
        return
    get, put = funcs
    old = get()
    put(n)
    try:
        yield
    finally:
        put(old)


def single_threaded(func):
    """Decorator: run ``func`` with one OpenBLAS thread (results independent of the thread count)."""
    import functools

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with blas_threads(1):
            return func(*args, **kwargs)
    return wrapper
